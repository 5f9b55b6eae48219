package jpeg

import (
	"fmt"
	"io"
)

// source is the buffered byte source. Like libjpeg's stdio source manager (and ImageMagick's),
// it inserts a fake EOI marker (FF D9) each time the input runs dry, with a warning.
type source struct {
	r    io.Reader
	buf  []byte
	pos  int
	end  int
	err  error // the non-EOF read error, if any
	eof  bool
	read int64 // bytes read from r so far
	fake bool  // the last fill produced a fake EOI

	// seeker is r when it can seek (base: its offset at the start): a banded decode reads
	// each scan again from where the previous band left it.
	seeker io.ReadSeeker
	base   int64
	d      *decoder
}

// maxHeaderBytes bounds what is read before the first scan: markers (APPn segments are
// at most 64 KB each) and the garbage libjpeg skips between them. Real files have a few MB.
const maxHeaderBytes = 64 << 20

const sourceBufSize = 64 << 10

// fill refills the buffer. Like ImageMagick's FillInputBuffer, an empty read at EOF yields a
// fake EOI marker and a "Premature end of JPEG file" warning.
func (s *source) fill() {
	if s.pos < s.end {
		return
	}
	s.pos, s.end = 0, 0
	s.fake = false
	s.d.checkCtx()
	if s.d.scanNumber == 0 && s.read > maxHeaderBytes {
		panic(decodeError{fmt.Errorf("%w: more than %d MB before the image data", ErrTooLarge, maxHeaderBytes>>20)})
	}
	for !s.eof && s.err == nil {
		n, err := s.r.Read(s.buf)
		s.read += int64(n)
		s.end = n
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			s.err = err
		}
		if n > 0 {
			return
		}
	}
	if s.err != nil {
		// A real I/O error is fatal: we must not pretend the data ended.
		panic(decodeError{fmt.Errorf("read: %w", s.err)})
	}
	if s.read == 0 {
		s.d.fail("Empty input file")
	}
	s.d.warn("Premature end of JPEG file")
	s.d.eofHits++
	if s.d.eofHits > maxEOFHits {
		// Every further read is a fake EOI: a stream that keeps asking is looping on garbage.
		s.d.fail("Premature end of JPEG file")
	}
	s.buf[0] = 0xFF
	s.buf[1] = 0xD9
	s.end = 2
	s.fake = true
}

// maxEOFHits bounds the fake EOI markers handed out; libjpeg would loop on them for ever in
// some corrupt streams, ImageMagick too; we give up instead.
const maxEOFHits = 1 << 16

// sourceState is where the source is, to come back to it (a banded decode's checkpoint).
type sourceState struct {
	off      int64 // offset from base of the next byte to read
	eof      bool
	fake     [2]byte // what is left of a fake EOI being delivered
	fakeLeft int
	eofHits  int
}

func (s *source) state() sourceState {
	st := sourceState{eof: s.eof, eofHits: s.d.eofHits}
	if s.fake {
		st.off = s.read
		st.fakeLeft = copy(st.fake[:], s.buf[s.pos:s.end])
	} else {
		st.off = s.read - int64(s.end-s.pos)
	}
	return st
}

// restore goes back to a state (s.seeker is set).
func (s *source) restore(st sourceState) {
	s.d.eofHits = st.eofHits
	s.read = st.off
	s.pos, s.end, s.err = 0, 0, nil
	s.fake = st.fakeLeft > 0
	if s.fake {
		s.end = copy(s.buf, st.fake[:st.fakeLeft])
		s.eof = true
		return
	}
	if _, err := s.seeker.Seek(s.base+st.off, io.SeekStart); err != nil {
		panic(decodeError{fmt.Errorf("read: %w", err)})
	}
	s.eof = false
}

func (s *source) readByte() byte {
	if s.pos >= s.end {
		s.fill()
	}
	c := s.buf[s.pos]
	s.pos++
	return c
}

func (s *source) read2() int {
	a := int(s.readByte())
	return a<<8 | int(s.readByte())
}

// skip discards n bytes (libjpeg's skip_input_data).
func (s *source) skip(n int) {
	for n > 0 {
		if s.pos >= s.end {
			s.fill()
		}
		k := s.end - s.pos
		if k > n {
			k = n
		}
		s.pos += k
		n -= k
	}
}

// atEOF reports whether the source has delivered its last real byte and only fake EOIs remain.
func (s *source) atEOF() bool { return s.eof && s.pos >= s.end }
