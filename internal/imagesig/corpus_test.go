package imagesig

import (
	"context"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestCorpus signs the files of the shared corpus and compares with ImageMagick 6's
// signature (or its failure). Every PNG, GIF and other row must match; JPEG rows belong to
// the jpeg package's own corpus test and are only counted here (those over 2 MB only with
// FLICKRSYNC_CORPUS_JPEG=all).
func TestCorpus(t *testing.T) {
	rows := sharedtest.Corpus(t)
	type outcome struct {
		row sharedtest.CorpusRow
		got string
		err error
	}
	// JPEG rows are the jpeg package's own corpus test's business; here they only check
	// the dispatch, so the big ones (seconds each) are left out unless asked for.
	allJPEG := os.Getenv("FLICKRSYNC_CORPUS_JPEG") == "all"
	skippedJPEG := 0
	var kept []sharedtest.CorpusRow
	for _, row := range rows {
		if strings.HasPrefix(row.Category, "jpeg") && !allJPEG {
			if row.Bytes > 2<<20 {
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
			res, err := SignFile(context.Background(), row.Path(), Options{})
			results[i] = outcome{row: row, got: res.Signature, err: err}
		}()
	}
	wg.Wait()
	type tally struct{ matched, total int }
	counts := map[string]*tally{}
	misses := map[string][]string{}
	for _, o := range results {
		group := strings.SplitN(o.row.Category, "-", 2)[0]
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
		case o.row.WantsError() && o.err != nil:
			ok = refusedByDecoderOf(o.row.Path(), o.err)
			why = "error of the wrong class: " + o.err.Error()
		case o.row.WantsError():
			why = "signed " + o.got + ", ImageMagick fails"
		case o.err != nil:
			why = "error: " + o.err.Error()
		case o.got == o.row.Expect:
			ok = true
		default:
			why = "got " + o.got
		}
		if ok {
			c.matched++
			continue
		}
		misses[o.row.Category] = append(misses[o.row.Category], o.row.File+": "+why)
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

// refusedByDecoderOf reports whether err is the refusal of the decoder of the file's format
// (from its first bytes), not a bug, a read error or the memory budget.
func refusedByDecoderOf(path string, err error) bool {
	head := make([]byte, SniffLen)
	f, ferr := os.Open(path)
	if ferr != nil {
		return false
	}
	n, _ := io.ReadFull(f, head)
	f.Close()
	return Refused(err) && refusedBy(Sniff(head[:n], path), err)
}
