package scan

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/catalog/catalogtest"
)

// failDirFS fails the listing of one folder.
type failDirFS struct {
	FS
	dir string
}

func (f failDirFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == f.dir {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.FS.ReadDir(name)
}

func TestCheckNotEmpty(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	check := func(cfg Config) error {
		t.Helper()
		if cfg.FS == nil {
			cfg.FS = e.fsys
		}
		cfg.Catalog = e.cat
		if cfg.Root == "" {
			cfg.Root = e.root
		}
		return CheckNotEmpty(ctx, cfg)
	}

	// A catalog that knows no picture: a first run.
	if err := check(Config{}); err != nil {
		t.Errorf("empty library, new catalog: %v", err)
	}
	e.write("2019/trip/deep/a.jpg", "a")
	e.write("b.png", "b")
	e.scanWith(Config{Root: e.root})
	if err := check(Config{}); err != nil {
		t.Errorf("library with its pictures: %v", err)
	}

	// The pictures gone: what is left is no media, or excluded (by default, by the config).
	for _, rel := range []string{"2019/trip/deep/a.jpg", "b.png"} {
		if err := os.Remove(filepath.Join(e.root, filepath.FromSlash(rel))); err != nil {
			t.Fatal(err)
		}
	}
	e.write("notes.txt", "n")
	e.write(".thumbnails/t.jpg", "t")
	e.write("skip/s.jpg", "s")
	err := check(Config{Exclude: []string{"skip/"}})
	var empty *EmptyLibraryError
	if !errors.As(err, &empty) || !reflect.DeepEqual(*empty, EmptyLibraryError{Root: e.root, Pictures: 2}) {
		t.Fatalf("no media left: %v, want the refusal for 2 pictures", err)
	}
	if want := "library " + e.root + " is empty but the catalog knows 2 pictures there: is the disk mounted?"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if n := len(e.live()); n != 2 {
		t.Errorf("the check changed the catalog: %d live pictures, want 2", n)
	}

	// What the rules let in counts, as for the scan.
	if err := check(Config{}); err != nil {
		t.Errorf("skip/s.jpg not excluded: %v", err)
	}
	if err := check(Config{Exclude: []string{"skip/"}, NoDefaultExcludes: true}); err != nil {
		t.Errorf(".thumbnails/t.jpg with no default excludes: %v", err)
	}

	// Another root than the catalog's is named; a folder that cannot be listed is said.
	other := t.TempDir()
	err = check(Config{FS: DirFS(other), Root: other})
	if !errors.As(err, &empty) || empty.CatalogRoot != e.root || empty.Root != other {
		t.Errorf("another empty folder: %v, want the refusal naming the catalog's root %s", err, e.root)
	}
	err = check(Config{FS: failDirFS{e.fsys, "skip"}})
	if !errors.As(err, &empty) || empty.Unreadable != "skip/: open: permission denied" {
		t.Errorf("a folder that cannot be listed: %v, want the refusal naming skip/", err)
	}
	// The pictures under a folder that cannot be listed are left alone by the scan: they
	// do not count.
	err = check(Config{FS: failDirFS{e.fsys, "2019"}, Exclude: []string{"skip/"}})
	if !errors.As(err, &empty) || empty.Pictures != 1 {
		t.Errorf("2019/ cannot be listed: %v, want the refusal for b.png alone", err)
	}
	// The root itself cannot be listed: that is no empty library, but the scan's error.
	err = check(Config{FS: failDirFS{e.fsys, "."}})
	if err == nil || errors.As(err, &empty) {
		t.Errorf("a root that cannot be listed: %v, want its error", err)
	}
}

// TestRunRefusesEmptyLibrary: the scan itself refuses, after its walk, a tree without
// media files while the catalog knows pictures (the disk may go between CheckNotEmpty and
// the scan), flagging nothing deleted; AllowEmptyLibrary lets it flag them.
func TestRunRefusesEmptyLibrary(t *testing.T) {
	e := newEnv(t)
	e.write("a.jpg", "a")
	e.write("b/c.jpg", "c")
	e.scanWith(Config{Root: e.root})
	for _, rel := range []string{"a.jpg", "b/c.jpg"} {
		if err := os.Remove(filepath.Join(e.root, filepath.FromSlash(rel))); err != nil {
			t.Fatal(err)
		}
	}
	cfg := Config{FS: e.fsys, Catalog: e.cat, Signer: e.signer.sign, Root: e.root}
	sum, err := Run(context.Background(), cfg)
	var empty *EmptyLibraryError
	if !errors.As(err, &empty) || empty.Pictures != 2 || sum.Complete || sum.Deleted != 0 || len(e.live()) != 2 {
		t.Errorf("scan of the emptied library: %v, %+v, live %v: want the refusal, nothing flagged", err, sum, e.livePaths())
	}
	cfg.AllowEmptyLibrary = true
	if sum, err = Run(context.Background(), cfg); err != nil || sum.Deleted != 2 || len(e.live()) != 0 {
		t.Errorf("scan allowed: %v, %+v: want the 2 pictures flagged deleted", err, sum)
	}
}

// TestCheckNotEmptyPythonDatabase: before the first index of a catalog opened in place of
// the Python flickrsync's database, the pictures that database knows under the root count.
func TestCheckNotEmptyPythonDatabase(t *testing.T) {
	e, _ := pyEnv(t, nil, func(root string, after int64) []catalogtest.PythonRow {
		return []catalogtest.PythonRow{
			{Directory: root, FileName: "a.jpg", Signature: sigOf("a"), Timestamp: after},
			{Directory: filepath.Join(root, "2019"), FileName: "b.jpg", Signature: sigOf("b"), Timestamp: after},
			{Directory: "/elsewhere", FileName: "x.jpg", Signature: sigOf("x"), Timestamp: after},
		}
	})
	err := CheckNotEmpty(context.Background(), Config{FS: e.fsys, Catalog: e.cat, Root: e.root})
	var empty *EmptyLibraryError
	if !errors.As(err, &empty) || empty.Pictures != 2 {
		t.Errorf("python database, empty library: %v, want the refusal for its 2 pictures there", err)
	}
	if err := e.cat.SetMeta(context.Background(), catalog.MetaLastIndex, "1"); err != nil {
		t.Fatal(err)
	}
	if err := CheckNotEmpty(context.Background(), Config{FS: e.fsys, Catalog: e.cat, Root: e.root}); err != nil {
		t.Errorf("after an index that found nothing, the python database no longer counts: %v", err)
	}
}
