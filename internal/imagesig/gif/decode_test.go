package gif

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/color/palette"
	stdgif "image/gif"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// gifHeader builds a GIF header with a 2-colour global table, then a frame descriptor of
// the given size followed by data.
func gifHeader(sw, sh, fw, fh uint16, data []byte) []byte {
	var b bytes.Buffer
	b.WriteString("GIF89a")
	binary.Write(&b, binary.LittleEndian, []uint16{sw, sh})
	b.Write([]byte{0x80, 0, 0, 0, 0, 0, 255, 255, 255, ','})
	binary.Write(&b, binary.LittleEndian, []uint16{0, 0, fw, fh})
	b.WriteByte(0)
	b.Write(data)
	return b.Bytes()
}

func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestDecompressionBomb(t *testing.T) {
	lzwData := []byte{2, 2, 0x44, 0x0a, 0, ';'} // clear, 0, 1, end: two pixels
	tests := []struct {
		name     string
		data     []byte
		tooLarge bool
		want     string
	}{
		{"screen 64250x64250, frame missing its data", gifHeader(64250, 64250, 1, 1, lzwData[:2]), false, "LZW data ends at row 0"},
		{"frame 64250x64250", gifHeader(10, 10, 64250, 64250, lzwData), true, "gif: frame is 64250x64250, over the 1 gigapixel limit"},
		{"frame under the limit, data missing", gifHeader(10, 10, 30000, 30000, lzwData), false, "LZW data ends at row 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			n := allocated(func() { _, err = Decode(context.Background(), bytes.NewReader(tt.data), io.Discard, Options{}) })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
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

// TestAgainstImageGIF compares single-frame, opaque GIFs with the standard library's
// decoding, which agrees with ImageMagick's on well-formed files.
func TestAgainstImageGIF(t *testing.T) {
	for _, tc := range []struct {
		name string
		w, h int
		pal  color.Palette
	}{{"plan9 palette", 61, 17, palette.Plan9}, {"4 colours", 9, 40, color.Palette{
		color.RGBA{1, 2, 3, 255}, color.RGBA{200, 100, 50, 255}, color.RGBA{0, 255, 0, 255}, color.RGBA{9, 9, 9, 255}}}} {
		t.Run(tc.name, func(t *testing.T) {
			img := image.NewPaletted(image.Rect(0, 0, tc.w, tc.h), tc.pal)
			for i := range img.Pix {
				img.Pix[i] = uint8((i*7 + i/tc.w*13) % len(tc.pal))
			}
			var buf bytes.Buffer
			if err := stdgif.Encode(&buf, img, &stdgif.Options{NumColors: len(tc.pal)}); err != nil {
				t.Fatal(err)
			}
			var want []byte
			for _, p := range img.Pix {
				r, g, b, _ := tc.pal[p].RGBA()
				want = append(want, byte(r>>8), byte(g>>8), byte(b>>8))
			}
			var got bytes.Buffer
			info, err := Decode(context.Background(), bytes.NewReader(buf.Bytes()), &got, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if info.Width != tc.w || info.Height != tc.h || info.Alpha || info.Frames != 1 {
				t.Errorf("info %+v", info)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Error("pixels differ from image/gif's")
			}
		})
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		data       []byte
	}{
		{"not gif", "not a GIF file", []byte("GIF90a")},
		{"short", "not a GIF file", []byte("GIF8")},
		{"no frames", "no image frames", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")},
		{"code size", "LZW code size 13", gifHeader(1, 1, 1, 1, []byte{13})},
		{"global table cut", "global color table", []byte("GIF89a\x01\x00\x01\x00\x87\x00\x00abc")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(context.Background(), bytes.NewReader(tc.data), io.Discard, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// fixtures returns the GIF files of ../testdata and, when present, the small GIF files of
// the shared corpus.
func fixtures(t testing.TB) [][]byte {
	return sharedtest.SmallFiles(t, filepath.Join("..", "testdata", "*.gif"), "*.gif", 64<<10)
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

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
		ch := int64(3)
		if info.Alpha {
			ch = 4
		}
		if want := int64(info.Width) * int64(info.Height) * ch; n.n != want || want == 0 {
			t.Fatalf("wrote %d bytes for %+v, want %d", n.n, info, want)
		}
		h2 := sha256.New()
		if _, err := Decode(context.Background(), bytes.NewReader(data), h2, Options{MaxPixels: 1 << 20}); err != nil ||
			!bytes.Equal(h.Sum(nil), h2.Sum(nil)) {
			t.Fatalf("second decode differs: %v", err)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	img := image.NewPaletted(image.Rect(0, 0, 1024, 768), palette.Plan9)
	for i := range img.Pix {
		img.Pix[i] = uint8(i*7 + i/1024*3)
	}
	anim := &stdgif.GIF{}
	for k := 0; k < 4; k++ {
		anim.Image = append(anim.Image, img)
		anim.Delay = append(anim.Delay, 10)
	}
	var buf bytes.Buffer
	if err := stdgif.EncodeAll(&buf, anim); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(4 * 1024 * 768)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Decode(context.Background(), bytes.NewReader(buf.Bytes()), sha256.New(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// failingReader returns its data, then a read error that is not the end of the data.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReadErrorIsNotEndOfFile(t *testing.T) {
	// A complete one-frame GIF without its trailer: at the end of the data ImageMagick
	// stops and signs; a read error there must fail instead.
	data := gifHeader(2, 1, 2, 1, []byte{2, 2, 0x44, 0x0a, 0}) // clear, 0, 1, end
	if _, err := Decode(context.Background(), bytes.NewReader(data), io.Discard, Options{}); err != nil {
		t.Fatalf("without a trailer: %v", err)
	}
	boom := errors.New("disk on fire")
	_, err := Decode(context.Background(), &failingReader{data: data, err: boom}, io.Discard, Options{})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want the read error", err)
	}
}

// TestFrameMemoryIsReserved: a frame's memory goes through Options.Reserve before it is
// allocated, is given back at the end, and a refusal fails the decode at once.
func TestFrameMemoryIsReserved(t *testing.T) {
	lzwData := []byte{2, 2, 0x44, 0x0a, 0, ';'}
	data := gifHeader(10, 10, 30000, 30000, lzwData)
	var held, asked int64
	limit := int64(64 << 20)
	reserve := func(ctx context.Context, n int64) (func(), error) {
		asked = n
		if n > limit {
			return nil, errors.New("over the memory budget")
		}
		held += n
		return func() { held -= n }, nil
	}
	_, err := Decode(context.Background(), bytes.NewReader(data), io.Discard, Options{Reserve: reserve})
	if err == nil || !strings.Contains(err.Error(), "frame of 30000x30000 pixels: over the memory budget") {
		t.Errorf("900 MB frame under a 64 MB budget: %v", err)
	}
	if asked < 900_000_000 {
		t.Errorf("asked for %d bytes for a 30000x30000 frame", asked)
	}
	limit = 1 << 40
	_, err = Decode(context.Background(), bytes.NewReader(data), io.Discard, Options{Reserve: reserve})
	if err == nil || !strings.Contains(err.Error(), "LZW data ends") || held != 0 {
		t.Errorf("with room: %v, %d bytes not given back", err, held)
	}
}
