package webp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// bitWriter writes VP8L bits, least significant first.
type bitWriter struct {
	buf  []byte
	bits uint64
	n    uint
}

func (w *bitWriter) put(v uint64, n uint) {
	w.bits |= v << w.n
	w.n += n
	for w.n >= 8 {
		w.buf = append(w.buf, byte(w.bits))
		w.bits >>= 8
		w.n -= 8
	}
}

func (w *bitWriter) bytes() []byte {
	if w.n > 0 {
		return append(w.buf, byte(w.bits))
	}
	return w.buf
}

// constantVP8L returns a lossless image of one colour, of any size, in a few bytes: every
// Huffman code has a single symbol, so its pixels take no bits.
func constantVP8L(width, height int, argb uint32) []byte {
	var w bitWriter
	w.put(vp8lMagic, 8)
	w.put(uint64(width-1), 14)
	w.put(uint64(height-1), 14)
	w.put(1, 1) // alpha used
	w.put(0, 3) // version
	w.put(0, 1) // no transform
	w.put(0, 1) // no colour cache
	w.put(0, 1) // no meta Huffman image
	for _, sym := range []uint32{argb >> 8 & 0xff, argb >> 16 & 0xff, argb & 0xff, argb >> 24, 0} {
		w.put(1, 1) // simple code
		w.put(0, 1) // one symbol
		w.put(1, 1) // of 8 bits
		w.put(uint64(sym), 8)
	}
	return riff(rawChunk{"VP8L", w.bytes()})
}

// vp8Header returns the start of a lossy file of the given size, with no usable data.
func vp8Header(width, height int) []byte {
	frame := []byte{0x10, 0x00, 0x00, 0x9d, 0x01, 0x2a, byte(width), byte(width >> 8), byte(height), byte(height >> 8)}
	return riff(rawChunk{"VP8 ", append(frame, make([]byte, 20)...)})
}

// allocated returns how many bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestConstantLossless(t *testing.T) {
	var buf bytes.Buffer
	info, err := Decode(bytes.NewReader(constantVP8L(5, 3, 0x80102030)), &buf, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Width != 5 || info.Height != 3 || !info.Alpha || !info.Lossless {
		t.Errorf("info %+v", info)
	}
	want := bytes.Repeat([]byte{0x10, 0x20, 0x30, 0x80}, 15)
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("pixels % x, want % x", buf.Bytes(), want)
	}
}

func TestWarnings(t *testing.T) {
	for name, want := range map[string]string{
		"vp8x-alpha-flag-no-alph.webp": "alpha announced without an ALPH chunk",
		"vp8x-vp8l-with-alph.webp":     "an ALPH chunk before a lossless image",
		"lossy-alpha-odd.webp":         "",
	} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		info, err := Decode(bytes.NewReader(data), io.Discard, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(info.Warnings, "; ")
		if want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("%s: warnings %q, want %q", name, got, want)
		}
	}
}

func TestHostileInput(t *testing.T) {
	lying := riff(rawChunk{"VP8L", constantVP8L(4, 4, 0)[20:]})
	binary.LittleEndian.PutUint32(lying[4:], 0xfffffff0)
	hugeChunk := constantVP8L(4, 4, 0)
	binary.LittleEndian.PutUint32(hugeChunk[16:], 0xfffffff0)
	tests := []struct {
		name     string
		data     []byte
		max      int64
		tooLarge bool
		want     string
	}{
		{"lossless 16384x16384", constantVP8L(16384, 16384, 0), 1 << 20, true, "webp: frame is 16384x16384, over the 1 megapixel limit"},
		{"lossy 16383x16383, no partition", vp8Header(16383, 16383), 0, false, "corrupt image (cannot parse segment header)"},
		{"lossy 16383x16383, small limit", vp8Header(16383, 16383), 1 << 20, true, "over the 1 megapixel limit"},
		{"RIFF size of 4 GB", lying, 0, false, "insufficient image data in file (the RIFF header announces 4294967288 bytes"},
		{"chunk size of 4 GB", hugeChunk, 0, false, "corrupt image"},
		{"empty", nil, 0, false, "insufficient image data in file (no RIFF header)"},
		{"not WebP", []byte("RIFF\x10\x00\x00\x00WAVEfmt \x00\x00\x00\x00"), 0, false, "not a WebP file"},
		{"RIFF size under 4", []byte("RIFF\x02\x00\x00\x00WEBP"), 0, false, "corrupt image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			n := allocated(func() {
				_, err = Decode(bytes.NewReader(tt.data), io.Discard, Options{MaxPixels: tt.max})
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if errors.Is(err, ErrTooLarge) != tt.tooLarge {
				t.Errorf("errors.Is(%v, ErrTooLarge) = %v", err, !tt.tooLarge)
			}
			var fe FormatError
			if !tt.tooLarge && !errors.As(err, &fe) {
				t.Errorf("%v is not a FormatError", err)
			}
			if n > 4<<20 {
				t.Errorf("allocated %d bytes", n)
			}
		})
	}
}

