package scan

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
)

// touchFS records every path the scan asks about (listed, described or opened), so that
// a test can tell that an excluded path was never looked at beyond its directory entry.
type touchFS struct {
	FS
	mu      sync.Mutex
	touched map[string]string
}

func (f *touchFS) touch(op, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.touched == nil {
		f.touched = map[string]string{}
	}
	f.touched[name] = op
}

func (f *touchFS) ReadDir(name string) ([]fs.DirEntry, error) {
	f.touch("readdir", name)
	ents, err := f.FS.ReadDir(name)
	for i, de := range ents {
		ents[i] = touchEntry{de, f, join(name, de.Name())}
	}
	return ents, err
}
func (f *touchFS) Stat(name string) (fs.FileInfo, error) {
	f.touch("stat", name)
	return f.FS.Stat(name)
}
func (f *touchFS) Open(name string) (File, error) { f.touch("open", name); return f.FS.Open(name) }

type touchEntry struct {
	fs.DirEntry
	f   *touchFS
	rel string
}

func (e touchEntry) Info() (fs.FileInfo, error) { e.f.touch("info", e.rel); return e.DirEntry.Info() }

func (e *env) scanWith(cfg Config) Summary {
	e.t.Helper()
	cfg.FS, cfg.Catalog, cfg.Signer, cfg.BatchSize = e.fsys, e.cat, e.signer.sign, 3
	sum, err := Run(context.Background(), cfg)
	if err != nil {
		e.t.Fatalf("scan: %v", err)
	}
	return sum
}

func (e *env) livePaths() []string {
	var out []string
	for p := range e.live() {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func TestDefaultExcludes(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"ok.jpg", "@eaDir/ok.jpg/SYNOPHOTO_THUMB_XL.jpg", ".thumbnails/normal/a.png",
		".hidden.jpg", "._ok.jpg", "#recycle/old.jpg", "sub/Thumbs.db", "sub/.DS_Store", "sub/keep.gif",
		".config/x.jpg"} {
		e.write(p, "content of "+p)
	}
	tfs := &touchFS{FS: e.fsys}
	e.fsys = tfs
	var seen []Exclusion
	var mu sync.Mutex
	sum := e.scanWith(Config{Excluded: func(x Exclusion) { mu.Lock(); seen = append(seen, x); mu.Unlock() }})
	if got, want := e.livePaths(), []string{"ok.jpg", "sub/keep.gif"}; !reflect.DeepEqual(got, want) {
		t.Errorf("indexed %q, want %q", got, want)
	}
	wantBy := map[string]int{"default:1:.*": 2, "default:2:.thumbnails": 1, "default:3:.DS_Store": 1,
		"default:4:._*": 1, "default:5:@eaDir": 1, `default:6:\#recycle`: 1, "default:7:Thumbs.db": 1}
	if sum.Excluded != 8 || !reflect.DeepEqual(sum.ExcludedBy, wantBy) {
		t.Errorf("excluded %d by %v\nwant 8 by %v", sum.Excluded, sum.ExcludedBy, wantBy)
	}
	sort.Slice(seen, func(i, j int) bool { return seen[i].Path < seen[j].Path })
	if len(seen) != 8 || seen[0] != (Exclusion{Path: "#recycle", Dir: true, Rule: `default:6:\#recycle`}) {
		t.Errorf("reported %+v", seen)
	}
	for name, op := range tfs.touched {
		for _, x := range seen {
			if name == x.Path || strings.HasPrefix(name, x.Path+"/") {
				t.Errorf("%s of excluded %s", op, name)
			}
		}
	}
	// Switched off: everything with a picture name is a picture.
	sum = e.scanWith(Config{NoDefaultExcludes: true})
	if sum.Excluded != 0 || len(e.live()) != 8 {
		t.Errorf("without defaults: excluded %d, %d pictures: %q", sum.Excluded, len(e.live()), e.livePaths())
	}
}

func TestIgnoreFiles(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"a.jpg", "b.png", "keep.png", "raw/x.jpg", "trip/c.png", "trip/d.jpg",
		"trip/private/e.jpg", "trip/sub/f.png", "other/private/g.jpg", "other/skip.gif"} {
		e.write(p, "content of "+p)
	}
	e.write(".flickrsyncignore", "# pictures to leave out\n*.png\n!keep.png\n/raw/\n")
	e.write("trip/.flickrsyncignore", "!*.png\nprivate/\n")
	sum := e.scanWith(Config{Exclude: []string{"*.gif", "trip/sub/"}})
	want := []string{"a.jpg", "keep.png", "other/private/g.jpg", "trip/c.png", "trip/d.jpg"}
	if got := e.livePaths(); !reflect.DeepEqual(got, want) {
		t.Errorf("indexed %q\nwant %q", got, want)
	}
	wantBy := map[string]int{".flickrsyncignore:2:*.png": 1, ".flickrsyncignore:4:/raw/": 1,
		"trip/.flickrsyncignore:2:private/": 1, "exclude:1:*.gif": 1, "exclude:2:trip/sub/": 1}
	if !reflect.DeepEqual(sum.ExcludedBy, wantBy) {
		t.Errorf("excluded by %v\nwant %v", sum.ExcludedBy, wantBy)
	}
	if sum.Ignored != 0 {
		t.Errorf("the ignore files counted as ignored files: %d", sum.Ignored)
	}
}

