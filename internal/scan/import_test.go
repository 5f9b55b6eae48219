package scan

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/catalog/catalogtest"
)

// pyEnv is an env whose catalog was opened where the Python tool's database is.
func pyEnv(t *testing.T, files []string, rows func(root string, after int64) []catalogtest.PythonRow) (*env, string) {
	e := newEnv(t)
	for _, f := range files {
		e.write(f, "content of "+f)
	}
	py := filepath.Join(t.TempDir(), "flickrsync.db")
	catalogtest.PythonDB(t, py, rows(e.root, clock.Unix()+60))
	e.cat.Close()
	cat, err := catalog.Open(context.Background(), py)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	e.cat = cat
	return e, py
}

func TestImportPythonSignatures(t *testing.T) {
	var files []string
	for _, d := range []string{"", "2019", "2019/trip", "2020"} {
		for _, n := range []string{"a.jpg", "b.JPG", "c.png", "d.gif", "e.jpg"} {
			files = append(files, strings.TrimPrefix(d+"/"+n, "/"))
		}
	}
	e, py := pyEnv(t, files, func(root string, after int64) []catalogtest.PythonRow {
		var rows []catalogtest.PythonRow
		for _, f := range files {
			dir, name := catalog.SplitPath(f)
			r := catalogtest.PythonRow{Directory: filepath.Join(root, filepath.FromSlash(dir)), FileName: name, Signature: sigOf("content of " + f), Timestamp: after}
			switch f {
			case "2020/a.jpg": // modified after the Python tool read it
				r.Timestamp = after - 1000
			case "2020/b.JPG":
				r.Deleted = true
			case "2020/c.png":
				r.Signature, r.ImageError = "", true
			case "2020/d.gif":
				continue // never indexed by it
			}
			rows = append(rows, r)
		}
		return append(rows, catalogtest.PythonRow{Directory: "/elsewhere", FileName: "x.jpg", Signature: sigOf("x"), Timestamp: after})
	})
	before, _ := os.ReadFile(py)
	sum, err := Run(context.Background(), Config{FS: e.fsys, Catalog: e.cat, Signer: e.signer.sign, Root: e.root})
	if err != nil {
		t.Fatal(err)
	}
	// 20 files: 16 signed rows under the root (one modified since), 4 without a usable row.
	imp := sum.Import
	if imp == nil || imp.Rows != 17 || imp.Checked != ImportSample || imp.Refused != "" || imp.Imported != 16-ImportSample {
		t.Fatalf("import %+v", imp)
	}
	if sum.New != 20 || sum.Decoded != 4+ImportSample || e.signer.decodes() != sum.Decoded {
		t.Errorf("new %d, decoded %d (signer %d); want 20, %d", sum.New, sum.Decoded, e.signer.decodes(), 4+ImportSample)
	}
	for p, pic := range e.live() {
		if pic.Signature != sigOf("content of "+p) || pic.Hash == "" {
			t.Errorf("%s: %+v", p, pic)
		}
	}
	if after, _ := os.ReadFile(py); string(after) != string(before) {
		t.Error("the Python database was written")
	}
	// Only the first index imports.
	e.write("2021/new.jpg", "new")
	sum = e.scanWith(Config{Root: e.root})
	if sum.Import != nil || sum.Decoded != 1 {
		t.Errorf("second index: import %+v, decoded %d", sum.Import, sum.Decoded)
	}
}

func TestImportRefusedOnDisagreement(t *testing.T) {
	files := []string{"a.jpg", "b.jpg", "c.jpg"}
	e, _ := pyEnv(t, files, func(root string, after int64) []catalogtest.PythonRow {
		var rows []catalogtest.PythonRow
		for _, f := range files {
			sig := sigOf("content of " + f)
			if f == "b.jpg" {
				sig = strings.Repeat("0", 64) // another decoder's pixels
			}
			rows = append(rows, catalogtest.PythonRow{Directory: root, FileName: f, Signature: sig, Timestamp: after})
		}
		return rows
	})
	sum, err := Run(context.Background(), Config{FS: e.fsys, Catalog: e.cat, Signer: e.signer.sign, Root: e.root})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Import == nil || sum.Import.Imported != 0 || !strings.Contains(sum.Import.Refused, "b.jpg") {
		t.Fatalf("import %+v", sum.Import)
	}
	if p := e.live()["b.jpg"]; p.Signature != sigOf("content of b.jpg") {
		t.Errorf("b.jpg: %+v", p)
	}
	// Every file decoded by the scan (the sample's decodes come on top).
	if sum.Decoded != 3 {
		t.Errorf("decoded %d, want 3", sum.Decoded)
	}
}
