package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/flickr"
	"github.com/flickrsync/flickrsync/internal/syncer"
	"github.com/flickrsync/flickrsync/internal/syncer/wire"
	"github.com/flickrsync/flickrsync/internal/ui"
)

// syncOptions are the options of one run of sync or sync2.
type syncOptions struct {
	noDateMatch, identifyMissing, noPhotosets, replace, full bool
	liveVideos                                               bool
	transfers                                                string // "" when not given: the profile's
	events                                                   string
	bwlimit                                                  string
	sel                                                      selection
	watch                                                    watchFlag
	minAge                                                   durationFlag
	allowEmpty                                               allowEmptyFlag
}

func (o *syncOptions) declare(twoWay bool) func(fs *flag.FlagSet) {
	return func(fs *flag.FlagSet) {
		fs.BoolVar(&o.noDateMatch, "nodatematch", false, "do not match pictures by file name and date taken")
		fs.BoolVar(&o.noPhotosets, "nophotosets", false, "do not create or update photosets from folders")
		fs.BoolVar(&o.replace, "replace", false, "replace the Flickr photo of an edited picture's earlier version in place (Pro accounts; same date taken) instead of uploading the edit beside it (profile key replace)")
		o.sel.declare(fs)
		o.allowEmpty.declare(fs)
		fs.BoolVar(&o.liveVideos, "live-videos", false, "also upload the motion videos of Live Photos (tagged flickrsync:livephoto=<the still's signature>)")
		fs.BoolVar(&o.full, "full", false, "list the whole Flickr account, to find the photos deleted there (done anyway when the account's count differs from the catalog's, and when the last full listing is older than full_listing_after, default 7d)")
		fs.StringVar(&o.transfers, "transfers", "", "run `N` uploads, downloads and tag changes at once, 1 to 64 (default: the profile's transfers, else 4)")
		fs.StringVar(&o.events, "events", "", "append every file's final state to `FILE` as JSON lines, as it happens (-: standard output)")
		fs.StringVar(&o.bwlimit, "bwlimit", "0", "cap all uploads and downloads together at `RATE` bytes/s like rclone's: 512k, 10M (powers of 1024), plain bytes; 0: no limit")
		fs.Var(&o.watch, "watch", "keep running: sync again every 5m, or every INTERVAL with --watch=INTERVAL (1h, 30m...); never asks; stopped by Ctrl-C or SIGTERM")
		fs.Var(&o.minAge, "min-age", "leave for a later run the files modified less than `DURATION` ago, half-copied ones (default 1m with --watch, else 0)")
		if !twoWay {
			fs.BoolVar(&o.identifyMissing, "identifymissing", false, "put the Flickr photos missing locally in a new photoset")
		}
	}
}

func newSyncCommand() *Command {
	o := &syncOptions{}
	return &Command{Name: "sync", Legacy: true,
		Summary: "one way sync: back the local library up to Flickr (and build photosets from folders)",
		Flags:   o.declare(false),
		Run:     func(ctx context.Context, inv *Invocation) error { return runSync(ctx, inv, o, false) }}
}

func newSync2Command() *Command {
	o := &syncOptions{}
	return &Command{Name: "sync2", Legacy: true,
		Summary: "two way sync: also download the Flickr photos missing locally",
		Flags:   o.declare(true),
		Refuses: map[string]string{"identifymissing": "is for sync, which leaves the Flickr photos missing locally on Flickr: sync2 downloads them"},
		Run:     func(ctx context.Context, inv *Invocation) error { return runSync(ctx, inv, o, true) }}
}

func init() {
	register(newSyncCommand)
	register(newSync2Command)
	register(func() *Command {
		var sel selection
		var allowEmpty allowEmptyFlag
		return &Command{Name: "photosets", Legacy: true,
			Summary: "create, update and delete flickrsync's photosets from the local folders",
			Flags:   func(fs *flag.FlagSet) { sel.declare(fs); allowEmpty.declare(fs) },
			Run:     func(ctx context.Context, inv *Invocation) error { return runPhotosets(ctx, inv, &sel, allowEmpty) }}
	})
	register(func() *Command {
		return &Command{Name: "deletetags", Args: "STRING",
			Summary: "remove every tag containing STRING from the account's photos",
			Run:     runDeleteTags}
	})
	register(func() *Command {
		return &Command{Name: "rebase", Summary: "rebuild the catalog's index of the Flickr photos", Run: runRebase}
	})
	register(func() *Command {
		return &Command{Name: "delete", Summary: "empty the catalog (no file and no photo is deleted)", Run: runDeleteCatalog}
	})
}

// term is where questions are asked: standard error, answered on standard input.
func (inv *Invocation) term() ui.Term {
	return ui.Term{In: inv.Stdin, Out: inv.Stderr, IsTTY: inv.IsTerminal(), NoPrompt: inv.Global.NoPrompt}
}

