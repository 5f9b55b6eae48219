package catalog

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/flickrsync/flickrsync/internal/catalog/catalogtest"
)

const sigA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

func TestPythonDatabaseIsNeverWritten(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	py := filepath.Join(dir, "flickrsync.db")
	lib := filepath.Join(dir, "Pictures")
	catalogtest.PythonDB(t, py, []catalogtest.PythonRow{
		{Directory: lib, FileName: "root.jpg", Signature: sigA, Timestamp: 1500000000},
		{Directory: filepath.Join(lib, "2019", "trip"), FileName: "b.JPG", Signature: "ABCDEF" + sigA[6:], Timestamp: 1500000001},
		{Directory: filepath.Join(lib, "gone"), FileName: "c.jpg", Signature: sigA, Deleted: true, Timestamp: 1500000002},
		{Directory: filepath.Join(lib, "bad"), FileName: "d.jpg", ImageError: true, Timestamp: 1500000003},
		{Directory: filepath.Join(dir, "elsewhere"), FileName: "e.jpg", Signature: sigA, Timestamp: 1500000004}, // outside
		{Directory: lib + "2", FileName: "f.jpg", Signature: sigA, Timestamp: 1500000005},                       // a sibling
		{Directory: filepath.Join(lib, "short"), FileName: "g.jpg", Signature: "abc", Timestamp: 1500000006},    // not a signature
	})
	before, err := os.ReadFile(py)
	if err != nil {
		t.Fatal(err)
	}
	if !IsPythonDatabase(ctx, py) {
		t.Fatal("the Python tool's database is not recognised")
	}
	c, err := Open(ctx, py)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "flickrsync-go.db"); c.Path() != want || c.Legacy() != py {
		t.Errorf("Path %q Legacy %q, want %q and %q", c.Path(), c.Legacy(), want, py)
	}
	if err := c.SetMeta(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	got, err := c.LegacyPictures(ctx, lib)
	if err != nil {
		t.Fatal(err)
	}
	want := []LegacyPicture{{"root.jpg", sigA, 1500000000}, {"2019/trip/b.JPG", "abcdef" + sigA[6:], 1500000001}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("LegacyPictures = %+v\nwant %+v", got, want)
	}
	c.Close()
	if IsPythonDatabase(ctx, c.Path()) {
		t.Error("flickrsync's own catalog taken for the Python tool's")
	}
	// Read-only and dry-run opens find the same pair.
	r, err := OpenWith(ctx, py, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := r.Meta(ctx, "k"); v != "v" || r.Legacy() != py {
		t.Errorf("read-only open: meta %q legacy %q", v, r.Legacy())
	}
	r.Close()
	cp, cleanup, err := CopyForDryRun(py)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Open(ctx, cp)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := d.Meta(ctx, "k"); v != "v" || d.Legacy() != cp {
		t.Errorf("dry-run copy: meta %q legacy %q", v, d.Legacy())
	}
	if got, _ := d.LegacyPictures(ctx, lib); len(got) != 2 {
		t.Errorf("dry-run copy: %d legacy pictures, want 2", len(got))
	}
	d.Close()
	cleanup()

	after, _ := os.ReadFile(py)
	if !bytes.Equal(before, after) {
		t.Error("the Python tool's database was written")
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal", ".lock"} {
		if _, err := os.Stat(py + suffix); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s beside the Python database: %v", suffix, err)
		}
	}
}

func TestOwnPath(t *testing.T) {
	for in, want := range map[string]string{
		"/a/flickrsync.db": "/a/flickrsync-go.db",
		"/a/b.c/data":      "/a/b.c/data-go",
		"/a/.hidden":       "/a/.hidden-go",
		"/a/x.tar.db":      "/a/x.tar-go.db",
	} {
		if got := OwnPath(filepath.FromSlash(in)); got != filepath.FromSlash(want) {
			t.Errorf("OwnPath(%q) = %q, want %q", in, got, want)
		}
	}
}
