package isobmff

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// mediaKinds are the manifest kinds this package signs.
var mediaKinds = map[string]bool{"heif": true, "avif": true, "video": true}

// TestCorpus signs every heif, avif and video row of ../shared/media and compares the
// signature (or the error), its kind, the sniffed format, the size and the duration with
// ExifTool 13.58's values, reporting misses by category.
func TestCorpus(t *testing.T) {
	rows := sharedtest.Media(t)
	ctx := context.Background()
	total := 0
	misses := map[string][]string{}
	perCat := map[string][2]int{}
	for _, r := range rows {
		if !mediaKinds[r.Kind] {
			continue
		}
		total++
		var why []string
		res, err := SignFile(ctx, r.Path())
		switch {
		case r.WantsError():
			var fe *FormatError
			if err == nil {
				why = append(why, fmt.Sprintf("signed %s (%s), want an error", res.Signature, res.Kind))
			} else if !errors.As(err, &fe) && !errors.Is(err, ErrEmpty) {
				why = append(why, fmt.Sprintf("error %v is not a container error", err))
			}
		case err != nil:
			why = append(why, fmt.Sprintf("error %v, want %s", err, r.Expect))
		default:
			if res.Signature != r.Expect {
				why = append(why, fmt.Sprintf("signature %s (%s, %d bytes), want %s (hashed %s)", res.Signature, res.Kind, res.HashedBytes, r.Expect, r.Hashed))
			}
			wantKind := KindCodedData
			if strings.HasPrefix(r.ReferenceNote, "note: whole-file SHA-256") {
				wantKind = KindWholeFile
			}
			if res.Kind != wantKind {
				why = append(why, fmt.Sprintf("kind %q, want %q", res.Kind, wantKind))
			}
		}
		if res.Format != r.Format {
			why = append(why, fmt.Sprintf("format %s, want %s", res.Format, r.Format))
		}
		if res.Width != int64(r.Width) || res.Height != int64(r.Height) {
			why = append(why, fmt.Sprintf("size %dx%d, want %dx%d", res.Width, res.Height, r.Width, r.Height))
		}
		if r.Kind == "video" {
			if got := durationColumn(res.Meta); got != r.Duration {
				why = append(why, fmt.Sprintf("duration %v (%v), want %v", got, res.HasDuration, r.Duration))
			}
		}
		c := perCat[r.Category]
		c[1]++
		if len(why) == 0 {
			c[0]++
		} else {
			misses[r.Category] = append(misses[r.Category], r.File+": "+strings.Join(why, "; "))
		}
		perCat[r.Category] = c
	}
	cats := make([]string, 0, len(perCat))
	for c := range perCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	matched := 0
	for _, c := range cats {
		matched += perCat[c][0]
		t.Logf("%-28s %d/%d", c, perCat[c][0], perCat[c][1])
		for _, m := range misses[c] {
			t.Errorf("%s: %s", c, m)
		}
	}
	t.Logf("%d/%d heif/avif/video rows match", matched, total)
	if total == 0 {
		t.Fatal("no heif/avif/video rows in the manifest")
	}
}

// durationColumn is the duration as the manifest writes it: ExifTool's value rounded to
// three decimals.
func durationColumn(m Meta) float64 {
	if !m.HasDuration {
		return 0
	}
	return math.Round(m.Duration*1000) / 1000
}
