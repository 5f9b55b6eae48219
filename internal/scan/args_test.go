package scan

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"
)

// TestArgsFS: a scan of the files and folders named on a command line reads the files
// named and what the folders hold (ignore rules included), and each path maps back to
// the one given.
func TestArgsFS(t *testing.T) {
	e := newEnv(t)
	e.write("one.jpg", "one")
	e.write("other.jpg", "other") // in the same folder, not named
	e.write("trip/a.jpg", "a")
	e.write("trip/sub/b.png", "b")
	e.write("trip/.flickrsyncignore", "skip.jpg\n")
	e.write("trip/skip.jpg", "skip")
	e.write("trip/@eaDir/thumb.jpg", "thumb")
	e.write("trip/notes.txt", "notes")
	e.write("copy/one again.jpg", "one")
	wd, _ := os.Getwd()
	if err := os.Chdir(e.root); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(wd) })

	fsys, err := NewArgsFS([]string{"one.jpg", "trip", filepath.Join(e.root, "copy")})
	if err != nil {
		t.Fatal(err)
	}
	e.fsys = fsys
	sum := e.scanWith(Config{})
	var got []string
	for rel := range e.live() {
		got = append(got, fsys.Path(rel))
	}
	sort.Strings(got)
	want := []string{filepath.ToSlash(filepath.Join(e.root, "copy", "one again.jpg")), "one.jpg", "trip/a.jpg", "trip/sub/b.png"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read %q, want %q", got, want)
	}
	if sum.Excluded != 2 || sum.Copies != 1 || sum.Ignored != 1 {
		t.Errorf("summary %s excluded %d, want 2 excluded (skip.jpg, @eaDir), 1 copy, 1 ignored", counts(sum), sum.Excluded)
	}
	if _, err := NewArgsFS([]string{"missing.jpg"}); !os.IsNotExist(err) {
		t.Errorf("a missing argument: %v", err)
	}
	for _, rel := range []string{"0/x", "4", "1/other.jpg", "01/one.jpg"} {
		if _, err := fsys.Stat(rel); err == nil {
			t.Errorf("Stat(%q) found something", rel)
		}
	}
}

// TestMinAge: a file modified less than MinAge ago is left for a later scan: a new one is
// not recorded, a known one keeps its row (not flagged deleted); once old enough it is read.
func TestMinAge(t *testing.T) {
	e := newEnv(t)
	e.write("old.jpg", "old")
	e.write("known.jpg", "v1")
	e.scan()
	e.write("known.jpg", "v2 being written")
	e.write("new.jpg", "being copied")
	now := clock.Add(30 * time.Second) // the last write was 30 s ago
	sum := e.scanWith(Config{MinAge: time.Minute, Now: func() time.Time { return now }})
	live := e.live()
	if sum.Recent != 2 || len(live) != 2 || live["known.jpg"].Size != 2 || sum.Deleted != 0 {
		t.Errorf("summary %s recent %d; live %v", counts(sum), sum.Recent, live)
	}
	now = now.Add(time.Minute)
	sum = e.scanWith(Config{MinAge: time.Minute, Now: func() time.Time { return now }})
	if sum.Recent != 0 || sum.New != 1 || sum.Changed != 1 || len(e.live()) != 3 {
		t.Errorf("a minute later: %s", counts(sum))
	}
}
