package sharedtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	root := t.TempDir()
	mod := filepath.Join(root, "repo")
	sub := filepath.Join(mod, "internal", "pkg")
	shared := filepath.Join(root, "shared")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, env, wd string
		mkShared      bool
		wantDir       string
		wantOK        bool
	}{
		{"walk-up", "", sub, true, shared, true},
		{"walk-up-absent", "", sub, false, shared, false},
		{"env", filepath.Join(root, "repo"), sub, false, mod, true},
		{"env-absent", filepath.Join(root, "nowhere"), sub, true, filepath.Join(root, "nowhere"), false},
		{"no-go-mod", "", root, true, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.RemoveAll(shared)
			if tc.mkShared {
				if err := os.Mkdir(shared, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			t.Setenv(EnvVar, tc.env)
			t.Chdir(tc.wd)
			dir, ok := Lookup()
			// the temporary directory may sit under a go.mod of its own: then only
			// the "no-go-mod" case cannot be checked
			if tc.name == "no-go-mod" && dir != "" {
				if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "go.mod")); err != nil {
					t.Fatalf("Lookup() = %q, %v: not beside a go.mod", dir, ok)
				}
				t.Skipf("%s is inside a module", root)
			}
			if dir != tc.wantDir || ok != tc.wantOK {
				t.Fatalf("Lookup() = %q, %v; want %q, %v", dir, ok, tc.wantDir, tc.wantOK)
			}
		})
	}
}

func TestDirSkipsWhenAbsent(t *testing.T) {
	t.Setenv(EnvVar, filepath.Join(t.TempDir(), "nowhere"))
	t.Setenv(RequireVar, "")
	ran := false
	t.Run("absent", func(t *testing.T) {
		defer func() { ran = t.Skipped() }()
		Dir(t)
		t.Error("Dir returned for an absent directory")
	})
	if !ran {
		t.Fatal("Dir did not skip")
	}
}

func TestPath(t *testing.T) {
	d := t.TempDir()
	t.Setenv(EnvVar, d)
	if got, want := Path(t, "flickr", "x.json"), filepath.Join(d, "flickr", "x.json"); got != want {
		t.Fatalf("Path = %q, want %q", got, want)
	}
}

// TestOnlyTestsImportSharedtest enforces the package rule: no non-test file of the module
// imports internal/sharedtest.
func TestOnlyTestsImportSharedtest(t *testing.T) {
	root := moduleRoot()
	if root == "" {
		t.Skip("no go.mod above the working directory")
	}
	const self = "github.com/flickrsync/flickrsync/internal/sharedtest"
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return nil // a package being edited by someone else; the compiler reports it
		}
		checked++
		for _, imp := range f.Imports {
			if strings.Trim(imp.Path.Value, "`\"") == self {
				t.Errorf("%s imports %s: only _test.go files may", path, self)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatalf("no Go files found under %s", root)
	}
	t.Logf("%d non-test Go files checked", checked)
}

// TestAbsentFailsUnderCISwitch: with FLICKRSYNC_REQUIRE_SHARED=1, what would skip fails,
// for the shared material and for a reference tool alike.
func TestAbsentFailsUnderCISwitch(t *testing.T) {
	t.Setenv(EnvVar, filepath.Join(t.TempDir(), "nowhere"))
	t.Setenv(RequireVar, "1")
	for name, fn := range map[string]func(testing.TB){
		"Dir":  func(tb testing.TB) { Dir(tb) },
		"Tool": func(tb testing.TB) { Tool(tb, "flickrsync-no-such-tool", "none") },
	} {
		f := call(fn)
		if f.skipped != "" || !strings.Contains(f.failed, RequireVar+"=1: required") {
			t.Errorf("%s: skipped %q, failed %q; want a failure naming the switch", name, f.skipped, f.failed)
		}
	}
	t.Setenv(RequireVar, "")
	if f := call(func(tb testing.TB) { Tool(tb, "flickrsync-no-such-tool", "none") }); f.failed != "" || !strings.Contains(f.skipped, "absent") {
		t.Errorf("Tool without the switch: skipped %q, failed %q; want a skip", f.skipped, f.failed)
	}
}
