package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/syncer"
	"github.com/flickrsync/flickrsync/internal/ui"
	"github.com/flickrsync/flickrsync/internal/words"
)

// writeSummary renders a run's report: a line per step that had subjects, what the library
// and the account hold, the failures, then the files that failed in earlier runs and still
// do (known: each is one of known, listed by status --failed). Every name goes through the
// console's escaping.
// stopped says the run ended before its end (an error, an interrupt); files names what
// was indexed ("library", or the "files given" to upload).
func writeSummary(out *ui.Console, rep *syncer.Report, known []catalog.Failure, stopped bool, files string) {
	type counts struct{ done, planned, skipped, failed int }
	per := map[syncer.Step]*counts{}
	for _, e := range rep.Events() {
		c := per[e.Step]
		if c == nil {
			c = &counts{}
			per[e.Step] = c
		}
		switch e.Outcome {
		case syncer.Done:
			c.done++
		case syncer.Planned:
			c.planned++
		case syncer.Skipped:
			c.skipped++
		case syncer.Failed:
			c.failed++
		}
	}
	fig := rep.Figures()
	var lines []string
	add := func(format string, args ...any) { lines = append(lines, ui.Sprintf(format, args...)) }
	for _, st := range fig.Library {
		line := fmt.Sprintf("%s: %s; %s new, %s, %d changed, %d moved, %d gone", files, words.Count(st.Files, "media file"),
			fmt.Sprint(st.New), words.Count(st.Copies, "new copy", "new copies"), st.Changed, st.Moved, st.Removed)
		if st.Excluded > 0 {
			line += fmt.Sprintf("; %s excluded by the ignore rules", words.Count(st.Excluded, "file or folder", "files and folders"))
		}
		if st.NowExcluded > 0 {
			line += fmt.Sprintf(" (%s indexed before)", words.Count(st.NowExcluded, "picture"))
		}
		if st.Recent > 0 {
			line += fmt.Sprintf("; %s modified too recently, left for a later run", words.Count(st.Recent, "file"))
		}
		add("%s", line)
	}
	if fig.RAW > 0 {
		add("not uploadable (RAW): %s (Flickr takes no camera RAW files)", words.Count(fig.RAW, "file"))
	}
	if len(fig.Ignored) > 0 {
		add("ignored (no media): %s", ignoredText(fig.Ignored))
	}
	if fig.FlickrPhotos >= 0 {
		add("flickr: %s indexed", words.Count(fig.FlickrPhotos, "photo"))
	}
	for _, s := range syncer.Steps {
		c := per[s]
		var parts []string
		if c != nil {
			for _, p := range []struct {
				n    int
				what string
			}{{c.done, "done"}, {c.planned, "planned"}, {c.skipped, "skipped"}, {c.failed, "failed"}} {
				if p.n > 0 {
					parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
				}
			}
		}
		if s == syncer.StepPhotosets && fig.SetsKept > 0 {
			parts = append(parts, fmt.Sprintf("%d up to date", fig.SetsKept))
		}
		if len(parts) > 0 {
			add("%-21s %s", string(s)+":", strings.Join(parts, ", "))
		}
	}
	if c := fig.Coverage; c != nil {
		line := fmt.Sprintf("on Flickr: %d of %s", c.OnFlickr, words.Count(c.Pictures, "picture"))
		if c.Copies > 0 {
			line += fmt.Sprintf(" (in %s: %s of another file, never uploaded)", words.Count(c.Files, "file"),
				words.Count(c.Copies, "is a copy", "are copies"))
		}
		add("%s", line)
	}
	if fig.NotLocal > 0 {
		add("not in the library: %s (sync2 downloads %s)", words.Count(fig.NotLocal, "Flickr photo"), words.Noun(fig.NotLocal, "it", "them"))
	}
	if fig.Kept > 0 {
		add("kept on Flickr: %s of pictures excluded or edited since (never downloaded)", words.Count(fig.Kept, "photo"))
	}
	if fig.DeletedOnFlickr > 0 {
		add("deleted on Flickr: %s since the last listing (the catalog forgot %s)", words.Count(fig.DeletedOnFlickr, "photo"), words.Noun(fig.DeletedOnFlickr, "it", "them"))
	}
	if len(fig.Restored) > 0 {
		add("restored %s deleted on Flickr: %s", words.Count(len(fig.Restored), "picture"), nameList(fig.Restored))
	}
	if n := len(fig.SetsDeleted); n > 0 {
		what := words.Noun(n, "photoset") + " deleted"
		if rep.DryRun {
			what = words.Noun(n, "photoset") + " to delete"
		}
		// Every one named, however many: an album deleted is the one change of the run
		// the user cannot undo by running it again.
		add("%s: %s (no folder uses %s; %s photos stay on Flickr)", what, strings.Join(setTitles(fig.SetsDeleted), ", "),
			words.Noun(n, "it", "them"), words.Noun(n, "its", "their"))
	}
	if n := len(fig.SetsHeld); n > 0 {
		add("%s kept though no folder uses %s: %s (%s pictures this library does not have: another computer's library, a disk not mounted, a folder deleted here?)",
			words.Noun(n, "photoset"), words.Noun(n, "it", "them"), nameList(setTitles(fig.SetsHeld)), words.Noun(n, "it holds", "they hold"))
	}
	for _, n := range rep.Notes() {
		add(n.Format, n.Args...)
	}

	title := "Summary"
	switch {
	case stopped:
		title = "Summary (the run stopped before its end)"
	case rep.DryRun:
		title = "Summary (dry run: nothing was changed)"
	}
	out.Infof("%s:", title)
	if len(lines) == 0 && !stopped {
		out.Infof("  nothing to do")
	}
	for _, l := range lines {
		out.Infof("  %s", l)
	}
	if f := rep.Failures(); len(f) > 0 {
		out.Infof("Failures:")
		for _, e := range f {
			out.Infof("  %s: %s: %s", string(e.Step), e.Subject, cause(e))
		}
	}
	if len(known) > 0 {
		out.Infof("%s", knownFailuresLine(known))
	}
}