// engineRun is one run of a command that drives the sync engine: the profile, its
// catalog (a throw-away copy in a dry run) and the engine with its options.
type engineRun struct {
	inv      *Invocation
	cat      *catalog.Catalog
	closeCat func() error
	eng      *syncer.Engine
	opt      syncer.Options
	rep      *reporter
	files    bool // the engine reads the files given, not the library (upload)
	// idleQuiet: no summary when nothing happened (a run of sync --watch).
	idleQuiet bool
}

// openEngine resolves the profile (with the command's own options o), opens the catalog
// and builds the engine. bwlimit is the bandwidth limit in bytes per second (0: none).
func (inv *Invocation) openEngine(ctx context.Context, o overrides, bwlimit int64) (*engineRun, error) {
	return inv.openEngineWith(ctx, o, wire.Config{BandwidthLimit: bwlimit})
}

// openEngineWith is openEngine with more of the engine's wiring (cfg's Settings,
// Catalog, Debug and Excluded are filled in).
func (inv *Invocation) openEngineWith(ctx context.Context, o overrides, cfg wire.Config) (*engineRun, error) {
	s, err := inv.flickrSettingsWith(o)
	if err != nil {
		return nil, err
	}
	grace := time.Duration(0)
	if v := inv.Getenv("FLICKRSYNC_UPLOAD_GRACE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, Usagef("FLICKRSYNC_UPLOAD_GRACE: want a duration such as 10m, got %q", v)
		}
		grace = d
	}
	cat, closeCat, err := inv.openCatalog(ctx, s)
	if err != nil {
		return nil, err
	}
	cfg.Settings, cfg.Catalog, cfg.Budget = s, cat, inv.budget(s)
	if inv.Out.Logs(ui.LevelDebug) {
		cfg.Debug = inv.Out.Writer(ui.LevelDebug)
		cfg.Excluded = inv.debugExcluded
	}
	eng, err := wire.Open(ctx, cfg)
	if err != nil {
		closeCat()
		var ce *wire.ConfigError
		if errors.As(err, &ce) {
			return nil, Usagef("%v", err)
		}
		return nil, err
	}
	if err := checkAccount(ctx, eng.Flickr.(*wire.Flickr).C, s); err != nil {
		closeCat()
		return nil, err
	}
	er := &engineRun{inv: inv, cat: cat, closeCat: closeCat, eng: eng, rep: newReporter(inv)}
	er.rep.stopping = func() bool { return ctx.Err() != nil }
	er.opt = syncer.Options{
		DryRun:           inv.Global.DryRun,
		Transfers:        s.Transfers,
		Privacy:          &s.Privacy,
		Replace:          s.Replace,
		Reporter:         er.rep,
		UploadGrace:      grace,
		FullListingAfter: s.FullListingAfter,
	}
	// With --noprompt there is no question (nil: yes to all), which lets the sync upload
	// while it indexes; otherwise each step that would change something asks, once its
	// count is known: with no terminal to ask on, the run stops there (exit status 2).
	if t := inv.term(); !t.NoPrompt {
		er.opt.Confirm = func(ctx context.Context, q string) (bool, error) {
			return ui.Confirm(ctx, t, q)
		}
	}
	return er, nil
}

// finish ends an engine run: the steps' last lines, the summary (none when the run
// failed before anything happened: a run that could not reach Flickr must not look like
// one with nothing to do), the catalog closed; it maps the outcome to the command's result.
// With knownFailures, the summary also counts the files that failed in earlier runs.
func (er *engineRun) finish(ctx context.Context, rep *syncer.Report, runErr error, knownFailures bool) error {
	er.rep.end(runErr)
	var known []catalog.Failure
	if knownFailures && runErr == nil {
		var err error
		if known, err = er.knownFailures(ctx, rep); err != nil {
			runErr = err
		}
	}
	idle := er.idleQuiet && runErr == nil && rep != nil && nothingDone(rep)
	if rep != nil && (runErr == nil || len(rep.Events()) > 0) && !idle {
		files := "library"
		if er.files {
			files = "files given"
		}
		writeSummary(er.inv.Out, rep, known, runErr != nil, files)
	}
	closeErr := er.closeCat()
	switch {
	case runErr != nil && errors.Is(runErr, ui.ErrNoTerminal):
		return Usagef("%v", runErr)
	case runErr != nil:
		return emptyLibraryUsage(runErr)
	case closeErr != nil:
		return fmt.Errorf("close catalog: %w", closeErr)
	}
	if err := er.rep.events.failed(); err != nil {
		return err
	}
	if rep != nil && len(rep.Failures()) > 0 {
		return ErrPartial
	}
	return nil
}

// nothingDone reports whether a run did nothing: every event of it is a file skipped,
// as every run of a watch skips the files the media rules hold back (a Live Photo's
// motion video, a file Flickr refused) and the videos without an original to download.
func nothingDone(rep *syncer.Report) bool {
	for _, e := range rep.Events() {
		if e.Outcome != syncer.Skipped {
			return false
		}
	}
	return true
}

