// Command signmedia signs HEIF/AVIF and MP4/MOV/3GP files with internal/isobmff, until the
// CLI's signature command does: one line per file, "SIGNATURE  KIND  FORMAT WxH DURATION
// DATE  FILE" (or "error: ...  FILE" on stderr). scripts/bench-media.sh times it.
//
// Usage: go run ./scripts/signmedia FILE...
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strconv"

	"github.com/flickrsync/flickrsync/internal/exifdate"
	"github.com/flickrsync/flickrsync/internal/isobmff"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	status := 0
	for _, path := range os.Args[1:] {
		res, err := isobmff.SignFile(ctx, path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "error: %v  %s\n", err, strconv.Quote(path))
			status = 1
			if ctx.Err() != nil {
				os.Exit(130)
			}
			continue
		}
		dur := "-"
		if res.HasDuration {
			dur = strconv.FormatFloat(res.Duration, 'g', -1, 64) + "s"
		}
		date := "-"
		if t, err := exifdate.DateTakenFile(ctx, path); err == nil && t.Date != "" {
			date = strconv.Quote(t.Date)
		}
		fmt.Printf("%s  %s  %s %dx%d %s %s  %s\n", res.Signature, res.Kind, res.Format, res.Width, res.Height, dur, date, strconv.Quote(path))
	}
	os.Exit(status)
}