// TestExcludedAfterUpload: a picture indexed (and so perhaps uploaded) that the rules
// exclude later is not deleted from the catalog's point of view: its row is flagged
// excluded, its signature still the library's, and it comes back without a decode.
func TestExcludedAfterUpload(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.write("trip/a.jpg", "A")
	e.write("b.jpg", "B")
	e.write("c.jpg", "C")
	e.scan()
	os.Remove(filepath.Join(e.root, "c.jpg"))
	e.write(".flickrsyncignore", "trip/\n")
	sum := e.scan()
	if sum.NowExcluded != 1 || sum.Deleted != 1 || sum.Excluded != 1 {
		t.Errorf("now excluded %d, deleted %d, excluded %d; want 1, 1, 1", sum.NowExcluded, sum.Deleted, sum.Excluded)
	}
	var sigs []string
	e.cat.ExcludedSignatures(ctx, func(s string) error { sigs = append(sigs, s); return nil })
	if !reflect.DeepEqual(sigs, []string{sigOf("A")}) {
		t.Errorf("excluded signatures %q, want A's", sigs)
	}
	n, _ := e.cat.Counts(ctx)
	if n.Excluded != 1 || n.Deleted != 1 || n.LocalPictures != 1 || n.ExcludedLastIndex != 1 {
		t.Errorf("counts %+v", n)
	}
	// The rule goes: the picture is back, not decoded again.
	os.Remove(filepath.Join(e.root, ".flickrsyncignore"))
	before := e.signer.decodes()
	sum = e.scan()
	if sum.CameBack != 1 || e.signer.decodes() != before {
		t.Errorf("came back %d, decoded %d", sum.CameBack, e.signer.decodes()-before)
	}
	// Excluded, then gone while excluded, then the rule goes: a plain deletion.
	e.write(".flickrsyncignore", "trip/\n")
	e.scan()
	os.RemoveAll(filepath.Join(e.root, "trip"))
	os.Remove(filepath.Join(e.root, ".flickrsyncignore"))
	e.scan()
	n, _ = e.cat.Counts(ctx)
	if n.Excluded != 0 || n.Deleted != 2 {
		t.Errorf("counts %+v: want 0 excluded, 2 deleted", n)
	}
}

// TestUnreadableIgnoreFile: a folder whose ignore file cannot be read is not indexed, and
// nothing under it is flagged deleted (its rules are unknown).
func TestUnreadableIgnoreFile(t *testing.T) {
	e := newEnv(t)
	e.write("a/x.jpg", "X")
	e.write("a/.flickrsyncignore", "*.png\n")
	e.scan()
	e.fsys = &failFS{FS: e.fsys, openErr: map[string]error{"a/.flickrsyncignore": fs.ErrPermission}}
	sum := e.scan()
	if len(sum.Failed) != 1 || sum.Failed[0].Path != "a/" || !strings.Contains(sum.Failed[0].Reason, ".flickrsyncignore") {
		t.Errorf("failed %+v", sum.Failed)
	}
	if sum.Deleted != 0 || len(e.live()) != 1 {
		t.Errorf("deleted %d, live %q", sum.Deleted, e.livePaths())
	}
}

// partialFS lists a folder partly: the entries other than its ignore file, and an error.
type partialFS struct{ FS }

func (p partialFS) ReadDir(name string) ([]fs.DirEntry, error) {
	ents, err := p.FS.ReadDir(name)
	if name != "a" || err != nil {
		return ents, err
	}
	var out []fs.DirEntry
	for _, de := range ents {
		if de.Name() != ".flickrsyncignore" {
			out = append(out, de)
		}
	}
	return out, fs.ErrPermission
}

// TestPartialListing: a folder listed in part may miss its ignore file: none of it is
// indexed (it used to index the entries read before the error).
func TestPartialListing(t *testing.T) {
	e := newEnv(t)
	e.write("a/private.jpg", "P")
	e.write("a/.flickrsyncignore", "private.jpg\n")
	e.fsys = partialFS{e.fsys}
	sum := e.scan()
	if len(e.live()) != 0 || len(sum.Failed) != 1 || sum.Failed[0].Path != "a/" {
		t.Errorf("indexed %q, failed %+v", e.livePaths(), sum.Failed)
	}
}
