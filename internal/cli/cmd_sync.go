package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr"
	"github.com/flickrsync/flickrsync/internal/syncer"
	"github.com/flickrsync/flickrsync/internal/syncer/wire"
	"github.com/flickrsync/flickrsync/internal/ui"
)

// The sync commands' own options (one invocation per process, as every command's).
var syncFlags struct {
	noDateMatch, identifyMissing, noPhotosets bool
	transfers                                 int
	events                                    string
	bwlimit                                   string
}

func syncFlagSet(identify bool) func(fs *flag.FlagSet) {
	return func(fs *flag.FlagSet) {
		fs.BoolVar(&syncFlags.noDateMatch, "nodatematch", false, "do not match pictures by file name and date taken")
		fs.BoolVar(&syncFlags.noPhotosets, "nophotosets", false, "do not create or update photosets from folders")
		fs.IntVar(&syncFlags.transfers, "transfers", 0, "uploads, downloads and tag changes running at once (default: profile's transfers, else 4)")
		fs.StringVar(&syncFlags.events, "events", "", "append every file's final state to `FILE` as JSON lines, as it happens")
		fs.StringVar(&syncFlags.bwlimit, "bwlimit", "0", "cap all uploads and downloads together at `RATE` bytes/s like rclone's: 512k, 10M (powers of 1024), plain bytes; 0: no limit")
		if identify {
			fs.BoolVar(&syncFlags.identifyMissing, "identifymissing", false, "put the Flickr photos missing locally in a new photoset")
		}
	}
}

func init() {
	Register(&Command{Name: "sync", Legacy: true,
		Summary:  "one way sync: back the local library up to Flickr (and build photosets from folders)",
		SetFlags: syncFlagSet(true),
		Run:      func(ctx context.Context, inv *Invocation) error { return runSync(ctx, inv, false) }})
	Register(&Command{Name: "sync2", Legacy: true,
		Summary:  "two way sync: also download the Flickr photos missing locally",
		SetFlags: syncFlagSet(false),
		Run:      func(ctx context.Context, inv *Invocation) error { return runSync(ctx, inv, true) }})
	Register(&Command{Name: "photosets", Legacy: true,
		Summary: "create, update and delete flickrsync's photosets from the local folders",
		Run:     runPhotosets})
	Register(&Command{Name: "deletetags", Args: "STRING",
		Summary: "remove every tag containing STRING from the account's photos",
		Run:     runDeleteTags})
	Register(&Command{Name: "rebase", Summary: "rebuild the catalog's index of the Flickr photos", Run: runRebase})
	Register(&Command{Name: "delete", Summary: "empty the catalog (no file and no photo is deleted)", Run: runDeleteCatalog})
}

// term is where questions are asked: standard error, answered on standard input.
func (inv *Invocation) term() ui.Term {
	return ui.Term{In: inv.Stdin, Out: inv.Stderr, IsTTY: inv.IsTerminal(), NoPrompt: inv.Global.NoPrompt}
}

// needAnswers stops a run that would ask questions nobody can answer.
func (inv *Invocation) needAnswers() error {
	if inv.Global.NoPrompt || inv.Global.DryRun || inv.IsTerminal() {
		return nil
	}
	return Usagef("standard input is not a terminal, so no question can be asked: run with --noprompt to answer yes to every question, or --dryrun to see the plan")
}

// lockedWriter serialises the writes of the goroutines that share standard error
// (progress bars, failures as they happen, the client's debug lines).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// openEngine resolves the profile and builds the engine; close releases it.
func openEngine(ctx context.Context, inv *Invocation, transfers int) (*syncer.Engine, syncer.Options, func() error, error) {
	return openEngineLimited(ctx, inv, transfers, 0)
}

// openEngineLimited is openEngine with a bandwidth limit (bytes per second, 0: none).
func openEngineLimited(ctx context.Context, inv *Invocation, transfers int, bwlimit int64) (*syncer.Engine, syncer.Options, func() error, error) {
	if _, ok := inv.Stderr.(*lockedWriter); !ok {
		inv.Stderr = &lockedWriter{w: inv.Stderr}
		inv.Stdout = &lockedWriter{w: inv.Stdout}
	}
	s, err := inv.FlickrSettings()
	if err != nil {
		return nil, syncer.Options{}, nil, err
	}
	var debug io.Writer
	if inv.Global.Debug {
		debug = inv.Stderr
	}
	eng, closeFn, err := wire.Open(ctx, wire.Config{Settings: s, DryRun: inv.Global.DryRun, Debug: debug, BandwidthLimit: bwlimit})
	if err != nil {
		var ue *wire.ConfigError
		if errors.As(err, &ue) {
			return nil, syncer.Options{}, nil, Usagef("%v", err)
		}
		return nil, syncer.Options{}, nil, err
	}
	if transfers <= 0 {
		transfers = s.Transfers
	}
	t := inv.term()
	opt := syncer.Options{
		DryRun:    inv.Global.DryRun,
		Transfers: transfers,
		Privacy:   syncer.Privacy{IsPublic: s.IsPublic, IsFriend: s.IsFriend, IsFamily: s.IsFamily},
		Reporter:  newReporter(inv),
	}
	// With --noprompt there is no question (nil: yes to all), which lets the sync upload
	// while it indexes; otherwise each step asks with its count, once it is known.
	if !t.NoPrompt {
		opt.Confirm = func(ctx context.Context, q string) (bool, error) {
			return ui.Confirm(ctx, t, q)
		}
	}
	if v := inv.Getenv("FLICKRSYNC_UPLOAD_GRACE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			closeFn()
			return nil, syncer.Options{}, nil, Usagef("FLICKRSYNC_UPLOAD_GRACE: want a duration such as 10m, got %q", v)
		}
		opt.UploadGrace = d
	}
	return eng, opt, closeFn, nil
}

