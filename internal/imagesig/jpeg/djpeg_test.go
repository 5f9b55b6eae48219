package jpeg

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestAgainstDjpeg is a differential test against libjpeg-turbo itself: small random
// pictures, compressed by cjpeg with random options (sampling factors, progressive,
// arithmetic, restarts, grayscale, smoothing), some truncated, some with corrupted bytes in
// the entropy-coded data, must decode to djpeg's pixels (djpeg -rgb, which is what ImageMagick
// signs for these files). The only accepted disagreement: we fail where ImageMagick's own
// marker handlers fail on a corrupt segment length running past EOF, which djpeg skips.
// Skipped without cjpeg/djpeg or in -short mode.
func TestAgainstDjpeg(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode")
	}
	for _, tool := range []string{"cjpeg", "djpeg"} {
		sharedtest.Tool(t, tool, "libjpeg-turbo-progs")
	}
	dir := t.TempDir()
	rnd := rand.New(rand.NewSource(20261125))
	samplings := []string{"1x1", "2x1", "1x2", "2x2", "4x1", "1x4", "3x1", "1x3", "4x2", "2x4",
		"2x2,1x2,1x2", "2x1,1x1,2x1", "1x1,2x2,2x2", "2x2,2x1,1x2", "4x2,2x1,1x1"}
	compared := 0
	for i := 0; i < 120; i++ {
		w, h := 1+rnd.Intn(70), 1+rnd.Intn(70)
		ppm := filepath.Join(dir, "in.ppm")
		if err := os.WriteFile(ppm, randomPPM(rnd, w, h), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"-quality", fmt.Sprint([]int{5, 30, 50, 75, 90, 100}[rnd.Intn(6)]),
			"-sample", samplings[rnd.Intn(len(samplings))]}
		for _, opt := range []struct {
			p    float64
			args []string
		}{
			{0.4, []string{"-progressive"}}, {0.3, []string{"-arithmetic"}},
			{0.3, []string{"-restart", []string{"1", "2", "1B", "3B"}[rnd.Intn(4)]}},
			{0.2, []string{"-grayscale"}}, {0.2, []string{"-optimize"}}, {0.2, []string{"-smooth", "30"}},
		} {
			if rnd.Float64() < opt.p {
				args = append(args, opt.args...)
			}
		}
		data, err := exec.Command("cjpeg", append(args, ppm)...).Output()
		if err != nil {
			continue
		}
		mode := rnd.Intn(3) // 0 intact, 1 truncated, 2 corrupted
		if mode == 1 && len(data) > 300 {
			data = data[:200+rnd.Intn(len(data)-201)]
		} else if mode == 2 {
			data = corruptEntropy(rnd, data)
		}
		jpg := filepath.Join(dir, fmt.Sprintf("t%d.jpg", i))
		if err := os.WriteFile(jpg, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		cmd := exec.Command("djpeg", "-rgb", "-ppm", jpg)
		cmd.Stdout = &out
		err = cmd.Run()
		if ee, ok := err.(*exec.ExitError); (err != nil && !ok) || (ok && ee.ExitCode() != 2) || out.Len() == 0 {
			continue // djpeg failed: nothing to compare
		}
		pix := out.Bytes()
		for n := 0; n < 3; n++ { // P6, size, maxval lines
			pix = pix[bytes.IndexByte(pix, '\n')+1:]
		}
		sum := sha256.Sum256(pix)
		want := hex.EncodeToString(sum[:])
		got, _, err := decodeBytes(data)
		if err != nil && strings.Contains(err.Error(), "insufficient image data") && mode == 2 {
			t.Logf("%s (%v, mode %d): %v (ImageMagick's marker handlers fail here too)", jpg, args, mode, err)
			continue
		}
		compared++
		if err != nil || got != want {
			keep := filepath.Join(os.TempDir(), fmt.Sprintf("jpeg-djpeg-mismatch-%d.jpg", i))
			os.WriteFile(keep, data, 0o644)
			t.Errorf("case %d %v %dx%d mode %d: got %s %v, djpeg %s (kept as %s)", i, args, w, h, mode, got, err, want, keep)
		}
	}
	t.Logf("%d files compared with djpeg", compared)
	if compared < 40 {
		t.Errorf("only %d comparisons", compared)
	}
}

func randomPPM(rnd *rand.Rand, w, h int) []byte {
	b := []byte(fmt.Sprintf("P6\n%d %d\n255\n", w, h))
	mode := rnd.Intn(3)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			switch mode {
			case 0:
				b = append(b, byte(rnd.Intn(256)), byte(rnd.Intn(256)), byte(rnd.Intn(256)))
			case 1:
				b = append(b, byte(x*7+y*3), byte(x*x+y), byte(y*5))
			default:
				v := 128 + 100*(((x/3+y/4)%2)*2-1) + rnd.Intn(41) - 20
				b = append(b, byte(min(max(v, 0), 255)), byte(x*255/max(w-1, 1)), byte(y*255/max(h-1, 1)))
			}
		}
	}
	return b
}

// corruptEntropy overwrites a few bytes after the first SOS header.
func corruptEntropy(rnd *rand.Rand, data []byte) []byte {
	b := bytes.Clone(data)
	sos := bytes.Index(b, []byte{0xFF, 0xDA})
	lo := sos + 20
	if sos < 0 || lo >= len(b)-3 {
		return b
	}
	for n := 1 + rnd.Intn(6); n > 0; n-- {
		p := lo + rnd.Intn(len(b)-3-lo)
		b[p] = []byte{0xFF, 0x00, byte(rnd.Intn(256)), byte(0xD0 + rnd.Intn(8))}[rnd.Intn(4)]
	}
	return b
}
