package webp

// The animation demuxer: libwebp 1.2.4's WebPDemux (src/demux/demux.c), which ImageMagick
// runs over a file that WebPGetFeatures calls animated (a VP8X chunk with the animation
// flag) to find its frames. Only what decides which frames exist, their offsets and the
// bytes handed to the decoder is kept, for such files: a still image's chunks, valid
// without the flag, are an error here as there. A file it rejects yields no frame at all.

// frame is one ANMF frame: its position and the bytes of its ALPH and VP8/VP8L chunks.
type frame struct {
	xOffset, yOffset int
	width, height    int // from the bitstream's own header
	num              int
	complete         bool
	image, alpha     chunkRef // alpha.size == 0 without ALPH
}

// chunkRef locates a chunk, header included, in the file; size counts the payload's padding.
type chunkRef struct{ offset, size int }

type demuxer struct {
	buf          []byte
	pos, riffEnd int
	flags        byte
	canvasW      int
	canvasH      int
	frames       []*frame
	tooMany      bool // more than maxFrames frames
}

type parseStatus int

const (
	parseOK parseStatus = iota
	parseNeedMoreData
	parseError
)

// demux parses data (a whole RIFF file, nothing after its end) and returns its frames;
// ok is false where WebPDemux returns NULL. tooMany reports a file of more than maxFrames
// frames, which libwebp would have accepted.
func demux(data []byte) (frames []*frame, canvasW, canvasH int, ok, tooMany bool) {
	if len(data) < riffHeaderSize+chunkHeaderSize || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return nil, 0, 0, false, false
	}
	riffSize := le32(data[4:])
	if riffSize < chunkHeaderSize || riffSize > maxChunkPayload {
		return nil, 0, 0, false, false
	}
	dm := &demuxer{buf: data, riffEnd: int(riffSize) + chunkHeaderSize, canvasW: -1, canvasH: -1}
	if len(dm.buf) != dm.riffEnd || string(dm.buf[riffHeaderSize:riffHeaderSize+tagSize]) != "VP8X" {
		return nil, 0, 0, false, false // partial data is not allowed; animations start with VP8X
	}
	dm.pos = riffHeaderSize
	if dm.parseVP8X() != parseOK || !dm.valid() {
		return nil, 0, 0, false, dm.tooMany
	}
	return dm.frames, dm.canvasW, dm.canvasH, true, false
}

func (dm *demuxer) left() int                    { return len(dm.buf) - dm.pos }
func (dm *demuxer) sizeInvalid(size uint64) bool { return size > uint64(dm.riffEnd-dm.pos) }

// addFrame appends f unless the previous frame is incomplete.
func (dm *demuxer) addFrame(f *frame) bool {
	if n := len(dm.frames); n > 0 && !dm.frames[n-1].complete {
		return false
	}
	dm.frames = append(dm.frames, f)
	return true
}

// storeFrame is StoreFrame: it takes the ALPH and VP8/VP8L chunks at the current position
// into f, stopping at any other chunk.
func (dm *demuxer) storeFrame(num int, minSize uint32, f *frame) parseStatus {
	alphaChunks, imageChunks := 0, 0
	if dm.left() < chunkHeaderSize || dm.left() < int(minSize) {
		return parseNeedMoreData
	}
	st := parseOK
	for done := false; !done && st == parseOK; {
		start := dm.pos
		fourcc := string(dm.buf[dm.pos : dm.pos+4])
		payload := le32(dm.buf[dm.pos+4:])
		dm.pos += chunkHeaderSize
		if payload > maxChunkPayload {
			return parseError
		}
		padded := uint64(payload) + uint64(payload&1)
		available := min(padded, uint64(dm.left()))
		size := chunkHeaderSize + int(available)
		if dm.sizeInvalid(padded) {
			return parseError
		}
		if padded > uint64(dm.left()) {
			st = parseNeedMoreData
		}
		rewind := false
		switch fourcc {
		case "ALPH":
			if alphaChunks == 0 {
				alphaChunks++
				f.alpha = chunkRef{start, size}
				f.num = num
				dm.pos += int(available)
			} else {
				rewind = true
			}
		case "VP8L", "VP8 ":
			if fourcc == "VP8L" && alphaChunks > 0 {
				return parseError // VP8L carries its own alpha
			}
			if imageChunks == 0 {
				feat, _, fst := parseHeaders(dm.buf[start:start+size], false)
				if st == parseNeedMoreData && fst == statusNotEnoughData {
					return parseNeedMoreData
				} else if fst != statusOK {
					return parseError
				}
				imageChunks++
				f.image = chunkRef{start, size}
				f.width, f.height = feat.width, feat.height
				f.num = num
				f.complete = st == parseOK
				dm.pos += int(available)
			} else {
				rewind = true
			}
		default:
			rewind = true
		}
		if rewind {
			dm.pos -= chunkHeaderSize
			done = true
		}
		if dm.pos == dm.riffEnd {
			done = true
		} else if dm.left() < chunkHeaderSize {
			st = parseNeedMoreData
		}
	}
	return st
}

