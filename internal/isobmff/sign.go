package isobmff

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
)

// Kind says what a signature is the digest of.
type Kind string

const (
	// KindCodedData: ExifTool's ImageDataHash, the coded image items or the video and
	// audio samples; editing metadata or remuxing leaves it unchanged.
	KindCodedData Kind = "coded data"
	// KindWholeFile: the SHA-256 of the whole file, for intact files where ExifTool hashes
	// nothing (fragmented MP4, HEIF with unci/jpeg/j2k1/vvc1 items, mini boxes...).
	KindWholeFile Kind = "whole file"
)

// Meta is what a file's boxes say, as ExifTool 13.58 reports it.
type Meta struct {
	Format string // Sniff's answer
	Brand  string // the ftyp major brand, "" without an ftyp box

	// Width and Height are ExifTool's first ImageWidth and ImageHeight: the primary
	// item's ispe, or a track header's size; 0 when it reports none.
	Width, Height int64
	// Duration is the movie header's duration in seconds (ExifTool's Duration#), valid
	// when HasDuration.
	Duration    float64
	HasDuration bool

	// CreationDate is Apple's com.apple.quicktime.creationdate as ExifTool prints
	// QuickTime:CreationDate, local time with its zone ("2019:07:24 11:25:40+03:00"),
	// "" when absent.
	CreationDate string
	// CreateDate is the movie header's creation time as ExifTool prints
	// QuickTime:CreateDate with QuickTimeUTC=0 (UTC by the specification, local time for
	// many cameras; "0000:00:00 00:00:00" when zero), "" when there is no movie header.
	CreateDate string
	// ContentIdentifier is Apple's com.apple.quicktime.content.identifier, which a Live
	// Photo's MOV shares with its still; "" when absent.
	ContentIdentifier string
}

// Result is a signed file.
type Result struct {
	Meta
	Kind        Kind
	Signature   string // hex SHA-256
	HashedBytes int64  // bytes fed to the digest
}

// Sign signs the ISO base media file r of the given size as media/README.md defines it:
// ExifTool's ImageDataHash where ExifTool hashes something, else the SHA-256 of the
// whole file when its container is intact, else an error (*FormatError, ErrEmpty) saying
// what is broken. It never signs with the digest of nothing. On an error the Result still
// carries the format and brand. errors.Is matches ctx's error when ctx ends first.
func Sign(ctx context.Context, r io.ReaderAt, size int64) (Result, error) {
	var res Result
	wk, err := walk(ctx, r, size, sha256.New())
	if wk != nil {
		res.Meta = wk.meta()
	}
	if err != nil {
		return res, err
	}
	if !wk.died && wk.hash.n > 0 {
		res.Kind, res.HashedBytes = KindCodedData, wk.hash.n
		res.Signature = hex.EncodeToString(wk.hash.h.Sum(nil))
		return res, nil
	}
	if err := checkIntact(wk.w); err != nil {
		return res, err
	}
	hs := newHasher(ctx, r, size, sha256.New())
	hs.add(0, uint64(size))
	if hs.err != nil {
		return res, hs.err
	}
	res.Kind, res.HashedBytes = KindWholeFile, hs.n
	res.Signature = hex.EncodeToString(hs.h.Sum(nil))
	return res, nil
}

// SignFile is Sign on the named file.
func SignFile(ctx context.Context, path string) (Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return Result{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Result{}, err
	}
	return Sign(ctx, f, st.Size())
}

// ReadMeta reads what the boxes say without hashing anything.
func ReadMeta(ctx context.Context, r io.ReaderAt, size int64) (Meta, error) {
	wk, err := walk(ctx, r, size, nil)
	if wk == nil {
		return Meta{}, err
	}
	return wk.meta(), err
}

// walk runs ExifTool's walk over the file, feeding h (nothing read when h is nil).
func walk(ctx context.Context, r io.ReaderAt, size int64, h hash.Hash) (*walker, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, fmt.Errorf("negative file size %d", size)
	}
	wk := &walker{ctx: ctx, w: newWindow(r, size, 64<<10), size: size}
	wk.hash = newHasher(ctx, r, size, h)
	if size == 0 {
		return wk, ErrEmpty
	}
	wk.run()
	wk.stopped()
	if wk.err != nil {
		return wk, wk.err
	}
	return wk, nil
}

// meta is what the walk found, in Meta's terms.
func (wk *walker) meta() Meta {
	head := wk.w.at(0, int(min(wk.size, SniffLen)))
	m := Meta{Format: Sniff(head)}
	if len(head) >= 12 && string(head[4:8]) == "ftyp" {
		m.Brand = string(head[8:12])
	}
	in := wk.info
	m.Width, _ = in.width.value()
	m.Height, _ = in.height.value()
	if in.haveDuration {
		m.HasDuration = true
		m.Duration = float64(in.duration)
		if in.haveTimescale && in.timescale != 0 {
			m.Duration /= float64(in.timescale)
		}
	}
	if v, ok := in.creation.get(); ok {
		m.CreationDate = iso8601ToExif(v)
	}
	if in.haveCreateDate {
		m.CreateDate = exifDateString(in.createDate)
	}
	if v, ok := in.content.get(); ok {
		m.ContentIdentifier = v
	}
	return m
}
