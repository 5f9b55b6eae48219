package exifdate

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// fixture is one row of testdata/expected.tsv: a hand-built file and what ImageMagick 6
// reported for it, with `identify -ping` (ping) and with a full read (full).
type fixture struct{ file, ping, full string }

func readFixtures(t testing.TB) []fixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var out []fixture
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("bad expected.tsv line %q", line)
		}
		out = append(out, fixture{f[0], f[1], f[2]})
	}
	return out
}

func TestFixtures(t *testing.T) {
	for _, fx := range readFixtures(t) {
		t.Run(fx.file, func(t *testing.T) {
			path := filepath.Join("testdata", fx.file)
			got, err := FromFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != fx.ping {
				t.Errorf("FromFile = %q, want %q", got, fx.ping)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			full, err := FullRead(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			if full != fx.full {
				t.Errorf("FullRead = %q, want %q", full, fx.full)
			}
		})
	}
}

// TestFixturesMatchIdentify re-derives expected.tsv from the installed ImageMagick, so the
// recorded values cannot drift from what it reports.
func TestFixturesMatchIdentify(t *testing.T) {
	identify := sharedtest.Identify(t)
	for _, fx := range readFixtures(t) {
		path := filepath.Join("testdata", fx.file)
		ping, _ := exec.Command(identify, "-ping", "-format", "%[exif:DateTimeOriginal]", path).Output()
		full, _ := exec.Command(identify, "-format", "%[exif:DateTimeOriginal]", path).Output()
		if string(ping) != fx.ping || string(full) != fx.full {
			t.Errorf("%s: identify says ping %q full %q, expected.tsv says %q %q", fx.file, ping, full, fx.ping, fx.full)
		}
	}
}

// errReaderAt fails every read: FromReader must report it, not hide it as "no date".
type errReaderAt struct{}

func (errReaderAt) ReadAt([]byte, int64) (int, error) { return 0, os.ErrPermission }

func TestReadErrorIsReported(t *testing.T) {
	if _, err := FromReader(errReaderAt{}, 1000); err == nil {
		t.Fatal("want an error")
	}
}

func TestNotAPicture(t *testing.T) {
	for _, in := range []string{"", "x", "GIF89a......", "\xff", "\x89PNG\r\n\x1a\n"} {
		got, err := FromBytes([]byte(in))
		if err != nil || got != "" {
			t.Errorf("FromBytes(%q) = %q, %v; want \"\", nil", in, got, err)
		}
	}
}

func FuzzFromBytes(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := FromBytes(b)
		if err != nil {
			t.Fatalf("error on in-memory input: %v", err)
		}
		full, err := FullRead(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("error on in-memory input: %v", err)
		}
		_ = full
		// The IFD walker alone, on raw bytes after an "Exif\0\0" header.
		_ = DateTimeOriginal(append([]byte("Exif\x00\x00"), b...))
		_ = a
	})
}
