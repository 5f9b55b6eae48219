package imagesig

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestBudgetOverTheWholeFailsAtOnce(t *testing.T) {
	b := NewBudget(8 << 20)
	_, err := b.Reserve(context.Background(), 8<<20+1)
	if !errors.Is(err, ErrOverBudget) || !strings.Contains(err.Error(), "8 MB") {
		t.Fatalf("reserve over the whole budget: %v", err)
	}
}

func TestBudgetWaitsForRoomInOrder(t *testing.T) {
	b := NewBudget(8 << 20)
	ctx := context.Background()
	r1, err := b.Reserve(ctx, 6<<20)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 2)
	var done sync.WaitGroup
	done.Add(2)
	go func() {
		defer done.Done()
		r, err := b.Reserve(ctx, 4<<20) // waits for r1
		if err == nil {
			got <- "4 MB"
			time.Sleep(10 * time.Millisecond)
			r()
		}
	}()
	for {
		b.mu.Lock()
		waiting := len(b.queue)
		b.mu.Unlock()
		if waiting == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	go func() {
		defer done.Done()
		r, err := b.Reserve(ctx, 1<<20) // would fit now, but waits behind the 4 MB one
		if err == nil {
			got <- "1 MB"
			r()
		}
	}()
	time.Sleep(20 * time.Millisecond)
	select {
	case g := <-got:
		t.Fatalf("%s granted while the room was held", g)
	default:
	}
	r1()
	r1() // a second release gives nothing back twice
	if a, b := <-got, <-got; a+b != "4 MB1 MB" && a+b != "1 MB4 MB" {
		t.Errorf("granted %s and %s", a, b)
	}
	done.Wait()
	if b.used != 0 {
		t.Errorf("%d bytes still held", b.used)
	}
}

func TestBudgetWaitEndsWithContext(t *testing.T) {
	b := NewBudget(8 << 20)
	r1, _ := b.Reserve(context.Background(), 8<<20)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := b.Reserve(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting reservation: %v, want ctx's error", err)
	}
	r1()
	r2, err := b.Reserve(context.Background(), 8<<20)
	if err != nil || len(b.queue) != 0 {
		t.Fatalf("after a cancelled wait: %v, %d waiting", err, len(b.queue))
	}
	r2()
}

// adam7ZerosPNG is a 16-bit RGBA interlaced PNG of size x size black transparent pixels,
// its zlib stream written by hand (fixed Huffman codes: a literal 0, then copies of 258
// bytes at distance 1): 2 GB of pixels in 13 MB.
func adam7ZerosPNG(size int) []byte {
	var raw int64 // bytes of the filtered pass rows
	for _, p := range [7][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}} {
		pw := (size - p[0] + p[2] - 1) / p[2]
		ph := (size - p[1] + p[3] - 1) / p[3]
		raw += int64(ph) * int64(1+8*pw)
	}
	var z []byte
	var acc uint64
	var n uint
	put := func(v uint64, bits uint) { // LSB first
		acc |= v << n
		n += bits
		for n >= 8 {
			z = append(z, byte(acc))
			acc >>= 8
			n -= 8
		}
	}
	code := func(c uint64, bits uint) { // Huffman codes go MSB first
		var r uint64
		for i := uint(0); i < bits; i++ {
			r = r<<1 | (c>>i)&1
		}
		put(r, bits)
	}
	z = append(z, 0x78, 0x01)
	put(1, 1) // final block
	put(1, 2) // fixed Huffman
	code(0x30, 8)
	left := raw - 1
	for left >= 258 {
		code(0xC5, 8) // length code 285: 258
		code(0, 5)    // distance code 0: 1
		left -= 258
	}
	for ; left > 0; left-- {
		code(0x30, 8)
	}
	code(0, 7) // end of block
	if n > 0 {
		put(0, 8-n)
	}
	// Adler-32 of raw zeros: a = 1, b = raw mod 65521.
	z = binary.BigEndian.AppendUint32(z, uint32(raw%65521)<<16|1)
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(size))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(size))
	ihdr = append(ihdr, 16, 6, 0, 0, 1)
	b = append(b, pngChunk{name: "IHDR", data: ihdr}.bytes()...)
	b = append(b, pngChunk{name: "IDAT", data: z}.bytes()...)
	return append(b, pngChunk{name: "IEND"}.bytes()...)
}

// TestInterlacedPNGOverBudget: an interlaced PNG is held whole; one of 16384x16384 16-bit
// RGBA took 2 GB (and the process died under a memory limit). It now fails alone, before
// allocating, with an error that says why, and is not a verdict on the file.
func TestInterlacedPNGOverBudget(t *testing.T) {
	data := adam7ZerosPNG(16384)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Sign(context.Background(), bytes.NewReader(data), Options{Budget: NewBudget(128 << 20)})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrOverBudget) || Refused(err) || !strings.Contains(err.Error(), "interlaced") {
		t.Fatalf("2 GB interlaced PNG under a 128 MB budget: %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
		t.Errorf("allocated %d MB", n>>20)
	}
	// The same image, small enough, decodes (the generator is right).
	small := adam7ZerosPNG(64)
	if _, err := Sign(context.Background(), bytes.NewReader(small), Options{}); err != nil {
		t.Errorf("64x64 interlaced zeros: %v", err)
	}
}
