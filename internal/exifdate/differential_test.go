package exifdate

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// segments libjpeg or ImageMagick treat specially, inserted at random by the mutator.
var mutationSegments = [][]byte{
	[]byte("\xff\xfe\x00\x06abcd"),                              // COM
	[]byte("\xff\xe0\x00\x02"),                                  // empty APP0
	[]byte("\xff\xdb\x00\x43\x0f" + strings.Repeat("\x01", 64)), // DQT, bad index
	[]byte("\xff\xdb\x00\x43\x01" + strings.Repeat("\x01", 64)), // DQT
	[]byte("\xff\xc4\x00\x05\x00\x01\x00"),                      // DHT, bad length
	[]byte("\xff\xcc\x00\x04\x00\x12"),                          // DAC, L > U
	[]byte("\xff\xdd\x00\x05\x00\x10\x00"),                      // DRI, bad length
	[]byte("\xff\xf0\x00\x04ab"),                                // unknown marker
	[]byte("\xff\xd8"),                                          // second SOI
	[]byte("\xff\xd9"),                                          // EOI
	[]byte("\xff\xed\x00\x16Photoshop 3.0\x00\x00\x00\xff\xd9"), // short APP13
	[]byte("\x00\x11\x22"),                                      // garbage
	[]byte("\xff\xff\xff"),                                      // fill
}

func mutate(r *rand.Rand, b []byte) []byte {
	b = append([]byte(nil), b...)
	for n := r.Intn(4); n > 0; n-- {
		switch r.Intn(4) {
		case 0, 1: // change a byte of the metadata
			if len(b) > 4 {
				i := 2 + r.Intn(min(len(b)-2, 400))
				b[i] = []byte{0, 1, 0xff, 0x80, byte(r.Intn(256)), b[i] ^ 1}[r.Intn(6)]
			}
		case 2: // insert a segment after SOI or after the first segment
			at := 2
			if r.Intn(2) == 0 && len(b) > 6 {
				at = min(len(b), 4+int(b[4])<<8|int(b[5]))
			}
			seg := mutationSegments[r.Intn(len(mutationSegments))]
			b = append(b[:at], append(append([]byte(nil), seg...), b[at:]...)...)
		case 3: // truncate
			if len(b) > 120 {
				b = b[:110+r.Intn(len(b)-110)]
			}
		}
	}
	return b
}

// TestDifferentialIdentify compares FromBytes with `identify -ping` on mutations of the
// JPEG fixtures (deterministic): changed bytes, inserted segments, truncations.
func TestDifferentialIdentify(t *testing.T) {
	identify := sharedtest.Identify(t)
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.jpg"))
	r := rand.New(rand.NewSource(1))
	dir := t.TempDir()
	const n = 120
	withDate := 0
	for i := 0; i < n; i++ {
		b, err := os.ReadFile(seeds[r.Intn(len(seeds))])
		if err != nil {
			t.Fatal(err)
		}
		b = mutate(r, b)
		path := filepath.Join(dir, fmt.Sprintf("m%03d.jpg", i))
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := FromBytes(b)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := exec.Command(identify, "-ping", "-format", "%[exif:DateTimeOriginal]", path).Output()
		if got != string(want) {
			t.Errorf("mutation %d: FromBytes %q, identify -ping %q (file kept in %s)", i, got, want, path)
		}
		if got != "" {
			withDate++
		}
	}
	t.Logf("%d mutations, %d with a date", n, withDate)
}
