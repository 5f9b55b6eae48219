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

	"github.com/flickrsync/flickrsync/internal/imagesig/webp"
)

func main() {
	verbose := flag.Bool("v", false, "also print the size, frames, kind and alpha of each file")
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
			fmt.Fprintf(os.Stderr, "%q: %v\n", name, err)
			failed = true
			continue
		}
		if *verbose {
			kind := "lossy"
			if info.Lossless {
				kind = "lossless"
			}
			fmt.Printf("%s  %q  %dx%d frames=%d %s alpha=%v\n", sum, name, info.Width, info.Height, info.Frames, kind, info.Alpha)
		} else {
			fmt.Printf("%s  %s\n", sum, name)
		}
	}
	if failed {
		os.Exit(1)
	}
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
