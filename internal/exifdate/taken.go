package exifdate

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"regexp"

	"github.com/flickrsync/flickrsync/internal/isobmff"
)

// Where a date taken comes from.
const (
	SourceEXIF         = "exif"                   // EXIF DateTimeOriginal
	SourceCreationDate = "quicktime-creationdate" // Apple's com.apple.quicktime.creationdate
	SourceCreateDate   = "quicktime-createdate"   // the movie header's creation time
)

// Taken is the date a picture or video was taken.
type Taken struct {
	// Date is the form flickrsync matches on: "YYYY:MM:DD HH:MM:SS", local wall time, the
	// form of EXIF DateTimeOriginal, which the sync compares digit by digit with Flickr's
	// datetaken ("2004-11-29 16:01:26"). An odd EXIF value is kept verbatim, as for JPEG;
	// "" when the date is unknown.
	Date string
	// Source is where Date comes from (a Source constant), "" when unknown.
	Source string
	// Raw is the value as the reference tool prints the tag: ImageMagick's
	// %[exif:DateTimeOriginal] for JPEG and PNG, ExifTool's -DateTimeOriginal for HEIF,
	// AVIF, TIFF and WebP, ExifTool's QuickTime:CreationDate or QuickTime:CreateDate
	// (QuickTimeUTC=0) for movies.
	Raw string
}

// DateTaken returns the date taken of a picture or video, whatever its format (sniffed
// from its bytes):
//   - JPEG, PNG: EXIF DateTimeOriginal as ImageMagick 6 reads it in a header read
//     (FromReader), the value the Python flickrsync matched on;
//   - HEIF/HEIC/AVIF: EXIF DateTimeOriginal of the Exif items describing the primary
//     image (the last that has one, as ExifTool's later value wins);
//   - TIFF: EXIF DateTimeOriginal from IFD0 and the directories it points to;
//   - WebP: EXIF DateTimeOriginal of the EXIF chunk (the last that has one);
//   - MP4/MOV/3GP/M4V: Apple's com.apple.quicktime.creationdate, its zone dropped (the
//     local wall time the phone showed), else the movie header's creation time as ExifTool
//     prints it without time-zone conversion; a zero time is unknown.
//
// The EXIF directories are walked by the same transcription of ImageMagick's
// GetEXIFProperty as for JPEG; on ordinary files its value is ExifTool's. An error is
// returned only when r fails or ctx ends: malformed metadata gives an unknown date.
func DateTaken(ctx context.Context, r io.ReaderAt, size int64) (Taken, error) {
	if err := ctx.Err(); err != nil {
		return Taken{}, err
	}
	var head [16]byte
	n, err := r.ReadAt(head[:min(size, 16)], 0)
	if err != nil && err != io.EOF && int64(n) < min(size, 16) {
		return Taken{}, fmt.Errorf("read header: %w", err)
	}
	h := head[:n]
	switch {
	case len(h) >= 2 && h[0] == 0xFF && h[1] == 0xD8, len(h) >= 8 && bytes.Equal(h[:8], pngMagic):
		// A full read, as Wand's: what the Python flickrsync matched on.
		d, err := FullRead(r, size)
		return exifTaken(d), err
	case len(h) >= 4 && (string(h[:4]) == "II*\x00" || string(h[:4]) == "MM\x00*"):
		src := &source{r: r, size: size}
		ft := &fileTIFF{src: src, n: size}
		d := dateTimeOriginalTIFF(exifWalk, ft)
		return exifTaken(d), ft.err
	case len(h) >= 12 && string(h[:4]) == "RIFF" && string(h[8:12]) == "WEBP":
		return webpTaken(r, size)
	}
	switch isobmff.Sniff(h) {
	case isobmff.FormatHEIC, isobmff.FormatAVIF, isobmff.FormatHEIF:
		return heifTaken(ctx, r, size)
	case isobmff.FormatISOBMFF:
		if t, err := heifTaken(ctx, r, size); err != nil || t.Date != "" {
			return t, err
		}
		return movieTaken(ctx, r, size)
	case isobmff.FormatMOV, isobmff.FormatMP4, isobmff.Format3GP, isobmff.Format3G2, isobmff.FormatM4V:
		return movieTaken(ctx, r, size)
	}
	return Taken{}, nil
}

