package sharedtest

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// SmallFiles returns the contents of small files for fuzz seeds and table tests: the files
// matching localGlob (the package's own fixtures; "" for none), then the corpus files whose
// names match corpusPattern (a filepath.Match pattern), each group in name order, leaving out
// any over maxBytes. Without ../shared the corpus part is simply empty.
func SmallFiles(t testing.TB, localGlob, corpusPattern string, maxBytes int64) [][]byte {
	t.Helper()
	var paths []string
	if localGlob != "" {
		local, err := filepath.Glob(localGlob)
		if err != nil {
			t.Fatalf("fixtures %s: %v", localGlob, err)
		}
		sort.Strings(local)
		paths = append(paths, local...)
	}
	var corpus []string
	for _, r := range CorpusIfPresent(t) {
		if ok, _ := filepath.Match(corpusPattern, r.File); ok {
			corpus = append(corpus, r.Path())
		}
	}
	sort.Strings(corpus)
	paths = append(paths, corpus...)
	var out [][]byte
	for _, p := range paths {
		if st, err := os.Stat(p); err != nil || st.Size() > maxBytes {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}