// parseAnimationFrame is ParseAnimationFrame: an ANMF chunk and the image chunks in it.
func (dm *demuxer) parseAnimationFrame(frameChunkSize uint32) parseStatus {
	anmfPayload := frameChunkSize - anmfChunkSize
	if dm.sizeInvalid(anmfChunkSize) || frameChunkSize < anmfChunkSize {
		return parseError
	}
	if dm.left() < anmfChunkSize {
		return parseNeedMoreData
	}
	b := dm.buf[dm.pos:]
	f := &frame{
		xOffset: 2 * int(le24(b[0:])),
		yOffset: 2 * int(le24(b[3:])),
		width:   1 + int(le24(b[6:])),
		height:  1 + int(le24(b[9:])),
	}
	dm.pos += anmfChunkSize
	if uint64(f.width)*uint64(f.height) >= maxImageArea {
		return parseError
	}
	start := dm.pos
	st := dm.storeFrame(len(dm.frames)+1, anmfPayload, f)
	if st != parseError && dm.pos-start > int(anmfPayload) {
		st = parseError
	}
	if st != parseError && f.num > 0 && !dm.addFrame(f) {
		st = parseError
	}
	return st
}

// parseVP8X is ParseVP8X and ParseVP8XChunks.
func (dm *demuxer) parseVP8X() parseStatus {
	if dm.left() < chunkHeaderSize {
		return parseNeedMoreData
	}
	size := le32(dm.buf[dm.pos+4:])
	dm.pos += chunkHeaderSize
	if size > maxChunkPayload || size < vp8xChunkSize {
		return parseError
	}
	size += size & 1
	if dm.sizeInvalid(uint64(size)) {
		return parseError
	}
	if dm.left() < int(size) {
		return parseNeedMoreData
	}
	b := dm.buf[dm.pos:]
	dm.flags = b[0]
	dm.canvasW = 1 + int(le24(b[4:]))
	dm.canvasH = 1 + int(le24(b[7:]))
	if uint64(dm.canvasW)*uint64(dm.canvasH) >= maxImageArea {
		return parseError
	}
	dm.pos += int(size)
	if dm.sizeInvalid(chunkHeaderSize) {
		return parseError
	}
	if dm.left() < chunkHeaderSize {
		return parseNeedMoreData
	}
	animChunks := 0
	for {
		fourcc := string(dm.buf[dm.pos : dm.pos+4])
		size := le32(dm.buf[dm.pos+4:])
		dm.pos += chunkHeaderSize
		if size > maxChunkPayload {
			return parseError
		}
		padded := size + size&1
		if dm.sizeInvalid(uint64(padded)) {
			return parseError
		}
		st := parseOK
		switch fourcc {
		case "VP8X":
			return parseError
		case "ALPH", "VP8 ", "VP8L":
			return parseError // all frames of an animation are in ANMF chunks
		case "ANIM":
			if padded < animChunkSize {
				return parseError
			}
			if uint64(dm.left()) < uint64(padded) {
				st = parseNeedMoreData
			} else if animChunks == 0 {
				animChunks++
				dm.pos += int(padded) // background colour and loop count: no effect on pixels
			} else if !dm.skipChunk(padded) {
				st = parseNeedMoreData
			}
		case "ANMF":
			if animChunks == 0 {
				return parseError // ANIM precedes the frames
			}
			if len(dm.frames) >= maxFrames {
				dm.tooMany = true
				return parseError
			}
			st = dm.parseAnimationFrame(padded)
		default:
			if !dm.skipChunk(padded) {
				st = parseNeedMoreData
			}
		}
		if dm.pos == dm.riffEnd {
			return st
		} else if dm.left() < chunkHeaderSize {
			st = parseNeedMoreData
		}
		if st != parseOK {
			return st
		}
	}
}

// skipChunk skips a chunk's payload if it is all there.
func (dm *demuxer) skipChunk(padded uint32) bool {
	if uint64(padded) > uint64(dm.left()) {
		return false
	}
	dm.pos += int(padded)
	return true
}

// valid is IsValidExtendedFormat, for a completely parsed animation.
func (dm *demuxer) valid() bool {
	if dm.canvasW <= 0 || dm.canvasH <= 0 || len(dm.frames) == 0 || dm.flags&^allValidFlags != 0 {
		return false
	}
	for _, f := range dm.frames {
		switch {
		case !f.complete, // no partial frame in a complete file
			f.alpha.size == 0 && f.image.size == 0,
			f.alpha.size > 0 && f.alpha.offset > f.image.offset, // alpha precedes the image
			f.width <= 0 || f.height <= 0,
			f.xOffset+f.width > dm.canvasW || f.yOffset+f.height > dm.canvasH:
			return false
		}
	}
	return true
}

// payload is GetFramePayload: the bytes from the ALPH chunk (if any) to the end of the
// image chunk, as WebPDecode receives them.
func (f *frame) payload(buf []byte) []byte {
	start, size := f.image.offset, f.image.size
	if f.alpha.size > 0 {
		inter := 0
		if f.image.offset > 0 {
			inter = f.image.offset - (f.alpha.offset + f.alpha.size)
		}
		start = f.alpha.offset
		size += f.alpha.size + inter
	}
	return buf[start : start+size]
}
