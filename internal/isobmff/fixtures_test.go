package isobmff

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readFixtureTable reads testdata/fixtures/expected.tsv: generated files and what ExifTool
// 13.58 reported for them (TestDifferentialExifTool wrote both).
func readFixtureTable(t testing.TB) map[string]reference {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, "expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]reference{}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for _, line := range lines[1:] {
		f := strings.Split(line, "\t")
		if len(f) != 8 {
			t.Fatalf("bad expected.tsv line %q", line)
		}
		out[f[0]] = referenceFromFields(f[1:])
	}
	return out
}

// TestFixtures signs the committed generated files and compares with ExifTool 13.58's
// values recorded beside them; where ExifTool hashed nothing, the file must be signed
// whole exactly when its container is intact, else fail with a container error.
func TestFixtures(t *testing.T) {
	refs := readFixtureTable(t)
	if len(refs) == 0 {
		t.Fatal("no fixtures")
	}
	kinds := map[string]int{}
	for name, ref := range refs {
		b, err := os.ReadFile(filepath.Join(fixtureDir, name))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Sign(context.Background(), bytes.NewReader(b), int64(len(b)))
		for _, why := range compareReference(res, err, ref) {
			t.Errorf("%s: %s", name, why)
		}
		intact := checkIntact(newWindow(bytes.NewReader(b), int64(len(b)), 64<<10))
		switch {
		case ref.Hash != "":
			kinds["coded data"]++
		case intact == nil:
			kinds["whole file"]++
			if err != nil || res.Kind != KindWholeFile || res.HashedBytes != int64(len(b)) {
				t.Errorf("%s: intact and not hashed by ExifTool: got %s %v, want the whole file", name, res.Kind, err)
			}
		default:
			kinds["error"]++
			var fe *FormatError
			if err == nil || (!errors.As(err, &fe) && !errors.Is(err, ErrEmpty)) {
				t.Errorf("%s: broken container (%v): got %s %v, want a container error", name, intact, res.Kind, err)
			}
		}
	}
	t.Logf("%d fixtures: %d coded data, %d whole file, %d errors", len(refs), kinds["coded data"], kinds["whole file"], kinds["error"])
}
