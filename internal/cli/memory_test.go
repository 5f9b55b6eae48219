package cli

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/catalog"
)

// writeInterlacedPNG writes an Adam7 8-bit RGB PNG of black pixels, size x size (held whole
// by the decoder: 3*size*size bytes), and beside it flat.png, the same pixels not
// interlaced, whose signature it must have.
func writeInterlacedPNG(t *testing.T, path, flat string, size int) {
	t.Helper()
	var raw bytes.Buffer
	zw, err := zlib.NewWriterLevel(&raw, zlib.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [7][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}} {
		pw, ph := (size-p[0]+p[2]-1)/p[2], (size-p[1]+p[3]-1)/p[3]
		if pw <= 0 || ph <= 0 {
			continue
		}
		row := make([]byte, 1+3*pw) // filter 0, then black pixels
		for y := 0; y < ph; y++ {
			zw.Write(row)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	chunk := func(b []byte, name string, data []byte) []byte {
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		start := len(b)
		b = append(append(b, name...), data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(size))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(size))
	ihdr = append(ihdr, 8, 2, 0, 0, 1) // 8-bit RGB, Adam7
	b := []byte("\x89PNG\r\n\x1a\n")
	b = chunk(b, "IHDR", ihdr)
	b = chunk(b, "IDAT", raw.Bytes())
	b = chunk(b, "IEND", nil)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var f bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 0xff
	}
	if err := png.Encode(&f, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(flat, f.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestMemoryOption: the decodes' memory budget is the user's to set (--memory, the profile's
// memory key, FLICKRSYNC_MEMORY). Under a small one a picture that needs more at once fails
// alone, with a message that says why and what the budget is, and is tried again by the
// next index; under the default (128 MB) the same picture is signed.
func TestMemoryOption(t *testing.T) {
	home := t.TempDir()
	lib := filepath.Join(t.TempDir(), "Pictures")
	db := filepath.Join(t.TempDir(), "flickrsync.db")
	if err := os.MkdirAll(lib, 0o755); err != nil {
		t.Fatal(err)
	}
	// 2600x2600 8-bit RGB held whole: 20 MB.
	big, flat := filepath.Join(lib, "big.png"), filepath.Join(t.TempDir(), "flat.png")
	writeInterlacedPNG(t, big, flat, 2600)
	writePNG(t, filepath.Join(lib, "small.png"), 7)

	code, out, errs := runSignatureCmd(flat)
	if code != ExitOK {
		t.Fatalf("signature of the flat twin: exit %d, %s", code, errs)
	}
	want := strings.Fields(out)[0]

	// overBudget checks a run's failure of big.png, named as shown.
	overBudget := func(t *testing.T, code int, errs, shown string) {
		t.Helper()
		line := shown + ": png: interlaced (Adam7) image, held whole, of 2600x2600 pixels: over the memory budget: decoding needs 20 MB at once, the budget is 16 MB"
		if code != ExitFailed || !strings.Contains(errs, line) {
			t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and %q", code, errs, line)
		}
		if strings.Contains(errs, "small.png") {
			t.Errorf("small.png failed too:\n%s", errs)
		}
	}
	t.Run("--memory", func(t *testing.T) {
		code, _, errs := runIn(home, "-l", lib, "-d", db, "--memory", "16M", "index")
		overBudget(t, code, errs, "index failed: big.png")
	})
	t.Run("config key", func(t *testing.T) {
		cfg := filepath.Join(t.TempDir(), "config.ini")
		os.WriteFile(cfg, []byte("[DEFAULT]\ndirectory = "+lib+"\ndatabase = "+db+"\nmemory = 16M\n"), 0o600)
		code, _, errs := runIn(home, "-c", cfg, "index")
		overBudget(t, code, errs, "index failed: big.png")
		// The command line wins over the profile.
		code, _, errs = runIn(home, "-c", cfg, "--memory", "1M", "index")
		if code != ExitUsage || !strings.Contains(errs, `--memory: want a size from 16M to 1T such as 512M or 2G, got "1M"`) {
			t.Errorf("--memory 1M: exit %d, stderr:\n%s", code, errs)
		}
	})
	t.Run("environment", func(t *testing.T) {
		var stderr bytes.Buffer
		code := Main(context.Background(), []string{"signature", big}, Env{
			Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr,
			Getenv:     func(k string) string { return map[string]string{"FLICKRSYNC_MEMORY": "16M"}[k] },
			IsTerminal: func() bool { return false }})
		overBudget(t, code, stderr.String(), "flickrsync: "+big)
		code = Main(context.Background(), []string{"signature", big}, Env{
			Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr,
			Getenv:     func(k string) string { return map[string]string{"FLICKRSYNC_MEMORY": "lots"}[k] },
			IsTerminal: func() bool { return false }})
		if code != ExitUsage || !strings.Contains(stderr.String(), `FLICKRSYNC_MEMORY: want a size`) {
			t.Errorf("FLICKRSYNC_MEMORY=lots: exit %d, stderr:\n%s", code, stderr.String())
		}
	})
	t.Run("default", func(t *testing.T) {
		code, out, errs := runSignatureCmd(big)
		if code != ExitOK || out != want+"  "+big+"\n" {
			t.Errorf("signature: exit %d, %q, stderr %s; want %s", code, out, errs, want)
		}
		// The failed file is tried again, and signed, by the next index.
		code, _, errs = runIn(home, "-l", lib, "-d", db, "index")
		if code != ExitOK {
			t.Fatalf("index: exit %d, stderr:\n%s", code, errs)
		}
		cat, err := catalog.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer cat.Close()
		got := map[string]string{}
		cat.Pictures(context.Background(), func(p catalog.Picture) error {
			got[p.Name] = p.Signature + p.Error
			return nil
		})
		if got["big.png"] != want || len(got["small.png"]) != 64 {
			t.Errorf("catalog after the index: %v, want big.png signed %s", got, want)
		}
	})
}
