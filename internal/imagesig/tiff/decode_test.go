package tiff

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// tiffBuilder writes small little-endian classic TIFFs for the tests: directories of
// (tag, type, values) with their data, chained in order, or as the test links them.
type tiffBuilder struct {
	buf bytes.Buffer
}

type tag struct {
	id, typ uint16
	vals    []uint32 // SHORT or LONG values
	raw     []byte   // or raw bytes (BYTE/UNDEFINED)
}

// build lays out the pixel data, then one IFD per dirs entry; next[i] is the index of the
// directory IFD i points to (-1 for none). Strip offsets are given as placeholders
// 0xFFFFFFFF, replaced by the data's offset.
func buildTIFF(data []byte, dirs [][]tag, next []int) []byte {
	var b bytes.Buffer
	b.WriteString("II*\x00")
	binary.Write(&b, binary.LittleEndian, uint32(0)) // patched
	dataOff := uint32(b.Len())
	b.Write(data)
	if b.Len()%2 == 1 {
		b.WriteByte(0)
	}
	offs := make([]uint32, len(dirs))
	type patch struct{ at, dir int }
	var patches []patch
	for i, d := range dirs {
		sort.Slice(d, func(a, c int) bool { return d[a].id < d[c].id })
		// out-of-line values first
		extra := map[int]uint32{}
		for k, t := range d {
			n := len(t.vals)*sizeOfType(t.typ) + len(t.raw)
			if n > 4 {
				extra[k] = uint32(b.Len())
				writeVals(&b, t, dataOff)
				if b.Len()%2 == 1 {
					b.WriteByte(0)
				}
			}
		}
		offs[i] = uint32(b.Len())
		binary.Write(&b, binary.LittleEndian, uint16(len(d)))
		for k, t := range d {
			binary.Write(&b, binary.LittleEndian, t.id)
			binary.Write(&b, binary.LittleEndian, t.typ)
			count := len(t.vals)
			if t.raw != nil {
				count = len(t.raw)
			}
			binary.Write(&b, binary.LittleEndian, uint32(count))
			if off, ok := extra[k]; ok {
				binary.Write(&b, binary.LittleEndian, off)
			} else {
				var v bytes.Buffer
				writeVals(&v, t, dataOff)
				for v.Len() < 4 {
					v.WriteByte(0)
				}
				b.Write(v.Bytes())
			}
		}
		patches = append(patches, patch{b.Len(), i})
		binary.Write(&b, binary.LittleEndian, uint32(0))
	}
	out := b.Bytes()
	binary.LittleEndian.PutUint32(out[4:], offs[0])
	for _, p := range patches {
		if n := next[p.dir]; n >= 0 {
			binary.LittleEndian.PutUint32(out[p.at:], offs[n])
		}
	}
	return out
}

func writeVals(w *bytes.Buffer, t tag, dataOff uint32) {
	if t.raw != nil {
		w.Write(t.raw)
		return
	}
	for _, v := range t.vals {
		if v == 0xFFFFFFFF {
			v = dataOff
		}
		switch t.typ {
		case tShort:
			binary.Write(w, binary.LittleEndian, uint16(v))
		default:
			binary.Write(w, binary.LittleEndian, v)
		}
	}
}

// gray8 is the directory of a w x h 8-bit gray image whose data is at the start.
func gray8(w, h uint32, extra ...tag) []tag {
	return append([]tag{
		{id: tagImageWidth, typ: tLong, vals: []uint32{w}},
		{id: tagImageLength, typ: tLong, vals: []uint32{h}},
		{id: tagBitsPerSample, typ: tShort, vals: []uint32{8}},
		{id: tagPhotometric, typ: tShort, vals: []uint32{1}},
		{id: tagStripOffsets, typ: tLong, vals: []uint32{0xFFFFFFFF}},
		{id: tagRowsPerStrip, typ: tLong, vals: []uint32{h}},
		{id: tagStripByteCounts, typ: tLong, vals: []uint32{w * h}},
	}, extra...)
}

func decodeBytes(t *testing.T, b []byte, opts Options) (string, Info, error) {
	t.Helper()
	h := sha256.New()
	info, err := Decode(context.Background(), bytes.NewReader(b), int64(len(b)), h, opts)
	return string(h.Sum(nil)), info, err
}

