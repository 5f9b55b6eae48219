package webp

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestMediaCorpus decodes every webp row of ../shared/media and compares with the
// signature Wand gave (ImageMagick 6.9.11 with libwebp 1.2.4), or, for ERROR rows, checks
// that Decode fails with a FormatError. Misses are reported by category.
func TestMediaCorpus(t *testing.T) {
	var rows []sharedtest.MediaRow
	for _, r := range sharedtest.Media(t) {
		if r.Kind == "webp" {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		t.Fatal("no webp rows in the media manifest")
	}
	type outcome struct {
		info Info
		got  string
		err  error
	}
	results := make([]outcome, len(rows))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, row := range rows {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			f, err := os.Open(row.Path())
			if err != nil {
				results[i].err = err
				return
			}
			defer f.Close()
			h := sha256.New()
			info, err := Decode(f, h, Options{})
			results[i] = outcome{info: info, got: hex.EncodeToString(h.Sum(nil)), err: err}
		}()
	}
	wg.Wait()
	type tally struct{ matched, total int }
	counts := map[string]*tally{}
	var misses []string
	for i, row := range rows {
		o := results[i]
		c := counts[row.Category]
		if c == nil {
			c = &tally{}
			counts[row.Category] = c
		}
		c.total++
		var why string
		switch {
		case row.WantsError():
			var fe FormatError
			if o.err == nil {
				why = "signed " + o.got + ", ImageMagick fails"
			} else if !errors.As(o.err, &fe) {
				why = "failed with " + o.err.Error() + ", not a FormatError"
			}
		case o.err != nil:
			why = "error: " + o.err.Error()
		case o.got != row.Expect:
			why = "signature " + o.got
		case o.info.Width != row.Width || o.info.Height != row.Height || o.info.Frames != row.Frames:
			why = "signature right, but size or frames wrong"
		}
		if why != "" {
			misses = append(misses, row.Category+": "+row.File+": "+why)
			continue
		}
		c.matched++
	}
	cats := make([]string, 0, len(counts))
	for c := range counts {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	var summary []string
	matched := 0
	for _, c := range cats {
		summary = append(summary, fmt.Sprintf("%s %d/%d", c, counts[c].matched, counts[c].total))
		matched += counts[c].matched
	}
	t.Logf("webp rows matched %d/%d: %s", matched, len(rows), strings.Join(summary, ", "))
	for _, m := range misses {
		t.Error(m)
	}
}
