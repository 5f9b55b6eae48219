package png

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"math/rand"
	"testing"
)

// idatFor wraps a zlib stream in one IDAT chunk followed by IEND, and returns a decoder
// positioned at the IDAT data.
func idatFor(t testing.TB, zdata []byte) *decoder {
	var b bytes.Buffer
	b.Write(chunk("IDAT", zdata))
	b.Write(chunk("IEND", nil))
	d := newDecoder(bytes.NewReader(b.Bytes()), Options{})
	h, err := d.readChunkHeader()
	if err != nil {
		t.Fatal(err)
	}
	d.idat = &idatReader{d: d, remain: h.length}
	return d
}

// TestInflateAgainstZlib inflates streams made by compress/zlib at every level, from data
// of every kind of redundancy, and compares with the input.
func TestInflateAgainstZlib(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, size := range []int{0, 1, 100, 5000, 70000, 300000} {
		for _, kind := range []string{"random", "runs", "text"} {
			data := make([]byte, size)
			for i := range data {
				switch kind {
				case "random":
					data[i] = byte(rng.Intn(256))
				case "runs":
					data[i] = byte(i / 700 % 7)
				default:
					data[i] = "the quick brown fox jumps over the lazy dog "[(i*7+i/50)%44]
				}
			}
			for _, level := range []int{0, 1, 6, 9, -2} {
				t.Run(fmt.Sprintf("%s/%d/level%d", kind, size, level), func(t *testing.T) {
					var z bytes.Buffer
					zw, _ := zlib.NewWriterLevel(&z, level)
					zw.Write(data)
					zw.Close()
					d := idatFor(t, z.Bytes())
					inf := newInflater(d.idat)
					got := make([]byte, size)
					for off := 0; off < size; off += 777 {
						if err := inf.readFull(got[off:min(off+777, size)]); err != nil {
							t.Fatalf("at %d: %v", off, err)
						}
					}
					if !bytes.Equal(got, data) {
						t.Fatal("output differs")
					}
					if err := inf.settle(); err != nil {
						t.Fatal(err)
					}
					if extra, err := inf.drain(); err != nil || extra != 0 || inf.mode != modeDone {
						t.Fatalf("drain: %d extra bytes, %v, mode %d", extra, err, inf.mode)
					}
				})
			}
		}
	}
}

// FuzzInflate checks that streams compress/zlib makes from any data inflate back to the
// data, whatever the row sizes, and that arbitrary bytes never make the inflater panic.
func FuzzInflate(f *testing.F) {
	f.Add([]byte("hello hello hello hello"), uint8(6), uint16(7))
	f.Add(bytes.Repeat([]byte{1, 2, 3}, 5000), uint8(9), uint16(1000))
	f.Add([]byte{0x78, 0x9c, 0xff, 0xff, 0x00}, uint8(255), uint16(3))
	f.Fuzz(func(t *testing.T, data []byte, level uint8, row uint16) {
		rowLen := int(row%4096) + 1
		if level == 255 { // raw bytes as the zlib stream
			d := idatFor(t, data)
			inf := newInflater(d.idat)
			buf := make([]byte, rowLen)
			for i := 0; i < 64; i++ {
				if inf.readFull(buf) != nil {
					return
				}
			}
			inf.settle()
			inf.drain()
			return
		}
		var z bytes.Buffer
		zw, err := zlib.NewWriterLevel(&z, int(level%11)-1)
		if err != nil {
			t.Fatal(err)
		}
		zw.Write(data)
		zw.Close()
		d := idatFor(t, z.Bytes())
		inf := newInflater(d.idat)
		got := make([]byte, len(data))
		for off := 0; off < len(data); off += rowLen {
			if err := inf.readFull(got[off:min(off+rowLen, len(data))]); err != nil {
				t.Fatalf("at %d: %v", off, err)
			}
		}
		if !bytes.Equal(got, data) {
			t.Fatal("output differs")
		}
		if err := inf.settle(); err != nil {
			t.Fatal(err)
		}
		if extra, err := inf.drain(); err != nil || extra != 0 {
			t.Fatalf("drain: %d, %v", extra, err)
		}
	})
}