// The signature of an 8-bit gray image is SHA-256 of R=G=B bytes.
func TestGrayExport(t *testing.T) {
	data := []byte{0, 1, 2, 3, 254, 255}
	_, info, err := decodeBytes(t, buildTIFF(data, [][]tag{gray8(3, 2)}, []int{-1}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	b := buildTIFF(data, [][]tag{gray8(3, 2)}, []int{-1})
	if _, err := Decode(context.Background(), bytes.NewReader(b), int64(len(b)), &out, Options{}); err != nil {
		t.Fatal(err)
	}
	want := []byte{0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 254, 254, 254, 255, 255, 255}
	if !bytes.Equal(out.Bytes(), want) || info.Width != 3 || info.Height != 2 || info.Depth != 8 {
		t.Fatalf("got %v (%+v), want %v", out.Bytes(), info, want)
	}
}

// An IFD pointing back at itself ends the chain with libtiff's warning; the image is read.
func TestIFDLoopToSelf(t *testing.T) {
	b := buildTIFF(make([]byte, 4), [][]tag{gray8(2, 2)}, []int{0})
	_, info, err := decodeBytes(t, b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Pages != 1 || !strings.Contains(strings.Join(info.Warnings, "\n"), "IFD looping") {
		t.Fatalf("pages %d, warnings %q", info.Pages, info.Warnings)
	}
}

// A loop back to the first of two directories: two pages, the second is signed.
func TestIFDLoopTwoPages(t *testing.T) {
	b := buildTIFF(make([]byte, 6), [][]tag{gray8(2, 2), gray8(3, 2)}, []int{1, 0})
	_, info, err := decodeBytes(t, b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Pages != 2 || info.Width != 3 {
		t.Fatalf("%+v", info)
	}
}

// Hostile sizes fail before any large allocation: the pixel limit, strip counts against
// the file size, unreadable arrays.
func TestHostileSizes(t *testing.T) {
	var reserved int64
	opts := Options{MaxPixels: 1 << 20, Reserve: func(ctx context.Context, n int64) (func(), error) {
		reserved += n
		return func() {}, nil
	}}
	cases := map[string][]tag{
		"huge image": gray8(1<<20, 1<<20),
		"billions of strips": {
			{id: tagImageWidth, typ: tLong, vals: []uint32{1}},
			{id: tagImageLength, typ: tLong, vals: []uint32{0xFFFFFFF0}},
			{id: tagBitsPerSample, typ: tShort, vals: []uint32{8}},
			{id: tagPhotometric, typ: tShort, vals: []uint32{1}},
			{id: tagStripOffsets, typ: tLong, vals: []uint32{0xFFFFFFFF}},
			{id: tagRowsPerStrip, typ: tLong, vals: []uint32{1}},
			{id: tagStripByteCounts, typ: tLong, vals: []uint32{1}},
		},
		"colormap past the end": gray8(2, 2, tag{id: tagColorMap, typ: tShort, vals: []uint32{1, 2, 3}}),
	}
	for name, d := range cases {
		t.Run(name, func(t *testing.T) {
			reserved = 0
			b := buildTIFF(make([]byte, 4), [][]tag{d}, []int{-1})
			_, _, err := decodeBytes(t, b, opts)
			if name == "colormap past the end" {
				// a bad ColorMap on a gray image is only ignored (with a warning)
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("want an error")
			}
			if name == "huge image" && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("want ErrTooLarge, got %v", err)
			}
			if reserved > 1<<20 {
				t.Fatalf("reserved %d bytes for a hostile header", reserved)
			}
		})
	}
}

// A planar image needs the whole image: Reserve is asked first, and its refusal is the
// decode's error.
func TestReserveRefusal(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "rgba-planar-zip.tif"))
	if err != nil {
		t.Fatal(err)
	}
	budget := errors.New("over budget")
	var asked int64
	opts := Options{Reserve: func(ctx context.Context, n int64) (func(), error) {
		if n >= 21*13*10 {
			asked = n
			return nil, budget
		}
		return func() {}, nil
	}}
	_, _, err = decodeBytes(t, b, opts)
	if !errors.Is(err, budget) || asked == 0 {
		t.Fatalf("got %v (asked %d), want the budget's refusal", err, asked)
	}
}

// A cancelled context stops the decode.
func TestCancel(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "rgb16-msb-lzw-pred2.tif"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Decode(ctx, bytes.NewReader(b), int64(len(b)), io.Discard, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// Not TIFF, a truncated header, an IFD offset past the end: FormatErrors.
func TestFormatErrors(t *testing.T) {
	good := buildTIFF(make([]byte, 4), [][]tag{gray8(2, 2)}, []int{-1})
	bad := bytes.Clone(good)
	binary.LittleEndian.PutUint32(bad[4:], 1<<30)
	for name, b := range map[string][]byte{
		"png":        []byte("\x89PNG\r\n\x1a\n0000000000"),
		"short":      good[:6],
		"ifd offset": bad,
		"empty":      nil,
	} {
		_, _, err := decodeBytes(t, b, Options{})
		var fe FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: got %v, want a FormatError", name, err)
		}
	}
}
