// Command signwebp prints the pixel signature of WebP files as internal/imagesig/webp
// computes it (ImageMagick 6's, the last frame), one "SIGNATURE  FILE" line per file,
// or the error. It is the small way to run the decoder on files, and what
// scripts/bench-webp.sh times.
//
// Usage: go run ./scripts/signwebp [-v] FILE...
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"unicode"

	"github.com/flickrsync/flickrsync/internal/imagesig/webp"
)

func main() {
	verbose := flag.Bool("v", false, "also print the size, frames, kind, alpha and warnings of each file")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: signwebp [-v] FILE...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	failed := false
	for _, name := range flag.Args() {
		info, sum, err := sign(ctx, name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", display(name), err)
			failed = true
			continue
		}
		if *verbose {
			kind := "lossy"
			if info.Lossless {
				kind = "lossless"
			}
			fmt.Printf("%s  %s  %dx%d frames=%d %s alpha=%v\n", sum, display(name), info.Width, info.Height, info.Frames, kind, info.Alpha)
			for _, w := range info.Warnings {
				fmt.Printf("  warning: %s\n", w)
			}
		} else {
			fmt.Printf("%s  %s\n", sum, display(name))
		}
	}
	if failed {
		os.Exit(1)
	}
}

// display returns name as it is when it prints safely, else quoted (a file name is
// untrusted: no control characters reach the terminal).
func display(name string) string {
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return strconv.Quote(name)
		}
	}
	return name
}

func sign(ctx context.Context, name string) (webp.Info, string, error) {
	f, err := os.Open(name)
	if err != nil {
		return webp.Info{}, "", err
	}
	defer f.Close()
	h := sha256.New()
	info, err := webp.DecodeContext(ctx, f, h, webp.Options{MaxPixels: 1 << 31})
	if err != nil {
		return info, "", err
	}
	return info, hex.EncodeToString(h.Sum(nil)), nil
}
