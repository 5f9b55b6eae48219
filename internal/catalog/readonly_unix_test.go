//go:build unix

package catalog

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReadOnlyMedia: status and duplicates read a WAL catalog on media they cannot write
// to: one closed cleanly (read as an immutable snapshot) and one whose WAL still holds
// transactions (read from a private copy, nothing missed).
func TestReadOnlyMedia(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		clean bool
	}{{"closed cleanly", true}, {"WAL with transactions", false}} {
		t.Run(tc.name, func(t *testing.T) {
			src := filepath.Join(t.TempDir(), "flickrsync.db")
			c, err := Open(ctx, src)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.SetMeta(ctx, MetaLibraryRoot, "/photos"); err != nil {
				t.Fatal(err)
			}
			media := filepath.Join(t.TempDir(), "media")
			if err := os.Mkdir(media, 0o755); err != nil {
				t.Fatal(err)
			}
			if tc.clean {
				c.Close()
			}
			for _, suffix := range []string{"", "-wal", "-shm"} {
				if err := copyIfExists(src+suffix, filepath.Join(media, "flickrsync.db"+suffix)); err != nil {
					t.Fatal(err)
				}
			}
			if !tc.clean {
				c.Close()
				if st, err := os.Stat(filepath.Join(media, "flickrsync.db-wal")); err != nil || st.Size() == 0 {
					t.Fatalf("the copied WAL is empty: %v", err)
				}
			}
			os.Remove(filepath.Join(media, "flickrsync.db-shm")) // as on a snapshot that lost it
			before := snapshot(t, media)
			makeReadOnly(t, media)
			got := readMetaAsUnprivileged(t, filepath.Join(media, "flickrsync.db"))
			if got != "/photos" {
				t.Errorf("read %q, want /photos", got)
			}
			if after := snapshot(t, media); after != before {
				t.Errorf("the read-only media changed:\n%s\nnow\n%s", before, after)
			}
		})
	}
}

// snapshot describes the files of a folder (names, sizes, content).
func snapshot(t *testing.T, dir string) string {
	var b strings.Builder
	for _, name := range listTree(t, dir) {
		data, _ := os.ReadFile(filepath.Join(dir, name))
		b.WriteString(name + " " + string(rune(len(data))) + "\n")
		b.Write(data)
	}
	return b.String()
}

func makeReadOnly(t *testing.T, dir string) {
	t.Helper()
	for _, name := range listTree(t, dir) {
		os.Chmod(filepath.Join(dir, name), 0o444)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
}

// readMetaAsUnprivileged opens the catalog read-only and reads MetaLibraryRoot, as a user
// who cannot write to its folder: this process when it is not root, else a child
// process of this test binary running as nobody (root writes anywhere).
func readMetaAsUnprivileged(t *testing.T, path string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		return readMeta(t, path)
	}
	// The child needs to reach the file and run a copy of the test binary.
	for d := filepath.Dir(path); d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
		if st, err := os.Stat(d); err == nil && st.Mode().Perm()&0o005 != 0o005 {
			os.Chmod(d, st.Mode().Perm()|0o005)
		}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "catalog.test")
	os.Chmod(filepath.Dir(bin), 0o755)
	os.Chmod(filepath.Dir(filepath.Dir(bin)), 0o755)
	in, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(out, in)
	in.Close()
	out.Close()
	cmd := exec.Command(bin, "-test.run=^TestReadOnlyChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "FLICKRSYNC_TEST_READONLY="+path, "HOME=/", "TMPDIR=/tmp")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	outb, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, outb)
	}
	_, val, ok := strings.Cut(string(outb), "META=")
	if !ok {
		t.Fatalf("child said:\n%s", outb)
	}
	val, _, _ = strings.Cut(val, "\n")
	return val
}

func readMeta(t *testing.T, path string) string {
	t.Helper()
	c, err := OpenWith(context.Background(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	v, err := c.Meta(context.Background(), MetaLibraryRoot)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestReadOnlyChild is the unprivileged half of TestReadOnlyMedia (it does nothing unless
// that test runs it).
func TestReadOnlyChild(t *testing.T) {
	path := os.Getenv("FLICKRSYNC_TEST_READONLY")
	if path == "" {
		return
	}
	if f, err := os.OpenFile(filepath.Join(filepath.Dir(path), "probe"), os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
		f.Close()
		t.Fatal("the child can write to the read-only folder")
	}
	os.Stdout.WriteString("META=" + readMeta(t, path) + "\n")
}
