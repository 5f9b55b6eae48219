package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/syncer"
	"github.com/flickrsync/flickrsync/internal/syncer/wire"
	"github.com/flickrsync/flickrsync/internal/ui"
	"github.com/flickrsync/flickrsync/internal/words"
)

// statusOptions are the options of one run of status.
type statusOptions struct {
	json, failed bool
}

func init() {
	register(func() *Command {
		o := &statusOptions{}
		return &Command{Name: "status",
			Summary: "show what the catalog knows: pictures, duplicates, Flickr photos, what is left to sync, what failed",
			Flags: func(fs *flag.FlagSet) {
				fs.BoolVar(&o.json, "json", false, "print the figures, and the files that failed, as JSON")
				fs.BoolVar(&o.failed, "failed", false, "list the files that failed to be read, decoded or uploaded, and why (until fixed or deleted)")
			},
			Run: func(ctx context.Context, inv *Invocation) error { return runStatus(ctx, inv, o) }}
	})
}

// statusJSON is `status --json`.
type statusJSON struct {
	Database string `json:"database"`
	Library  string `json:"library"`
	catalog.Counts
	syncer.Outlook
	Failures []catalog.Failure `json:"failures"`
	// Unidentified are the Flickr photos without a signature tag whose original could
	// not be signed (not downloaded, or not decodable).
	Unidentified []syncer.UnidentifiedPhoto `json:"unidentified"`
}

// runStatus prints the catalog's figures. It only reads the catalog (no Flickr access):
// run index, and sync for the Flickr side, to refresh them.
func runStatus(ctx context.Context, inv *Invocation, o *statusOptions) error {
	s, err := inv.Settings()
	if err != nil {
		return err
	}
	cat, err := openCatalogReadOnly(ctx, s.Database)
	if err != nil {
		return err
	}
	defer cat.Close()
	failures, err := cat.Failures(ctx)
	if err != nil {
		return err
	}
	unidentified, err := syncer.UnidentifiedPhotos(ctx, cat)
	if err != nil {
		return err
	}
	if o.failed && !o.json {
		return printFailures(inv, failures, unidentified)
	}
	n, err := cat.Counts(ctx)
	if err != nil {
		return err
	}
	// What is left to sync is what the sync's own matching leaves.
	out, err := syncer.StoreOutlook(ctx, &wire.Store{C: cat})
	if err != nil {
		return err
	}
	library, err := cat.Meta(ctx, catalog.MetaLibraryRoot)
	if err != nil {
		return err
	}
	if o.json {
		if failures == nil {
			failures = []catalog.Failure{}
		}
		return writeJSON(inv.Stdout, statusJSON{Database: cat.Path(), Library: library, Counts: n, Outlook: out, Failures: failures,
			Unidentified: unidentified})
	}
	indexed := "never"
	if n.LastIndex > 0 {
		indexed = time.Unix(n.LastIndex, 0).Format("2006-01-02 15:04:05")
	}
	var b strings.Builder
	line := func(format string, args ...any) { b.WriteString(ui.Sprintf(format, args...) + "\n") }
	line("catalog            %s", cat.Path())
	line("library            %s (indexed %s)", library, indexed)
	line("local pictures     %d", n.LocalPictures)
	line("  signatures       %d", n.Signatures)
	line("  duplicates       %d (in %s)", n.Duplicates, words.Count(n.DuplicateGroups, "group"))
	line("  videos           %d", n.Videos)
	line("  decode failures  %d", n.DecodeFailures)
	if n.RAW > 0 {
		line("  not uploadable   %d (RAW: Flickr takes no camera RAW files)", n.RAW)
	}
	line("  deleted          %d", n.Deleted)
	if n.Excluded > 0 || n.ExcludedLastIndex > 0 {
		line("  excluded         %d indexed before, excluded by the ignore rules now (left on Flickr); %s excluded at the last index",
			n.Excluded, words.Count(n.ExcludedLastIndex, "file or folder", "files and folders"))
	}
	line("flickr photos      %d", n.FlickrPhotos)
	line("matched            %d", out.Matched)
	line("to upload          %d", out.ToUpload)
	if out.NotSent > 0 {
		line("not sent           %d (refused by Flickr until the file changes, or a Live Photo's motion video: sync --live-videos sends those; sync -v says which)", out.NotSent)
	}
	if out.ToTag > 0 {
		line("to tag             %d (matched by name and date, or by download name)", out.ToTag)
	}
	line("to download        %d (by sync2)", out.ToDownload)
	if out.Kept > 0 {
		line("kept on Flickr     %d (%d superseded by edits, %d of excluded pictures: never downloaded)",
			out.Kept, out.Superseded, out.Kept-out.Superseded)
	}
	if n.PendingUploads > 0 {
		line("unsettled uploads  %d (checked on Flickr by the next sync)", n.PendingUploads)
	}
	if len(failures) > 0 {
		line("failed             %s (flickrsync status --failed lists %s)", words.Count(len(failures), "file"), words.Noun(len(failures), "it", "them"))
	}
	if len(unidentified) > 0 {
		holding := 0
		for _, u := range unidentified {
			if u.HoldsUploads {
				holding++
			}
		}
		line("unidentified       %s without a signature tag whose original could not be signed, %d holding the uploads back (status --failed lists %s)",
			words.Count(len(unidentified), "Flickr photo"), holding, words.Noun(len(unidentified), "it", "them"))
	}
	return ui.Write(inv.Stdout, b.String())
}

// printFailures lists the failed files, one a line: "decode  2019/a.jpg: why", then the
// Flickr photos that could not be identified: "flickr  photo 123 "title": why". The
// paths and titles are escaped: a name may hold anything.
func printFailures(inv *Invocation, failures []catalog.Failure, unidentified []syncer.UnidentifiedPhoto) error {
	var b strings.Builder
	for _, f := range failures {
		b.WriteString(ui.Sprintf("%-7s %s: %s\n", f.Kind, f.Path, f.Reason))
	}
	for _, u := range unidentified {
		b.WriteString(ui.Sprintf("%-7s photo %s %q: %s\n", "flickr", u.ID, u.Title, unidentifiedWhy(u)))
	}
	if err := ui.Write(inv.Stdout, b.String()); err != nil {
		return err
	}
	inv.Out.Infof("%s failed (retried when they change; deleting or fixing a file removes it from this list)",
		words.Count(len(failures), "file"))
	if len(unidentified) > 0 {
		inv.Out.Infof("%s without a signature tag could not be identified (its original could not be downloaded or decoded)",
			words.Count(len(unidentified), "Flickr photo"))
	}
	return nil
}

// unidentifiedWhy says why a photo is unidentified and what comes of it.
func unidentifiedWhy(u syncer.UnidentifiedPhoto) string {
	switch {
	case u.Failures == 0:
		return "its original cannot be decoded: " + u.Reason
	case u.HoldsUploads:
		return fmt.Sprintf("its original could not be downloaded in %s (%s); the uploads wait for it until %d", words.Count(u.Failures, "run"), u.Reason, syncer.MaxIdentifyFailures)
	}
	return fmt.Sprintf("its original could not be downloaded in %s (%s); tried again later, the uploads no longer wait", words.Count(u.Failures, "run"), u.Reason)
}
