package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/catalog/catalogtest"
	"github.com/flickrsync/flickrsync/internal/scan"
)

// End to end through the CLI: what the scanner reads from the disk (ignore rules, the
// Python tool's database) as a user sets it up in config.ini.

func writeConfigFile(t *testing.T, home, text string) {
	t.Helper()
	p := filepath.Join(home, ".flickrsync", "config.ini")
	os.MkdirAll(filepath.Dir(p), 0o700)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestIndexExcludes(t *testing.T) {
	home := t.TempDir()
	lib := filepath.Join(t.TempDir(), "Pictures")
	writePNG(t, filepath.Join(lib, "keep.png"), 1)
	writePNG(t, filepath.Join(lib, "@eaDir", "keep.png", "SYNOPHOTO_THUMB_XL.png"), 2)
	writePNG(t, filepath.Join(lib, ".thumbnails", "normal", "x.png"), 3)
	writePNG(t, filepath.Join(lib, "scans", "raw.png"), 4)
	writePNG(t, filepath.Join(lib, "trip", "a.png"), 5)
	writePNG(t, filepath.Join(lib, "trip", "b.png"), 6)
	os.WriteFile(filepath.Join(lib, "trip", ".flickrsyncignore"), []byte("b.png\n"), 0o644)
	writeConfigFile(t, home, "[DEFAULT]\ndirectory = "+lib+"\ndatabase = "+filepath.Join(home, "fs.db")+"\nexclude = scans/\n")
	code, out, errs := runIn(home, "index", "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var sum scan.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"default:5:@eaDir": 1, "default:2:.thumbnails": 1, "exclude:1:scans/": 1,
		"trip/.flickrsyncignore:1:b.png": 1}
	if sum.Seen != 2 || sum.Excluded != 4 || len(sum.ExcludedBy) != 4 {
		t.Errorf("seen %d, excluded %d by %v; want 2, 4 by %v", sum.Seen, sum.Excluded, sum.ExcludedBy, want)
	}
	for r, n := range want {
		if sum.ExcludedBy[r] != n {
			t.Errorf("excluded by %s: %d, want %d", r, sum.ExcludedBy[r], n)
		}
	}
	// default_excludes = no: the thumbnails are pictures like the others.
	writeConfigFile(t, home, "[DEFAULT]\ndirectory = "+lib+"\ndatabase = "+filepath.Join(home, "fs.db")+"\ndefault_excludes = no\n")
	code, out, errs = runIn(home, "index", "--json")
	if code != 0 || json.Unmarshal([]byte(out), &sum) != nil || sum.Seen != 5 || sum.Excluded != 1 {
		t.Errorf("default_excludes = no: exit %d, seen %d excluded %d\n%s", code, sum.Seen, sum.Excluded, errs)
	}
}

// TestSwitchFromPython: config.ini still names the Python tool's database; index and
// status use flickrsync-go.db beside it, import its signatures, never write into it.
func TestSwitchFromPython(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	lib := filepath.Join(t.TempDir(), "Pictures")
	var files []string
	for i := 0; i < 8; i++ {
		f := filepath.Join(lib, "2018", string(rune('a'+i))+".png")
		writePNG(t, f, uint8(10*i))
		files = append(files, f)
	}
	py := filepath.Join(home, ".flickrsync", "flickrsync.db")
	os.MkdirAll(filepath.Dir(py), 0o700)
	var rows []catalogtest.PythonRow
	for _, f := range files {
		r, _ := os.Open(f)
		st, _ := r.Stat()
		signed, err := scan.ImageSigner(ctx, r, st.Size(), filepath.Base(f))
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, catalogtest.PythonRow{Directory: filepath.Dir(f), FileName: filepath.Base(f),
			Signature: signed.Signature, Timestamp: st.ModTime().Unix() + 10})
	}
	catalogtest.PythonDB(t, py, rows)
	before, _ := os.ReadFile(py)
	writeConfigFile(t, home, "[DEFAULT]\ndirectory = "+lib+"\ndatabase = ~/.flickrsync/flickrsync.db\n")

	code, out, errs := runIn(home, "index", "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var sum scan.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Import == nil || sum.Import.Imported != 8-scan.ImportSample || sum.Decoded != scan.ImportSample || sum.New != 8 {
		t.Errorf("import %+v, decoded %d, new %d", sum.Import, sum.Decoded, sum.New)
	}
	code, out, errs = runIn(home, "status", "--json")
	var st map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil {
		t.Fatalf("status: exit %d\n%s\n%s", code, out, errs)
	}
	if st["database"] != filepath.Join(home, ".flickrsync", "flickrsync-go.db") || st["local_pictures"] != float64(8) {
		t.Errorf("status: database %v, local pictures %v", st["database"], st["local_pictures"])
	}
	if after, _ := os.ReadFile(py); string(after) != string(before) {
		t.Error("the Python database was written")
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Stat(py + suffix); err == nil || !strings.Contains(err.Error(), "no such file") {
			t.Errorf("%s beside the Python database: %v", suffix, err)
		}
	}
}
