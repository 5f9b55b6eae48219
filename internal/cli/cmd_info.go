package cli

import (
	"context"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/flickrsync/flickrsync/internal/exifdate"
	"github.com/flickrsync/flickrsync/internal/imagesig"
	"github.com/flickrsync/flickrsync/internal/scan"
	"github.com/flickrsync/flickrsync/internal/ui"
)

func init() {
	register(func() *Command {
		o := &signatureOptions{}
		return &Command{Name: "info", Args: "FILE...",
			Summary: "show what flickrsync reads from each file: format, kind of signature, size, duration, date taken, signature",
			Flags: func(fs *flag.FlagSet) {
				o.flags(fs)
				fs.BoolVar(&o.json, "json", false, "print it as a JSON array of one object per file (as signature --json)")
			},
			Run: func(ctx context.Context, inv *Invocation) error { return runInfo(ctx, inv, o, "info") }}
	})
}

// runInfo prints, per file, what the index records of it (scan.Sign): the format as
// sniffed from the bytes, the kind of signature and the signature, the dimensions, the
// duration, the date taken as matched against Flickr's and where it comes from, and a
// Live Photo's identifier; what a user needs to see why two files match or not. A file
// that cannot be signed is shown with its reason and makes the exit status 1.
func runInfo(ctx context.Context, inv *Invocation, o *signatureOptions, cmd string) error {
	opts, err := o.check(inv, cmd)
	if err != nil {
		return err
	}
	failed := 0
	arr := &jsonArray{inv: inv}
	err = eachFile(ctx, inv.Args, func(ctx context.Context, path string) (scan.Signed, error) {
		return scan.SignFile(ctx, path, opts)
	}, func(path string, s scan.Signed, err error) error {
		if err != nil {
			failed++
		}
		fi := infoOf(path, s, err)
		if o.json {
			return arr.add(fi)
		}
		return ui.Write(inv.Stdout, infoText(fi))
	})
	if err == nil && o.json {
		err = arr.end()
	}
	if err == nil && failed > 0 {
		err = ErrPartial
	}
	return err
}

// infoText is the human form of info: the file, then one line per fact; names escaped.
func infoText(fi fileInfo) string {
	var b strings.Builder
	line := func(label, format string, args ...any) {
		b.WriteString(ui.Sprintf("  %-12s "+format+"\n", append([]any{label}, args...)...))
	}
	b.WriteString(ui.Sprintf("%s\n", fi.File))
	format := "unknown"
	if fi.Format != "" {
		format = strings.ToUpper(fi.Format)
	}
	if fi.Media != "" {
		format += " (" + fi.Media + ")"
	}
	line("format", "%s", format)
	if fi.Error != "" {
		line("error", "%s", fi.Error)
		return b.String()
	}
	line("signature", "%s", fi.Signature)
	line("kind", "%s", kindText(fi.Kind))
	if fi.Width > 0 || fi.Height > 0 {
		line("dimensions", "%dx%d", fi.Width, fi.Height)
	}
	switch {
	case fi.Media != string(imagesig.MediaVideo):
	case fi.Duration > 0:
		line("duration", "%s s", strconv.FormatFloat(math.Round(fi.Duration*1000)/1000, 'f', -1, 64))
	default: // a format whose duration is not read (AVI, MPEG...), or a movie that says none
		line("duration", "unknown")
	}
	if fi.DateTaken != "" {
		line("date taken", "%s (%s)", fi.DateTaken, dateSourceText(fi.DateSource))
	} else {
		line("date taken", "none (matched by signature only)")
	}
	if fi.LiveID != "" {
		line("live photo", "%s", fi.LiveID)
	}
	return b.String()
}

// kindText says what a kind of signature is the digest of, and which tool gives the same.
func kindText(kind string) string {
	switch imagesig.Kind(kind) {
	case imagesig.KindPixels:
		return "pixels: SHA-256 of the decoded pixels (ImageMagick 6: identify -format '%#')"
	case imagesig.KindCodedData:
		return "coded data: SHA-256 of the coded images or the video and audio samples (exiftool -api ImageHashType=SHA256 -ImageDataHash)"
	case imagesig.KindWholeFile:
		return "whole file: SHA-256 of the file's bytes (sha256sum)"
	}
	return kind
}

// dateSourceText says where a date taken comes from.
func dateSourceText(source string) string {
	switch source {
	case exifdate.SourceEXIF:
		return "EXIF DateTimeOriginal"
	case exifdate.SourceCreationDate:
		return "QuickTime CreationDate, Apple's, its zone dropped"
	case exifdate.SourceCreateDate:
		return "the movie header's creation time (mvhd)"
	}
	return fmt.Sprint(source)
}
