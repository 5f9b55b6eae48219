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

	// recording keeps every byte read in hist, so that a banded decode can replay the input.
	recording bool
	hist      []byte
	d         *decoder
}

const sourceBufSize = 64 << 10

// fill refills the buffer. Like ImageMagick's FillInputBuffer, an empty read at EOF yields a
// fake EOI marker and a "Premature end of JPEG file" warning.
func (s *source) fill() {
	if s.pos < s.end {
		return
	}
	s.pos, s.end = 0, 0
	s.fake = false
	for !s.eof && s.err == nil {
		n, err := s.r.Read(s.buf)
		s.read += int64(n)
		s.end = n
		s.record(n)
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

// record appends the n bytes just read into buf to hist while recording.
func (s *source) record(n int) {
	if s.recording && n > 0 {
		s.hist = append(s.hist, s.buf[:n]...)
	}
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
