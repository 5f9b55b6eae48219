package catalog

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
)

// TestPathsWithURICharacters: a catalog path holding '#', '?', '%', spaces or bytes that
// are not UTF-8 is the file SQLite opens (it used to open "Photos " for "Photos #2/fs.db").
func TestPathsWithURICharacters(t *testing.T) {
	ctx := context.Background()
	names := []string{"Photos #2/fs.db", "what?/a?b=c&d.db", "100%41/%2e%2E.db", "with space/f s.db",
		"crème/brûlée.db", "semi;colon/x+y.db"}
	if runtime.GOOS == "linux" {
		names = append(names, "raw\xff\xfe/x\x80.db")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			path := filepath.Join(root, name)
			c, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if c.Path() != path {
				t.Errorf("Path() = %q, want %q", c.Path(), path)
			}
			if err := c.SetMeta(ctx, "k", name); err != nil {
				t.Fatal(err)
			}
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			if st, err := os.Stat(path); err != nil || st.Size() == 0 {
				t.Fatalf("no catalog at %q: %v", path, err)
			}
			if got := listTree(t, root); len(got) != 2 {
				t.Errorf("files under the root: %q, want the folder and the catalog only", got)
			}
			r, err := OpenWith(ctx, path, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if v, _ := r.Meta(ctx, "k"); v != name {
				t.Errorf("read back %q, want %q", v, name)
			}
		})
	}
}

// TestProfilesDifferingAfterHash: two catalogs whose paths differ only after a '#' are
// two files, each with its own lock and its own rows.
func TestProfilesDifferingAfterHash(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, err := Open(ctx, filepath.Join(dir, "cat#alice.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, filepath.Join(dir, "cat#bob.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := a.Apply(ctx, PictureChanges{Put: []Picture{pic("a.jpg", "s1", 1)}}, 1); err != nil {
		t.Fatal(err)
	}
	n, err := b.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.LocalPictures != 0 {
		t.Errorf("bob's catalog holds alice's picture: %+v", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "cat")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file named after the part before '#' exists: %v", err)
	}
}

// listTree lists the paths under root, relative to it.
func listTree(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(root, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if p != root {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func TestFileURI(t *testing.T) {
	for in, want := range map[string]string{
		"/a b/#2?x=%41.db":    "file:///a%20b/%232%3Fx%3D%2541.db",
		"/raw\xff/é.db":       "file:///raw%FF/%C3%A9.db",
		"C:/Users/x/fs.db":    "file:///C:/Users/x/fs.db",
		"//server/share/f.db": "file:////server/share/f.db",
	} {
		if got := fileURI(in, nil); got != want {
			t.Errorf("fileURI(%q) = %q, want %q", in, got, want)
		}
	}
}
