package cli

// End-to-end tests with real pictures (the shared corpus) and of the demo.

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

func TestDemo(t *testing.T) {
	var out, errw bytes.Buffer
	code := Main(context.Background(), []string{"demo", "--keep"}, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errw,
		IsTerminal: func() bool { return false }, Getenv: func(string) string { return "" }})
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, errw.String())
	}
	for _, want := range []string{"upload:", "flickrsync_", "\"2019, Rome\"", "IMG_0042",
		"originals read again        8 of 8: 0 problems", "the library and the Flickr account agree"} {
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

// TestCorpusSync syncs real pictures of the shared corpus (cameras' EXIF dates, broken
// files, a duplicate) with an account already holding three of them untagged: the
// signatures on Flickr are ImageMagick's, the untagged ones are adopted by name and date.
func TestCorpusSync(t *testing.T) {
	var dated, plain, broken []sharedtest.CorpusRow
	for _, r := range sharedtest.Corpus(t) {
		if r.Bytes > 150000 || (!strings.HasSuffix(strings.ToLower(r.File), ".jpg") && !strings.HasSuffix(strings.ToLower(r.File), ".png")) {
			continue
		}
		switch {
		case r.WantsError() && len(broken) < 2:
			broken = append(broken, r)
		case !r.WantsError() && r.IM6ExifDateTimeOriginal != "" && len(dated) < 12:
			dated = append(dated, r)
		case !r.WantsError() && r.IM6ExifDateTimeOriginal == "" && len(plain) < 10:
			plain = append(plain, r)
		}
	}
	e := newE2E(t)
	copyIn := func(r sharedtest.CorpusRow, rel string) {
		b, err := os.ReadFile(r.Path())
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
		copyIn(r, "cameras/"+strings.SplitN(r.File, "__", 2)[0]+"/"+r.File)
		want[r.Expect] = true
	}
	for _, r := range plain {
		copyIn(r, "misc/"+r.File)
		want[r.Expect] = true
	}
	copyIn(plain[0], "misc/copies/again "+plain[0].File)
	for _, r := range broken {
		copyIn(r, "broken/"+r.File)
	}
	for _, r := range dated[:3] {
		b, _ := os.ReadFile(r.Path())
		title := strings.TrimSuffix(r.File, filepath.Ext(r.File))
		if _, err := e.srv.AddPhoto(emulator.SeedPhoto{Title: title, Data: b, Private: true}); err != nil {
			t.Fatal(err)
		}
	}

	code, _, errs := e.run("sync", "--noprompt")
	if code != ExitFailed {
		t.Errorf("exit %d, want 1 (two broken files)", code)
	}
	for _, r := range broken {
		if !strings.Contains(errs, r.File) {
			t.Errorf("broken %s not reported", r.File)
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
