package scan

import (
	"context"
	"io/fs"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/names"
)

// TestDeliverInOrder: with Deliver, every file read is handed over once, in Order, even
// when files finish out of that order; unchanged files are not read, so not handed
// over; a failed file comes with its error.
func TestDeliverInOrder(t *testing.T) {
	e := newEnv(t)
	files := map[string]string{
		"a.jpg": "one", "zz/b.jpg": "two", "zz/b2.jpg": "two", "c/d/e.jpg": "three",
		"bb.jpg": "four", "x/y/z/w.jpg": "BAD five", "aa.jpg": "one", "m/n.jpg": "six",
	}
	for rel, content := range files {
		e.write(rel, content)
	}
	// The first decode is slow: the files after it finish first.
	e.signer.hook = func(n int) {
		if n == 1 {
			time.Sleep(100 * time.Millisecond)
		}
	}
	var mu sync.Mutex
	var got []catalog.Picture
	scan := func() {
		t.Helper()
		got = nil
		_, err := Run(context.Background(), Config{FS: e.fsys, Catalog: e.cat, Signer: e.signer.sign, Workers: 4, Order: names.KeepOrder,
			Deliver: func(p catalog.Picture) {
				mu.Lock()
				got = append(got, p)
				mu.Unlock()
			}})
		if err != nil {
			t.Fatal(err)
		}
	}
	scan()
	var paths []string
	for _, p := range got {
		paths = append(paths, p.Path())
	}
	want := make([]string, 0, len(files))
	for rel := range files {
		want = append(want, rel)
	}
	sort.Slice(want, func(i, j int) bool { return names.KeepOrder(want[i], want[j]) < 0 })
	if !slices.Equal(paths, want) {
		t.Errorf("delivered\n %q\nwant\n %q", paths, want)
	}
	for _, p := range got {
		switch {
		case files[p.Path()] == "BAD five" && (p.Error == "" || p.Signature != ""):
			t.Errorf("%s delivered without its decode error: %+v", p.Path(), p)
		case files[p.Path()] != "BAD five" && p.Signature != sigOf(files[p.Path()]):
			t.Errorf("%s delivered with signature %q, want %q", p.Path(), p.Signature, sigOf(files[p.Path()]))
		}
	}

	e.signer.hook = nil
	scan()
	if len(got) != 0 {
		t.Errorf("an unchanged library delivered %d files", len(got))
	}
	e.write("q/copy.jpg", "two")
	scan()
	if len(got) != 1 || got[0].Path() != "q/copy.jpg" || got[0].Signature != sigOf("two") {
		t.Errorf("after adding a copy, delivered %+v", got)
	}
}

// TestDeliverWhatTheCatalogRecords: a known file that changed but cannot be read keeps
// its row, so it is not handed over; a new file that cannot be read is recorded with its
// error, so it is.
func TestDeliverWhatTheCatalogRecords(t *testing.T) {
	e := newEnv(t)
	e.write("known.jpg", "one")
	e.scan()
	e.write("known.jpg", "two")
	e.write("new.jpg", "three")
	var got []catalog.Picture
	fsys := &failFS{FS: e.fsys, openErr: map[string]error{"known.jpg": fs.ErrPermission, "new.jpg": fs.ErrPermission}}
	sum, err := Run(context.Background(), Config{FS: fsys, Catalog: e.cat, Signer: e.signer.sign, Order: names.KeepOrder,
		Deliver: func(p catalog.Picture) { got = append(got, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Failed) != 2 {
		t.Errorf("failures %+v, want both files", sum.Failed)
	}
	if len(got) != 1 || got[0].Path() != "new.jpg" || got[0].ErrorKind != catalog.ErrorRead {
		t.Errorf("delivered %+v, want new.jpg only, with its read error", got)
	}
	live := e.live()
	if live["known.jpg"].Signature != sigOf("one") || live["new.jpg"].ErrorKind != catalog.ErrorRead {
		t.Errorf("catalog after the scan: %+v", live)
	}
}