// reserveLog is an Options.Reserve that records what is reserved and released, and
// refuses beyond limit (0: never).
type reserveLog struct {
	mu                sync.Mutex
	outstanding, peak int64
	calls             int
	limit             int64
}

func (r *reserveLog) reserve(ctx context.Context, n int64) (func(), error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.limit > 0 && r.outstanding+n > r.limit {
		return nil, errors.New("memory budget exhausted")
	}
	r.outstanding += n
	r.peak = max(r.peak, r.outstanding)
	once := sync.Once{}
	return func() {
		once.Do(func() {
			r.mu.Lock()
			r.outstanding -= n
			r.mu.Unlock()
		})
	}, nil
}

func TestReserve(t *testing.T) {
	for _, name := range []string{"lossy-alpha-odd.webp", "lossless-near.webp", "anim-offsets.webp", "partitions8-alpha.webp"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			var log reserveLog
			h1, h2 := sha256.New(), sha256.New()
			info, err := Decode(bytes.NewReader(data), h1, Options{Reserve: log.reserve})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Decode(bytes.NewReader(data), h2, Options{}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(h1.Sum(nil), h2.Sum(nil)) {
				t.Error("Reserve changed the pixels")
			}
			if log.outstanding != 0 {
				t.Errorf("%d bytes still reserved after Decode", log.outstanding)
			}
			min := int64(len(data))
			if info.Lossless || info.Alpha {
				min += int64(info.Width) * int64(info.Height)
			}
			if log.peak < min {
				t.Errorf("peak reservation %d bytes, want at least %d for %+v", log.peak, min, info)
			}
		})
	}
	t.Run("file read in steps", func(t *testing.T) {
		vp8l := chunksOf(t, constantVP8L(8, 8, 0))[0]
		data := riff(vp8l, rawChunk{"JUNK", make([]byte, 5<<20)})
		var log reserveLog
		if _, err := Decode(bytes.NewReader(data), io.Discard, Options{Reserve: log.reserve}); err != nil {
			t.Fatal(err)
		}
		// Growing the buffer holds the old and the new one for a moment, never more.
		if log.peak < int64(len(data)) || log.peak > 2*int64(len(data)) {
			t.Errorf("peak reservation %d bytes for a file of %d", log.peak, len(data))
		}
		if log.outstanding != 0 {
			t.Errorf("%d bytes still reserved", log.outstanding)
		}
	})
	t.Run("refused", func(t *testing.T) {
		log := reserveLog{limit: 1 << 20}
		var err error
		n := allocated(func() {
			_, err = Decode(bytes.NewReader(constantVP8L(4096, 4096, 0)), io.Discard, Options{Reserve: log.reserve})
		})
		if err == nil || !strings.Contains(err.Error(), "memory budget exhausted") {
			t.Fatalf("error %v, want the budget's", err)
		}
		if n > 4<<20 {
			t.Errorf("allocated %d bytes before the refusal", n)
		}
		if log.outstanding != 0 {
			t.Errorf("%d bytes still reserved", log.outstanding)
		}
	})
}

