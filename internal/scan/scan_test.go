package scan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/imagesig"
)

// fakeSigner signs any bytes: the signature is the SHA-256 of the content with "sig:"
// before it; content starting with "BAD" is not a picture, "BUG" meets a decoder bug,
// "HUGE" is over the memory budget, "EIO" cannot be read. It counts decodes per content.
type fakeSigner struct {
	mu    sync.Mutex
	calls map[string]int
	total int
	hook  func(n int) // called after each decode with the running total
}

func (f *fakeSigner) sign(ctx context.Context, r io.ReaderAt, size int64, name string) (Signed, error) {
	b := make([]byte, size)
	if _, err := r.ReadAt(b, 0); err != nil && !(errors.Is(err, io.EOF) && size == 0) {
		return Signed{}, err
	}
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[string(b)]++
	f.total++
	n := f.total
	f.mu.Unlock()
	if f.hook != nil {
		f.hook(n)
	}
	switch {
	case strings.HasPrefix(string(b), "BAD"):
		return Signed{}, errors.New("jpeg: not a JPEG file")
	case strings.HasPrefix(string(b), "BUG"):
		return Signed{}, fmt.Errorf("jpeg: %w: runtime error: index out of range", imagesig.ErrInternal)
	case strings.HasPrefix(string(b), "HUGE"):
		return Signed{}, fmt.Errorf("png: interlaced image: %w", imagesig.ErrOverBudget)
	case strings.HasPrefix(string(b), "EIO"):
		return Signed{}, fmt.Errorf("%w: input/output error", imagesig.ErrRead)
	case strings.HasPrefix(string(b), "RAW"):
		return Signed{Format: "nef", Media: "raw"}, fmt.Errorf("NEF: %w", imagesig.ErrRAW)
	}
	sum := sha256.Sum256(append([]byte("sig:"), b...))
	return Signed{Signature: hex.EncodeToString(sum[:]), Format: "jpeg", Width: 1, Height: 1, DateTaken: "2001:02:03 04:05:06"}, nil
}

func (f *fakeSigner) decodes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.total
}

func sigOf(content string) string {
	sum := sha256.Sum256([]byte("sig:" + content))
	return hex.EncodeToString(sum[:])
}

type env struct {
	t      *testing.T
	root   string
	cat    *catalog.Catalog
	signer *fakeSigner
	fsys   FS
}

