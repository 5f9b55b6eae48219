package exifdate

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir finds /work/shared: $FLICKRSYNC_SHARED, else ../shared beside the module root.
func sharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("FLICKRSYNC_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

type corpusRow struct {
	file, category, want string
}

func readManifest(t testing.TB) (string, []corpusRow) {
	t.Helper()
	shared := sharedDir(t)
	manifest := filepath.Join(shared, "corpus", "manifest.tsv")
	f, err := os.Open(manifest)
	if err != nil {
		t.Skipf("corpus not available (%v): set FLICKRSYNC_SHARED", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var rows []corpusRow
	col := map[string]int{}
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(col) == 0 {
			for i, name := range fields {
				col[name] = i
			}
			continue
		}
		rows = append(rows, corpusRow{
			file:     fields[col["file"]],
			category: fields[col["category"]],
			want:     fields[col["im6_exif_datetimeoriginal"]],
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(shared, "corpus", "files"), rows
}

// TestCorpus checks every corpus file against ImageMagick 6's recorded value.
func TestCorpus(t *testing.T) {
	dir, rows := readManifest(t)
	if len(rows) == 0 {
		t.Fatal("empty manifest")
	}
	var misses []string
	withDate := 0
	for _, r := range rows {
		got, err := FromFile(filepath.Join(dir, r.file))
		if err != nil {
			t.Errorf("%s: %v", r.file, err)
			continue
		}
		if r.want != "" {
			withDate++
		}
		if got != r.want {
			misses = append(misses, r.file+" ("+r.category+"): got "+strings.TrimSpace(quote(got))+", want "+quote(r.want))
		}
		// The bytes path must agree with the file path.
		b, err := os.ReadFile(filepath.Join(dir, r.file))
		if err != nil {
			t.Fatal(err)
		}
		if gotB, _ := FromBytes(b); gotB != got {
			t.Errorf("%s: FromBytes %q != FromFile %q", r.file, gotB, got)
		}
	}
	t.Logf("%d/%d rows match (%d with a date)", len(rows)-len(misses), len(rows), withDate)
	for _, m := range misses {
		t.Error(m)
	}
}

func quote(s string) string { return "\"" + s + "\"" }
