package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/flickrsync/flickrsync/internal/ui"
)

// sync --watch[=INTERVAL]: one run after the other, for good. Each run is a whole sync
// (the library indexed again: cheap when little changed; the catalog opened and closed,
// so that other commands can use it between runs) of the files not modified for
// --min-age (a minute by default: a file still being copied is left for a later run). A
// run's outcome, which would be the exit status of a single run, is a log line; a run
// that failed (Flickr down, the network gone, a token revoked) is followed by the next
// after the interval or a minute, whichever is shorter, then twice as long each time, up
// to half an hour (or the interval when longer), so that Flickr down for hours costs a
// few runs an hour; a run that succeeds brings back the interval. Only the first run's
// usage error (a setup that cannot work: no token, the wrong account, a bad option, an
// empty library the catalog knows pictures of) ends the watch, with exit status 2. SIGINT
// or SIGTERM (cli.Process) stops the run under way as it stops a single run, and the
// watch with it: exit status 130 or 143.

const (
	defaultWatchInterval = 5 * time.Minute
	defaultWatchMinAge   = time.Minute
	watchFirstRetry      = time.Minute
	watchMaxRetry        = 30 * time.Minute
)

// watchFlag is --watch[=INTERVAL]: given alone, the default interval.
type watchFlag struct {
	on    bool
	every time.Duration
}

func (w *watchFlag) IsBoolFlag() bool { return true }

func (w *watchFlag) String() string {
	if w == nil || !w.on {
		return "false"
	}
	return w.every.String()
}

func (w *watchFlag) Set(v string) error {
	switch v {
	case "true":
		w.on, w.every = true, defaultWatchInterval
		return nil
	case "false":
		w.on = false
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return fmt.Errorf("want an interval such as 5m or 1h, got %q", v)
	}
	w.on, w.every = true, d
	return nil
}

// durationFlag is a duration option that remembers whether it was given.
type durationFlag struct {
	set bool
	d   time.Duration
}

func (f *durationFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return f.d.String()
}

func (f *durationFlag) Set(v string) error {
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return fmt.Errorf("want a duration such as 1m or 30s, got %q", v)
	}
	f.set, f.d = true, d
	return nil
}

// retryAfter is the wait after the n-th failed run in a row.
func retryAfter(n int, every time.Duration) time.Duration {
	wait := min(every, watchFirstRetry)
	ceiling := max(every, watchMaxRetry)
	for i := 1; i < n && wait < ceiling; i++ {
		wait *= 2
	}
	return min(wait, ceiling)
}

// runWatch runs the sync again and again (see above) until ctx ends.
func runWatch(ctx context.Context, inv *Invocation, o *syncOptions, twoWay bool) error {
	if inv.Global.DryRun {
		return Usagef("--watch and --dryrun do not go together: a dry run is a single run")
	}
	// No one is there to answer: the runs never ask (as with --noprompt).
	inv.Global.NoPrompt = true
	if !o.minAge.set {
		o.minAge = durationFlag{set: true, d: defaultWatchMinAge}
	}
	every := o.watch.every
	inv.Out.Infof("watching %s: a sync every %s, of the files unchanged for %s (Ctrl-C or SIGTERM stops)",
		inv.libraryName(), every, o.minAge.d)
	failed := 0
	for n := 1; ; n++ {
		start := time.Now()
		err := syncOnce(ctx, inv, o, twoWay, true)
		o.full = false // --full: the first run lists the account in full, the others as usual
		if ctx.Err() != nil {
			return ctx.Err()
		}
		code, msg := classify(ctx, err, inv)
		var usage *UsageError
		wait := every
		switch {
		case n == 1 && errors.As(err, &usage):
			return err
		case code == ExitOK:
			failed = 0
			inv.Out.Verbosef("watch: run %d done at %s; the next at %s", n, stamp(time.Now()), stamp(start.Add(every)))
		case errors.Is(err, ErrPartial):
			failed = 0
			inv.Out.Errorf("flickrsync: watch: run %d at %s: exit status %d: %s; the next at %s", n, stamp(start), code, msg, stamp(start.Add(every)))
		default:
			failed++
			wait = retryAfter(failed, every)
			start = time.Now()
			inv.Out.Errorf("flickrsync: watch: run %d at %s: exit status %d: %s; trying again at %s (failure %d in a row)",
				n, stamp(start), code, msg, stamp(start.Add(wait)), failed)
		}
		timer := time.NewTimer(time.Until(start.Add(wait)))
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
	}
}

func stamp(t time.Time) string { return t.Format("2006-01-02 15:04:05") }

// libraryName is the library the profile names, for the watch's first line.
func (inv *Invocation) libraryName() string {
	if inv.settings != nil {
		return inv.settings.Directory
	}
	if s, err := inv.Settings(); err == nil {
		return s.Directory
	}
	return "the library"
}

// quietIdle says, for a run of the watch, that a run with nothing to report prints no
// summary, and the steps' progress shows with -v only (but on a terminal).
func (er *engineRun) quietIdle() {
	er.idleQuiet = true
	if !er.inv.IsTerminal() {
		er.rep.progress = ui.LevelVerbose
	}
}
