package jpeg

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math/rand"
	"runtime"
	"testing"
	"time"
)

// emptyScans builds a progressive JPEG of w x h gray pixels whose scans carry no data: one
// DC scan, then AC scans, each followed at once by the next marker (a few hundred bytes
// that claim a gigapixel). arith selects arithmetic coding (SOF10) instead of Huffman.
func emptyScans(w, h, scans int, arith bool) []byte {
	return hostileScans{w: w, h: h, scans: scans, arith: arith}.encode()
}

// hostileScans describes a progressive gray JPEG of a few hundred bytes whose scans cost
// time out of proportion to their data.
type hostileScans struct {
	w, h, scans int
	arith       bool
	dri         int  // restart interval in MCUs (0: none): arithmetic decoding starts afresh at each
	dcOnly      bool // every scan a DC first scan, which writes every block
	zeros       int  // zero bytes of data in each scan: long arithmetic MPS runs paid for with real data
}

func (s hostileScans) encode() []byte {
	b := []byte{0xFF, 0xD8}
	seg := func(marker byte, data ...byte) {
		b = append(b, 0xFF, marker)
		b = binary.BigEndian.AppendUint16(b, uint16(len(data)+2))
		b = append(b, data...)
	}
	seg(0xE0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")...)
	if s.dri > 0 {
		seg(0xDD, byte(s.dri>>8), byte(s.dri))
	}
	seg(0xDB, append([]byte{0}, bytes.Repeat([]byte{1}, 64)...)...)
	sof := byte(0xC2)
	if s.arith {
		sof = 0xCA
	}
	seg(sof, 8, byte(s.h>>8), byte(s.h), byte(s.w>>8), byte(s.w), 1, 1, 0x11, 0)
	if !s.arith {
		// DC table 0 and AC table 0: one code of length 1 each (category 0, EOB).
		one := append([]byte{1}, make([]byte, 15)...)
		seg(0xC4, append(append(append([]byte{0x00}, one...), 0), append(append([]byte{0x10}, one...), 0)...)...)
	}
	for i := 0; i < s.scans; i++ {
		if i == 0 || s.dcOnly {
			seg(0xDA, 1, 1, 0x00, 0, 0, 0)
		} else {
			seg(0xDA, 1, 1, 0x00, 1, 63, 0)
		}
		b = append(b, make([]byte, s.zeros)...)
	}
	// Past the 107 bytes ImageMagick wants before it looks.
	return append(b, 0xFF, 0xD9)
}

// junkReader yields n bytes that are not markers.
type junkReader struct{ n int64 }

func (j *junkReader) Read(p []byte) (int, error) {
	if j.n <= 0 {
		return 0, io.EOF
	}
	k := int(min(int64(len(p)), j.n))
	for i := range p[:k] {
		p[i] = 0x5A
	}
	j.n -= int64(k)
	return k, nil
}

// allocatedBy returns the bytes f allocated.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestJunkBeforeImageIsBounded: a JPEG header followed by 200 MB of garbage (which libjpeg
// skips looking for a marker) took 4 bytes of memory per byte read, and a 20 GB file was
// read for ever. Now nothing read is kept, and the decode stops 64 MB in.
func TestJunkBeforeImageIsBounded(t *testing.T) {
	head := emptyScans(64, 64, 1, false)[:20]                   // SOI and the start of APP0
	head = append(head[:2:2], 0xFF, 0xFE, 0x00, 0x04, 'h', 'i') // SOI, a comment
	var err error
	n := allocatedBy(func() {
		_, err = Decode(context.Background(), io.MultiReader(bytes.NewReader(head), &junkReader{200 << 20}), io.Discard, Options{})
	})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("200 MB of junk before the image: %v, want ErrTooLarge", err)
	}
	if n > 8<<20 {
		t.Errorf("the decode allocated %d MB", n>>20)
	}
}

// TestEmptyScansOverGigapixel: a few hundred bytes claiming 900 megapixels in 100 scans
// cost 69 s of CPU that Ctrl-C could not stop. Scans that ran out of data are now skipped
// whole, the coefficients go through Reserve, and ctx stops the decode at any point.
func TestEmptyScansOverGigapixel(t *testing.T) {
	data := emptyScans(30000, 30000, 100, false)
	var reserved, held, peak int64
	reserve := func(ctx context.Context, n int64) (func(), error) {
		reserved += n
		held += n
		peak = max(peak, held)
		return func() { held -= n }, nil
	}
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	delay := time.Duration(50+rng.Intn(500)) * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), delay)
	defer cancel()
	start := time.Now()
	_, err := Decode(ctx, bytes.NewReader(data), io.Discard, Options{Reserve: reserve, MaxBandBytes: 64 << 20})
	late := time.Since(start) - delay
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled after %v: %v, want ctx's error", delay, err)
	}
	if late > 2*time.Second {
		t.Errorf("cancelled after %v, returned %v later", delay, late)
	}
	if reserved == 0 || peak > 64<<20+8<<20 || held != 0 {
		t.Errorf("reserved %d bytes, %d at most at once, %d not given back", reserved, peak, held)
	}
}

// TestArithmeticCoefficientsAreReserved: an arithmetic-coded progressive JPEG claiming a
// gigapixel could allocate up to the 512 MB band budget outside any limit; its coefficients
// are now reserved before they are allocated, and a refusal stops the decode first.
func TestArithmeticCoefficientsAreReserved(t *testing.T) {
	data := emptyScans(30000, 30000, 2, true)
	refused := errors.New("no room")
	var asked int64
	reserve := func(ctx context.Context, n int64) (func(), error) {
		asked = n
		return nil, refused
	}
	var err error
	n := allocatedBy(func() {
		_, err = Decode(context.Background(), bytes.NewReader(data), io.Discard, Options{Reserve: reserve})
	})
	if !errors.Is(err, refused) {
		t.Errorf("refused reservation: %v", err)
	}
	if asked < 256<<20 {
		t.Errorf("asked for %d MB, less than a band of coefficients", asked>>20)
	}
	if n > 4<<20 {
		t.Errorf("allocated %d MB before the reservation", n>>20)
	}
}
