package isobmff

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// Opt-in switches of the differential test (ExifTool 13.58 is not installed in CI).
const (
	exiftoolEnv = "FLICKRSYNC_EXIFTOOL"        // path of ExifTool 13.58's exiftool script
	casesEnv    = "FLICKRSYNC_DIFF_CASES"      // how many random cases per family (default 150)
	keepEnv     = "FLICKRSYNC_DIFF_KEEP"       // a directory to keep the cases in
	seedEnv     = "FLICKRSYNC_DIFF_SEED"       // the generators' seed (default 1358)
	updateEnv   = "FLICKRSYNC_UPDATE_FIXTURES" // "1": rewrite testdata/fixtures from this run
	fixtureDir  = "testdata/fixtures"          // committed generated files and ExifTool's values
	fixtureMax  = 100 << 10                    // largest fixture committed
	perFamily   = 14                           // fixtures kept per family
)

// diffCase is one generated file.
type diffCase struct {
	family, name string
	data         []byte
}

// TestDifferentialExifTool signs generated files (synthetic movies and HEIF images with
// varied tables, box-aware mutations of them and of the media corpus, ffmpeg remuxes and
// heif-enc encodings) and compares everything with ExifTool 13.58 run on the same file.
// Opt-in: FLICKRSYNC_EXIFTOOL=/path/to/exiftool (a checkout of exiftool/exiftool at 13.58).
func TestDifferentialExifTool(t *testing.T) {
	script := os.Getenv(exiftoolEnv)
	if script == "" {
		t.Skipf("opt-in: set %s to ExifTool 13.58's exiftool script", exiftoolEnv)
	}
	ver, err := exec.Command("perl", script, "-ver").Output()
	if err != nil || strings.TrimSpace(string(ver)) != "13.58" {
		t.Fatalf("%s is not ExifTool 13.58: %q %v", script, ver, err)
	}
	n := 150
	if v, err := strconv.Atoi(os.Getenv(casesEnv)); err == nil && v > 0 {
		n = v
	}
	dir := os.Getenv(keepEnv)
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	seed := int64(13_58)
	if v, err := strconv.ParseInt(os.Getenv(seedEnv), 10, 64); err == nil {
		seed = v
	}
	cases := generateCases(t, n, seed, dir)

	results := make([]outcome, len(cases))
	var wg sync.WaitGroup
	next := make(chan int)
	ctx := context.Background()
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c := cases[i]
				path := filepath.Join(dir, c.name)
				ref, err := runExifTool(ctx, script, path)
				if err != nil {
					results[i] = outcome{c: c, why: []string{err.Error()}}
					continue
				}
				res, serr := Sign(ctx, bytes.NewReader(c.data), int64(len(c.data)))
				results[i] = outcome{c: c, ref: ref, why: compareReference(res, serr, ref)}
			}
		}()
	}
	for i := range cases {
		next <- i
	}
	close(next)
	wg.Wait()

	stats := map[string][3]int{} // cases, hashed by ExifTool, mismatches
	for _, o := range results {
		s := stats[o.c.family]
		s[0]++
		if o.ref.Hash != "" {
			s[1]++
		}
		if len(o.why) > 0 {
			s[2]++
			t.Errorf("%s (%s): %s", o.c.name, filepath.Join(dir, o.c.name), strings.Join(o.why, "; "))
		}
		stats[o.c.family] = s
	}
	fams := make([]string, 0, len(stats))
	for f := range stats {
		fams = append(fams, f)
	}
	sort.Strings(fams)
	total, bad := 0, 0
	for _, f := range fams {
		s := stats[f]
		total, bad = total+s[0], bad+s[2]
		t.Logf("%-16s %4d cases, %4d hashed by ExifTool, %d mismatches", f, s[0], s[1], s[2])
	}
	t.Logf("%d cases, %d mismatches", total, bad)

	if os.Getenv(updateEnv) == "1" && bad == 0 {
		writeFixtures(t, chooseFixtures(results))
	}
}