// ignoredText counts the ignored files by extension, most first: "3 .xmp, 1 .txt".
func ignoredText(by map[string]int) string {
	exts := make([]string, 0, len(by))
	for ext := range by {
		exts = append(exts, ext)
	}
	sort.Slice(exts, func(i, j int) bool {
		if by[exts[i]] != by[exts[j]] {
			return by[exts[i]] > by[exts[j]]
		}
		return exts[i] < exts[j]
	})
	const shown = 8
	var parts []string
	rest := 0
	for i, ext := range exts {
		if i < shown {
			parts = append(parts, fmt.Sprintf("%d %s", by[ext], ext))
		} else {
			rest += by[ext]
		}
	}
	if rest > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d other extensions", rest, len(exts)-shown))
	}
	return strings.Join(parts, ", ")
}

// knownFailuresLine says how many files failed in earlier runs and still do.
func knownFailuresLine(known []catalog.Failure) string {
	kinds := map[string]int{}
	for _, f := range known {
		kinds[f.Kind]++
	}
	var parts []string
	for _, k := range []struct{ kind, one, many string }{
		{catalog.ErrorDecode, "file still fails to decode", "files still fail to decode"},
		{catalog.ErrorRead, "file still cannot be read", "files still cannot be read"},
		{catalog.FailedUpload, "upload was refused by Flickr", "uploads were refused by Flickr"},
	} {
		if n := kinds[k.kind]; n > 0 {
			parts = append(parts, words.Count(n, k.one, k.many))
		}
	}
	return fmt.Sprintf("Known failures: %s, as in earlier runs (not failures of this run: its exit status is 0 for them); see flickrsync status --failed",
		strings.Join(parts, ", "))
}

// maxNames is how many names a summary line lists before it counts the rest.
const maxNames = 10

// setTitles quotes photoset titles for a list: a title may hold the ", " that separates
// them (the set of folder 2019/Rome is "2019, Rome").
func setTitles(titles []string) []string {
	out := make([]string, len(titles))
	for i, t := range titles {
		out[i] = fmt.Sprintf("%q", ui.Printable(t))
	}
	return out
}

// nameList lists names for a summary line (escaped by its Sprintf), the first maxNames.
func nameList(list []string) string {
	if len(list) <= maxNames {
		return strings.Join(list, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(list[:maxNames], ", "), len(list)-maxNames)
}
