package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"runtime"

	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/imagesig"
	"github.com/flickrsync/flickrsync/internal/scan"
	"github.com/flickrsync/flickrsync/internal/ui"
)

// signatureOptions are the options of one run of signature (and info).
type signatureOptions struct {
	maxPixels int64
	json      bool
}

func (o *signatureOptions) flags(fs *flag.FlagSet) {
	fs.Int64Var(&o.maxPixels, "max-pixels", 0,
		"refuse images of more than `N` pixels (default 1073741824, 1 gigapixel)")
}

func init() {
	register(func() *Command {
		o := &signatureOptions{}
		return &Command{Name: "signature", Args: "FILE...",
			Summary: "print each file's signature, the value flickrsync tags uploads with (pictures, HEIF, videos)",
			Flags: func(fs *flag.FlagSet) {
				o.flags(fs)
				fs.BoolVar(&o.json, "json", false, "print what flickrsync info shows, as a JSON array of one object per file")
			},
			Run: func(ctx context.Context, inv *Invocation) error { return runSignature(ctx, inv, o) }}
	})
}

// runSignature prints "<signature>  <path>" for each file, in argument order, like
// sha256sum (with --json, what info shows). A file that cannot be signed gets one line on
// standard error and makes the exit status 1. It reads no configuration and uses no
// network.
func runSignature(ctx context.Context, inv *Invocation, o *signatureOptions) error {
	if o.json {
		return runInfo(ctx, inv, o, "signature")
	}
	opts, err := o.check(inv, "signature")
	if err != nil {
		return err
	}
	failed := 0
	err = eachFile(ctx, inv.Args, func(ctx context.Context, path string) (imagesig.Result, error) {
		return imagesig.SignFile(ctx, path, opts)
	}, func(path string, res imagesig.Result, err error) error {
		if err != nil {
			failed++
			inv.Out.Errorf("flickrsync: %s: %v", path, err)
			return nil
		}
		return ui.Fprintf(inv.Stdout, "%s  %s\n", res.Signature, path)
	})
	if err == nil && failed > 0 {
		err = ErrPartial
	}
	return err
}

// check refuses a run without files, with a negative pixel limit or a bad memory size, and
// returns the decoders' options: the pixel limit, and the budget of --memory or
// FLICKRSYNC_MEMORY (these commands read no config file).
func (o *signatureOptions) check(inv *Invocation, cmd string) (imagesig.Options, error) {
	opts := imagesig.Options{MaxPixels: o.maxPixels}
	if len(inv.Args) == 0 {
		return opts, Usagef("%s: no FILE given", cmd)
	}
	if o.maxPixels < 0 {
		return opts, Usagef("%s: --max-pixels must not be negative", cmd)
	}
	if m := inv.Global.Memory; m != "" {
		n, err := config.ParseMemory(m)
		if err != nil {
			return opts, Usagef("%s: %v", inv.Global.source("memory"), err)
		}
		opts.Budget = imagesig.NewBudget(n)
	}
	return opts, nil
}

// eachFile runs sign over the files, up to GOMAXPROCS at once, and hands each result to
// emit in argument order, as soon as the ones before it are out. An error from emit (a
// write error) or ctx ends the run.
func eachFile[T any](ctx context.Context, paths []string, sign func(ctx context.Context, path string) (T, error),
	emit func(path string, res T, err error) error) error {
	type result struct {
		res T
		err error
	}
	workers := runtime.GOMAXPROCS(0)
	results := make([]chan result, len(paths))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	// window bounds how far the workers may run ahead of the printing.
	window := make(chan struct{}, 4*workers)
	jobs := make(chan int)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for w := 0; w < workers; w++ {
		go func() {
			for i := range jobs {
				res, err := sign(ctx, paths[i])
				results[i] <- result{res, err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range paths {
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
	for i, path := range paths {
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
		if err := emit(path, r.res, r.err); err != nil {
			return err
		}
	}
	return nil
}

// fileInfo is what `info` and `signature --json` say of one file.
type fileInfo struct {
	File   string `json:"file"`
	Format string `json:"format,omitempty"` // as sniffed from the bytes
	Media  string `json:"media,omitempty"`  // photo, video, raw
	// Kind is what the signature is the digest of: pixels, coded data, whole file.
	Kind       string  `json:"kind,omitempty"`
	Signature  string  `json:"signature,omitempty"`
	Width      int     `json:"width,omitempty"`
	Height     int     `json:"height,omitempty"`
	Duration   float64 `json:"duration,omitempty"` // seconds
	DateTaken  string  `json:"date_taken,omitempty"`
	DateSource string  `json:"date_source,omitempty"`
	LiveID     string  `json:"live_photo_id,omitempty"`
	Error      string  `json:"error,omitempty"`
}

func infoOf(path string, s scan.Signed, err error) fileInfo {
	fi := fileInfo{File: path, Format: s.Format, Media: s.Media, Kind: s.Kind, Signature: s.Signature,
		Width: s.Width, Height: s.Height, Duration: s.Duration, DateTaken: s.DateTaken,
		DateSource: s.DateSource, LiveID: s.LiveID}
	if err != nil {
		fi.Error = err.Error()
	}
	return fi
}

// jsonArray writes the elements of a JSON array as they come, indented as writeJSON
// indents a document.
type jsonArray struct {
	inv *Invocation
	n   int
}

func (a *jsonArray) add(v any) error {
	b, err := json.MarshalIndent(v, "  ", "  ")
	if err != nil {
		return err
	}
	sep := ",\n  "
	if a.n == 0 {
		sep = "[\n  "
	}
	a.n++
	_, err = fmt.Fprintf(a.inv.Stdout, "%s%s", sep, b)
	return err
}

func (a *jsonArray) end() error {
	end := "\n]\n"
	if a.n == 0 {
		end = "[]\n"
	}
	_, err := fmt.Fprint(a.inv.Stdout, end)
	return err
}