func newEnv(t *testing.T) *env {
	t.Helper()
	root := t.TempDir()
	cat, err := catalog.Open(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	return &env{t: t, root: root, cat: cat, signer: &fakeSigner{}, fsys: DirFS(root)}
}

var clock = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// write creates a file with content and a distinct mtime each time.
func (e *env) write(rel, content string) {
	e.t.Helper()
	p := filepath.Join(e.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		e.t.Fatal(err)
	}
	clock = clock.Add(time.Second)
	if err := os.Chtimes(p, clock, clock); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) scan() Summary {
	e.t.Helper()
	sum, err := Run(context.Background(), Config{FS: e.fsys, Catalog: e.cat, Signer: e.signer.sign, BatchSize: 3})
	if err != nil {
		e.t.Fatalf("scan: %v", err)
	}
	return sum
}

func (e *env) workers() int { return runtime.NumCPU() }

func (e *env) live() map[string]catalog.Picture {
	out := map[string]catalog.Picture{}
	e.cat.Pictures(context.Background(), func(p catalog.Picture) error { out[p.Path()] = p; return nil })
	return out
}

// counts renders the summary's counters for comparison.
func counts(s Summary) string {
	var b strings.Builder
	add := func(name string, n int) {
		if n != 0 {
			b.WriteString(name + "=" + strconv.Itoa(n) + " ")
		}
	}
	add("seen", s.Seen)
	add("new", s.New)
	add("changed", s.Changed)
	add("moved", s.Moved)
	add("copies", s.Copies)
	add("unchanged", s.Unchanged)
	add("cameback", s.CameBack)
	add("deleted", s.Deleted)
	add("decoded", s.Decoded)
	add("failed", len(s.Failed))
	add("knownfailures", s.KnownFailures)
	add("ignored", s.Ignored)
	add("skipped", len(s.Skipped))
	return strings.TrimSpace(b.String())
}

func TestScanLifecycle(t *testing.T) {
	e := newEnv(t)
	steps := []struct {
		name   string
		change func()
		want   string
		check  func(t *testing.T, s Summary)
	}{
		{"new files", func() {
			e.write("a.jpg", "AAA")
			e.write("b/c.PNG", "CCC")
			e.write("b/notes.txt", "text")
			e.write("b/sub/d.gif", "DDD")
		}, "seen=3 new=3 decoded=3 ignored=1", func(t *testing.T, s Summary) {
			live := e.live()
			if p := live["b/c.PNG"]; p.Signature != sigOf("CCC") || p.DateTaken == "" || p.Hash == "" {
				t.Errorf("row %+v", p)
			}
		}},
		{"unchanged", func() {}, "seen=3 unchanged=3 ignored=1", nil},
		{"changed", func() { e.write("a.jpg", "AAA2") }, "seen=3 changed=1 unchanged=2 decoded=1 ignored=1", func(t *testing.T, s Summary) {
			if p := e.live()["a.jpg"]; p.Signature != sigOf("AAA2") {
				t.Errorf("signature not updated: %+v", p)
			}
		}},
		{"touched, same bytes", func() { e.write("a.jpg", "AAA2") }, "seen=3 changed=1 unchanged=2 ignored=1", nil},
		{"copy", func() { e.write("copy/c.jpg", "CCC") }, "seen=4 copies=1 unchanged=3 ignored=1", func(t *testing.T, s Summary) {
			if p := e.live()["copy/c.jpg"]; p.Signature != sigOf("CCC") {
				t.Errorf("copy without the signature: %+v", p)
			}
		}},
		{"moved", func() {
			if err := os.Rename(filepath.Join(e.root, "b", "sub"), filepath.Join(e.root, "moved")); err != nil {
				t.Fatal(err)
			}
		}, "seen=4 moved=1 unchanged=3 ignored=1", func(t *testing.T, s Summary) {
			if _, ok := e.live()["moved/d.gif"]; !ok {
				t.Error("moved file not live")
			}
			deleted := false
			e.cat.KnownFiles(context.Background(), func(k catalog.KnownFile) error {
				deleted = deleted || k.Dir == "b/sub" && k.Name == "d.gif" && k.Deleted
				return nil
			})
			if !deleted || len(s.Gone) != 1 || s.Gone[0] != "b/sub/d.gif" {
				t.Errorf("old path not flagged deleted: %v, gone %q", deleted, s.Gone)
			}
		}},
		{"deleted", func() { os.Remove(filepath.Join(e.root, "a.jpg")) }, "seen=3 unchanged=3 deleted=1 ignored=1", func(t *testing.T, s Summary) {
			if len(s.Gone) != 1 || s.Gone[0] != "a.jpg" {
				t.Errorf("gone %q, want a.jpg", s.Gone)
			}
		}},
		{"came back", func() { e.write("a.jpg", "AAA2") }, "seen=4 unchanged=3 cameback=1 ignored=1", nil},
		{"not a picture", func() { e.write("bad.jpg", "BAD content") }, "seen=5 unchanged=4 decoded=1 failed=1 ignored=1", func(t *testing.T, s Summary) {
			if s.Failed[0].Path != "bad.jpg" || !strings.Contains(s.Failed[0].Reason, "not a JPEG") {
				t.Errorf("failure %+v", s.Failed)
			}
		}},
		{"known failure not retried", func() {}, "seen=5 unchanged=5 knownfailures=1 ignored=1", nil},
		{"copy of a broken file", func() { e.write("bad2.jpg", "BAD content") }, "seen=6 unchanged=5 failed=1 knownfailures=1 ignored=1", nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := e.signer.decodes()
			st.change()
			s := e.scan()
			if got := counts(s); got != st.want {
				t.Errorf("summary %s\n          want %s\n%+v", got, st.want, s)
			}
			if got := e.signer.decodes() - before; got != s.Decoded {
				t.Errorf("signer called %d times, summary says %d", got, s.Decoded)
			}
			if st.check != nil {
				st.check(t, s)
			}
		})
	}
	t.Run("retry failed", func(t *testing.T) {
		before := e.signer.decodes()
		s, err := Run(context.Background(), Config{FS: e.fsys, Catalog: e.cat, Signer: e.signer.sign, RetryFailed: true})
		if err != nil {
			t.Fatal(err)
		}
		// Both broken files are read again; their bytes are decoded once.
		if got, want := counts(s), "seen=6 unchanged=4 decoded=1 failed=2 ignored=1"; got != want {
			t.Errorf("summary %s, want %s", got, want)
		}
		if e.signer.decodes()-before != 1 {
			t.Errorf("%d decodes", e.signer.decodes()-before)
		}
		e.signer.calls["BAD content"]-- // decoded twice on purpose
	})
	for content, n := range e.signer.calls {
		if n != 1 {
			t.Errorf("content %q decoded %d times", content, n)
		}
	}
}

