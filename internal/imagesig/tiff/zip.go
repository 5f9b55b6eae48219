package tiff

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"

	"github.com/ulikunitz/xz"
)

// inflateStrip is ZIPDecode as Debian's libtiff runs it, through libdeflate on a whole
// strip or tile: the zlib stream must be valid up to its checksum, and must fill the
// strip; a stream longer than the strip is accepted (libdeflate's "insufficient space").
func inflateStrip(raw, out []byte) error {
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return FormatError(fmt.Sprintf("decoding error: %v", err))
	}
	n, err := io.ReadFull(zr, out)
	if err == nil {
		// Full: libdeflate stops there without looking further.
		return nil
	}
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		return FormatError(fmt.Sprintf("decoding error (short output: %d of %d bytes)", n, len(out)))
	}
	return FormatError(fmt.Sprintf("decoding error: %v", err))
}

// lzmaStrip is LZMADecode: an xz stream that must fill the strip.
func lzmaStrip(raw, out []byte) error {
	zr, err := xz.NewReader(bytes.NewReader(raw))
	if err != nil {
		return FormatError(fmt.Sprintf("LZMA decoding error: %v", err))
	}
	n, err := io.ReadFull(zr, out)
	if err == nil {
		return nil
	}
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		return FormatError(fmt.Sprintf("not enough data (short %d bytes)", len(out)-n))
	}
	return FormatError(fmt.Sprintf("LZMA decoding error: %v", err))
}
