package isobmff

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"io"
)

// hashPiece is how much is read at a time when hashing: large enough that reading costs
// little beside SHA-256, small enough that ctx is checked many times a second.
const hashPiece = 1 << 20

// hasher feeds byte ranges of the file to a digest, counting them. With a nil digest it
// only counts what would have been read (ReadMeta's walk).
type hasher struct {
	ctx  context.Context
	r    io.ReaderAt
	size int64
	h    hash.Hash
	buf  []byte
	n    int64 // bytes fed
	err  error
}

func newHasher(ctx context.Context, r io.ReaderAt, size int64, h hash.Hash) *hasher {
	hs := &hasher{ctx: ctx, r: r, size: size, h: h}
	if h != nil {
		hs.buf = make([]byte, hashPiece)
	}
	return hs
}

// add feeds length bytes at off, fewer when the file ends first (ExifTool's short read).
func (hs *hasher) add(off, length uint64) {
	if hs.err != nil || off >= uint64(hs.size) {
		return
	}
	end := off + length
	if end < off || end > uint64(hs.size) {
		end = uint64(hs.size)
	}
	if hs.h == nil {
		hs.n += int64(end - off)
		return
	}
	for p := off; p < end; {
		if err := hs.ctx.Err(); err != nil {
			hs.err = err
			return
		}
		n := min(uint64(hashPiece), end-p)
		m, err := hs.r.ReadAt(hs.buf[:n], int64(p))
		hs.h.Write(hs.buf[:m])
		hs.n += int64(m)
		if uint64(m) < n {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			hs.err = fmt.Errorf("read at offset %#x: %w", p+uint64(m), err)
			return
		}
		p += n
	}
}
