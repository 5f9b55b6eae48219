package tiff

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// signFile decodes a file and returns its signature.
func signFile(t testing.TB, path string) (string, Info, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	info, err := Decode(context.Background(), f, st.Size(), h, Options{})
	return hex.EncodeToString(h.Sum(nil)), info, err
}

// knownGaps are the tiff rows this package does not read yet, and why; the test fails on
// any other miss, and on a gap that starts matching (so that the list stays true).
var knownGaps = map[string]string{}

// TestMediaCorpus signs every tiff row of ../shared/media and reports the misses by
// category.
func TestMediaCorpus(t *testing.T) {
	rows := sharedtest.Media(t)
	total := map[string]int{}
	missed := map[string][]string{}
	n := 0
	for _, r := range rows {
		if r.Kind != "tiff" {
			continue
		}
		n++
		total[r.Category]++
		got, _, err := signFile(t, r.Path())
		switch {
		case r.WantsError() && err == nil:
			missed[r.Category] = append(missed[r.Category], fmt.Sprintf("%s: want an error, got %s", r.File, got))
		case r.WantsError() && !errors.As(err, new(FormatError)):
			// ImageMagick fails these files: the error says the file is bad, not that a
			// feature is missing here.
			missed[r.Category] = append(missed[r.Category], fmt.Sprintf("%s: want a FormatError, got %v", r.File, err))
		case !r.WantsError() && err != nil:
			missed[r.Category] = append(missed[r.Category], fmt.Sprintf("%s: %v", r.File, err))
		case !r.WantsError() && got != r.Expect:
			missed[r.Category] = append(missed[r.Category], fmt.Sprintf("%s: got %s, want %s", r.File, got, r.Expect))
		}
	}
	if n == 0 {
		t.Fatal("no tiff rows in the media manifest")
	}
	var cats []string
	for c := range total {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	matched := 0
	var report strings.Builder
	for _, c := range cats {
		m := total[c] - len(missed[c])
		matched += m
		fmt.Fprintf(&report, "%-28s %3d/%d\n", c, m, total[c])
		for _, s := range missed[c] {
			fmt.Fprintf(&report, "    %s\n", s)
		}
	}
	t.Logf("tiff rows matched: %d/%d\n%s", matched, n, report.String())
	gaps := 0
	for _, c := range cats {
		for _, m := range missed[c] {
			file, _, _ := strings.Cut(m, ":")
			if reason, ok := knownGaps[file]; ok {
				gaps++
				t.Logf("known gap: %s: %s", file, reason)
				continue
			}
			t.Errorf("miss: %s", m)
		}
	}
	if gaps != len(knownGaps) {
		t.Errorf("%d known gaps listed, %d still missing: update knownGaps", len(knownGaps), gaps)
	}
}
