package webp

import "bytes"

// Sizes and flags of the WebP container (libwebp's format_constants.h).
const (
	tagSize             = 4
	chunkHeaderSize     = 8
	riffHeaderSize      = 12
	vp8xChunkSize       = 10
	anmfChunkSize       = 16
	animChunkSize       = 6
	vp8FrameHeaderSize  = 10
	vp8lFrameHeaderSize = 5
	alphaHeaderLen      = 1
	maxChunkPayload     = ^uint32(0) - chunkHeaderSize - 1
	maxImageArea        = 1 << 32

	animationFlag = 0x02
	xmpFlag       = 0x04
	exifFlag      = 0x08
	alphaFlag     = 0x10
	iccpFlag      = 0x20
	allValidFlags = 0x3e
)

// status is libwebp's VP8StatusCode, for the parsing steps whose outcome depends on which
// failure happened (not enough data is sometimes tolerated).
type status int

const (
	statusOK status = iota
	statusBitstreamError
	statusUnsupported
	statusNotEnoughData
)

// err turns a failed status into the error Decode returns.
func (s status) err(step string) error {
	switch s {
	case statusOK:
		return nil
	case statusNotEnoughData:
		return FormatError("insufficient image data in file (" + step + ")")
	case statusUnsupported:
		return UnsupportedError(step)
	default:
		return FormatError("corrupt image (" + step + ")")
	}
}

// features is what WebPGetFeatures reports.
type features struct {
	width, height int
	hasAlpha      bool
	hasAnimation  bool
}

// headers is what WebPParseHeaders finds before the VP8/VP8L bitstream.
type headers struct {
	riffSize   uint32 // 0 without a RIFF container
	alphaData  []byte // the ALPH chunk's payload, nil without
	offset     int    // of the VP8/VP8L payload
	isLossless bool
}

// parseHeaders is libwebp's ParseHeadersInternal: with want false it only fetches the
// features (WebPGetFeatures, which tolerates a VP8X file whose image chunk is missing or
// cut); with want true it also locates the alpha data and the bitstream, with all the data
// present (WebPParseHeaders). Besides RIFF files it accepts the raw "ALPH + VP8" and
// "VP8/VP8L" chunks the demuxer hands out for animation frames.
func parseHeaders(data []byte, want bool) (features, headers, status) {
	var f features
	var h headers
	total := len(data)
	if len(data) < riffHeaderSize {
		return f, h, statusNotEnoughData
	}
	haveAll := want
	// RIFF container.
	if bytes.HasPrefix(data, []byte("RIFF")) {
		if !bytes.Equal(data[8:12], []byte("WEBP")) {
			return f, h, statusBitstreamError
		}
		size := le32(data[4:])
		if size < tagSize+chunkHeaderSize || size > maxChunkPayload {
			return f, h, statusBitstreamError
		}
		if haveAll && uint64(size) > uint64(len(data))-chunkHeaderSize {
			return f, h, statusNotEnoughData
		}
		h.riffSize = size
		data = data[riffHeaderSize:]
	}
	foundRIFF := h.riffSize > 0
	// VP8X.
	if len(data) < chunkHeaderSize {
		return f, h, statusNotEnoughData
	}
	foundVP8X := false
	var canvasW, canvasH int
	var flags uint32
	if bytes.HasPrefix(data, []byte("VP8X")) {
		if le32(data[4:]) != vp8xChunkSize {
			return f, h, statusBitstreamError
		}
		if len(data) < chunkHeaderSize+vp8xChunkSize {
			return f, h, statusNotEnoughData
		}
		flags = le32(data[8:])
		canvasW = 1 + int(le24(data[12:]))
		canvasH = 1 + int(le24(data[15:]))
		if uint64(canvasW)*uint64(canvasH) >= maxImageArea {
			return f, h, statusBitstreamError
		}
		data = data[chunkHeaderSize+vp8xChunkSize:]
		foundVP8X = true
	}
	animation := flags&animationFlag != 0
	if !foundRIFF && foundVP8X {
		return f, h, statusBitstreamError
	}
	f.hasAlpha = flags&alphaFlag != 0
	f.hasAnimation = animation
	imageW, imageH := canvasW, canvasH
	st := func() status {
		if foundVP8X && animation && !want {
			return statusOK // the VP8X header tells all WebPGetFeatures needs
		}
		if len(data) < tagSize {
			return statusNotEnoughData
		}
		// Optional chunks before the bitstream.
		if (foundRIFF && foundVP8X) || (!foundRIFF && !foundVP8X && bytes.HasPrefix(data, []byte("ALPH"))) {
			var st status
			data, h.alphaData, st = skipOptionalChunks(data, h.riffSize)
			if st != statusOK {
				return st
			}
		}
		// The VP8/VP8L chunk header, or a raw bitstream.
		if len(data) < chunkHeaderSize {
			return statusNotEnoughData
		}
		var compressed uint64
		isVP8, isVP8L := bytes.HasPrefix(data, []byte("VP8 ")), bytes.HasPrefix(data, []byte("VP8L"))
		if isVP8 || isVP8L {
			size := le32(data[4:])
			const minimal = tagSize + chunkHeaderSize
			if h.riffSize >= minimal && size > h.riffSize-minimal {
				return statusBitstreamError
			}
			if haveAll && uint64(size) > uint64(len(data))-chunkHeaderSize {
				return statusNotEnoughData
			}
			compressed = uint64(size)
			data = data[chunkHeaderSize:]
			h.isLossless = isVP8L
		} else {
			h.isLossless = len(data) >= vp8lFrameHeaderSize && data[0] == vp8lMagic && data[4]>>5 == 0
			compressed = uint64(len(data))
		}
		if compressed > uint64(maxChunkPayload) {
			return statusBitstreamError
		}
		var ok bool
		if !h.isLossless {
			if len(data) < vp8FrameHeaderSize {
				return statusNotEnoughData
			}
			imageW, imageH, ok = vp8Info(data, compressed)
		} else {
			if len(data) < vp8lFrameHeaderSize {
				return statusNotEnoughData
			}
			var alpha bool
			imageW, imageH, alpha, ok = vp8lInfo(data)
			if ok {
				f.hasAlpha = alpha
			}
		}
		if !ok {
			return statusBitstreamError
		}
		if foundVP8X && (canvasW != imageW || canvasH != imageH) {
			return statusBitstreamError
		}
		return statusOK
	}()
	if st == statusOK || st == statusNotEnoughData && foundVP8X && !want {
		f.hasAlpha = f.hasAlpha || h.alphaData != nil
		f.width, f.height = imageW, imageH
		h.offset = total - len(data)
		return f, h, statusOK
	}
	return f, h, st
}

