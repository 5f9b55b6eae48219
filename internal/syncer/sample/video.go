package sample

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"time"
)

// Video is a sample movie's recipe: a small MP4 (or, with QuickTime, a MOV) with one
// video track whose samples come from the seed. Its boxes are what readers of movies look
// at (ftyp; moov: mvhd, one trak with tkhd, mdhd, hdlr 'vide' and a sample table;
// Apple's Keys metadata; mdat): its signature is ExifTool's ImageDataHash of those
// samples, its duration and size the headers', its date taken Apple's creation date or
// the movie header's. It decodes in no player (the samples are noise).
type Video struct {
	Seed int64
	// W×H is the track header's size, 640×480 when zero; Seconds the duration, 2 when 0.
	W, H    int
	Seconds int
	// Size is about the size of the samples in bytes, 4096 when 0.
	Size int
	// CreateDate "YYYY:MM:DD HH:MM:SS" is the movie header's creation time (as the camera
	// wrote it: no zone); "" writes 0, unknown.
	CreateDate string
	// CreationDate is Apple's com.apple.quicktime.creationdate ("2019-07-24T11:25:40+0300"),
	// ContentID its com.apple.quicktime.content.identifier (a Live Photo's motion); ""
	// writes neither key.
	CreationDate, ContentID string
	// QuickTime makes a MOV (ftyp brand "qt  ") instead of an MP4.
	QuickTime bool
}

// Bytes encodes the movie.
func (v Video) Bytes() ([]byte, error) {
	if v.W == 0 && v.H == 0 {
		v.W, v.H = 640, 480
	}
	if v.Seconds == 0 {
		v.Seconds = 2
	}
	if v.Size == 0 {
		v.Size = 4096
	}
	var created uint32
	if v.CreateDate != "" {
		t, err := time.Parse("2006:01:02 15:04:05", v.CreateDate)
		if err != nil {
			return nil, fmt.Errorf("sample video %d: create date: %w", v.Seed, err)
		}
		created = uint32(t.Unix() + 2082844800) // seconds since 1904
	}
	const timescale, frames = 1000, 8
	duration := uint32(v.Seconds * timescale)
	rng := rand.New(rand.NewPCG(uint64(v.Seed), 0x51a3))
	sizes := make([]uint32, frames)
	var samples []byte
	for i := range sizes {
		sizes[i] = uint32(v.Size/frames + 1 + rng.IntN(16))
		for range sizes[i] {
			samples = append(samples, byte(rng.Uint32()))
		}
	}

	brand := "isom"
	compat := []string{"isom", "iso2", "mp41"}
	if v.QuickTime {
		brand, compat = "qt  ", []string{"qt  "}
	}
	ftyp := []byte(brand)
	ftyp = binary.BigEndian.AppendUint32(ftyp, 0x200)
	for _, c := range compat {
		ftyp = append(ftyp, c...)
	}

	matrix := []uint32{0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000}
	mvhd := u32s(0, created, created, timescale, duration, 0x10000)
	mvhd = append(mvhd, 1, 0) // volume
	mvhd = append(mvhd, make([]byte, 10)...)
	mvhd = append(mvhd, u32s(matrix...)...)
	mvhd = append(mvhd, make([]byte, 24)...)
	mvhd = append(mvhd, u32s(2)...) // next track id

	tkhd := u32s(7, created, created, 1, 0, duration, 0, 0)
	tkhd = append(tkhd, make([]byte, 8)...) // layer, group, volume, reserved
	tkhd = append(tkhd, u32s(matrix...)...)
	tkhd = append(tkhd, u32s(uint32(v.W)<<16, uint32(v.H)<<16)...)

	mdhd := u32s(0, created, created, timescale, duration)
	mdhd = append(mdhd, 0x55, 0xc4, 0, 0) // language "und"
	hdlr := append(u32s(0, 0), "vide"...)
	hdlr = append(hdlr, make([]byte, 12)...)
	hdlr = append(hdlr, "VideoHandler\x00"...)

	// The sample table: every sample in one chunk, whose offset is patched once the
	// size of what precedes mdat is known.
	stsz := u32s(0, 0, frames)
	for _, s := range sizes {
		stsz = binary.BigEndian.AppendUint32(stsz, s)
	}
	stbl := func(chunkOffset uint32) []byte {
		return boxes(
			box("stsd", u32s(0, 0)),
			box("stts", u32s(0, 1, frames, duration/frames)),
			box("stsc", u32s(0, 1, 1, frames, 1)),
			box("stsz", stsz),
			box("stco", u32s(0, 1, chunkOffset)))
	}
	moov := func(chunkOffset uint32) []byte {
		trak := box("trak", boxes(box("tkhd", tkhd), box("mdia", boxes(box("mdhd", mdhd), box("hdlr", hdlr),
			box("minf", box("stbl", stbl(chunkOffset)))))))
		return box("moov", boxes(box("mvhd", mvhd), trak, v.appleKeys()))
	}
	head := append(box("ftyp", ftyp), moov(0)...)
	offset := uint32(len(head) + 8) // mdat's payload
	out := append(box("ftyp", ftyp), moov(offset)...)
	return append(out, box("mdat", samples)...), nil
}

// appleKeys is moov's QuickTime meta box with Apple's keys: hdlr 'mdta', keys, ilst.
func (v Video) appleKeys() []byte {
	var keys []string
	var values []string
	if v.CreationDate != "" {
		keys, values = append(keys, "com.apple.quicktime.creationdate"), append(values, v.CreationDate)
	}
	if v.ContentID != "" {
		keys, values = append(keys, "com.apple.quicktime.content.identifier"), append(values, v.ContentID)
	}
	if len(keys) == 0 {
		return nil
	}
	hdlr := append(u32s(0, 0), "mdta"...)
	hdlr = append(hdlr, make([]byte, 13)...)
	kb := u32s(0, uint32(len(keys)))
	var ilst []byte
	for i, k := range keys {
		kb = append(kb, box("mdta", []byte(k))...)
		data := box("data", append(u32s(1, 0), values[i]...))
		ilst = append(ilst, boxWithType(uint32(i+1), data)...)
	}
	return box("meta", boxes(box("hdlr", hdlr), box("keys", kb), box("ilst", ilst)))
}

func u32s(vs ...uint32) []byte {
	out := make([]byte, 0, 4*len(vs))
	for _, v := range vs {
		out = binary.BigEndian.AppendUint32(out, v)
	}
	return out
}

func box(typ string, payload []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(8+len(payload)))
	out = append(out, typ...)
	return append(out, payload...)
}

// boxWithType is a box whose type is a number (an ilst entry naming its key's index).
func boxWithType(typ uint32, payload []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(8+len(payload)))
	out = binary.BigEndian.AppendUint32(out, typ)
	return append(out, payload...)
}

func boxes(bs ...[]byte) []byte {
	var out []byte
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}