// knownFailures are the catalog's failures that are not this run's own (those are in
// the report): files that failed before and were not tried again.
func (er *engineRun) knownFailures(ctx context.Context, rep *syncer.Report) ([]catalog.Failure, error) {
	all, err := er.cat.Failures(ctx)
	if err != nil {
		return nil, err
	}
	now := map[string]bool{}
	for _, e := range rep.Failures() {
		now[e.Subject] = true
	}
	var known []catalog.Failure
	for _, f := range all {
		if !now[f.Path] {
			known = append(known, f)
		}
	}
	return known, nil
}

func runSync(ctx context.Context, inv *Invocation, o *syncOptions, twoWay bool) error {
	if o.watch.on {
		return runWatch(ctx, inv, o, twoWay)
	}
	return syncOnce(ctx, inv, o, twoWay, false)
}

// syncOnce is one run of sync or sync2 (watching: one of sync --watch's).
func syncOnce(ctx context.Context, inv *Invocation, o *syncOptions, twoWay, watching bool) error {
	bw, err := flickr.ParseRate(o.bwlimit)
	if err != nil {
		return Usagef("--bwlimit: %v", err)
	}
	er, err := inv.openEngineWith(ctx, overrides{transfers: o.transfers, replace: o.replace, sel: &o.sel},
		wire.Config{BandwidthLimit: bw, MinAge: o.minAge.d, AllowEmptyLibrary: bool(o.allowEmpty)})
	if err != nil {
		return err
	}
	if watching {
		er.quietIdle()
	}
	if o.events != "" {
		ew := &eventWriter{name: o.events, w: inv.Stdout}
		if o.events != "-" {
			f, err := os.OpenFile(o.events, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
			if err != nil {
				er.closeCat()
				return Usagef("--events: %v", err)
			}
			defer f.Close()
			ew.w = f
		} else {
			// Standard output carries the events alone: a dry run's plan goes to
			// standard error.
			er.rep.plan = inv.Stderr
		}
		er.rep.events = ew
	}
	er.opt.TwoWay = twoWay
	er.opt.NoDateMatch = o.noDateMatch
	er.opt.IdentifyMissing = o.identifyMissing
	er.opt.NoPhotosets = o.noPhotosets
	er.opt.LiveVideos = o.liveVideos
	er.opt.FullListing = o.full
	rep, err := er.eng.Sync(ctx, er.opt)
	return er.finish(ctx, rep, err, true)
}

func runPhotosets(ctx context.Context, inv *Invocation, sel *selection, allowEmpty allowEmptyFlag) error {
	// It does not index: the profile's and the command line's patterns apply to the
	// catalog's pictures (the .flickrsyncignore files as the last index read them).
	er, err := inv.openEngineWith(ctx, overrides{sel: sel}, wire.Config{ApplyExcludes: true, AllowEmptyLibrary: bool(allowEmpty)})
	if err != nil {
		return err
	}
	rep, err := er.eng.Photosets(ctx, er.opt)
	return er.finish(ctx, rep, err, false)
}

func runDeleteTags(ctx context.Context, inv *Invocation) error {
	if len(inv.Args) != 1 || inv.Args[0] == "" {
		return Usagef("deletetags needs one non-empty STRING")
	}
	er, err := inv.openEngine(ctx, overrides{}, 0)
	if err != nil {
		return err
	}
	rep, err := er.eng.DeleteTags(ctx, inv.Args[0], er.opt)
	return er.finish(ctx, rep, err, false)
}

func runRebase(ctx context.Context, inv *Invocation) error {
	er, err := inv.openEngine(ctx, overrides{}, 0)
	if err != nil {
		return err
	}
	rep, err := er.eng.Rebase(ctx, er.opt)
	return er.finish(ctx, rep, err, false)
}

func runDeleteCatalog(ctx context.Context, inv *Invocation) error {
	s, err := inv.Settings()
	if err != nil {
		return err
	}
	// The file emptied: beside the Python flickrsync's database, never that one.
	path := catalog.PathFor(ctx, s.Database)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		inv.Out.Infof("no catalog at %s: nothing to delete", path)
		return nil
	}
	if inv.Global.DryRun {
		return ui.Fprintf(inv.Stdout, "would empty the catalog %s\n", path)
	}
	ok, err := ui.Confirm(ctx, inv.term(), ui.Sprintf("Empty the catalog %s? (no picture and no Flickr photo is deleted)", path))
	if errors.Is(err, ui.ErrNoTerminal) {
		return Usagef("%v", err)
	}
	if err != nil {
		return err
	}
	if !ok {
		inv.Out.Infof("catalog kept")
		return nil
	}
	cat, closeCat, err := inv.openCatalog(ctx, s)
	if err != nil {
		return err
	}
	if err := cat.Reset(ctx); err != nil {
		closeCat()
		return err
	}
	if err := closeCat(); err != nil {
		return err
	}
	inv.Out.Infof("catalog %s emptied", path)
	return nil
}