// DateTakenFile is DateTaken on the named file.
func DateTakenFile(ctx context.Context, path string) (Taken, error) {
	f, err := os.Open(path)
	if err != nil {
		return Taken{}, fmt.Errorf("date taken: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Taken{}, fmt.Errorf("date taken: %w", err)
	}
	return DateTaken(ctx, f, st.Size())
}

func exifTaken(d string) Taken {
	if d == "" {
		return Taken{}
	}
	return Taken{Date: d, Source: SourceEXIF, Raw: d}
}

// dateTimeOriginalTIFF is DateTimeOriginal for TIFF data starting at its header.
func dateTimeOriginalTIFF(f formats, d tiffData) string {
	if v, ok := walkTIFF(f, d, true); ok {
		return v
	}
	v, _ := walkTIFF(f, d, false)
	return v
}

// fileTIFF is TIFF data read from a file (a TIFF file, or a WebP chunk) piece by piece.
type fileTIFF struct {
	src  *source
	base int64
	n    int64
	err  error
}

func (f *fileTIFF) size() int64 { return f.n }

func (f *fileTIFF) at(off int64, n int) []byte {
	if f.err != nil {
		return nil
	}
	b, err := f.src.bytesAt(f.base+off, n)
	if err != nil {
		if err != errShort {
			f.err = fmt.Errorf("read metadata: %w", err)
		}
		return nil
	}
	return b
}

// heifTaken is the DateTimeOriginal of a HEIF image's Exif items.
func heifTaken(ctx context.Context, r io.ReaderAt, size int64) (Taken, error) {
	items, err := isobmff.ExifItems(ctx, r, size)
	if err != nil {
		return Taken{}, err
	}
	return exifTaken(itemsValue(items, func(tiff []byte) string {
		return dateTimeOriginalTIFF(exifWalk, memTIFF(tiff))
	})), nil
}

// itemsValue is a tag's value over a HEIF image's Exif items as ExifTool reports it: the
// later value wins within the main document; a sub-document's value shows only when the
// main document has none, the first one then.
func itemsValue(items []isobmff.ExifItem, value func(tiff []byte) string) string {
	main, sub := "", ""
	for _, it := range items {
		v := value(it.TIFF)
		switch {
		case v == "":
		case it.Main:
			main = v
		case sub == "":
			sub = v
		}
	}
	if main == "" {
		main = sub
	}
	return main
}

// webpTaken walks a WebP's RIFF chunks as ExifTool's ProcessRIFF does and reads the EXIF
// chunks (a TIFF header, or "Exif\0\0" and a TIFF header).
func webpTaken(r io.ReaderAt, size int64) (Taken, error) {
	src := &source{r: r, size: size}
	d := ""
	for pos := int64(12); ; {
		hdr, err := src.bytesAt(pos, 8)
		if err != nil {
			if err != errShort {
				return Taken{}, fmt.Errorf("read metadata: %w", err)
			}
			break
		}
		tag := string(hdr[:4])
		n := int64(binary.LittleEndian.Uint32(hdr[4:]))
		pos += 8
		if tag == "LIST" {
			if _, err := src.bytesAt(pos, 4); err != nil {
				break
			}
			pos += 4
			if n -= 4; n < 0 {
				break // "Invalid chunk length"
			}
		}
		if n == 0 {
			continue
		}
		if tag == "EXIF" {
			if size-pos < n {
				break // truncated: ExifTool stops
			}
			start := int64(-1)
			if b, err := src.bytesAt(pos, int(min(n, 10))); err == nil {
				switch {
				case len(b) >= 4 && (string(b[:4]) == "II*\x00" || string(b[:4]) == "MM\x00*"):
					start = 0
				case len(b) >= 10 && string(b[:6]) == "Exif\x00\x00" && (string(b[6:10]) == "II*\x00" || string(b[6:10]) == "MM\x00*"):
					start = 6
				}
			}
			if start >= 0 {
				ft := &fileTIFF{src: src, base: pos + start, n: n - start}
				if v := dateTimeOriginalTIFF(exifWalk, ft); v != "" {
					d = v
				}
				if ft.err != nil {
					return Taken{}, ft.err
				}
			}
		}
		pos += n + n&1
	}
	return exifTaken(d), nil
}

// movieTaken is the date taken of a movie: Apple's creation date, else the movie header's.
func movieTaken(ctx context.Context, r io.ReaderAt, size int64) (Taken, error) {
	m, err := isobmff.ReadMeta(ctx, r, size)
	if err != nil {
		return Taken{}, err
	}
	if m.CreationDate != "" {
		return Taken{Date: wallTime(m.CreationDate), Source: SourceCreationDate, Raw: m.CreationDate}, nil
	}
	if m.CreateDate != "" && m.CreateDate != "0000:00:00 00:00:00" {
		return Taken{Date: m.CreateDate, Source: SourceCreateDate, Raw: m.CreateDate}, nil
	}
	if m.CreateDate != "" {
		return Taken{Raw: m.CreateDate}, nil
	}
	return Taken{}, nil
}

// wallTimeRE is the date and time of an ExifTool date, before fractions and zone.
var wallTimeRE = regexp.MustCompile(`^(\d{4}:\d{2}:\d{2} \d{2}:\d{2})(:\d{2})?`)

// wallTime drops the fraction of a second and the zone of "2019:07:24 11:25:40+03:00":
// the local time the camera showed, which is how Flickr's datetaken is expressed.
func wallTime(v string) string {
	m := wallTimeRE.FindStringSubmatch(v)
	if m == nil {
		return v
	}
	if m[2] == "" {
		m[2] = ":00"
	}
	return m[1] + m[2]
}