// finish prints the report and maps it to the command's result.
func finish(inv *Invocation, rep *syncer.Report, runErr, closeErr error) error {
	if rep != nil {
		rep.WriteSummary(inv.Stderr)
	}
	if runErr != nil {
		if errors.Is(runErr, ui.ErrNoTerminal) {
			return Usagef("%v", runErr)
		}
		return runErr
	}
	if closeErr != nil {
		return fmt.Errorf("close catalog: %w", closeErr)
	}
	if rep != nil && len(rep.Failures()) > 0 {
		return ErrPartial
	}
	return nil
}

func runSync(ctx context.Context, inv *Invocation, twoWay bool) error {
	if err := inv.needAnswers(); err != nil {
		return err
	}
	if syncFlags.transfers < 0 || syncFlags.transfers > 64 {
		return Usagef("--transfers must be from 1 to 64, got %d", syncFlags.transfers)
	}
	if twoWay && syncFlags.identifyMissing {
		return Usagef("--identifymissing is for sync; sync2 downloads the missing photos")
	}
	bw, err := flickr.ParseRate(syncFlags.bwlimit)
	if err != nil {
		return Usagef("--bwlimit: %v", err)
	}
	eng, opt, closeFn, err := openEngineLimited(ctx, inv, syncFlags.transfers, bw)
	if err != nil {
		return err
	}
	if syncFlags.events != "" {
		f, err := os.OpenFile(syncFlags.events, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			closeFn()
			return Usagef("--events: %v", err)
		}
		defer f.Close()
		opt.Reporter.(*reporter).events = json.NewEncoder(f)
	}
	opt.TwoWay = twoWay
	opt.NoDateMatch = syncFlags.noDateMatch
	opt.IdentifyMissing = syncFlags.identifyMissing
	opt.NoPhotosets = syncFlags.noPhotosets
	rep, err := eng.Sync(ctx, opt)
	return finish(inv, rep, err, closeFn())
}

func runPhotosets(ctx context.Context, inv *Invocation) error {
	if err := inv.needAnswers(); err != nil {
		return err
	}
	eng, opt, closeFn, err := openEngine(ctx, inv, 0)
	if err != nil {
		return err
	}
	rep, err := eng.Photosets(ctx, opt)
	return finish(inv, rep, err, closeFn())
}

func runDeleteTags(ctx context.Context, inv *Invocation) error {
	if len(inv.Args) != 1 || inv.Args[0] == "" {
		return Usagef("deletetags needs one non-empty STRING")
	}
	if err := inv.needAnswers(); err != nil {
		return err
	}
	eng, opt, closeFn, err := openEngine(ctx, inv, 0)
	if err != nil {
		return err
	}
	rep, err := eng.DeleteTags(ctx, inv.Args[0], opt)
	return finish(inv, rep, err, closeFn())
}

func runRebase(ctx context.Context, inv *Invocation) error {
	if err := inv.needAnswers(); err != nil {
		return err
	}
	eng, opt, closeFn, err := openEngine(ctx, inv, 0)
	if err != nil {
		return err
	}
	rep, err := eng.Rebase(ctx, opt)
	return finish(inv, rep, err, closeFn())
}

func runDeleteCatalog(ctx context.Context, inv *Invocation) error {
	if err := inv.needAnswers(); err != nil {
		return err
	}
	s, err := inv.Settings()
	if err != nil {
		return err
	}
	if _, err := os.Stat(s.Database); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(inv.Stderr, "no catalog at %s: nothing to delete\n", s.Database)
		return nil
	}
	if inv.Global.DryRun {
		fmt.Fprintf(inv.Stdout, "would empty the catalog %s\n", s.Database)
		return nil
	}
	ok, err := ui.Confirm(ctx, inv.term(), fmt.Sprintf("Empty the catalog %s? (no picture and no Flickr photo is deleted)", s.Database))
	if err != nil {
		return err
	}
	if !ok {
		fmt.Fprintln(inv.Stderr, "catalog kept")
		return nil
	}
	if err := wire.EmptyCatalog(ctx, s.Database); err != nil {
		return err
	}
	fmt.Fprintf(inv.Stderr, "catalog %s emptied\n", s.Database)
	return nil
}
