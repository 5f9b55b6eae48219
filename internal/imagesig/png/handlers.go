package png

import (
	"fmt"
)

// This file holds the handlers of the chunks other than IHDR and IDAT, with libpng's rules
// for which damage is fatal and which only a warning, and the end of the stream.

func (d *decoder) handlePLTE(h chunkHeader) error {
	if d.havePLTE {
		return FormatError("PLTE: duplicate")
	}
	if d.haveIDAT {
		if err := d.finishChunk(h, h.length); err != nil {
			return err
		}
		d.warn("PLTE: out of place")
		return nil
	}
	d.havePLTE = true
	if d.colorType&2 == 0 {
		if err := d.finishChunk(h, h.length); err != nil {
			return err
		}
		d.warn("PLTE: ignored in grayscale PNG")
		return nil
	}
	if h.length > 3*256 || h.length%3 != 0 {
		if err := d.finishChunk(h, h.length); err != nil {
			return err
		}
		if d.colorType != 3 {
			d.warn("PLTE: invalid")
			return nil
		}
		return FormatError("PLTE: invalid length")
	}
	num := int(h.length / 3)
	maxLen := 256
	if d.colorType == 3 {
		maxLen = 1 << d.bitDepth
	}
	if num > maxLen {
		num = maxLen
	}
	pal := make([]byte, 3*num)
	if err := d.readChunkData(h, pal); err != nil {
		return err
	}
	if err := d.finishChunk(h, h.length-uint32(3*num)); err != nil {
		return err
	}
	d.palette = pal
	if d.haveTRNS && len(d.trnsAlpha) > 0 {
		d.trnsAlpha = nil
		d.warn("PLTE: tRNS must be after")
	}
	return nil
}

func (d *decoder) handleTRNS(h chunkHeader) error {
	skip := func(msg string) error {
		if err := d.finishChunk(h, h.length); err != nil {
			return err
		}
		d.warn("tRNS: %s", msg)
		return nil
	}
	if d.haveIDAT {
		return skip("out of place")
	}
	if d.haveTRNS {
		return skip("duplicate")
	}
	var buf [256]byte
	var data []byte
	switch d.colorType {
	case 0:
		if h.length != 2 {
			return skip("invalid")
		}
		data = buf[:2]
	case 2:
		if h.length != 6 {
			return skip("invalid")
		}
		data = buf[:6]
	case 3:
		if !d.havePLTE {
			return skip("out of place")
		}
		if h.length > uint32(len(d.palette)/3) || h.length == 0 {
			return skip("invalid")
		}
		data = buf[:h.length]
	default:
		return skip("invalid with alpha channel")
	}
	if err := d.readChunkData(h, data); err != nil {
		return err
	}
	ok, err := d.finishAncillary(h)
	if err != nil || !ok {
		return err
	}
	d.haveTRNS = true
	maxSample := uint16(1<<d.bitDepth - 1)
	switch d.colorType {
	case 0:
		g := be16(data)
		d.trnsKey = [3]uint16{g, g, g}
		d.trnsKeyOK = d.bitDepth == 16 || g <= maxSample
	case 2:
		d.trnsKey = [3]uint16{be16(data), be16(data[2:]), be16(data[4:])}
		d.trnsKeyOK = d.bitDepth == 16 || (d.trnsKey[0] <= maxSample &&
			d.trnsKey[1] <= maxSample && d.trnsKey[2] <= maxSample)
	case 3:
		d.trnsAlpha = append([]byte(nil), data...)
	}
	if (d.colorType == 0 || d.colorType == 2) && !d.trnsKeyOK {
		d.warn("tRNS: chunk has out-of-range samples for bit_depth")
	}
	return nil
}

// knownAncillary are the ancillary chunks libpng handles itself (whose errors before IHDR
// are fatal); ImageMagick has libpng skip the others.
var knownAncillary = map[string]bool{
	"bKGD": true, "cHRM": true, "eXIf": true, "gAMA": true, "oFFs": true,
	"pHYs": true, "sBIT": true, "sRGB": true, "iCCP": true, "tEXt": true, "zTXt": true,
	"tIME": true, "tRNS": true,
}

// handleOther skips any other chunk: an unknown critical chunk is fatal, ImageMagick's
// vpAg and caNv chunks must have their fixed sizes, everything else is skipped with its
// CRC checked (a bad CRC in an ancillary chunk is only a warning).
func (d *decoder) handleOther(h chunkHeader) error {
	if h.critical() {
		return FormatError(fmt.Sprintf("%s: unhandled critical chunk", h.name))
	}
	// libpng hands unknown chunks to ImageMagick's callback even when their CRC is wrong
	// (that is only a warning), and the callback refuses vpAg and caNv of the wrong size.
	if _, err := d.skipAncillary(h); err != nil {
		return err
	}
	if (h.name == "vpAg" && h.length != 9) || (h.name == "caNv" && h.length != 16) {
		return FormatError(fmt.Sprintf("%s: invalid chunk length %d", h.name, h.length))
	}
	return nil
}

// readEnd reads the chunks after the image data up to IEND, as png_read_end.
func (d *decoder) readEnd() error {
	for {
		var h chunkHeader
		if d.pendingHdr != nil {
			h, d.pendingHdr = *d.pendingHdr, nil
		} else {
			var err error
			if h, err = d.readChunkHeader(); err != nil {
				return err
			}
		}
		switch h.name {
		case "IEND":
			if err := d.finishChunk(h, h.length); err != nil {
				return err
			}
			if h.length != 0 {
				d.warn("IEND: invalid")
			}
			return nil
		case "IHDR":
			return FormatError("IHDR: out of place")
		case "IDAT":
			if err := d.finishChunk(h, h.length); err != nil {
				return err
			}
			if h.length > 0 {
				d.warn("IDAT: too many IDATs found")
			}
		case "PLTE":
			if err := d.handlePLTE(h); err != nil {
				return err
			}
		case "tRNS":
			if err := d.handleTRNS(h); err != nil {
				return err
			}
		default:
			if err := d.handleOther(h); err != nil {
				return err
			}
		}
	}
}
