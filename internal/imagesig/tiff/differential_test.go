package tiff

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestDifferentialIdentify generates TIFFs with convert and tiffcp (compressions,
// predictors, tiles, planar configuration, bit depths, photometric interpretations, alpha,
// byte orders, several pages), then truncated and corrupted copies of some of them, and
// compares each with identify: where identify fails the decoder must fail, elsewhere the
// signatures of the last page must be equal.
func TestDifferentialIdentify(t *testing.T) {
	if testing.Short() {
		t.Skip("differential test: not in -short")
	}
	identify := sharedtest.Identify(t)
	convert := sharedtest.Tool(t, "convert", "imagemagick")
	tiffcp := sharedtest.Tool(t, "tiffcp", "libtiff-tools")
	dir := t.TempDir()
	run := func(name string, args ...string) error {
		out, err := exec.Command(name, args...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s %s: %v: %s", filepath.Base(name), strings.Join(args, " "), err, out)
		}
		return nil
	}
	// Base images: a photo-like one with colour and detail, and one with alpha.
	rose := filepath.Join(dir, "rose.png")
	alpha := filepath.Join(dir, "alpha.png")
	if err := run(convert, "rose:", "-resize", "61x37!", rose); err != nil {
		t.Fatal(err)
	}
	if err := run(convert, "-size", "45x29", "gradient:#ff000080-#0000ffff", "-define", "png:color-type=6", alpha); err != nil {
		t.Fatal(err)
	}
	type gen struct {
		name string
		args []string // convert arguments between input and output
		src  string
	}
	var gens []gen
	for _, c := range []string{"None", "LZW", "Zip", "RLE", "JPEG", "LZMA"} {
		gens = append(gens, gen{"rgb-" + c, []string{"-compress", c}, rose})
	}
	gens = append(gens,
		gen{"rgb-lzw-pred2", []string{"-compress", "LZW", "-define", "tiff:predictor=2"}, rose},
		gen{"rgb-zip-pred2-msb", []string{"-compress", "Zip", "-define", "tiff:predictor=2", "-endian", "MSB"}, rose},
		gen{"rgb16-lzw-pred2", []string{"-depth", "16", "-compress", "LZW", "-define", "tiff:predictor=2"}, rose},
		gen{"rgb16-msb", []string{"-depth", "16", "-endian", "MSB"}, rose},
		gen{"rgb-tiled", []string{"-define", "tiff:tile-geometry=16x16", "-compress", "Zip"}, rose},
		gen{"rgb-tiled-jpeg", []string{"-define", "tiff:tile-geometry=32x32", "-compress", "JPEG"}, rose},
		gen{"rgb-planar", []string{"-interlace", "plane", "-compress", "LZW"}, rose},
		gen{"rgb-planar16", []string{"-interlace", "plane", "-depth", "16"}, rose},
		gen{"rgb-rows3", []string{"-define", "tiff:rows-per-strip=3", "-compress", "RLE"}, rose},
		gen{"gray8", []string{"-colorspace", "gray", "-compress", "LZW"}, rose},
		gen{"gray4", []string{"-colorspace", "gray", "-depth", "4"}, rose},
		gen{"gray2", []string{"-colorspace", "gray", "-depth", "2"}, rose},
		gen{"gray12", []string{"-colorspace", "gray", "-depth", "12"}, rose},
		gen{"gray16-zip", []string{"-colorspace", "gray", "-depth", "16", "-compress", "Zip"}, rose},
		gen{"gray32", []string{"-colorspace", "gray", "-depth", "32"}, rose},
		gen{"gray-float", []string{"-colorspace", "gray", "-define", "quantum:format=floating-point", "-depth", "32"}, rose},
		gen{"rgb-float-pred3", []string{"-define", "quantum:format=floating-point", "-depth", "32", "-compress", "Zip", "-define", "tiff:predictor=3"}, rose},
		gen{"rgb-half", []string{"-define", "quantum:format=floating-point", "-depth", "16"}, rose},
		gen{"rgb-double", []string{"-define", "quantum:format=floating-point", "-depth", "64"}, rose},
		gen{"bilevel", []string{"-monochrome"}, rose},
		gen{"bilevel-g4", []string{"-monochrome", "-compress", "Group4"}, rose},
		gen{"bilevel-g3", []string{"-monochrome", "-compress", "Fax"}, rose},
		gen{"miniswhite", []string{"-monochrome", "-define", "tiff:photometric=min-is-white"}, rose},
		gen{"gray-miniswhite8", []string{"-colorspace", "gray", "-define", "tiff:photometric=min-is-white"}, rose},
		gen{"palette", []string{"-colors", "16", "-type", "Palette"}, rose},
		gen{"palette-lzw", []string{"-colors", "200", "-type", "Palette", "-compress", "LZW"}, rose},
		gen{"cmyk", []string{"-colorspace", "CMYK"}, rose},
		gen{"cmyk-lzw16", []string{"-colorspace", "CMYK", "-depth", "16", "-compress", "LZW"}, rose},
		gen{"cmyk-jpeg", []string{"-colorspace", "CMYK", "-compress", "JPEG"}, rose},
		gen{"rgba", nil, alpha},
		gen{"rgba-assoc", []string{"-define", "tiff:alpha=associated"}, alpha},
		gen{"rgba-planar", []string{"-interlace", "plane", "-compress", "Zip"}, alpha},
		gen{"rgba16", []string{"-depth", "16"}, alpha},
		gen{"graya", []string{"-colorspace", "gray", "-type", "GrayscaleAlpha"}, alpha},
		gen{"ycbcr-jpeg-orient", []string{"-compress", "JPEG", "-orient", "bottom-left"}, rose},
		gen{"rgb-orient-rightbot", []string{"-orient", "right-bottom"}, rose},
	)
	var files []string
	for _, g := range gens {
		out := filepath.Join(dir, g.name+".tif")
		args := append([]string{g.src}, g.args...)
		if err := run(convert, append(args, out)...); err != nil {
			t.Logf("skip %s: %v", g.name, err)
			continue
		}
		files = append(files, out)
	}
	// Several pages, the last one smaller; and tiffcp's re-encodings.
	multi := filepath.Join(dir, "multi.tif")
	if err := run(convert, rose, "-compress", "LZW", "(", alpha, "-resize", "20x13!", ")", multi); err == nil {
		files = append(files, multi)
	}
	base := filepath.Join(dir, "rgb-None.tif")
	for i, opts := range [][]string{
		{"-c", "lzw:2"}, {"-c", "zip:2", "-t", "-w", "16", "-l", "32"}, {"-p", "separate", "-c", "packbits"},
		{"-r", "5", "-c", "none"}, {"-c", "jpeg:r:50", "-r", "16"}, {"-B", "-c", "lzw"}, {"-L", "-c", "zip"},
		{"-c", "lzma"}, {"-c", "lzw:2", "-t", "-w", "32", "-l", "16"}, {"-p", "separate", "-t", "-c", "lzw"},
	} {
		out := filepath.Join(dir, fmt.Sprintf("tiffcp%d.tif", i))
		if err := run(tiffcp, append(opts, base, out)...); err != nil {
			t.Logf("skip tiffcp %v: %v", opts, err)
			continue
		}
		files = append(files, out)
	}
	// CCITT variants of a bilevel image.
	bw := filepath.Join(dir, "bilevel-g4.tif")
	for i, opts := range [][]string{{"-c", "g3:2d"}, {"-c", "g3:1d:fill"}, {"-c", "none"}, {"-c", "g3:2d", "-f", "lsb2msb"}, {"-c", "g4", "-r", "7"}} {
		out := filepath.Join(dir, fmt.Sprintf("fax%d.tif", i))
		if err := run(tiffcp, append(opts, bw, out)...); err != nil {
			t.Logf("skip tiffcp %v: %v", opts, err)
			continue
		}
		files = append(files, out)
	}
	// Damage: cuts and flipped bytes.
	var damaged []string
	for _, name := range []string{"rgb-LZW", "rgb-Zip", "rgb-RLE", "rgb-JPEG", "bilevel-g4", "bilevel-g3", "fax0", "rgb-tiled",
		"rgb-planar", "gray16-zip", "rgb-None", "multi", "palette-lzw", "rgb-LZMA", "tiffcp1", "cmyk-jpeg"} {
		b, err := os.ReadFile(filepath.Join(dir, name+".tif"))
		if err != nil {
			continue
		}
		for _, frac := range []int{30, 60, 90, 99} {
			out := filepath.Join(dir, fmt.Sprintf("%s-cut%d.tif", name, frac))
			if err := os.WriteFile(out, b[:len(b)*frac/100], 0o644); err != nil {
				t.Fatal(err)
			}
			damaged = append(damaged, out)
		}
		for _, pos := range []int{len(b) / 9, 2 * len(b) / 9, len(b) / 3, 4 * len(b) / 9, len(b) / 2, 2 * len(b) / 3, 7 * len(b) / 9, 8 * len(b) / 9, 9, 20, len(b) - 30} {
			c := bytes.Clone(b)
			c[pos] ^= 0x5a
			out := filepath.Join(dir, fmt.Sprintf("%s-flip%d.tif", name, pos))
			if err := os.WriteFile(out, c, 0o644); err != nil {
				t.Fatal(err)
			}
			damaged = append(damaged, out)
		}
	}
	files = append(files, damaged...)
	if len(files) < 40 {
		t.Fatalf("only %d files generated", len(files))
	}
	compared, mismatched := 0, 0
	for _, path := range files {
		want, wantErr := identifyLast(identify, path)
		got, _, err := signFile(t, path)
		compared++
		name := filepath.Base(path)
		switch {
		case wantErr && err == nil:
			mismatched++
			t.Errorf("%s: identify fails, we give %s", name, got)
		case !wantErr && err != nil:
			mismatched++
			t.Errorf("%s: identify gives %s, we fail: %v", name, want, err)
		case !wantErr && got != want:
			mismatched++
			t.Errorf("%s: got %s, identify %s", name, got, want)
		}
	}
	t.Logf("compared %d files with identify (%d damaged), %d mismatched", compared, len(damaged), mismatched)
}

// identifyLast runs identify on every page and returns the last page's signature, or
// failed when identify reports an error (its exit status).
func identifyLast(identify, path string) (sig string, failed bool) {
	cmd := exec.Command(identify, "-format", "%[scene] %#\n", path)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	err := cmd.Run()
	lines := strings.Fields(strings.TrimSpace(stdout.String()))
	if err != nil || len(lines) < 2 {
		return "", true
	}
	return lines[len(lines)-1], false
}