// outcome is a case with ExifTool's values and what differs from ours.
type outcome struct {
	c   diffCase
	ref reference
	why []string
}

// chooseFixtures keeps the first small cases of each generated family.
func chooseFixtures(rs []outcome) []outcome {
	var out []outcome
	kept := map[string]int{}
	for _, o := range rs {
		if strings.HasPrefix(o.c.family, "corpus") || len(o.c.data) > fixtureMax || kept[o.c.family] >= perFamily {
			continue
		}
		kept[o.c.family]++
		out = append(out, o)
	}
	return out
}

// writeFixtures replaces testdata/fixtures with the chosen cases and ExifTool's values.
func writeFixtures(t *testing.T, fx []outcome) {
	old, _ := filepath.Glob(filepath.Join(fixtureDir, "*"))
	for _, f := range old {
		os.Remove(f)
	}
	if err := os.MkdirAll(fixtureDir, 0o755); err != nil {
		t.Fatal(err)
	}
	var tsv strings.Builder
	tsv.WriteString("file\timagedatahash\twidth\theight\tduration\tcreatedate\tcreationdate\tcontentidentifier\n")
	for _, f := range fx {
		if err := os.WriteFile(filepath.Join(fixtureDir, f.c.name), f.c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		tsv.WriteString(f.c.name + "\t" + strings.Join(f.ref.fields(), "\t") + "\n")
	}
	if err := os.WriteFile(filepath.Join(fixtureDir, "expected.tsv"), []byte(tsv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d fixtures to %s", len(fx), fixtureDir)
}

// extFor names a generated file after its sniffed format.
func extFor(b []byte) string {
	switch Sniff(b[:min(len(b), SniffLen)]) {
	case FormatHEIC:
		return ".heic"
	case FormatAVIF:
		return ".avif"
	case FormatHEIF:
		return ".heif"
	case FormatMOV:
		return ".mov"
	case Format3GP, Format3G2:
		return ".3gp"
	case FormatM4V, FormatMP4:
		return ".mp4"
	}
	return ".bin"
}

// generateCases writes the cases into dir: per family n synthetic files or mutations.
func generateCases(t *testing.T, n int, seed int64, dir string) []diffCase {
	r := rand.New(rand.NewSource(seed))
	var cases []diffCase
	add := func(family string, b []byte) {
		c := diffCase{family: family, name: fmt.Sprintf("%s-%04d%s", family, len(cases), extFor(append(b, make([]byte, 8)...))), data: b}
		if err := os.WriteFile(filepath.Join(dir, c.name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	var synth [][]byte
	for i := 0; i < n; i++ {
		b := randomMovie(r)
		synth = append(synth, b)
		add("movie", b)
	}
	for i := 0; i < n; i++ {
		b := randomHEIF(r)
		synth = append(synth, b)
		add("heif", b)
	}
	for i := 0; i < n; i++ {
		add("mutant", mutate(r, synth[r.Intn(len(synth))]))
	}
	tools := toolCases(t, dir)
	for _, b := range tools {
		add("tool", b)
	}
	for i := 0; i < n/3 && len(tools) > 0; i++ {
		add("tool-mutant", mutate(r, tools[r.Intn(len(tools))]))
	}
	if d, ok := sharedtest.Lookup(); ok {
		if rows, err := sharedtest.ReadMedia(filepath.Join(d, "media")); err == nil {
			var small []string
			for _, row := range rows {
				if mediaKinds[row.Kind] && row.Bytes > 0 && row.Bytes < 400<<10 {
					small = append(small, row.Path())
				}
			}
			for i := 0; i < n && len(small) > 0; i++ {
				b, err := os.ReadFile(small[r.Intn(len(small))])
				if err != nil {
					t.Fatal(err)
				}
				add("corpus-mutant", mutate(r, b))
			}
		}
	}
	return cases
}

// toolCases makes real encoders' output from generated pictures: ffmpeg movies (moov
// first or last, MOV, fragmented, 3GP) and heif-enc images (HEIC, AVIF, thumbnails, two
// images, alpha).
func toolCases(t *testing.T, dir string) [][]byte {
	ffmpeg, _ := exec.LookPath("ffmpeg")
	heifEnc, _ := exec.LookPath("heif-enc")
	var out [][]byte
	run := func(name string, args ...string) []byte {
		cmd := exec.Command(name, args...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Logf("%s %s: %v: %s", name, strings.Join(args, " "), err, b)
			return nil
		}
		return nil
	}
	tmp := filepath.Join(dir, "tool-work")
	os.MkdirAll(tmp, 0o755)
	file := func(n string) string { return filepath.Join(tmp, n) }
	if ffmpeg != "" {
		q := []string{"-hide_banner", "-loglevel", "error", "-y"}
		src := file("src.mp4")
		run(ffmpeg, append(q, "-f", "lavfi", "-i", "testsrc=size=96x64:rate=10", "-f", "lavfi", "-i",
			"sine=frequency=440:sample_rate=8000", "-t", "1", "-c:v", "libx264", "-preset", "ultrafast",
			"-c:a", "aac", "-b:a", "16k", src)...)
		variants := [][]string{
			{"-c", "copy", file("plain.mp4")},
			{"-c", "copy", "-movflags", "+faststart", file("faststart.mp4")},
			{"-c", "copy", "-f", "mov", file("remux.mov")},
			{"-c", "copy", "-movflags", "frag_keyframe+empty_moov", file("frag.mp4")},
			{"-c", "copy", "-an", file("video.mp4")},
			{"-c", "copy", "-vn", file("audio.mp4")},
			{"-c", "copy", "-map", "0:a", "-map", "0:v", file("audiofirst.mp4")},
		}
		for _, v := range variants {
			run(ffmpeg, append(append(q, "-i", src), v...)...)
		}
		run(ffmpeg, append(q, "-f", "lavfi", "-i", "testsrc=size=64x48:rate=5", "-t", "1", "-c:v", "libx265",
			"-preset", "ultrafast", "-tag:v", "hvc1", file("hevc.mov"))...)
		run(ffmpeg, append(q, "-f", "lavfi", "-i", "testsrc=size=176x144:rate=5", "-t", "1", "-c:v", "h263",
			file("h263.3gp"))...)
		run(ffmpeg, append(q, "-f", "lavfi", "-i", "testsrc=size=64x48:rate=5", "-t", "1", "-c:v", "libaom-av1",
			"-cpu-used", "8", "-b:v", "50k", file("av1.mp4"))...)
	}
	if heifEnc != "" {
		if convert, err := exec.LookPath("convert"); err == nil {
			run(convert, "-size", "80x60", "gradient:red-blue", "PNG24:"+file("g.png"))
			run(convert, "-size", "48x40", "plasma:fractal", "-seed", "7", "-alpha", "set", "-channel", "A",
				"-evaluate", "set", "60%", "PNG32:"+file("a.png"))
			run(heifEnc, "-q", "40", file("g.png"), "-o", file("g.heic"))
			run(heifEnc, "-q", "40", "-t", "32", file("g.png"), "-o", file("thumb.heic"))
			run(heifEnc, "-q", "40", file("g.png"), file("a.png"), "-o", file("two.heic"))
			run(heifEnc, "-q", "40", file("a.png"), "-o", file("alpha.heic"))
			run(heifEnc, "-q", "40", "--avif", file("g.png"), "-o", file("g.avif"))
			run(heifEnc, "-q", "40", "--avif", "-t", "32", file("a.png"), "-o", file("thumb.avif"))
		}
	}
	names, _ := filepath.Glob(filepath.Join(tmp, "*"))
	sort.Strings(names)
	for _, n := range names {
		if strings.HasSuffix(n, ".png") || strings.HasSuffix(n, "src.mp4") {
			continue
		}
		if b, err := os.ReadFile(n); err == nil && len(b) > 0 {
			out = append(out, b)
		}
	}
	return out
}
