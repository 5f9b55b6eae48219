package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSmallFiles(t *testing.T) {
	dir := t.TempDir()
	for name, size := range map[string]int{"b.png": 10, "a.png": 20, "big.png": 100, "c.gif": 5} {
		if err := os.WriteFile(filepath.Join(dir, name), make([]byte, size), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv(EnvVar, filepath.Join(dir, "no-shared-here")) // the corpus part is empty
	got := SmallFiles(t, filepath.Join(dir, "*.png"), "*.png", 50)
	if len(got) != 2 || len(got[0]) != 20 || len(got[1]) != 10 {
		t.Errorf("want a.png then b.png (big.png over the limit, c.gif not matched), got sizes %v", sizes(got))
	}
	if got := SmallFiles(t, "", "*.png", 50); len(got) != 0 {
		t.Errorf("no local glob and no corpus: got %d files", len(got))
	}
}

func sizes(files [][]byte) []int {
	var n []int
	for _, f := range files {
		n = append(n, len(f))
	}
	return n
}
