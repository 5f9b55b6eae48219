package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/catalog"
)

// writePNG writes a small PNG whose pixels depend on seed.
func writePNG(t *testing.T, path string, seed uint8) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range img.Pix {
		img.Pix[i] = seed + uint8(i)
	}
	img.Set(0, 0, color.RGBA{seed, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runIn(home string, args ...string) (int, string, string) {
	var out, errw bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errw,
		Getenv: func(k string) string {
			if k == "HOME" {
				return home
			}
			return ""
		},
		IsTerminal: func() bool { return false }}
	code := Main(context.Background(), args, env)
	return code, out.String(), errw.String()
}

func TestIndexStatusDuplicates(t *testing.T) {
	home := t.TempDir()
	lib := filepath.Join(t.TempDir(), "Pictures")
	db := filepath.Join(t.TempDir(), "cat", "flickrsync.db")
	writePNG(t, filepath.Join(lib, "a", "one.png"), 10)
	writePNG(t, filepath.Join(lib, "b", "one-copy.png"), 10)
	writePNG(t, filepath.Join(lib, "two.png"), 50)
	os.WriteFile(filepath.Join(lib, "broken.jpg"), []byte("this is not a picture"), 0o644)
	os.WriteFile(filepath.Join(lib, "notes.txt"), []byte("x"), 0o644)

	t.Run("missing library", func(t *testing.T) {
		code, _, errs := runIn(home, "-l", filepath.Join(lib, "nope"), "-d", db, "index")
		if code != ExitUsage || !strings.Contains(errs, "library directory") || !strings.Contains(errs, "no such file") {
			t.Errorf("exit %d, stderr %q", code, errs)
		}
	})
	t.Run("status before any index", func(t *testing.T) {
		code, _, errs := runIn(home, "-d", db, "status")
		if code != ExitUsage && code != 1 || !strings.Contains(errs, "run 'flickrsync index' first") {
			t.Errorf("exit %d, stderr %q", code, errs)
		}
	})
	t.Run("index", func(t *testing.T) {
		code, out, errs := runIn(home, "-l", lib, "-d", db, "index", "--json")
		if code != ExitFailed {
			t.Fatalf("exit %d (want 1: broken.jpg), stderr:\n%s", code, errs)
		}
		if !strings.Contains(errs, "broken.jpg") || !strings.Contains(errs, "new 2, changed 0, moved 0, copies 1") {
			t.Errorf("stderr:\n%s", errs)
		}
		var sum struct {
			Seen, New, Copies, Ignored int
			Failed                     []struct{ Path, Reason string }
		}
		if err := json.Unmarshal([]byte(out), &sum); err != nil {
			t.Fatalf("json: %v\n%s", err, out)
		}
		if sum.Seen != 4 || sum.New != 2 || sum.Copies != 1 || sum.Ignored != 1 || len(sum.Failed) != 1 {
			t.Errorf("summary %+v", sum)
		}
	})
	t.Run("status --json", func(t *testing.T) {
		code, out, errs := runIn(home, "-d", db, "status", "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var st map[string]any
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("json: %v\n%s", err, out)
		}
		want := map[string]float64{"local_pictures": 4, "signatures": 2, "duplicates": 1,
			"duplicate_groups": 1, "decode_failures": 1, "flickr_photos": 0, "to_upload": 2}
		for k, v := range want {
			if st[k] != v {
				t.Errorf("%s = %v, want %v", k, st[k], v)
			}
		}
		if st["library"] != lib {
			t.Errorf("library %v, want %s", st["library"], lib)
		}
	})
	t.Run("duplicates --json", func(t *testing.T) {
		code, out, errs := runIn(home, "-d", db, "duplicates", "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var groups []duplicateGroupJSON
		if err := json.Unmarshal([]byte(out), &groups); err != nil {
			t.Fatalf("json: %v\n%s", err, out)
		}
		if len(groups) != 1 || groups[0].Upload != "a/one.png" || len(groups[0].Others) != 1 || groups[0].Others[0] != "b/one-copy.png" {
			t.Errorf("groups %+v", groups)
		}
	})
	t.Run("duplicates", func(t *testing.T) {
		code, out, errs := runIn(home, "-d", db, "duplicates")
		want := filepath.FromSlash("  upload  a/one.png\n  same    b/one-copy.png\n")
		if code != 0 || !strings.Contains(out, want) || !strings.Contains(errs, "2 pictures share 1 signature\n") {
			t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
		}
	})
	t.Run("reindex after a move", func(t *testing.T) {
		os.Remove(filepath.Join(lib, "broken.jpg"))
		if err := os.Rename(filepath.Join(lib, "two.png"), filepath.Join(lib, "b", "two.png")); err != nil {
			t.Fatal(err)
		}
		code, _, errs := runIn(home, "-l", lib, "-d", db, "index")
		if code != 0 || !strings.Contains(errs, "moved 1") || !strings.Contains(errs, "deleted 1") {
			t.Errorf("exit %d, stderr:\n%s", code, errs)
		}
		code, out, _ := runIn(home, "-d", db, "status")
		if code != 0 || !strings.Contains(out, "local pictures     3") {
			t.Errorf("status:\n%s", out)
		}
	})
	t.Run("dry run leaves the catalog alone", func(t *testing.T) {
		writePNG(t, filepath.Join(lib, "new.png"), 99)
		defer os.Remove(filepath.Join(lib, "new.png"))
		code, _, errs := runIn(home, "-l", lib, "-d", db, "--dryrun", "index")
		if code != 0 || !strings.Contains(errs, "new 1") {
			t.Errorf("exit %d, stderr:\n%s", code, errs)
		}
		_, out, _ := runIn(home, "-d", db, "status")
		if !strings.Contains(out, "local pictures     3") {
			t.Errorf("dry run changed the catalog:\n%s", out)
		}
	})
	t.Run("catalog held by another process", func(t *testing.T) {
		holder, err := catalog.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer holder.Close()
		code, _, errs := runIn(home, "-l", lib, "-d", db, "index")
		want := fmt.Sprintf("is in use by another flickrsync (pid %d)", os.Getpid())
		if code == 0 || !strings.Contains(errs, want) {
			t.Errorf("exit %d, stderr %q", code, errs)
		}
		// Readers do not wait for the writer.
		if code, _, errs := runIn(home, "-d", db, "status"); code != 0 {
			t.Errorf("status while the catalog is held: exit %d, %s", code, errs)
		}
	})
}
