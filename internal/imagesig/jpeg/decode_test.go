package jpeg

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

type fixture struct{ name, expect string }

func readFixtures(t testing.TB) []fixture {
	data, err := os.ReadFile(filepath.Join("testdata", "expect.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var fx []fixture
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 2 {
			t.Fatalf("bad expect.tsv line %q", line)
		}
		fx = append(fx, fixture{f[0], f[1]})
	}
	return fx
}

func decodeBytes(data []byte) (string, Info, error) {
	return decodeBytesWith(data, Options{})
}

func decodeBytesWith(data []byte, opts Options) (string, Info, error) {
	h := sha256.New()
	info, err := Decode(context.Background(), bytes.NewReader(data), h, opts)
	if err != nil {
		return "", info, err
	}
	return hex.EncodeToString(h.Sum(nil)), info, nil
}

// TestFixtures checks every mode (sampling factors, progressive, arithmetic, restarts,
// grayscale, CMYK, truncation, a bad restart marker) against ImageMagick's signatures.
func TestFixtures(t *testing.T) {
	for _, fx := range readFixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", fx.name))
			if err != nil {
				t.Fatal(err)
			}
			got, info, err := decodeBytes(data)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got != fx.expect {
				t.Errorf("signature %s, want %s (info %+v)", got, fx.expect, info)
			}
			cfg, err := DecodeConfig(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("DecodeConfig: %v", err)
			}
			if cfg.Width != info.Width || cfg.Height != info.Height || cfg.ColorModel != info.ColorModel {
				t.Errorf("DecodeConfig %+v disagrees with Decode %+v", cfg, info)
			}
		})
	}
}

