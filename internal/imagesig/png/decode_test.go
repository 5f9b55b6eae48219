package png

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	stdpng "image/png"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// chunk encodes one PNG chunk.
func chunk(name string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(name)
	b.Write(data)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(name), data...)))
	return b.Bytes()
}

// header builds a PNG signature and IHDR, plus the given zlib-compressed raw data.
func header(w, h uint32, depth, colorType, interlace byte, raw []byte) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9], ihdr[12] = depth, colorType, interlace
	var b bytes.Buffer
	b.WriteString(pngSignature)
	b.Write(chunk("IHDR", ihdr))
	if raw != nil {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(raw)
		zw.Close()
		b.Write(chunk("IDAT", z.Bytes()))
		b.Write(chunk("IEND", nil))
	}
	return b.Bytes()
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

func TestDecompressionBomb(t *testing.T) {
	tests := []struct {
		name      string
		data      []byte
		max       int64
		tooLarge  bool
		wantError string
	}{
		{"header only, 64250x64250", header(64250, 64250, 8, 6, 0, nil), 0, true, "png: image is 64250x64250, over the 1 gigapixel limit"},
		{"interlaced, 64250x64250", header(64250, 64250, 16, 6, 1, []byte{0}), 0, true, "over the 1 gigapixel limit"},
		{"custom limit", header(100, 100, 8, 0, 0, nil), 9999, true, "png: image is 100x100, over the 9999 pixel limit"},
		{"under the limit, data missing", header(30000, 30000, 8, 6, 0, []byte{0, 1, 2}), 0, false, "not enough image data"},
		{"interlaced under the limit, data missing", header(30000, 30000, 16, 6, 1, []byte{0, 1, 2}), 0, false, "not enough image data"},
		{"one gigapixel row, data missing", header(1<<30, 1, 16, 6, 0, []byte{0, 1, 2}), 0, false, "not enough image data"},
		{"interlaced gigapixel row, data missing", header(1<<30, 1, 16, 6, 1, []byte{0, 1, 2}), 0, false, "not enough image data"},
		{"interlaced gigapixel column, data missing", header(1, 1<<30, 16, 6, 1, []byte{0, 1, 2}), 0, false, "not enough image data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			n := allocated(func() {
				_, err = Decode(context.Background(), bytes.NewReader(tt.data), io.Discard, Options{MaxPixels: tt.max})
			})
			if err == nil || !strings.Contains(err.Error(), tt.wantError) {
				t.Fatalf("error %v, want one containing %q", err, tt.wantError)
			}
			if errors.Is(err, ErrTooLarge) != tt.tooLarge {
				t.Errorf("errors.Is(%v, ErrTooLarge) = %v", err, !tt.tooLarge)
			}
			if n > 4<<20 {
				t.Errorf("allocated %d bytes", n)
			}
		})
	}
}

