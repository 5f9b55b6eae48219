package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestMediaCorpusCLI runs the whole manifest of ../shared/media through `flickrsync
// signature --json` and compares, per file, the signature (or the refusal) with ExifTool's
// and ImageMagick's, the kind of signature, the format as sniffed, the dimensions and the
// duration, and the date taken used for matching; misses are reported by category.
func TestMediaCorpusCLI(t *testing.T) {
	rows := sharedtest.Media(t)
	args := []string{"signature", "--json"}
	for _, r := range rows {
		args = append(args, r.Path())
	}
	var out, errw bytes.Buffer
	code := Main(context.Background(), args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errw,
		Getenv: func(string) string { return "" }, IsTerminal: func() bool { return false }})
	var infos []fileInfo
	if err := json.Unmarshal(out.Bytes(), &infos); err != nil {
		t.Fatalf("exit %d, output is no JSON array: %v\n%s", code, err, errw.String())
	}
	if len(infos) != len(rows) {
		t.Fatalf("%d objects for %d files", len(infos), len(rows))
	}
	type tally struct{ matched, total int }
	perCat := map[string]*tally{}
	perKind := map[string]*tally{}
	misses := map[string][]string{}
	wantErrors := 0
	for i, r := range rows {
		fi := infos[i]
		for _, c := range []struct {
			m   map[string]*tally
			key string
		}{{perCat, r.Category}, {perKind, r.Kind}} {
			if c.m[c.key] == nil {
				c.m[c.key] = &tally{}
			}
			c.m[c.key].total++
		}
		why := mediaMiss(r, fi)
		if r.WantsError() {
			wantErrors++
		}
		if why == "" {
			perCat[r.Category].matched++
			perKind[r.Kind].matched++
			continue
		}
		misses[r.Category] = append(misses[r.Category], r.File+": "+why)
	}
	if wantCode := 1; wantErrors == 0 {
		wantCode = 0
		if code != wantCode {
			t.Errorf("exit status %d, want %d", code, wantCode)
		}
	} else if code != wantCode {
		t.Errorf("exit status %d, want %d (some files must be refused)", code, wantCode)
	}
	cats := make([]string, 0, len(perCat))
	for c := range perCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	matched := 0
	for _, c := range cats {
		matched += perCat[c].matched
		for _, m := range misses[c] {
			t.Errorf("miss %s: %s", c, m)
		}
		t.Logf("%-24s %d/%d", c, perCat[c].matched, perCat[c].total)
	}
	kinds := make([]string, 0, len(perKind))
	for k := range perKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		t.Logf("%-6s %d/%d", k, perKind[k].matched, perKind[k].total)
	}
	t.Logf("media corpus through the CLI: %d/%d rows in %d categories", matched, len(rows), len(cats))
}

// mediaMiss says how the CLI's answer for a row differs from the manifest, "" when it
// does not.
func mediaMiss(r sharedtest.MediaRow, fi fileInfo) string {
	if r.WantsError() {
		if fi.Error == "" {
			return fmt.Sprintf("signed %s (%s), want an error", fi.Signature, fi.Kind)
		}
		return ""
	}
	if fi.Error != "" {
		return "error: " + fi.Error
	}
	var why []string
	if fi.Signature != r.Expect {
		why = append(why, fmt.Sprintf("signature %s, want %s", fi.Signature, r.Expect))
	}
	wantKind := "coded data"
	switch {
	case r.Kind == "tiff" || r.Kind == "webp":
		wantKind = "pixels"
	case strings.HasPrefix(r.ReferenceNote, "note: whole-file SHA-256"):
		wantKind = "whole file"
	}
	if fi.Kind != wantKind {
		why = append(why, fmt.Sprintf("kind %q, want %q", fi.Kind, wantKind))
	}
	wantFormat := strings.ToLower(r.Format)
	if wantFormat == "bigtiff" {
		wantFormat = "tiff"
	}
	if fi.Format != wantFormat {
		why = append(why, fmt.Sprintf("format %q, want %q", fi.Format, wantFormat))
	}
	if fi.Width != r.Width || fi.Height != r.Height {
		why = append(why, fmt.Sprintf("size %dx%d, want %dx%d", fi.Width, fi.Height, r.Width, r.Height))
	}
	if r.Kind == "video" && math.Abs(fi.Duration-r.Duration) > 0.0015 {
		why = append(why, fmt.Sprintf("duration %g, want %g", fi.Duration, r.Duration))
	}
	if want := mediaDateTaken(r); fi.DateTaken != want {
		why = append(why, fmt.Sprintf("date taken %q, want %q", fi.DateTaken, want))
	}
	return strings.Join(why, "; ")
}

// mediaDateTaken is the date a row must be matched with, from ExifTool's values: a
// still's DateTimeOriginal; a video's Apple CreationDate as its wall time (the zone
// dropped), else its movie header's CreateDate, none when that is zero.
func mediaDateTaken(r sharedtest.MediaRow) string {
	if r.Kind != "video" {
		return r.DateTimeOriginal
	}
	if d := r.QuickTimeCreationDate; d != "" {
		if len(d) < 19 {
			return d // as ExifTool printed it: a miss will show it
		}
		return d[:19]
	}
	if r.QuickTimeCreateDate == "0000:00:00 00:00:00" {
		return ""
	}
	return r.QuickTimeCreateDate
}