func TestInfo(t *testing.T) {
	tests := []struct {
		file        string
		w, h, comps int
		model       string
		prog, arith bool
		warns       bool
	}{
		{"s420.jpg", 61, 45, 3, "rgb", false, false, false},
		{"prog420.jpg", 61, 45, 3, "rgb", true, false, false},
		{"arithprog422.jpg", 61, 45, 3, "rgb", true, true, false},
		{"gray.jpg", 61, 45, 1, "gray", false, false, false},
		{"cmyk.jpg", 61, 45, 4, "cmyk", false, false, false},
		{"truncated.jpg", 96, 64, 3, "rgb", false, false, true},
		{"badrestart.jpg", 61, 45, 3, "rgb", false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			info, err := Decode(context.Background(), bytes.NewReader(data), &buf, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if info.Width != tt.w || info.Height != tt.h || info.Components != tt.comps ||
				info.ColorModel != tt.model || info.Progressive != tt.prog || info.Arithmetic != tt.arith {
				t.Errorf("info %+v", info)
			}
			if (len(info.Warnings) > 0) != tt.warns {
				t.Errorf("warnings %q, want some: %v", info.Warnings, tt.warns)
			}
			bpp := 3
			if tt.model == "cmyk" {
				bpp = 4
			}
			if buf.Len() != tt.w*tt.h*bpp {
				t.Errorf("wrote %d bytes, want %d", buf.Len(), tt.w*tt.h*bpp)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	s420, err := os.ReadFile(filepath.Join("testdata", "s420.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	// precision 12: patch the SOF0 precision byte.
	p12 := bytes.Clone(s420)
	i := bytes.Index(p12, []byte{0xFF, 0xC0})
	p12[i+4] = 12
	// a lossless SOF3 instead of SOF0
	sof3 := bytes.Clone(s420)
	sof3[i+1] = 0xC3
	// no DQT: drop the marker by renaming it to an APP15 segment.
	noq := bytes.Clone(s420)
	j := bytes.Index(noq, []byte{0xFF, 0xDB})
	noq[j+1] = 0xEF
	// an APP1 payload cut by EOF: ImageMagick's profile reader fails ("insufficient image data")
	app1 := append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x10, 0x00}, bytes.Repeat([]byte("x"), 300)...)
	tests := []struct {
		name  string
		data  []byte
		check func(error) bool
	}{
		{"truncated APP1", app1, isFormat},
		{"empty", nil, isFormat},
		{"short", s420[:100], isFormat},
		{"not jpeg", append([]byte("GIF89a"), make([]byte, 200)...), isFormat},
		{"precision 12", p12, isUnsupported},
		{"lossless", sof3, isUnsupported},
		{"no quant table", noq, isFormat},
		{"headers only", s420[:bytes.Index(s420, []byte{0xFF, 0xDA})], isFormat},
		{"two SOI", append([]byte{0xFF, 0xD8}, s420...), isFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(context.Background(), bytes.NewReader(tt.data), io.Discard, Options{})
			if err == nil || !tt.check(err) {
				t.Errorf("error %v (%T)", err, err)
			}
		})
	}
}

func isFormat(err error) bool      { var e FormatError; return errors.As(err, &e) }
func isUnsupported(err error) bool { var e UnsupportedError; return errors.As(err, &e) }

func TestTooLarge(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "prog444.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Decode(context.Background(), bytes.NewReader(data), io.Discard, Options{MaxPixels: 96*64 - 1})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("error %v, want ErrTooLarge", err)
	}
	if _, err := Decode(context.Background(), bytes.NewReader(data), io.Discard, Options{MaxPixels: 96 * 64}); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
}

// TestWriteError: a failing writer stops the decode with its error.
func TestWriteError(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "s420.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	_, err = Decode(context.Background(), bytes.NewReader(data), failWriter{boom}, Options{})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v", err)
	}
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

// TestOneByteReader: decoding does not depend on how the reader splits its data.
func TestOneByteReader(t *testing.T) {
	for _, name := range []string{"prog420.jpg", "restart1row.jpg", "arith420.jpg", "truncated.jpg"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		want, _, err := decodeBytes(data)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		if _, err := Decode(context.Background(), bufio.NewReaderSize(&oneByteReader{data}, 16), h, Options{}); err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != want {
			t.Errorf("%s: one-byte reads give %s, want %s", name, got, want)
		}
	}
}

type oneByteReader struct{ data []byte }

func (r *oneByteReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = r.data[0]
	r.data = r.data[1:]
	return 1, nil
}

// TestICCMarkerPastEOF: an APP2 segment that is not an ICC profile and claims more bytes
// than the file has is skipped to EOF by ImageMagick's ReadICCProfile, which then decodes
// the scans read so far; we used to fail on it as ReadProfile (APP1, APP3...) does.
func TestICCMarkerPastEOF(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "icc_past_eof.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	want := ""
	for _, fx := range readFixtures(t) {
		if fx.name == "icc_past_eof.jpg" {
			want = fx.expect
		}
	}
	got, info, err := decodeBytes(data)
	if err != nil || got != want {
		t.Fatalf("got %s %v, want %s", got, err, want)
	}
	if len(info.Warnings) == 0 {
		t.Error("no warning for the premature end")
	}
	// The same segment as an APP1 is an error for ImageMagick.
	app1 := bytes.Clone(data)
	app1[bytes.LastIndex(app1, []byte{0xFF, 0xE2})+1] = 0xE1
	if _, _, err := decodeBytes(app1); err == nil {
		t.Error("truncated APP1 decoded without error")
	}
}

// TestSIMDIDCTOnCorruptData: corrupt entropy data yields huge coefficients; ImageMagick's
// libjpeg-turbo runs its AVX2/SSE2 IDCT, whose 16-bit arithmetic saturates and wraps where
// jidctint.c's C code does not. Decoding with the C IDCT gave another signature for this
// file (and for about a fifth of randomly corrupted small JPEGs).
func TestSIMDIDCTOnCorruptData(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "corrupt_bigcoef.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	var want string
	for _, fx := range readFixtures(t) {
		if fx.name == "corrupt_bigcoef.jpg" {
			want = fx.expect
		}
	}
	got, _, err := decodeBytes(data)
	if err != nil || got != want {
		t.Fatalf("got %s %v, want %s", got, err, want)
	}
}

// TestIDCT1DSaturates checks the SIMD pass semantics on extreme inputs.
func TestIDCT1DSaturates(t *testing.T) {
	in := [8]int32{32767, 0, 0, 0, 32767, 0, 0, 0} // in0+in4 wraps to -2, in0-in4 is 0
	out := idct1D(&in, 11)
	want := [8]int32{-8, 0, 0, -8, -8, 0, 0, -8} // (-2<<13 + 1024) >> 11 where tmp10/tmp13 use in0+in4
	if out != want {
		t.Errorf("got %v, want %v", out, want)
	}
	in = [8]int32{0, 32767, 0, 0, 0, 0, 0, 0}
	out = idct1D(&in, 11)
	for i, v := range out {
		if v < -32768 || v > 32767 {
			t.Errorf("out[%d] = %d not saturated", i, v)
		}
	}
	if out[0] != 32767 { // 32767*12299/2048 overflows int16
		t.Errorf("out[0] = %d, want 32767", out[0])
	}
}

// TestBugIsNotAFormatError: only the decoder's own errors are recovered into errors; a bug
// (here a runtime panic in the writer the decoder calls) goes on up, for imagesig to report
// as an internal error, instead of passing for a corrupt file.
func TestBugIsNotAFormatError(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "prog420.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if _, ok := recover().(runtime.Error); !ok {
			t.Error("the decoder's bug did not reach the caller as a runtime panic")
		}
	}()
	_, err = Decode(context.Background(), bytes.NewReader(data), bugWriter{}, Options{})
	t.Errorf("Decode returned %v", err)
}

type bugWriter struct{}

func (bugWriter) Write(p []byte) (int, error) {
	var none []byte
	return int(none[len(p)]), nil
}
