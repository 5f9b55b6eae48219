package webp

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/png"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// The differential test: WebP files made here with libwebp's own tools (cwebp, img2webp,
// gif2webp, webpmux) and ffmpeg, from synthetic images and small corpus images, then cut
// short and damaged, each signed by us and by ImageMagick's identify: the same signature,
// or both failing.

// emptySHA256 is what identify prints for an image it read without pixels (a WebP
// animation libwebp's demuxer rejects): Wand's "decoded nothing", an error for us.
var emptySHA256 = hex.EncodeToString(sha256.New().Sum(nil))

// identifySign returns ImageMagick's signature of the last image of path, or ok false
// when it fails or reads no pixels.
func identifySign(identify, path string) (sig string, ok bool) {
	out, err := exec.Command(identify, "-format", "%#\n", path).Output()
	lines := strings.Fields(string(out))
	if err != nil || len(lines) == 0 || lines[len(lines)-1] == emptySHA256 {
		return "", false
	}
	return lines[len(lines)-1], true
}

// ourSign decodes data and returns the SHA-256 of what Decode wrote.
func ourSign(data []byte) (string, Info, error) {
	h := sha256.New()
	info, err := Decode(bytes.NewReader(data), h, Options{MaxPixels: 1 << 26})
	if err != nil {
		return "", info, err
	}
	return hex.EncodeToString(h.Sum(nil)), info, nil
}

// synthImage draws a deterministic test picture: smooth gradients with noise ("photo"),
// flat areas with hard edges ("graphic"), and for RGBA an alpha of gradients, holes and
// fully transparent areas.
func synthImage(w, h int, kind string, withAlpha bool, seed int64) image.Image {
	rng := rand.New(rand.NewSource(seed))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var r, g, b int
			switch kind {
			case "graphic":
				cell := (x/5 + y/3) % 4
				r, g, b = [4]int{250, 10, 40, 200}[cell], [4]int{30, 200, 40, 200}[cell], [4]int{20, 60, 240, 10}[cell]
				if (x+2*y)%11 == 0 {
					r, g, b = 0, 0, 0
				}
			default:
				r = 255 * x / max(1, w-1)
				g = 255 * y / max(1, h-1)
				b = 128 + (x*y)%97 - 48
				n := rng.Intn(41) - 20
				r, g, b = r+n, g-n, b+n/2
			}
			a := 255
			if withAlpha {
				switch {
				case (x/4+y/4)%5 == 0:
					a = 0
				case x > w/2:
					a = 255 * y / max(1, h-1)
				case (x+y)%7 == 0:
					a = 128
				}
			}
			img.Set(x, y, color.NRGBA{uint8(max(0, min(255, r))), uint8(max(0, min(255, g))), uint8(max(0, min(255, b))), uint8(a)})
		}
	}
	return img
}

