package catalog

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// makePythonDB builds a database as the Python flickrsync left it: its own CREATE
// statements (testdata/python_schema.sql), and rows as its insert_local_photos and
// update_deleted_photos wrote them (Directory absolute, Deleted '1', ImageError 1).
func makePythonDB(t *testing.T, path string, rows [][]any) {
	t.Helper()
	schema, err := os.ReadFile(filepath.Join("testdata", "python_schema.sql"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(string(schema)); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if _, err := db.Exec(`INSERT INTO LocalPhotos (Directory, FileName, Signature, ImageError,
			Deleted, Timestamp) VALUES (?, ?, ?, ?, ?, ?)`, r...); err != nil {
			t.Fatal(err)
		}
	}
}

const sigA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

func TestPythonDatabaseIsNeverWritten(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	py := filepath.Join(dir, "flickrsync.db")
	lib := filepath.Join(dir, "Pictures")
	makePythonDB(t, py, [][]any{
		{lib, "root.jpg", sigA, nil, nil, 1500000000},
		{filepath.Join(lib, "2019", "trip"), "b.JPG", "ABCDEF" + sigA[6:], nil, nil, 1500000001},
		{filepath.Join(lib, "gone"), "c.jpg", sigA, nil, "1", 1500000002},      // deleted
		{filepath.Join(lib, "bad"), "d.jpg", nil, 1, nil, 1500000003},          // could not decode
		{filepath.Join(dir, "elsewhere"), "e.jpg", sigA, nil, nil, 1500000004}, // outside the library
		{lib + "2", "f.jpg", sigA, nil, nil, 1500000005},                       // a sibling, not inside
		{filepath.Join(lib, "short"), "g.jpg", "abc", nil, nil, 1500000006},    // not a signature
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
