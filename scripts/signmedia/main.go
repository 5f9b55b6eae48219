// Command signmedia signs TIFF and WebP files (their ImageMagick 6 pixel signature) and
// HEIF/AVIF and MP4/MOV/3GP files (internal/isobmff), until the CLI's signature command
// does: one line per file, "SIGNATURE  KIND  FORMAT WxH DURATION DATE  FILE" (or
// "error: ...  FILE" on stderr). scripts/bench-media.sh and bench-tiff-webp.sh time it.
//
// Usage: go run ./scripts/signmedia FILE...
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/signal"
	"strconv"

	"github.com/flickrsync/flickrsync/internal/exifdate"
	"github.com/flickrsync/flickrsync/internal/imagesig/tiff"
	"github.com/flickrsync/flickrsync/internal/imagesig/webp"
	"github.com/flickrsync/flickrsync/internal/isobmff"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	status := 0
	for _, path := range os.Args[1:] {
		line, err := sign(ctx, path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "error: %v  %s\n", err, strconv.Quote(path))
			status = 1
			if ctx.Err() != nil {
				os.Exit(130)
			}
			continue
		}
		date := "-"
		if t, err := exifdate.DateTakenFile(ctx, path); err == nil && t.Date != "" {
			date = strconv.Quote(t.Date)
		}
		fmt.Printf("%s %s  %s\n", line, date, strconv.Quote(path))
	}
	os.Exit(status)
}

// sign gives "SIGNATURE  KIND  FORMAT WxH DURATION" for one file.
func sign(ctx context.Context, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	head := make([]byte, 16)
	n, _ := f.ReadAt(head, 0)
	head = head[:n]
	h := sha256.New()
	switch {
	case bytes.HasPrefix(head, []byte("II*\x00")) || bytes.HasPrefix(head, []byte("MM\x00*")) ||
		bytes.HasPrefix(head, []byte("II+\x00")) || bytes.HasPrefix(head, []byte("MM\x00+")):
		info, err := tiff.Decode(ctx, f, st.Size(), h, tiff.Options{})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s  pixels  TIFF %dx%d -", hex.EncodeToString(h.Sum(nil)), info.Width, info.Height), nil
	case len(head) >= 12 && bytes.EqualFold(head[8:12], []byte("WEBP")):
		info, err := webp.DecodeContext(ctx, f, h, webp.Options{})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s  pixels  WEBP %dx%d -", hex.EncodeToString(h.Sum(nil)), info.Width, info.Height), nil
	}
	res, err := isobmff.Sign(ctx, f, st.Size())
	if err != nil {
		return "", err
	}
	dur := "-"
	if res.HasDuration {
		dur = strconv.FormatFloat(res.Duration, 'g', -1, 64) + "s"
	}
	return fmt.Sprintf("%s  %s  %s %dx%d %s", res.Signature, res.Kind, res.Format, res.Width, res.Height, dur), nil
}
