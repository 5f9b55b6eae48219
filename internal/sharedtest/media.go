package sharedtest

// The media corpus of ../shared/media: real HEIF/HEIC/AVIF, MP4/MOV/3GP, TIFF and WebP
// files in files/ and manifest.tsv, one row per file with ExifTool's and ImageMagick's
// reference values. Columns are described in media/README.md.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// MediaRow is one row of media/manifest.tsv. Numeric columns left empty are 0.
type MediaRow struct {
	File     string // name in media/files: <source>__<original name>
	Kind     string // heif, avif, video, tiff or webp: which signature definition applies
	Category string // heic-iphone, avif-grid, fmp4, tiff-ojpeg, webp-animated, generated...
	// Expect is the signature the project must give, or ErrorExpect where it must fail.
	Expect string
	// Format is sniffed from the magic bytes: HEIC, AVIF, HEIF, MOV, 3GP, 3G2, M4V, MP4,
	// ISOBMFF, TIFF, BigTIFF, WEBP, EMPTY, UNKNOWN.
	Format        string
	Width, Height int
	Duration      float64 // video: seconds
	Codec         string
	// DateTimeOriginal is ExifTool's -DateTimeOriginal (stills; videos where it prints one).
	DateTimeOriginal string
	// QuickTimeCreationDate is Apple's com.apple.quicktime.creationdate, local time with zone.
	QuickTimeCreationDate string
	// QuickTimeCreateDate is the mvhd date, raw ("0000:00:00 00:00:00" for zero).
	QuickTimeCreateDate string
	Bytes               int64
	Source, Licence     string
	Frames              int    // tiff/webp: images ImageMagick reads
	Hashed              string // heif/avif/video: what ExifTool fed into the hash
	ReferenceNote       string
	SHA256              string // of the whole file

	dir string
}

// Path is the file's path in media/files.
func (r MediaRow) Path() string { return filepath.Join(r.dir, "files", r.File) }

// WantsError reports whether the project must fail on the file instead of signing it.
func (r MediaRow) WantsError() bool { return r.Expect == ErrorExpect }

// Media reads the manifest of ../shared/media, skipping t (failing it under CI's switch)
// when the media corpus is absent, and failing it when the manifest cannot be parsed.
func Media(t testing.TB) []MediaRow {
	t.Helper()
	dir := Path(t, "media")
	rows, err := ReadMedia(dir)
	if errors.Is(err, fs.ErrNotExist) {
		Absent(t, "media corpus absent: %v (set %s)", err, EnvVar)
	}
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// ReadMedia reads dir/manifest.tsv of the media corpus; a missing manifest gives an error
// wrapping fs.ErrNotExist.
func ReadMedia(dir string) ([]MediaRow, error) {
	f, err := os.Open(filepath.Join(dir, "manifest.tsv"))
	if err != nil {
		return nil, fmt.Errorf("read media manifest: %w", err)
	}
	defer f.Close()
	cols := []string{"kind", "category", "expect", "format", "width", "height", "duration", "codec",
		"datetimeoriginal", "quicktime_creationdate", "quicktime_createdate", "bytes", "source",
		"licence", "frames", "hashed", "reference_note", "sha256"}
	var rows []MediaRow
	err = readTSV(f, cols, func(field func(string) string) error {
		r := MediaRow{dir: dir, File: field("file"), Kind: field("kind"), Category: field("category"),
			Expect: field("expect"), Format: field("format"), Codec: field("codec"),
			DateTimeOriginal: field("datetimeoriginal"), QuickTimeCreationDate: field("quicktime_creationdate"),
			QuickTimeCreateDate: field("quicktime_createdate"), Source: field("source"),
			Licence: field("licence"), Hashed: field("hashed"), ReferenceNote: field("reference_note"),
			SHA256: field("sha256")}
		var err error
		num := func(name string, set func(string) error) {
			if v := field(name); v != "" && err == nil {
				if e := set(v); e != nil {
					err = fmt.Errorf("column %s: %w", name, e)
				}
			}
		}
		num("width", func(v string) (e error) { r.Width, e = strconv.Atoi(v); return })
		num("height", func(v string) (e error) { r.Height, e = strconv.Atoi(v); return })
		num("frames", func(v string) (e error) { r.Frames, e = strconv.Atoi(v); return })
		num("bytes", func(v string) (e error) { r.Bytes, e = strconv.ParseInt(v, 10, 64); return })
		num("duration", func(v string) (e error) { r.Duration, e = strconv.ParseFloat(v, 64); return })
		rows = append(rows, r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", f.Name(), err)
	}
	return rows, nil
}