func TestHeaderErrors(t *testing.T) {
	good := header(3, 2, 8, 2, 0, make([]byte, 2*10))
	tests := []struct {
		name, want string
		data       []byte
	}{
		{"not png", "not a PNG file", []byte("GIF89a.................")},
		{"empty", "truncated file (shorter than the PNG signature)", nil},
		{"zero width", "image width is zero", header(0, 5, 8, 2, 0, []byte{0})},
		{"bad depth", "invalid bit depth 3", header(5, 5, 3, 0, 0, []byte{0})},
		{"16-bit palette", "invalid bit depth 16 for a palette image", header(5, 5, 16, 3, 0, []byte{0})},
		{"bad colour type", "invalid color type 5", header(5, 5, 8, 5, 0, []byte{0})},
		{"interlace method", "unknown interlace method 2", header(5, 5, 8, 0, 2, []byte{0})},
		{"palette without PLTE", "missing PLTE", header(5, 5, 8, 3, 0, make([]byte, 30))},
		{"truncated", "truncated file", good[:len(good)-20]},
		{"no IEND", "truncated file", good[:len(good)-12]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(context.Background(), bytes.NewReader(tt.data), io.Discard, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := Decode(context.Background(), bytes.NewReader(good), io.Discard, Options{}); err != nil {
		t.Fatalf("the well-formed base case fails: %v", err)
	}
}

// TestAgainstImagePNG checks 8-bit and 16-bit RGBA output against the standard library's
// decoder, for images both agree on (non-premultiplied RGBA, no tRNS).
func TestAgainstImagePNG(t *testing.T) {
	v := func(x, y, k int) uint16 { return uint16((x*k*977 + y*31*k + x*y) * 13) }
	img8 := image.NewNRGBA(image.Rect(0, 0, 37, 23))
	img16 := image.NewNRGBA64(image.Rect(0, 0, 37, 23))
	for y := 0; y < 23; y++ {
		for x := 0; x < 37; x++ {
			c := color.NRGBA64{R: v(x, y, 1), G: v(x, y, 2), B: v(x, y, 3), A: v(x, y, 4) | 0x100}
			img16.SetNRGBA64(x, y, c)
			img8.SetNRGBA(x, y, color.NRGBA{R: uint8(c.R), G: uint8(c.G), B: uint8(c.B), A: uint8(c.A>>8) | 1})
		}
	}
	tests := []struct {
		depth int
		img   image.Image
		pix   []byte
	}{{8, img8, img8.Pix}, {16, img16, img16.Pix}}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := stdpng.Encode(&buf, tt.img); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		info, err := Decode(context.Background(), bytes.NewReader(buf.Bytes()), &got, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if info.Depth != tt.depth || !info.Alpha || info.ColorType != 6 {
			t.Errorf("depth %d: info %+v", tt.depth, info)
		}
		if !bytes.Equal(got.Bytes(), tt.pix) {
			t.Errorf("depth %d: pixels differ from image/png's", tt.depth)
		}
	}
}

// TestWideRows checks rows wider than the export segment, for byte and sub-byte pixels,
// against image/png.
func TestWideRows(t *testing.T) {
	for _, w := range []int{exportPixels - 1, exportPixels, exportPixels + 3, 2*exportPixels + 1000} {
		gray := image.NewGray(image.Rect(0, 0, w, 3))
		bw := image.NewPaletted(image.Rect(0, 0, w, 3), color.Palette{color.Gray{0}, color.Gray{255}})
		var wantGray, wantBW []byte
		for y := 0; y < 3; y++ {
			for x := 0; x < w; x++ {
				v := uint8(x*7 + y*x/100)
				gray.SetGray(x, y, color.Gray{v})
				bw.SetColorIndex(x, y, v&1)
				wantGray = append(wantGray, v, v, v)
				b := 255 * (v & 1)
				wantBW = append(wantBW, b, b, b)
			}
		}
		for _, tc := range []struct {
			name string
			img  image.Image
			want []byte
		}{{"gray8", gray, wantGray}, {"palette1", bw, wantBW}} {
			var buf, got bytes.Buffer
			if err := stdpng.Encode(&buf, tc.img); err != nil {
				t.Fatal(err)
			}
			if _, err := Decode(context.Background(), bytes.NewReader(buf.Bytes()), &got, Options{}); err != nil {
				t.Fatalf("%s %d: %v", tc.name, w, err)
			}
			if !bytes.Equal(got.Bytes(), tc.want) {
				t.Errorf("%s, width %d: pixels differ", tc.name, w)
			}
		}
	}
}

func TestDecodeConfig(t *testing.T) {
	data := header(300, 200, 4, 0, 1, []byte{0})
	info, err := DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if info.Width != 300 || info.Height != 200 || info.BitDepth != 4 || !info.Interlaced || info.Depth != 8 || info.Alpha {
		t.Errorf("info %+v", info)
	}
}

// fixtures returns the PNG files of ../testdata and, when present, the small PNG files of
// the shared corpus.
func fixtures(t testing.TB) [][]byte {
	return sharedtest.SmallFiles(t, filepath.Join("..", "testdata", "*.png"), "*.png", 64<<10)
}

func FuzzDecode(f *testing.F) {
	for _, b := range fixtures(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h := sha256.New()
		var n countWriter
		info, err := Decode(context.Background(), bytes.NewReader(data), io.MultiWriter(h, &n), Options{MaxPixels: 1 << 20})
		if err != nil {
			return
		}
		ch := 3
		if info.Alpha {
			ch = 4
		}
		if want := int64(info.Width) * int64(info.Height) * int64(ch) * int64(info.Depth/8); n.n != want {
			t.Fatalf("wrote %d bytes for %+v, want %d", n.n, info, want)
		}
		cfg, err := DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != info.Width || cfg.Height != info.Height {
			t.Fatalf("DecodeConfig %+v, %v disagrees with Decode %+v", cfg, err, info)
		}
		h2 := sha256.New()
		if _, err := Decode(context.Background(), bytes.NewReader(data), h2, Options{MaxPixels: 1 << 20}); err != nil ||
			!bytes.Equal(h.Sum(nil), h2.Sum(nil)) {
			t.Fatalf("second decode differs: %v", err)
		}
	})
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// benchImage encodes a w x h RGB image with image/png.
func benchImage(b *testing.B, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i*7 + i/w*3)
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	var buf bytes.Buffer
	if err := stdpng.Encode(&buf, img); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkDecodeRGB(b *testing.B) {
	data := benchImage(b, 1920, 1080)
	b.SetBytes(1920 * 1080 * 3)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Decode(context.Background(), bytes.NewReader(data), io.Discard, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeRGBSHA256(b *testing.B) {
	data := benchImage(b, 1920, 1080)
	b.SetBytes(1920 * 1080 * 3)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Decode(context.Background(), bytes.NewReader(data), sha256.New(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
