package cli

// End-to-end tests with real pictures (the shared corpus) and of the demo.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
)

func TestDemo(t *testing.T) {
	var out, errw bytes.Buffer
	code := Main(context.Background(), []string{"demo", "--keep"}, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errw,
		IsTerminal: func() bool { return false }, Getenv: func(string) string { return "" }})
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, errw.String())
	}
	for _, want := range []string{"upload:", "flickrsync_", "\"2019, Rome\"", "IMG_0042"} {
		if !strings.Contains(errw.String(), want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	kept := strings.TrimSpace(out.String())
	if kept == "" {
		t.Fatal("--keep printed no folder")
	}
	defer os.RemoveAll(kept)
	if _, err := os.Stat(filepath.Join(kept, "Pictures", "2019", "Rome", "colosseum.jpg")); err != nil {
		t.Errorf("kept folder: %v", err)
	}
}

// corpusDir finds the shared corpus (FLICKRSYNC_SHARED, or ../shared beside the module).
func corpusDir(t *testing.T) string {
	if d := os.Getenv("FLICKRSYNC_SHARED"); d != "" {
		return filepath.Join(d, "corpus")
	}
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			c := filepath.Join(dir, "..", "shared", "corpus")
			if _, err := os.Stat(filepath.Join(c, "manifest.tsv")); err == nil {
				return c
			}
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	t.Skip("shared corpus not found (set FLICKRSYNC_SHARED)")
	return ""
}

// TestCorpusSync syncs real pictures of the shared corpus (cameras' EXIF dates, broken
// files, a duplicate) with an account already holding three of them untagged: the
// signatures on Flickr are ImageMagick's, the untagged ones are adopted by name and date.
func TestCorpusSync(t *testing.T) {
	corpus := corpusDir(t)
	manifest, err := os.ReadFile(filepath.Join(corpus, "manifest.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ file, expect, date string }
	var dated, plain, broken []row
	for i, line := range strings.Split(strings.TrimSpace(string(manifest)), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 || len(f) < 15 {
			continue
		}
		var size int
		fmt.Sscan(f[3], &size)
		if size > 150000 || (!strings.HasSuffix(strings.ToLower(f[0]), ".jpg") && !strings.HasSuffix(strings.ToLower(f[0]), ".png")) {
			continue
		}
		r := row{f[0], f[2], f[14]}
		switch {
		case r.expect == "ERROR" && len(broken) < 2:
			broken = append(broken, r)
		case r.expect != "ERROR" && r.date != "" && len(dated) < 12:
			dated = append(dated, r)
		case r.expect != "ERROR" && r.date == "" && len(plain) < 10:
			plain = append(plain, r)
		}
	}
	e := newE2E(t)
	copyIn := func(r row, rel string) {
		b, err := os.ReadFile(filepath.Join(corpus, "files", r.file))
		if err != nil {
			t.Fatal(err)
		}
		full := filepath.Join(e.lib, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	for _, r := range dated {
		copyIn(r, "cameras/"+strings.SplitN(r.file, "__", 2)[0]+"/"+r.file)
		want[r.expect] = true
	}
	for _, r := range plain {
		copyIn(r, "misc/"+r.file)
		want[r.expect] = true
	}
	copyIn(plain[0], "misc/copies/again "+plain[0].file)
	for _, r := range broken {
		copyIn(r, "broken/"+r.file)
	}
	for _, r := range dated[:3] {
		b, _ := os.ReadFile(filepath.Join(corpus, "files", r.file))
		title := strings.TrimSuffix(r.file, filepath.Ext(r.file))
		if _, err := e.srv.AddPhoto(emulator.SeedPhoto{Title: title, Data: b, Private: true}); err != nil {
			t.Fatal(err)
		}
	}

	code, _, errs := e.run("sync", "--noprompt")
	if code != ExitFailed {
		t.Errorf("exit %d, want 1 (two broken files)", code)
	}
	for _, r := range broken {
		if !strings.Contains(errs, r.file) {
			t.Errorf("broken %s not reported", r.file)
		}
	}
	got := map[string]bool{}
	for _, p := range e.srv.Photos() {
		sig := ""
		for _, tag := range p.MachineTags {
			if v, ok := strings.CutPrefix(tag, "flickrsync:signature="); ok {
				sig = v
			}
		}
		if !want[sig] {
			t.Errorf("photo %s %q carries signature %q, not one of the corpus' expected", p.ID, p.Title, sig)
		}
		if got[sig] {
			t.Errorf("signature %s on Flickr twice", sig)
		}
		got[sig] = true
	}
	if len(got) != len(want) || e.srv.Calls()["upload"] != len(want)-3 {
		t.Errorf("%d signatures on Flickr, %d uploads; want %d and %d", len(got), e.srv.Calls()["upload"], len(want), len(want)-3)
	}
	e.srv.ResetCalls()
	e.run("sync", "--noprompt")
	if c := e.srv.Calls(); c["upload"]+c["download"] != 0 {
		t.Errorf("second sync transferred: %v", c)
	}
}