// skipOptionalChunks is libwebp's ParseOptionalChunks: it walks the chunks after VP8X up
// to the VP8/VP8L chunk, keeping the last ALPH chunk's payload.
func skipOptionalChunks(data []byte, riffSize uint32) ([]byte, []byte, status) {
	var alpha []byte
	total := uint64(tagSize + chunkHeaderSize + vp8xChunkSize)
	for {
		if len(data) < chunkHeaderSize {
			return data, alpha, statusNotEnoughData
		}
		size := le32(data[4:])
		if size > maxChunkPayload {
			return data, alpha, statusBitstreamError
		}
		disk := (uint64(chunkHeaderSize) + uint64(size) + 1) &^ 1
		total += disk
		if riffSize > 0 && total > uint64(riffSize) {
			return data, alpha, statusBitstreamError
		}
		if bytes.HasPrefix(data, []byte("VP8 ")) || bytes.HasPrefix(data, []byte("VP8L")) {
			return data, alpha, statusOK
		}
		if uint64(len(data)) < disk {
			return data, alpha, statusNotEnoughData
		}
		if bytes.HasPrefix(data, []byte("ALPH")) {
			alpha = data[chunkHeaderSize : chunkHeaderSize+size]
		}
		data = data[disk:]
	}
}

// vp8Info is libwebp's VP8GetInfo: it validates the VP8 frame header of data.
func vp8Info(data []byte, chunkSize uint64) (width, height int, ok bool) {
	if len(data) < vp8FrameHeaderSize || data[3] != 0x9d || data[4] != 0x01 || data[5] != 0x2a {
		return 0, 0, false
	}
	bits := le24(data)
	keyFrame := bits&1 == 0
	w := int(le16(data[6:]) & 0x3fff)
	h := int(le16(data[8:]) & 0x3fff)
	switch {
	case !keyFrame, (bits>>1)&7 > 3, (bits>>4)&1 == 0, uint64(bits>>5) >= chunkSize, w == 0 || h == 0:
		return 0, 0, false
	}
	return w, h, true
}
