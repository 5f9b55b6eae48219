package jpeg

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// decodeWork decodes data and returns the blocks its scans decoded (not skipped).
func decodeWork(t *testing.T, data []byte, opts Options) (int64, string, error) {
	t.Helper()
	h := sha256.New()
	d := newDecoder(context.Background(), bytes.NewReader(data), opts, true)
	_, err := d.run(bytes.NewReader(data), h, false)
	return d.arithWork, hex.EncodeToString(h.Sum(nil)), err
}

// TestArithEmptyScansCostTheirData: 100 arithmetic-coded scans of nothing over 900
// megapixels cost 97 s, every block of every scan decoded from the zeros libjpeg feeds
// after a marker (or from a few real zero bytes). Their end-of-block runs are now computed:
// the scans decode the DC scan's blocks and hardly more, in one pass and in bands alike.
func TestArithEmptyScansCostTheirData(t *testing.T) {
	const side = 2048
	blocks := int64(side / 8 * side / 8)
	for _, spec := range []hostileScans{
		{scans: 100, arith: true},
		{scans: 100, arith: true, zeros: 64},
		{scans: 100, arith: true, dri: 5000},
	} {
		spec.w, spec.h = side, side
		t.Run(fmt.Sprintf("zeros %d restart %d", spec.zeros, spec.dri), func(t *testing.T) {
			data := spec.encode()
			work, sum, err := decodeWork(t, data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if work > blocks*5/4 {
				t.Errorf("the scans decoded %d blocks, %.1f passes over the image's %d", work, float64(work)/float64(blocks), blocks)
			}
			banded, bsum, err := decodeWork(t, data, Options{MaxBandBytes: 1 << 20})
			if err != nil || bsum != sum || banded != work {
				t.Errorf("in bands: %d blocks, %s, %v; in one pass %d blocks, %s", banded, bsum, err, work, sum)
			}
		})
	}
}

// TestArithRunMakesTheDecisions checks arithRun against the decisions it stands for, made
// one by one, from random coder states: the same count, the same registers and bin after.
func TestArithRunMakesTheDecisions(t *testing.T) {
	rng := rand.New(rand.NewSource(20261203))
	for i := 0; i < 4000; i++ {
		data := make([]byte, 4096)
		for j := range data {
			switch rng.Intn(4) {
			case 0:
				data[j] = byte(rng.Intn(256))
			default:
				data[j] = 0 // long runs, as in real tails
			}
		}
		data = append(data, 0xFF, 0xD9)
		st0 := uint8(rng.Intn(114))
		if rng.Intn(2) == 0 {
			st0 |= 0x80
		}
		a := 0x8000 + int64(rng.Intn(0x8001))
		ct := rng.Intn(8)
		c := int64(0)
		if rng.Intn(3) != 0 {
			c = rng.Int63n(a << uint(ct))
		}
		marker := 0
		if rng.Intn(3) == 0 {
			marker = 0xD9
		}
		n := 1 + rng.Intn(200000)
		mk := func() *decoder {
			d := newDecoder(context.Background(), bytes.NewReader(data), Options{}, false)
			d.arithState.a, d.arithState.c, d.arithState.ct = a, c, ct
			d.unreadMarker = marker
			return d
		}
		fast, slow := mk(), mk()
		stFast, stSlow := st0, st0
		got := fast.arithRun(&stFast, n)
		want := 0
		for want < n {
			if slow.arithState.a < 0x8000 {
				slow.arithRenorm()
			}
			if stSlow>>7 != 1 || slow.arithPeek(&stSlow) != 1 {
				break
			}
			if slow.arithDecodeBit(&stSlow) != 1 {
				t.Fatalf("case %d: arithPeek said 1, arithDecodeBit 0", i)
			}
			want++
		}
		fe, se := fast.arithState, slow.arithState
		if got != want || stFast != stSlow || fe.a != se.a || fe.c != se.c || fe.ct != se.ct || fast.unreadMarker != slow.unreadMarker {
			t.Fatalf("case %d (st %#x a %#x c %#x ct %d, n %d): run %d st %#x a %#x c %#x ct %d; decisions %d st %#x a %#x c %#x ct %d",
				i, st0, a, c, ct, n, got, stFast, fe.a, fe.c, fe.ct, want, stSlow, se.a, se.c, se.ct)
		}
	}
}

// TestArithQuietRunsAgainstDjpeg compares, with djpeg, arithmetic-coded pictures whose
// flat parts end every scan with long end-of-block runs decoded from the zeros after the
// data (the encoder drops its final zero bytes): progressive and sequential, with and
// without restarts, whole, truncated and with bytes corrupted, in one pass and in bands.
func TestArithQuietRunsAgainstDjpeg(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode")
	}
	for _, tool := range []string{"cjpeg", "djpeg"} {
		sharedtest.Tool(t, tool, "libjpeg-turbo-progs")
	}
	dir := t.TempDir()
	rnd := rand.New(rand.NewSource(20261204))
	compared, badCode := 0, 0
	for i := 0; i < 40; i++ {
		w, h := 64+rnd.Intn(400), 64+rnd.Intn(400)
		ppm := filepath.Join(dir, "in.ppm")
		if err := os.WriteFile(ppm, flatPPM(rnd, w, h), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"-arithmetic", "-quality", fmt.Sprint(30 + rnd.Intn(70))}
		if i%4 != 3 {
			args = append(args, "-progressive")
		}
		if i%3 == 1 {
			args = append(args, "-restart", fmt.Sprint(1+rnd.Intn(4)))
		}
		if i%5 == 2 {
			args = append(args, "-grayscale")
		}
		whole, err := exec.Command("cjpeg", append(args, ppm)...).Output()
		if err != nil {
			t.Fatalf("cjpeg %v: %v", args, err)
		}
		variants := [][]byte{whole, whole[:len(whole)/2+rnd.Intn(len(whole)/2)]}
		for j := 0; j < 3; j++ {
			variants = append(variants, corruptEntropy(rnd, whole))
		}
		for j, data := range variants {
			jpg := filepath.Join(dir, fmt.Sprintf("q%d-%d.jpg", i, j))
			want, ok := djpegSum(t, jpg, data)
			if !ok {
				continue
			}
			for _, band := range []int64{0, 1} {
				got, info, err := decodeBytesWith(data, Options{MaxBandBytes: band})
				var unsupported UnsupportedError
				if band == 1 && errors.As(err, &unsupported) {
					continue // a damaged image that the banded decode refuses
				}
				if j >= 2 && err != nil && strings.Contains(err.Error(), "insufficient image data") {
					continue // ImageMagick's marker handlers fail here too (TestAgainstDjpeg)
				}
				if err != nil || got != want {
					t.Errorf("%s %v (bands of %d bytes): got %s %v, djpeg %s", jpg, args, band, got, err, want)
				}
				if band == 0 && slices.Contains(info.Warnings, "Corrupt JPEG data: bad arithmetic code") {
					badCode++
				}
			}
			compared++
		}
	}
	if compared < 120 || badCode < 5 {
		t.Errorf("%d comparisons, %d with a bad arithmetic code", compared, badCode)
	}
}