// cancelWriter cancels its context at the first write and counts what it gets.
type cancelWriter struct {
	cancel context.CancelFunc
	n      int64
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	w.cancel()
	w.n += int64(len(p))
	return len(p), nil
}

// TestCancel cancels decodes as soon as they write, and checks they stop within a few
// rows: between macroblock rows for lossy data, every 16 rows for lossless.
func TestCancel(t *testing.T) {
	check := func(t *testing.T, data []byte, total int64) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		w := &cancelWriter{cancel: cancel}
		start := time.Now()
		_, err := DecodeContext(ctx, bytes.NewReader(data), w, Options{MaxPixels: 1 << 28})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
		if w.n > total/4 {
			t.Errorf("wrote %d of %d bytes after the cancellation", w.n, total)
		}
		t.Logf("stopped after %d of %d bytes, %v", w.n, total, time.Since(start))
	}
	t.Run("lossless", func(t *testing.T) {
		check(t, constantVP8L(2048, 4096, 0xff000000), 2048*4096*4)
	})
	t.Run("lossy", func(t *testing.T) {
		path := sharedtest.Path(t, "media", "files", "androidx-media__black_large.webp")
		data, err := os.ReadFile(path)
		if err != nil {
			sharedtest.Absent(t, "%v", err)
		}
		check(t, data, 16000*9000*3)
	})
	t.Run("before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := DecodeContext(ctx, bytes.NewReader(constantVP8L(64, 64, 0)), io.Discard, Options{}); !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
	})
}

// TestTruncated cuts fixtures short: ImageMagick refuses any file shorter than its RIFF
// size, with "insufficient image data".
func TestTruncated(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.webp"))
	if err != nil || len(paths) == 0 {
		t.Fatal("no fixtures", err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		end := int(binary.LittleEndian.Uint32(data[4:])) + 8
		for _, n := range []int{0, 5, 12, 20, end / 2, end - 1} {
			_, err := Decode(bytes.NewReader(data[:n]), io.Discard, Options{})
			var fe FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), "insufficient image data") {
				t.Errorf("%s cut to %d bytes: %v", filepath.Base(p), n, err)
			}
		}
	}
}

func readFixtures(t testing.TB) [][]byte {
	seeds := sharedtest.SmallFiles(t, filepath.Join("testdata", "*.webp"), "*.webp", 64<<10)
	if dir, ok := sharedtest.Lookup(); ok {
		more, _ := filepath.Glob(filepath.Join(dir, "media", "files", "*.webp"))
		for _, p := range more {
			if st, err := os.Stat(p); err == nil && st.Size() <= 64<<10 {
				if b, err := os.ReadFile(p); err == nil {
					seeds = append(seeds, b)
				}
			}
		}
	}
	return seeds
}

// FuzzDecode feeds arbitrary bytes to Decode: it must fail, or write exactly the pixels it
// announces, the same twice.
func FuzzDecode(f *testing.F) {
	for _, b := range readFixtures(f) {
		f.Add(b)
	}
	f.Add(constantVP8L(3, 2, 0x12345678))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := sha256.New()
		var n countWriter
		opts := Options{MaxPixels: 1 << 20}
		info, err := Decode(bytes.NewReader(data), io.MultiWriter(h, &n), opts)
		if err != nil {
			var fe FormatError
			var ue UnsupportedError
			if !errors.As(err, &fe) && !errors.As(err, &ue) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		bpp := int64(3)
		if info.Alpha {
			bpp = 4
		}
		if want := int64(info.Width) * int64(info.Height) * bpp; n.n != want || want == 0 {
			t.Fatalf("wrote %d bytes for %+v, want %d", n.n, info, want)
		}
		h2 := sha256.New()
		if _, err := Decode(bytes.NewReader(data), h2, opts); err != nil || !bytes.Equal(h.Sum(nil), h2.Sum(nil)) {
			t.Fatalf("second decode differs: %v", err)
		}
	})
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }
