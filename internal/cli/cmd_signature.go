package cli

import (
	"context"
	"flag"
	"runtime"

	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/imagesig"
	"github.com/flickrsync/flickrsync/internal/ui"
)

func init() {
	register(func() *Command {
		var maxPixels int64
		return &Command{Name: "signature", Args: "FILE...",
			Summary: "print each picture's pixel signature (the one flickrsync tags uploads with)",
			Flags: func(fs *flag.FlagSet) {
				fs.Int64Var(&maxPixels, "max-pixels", 0,
					"refuse images of more than `N` pixels (default 1073741824, 1 gigapixel)")
			},
			Run: func(ctx context.Context, inv *Invocation) error { return runSignature(ctx, inv, maxPixels) }}
	})
}

// runSignature prints "<signature>  <path>" for each file, in argument order, decoding up
// to GOMAXPROCS files at once. A file that cannot be signed gets one line on standard
// error and makes the exit status 1. It reads no configuration and uses no network.
func runSignature(ctx context.Context, inv *Invocation, maxPixels int64) error {
	if len(inv.Args) == 0 {
		return Usagef("signature: no FILE given")
	}
	if maxPixels < 0 {
		return Usagef("signature: --max-pixels must not be negative")
	}
	opts := imagesig.Options{MaxPixels: maxPixels}
	if m := inv.Global.Memory; m != "" {
		// signature reads no config file: --memory and FLICKRSYNC_MEMORY only.
		n, err := config.ParseMemory(m)
		if err != nil {
			return Usagef("%s: %v", inv.Global.source("memory"), err)
		}
		opts.Budget = imagesig.NewBudget(n)
	}
	type result struct {
		sig string
		err error
	}
	workers := runtime.GOMAXPROCS(0)
	results := make([]chan result, len(inv.Args))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	// window bounds how far the decoders may run ahead of the printing.
	window := make(chan struct{}, 4*workers)
	jobs := make(chan int)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for w := 0; w < workers; w++ {
		go func() {
			for i := range jobs {
				res, err := imagesig.SignFile(ctx, inv.Args[i], opts)
				results[i] <- result{sig: res.Signature, err: err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range inv.Args {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	failed := 0
	for i, path := range inv.Args {
		var r result
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-window
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if r.err != nil {
			failed++
			inv.Out.Errorf("flickrsync: %s: %v", path, r.err)
			continue
		}
		if err := ui.Fprintf(inv.Stdout, "%s  %s\n", r.sig, path); err != nil {
			return err
		}
	}
	if failed > 0 {
		return ErrPartial
	}
	return nil
}
