//go:build unix

package scan

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
)

// TestSymlinks: links are followed to files and to folders alike, wherever they lead; a
// link to a folder that contains it is a loop, skipped; follow_symlinks = no skips all.
func TestSymlinks(t *testing.T) {
	e := newEnv(t)
	outside := t.TempDir()
	write := func(p, content string) {
		full := filepath.Join(outside, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, []byte(content), 0o644)
	}
	write("nas/2019/x.jpg", "X")
	write("nas/2019/back", "")
	os.Remove(filepath.Join(outside, "nas/2019/back"))
	os.Symlink(filepath.Join(outside, "nas"), filepath.Join(outside, "nas/2019/back")) // loops outside
	write("single.jpg", "S")
	e.write("real/a.jpg", "A")
	link := func(target, name string) {
		p := filepath.Join(e.root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	link(filepath.Join(outside, "nas"), "nas")               // a folder elsewhere
	link(filepath.Join(outside, "single.jpg"), "single.jpg") // a file elsewhere
	link("../real", "albums/best")                           // an album of links, inside
	link("../real/a.jpg", "albums/a.jpg")                    // one picture, inside
	link(filepath.Dir(e.root), "up")                         // the folder above the library
	link("/", "root")                                        // the whole disk
	sum := e.scan()
	want := []string{"albums/a.jpg", "albums/best/a.jpg", "nas/2019/x.jpg", "real/a.jpg", "single.jpg"}
	if got := e.livePaths(); !reflect.DeepEqual(got, want) {
		t.Errorf("indexed %q\nwant %q", got, want)
	}
	var skipped []string
	for _, s := range sum.Skipped {
		skipped = append(skipped, s.Path)
	}
	sort.Strings(skipped)
	if want := []string{"nas/2019/back", "root", "up"}; !reflect.DeepEqual(skipped, want) {
		t.Errorf("skipped %+v, want %q", sum.Skipped, want)
	}
	if sum.Copies+sum.New != 5 || e.signer.decodes() != 3 {
		t.Errorf("new %d copies %d decoded %d: the links inside are copies", sum.New, sum.Copies, e.signer.decodes())
	}

	// A pattern for folders excludes a link to one too.
	sum = e.scanWith(Config{Exclude: []string{"albums/best/"}})
	if _, ok := e.live()["albums/best/a.jpg"]; ok || sum.ExcludedBy["exclude:1:albums/best/"] != 1 {
		t.Errorf("albums/best/ not excluded: %v", sum.ExcludedBy)
	}

	sum = e.scanWith(Config{NoFollowSymlinks: true})
	if got := e.livePaths(); !reflect.DeepEqual(got, []string{"real/a.jpg"}) || len(sum.Skipped) != 6 {
		t.Errorf("follow_symlinks = no: indexed %q, skipped %+v", got, sum.Skipped)
	}
}
