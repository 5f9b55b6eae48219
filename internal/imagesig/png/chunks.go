package png

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// chunkHeader is a chunk's length and type.
type chunkHeader struct {
	length uint32
	name   string
}

// critical reports whether the chunk is critical (upper-case first letter).
func (h chunkHeader) critical() bool { return h.name[0]&0x20 == 0 }

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

// errShort reports the stream ending inside what read was asked for.
var errShort = errors.New("truncated file")

// read reads len(p) bytes; it returns errShort when the stream ends first.
func (d *decoder) read(p []byte) error {
	_, err := io.ReadFull(d.r, p)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errShort
	}
	return err
}

// truncated turns errShort into a FormatError saying where the file ends.
func truncated(err error, where string) error {
	if err == errShort {
		return FormatError("truncated file (" + where + ")")
	}
	return err
}

// crcTable is the PNG (IEEE) CRC table.
var crcTable = crc32.IEEETable

// readChunkHeader reads a chunk's length and type, with libpng's checks.
func (d *decoder) readChunkHeader() (chunkHeader, error) {
	var b [8]byte
	if err := d.read(b[:]); err != nil {
		return chunkHeader{}, truncated(err, "it ends before the IEND chunk")
	}
	length := be32(b[:])
	for _, c := range b[4:] {
		if c < 65 || c > 122 || (c > 90 && c < 97) {
			return chunkHeader{}, FormatError(fmt.Sprintf("invalid chunk type %q", b[4:]))
		}
	}
	h := chunkHeader{length: length, name: string(b[4:])}
	if length > 0x7fffffff {
		return h, FormatError(fmt.Sprintf("%s: chunk length %d out of range", h.name, length))
	}
	d.crc = crc32.Update(0, crcTable, b[4:])
	return h, nil
}

// readChunkData reads len(p) bytes of the current chunk's data.
func (d *decoder) readChunkData(h chunkHeader, p []byte) error {
	if err := d.read(p); err != nil {
		return truncated(err, "in "+h.name+" chunk data")
	}
	d.crc = crc32.Update(d.crc, crcTable, p)
	return nil
}

// skipData reads and checksums n bytes of chunk data.
func (d *decoder) skipData(h chunkHeader, n uint32) error {
	var buf [4096]byte
	for n > 0 {
		k := uint32(len(buf))
		if k > n {
			k = n
		}
		if err := d.readChunkData(h, buf[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// checkCRC reads the chunk's CRC and reports whether it matches.
func (d *decoder) checkCRC(h chunkHeader) (bool, error) {
	var b [4]byte
	if err := d.read(b[:]); err != nil {
		return false, truncated(err, "in "+h.name+" chunk CRC")
	}
	return be32(b[:]) == d.crc, nil
}

// finishChunk skips the rest (n bytes) of the chunk and checks its CRC: a CRC error is
// fatal in a critical chunk and a warning in an ancillary one.
func (d *decoder) finishChunk(h chunkHeader, n uint32) error {
	if err := d.skipData(h, n); err != nil {
		return err
	}
	ok, err := d.checkCRC(h)
	if err != nil {
		return err
	}
	if !ok {
		if h.critical() {
			return FormatError(fmt.Sprintf("%s: CRC error", h.name))
		}
		d.warn("%s: CRC error", h.name)
	}
	return nil
}

// finishAncillary checks the CRC of a fully read ancillary chunk; ok is false when the
// CRC is wrong and the chunk must be ignored.
func (d *decoder) finishAncillary(h chunkHeader) (bool, error) {
	ok, err := d.checkCRC(h)
	if err != nil {
		return false, err
	}
	if !ok {
		d.warn("%s: CRC error", h.name)
	}
	return ok, nil
}

// skipAncillary skips a whole ancillary chunk; ok is false when its CRC is wrong.
func (d *decoder) skipAncillary(h chunkHeader) (bool, error) {
	if err := d.skipData(h, h.length); err != nil {
		return false, err
	}
	return d.finishAncillary(h)
}

// idatPiece is how much IDAT data libpng hands zlib at a time (PNG_IDAT_READ_SIZE).
const idatPiece = 8192

// idatReader presents the data of consecutive IDAT chunks to the inflater, one piece of
// at most idatPiece bytes at a time as libpng does. fill returns io.EOF when the next chunk
// is not an IDAT, keeping that chunk's header for readEnd.
type idatReader struct {
	d         *decoder
	remain    uint32 // data bytes left in the current IDAT chunk
	pieceLeft uint32 // bytes left of the piece libpng would have given zlib
	pieces    int    // pieces started so far
	ended     bool   // the IDAT chunks are exhausted
	buf       []byte
	pos       int
	err       error
}

// fill loads the next buffer of IDAT data.
func (r *idatReader) fill() error {
	if r.err != nil {
		return r.err
	}
	d := r.d
	for r.remain == 0 {
		if r.ended {
			return io.EOF
		}
		if err := d.finishChunk(chunkHeader{name: "IDAT"}, 0); err != nil {
			r.err = err
			return err
		}
		h, err := d.readChunkHeader()
		if err != nil {
			r.err = err
			return err
		}
		if h.name != "IDAT" {
			d.pendingHdr = &h
			r.ended = true
			return io.EOF
		}
		r.remain = h.length
		r.pieceLeft = 0
	}
	if r.pieceLeft == 0 {
		r.pieceLeft = min(r.remain, idatPiece)
		r.pieces++
	}
	n := r.pieceLeft
	if cap(r.buf) < int(n) {
		r.buf = make([]byte, n)
	}
	r.buf = r.buf[:n]
	if err := d.readChunkData(chunkHeader{name: "IDAT"}, r.buf); err != nil {
		r.err = err
		return err
	}
	r.remain -= n
	r.pieceLeft -= n
	r.pos = 0
	return nil
}

// unread reports how many bytes of the current IDAT chunk the inflater has not consumed.
func (r *idatReader) unread() int64 { return int64(len(r.buf)-r.pos) + int64(r.remain) }

// finish skips what is left of the current IDAT chunk and checks its CRC, as
// png_read_finish_IDAT does once the image is read.
func (r *idatReader) finish() error {
	if r.ended || r.err != nil {
		return r.err
	}
	r.ended = true
	r.buf, r.pos = nil, 0
	return r.d.finishChunk(chunkHeader{name: "IDAT"}, r.remain)
}
