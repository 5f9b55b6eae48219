package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/scan"
	"github.com/flickrsync/flickrsync/internal/ui"
)

// The index command's own options.
var indexFlags struct {
	json, retryFailed bool
}

// catalogWait is how long a command waits for another flickrsync holding the catalog.
var catalogWait = time.Minute

func init() {
	Register(&Command{Name: "index",
		Summary: "scan the local library into the catalog (no Flickr access)",
		SetFlags: func(fs *flag.FlagSet) {
			fs.BoolVar(&indexFlags.json, "json", false, "print the summary as JSON on standard output")
			fs.BoolVar(&indexFlags.retryFailed, "retry-failed", false, "decode again the pictures that failed before, even unchanged")
		},
		Run: runIndex})
}

// openCatalog opens the catalog for writing, telling the user while it waits for another
// flickrsync process that holds it.
func openCatalog(ctx context.Context, inv *Invocation, path string) (*catalog.Catalog, error) {
	c, err := catalog.OpenWith(ctx, path, catalog.Options{Wait: catalogWait, OnWait: func(e *catalog.LockedError) {
		fmt.Fprintf(inv.Stderr, "%v; waiting...\n", e)
	}})
	if errors.Is(err, catalog.ErrLocked) {
		return nil, fmt.Errorf("%w (waited %v)", err, catalogWait)
	}
	return c, err
}

// openCatalogReadOnly opens the catalog for a command that only reads it; it does not wait
// for a writer (WAL lets it read during a sync).
func openCatalogReadOnly(ctx context.Context, path string) (*catalog.Catalog, error) {
	c, err := catalog.OpenWith(ctx, path, catalog.Options{ReadOnly: true})
	if errors.Is(err, catalog.ErrNoDatabase) {
		return nil, fmt.Errorf("no catalog at %s: run 'flickrsync index' first", path)
	}
	return c, err
}

// runIndex scans the library (-l, or the profile's directory) into the catalog (-d, or the
// profile's database) and prints the summary; exit status 1 when some files failed.
func runIndex(ctx context.Context, inv *Invocation) error {
	s, err := inv.Settings()
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
	dbPath := s.Database
	if inv.Global.DryRun {
		// Index into a throwaway copy: the summary is real, the catalog is left alone.
		var cleanup func() error
		if dbPath, cleanup, err = catalog.CopyForDryRun(s.Database); err != nil {
			return err
		}
		defer cleanup()
		fmt.Fprintln(inv.Stderr, "dry run: indexing into a copy of the catalog, which is left unchanged")
	}
	cat, err := openCatalog(ctx, inv, dbPath)
	if err != nil {
		return err
	}
	defer cat.Close()

	bar := ui.NewProgress(inv.Stderr, inv.IsTerminal(), "index", "files")
	var last int64
	start := time.Now()
	sum, err := scan.Run(ctx, scan.Config{
		FS: scan.DirFS(s.Directory), Catalog: cat, Root: s.Directory, RetryFailed: indexFlags.retryFailed,
		Exclude: s.Exclude, NoDefaultExcludes: s.NoDefaultExcludes, NoFollowSymlinks: s.NoFollowSymlinks,
		Progress: func(p scan.Progress) {
			bar.SetTotal(p.Seen)
			bar.Add(p.Done - last)
			last = p.Done
		},
	})
	bar.Finish()
	if err != nil && !sum.Complete && sum.Seen == 0 {
		return fmt.Errorf("index %s: %w", s.Directory, err)
	}
	for _, f := range sum.Failed {
		fmt.Fprintf(inv.Stderr, "flickrsync: %s: %s\n", f.Path, f.Reason)
	}
	printIndexSummary(inv.Stderr, s.Directory, sum, time.Since(start))
	if indexFlags.json {
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

func printIndexSummary(w io.Writer, root string, s scan.Summary, took time.Duration) {
	state := "indexed"
	if !s.Complete {
		state = "partly indexed (interrupted: nothing flagged deleted)"
	}
	fmt.Fprintf(w, "%s %s: %d pictures in %s\n", state, root, s.Seen, ui.Duration(took))
	fmt.Fprintf(w, "  new %d, changed %d, moved %d, copies %d, unchanged %d, came back %d, deleted %d\n",
		s.New, s.Changed, s.Moved, s.Copies, s.Unchanged, s.CameBack, s.Deleted)
	fmt.Fprintf(w, "  decoded %d, read %s, failed %d", s.Decoded, ui.Bytes(s.Bytes), len(s.Failed))
	if s.KnownFailures > 0 {
		fmt.Fprintf(w, " (+%d unchanged that failed before)", s.KnownFailures)
	}
	fmt.Fprintln(w)
	if s.Ignored > 0 {
		fmt.Fprintf(w, "  %d other files ignored (not jpg, jpeg, png or gif)\n", s.Ignored)
	}
	for _, sk := range s.Skipped {
		fmt.Fprintf(w, "  skipped %s: %s\n", sk.Path, sk.Reason)
	}
}