func writePNG(t testing.TB, path string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeGIF writes an animation of n frames over a w x h screen, each a smaller moving
// rectangle with transparency and a disposal method.
func writeGIF(t testing.TB, path string, w, h, n int, seed int64) {
	t.Helper()
	g := &gif.GIF{Config: image.Config{Width: w, Height: h, ColorModel: color.Palette(palette.Plan9)}}
	for i := 0; i < n; i++ {
		fw, fh := max(1, w-3*i), max(1, h-2*i)
		x0, y0 := min(i*2, w-fw), min(i, h-fh)
		src := synthImage(fw, fh, []string{"photo", "graphic"}[i%2], false, seed+int64(i))
		pal := image.NewPaletted(image.Rect(x0, y0, x0+fw, y0+fh), palette.Plan9)
		for y := 0; y < fh; y++ {
			for x := 0; x < fw; x++ {
				pal.Set(x0+x, y0+y, src.At(x, y))
			}
		}
		if i%2 == 1 {
			pal.Palette = append(color.Palette{}, palette.Plan9...)
			pal.Palette[0] = color.NRGBA{}
		}
		g.Image = append(g.Image, pal)
		g.Delay = append(g.Delay, 8)
		g.Disposal = append(g.Disposal, []byte{gif.DisposalNone, gif.DisposalBackground, gif.DisposalPrevious}[i%3])
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// diffCase is one file to compare: a command that makes it from the sources, or bytes
// derived from another case's output.
type diffCase struct {
	name   string
	cmd    []string // run in the work directory; writes name
	stage  int      // commands run stage by stage: a later stage uses an earlier one's files
	derive func([]byte) []byte
	from   string // the case whose output derive changes
}

// cutAndPatch cuts data at n and rewrites the sizes of the RIFF header and of the chunks
// the cut falls in (an ANMF and the chunk inside it), so that the container is whole and
// only the bitstream is short.
func cutAndPatch(data []byte, n int) []byte {
	d := bytes.Clone(data[:n])
	if n < riffHeaderSize+chunkHeaderSize {
		return d
	}
	binary.LittleEndian.PutUint32(d[4:], uint32(n-8))
	patchChunks(d, riffHeaderSize, n)
	return d
}

func patchChunks(d []byte, pos, end int) {
	for pos+chunkHeaderSize <= end {
		size := int(binary.LittleEndian.Uint32(d[pos+4:]))
		next := pos + chunkHeaderSize + size + size&1
		if next >= end {
			binary.LittleEndian.PutUint32(d[pos+4:], uint32(end-pos-chunkHeaderSize))
			if string(d[pos:pos+4]) == "ANMF" && pos+chunkHeaderSize+anmfChunkSize < end {
				patchChunks(d, pos+chunkHeaderSize+anmfChunkSize, end)
			}
			return
		}
		pos = next
	}
}

// flipBytes damages a few bytes after the first 30 (the headers stay readable).
func flipBytes(seed int64) func([]byte) []byte {
	return func(data []byte) []byte {
		d := bytes.Clone(data)
		if len(d) <= 31 {
			return d
		}
		rng := rand.New(rand.NewSource(seed))
		for k := 1 + rng.Intn(3); k > 0; k-- {
			d[30+rng.Intn(len(d)-30)] ^= byte(1 << rng.Intn(8))
		}
		return d
	}
}

// TestAgainstIdentify makes WebP files of every kind and checks that Decode agrees with
// ImageMagick on each. FLICKRSYNC_WEBP_CASES=N widens the random part to N variants
// (default 120); FLICKRSYNC_IDENTIFY_KEEP=DIR keeps the files that disagree.
func TestAgainstIdentify(t *testing.T) {
	identify := sharedtest.Identify(t)
	tools := map[string]string{}
	for _, tool := range []string{"cwebp", "img2webp", "gif2webp", "webpmux"} {
		tools[tool] = sharedtest.Tool(t, tool, "webp")
	}
	tools["ffmpeg"] = sharedtest.Tool(t, "ffmpeg", "ffmpeg")
	tools["python3"] = sharedtest.Tool(t, "python3", "python3")
	dir := t.TempDir()
	cases := buildCases(t, dir, tools)
	// Make the files, in parallel within a stage.
	outputs := make(map[string][]byte)
	var mu sync.Mutex
	for stage := 0; stage <= 1; stage++ {
		parallel(len(cases), func(i int) {
			c := cases[i]
			if c.cmd == nil || c.stage != stage {
				return
			}
			cmd := exec.Command(c.cmd[0], c.cmd[1:]...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: %v: %s", strings.Join(c.cmd, " "), err, out)
				return
			}
			data, err := os.ReadFile(filepath.Join(dir, c.name))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			outputs[c.name] = data
			mu.Unlock()
		})
	}
	for _, c := range cases {
		if c.derive != nil {
			if src, ok := outputs[c.from]; ok {
				outputs[c.name] = c.derive(src)
				if err := os.WriteFile(filepath.Join(dir, c.name), outputs[c.name], 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	type result struct {
		name, want, got string
		wantOK          bool
		err             error
	}
	results := make([]result, len(cases))
	parallel(len(cases), func(i int) {
		c := cases[i]
		data, ok := outputs[c.name]
		if !ok {
			return
		}
		want, wantOK := identifySign(identify, filepath.Join(dir, c.name))
		got, _, err := ourSign(data)
		results[i] = result{name: c.name, want: want, wantOK: wantOK, got: got, err: err}
	})
	keep := os.Getenv("FLICKRSYNC_IDENTIFY_KEEP")
	compared, failures, signed := 0, 0, 0
	for _, r := range results {
		if r.name == "" {
			continue
		}
		compared++
		var why string
		switch {
		case r.wantOK && r.err != nil:
			why = "ImageMagick signs " + r.want + ", we fail: " + r.err.Error()
		case !r.wantOK && r.err == nil:
			why = "ImageMagick fails, we sign " + r.got
		case r.wantOK && r.got != r.want:
			why = "signature " + r.got + ", ImageMagick " + r.want
		case !r.wantOK:
			var fe FormatError
			var ue UnsupportedError
			if !errors.As(r.err, &fe) && !errors.As(r.err, &ue) {
				why = "failed with " + r.err.Error() + ", not a FormatError"
			}
			failures++
		default:
			signed++
		}
		if why != "" {
			t.Errorf("%s: %s", r.name, why)
			if keep != "" {
				os.WriteFile(filepath.Join(keep, r.name), outputs[r.name], 0o644)
			}
		}
	}
	t.Logf("%d files compared with identify: %d signed alike, %d refused by both", compared, signed, failures)
}

// parallel runs f(0..n-1) on GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// buildCases writes the source images into dir and lists the files to make.
func buildCases(t *testing.T, dir string, tools map[string]string) []diffCase {
	var cases []diffCase
	add := func(name string, cmd ...string) {
		cases = append(cases, diffCase{name: name, cmd: cmd})
	}
	derive := func(name, from string, f func([]byte) []byte) {
		cases = append(cases, diffCase{name: name, from: from, derive: f})
	}
	cwebp := func(name, src string, opts ...string) {
		args := append([]string{tools["cwebp"], "-quiet"}, opts...)
		add(name, append(args, src, "-o", name)...)
	}
	sizes := [][2]int{{1, 1}, {2, 3}, {7, 5}, {16, 16}, {17, 9}, {31, 13}, {33, 47}, {64, 48}, {129, 67}, {250, 190}}
	var sources []string
	for i, sz := range sizes {
		for _, kind := range []string{"photo", "graphic"} {
			for _, a := range []bool{false, true} {
				name := fmt.Sprintf("src-%dx%d-%s-%v.png", sz[0], sz[1], kind, a)
				writePNG(t, filepath.Join(dir, name), synthImage(sz[0], sz[1], kind, a, int64(i)))
				sources = append(sources, name)
			}
		}
	}
	// Small corpus pictures of every PNG and JPEG kind cwebp reads.
	for _, r := range sharedtest.CorpusIfPresent(t) {
		ext := strings.ToLower(filepath.Ext(r.File))
		if r.WantsError() || r.Bytes > 200<<10 || r.Width*r.Height > 400*400 || (ext != ".png" && ext != ".jpg") {
			continue
		}
		if !strings.Contains(r.Category, "png") && !strings.Contains(r.Category, "jpeg-420") {
			continue
		}
		name := "corpus-" + strconv.Itoa(len(sources)) + ext
		data, err := os.ReadFile(r.Path())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		sources = append(sources, name)
	}
	// Every size and kind, lossy and lossless with defaults.
	for i, src := range sources {
		if i >= 40 && i%3 != 0 {
			continue
		}
		cwebp(fmt.Sprintf("lossy-%d.webp", i), src)
		cwebp(fmt.Sprintf("lossless-%d.webp", i), src, "-lossless")
	}
	// Targeted options on one photo and one alpha picture.
	photo, alphaSrc := "src-129x67-photo-false.png", "src-33x47-photo-true.png"
	for _, o := range [][]string{
		{"-q", "0"}, {"-q", "100"}, {"-q", "30", "-m", "0"}, {"-m", "6", "-q", "90"}, {"-sharp_yuv"},
		{"-f", "0"}, {"-f", "100", "-sharpness", "7"}, {"-nostrong", "-f", "80"}, {"-strong", "-f", "40", "-sharpness", "3"},
		{"-segments", "1"}, {"-sns", "100"}, {"-af"}, {"-pass", "6"}, {"-preset", "text"}, {"-preset", "icon"},
		{"-lossless", "-z", "0"}, {"-lossless", "-z", "9"}, {"-lossless", "-q", "0", "-m", "0"},
		{"-near_lossless", "20"}, {"-near_lossless", "60"}, {"-hint", "graph", "-lossless"},
	} {
		name := "opt" + strings.ReplaceAll(strings.Join(o, ""), "-", "_") + ".webp"
		cwebp(name, photo, o...)
	}
	for _, o := range [][]string{
		{"-alpha_q", "0"}, {"-alpha_q", "50"}, {"-alpha_q", "100"}, {"-alpha_method", "0"},
		{"-alpha_filter", "none"}, {"-alpha_filter", "fast"}, {"-alpha_filter", "best"},
		{"-alpha_method", "0", "-alpha_filter", "best"}, {"-alpha_q", "20", "-alpha_filter", "fast"},
		{"-exact"}, {"-noalpha"}, {"-lossless", "-exact"}, {"-lossless", "-z", "9", "-exact"},
		{"-near_lossless", "40", "-exact"}, {"-sharp_yuv", "-q", "95"}, {"-blend_alpha", "0xff8000"},
	} {
		name := "alpha" + strings.ReplaceAll(strings.Join(o, ""), "-", "_") + ".webp"
		cwebp(name, alphaSrc, o...)
	}
	// Random combinations over all sources.
	n := 120
	if v, err := strconv.Atoi(os.Getenv("FLICKRSYNC_WEBP_CASES")); err == nil && v > 0 {
		n = v
	}
	rng := rand.New(rand.NewSource(20261203))
	for i := 0; i < n; i++ {
		src := sources[rng.Intn(len(sources))]
		var o []string
		if rng.Intn(3) == 0 {
			o = append(o, "-lossless", "-z", strconv.Itoa(rng.Intn(10)))
			if rng.Intn(3) == 0 {
				o = append(o, "-near_lossless", strconv.Itoa(rng.Intn(100)))
			}
		} else {
			o = append(o, "-q", strconv.Itoa(rng.Intn(101)), "-m", strconv.Itoa(rng.Intn(7)),
				"-f", strconv.Itoa(rng.Intn(101)), "-sharpness", strconv.Itoa(rng.Intn(8)),
				"-segments", strconv.Itoa(1+rng.Intn(4)), "-sns", strconv.Itoa(rng.Intn(101)))
			if rng.Intn(2) == 0 {
				o = append(o, "-nostrong")
			}
			if rng.Intn(3) == 0 {
				o = append(o, "-sharp_yuv")
			}
			o = append(o, "-alpha_q", strconv.Itoa(rng.Intn(101)), "-alpha_method", strconv.Itoa(rng.Intn(2)),
				"-alpha_filter", []string{"none", "fast", "best"}[rng.Intn(3)])
		}
		if rng.Intn(4) == 0 {
			o = append(o, "-exact")
		}
		cwebp(fmt.Sprintf("random-%d.webp", i), src, o...)
	}
	// ffmpeg's libwebp encoders.
	add("ffmpeg-lossy.webp", tools["ffmpeg"], "-v", "error", "-y", "-i", photo, "-c:v", "libwebp", "-quality", "40", "ffmpeg-lossy.webp")
	add("ffmpeg-lossless.webp", tools["ffmpeg"], "-v", "error", "-y", "-i", alphaSrc, "-c:v", "libwebp", "-lossless", "1", "ffmpeg-lossless.webp")
	writeGIF(t, filepath.Join(dir, "anim.gif"), 40, 30, 5, 7)
	add("ffmpeg-anim.webp", tools["ffmpeg"], "-v", "error", "-y", "-i", "anim.gif", "-c:v", "libwebp_anim", "-loop", "0", "ffmpeg-anim.webp")
	// Animations.
	add("gif2webp.webp", tools["gif2webp"], "-quiet", "anim.gif", "-o", "gif2webp.webp")
	add("gif2webp-lossy.webp", tools["gif2webp"], "-quiet", "-lossy", "-q", "50", "anim.gif", "-o", "gif2webp-lossy.webp")
	add("gif2webp-mixed.webp", tools["gif2webp"], "-quiet", "-mixed", "anim.gif", "-o", "gif2webp-mixed.webp")
	frames := make([]string, 4)
	for i := range frames {
		frames[i] = fmt.Sprintf("frame-%d.png", i)
		img := synthImage(48, 36, "photo", i%2 == 1, 100).(*image.NRGBA)
		// Change only part of the picture from frame to frame, so that the encoder
		// writes sub-rectangles with offsets.
		for y := 10; y < 20; y++ {
			for x := 8 * i; x < 8*i+12; x++ {
				img.Set(x, y, color.NRGBA{uint8(60 * i), 200, 30, 255})
			}
		}
		writePNG(t, filepath.Join(dir, frames[i]), img)
	}
	add("img2webp-lossless.webp", append([]string{tools["img2webp"], "-loop", "0"}, append(frames, "-o", "img2webp-lossless.webp")...)...)
	add("img2webp-lossy.webp", append([]string{tools["img2webp"], "-lossy", "-q", "60"}, append(frames, "-o", "img2webp-lossy.webp")...)...)
	add("img2webp-mixed.webp", tools["img2webp"], "-mixed", "-d", "50", frames[0], "-lossy", frames[1], "-lossless", frames[2], "-lossy", "-q", "10", frames[3], "-o", "img2webp-mixed.webp")
	add("img2webp-kmax.webp", append([]string{tools["img2webp"], "-kmin", "1", "-kmax", "2", "-lossy"}, append(frames, "-o", "img2webp-kmax.webp")...)...)
	// webpmux: explicit offsets, blending and disposal, and a single frame at an offset
	// (ImageMagick places the first frame on the canvas).
	cwebp("mux-a.webp", "src-17x9-photo-true.png", "-q", "70")
	cwebp("mux-b.webp", "src-31x13-graphic-false.png", "-lossless")
	cwebp("mux-c.webp", "src-7x5-photo-true.png", "-lossless", "-exact")
	mux := func(name string, frames ...string) {
		args := []string{tools["webpmux"]}
		for _, f := range frames {
			args = append(args, "-frame")
			args = append(args, strings.Fields(f)...)
		}
		add(name, append(args, "-loop", "0", "-o", name)...)
		cases[len(cases)-1].stage = 1 // after the frames it assembles
	}
	mux("mux-single-offset.webp", "mux-a.webp +100+10+6+0+b")
	mux("mux-single-origin.webp", "mux-b.webp +100+0+0+1-b")
	mux("mux-three.webp", "mux-b.webp +100+0+0+0+b", "mux-a.webp +50+4+2+1-b", "mux-c.webp +70+20+8+0+b")
	mux("mux-last-lossy-alpha.webp", "mux-c.webp +100+2+2+1+b", "mux-a.webp +100+0+0+0-b")
	// Several token partitions, which only libwebp's API writes (testdata/encode_partitions.py).
	script, err := filepath.Abs(filepath.Join("testdata", "encode_partitions.py"))
	if err != nil {
		t.Fatal(err)
	}
	for i, sz := range [][2]int{{1, 1}, {5, 40}, {48, 17}, {97, 61}, {160, 130}} {
		for _, alpha := range []bool{false, true} {
			raw := fmt.Sprintf("raw-%d-%v.rgba", i, alpha)
			img := synthImage(sz[0], sz[1], []string{"photo", "graphic"}[i%2], alpha, int64(i)).(*image.NRGBA)
			if err := os.WriteFile(filepath.Join(dir, raw), img.Pix, 0o644); err != nil {
				t.Fatal(err)
			}
			for p := 1; p <= 3; p++ {
				q := []int{5, 50, 95}[(i+p)%3]
				name := fmt.Sprintf("parts%d-%d-%v.webp", p, i, alpha)
				add(name, tools["python3"], script, strconv.Itoa(sz[0]), strconv.Itoa(sz[1]), strconv.Itoa(p), strconv.Itoa(q), raw, name)
			}
		}
	}
	// The last bytes cut off, sizes patched: where libwebp meets the end of a partition
	// or of a lossless stream decides whether it refuses the file.
	for _, from := range []string{"lossy-9.webp", "lossless-9.webp", "lossless-21.webp", "alpha_lossless_exact.webp",
		"parts3-3-false.webp", "parts2-4-true.webp", "alpha_alpha_q50.webp", "opt_q100.webp"} {
		for _, k := range []int{1, 2, 3, 4, 5, 7, 9, 16} {
			derive(fmt.Sprintf("tail%d-%s", k, from), from, func(d []byte) []byte { return cutAndPatch(d, len(d)-k) })
		}
	}
	// Cuts and damage of some of the files above.
	for _, from := range []string{"lossy-9.webp", "lossless-9.webp", "alpha_alpha_q50.webp", "alpha_alpha_method0.webp",
		"img2webp-mixed.webp", "gif2webp-lossy.webp", "opt_q100.webp", "mux-three.webp", "alpha_lossless_exact.webp",
		"parts3-4-true.webp", "parts2-2-false.webp"} {
		for k, frac := range []float64{0.3, 0.6, 0.9, 0.98} {
			derive(fmt.Sprintf("cut%d-%s", k, from), from, func(d []byte) []byte { return d[:int(float64(len(d))*frac)] })
			derive(fmt.Sprintf("cutpatch%d-%s", k, from), from, func(d []byte) []byte { return cutAndPatch(d, int(float64(len(d))*frac)) })
		}
		for k := 0; k < max(4, n/30); k++ {
			derive(fmt.Sprintf("flip%d-%s", k, from), from, flipBytes(int64(k)))
		}
	}
	return cases
}
