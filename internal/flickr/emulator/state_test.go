package emulator

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestStatePersistence(t *testing.T) {
	dir := t.TempDir()
	srv, err := Open(Config{StateDir: dir, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	data := testJPEG(t, 11)
	id, err := srv.AddPhoto(SeedPhoto{Title: "../../etc/passwd", Tags: `a "b c"`, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	tok, sec := srv.IssueToken("write")
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &tclient{t: t, base: base, key: srv.cfg.APIKey, secret: srv.cfg.APISecret, token: tok, tokenSecret: sec}
	set := c.ok("flickr.photosets.create", map[string]string{"title": "kept", "primary_photo_id": id}).attr("id")
	before := srv.Photos()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	// photo files are named by id and format only
	var names []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(names)
	if strings.Join(names, " ") != "photos/"+id+".jpg state.json" {
		t.Fatalf("files %v", names)
	}

	srv2, err := Open(Config{StateDir: dir, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	after := srv2.Photos()
	if len(after) != 1 || after[0].ID != id || after[0].Title != "../../etc/passwd" || after[0].SHA256 != before[0].SHA256 ||
		strings.Join(after[0].RawTags, "|") != "a|b c" || len(after[0].Sets) != 1 || after[0].Sets[0] != set {
		t.Fatalf("reloaded %+v", after)
	}
	if b, err := srv2.PhotoBytes(id); err != nil || string(b) != string(data) {
		t.Fatalf("bytes: %v", err)
	}
	base2, err := srv2.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv2.Close()
	c.base = base2
	if x := c.ok("flickr.auth.oauth.checkToken", nil); x.one("perms").Text != "write" {
		t.Fatalf("token lost: %+v", x)
	}
	// a reloaded seed must not mint the previous run's ids again
	id2, err := srv2.AddPhoto(SeedPhoto{Title: "second"})
	if err != nil || id2 == id {
		t.Fatalf("second id %s: %v", id2, err)
	}
	if tok2, _ := srv2.IssueToken("read"); tok2 == tok {
		t.Fatal("token minted twice")
	}
	// a corrupt state file is an error, not a silent reset
	os.WriteFile(filepath.Join(dir, stateFile), []byte("{"), 0o644)
	if _, err := Open(Config{StateDir: dir}); err == nil {
		t.Fatal("corrupt state accepted")
	}
}

func TestMemoryModeWritesNothing(t *testing.T) {
	wd, _ := os.Getwd()
	entries, _ := os.ReadDir(wd)
	srv := New(Config{})
	if _, err := srv.AddPhoto(SeedPhoto{Title: "m"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadDir(wd)
	if len(after) != len(entries) {
		t.Fatal("memory mode wrote files")
	}
}