// failFS wraps an FS to fail chosen operations.
type failFS struct {
	FS
	readDirErr map[string]error
	openErr    map[string]error
	// changing makes the named file's Stat after reading report another mtime, n times.
	mu       sync.Mutex
	changing map[string]int
}

func (f *failFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := f.readDirErr[name]; err != nil {
		return nil, err
	}
	return f.FS.ReadDir(name)
}

func (f *failFS) Open(name string) (File, error) {
	if err := f.openErr[name]; err != nil {
		return nil, err
	}
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.changing[name] > 0 {
		f.changing[name]--
		return changingFile{file}, nil
	}
	return file, nil
}

type changingFile struct{ File }

func (c changingFile) Stat() (fs.FileInfo, error) {
	st, err := c.File.Stat()
	return shiftedInfo{st}, err
}

type shiftedInfo struct{ fs.FileInfo }

func (s shiftedInfo) ModTime() time.Time { return s.FileInfo.ModTime().Add(time.Second) }

func TestScanFailures(t *testing.T) {
	e := newEnv(t)
	e.write("ok.jpg", "OK")
	e.write("locked/x.jpg", "X")
	e.write("unreadable.jpg", "U")
	e.write("flaky.jpg", "FLAKY")
	e.write("busy.jpg", "BUSY")
	e.write("caf\xe9.jpg", "NONUTF8")
	if err := os.Symlink("loop.jpg", filepath.Join(e.root, "loop.jpg")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	os.Symlink("ok.jpg", filepath.Join(e.root, "link.jpg"))
	os.Symlink("..", filepath.Join(e.root, "locked", "parent"))
	ff := &failFS{FS: e.fsys,
		openErr:  map[string]error{"unreadable.jpg": fs.ErrPermission},
		changing: map[string]int{"flaky.jpg": 1, "busy.jpg": 100},
	}
	e.fsys = ff
	s := e.scan()
	if got, want := counts(s), "seen=8 new=4 copies=1 decoded=4 failed=3 skipped=1"; got != want {
		t.Errorf("summary %s, want %s\n%+v", got, want, s)
	}
	reasons := map[string]string{}
	for _, f := range s.Failed {
		reasons[f.Path] = f.Reason
	}
	for path, want := range map[string]string{
		"unreadable.jpg": "permission denied",
		"busy.jpg":       "changed while reading",
		"loop.jpg":       "too many levels of symbolic links",
	} {
		if !strings.Contains(reasons[path], want) {
			t.Errorf("%s: reason %q, want it to say %q", path, reasons[path], want)
		}
	}
	if len(s.Skipped) != 1 || s.Skipped[0].Path != "locked/parent" {
		t.Errorf("skipped %+v", s.Skipped)
	}
	live := e.live()
	if p, ok := live["caf\xe9.jpg"]; !ok || p.Signature != sigOf("NONUTF8") {
		t.Errorf("non-UTF-8 name: %+v %v", p, ok)
	}
	if p := live["link.jpg"]; p.Signature != sigOf("OK") {
		t.Errorf("symlinked file not indexed: %+v", p)
	}
	if p := live["flaky.jpg"]; p.Signature != sigOf("FLAKY") {
		t.Errorf("file that changed once not indexed on retry: %+v", p)
	}

	t.Run("unreadable directory keeps its pictures", func(t *testing.T) {
		ff.readDirErr = map[string]error{"locked": fs.ErrPermission}
		s := e.scan()
		if _, ok := e.live()["locked/x.jpg"]; !ok || s.Deleted != 0 || len(s.Gone) != 0 {
			t.Errorf("picture under an unreadable directory was flagged deleted (%+v)", s)
		}
		found := false
		for _, f := range s.Failed {
			found = found || f.Path == "locked/"
		}
		if !found {
			t.Errorf("unreadable directory not reported: %+v", s.Failed)
		}
	})
	t.Run("read failures are retried", func(t *testing.T) {
		ff.readDirErr = nil
		ff.openErr = nil
		s := e.scan()
		if _, ok := e.live()["unreadable.jpg"]; !ok || s.Changed+s.New == 0 {
			t.Errorf("unreadable file not retried: %+v", s)
		}
	})
}

func TestScanMissingRoot(t *testing.T) {
	e := newEnv(t)
	e.fsys = DirFS(filepath.Join(e.root, "nope"))
	if _, err := Run(context.Background(), Config{FS: e.fsys, Catalog: e.cat, Signer: e.signer.sign}); err == nil {
		t.Fatal("scan of a missing library succeeded")
	}
}

func TestScanInMemory(t *testing.T) {
	cat, err := catalog.Open(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	mt := time.Unix(1000, 0)
	tree := fstest.MapFS{
		"x/1.jpg":   {Data: []byte("ONE"), ModTime: mt},
		"x/2.jpeg":  {Data: []byte("ONE"), ModTime: mt},
		"y/3.gif":   {Data: []byte("THREE"), ModTime: mt},
		"y/readme":  {Data: []byte("r"), ModTime: mt},
		"y/z/4.png": {Data: []byte("FOUR"), ModTime: mt},
	}
	signer := &fakeSigner{}
	s, err := Run(context.Background(), Config{FS: FromFS(tree), Catalog: cat, Signer: signer.sign})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := counts(s), "seen=4 new=3 copies=1 decoded=3 ignored=1"; got != want {
		t.Errorf("summary %s, want %s", got, want)
	}
	delete(tree, "x/1.jpg")
	s, _ = Run(context.Background(), Config{FS: FromFS(tree), Catalog: cat, Signer: signer.sign})
	if got, want := counts(s), "seen=3 unchanged=3 deleted=1 ignored=1"; got != want {
		t.Errorf("summary %s, want %s", got, want)
	}
}

func TestScanInterrupted(t *testing.T) {
	e := newEnv(t)
	const n = 60
	for i := 0; i < n; i++ {
		e.write("d"+string(rune('a'+i%6))+"/"+strings.Repeat("p", i+1)+".jpg", "content "+strings.Repeat("x", i))
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.signer.hook = func(k int) {
		if k == 25 {
			cancel()
		}
	}
	workers := runtime.NumCPU()
	s, err := Run(ctx, Config{FS: e.fsys, Catalog: e.cat, Signer: e.signer.sign, BatchSize: 7})
	if !errors.Is(err, context.Canceled) || s.Complete {
		t.Fatalf("interrupted scan: err %v, complete %v", err, s.Complete)
	}
	e.signer.hook = nil
	s2 := e.scan()
	if !s2.Complete || s2.Seen != n || len(s2.Failed) != 0 {
		t.Fatalf("second scan %+v", s2)
	}
	if got := e.signer.decodes(); got > n+workers {
		t.Errorf("%d decodes for %d files: more redone than the interrupted ones", got, n)
	}
	live := e.live()
	if len(live) != n {
		t.Fatalf("%d rows, want %d", len(live), n)
	}
	var bad []string
	for path, p := range live {
		if p.Signature == "" || p.Deleted {
			bad = append(bad, path)
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("rows without signature after resuming: %v", bad)
	}
	if s3 := e.scan(); s3.Unchanged != n {
		t.Errorf("third scan %+v", s3)
	}
}

// TestScanRetriesAttempts: a decode stopped by a decoder bug, the memory budget or a failed
// read says nothing of the bytes: the file is reported, recorded as such, and decoded again
// by the next scan (and its bytes are not reused for a copy), unlike a file that is not a
// picture.
func TestScanRetriesAttempts(t *testing.T) {
	e := newEnv(t)
	e.write("bug.jpg", "BUG 1")
	e.write("huge.png", "HUGE 1")
	e.write("eio.jpg", "EIO 1")
	e.write("bad.jpg", "BAD 1")
	s := e.scan()
	if got, want := counts(s), "seen=4 decoded=4 failed=4"; got != want {
		t.Errorf("first scan: %s, want %s", got, want)
	}
	kinds := map[string]string{"bug.jpg": catalog.ErrorInternal, "huge.png": catalog.ErrorInternal,
		"eio.jpg": catalog.ErrorRead, "bad.jpg": catalog.ErrorDecode}
	for path, p := range e.live() {
		if p.ErrorKind != kinds[path] {
			t.Errorf("%s: error kind %q, want %q (%s)", path, p.ErrorKind, kinds[path], p.Error)
		}
	}
	e.write("copy/bug.jpg", "BUG 1")
	s = e.scan()
	if got, want := counts(s), "seen=5 unchanged=1 decoded=3 failed=4 knownfailures=1"; got != want {
		t.Errorf("second scan: %s, want %s", got, want)
	}
	if n := e.signer.calls["BUG 1"]; n != 2 {
		t.Errorf("the content that met a bug was decoded %d times in two scans, want 2 (once a scan)", n)
	}
	reported := map[string]bool{}
	for _, f := range s.Failed {
		reported[f.Path] = strings.Contains(f.Reason, "internal decoder error") || strings.Contains(f.Reason, "memory budget") ||
			strings.Contains(f.Reason, "read error")
	}
	for _, path := range []string{"bug.jpg", "copy/bug.jpg", "huge.png", "eio.jpg"} {
		if !reported[path] {
			t.Errorf("%s: not reported with its reason: %+v", path, s.Failed)
		}
	}
}
