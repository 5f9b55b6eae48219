package exifdate

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// FromBytes returns EXIF DateTimeOriginal exactly as ImageMagick 6 reports
// %[exif:DateTimeOriginal] ("2019:05:04 10:11:12", odd values verbatim), or "" when
// ImageMagick finds none (including files that are not JPEG or PNG).
func FromBytes(b []byte) (string, error) {
	return FromReader(bytes.NewReader(b), int64(len(b)))
}

// FromFile is FromReader on the named file.
func FromFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("exif date: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("exif date: %w", err)
	}
	d, err := FromReader(f, st.Size())
	if err != nil {
		return "", fmt.Errorf("exif date %s: %w", path, err)
	}
	return d, nil
}

// FromReader reads only the metadata segments of a JPEG or PNG of the given size (pixel
// data is skipped by offset) and returns its DateTimeOriginal as FromBytes does. An error
// is returned only when r fails; malformed metadata simply yields "".
//
// It reproduces ImageMagick's header read (what `identify -ping` sees): a PNG gives ""
// because its EXIF is only found by a full read. The Python flickrsync read in full: see
// FullRead, which the scanner uses.
func FromReader(r io.ReaderAt, size int64) (string, error) {
	return fromReader(r, size, false)
}

// FullRead is FromReader as a full ImageMagick read (Wand's Image(filename=...), which the
// Python tool used) reports it. The differences: for a PNG, a tEXt/zTXt "Raw profile type
// exif" chunk (the hex dump ImageMagick and exiftool write) gives a date; for a JPEG, APP1
// segments after the scans, before EOI, count too. It reads the whole file.
func FullRead(r io.ReaderAt, size int64) (string, error) {
	return fromReader(r, size, true)
}

func fromReader(r io.ReaderAt, size int64, full bool) (string, error) {
	var magic [8]byte
	n, err := r.ReadAt(magic[:], 0)
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read header: %w", err)
	}
	src := &source{r: r, size: size}
	var profile []byte
	switch {
	case n >= 2 && magic[0] == 0xFF && magic[1] == 0xD8:
		profile, err = jpegProfile(src, full)
	case full && n == 8 && bytes.Equal(magic[:], pngMagic):
		profile, err = pngProfile(src)
	default:
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read metadata: %w", err)
	}
	if profile == nil {
		return "", nil
	}
	return DateTimeOriginal(profile), nil
}

// DateTimeOriginal returns what ImageMagick 6 reports as %[exif:DateTimeOriginal] for an
// image whose "exif" profile is profile (the APP1 payload, starting "Exif\0\0").
func DateTimeOriginal(profile []byte) string {
	// ReadImage first runs GetImageProperty("exif:*"), which sets every tag it reaches
	// (first value wins); the later single-tag lookup walks again only if that pass did
	// not set the key, and it stops at different places on broken directories.
	if v, ok := walk(profile, true); ok {
		return v
	}
	v, _ := walk(profile, false)
	return v
}

// source reads byte ranges of a file lazily, with a small read-ahead buffer so that
// walking markers does not cost one system call per byte.
type source struct {
	r    io.ReaderAt
	size int64
	buf  []byte
	off  int64 // file offset of buf[0]
}

// errShort is a read past the end of the file.
var errShort = io.ErrUnexpectedEOF

// bytesAt returns n bytes at off, or errShort when the file is shorter.
func (s *source) bytesAt(off int64, n int) ([]byte, error) {
	if n < 0 || off < 0 || off > s.size || int64(n) > s.size-off {
		return nil, errShort
	}
	if off >= s.off && off+int64(n) <= s.off+int64(len(s.buf)) {
		return s.buf[off-s.off : off-s.off+int64(n)], nil
	}
	want := n
	if want < 4096 {
		want = 4096
	}
	if int64(want) > s.size-off {
		want = int(s.size - off)
	}
	if cap(s.buf) < want {
		s.buf = make([]byte, want)
	}
	s.buf = s.buf[:want]
	m, err := s.r.ReadAt(s.buf, off)
	if m < want {
		s.buf = s.buf[:0]
		if err == nil || err == io.EOF {
			return nil, errShort
		}
		return nil, err
	}
	s.off = off
	return s.buf[:n], nil
}

// byteAt returns the byte at off.
func (s *source) byteAt(off int64) (byte, error) {
	b, err := s.bytesAt(off, 1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}
