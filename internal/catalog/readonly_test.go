package catalog

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestNewerDatabaseLeftUntouched: a catalog of a newer schema in rollback-journal mode is
// refused before anything is written (it used to be switched to WAL first).
func TestNewerDatabaseLeftUntouched(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "newer.db")
	c, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`PRAGMA journal_mode=DELETE`, `INSERT INTO schema_version (version) VALUES (1000)`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if before[18] != 1 {
		t.Fatalf("test database not in rollback mode (header byte 18 = %d)", before[18])
	}
	for _, ro := range []bool{false, true} {
		if _, err := OpenWith(ctx, path, Options{ReadOnly: ro}); !errors.Is(err, ErrTooNew) {
			t.Fatalf("readonly=%v: err = %v, want ErrTooNew", ro, err)
		}
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Errorf("refused catalog was written (header byte 18 now %d)", after[18])
	}
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a WAL was made beside the refused catalog: %v", err)
	}
}
