package exifdate

import (
	"context"
	"sort"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestMediaCorpus checks DateTaken on every row of ../shared/media against ExifTool's
// values: -DateTimeOriginal for stills (heif, avif, tiff, webp), QuickTime:CreationDate
// and QuickTime:CreateDate for videos, and the date used for matching that follows from
// them (media/README.md: CreationDate, else CreateDate).
func TestMediaCorpus(t *testing.T) {
	rows := sharedtest.Media(t)
	ctx := context.Background()
	stats := map[string][2]int{}
	withDate := 0
	for _, r := range rows {
		got, err := DateTakenFile(ctx, r.Path())
		if err != nil {
			t.Errorf("%s: %v", r.File, err)
			continue
		}
		var miss string
		switch r.Kind {
		case "video":
			want := Taken{}
			switch {
			case r.QuickTimeCreationDate != "":
				want = Taken{Date: wallTime(r.QuickTimeCreationDate), Source: SourceCreationDate, Raw: r.QuickTimeCreationDate}
			case r.QuickTimeCreateDate == "0000:00:00 00:00:00":
				want = Taken{Raw: r.QuickTimeCreateDate}
			case r.QuickTimeCreateDate != "":
				want = Taken{Date: r.QuickTimeCreateDate, Source: SourceCreateDate, Raw: r.QuickTimeCreateDate}
			}
			if got != want {
				miss = "got " + quote(got.Raw) + " (" + got.Source + "), want " + quote(want.Raw) + " (" + want.Source + ")"
			}
		default:
			if got.Raw != r.DateTimeOriginal || got.Date != r.DateTimeOriginal {
				miss = "got " + quote(got.Raw) + ", want " + quote(r.DateTimeOriginal)
			}
		}
		if got.Date != "" {
			withDate++
		}
		s := stats[r.Kind]
		s[1]++
		if miss == "" {
			s[0]++
		} else {
			t.Errorf("%s (%s, %s): %s", r.File, r.Kind, r.Category, miss)
		}
		stats[r.Kind] = s
	}
	kinds := make([]string, 0, len(stats))
	for k := range stats {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		t.Logf("%-6s %d/%d", k, stats[k][0], stats[k][1])
	}
	t.Logf("%d files with a date taken", withDate)
}
