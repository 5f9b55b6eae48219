package imagesig

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// fixCRCs recomputes the CRC of every complete chunk of a PNG, so that a mutation reaches
// the decoder's later stages instead of failing the CRC check.
func fixCRCs(d []byte) {
	for p := 8; p+12 <= len(d); {
		n := int(binary.BigEndian.Uint32(d[p:]))
		if n < 0 || p+12+n > len(d) {
			return
		}
		binary.BigEndian.PutUint32(d[p+8+n:], crc32.ChecksumIEEE(d[p+4:p+8+n]))
		p += 12 + n
	}
}

// mutate damages a copy of data: a truncation, or a few changed bytes.
func mutate(rng *rand.Rand, data []byte, png bool) []byte {
	d := bytes.Clone(data)
	if rng.Intn(4) == 0 {
		return d[:rng.Intn(len(d))]
	}
	for k := 1 + rng.Intn(3); k > 0; k-- {
		i := rng.Intn(len(d))
		if png && rng.Intn(2) == 0 && len(d) > 40 {
			i = len(d) - 13 - rng.Intn(min(60, len(d)-40)) // near the end of the image data
		}
		d[i] ^= byte(1 << rng.Intn(8))
	}
	if png && rng.Intn(4) != 0 {
		fixCRCs(d)
	}
	return d
}

// TestAgainstIdentify damages the fixtures in deterministic ways and checks that Sign
// agrees with ImageMagick on each result: the same signature, or both failing. It needs
// ImageMagick's identify and skips without it. FLICKRSYNC_IDENTIFY_MUTATIONS=N tries N
// damaged files instead of 160; FLICKRSYNC_IDENTIFY_KEEP=DIR keeps the files that disagree.
func TestAgainstIdentify(t *testing.T) {
	sharedtest.Identify(t)
	paths, err := filepath.Glob(filepath.Join("testdata", "*.*"))
	if err != nil {
		t.Fatal(err)
	}
	var srcs []string
	for _, p := range paths {
		if strings.HasSuffix(p, ".png") || strings.HasSuffix(p, ".gif") {
			srcs = append(srcs, p)
		}
	}
	rng := rand.New(rand.NewSource(20261125))
	dir := t.TempDir()
	n := 160
	if v, err := strconv.Atoi(os.Getenv("FLICKRSYNC_IDENTIFY_MUTATIONS")); err == nil && v > 0 {
		n = v // a deeper run, by hand
	}
	agree := 0
	for i := 0; i < n; i++ {
		src := srcs[rng.Intn(len(srcs))]
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		isPNG := strings.HasSuffix(src, ".png")
		path := filepath.Join(dir, fmt.Sprintf("m%03d%s", i, filepath.Ext(src)))
		if err := os.WriteFile(path, mutate(rng, data, isPNG), 0o644); err != nil {
			t.Fatal(err)
		}
		want, err := identifySignature(path)
		if err != nil {
			t.Fatal(err)
		}
		got := "ERROR"
		res, err := SignFile(context.Background(), path, Options{})
		if err == nil {
			got = res.Signature
		}
		if got != want {
			t.Errorf("mutation %d of %s: got %.16s (%v), ImageMagick %.16s", i, src, got, err, want)
			if keep := os.Getenv("FLICKRSYNC_IDENTIFY_KEEP"); keep != "" {
				b, _ := os.ReadFile(path)
				os.WriteFile(filepath.Join(keep, filepath.Base(path)), b, 0o644)
			}
			continue
		}
		agree++
	}
	t.Logf("%d/%d damaged fixtures agree with ImageMagick", agree, n)
}
