package imagesig

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// sharedDir finds /work/shared: $FLICKRSYNC_SHARED, or ../shared next to the repository
// root (the directory holding go.mod).
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
	file, category, expect string
}

// readManifest reads the corpus manifest, skipping the test when the corpus is absent.
func readManifest(t testing.TB) (string, []corpusRow) {
	t.Helper()
	dir := filepath.Join(sharedDir(t), "corpus")
	f, err := os.Open(filepath.Join(dir, "manifest.tsv"))
	if err != nil {
		t.Skipf("image corpus not available (set FLICKRSYNC_SHARED): %v", err)
	}
	defer f.Close()
	var rows []corpusRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	header := true
	for sc.Scan() {
		if header {
			header = false
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 {
			continue
		}
		rows = append(rows, corpusRow{file: cols[0], category: cols[1], expect: cols[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "files"), rows
}

// TestCorpus signs the files of the shared corpus and compares with ImageMagick 6's
// signature (or its failure). Every PNG, GIF and other row must match; JPEG rows belong to
// the jpeg package's own corpus test and are only counted here (those over 2 MB only with
// FLICKRSYNC_CORPUS_JPEG=all).
func TestCorpus(t *testing.T) {
	dir, rows := readManifest(t)
	type outcome struct {
		row corpusRow
		got string
		err error
	}
	// JPEG rows are the jpeg package's own corpus test's business; here they only check
	// the dispatch, so the big ones (seconds each) are left out unless asked for.
	allJPEG := os.Getenv("FLICKRSYNC_CORPUS_JPEG") == "all"
	skippedJPEG := 0
	var kept []corpusRow
	for _, row := range rows {
		if strings.HasPrefix(row.category, "jpeg") && !allJPEG {
			if st, err := os.Stat(filepath.Join(dir, row.file)); err == nil && st.Size() > 2<<20 {
				skippedJPEG++
				continue
			}
		}
		kept = append(kept, row)
	}
	rows = kept
	results := make([]outcome, len(rows))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, row := range rows {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			res, err := SignFile(context.Background(), filepath.Join(dir, row.file), Options{})
			results[i] = outcome{row: row, got: res.Signature, err: err}
		}()
	}
	wg.Wait()
	type tally struct{ matched, total int }
	counts := map[string]*tally{}
	misses := map[string][]string{}
	for _, o := range results {
		group := strings.SplitN(o.row.category, "-", 2)[0]
		if group != "png" && group != "gif" && group != "jpeg" {
			group = "other"
		}
		c := counts[group]
		if c == nil {
			c = &tally{}
			counts[group] = c
		}
		c.total++
		ok := false
		var why string
		switch {
		case o.row.expect == "ERROR" && o.err != nil:
			ok = true
		case o.row.expect == "ERROR":
			why = "signed " + o.got + ", ImageMagick fails"
		case o.err != nil:
			why = "error: " + o.err.Error()
		case o.got == o.row.expect:
			ok = true
		default:
			why = "got " + o.got
		}
		if ok {
			c.matched++
			continue
		}
		misses[o.row.category] = append(misses[o.row.category], o.row.file+": "+why)
	}
	var cats []string
	for c := range misses {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		for _, m := range misses[c] {
			if strings.HasPrefix(c, "jpeg") {
				t.Logf("jpeg miss (owned by package jpeg) %s: %s", c, m)
			} else {
				t.Errorf("miss %s: %s", c, m)
			}
		}
	}
	for _, g := range []string{"png", "gif", "other", "jpeg"} {
		if c := counts[g]; c != nil {
			t.Logf("%s: %d/%d match ImageMagick", g, c.matched, c.total)
		}
	}
	if skippedJPEG > 0 {
		t.Logf("jpeg: %d JPEG files over 2 MB not signed here (FLICKRSYNC_CORPUS_JPEG=all signs them)", skippedJPEG)
	}
}
