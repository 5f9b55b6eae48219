// Command signmedia prints the pixel signature of TIFF files as flickrsync computes it
// (ImageMagick 6's, of the last image of the main IFD chain), one "HEX  FILE" line each,
// or the error. It exists until the CLI's signature command dispatches TIFF:
//
//	go run ./scripts/signmedia FILE...
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"

	"github.com/flickrsync/flickrsync/internal/imagesig/tiff"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: signmedia FILE...")
		os.Exit(2)
	}
	status := 0
	for _, name := range os.Args[1:] {
		hexsum, err := sign(name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", strconv.Quote(name), err)
			status = 1
			continue
		}
		fmt.Printf("%s  %s\n", hexsum, strconv.Quote(name))
	}
	os.Exit(status)
}

func sign(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := tiff.Decode(context.Background(), f, st.Size(), h, tiff.Options{}); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
