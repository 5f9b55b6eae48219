package isobmff

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// window reads small pieces of a file through a reusable buffer, so that walking many
// small boxes or table entries costs one read per window, not one per field. A read
// error other than the end of the file is kept in err and ends the walk.
type window struct {
	r    io.ReaderAt
	size int64
	buf  []byte
	off  int64 // file offset of buf[0]
	err  error
}

func newWindow(r io.ReaderAt, size int64, capacity int) *window {
	return &window{r: r, size: size, buf: make([]byte, 0, capacity)}
}

// at returns the n bytes at off, or nil when they are not all in the file (or a read
// failed). n must not exceed the window's capacity.
func (w *window) at(off int64, n int) []byte {
	if off < 0 || n < 0 || off > w.size || int64(n) > w.size-off || w.err != nil {
		return nil
	}
	if off >= w.off && off+int64(n) <= w.off+int64(len(w.buf)) {
		return w.buf[off-w.off : off-w.off+int64(n)]
	}
	want := int64(cap(w.buf))
	if want > w.size-off {
		want = w.size - off
	}
	w.buf = w.buf[:want]
	m, err := w.r.ReadAt(w.buf, off)
	if int64(m) < want {
		w.buf = w.buf[:0]
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		w.err = fmt.Errorf("read at offset %#x: %w", off, err)
		return nil
	}
	w.off = off
	return w.buf[:n]
}

func (w *window) u8(off int64) (uint8, bool) {
	b := w.at(off, 1)
	if b == nil {
		return 0, false
	}
	return b[0], true
}

func (w *window) u16(off int64) (uint16, bool) {
	b := w.at(off, 2)
	if b == nil {
		return 0, false
	}
	return binary.BigEndian.Uint16(b), true
}

func (w *window) u32(off int64) (uint32, bool) {
	b := w.at(off, 4)
	if b == nil {
		return 0, false
	}
	return binary.BigEndian.Uint32(b), true
}

func (w *window) u64(off int64) (uint64, bool) {
	b := w.at(off, 8)
	if b == nil {
		return 0, false
	}
	return binary.BigEndian.Uint64(b), true
}

// uintN reads an n-byte big-endian unsigned integer (n of 1, 2, 4 or 8).
func (w *window) uintN(off int64, n int) (uint64, bool) {
	switch n {
	case 1:
		v, ok := w.u8(off)
		return uint64(v), ok
	case 2:
		v, ok := w.u16(off)
		return uint64(v), ok
	case 4:
		v, ok := w.u32(off)
		return uint64(v), ok
	case 8:
		return w.u64(off)
	}
	return 0, false
}

// cstring reads the NUL-terminated string starting at off, not past end, as ExifTool's
// GetString does (a missing NUL ends the string at end). It returns the first max bytes
// of the string, the string's full length and the offset after it (after the NUL).
func (w *window) cstring(off, end int64, max int) (s []byte, length int64, next int64) {
	for p := off; p < end; p++ {
		c, ok := w.u8(p)
		if !ok {
			return s, length, end
		}
		if c == 0 {
			return s, length, p + 1
		}
		if len(s) < max {
			s = append(s, c)
		}
		length++
	}
	return s, length, end
}