// djpegSum writes data to path and returns the SHA-256 of the pixels djpeg decodes, and
// whether it decoded any.
func djpegSum(t *testing.T, path string, data []byte) (string, bool) {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command("djpeg", "-rgb", "-ppm", path)
	cmd.Stdout = &out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); (err != nil && !ok) || (ok && ee.ExitCode() != 2) || out.Len() == 0 {
		return "", false
	}
	pix := out.Bytes()
	for n := 0; n < 3; n++ {
		pix = pix[bytes.IndexByte(pix, '\n')+1:]
	}
	sum := sha256.Sum256(pix)
	return hex.EncodeToString(sum[:]), true
}

// flatPPM is a picture in its top part and flat colour (or a gentle ramp) below.
func flatPPM(rnd *rand.Rand, w, h int) []byte {
	b := []byte(fmt.Sprintf("P6\n%d %d\n255\n", w, h))
	split := rnd.Intn(h / 2)
	flat := [3]byte{byte(rnd.Intn(256)), byte(rnd.Intn(256)), byte(rnd.Intn(256))}
	ramp := rnd.Intn(2) == 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			switch {
			case y < split:
				b = append(b, byte(x*7+y*3+rnd.Intn(9)), byte(x*x+y), byte(y*5))
			case ramp:
				b = append(b, flat[0], byte(x*255/w), flat[2])
			default:
				b = append(b, flat[0], flat[1], flat[2])
			}
		}
	}
	return b
}
