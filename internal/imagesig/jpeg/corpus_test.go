package jpeg

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// sharedDir finds /work/shared as ../shared beside the repository root, or $FLICKRSYNC_SHARED.
func sharedDir(t testing.TB) string {
	if s := os.Getenv("FLICKRSYNC_SHARED"); s != "" {
		return s
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared")
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

// corpusJPEGs lists the manifest rows that are JPEG files (format JPEG/JPG or FF D8 bytes).
func corpusJPEGs(t testing.TB) (string, []corpusRow) {
	shared := sharedDir(t)
	manifest := filepath.Join(shared, "corpus", "manifest.tsv")
	f, err := os.Open(manifest)
	if err != nil {
		t.Skipf("corpus not available (%v)", err)
	}
	defer f.Close()
	files := filepath.Join(shared, "corpus", "files")
	var rows []corpusRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var cols map[string]int
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if cols == nil {
			cols = map[string]int{}
			for i, name := range fields {
				cols[name] = i
			}
			continue
		}
		get := func(name string) string {
			i, ok := cols[name]
			if !ok || i >= len(fields) {
				return ""
			}
			return fields[i]
		}
		r := corpusRow{file: get("file"), category: get("category"), expect: get("expect")}
		format := get("format")
		isJPEG := format == "JPEG" || format == "JPG"
		if !isJPEG {
			head := make([]byte, 2)
			if g, err := os.Open(filepath.Join(files, r.file)); err == nil {
				n, _ := g.Read(head)
				g.Close()
				isJPEG = n == 2 && head[0] == 0xFF && head[1] == 0xD8
			}
		}
		if isJPEG {
			rows = append(rows, r)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return files, rows
}

func signatureOf(path string) (string, Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", Info{}, err
	}
	defer f.Close()
	h := sha256.New()
	bw := bufio.NewWriterSize(h, 1<<16)
	info, err := Decode(f, bw, Options{})
	if err != nil {
		return "", info, err
	}
	bw.Flush()
	return hex.EncodeToString(h.Sum(nil)), info, nil
}

func TestCorpus(t *testing.T) {
	files, rows := corpusJPEGs(t)
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	type result struct {
		row corpusRow
		got string
		err error
	}
	results := make([]result, len(rows))
	var wg sync.WaitGroup
	jobs := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				got, _, err := signatureOf(filepath.Join(files, rows[i].file))
				results[i] = result{rows[i], got, err}
			}
		}()
	}
	for i := range rows {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	matched := 0
	misses := map[string][]string{}
	for _, r := range results {
		ok := false
		if r.row.expect == "ERROR" {
			ok = r.err != nil
		} else {
			ok = r.err == nil && r.got == r.row.expect
		}
		if ok {
			matched++
			continue
		}
		msg := r.row.file
		if r.err != nil {
			msg += ": " + r.err.Error()
		} else if r.row.expect == "ERROR" {
			msg += ": decoded, want an error"
		} else {
			msg += ": signature differs"
		}
		misses[r.row.category] = append(misses[r.row.category], msg)
	}
	t.Logf("corpus: %d/%d JPEG rows matched", matched, len(results))
	cats := make([]string, 0, len(misses))
	for c := range misses {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		t.Logf("misses in %s (%d):", c, len(misses[c]))
		for _, m := range misses[c] {
			t.Logf("  %s", m)
		}
	}
	if matched != len(results) {
		t.Errorf("%d corpus JPEG rows do not match", len(results)-matched)
	}
}

var _ = bytes.MinRead
