package emulator

import (
	"bytes"
	"encoding/binary"
	"image"
	"math"
	"os"
	"testing"

	"golang.org/x/image/tiff"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// isoBox builds an ISO BMFF box.
func isoBox(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	b := make([]byte, 8, 8+len(body))
	binary.BigEndian.PutUint32(b, uint32(8+len(body)))
	copy(b[4:], typ)
	return append(b, body...)
}

func u32s(vs ...uint32) []byte {
	b := make([]byte, 4*len(vs))
	for i, v := range vs {
		binary.BigEndian.PutUint32(b[4*i:], v)
	}
	return b
}

// testVideo builds a small ISO video: ftyp with brand, a movie header of seconds at
// timescale 600, one track of w x h, and seed-dependent media data.
func testVideo(brand string, seconds float64, w, h int, seed byte) []byte {
	mvhd := append(u32s(0, 0, 0, 600, uint32(seconds*600)), make([]byte, 80)...)
	tkhd := append(u32s(0, 0, 0, 1, 0, uint32(seconds*600)), make([]byte, 52)...)
	tkhd = append(tkhd, u32s(uint32(w)<<16, uint32(h)<<16)...)
	return bytes.Join([][]byte{
		isoBox("ftyp", []byte(brand), u32s(0), []byte(brand), []byte("isom")),
		isoBox("mdat", bytes.Repeat([]byte{seed, 1, 2, 3}, 64)),
		isoBox("moov", isoBox("mvhd", mvhd), isoBox("trak", isoBox("tkhd", tkhd))),
	}, nil)
}

// testHEIF builds a HEIF still of brand with an ispe of w x h (and a smaller thumbnail's).
func testHEIF(brand string, w, h int, seed byte) []byte {
	ipco := isoBox("ipco", isoBox("ispe", u32s(0, 160, 120)), isoBox("ispe", u32s(0, uint32(w), uint32(h))))
	return bytes.Join([][]byte{
		isoBox("ftyp", []byte(brand), u32s(0), []byte("mif1"), []byte(brand)),
		isoBox("meta", u32s(0), isoBox("iprp", ipco)),
		isoBox("mdat", bytes.Repeat([]byte{seed, 9}, 40)),
	}, nil)
}

// testWebP builds an extended (VP8X) WebP header of w x h.
func testWebP(w, h int) []byte {
	vp8x := []byte{0, 0, 0, 0, byte(w - 1), byte((w - 1) >> 8), byte((w - 1) >> 16), byte(h - 1), byte((h - 1) >> 8), byte((h - 1) >> 16)}
	chunk := append([]byte("VP8X\x0a\x00\x00\x00"), vp8x...)
	b := append([]byte("RIFF"), u32le(uint32(4+len(chunk)))...)
	return append(append(b, "WEBP"...), chunk...)
}

func u32le(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func testTIFF(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var b bytes.Buffer
	if err := tiff.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSniffMedia(t *testing.T) {
	tif := testTIFF(t, 4, 3)
	dng := append([]byte{}, tif...)
	// turn IFD0's first tag into DNGVersion
	off := binary.LittleEndian.Uint32(dng[4:])
	binary.LittleEndian.PutUint16(dng[off+2:], 0xC612)
	cr2 := append([]byte("II*\x00\x10\x00\x00\x00CR\x02\x00"), make([]byte, 8)...)
	for _, tc := range []struct {
		name, file string
		data       []byte
		format     string
		video, raw bool
	}{
		{"jpeg named heic", "x.heic", testJPEG(t, 1), "jpg", false, false},
		{"heic", "x.heic", testHEIF("heic", 4032, 3024, 1), "heic", false, false},
		{"mif1 with avif", "x", append(isoBox("ftyp", []byte("mif1"), u32s(0), []byte("avif")), 0), "avif", false, false},
		{"mif1 alone", "x", append(isoBox("ftyp", []byte("mif1"), u32s(0), []byte("mif1")), 0), "heif", false, false},
		{"avif", "x", testHEIF("avif", 10, 10, 1), "avif", false, false},
		{"mp4", "x", testVideo("isom", 1, 2, 2, 0), "mp4", true, false},
		{"mov", "x", testVideo("qt  ", 1, 2, 2, 0), "mov", true, false},
		{"mov without ftyp", "x", isoBox("moov", isoBox("mvhd", make([]byte, 100))), "mov", true, false},
		{"m4v", "x", testVideo("M4V ", 1, 2, 2, 0), "m4v", true, false},
		{"3gp", "x", testVideo("3gp4", 1, 2, 2, 0), "3gp", true, false},
		{"3g2", "x", testVideo("3g2a", 1, 2, 2, 0), "3g2", true, false},
		{"m4a audio", "x", testVideo("M4A ", 1, 2, 2, 0), "", false, false},
		{"avi", "x", []byte("RIFF\x10\x00\x00\x00AVI LIST"), "avi", true, false},
		{"webp", "x", testWebP(640, 480), "webp", false, false},
		{"wmv", "x", append(append([]byte{}, asfGUID...), 0, 0), "wmv", true, false},
		{"mpeg-ps", "x", []byte{0, 0, 1, 0xBA, 0x44}, "mpg", true, false},
		{"tiff", "scan.tif", tif, "tiff", false, false},
		{"tiff named nef", "DSC_0001.NEF", tif, "", false, true},
		{"dng", "x.tif", dng, "", false, true},
		{"cr2", "x", cr2, "", false, true},
		{"cr3", "x", testVideo("crx ", 1, 2, 2, 0), "", false, true},
		{"raf", "x", []byte("FUJIFILMCCD-RAW 0201"), "", false, true},
		{"pdf", "x", []byte("%PDF-1.4"), "", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := sniffMedia(tc.data, tc.file)
			if got.format != tc.format || got.video != tc.video || got.raw != tc.raw {
				t.Fatalf("got %+v", got)
			}
		})
	}
	if v, ok := sniffVideo(testVideo("isom", 23.4, 640, 480, 0)); !ok || v != (videoInfo{23, 640, 480}) {
		t.Fatalf("sniffVideo %+v %v", v, ok)
	}
	if w, h := stillDims("heic", testHEIF("heic", 4032, 3024, 1)); w != 4032 || h != 3024 {
		t.Fatalf("heic %dx%d", w, h)
	}
	if w, h := stillDims("webp", testWebP(640, 480)); w != 640 || h != 480 {
		t.Fatalf("webp %dx%d", w, h)
	}
}

// TestMediaCorpus checks the sniffers against ../shared/media's real files and ExifTool's
// values: the format of every file, videos' duration and size from their movie header, and
// HEIF/AVIF sizes.
func TestMediaCorpus(t *testing.T) {
	formats := map[string]string{"HEIC": "heic", "AVIF": "avif", "HEIF": "heif", "MOV": "mov", "3GP": "3gp",
		"3G2": "3g2", "M4V": "m4v", "MP4": "mp4", "TIFF": "tiff", "WEBP": "webp"}
	var checked, sized int
	for _, r := range sharedtest.Media(t) {
		want, known := formats[r.Format]
		if !known || r.Category == "generated" {
			continue
		}
		b, err := os.ReadFile(r.Path())
		if err != nil {
			t.Fatal(err)
		}
		got := sniffMedia(b, r.File)
		if got.format != want {
			t.Errorf("%s: sniffed %+v, manifest %s", r.File, got, r.Format)
			continue
		}
		checked++
		switch {
		case got.video && r.Width > 0:
			v, ok := sniffVideo(b)
			if !ok {
				continue // fragmented files: the configured default applies
			}
			if v.width != int64(r.Width) || v.height != int64(r.Height) || v.duration != int64(math.Round(r.Duration)) {
				t.Errorf("%s: %+v, ExifTool %dx%d %.3fs", r.File, v, r.Width, r.Height, r.Duration)
			}
			sized++
		case (want == "heic" || want == "avif" || want == "webp") && r.Width > 0:
			w, h := stillDims(want, b)
			if w != int64(r.Width) || h != int64(r.Height) {
				t.Logf("%s (%s): %dx%d, reference %dx%d", r.File, r.Category, w, h, r.Width, r.Height)
				continue
			}
			sized++
		}
	}
	t.Logf("%d files sniffed as the manifest says, %d sizes equal", checked, sized)
	if checked < 250 || sized < 100 {
		t.Fatalf("too few files checked: %d, %d sizes", checked, sized)
	}
}
