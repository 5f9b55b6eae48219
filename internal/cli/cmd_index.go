package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/flickrsync/flickrsync/internal/scan"
	"github.com/flickrsync/flickrsync/internal/ui"
	"github.com/flickrsync/flickrsync/internal/words"
)

// indexOptions are the options of one run of index.
type indexOptions struct {
	json, retryFailed bool
	sel               selection
	allowEmpty        allowEmptyFlag
}

func init() {
	register(func() *Command {
		o := &indexOptions{}
		return &Command{Name: "index",
			Summary: "scan the local library into the catalog (no Flickr access)",
			Flags: func(fs *flag.FlagSet) {
				fs.BoolVar(&o.json, "json", false, "print the summary as JSON on standard output")
				fs.BoolVar(&o.retryFailed, "retry-failed", false, "decode again the pictures that failed before, even unchanged")
				o.sel.declare(fs)
				o.allowEmpty.declare(fs)
			},
			Run: func(ctx context.Context, inv *Invocation) error { return runIndex(ctx, inv, o) }}
	})
}

// runIndex scans the library (-l, or the profile's directory) into the catalog (-d, or the
// profile's database) and prints the summary; exit status 1 when some files failed.
func runIndex(ctx context.Context, inv *Invocation, o *indexOptions) error {
	s, err := inv.settingsWith(overrides{sel: &o.sel})
	if err != nil {
		return err
	}
	if st, err := os.Stat(s.Directory); err != nil || !st.IsDir() {
		var pe *fs.PathError
		switch {
		case err == nil:
			err = errors.New("not a directory")
		case errors.As(err, &pe):
			err = pe.Err
		}
		return Usagef("library directory %s: %v (give -l DIR, or set directory in the profile)", s.Directory, err)
	}
	if inv.Global.DryRun {
		// Index into a throwaway copy: the summary is real, the catalog is left alone.
		inv.Out.Infof("dry run: indexing into a copy of the catalog, which is left unchanged")
	}
	cat, closeCat, err := inv.openCatalog(ctx, s)
	if err != nil {
		return err
	}
	defer closeCat()

	var excluded func(scan.Exclusion)
	if inv.Out.Logs(ui.LevelDebug) {
		excluded = inv.debugExcluded
	}
	cfg := scan.Config{
		FS: scan.DirFS(s.Directory), Catalog: cat, Root: s.Directory, RetryFailed: o.retryFailed,
		Exclude: s.Exclude, NoDefaultExcludes: s.NoDefaultExcludes, NoFollowSymlinks: s.NoFollowSymlinks,
		Excluded: excluded, AllowEmptyLibrary: bool(o.allowEmpty),
		Budget: inv.budget(s),
	}
	// Asked before the progress starts (the scan refuses too, should the disk go meanwhile).
	if err := scan.CheckNotEmpty(ctx, cfg); err != nil {
		return emptyLibraryUsage(fmt.Errorf("index %s: %w", s.Directory, err))
	}

	var bar *ui.Progress
	if inv.Out.Shows(ui.LevelInfo) {
		bar = ui.NewProgressOn(inv.Out.Screen, inv.Stderr, inv.IsTerminal(), "index", "file")
	}
	var last int64
	start := time.Now()
	cfg.Progress = func(p scan.Progress) {
		if bar != nil {
			bar.SetTotal(p.Seen)
			bar.Add(p.Done - last)
		}
		last = p.Done
	}
	sum, err := scan.Run(ctx, cfg)
	if bar != nil {
		if err != nil {
			bar.Stop()
		} else {
			bar.Finish()
		}
	}
	if err != nil && !sum.Complete && sum.Seen == 0 {
		// An empty library the catalog knows pictures of among them: nothing was written.
		return emptyLibraryUsage(fmt.Errorf("index %s: %w", s.Directory, err))
	}
	for _, f := range sum.Failed {
		inv.Out.Errorf("index failed: %s: %s", f.Path, f.Reason)
	}
	printIndexSummary(inv.Out, s.Directory, sum, time.Since(start))
	if o.json {
		if sum.Failed == nil {
			sum.Failed = []scan.Failure{}
		}
		if jerr := writeJSON(inv.Stdout, sum); jerr != nil {
			return jerr
		}
	}
	if err != nil {
		return fmt.Errorf("index %s: %w", s.Directory, err)
	}
	if len(sum.Failed) > 0 {
		return ErrPartial
	}
	return nil
}

func printIndexSummary(out *ui.Console, root string, s scan.Summary, took time.Duration) {
	state := "indexed"
	if !s.Complete {
		state = "partly indexed (interrupted: nothing flagged deleted)"
	}
	out.Infof("%s %s: %s in %s", state, root, words.Count(s.Seen, "media file"), ui.Duration(took))
	out.Infof("  new %d, changed %d, moved %d, copies %d, unchanged %d, came back %d, deleted %d",
		s.New, s.Changed, s.Moved, s.Copies, s.Unchanged, s.CameBack, s.Deleted)
	line := fmt.Sprintf("  decoded %d, read %s, failed %d", s.Decoded, ui.Bytes(s.Bytes), len(s.Failed))
	if s.KnownFailures > 0 {
		line += fmt.Sprintf(" (+%d unchanged that failed before: flickrsync status --failed)", s.KnownFailures)
	}
	out.Infof("%s", line)
	if imp := s.Import; imp != nil {
		switch {
		case imp.Refused != "":
			out.Infof("  signatures from %s: %s", imp.Database, imp.Refused)
		case imp.Rows == 0:
			out.Infof("  signatures from %s: none (it signed no picture in this folder)", imp.Database)
		default:
			out.Infof("  signatures from %s: %d taken, %d checked against ours", imp.Database, imp.Imported, imp.Checked)
		}
	}
	if s.RAW > 0 {
		out.Infof("  not uploadable (RAW): %s (Flickr takes no camera RAW files)", words.Count(s.RAW, "file"))
	}
	if s.Ignored > 0 {
		out.Infof("  ignored (no media): %s", ignoredText(s.IgnoredByExt))
	}
	if s.Excluded > 0 {
		out.Infof("  %s excluded by the ignore rules (not read; --debug names each with its rule)",
			words.Count(s.Excluded, "file or folder", "files and folders"))
	}
	if s.NowExcluded > 0 {
		out.Infof("  %s indexed before excluded now: left alone on Flickr", words.Count(s.NowExcluded, "picture"))
	}
	for _, sk := range s.Skipped {
		out.Infof("  skipped %s: %s", sk.Path, sk.Reason)
	}
	if s.CatalogRoot != "" {
		out.Infof("  the catalog's library stays %s (this folder is inside it, or holds it)", s.CatalogRoot)
	}
}
