package isobmff

import (
	"context"
	"errors"
	"testing"
	"time"
)

// zeros is a file of n zero bytes after a given head, served without memory.
type zeros struct {
	head []byte
	n    int64
}

func (z zeros) ReadAt(p []byte, off int64) (int, error) {
	if off >= z.n {
		return 0, errEOF
	}
	n := int(min(int64(len(p)), z.n-off))
	clear(p[:n])
	if off < int64(len(z.head)) {
		copy(p[:n], z.head[off:])
	}
	if n < len(p) {
		return n, errEOF
	}
	return n, nil
}

var errEOF = errors.New("EOF")

// TestSignCancel cancels Sign while it hashes an 8 GiB video (one chunk, then the whole
// file): it must return ctx's error within a fraction of a second.
func TestSignCancel(t *testing.T) {
	const size = 8 << 30
	for _, tc := range []struct {
		name string
		head []byte
	}{
		{"coded data", hugeMovieHead(size)},
		{"whole file", append(ftypBox("isom", "isom"), mkbox("moov")...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			head := tc.head
			if tc.name == "whole file" {
				// ftyp, empty moov, then an mdat running to the end of the file.
				head = append(head, append(be32(0), "mdat"...)...)
			}
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			start := time.Now()
			_, err := Sign(ctx, zeros{head: head, n: size}, size)
			took := time.Since(start)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if took > 600*time.Millisecond {
				t.Fatalf("returned %v after the start, cancelled at 100ms", took)
			}
		})
	}
}

// hugeMovieHead is an ftyp and a moov whose one video track is a single chunk covering
// the rest of a file of the given size (in an mdat with a 64-bit size).
func hugeMovieHead(size int64) []byte {
	build := func(chunkAt int64) []byte {
		hdlr := mkfull("hdlr", 0, 0, be32(0), []byte("vide"), make([]byte, 12), []byte{0})
		stbl := mkbox("stbl",
			mkfull("stsc", 0, 0, be32(1), be32(1), be32(1), be32(1)),
			mkfull("stsz", 0, 0, be32(0), be32(1), be32(uint32(min(size-chunkAt, 0xffffffff)))),
			mkfull("co64", 0, 0, be32(1), be64(uint64(chunkAt))))
		return append(ftypBox("isom", "isom"), mkbox("moov", mkbox("trak", mkbox("mdia", hdlr, mkbox("minf", stbl))))...)
	}
	head := build(0)
	head = build(int64(len(head)) + 16)
	return append(append(head, append(be32(1), "mdat"...)...), be64(uint64(size-int64(len(head))))...)
}
