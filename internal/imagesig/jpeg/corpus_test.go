package jpeg

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"runtime"
	"sort"
	"sync"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// corpusJPEGs lists the manifest rows of ../shared/corpus that are JPEG files (format
// JPEG/JPG, or a file starting with FF D8), skipping t when the corpus is absent.
func corpusJPEGs(t testing.TB) []sharedtest.CorpusRow {
	t.Helper()
	var rows []sharedtest.CorpusRow
	for _, r := range sharedtest.Corpus(t) {
		isJPEG := r.Format == "JPEG" || r.Format == "JPG"
		if !isJPEG {
			head := make([]byte, 2)
			if g, err := os.Open(r.Path()); err == nil {
				n, _ := g.Read(head)
				g.Close()
				isJPEG = n == 2 && head[0] == 0xFF && head[1] == 0xD8
			}
		}
		if isJPEG {
			rows = append(rows, r)
		}
	}
	return rows
}

func signatureOf(path string, opts Options) (string, Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", Info{}, err
	}
	defer f.Close()
	h := sha256.New()
	bw := bufio.NewWriterSize(h, 1<<16)
	info, err := Decode(context.Background(), f, bw, opts)
	if err != nil {
		return "", info, err
	}
	bw.Flush()
	return hex.EncodeToString(h.Sum(nil)), info, nil
}

func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	rows := corpusJPEGs(t)
	type result struct {
		row sharedtest.CorpusRow
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
				got, _, err := signatureOf(rows[i].Path(), Options{})
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
		if r.row.WantsError() {
			// A JPEG refused as libjpeg or ImageMagick refuses it, not any error (a file
			// that is not a JPEG at all is imagesig's corpus test's business).
			var fe FormatError
			var ue UnsupportedError
			ok = errors.As(r.err, &fe) || errors.As(r.err, &ue) || errors.Is(r.err, ErrTooLarge)
		} else {
			ok = r.err == nil && r.got == r.row.Expect
		}
		if ok {
			matched++
			continue
		}
		msg := r.row.File
		if r.err != nil {
			msg += ": " + r.err.Error()
		} else if r.row.WantsError() {
			msg += ": decoded, want an error"
		} else {
			msg += ": signature differs"
		}
		misses[r.row.Category] = append(misses[r.row.Category], msg)
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
