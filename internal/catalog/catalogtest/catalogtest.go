// Package catalogtest builds, for tests, the databases flickrsync meets besides its own
// catalog: the Python flickrsync's, made with that tool's own CREATE statements
// (python_schema.sql, from its flickrsync/database.py).
package catalogtest

import (
	"database/sql"
	_ "embed"
	"testing"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

//go:embed python_schema.sql
var pythonSchema string

// PythonSchema is the Python flickrsync's CREATE statements.
func PythonSchema() string { return pythonSchema }

// PythonRow is a LocalPhotos row as the Python tool wrote it: Directory absolute,
// Signature NULL when it failed (then ImageError 1), Deleted '1' once the file was gone,
// Timestamp when it read the file (unix seconds).
type PythonRow struct {
	Directory, FileName, Signature string
	ImageError, Deleted            bool
	Timestamp                      int64
}

// PythonDB creates the Python tool's database at path with rows in LocalPhotos.
func PythonDB(t testing.TB, path string, rows []PythonRow) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(pythonSchema); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		var sig, imgErr, del any
		if r.Signature != "" {
			sig = r.Signature
		}
		if r.ImageError {
			imgErr = 1
		}
		if r.Deleted {
			del = "1"
		}
		if _, err := db.Exec(`INSERT INTO LocalPhotos (Directory, FileName, Signature, ImageError,
			Deleted, Timestamp) VALUES (?, ?, ?, ?, ?, ?)`,
			r.Directory, r.FileName, sig, imgErr, del, r.Timestamp); err != nil {
			t.Fatal(err)
		}
	}
}
