package catalog

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestCopyIfExists(t *testing.T) {
	dir := t.TempDir()
	if err := copyIfExists(filepath.Join(dir, "missing"), filepath.Join(dir, "x")); err != nil {
		t.Errorf("missing source: %v", err)
	}
	src, dst := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.WriteFile(src, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := copyIfExists(src, dst); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "data" {
		t.Errorf("copy holds %q", b)
	}
	if err := copyIfExists(src, dst); err == nil {
		t.Error("an existing destination was overwritten")
	}
}

// TestCopyForDryRun: the copy holds what the catalog holds, writes to it leave the
// original's bytes alone, and cleanup removes it.
func TestCopyForDryRun(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "flickrsync.db")
	c, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetMeta(ctx, "k", "before"); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	cp, cleanup, err := CopyForDryRun(path)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := Open(ctx, cp)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := c2.Meta(ctx, "k"); v != "before" {
		t.Errorf("the copy's meta = %q, want %q", v, "before")
	}
	if err := c2.SetMeta(ctx, "k", "after"); err != nil {
		t.Fatal(err)
	}
	c2.Close()
	if now, _ := os.ReadFile(path); string(now) != string(orig) {
		t.Error("writing the copy changed the catalog")
	}
	if err := cleanup(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Dir(cp)); !os.IsNotExist(err) {
		t.Errorf("cleanup left %s", filepath.Dir(cp))
	}

	// No catalog yet: the dry run gets a path for a fresh one.
	cp, cleanup, err = CopyForDryRun(filepath.Join(t.TempDir(), "none.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	if _, err := os.Stat(cp); !os.IsNotExist(err) {
		t.Errorf("a copy of nothing exists: %v", err)
	}
}
