package webp

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

var update = flag.Bool("update", false, "rewrite testdata/ fixtures and their expected signatures (runs cwebp, webpmux, python3 with libwebp, and ImageMagick's identify)")

// The fixtures in testdata/ are small files for the cases that matter to ImageMagick's
// reading and that the differential test cannot make with the tools alone: several token
// partitions, an animation of one frame at an offset, animations libwebp's demuxer or
// decoder rejects, alpha announced but absent, alpha present but not announced, a VP8L
// image whose alpha bit lies, bytes after the RIFF size. testdata/expect.tsv holds
// ImageMagick's signature of each (identify -format %#, the last frame; ERROR where it
// fails), recorded by `go test -run TestFixtures -update`.

type rawChunk struct {
	tag  string
	data []byte
}

func chunkBytes(c rawChunk) []byte {
	b := make([]byte, 8, 8+len(c.data)+1)
	copy(b, c.tag)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(c.data)))
	b = append(b, c.data...)
	if len(c.data)&1 == 1 {
		b = append(b, 0)
	}
	return b
}

// riff assembles a WebP file from chunks.
func riff(chunks ...rawChunk) []byte {
	body := []byte("WEBP")
	for _, c := range chunks {
		body = append(body, chunkBytes(c)...)
	}
	out := []byte("RIFF\x00\x00\x00\x00")
	binary.LittleEndian.PutUint32(out[4:], uint32(len(body)))
	return append(out, body...)
}

// chunksOf splits a WebP file into its top-level chunks.
func chunksOf(t testing.TB, data []byte) []rawChunk {
	var out []rawChunk
	for p := riffHeaderSize; p+chunkHeaderSize <= len(data); {
		size := int(binary.LittleEndian.Uint32(data[p+4:]))
		if p+chunkHeaderSize+size > len(data) {
			t.Fatalf("chunk %q runs past the end", data[p:p+4])
		}
		out = append(out, rawChunk{string(data[p : p+4]), data[p+8 : p+8+size]})
		p += chunkHeaderSize + size + size&1
	}
	return out
}

func findChunk(t testing.TB, chunks []rawChunk, tag string) rawChunk {
	for _, c := range chunks {
		if c.tag == tag {
			return c
		}
	}
	t.Fatalf("no %s chunk", tag)
	return rawChunk{}
}

// vp8x makes a VP8X chunk.
func vp8x(flags byte, w, h int) rawChunk {
	d := make([]byte, 10)
	d[0] = flags
	d[4], d[5], d[6] = byte(w-1), byte((w-1)>>8), byte((w-1)>>16)
	d[7], d[8], d[9] = byte(h-1), byte((h-1)>>8), byte((h-1)>>16)
	return rawChunk{"VP8X", d}
}

func anmf(x, y, w, h int, bits byte, inner ...rawChunk) rawChunk {
	d := make([]byte, 16)
	put24 := func(p []byte, v int) { p[0], p[1], p[2] = byte(v), byte(v>>8), byte(v>>16) }
	put24(d[0:], x/2)
	put24(d[3:], y/2)
	put24(d[6:], w-1)
	put24(d[9:], h-1)
	put24(d[12:], 100)
	d[15] = bits
	for _, c := range inner {
		d = append(d, chunkBytes(c)...)
	}
	return rawChunk{"ANMF", d}
}

type webpFixture struct {
	name, note string
	make       func(t *testing.T, fx *fixtureMaker) []byte
}

// fixtureMaker runs the tools in a scratch directory.
type fixtureMaker struct {
	dir   string
	tools map[string]string
}

func (m *fixtureMaker) run(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = m.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, out)
	}
}

// cwebp encodes a synthetic picture and returns the file.
func (m *fixtureMaker) cwebp(t *testing.T, w, h int, kind string, alpha bool, opts ...string) []byte {
	t.Helper()
	src := fmt.Sprintf("fx-%dx%d-%s-%v.png", w, h, kind, alpha)
	writePNG(t, filepath.Join(m.dir, src), synthImage(w, h, kind, alpha, int64(w*h)))
	out := fmt.Sprintf("fx-%d.webp", len(opts)+w*1000+h)
	m.run(t, m.tools["cwebp"], append(append([]string{"-quiet"}, opts...), src, "-o", out)...)
	return m.read(t, out)
}

func (m *fixtureMaker) read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(m.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// partitions encodes a lossy picture with 1<<log2 token partitions through libwebp.
func (m *fixtureMaker) partitions(t *testing.T, w, h, log2, quality int, alpha bool) []byte {
	t.Helper()
	img := synthImage(w, h, "photo", alpha, 5).(*image.NRGBA)
	raw := filepath.Join(m.dir, "px.rgba")
	if err := os.WriteFile(raw, img.Pix, 0o644); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs(filepath.Join("testdata", "encode_partitions.py"))
	if err != nil {
		t.Fatal(err)
	}
	m.run(t, m.tools["python3"], script, fmt.Sprint(w), fmt.Sprint(h), fmt.Sprint(log2), fmt.Sprint(quality), raw, "parts.webp")
	return m.read(t, "parts.webp")
}

func webpFixtures() []webpFixture {
	return []webpFixture{
		{"partitions8-alpha.webp", "lossy, 8 token partitions, ALPH", func(t *testing.T, m *fixtureMaker) []byte {
			return m.partitions(t, 77, 53, 3, 70, true)
		}},
		{"partitions4-cut.webp", "lossy, 4 token partitions, the last ones cut off (sizes patched)", func(t *testing.T, m *fixtureMaker) []byte {
			d := m.partitions(t, 64, 80, 2, 60, false)
			return cutAndPatch(d, len(d)*7/10)
		}},
		{"partitions2-odd.webp", "lossy, 2 token partitions, 1x37", func(t *testing.T, m *fixtureMaker) []byte {
			return m.partitions(t, 1, 37, 1, 90, false)
		}},
		{"anim-single-offset.webp", "animation of one frame at (10,6): ImageMagick places it on the canvas", func(t *testing.T, m *fixtureMaker) []byte {
			frame := chunksOf(t, m.cwebp(t, 17, 9, "photo", true, "-q", "70"))
			alph, vp8 := findChunk(t, frame, "ALPH"), findChunk(t, frame, "VP8 ")
			return riff(vp8x(animationFlag|alphaFlag, 30, 20), rawChunk{"ANIM", make([]byte, 6)}, anmf(10, 6, 17, 9, 0, alph, vp8))
		}},
		{"anim-single-opaque.webp", "animation of one opaque lossless frame at (4,2) on a larger canvas", func(t *testing.T, m *fixtureMaker) []byte {
			frame := chunksOf(t, m.cwebp(t, 9, 5, "graphic", false, "-lossless"))
			return riff(vp8x(animationFlag, 15, 11), rawChunk{"ANIM", make([]byte, 6)}, anmf(4, 2, 9, 5, 3, findChunk(t, frame, "VP8L")))
		}},
		{"anim-offsets.webp", "three frames at offsets, blend and dispose set: the last in its own rectangle", func(t *testing.T, m *fixtureMaker) []byte {
			a := chunksOf(t, m.cwebp(t, 20, 12, "photo", false, "-lossless"))
			b := chunksOf(t, m.cwebp(t, 7, 5, "graphic", true, "-q", "50"))
			c := chunksOf(t, m.cwebp(t, 11, 8, "photo", true, "-lossless", "-exact"))
			return riff(vp8x(animationFlag|alphaFlag, 24, 16), rawChunk{"ANIM", make([]byte, 6)},
				anmf(0, 0, 20, 12, 0, findChunk(t, a, "VP8L")),
				anmf(4, 2, 7, 5, 1, findChunk(t, b, "ALPH"), findChunk(t, b, "VP8 ")),
				anmf(12, 8, 11, 8, 2, findChunk(t, c, "VP8L")))
		}},
		{"anim-bad-flags.webp", "animation with a reserved VP8X flag: libwebp's demuxer rejects it, ImageMagick reads no pixels", func(t *testing.T, m *fixtureMaker) []byte {
			a := chunksOf(t, m.cwebp(t, 8, 8, "photo", false, "-lossless"))
			return riff(vp8x(animationFlag|0x01, 8, 8), rawChunk{"ANIM", make([]byte, 6)}, anmf(0, 0, 8, 8, 0, findChunk(t, a, "VP8L")))
		}},
		{"anim-frame-outside.webp", "animation whose frame passes the canvas edge: the demuxer rejects it", func(t *testing.T, m *fixtureMaker) []byte {
			a := chunksOf(t, m.cwebp(t, 8, 8, "photo", false, "-lossless"))
			return riff(vp8x(animationFlag, 9, 9), rawChunk{"ANIM", make([]byte, 6)}, anmf(2, 0, 8, 8, 0, findChunk(t, a, "VP8L")))
		}},
		{"anim-corrupt-last.webp", "animation whose last frame's bitstream is damaged: ImageMagick fails", func(t *testing.T, m *fixtureMaker) []byte {
			a := chunksOf(t, m.cwebp(t, 16, 16, "photo", false, "-q", "80"))
			vp8 := findChunk(t, a, "VP8 ")
			bad := rawChunk{"VP8 ", bytes.Clone(vp8.data[:len(vp8.data)/3])}
			return riff(vp8x(animationFlag, 16, 16), rawChunk{"ANIM", make([]byte, 6)}, anmf(0, 0, 16, 16, 0, vp8), anmf(0, 0, 16, 16, 0, bad))
		}},
		{"anim-alph-vp8l.webp", "an ANMF with ALPH before VP8L: the demuxer rejects it", func(t *testing.T, m *fixtureMaker) []byte {
			l := chunksOf(t, m.cwebp(t, 8, 8, "photo", false, "-lossless"))
			alph := chunksOf(t, m.cwebp(t, 8, 8, "photo", true, "-q", "60"))
			return riff(vp8x(animationFlag|alphaFlag, 8, 8), rawChunk{"ANIM", make([]byte, 6)}, anmf(0, 0, 8, 8, 0, findChunk(t, alph, "ALPH"), findChunk(t, l, "VP8L")))
		}},
		{"vp8x-alpha-flag-no-alph.webp", "VP8X announces alpha, no ALPH chunk: RGBA, opaque", func(t *testing.T, m *fixtureMaker) []byte {
			c := chunksOf(t, m.cwebp(t, 13, 7, "photo", false, "-q", "80"))
			return riff(vp8x(alphaFlag, 13, 7), findChunk(t, c, "VP8 "))
		}},
		{"vp8x-alph-no-flag.webp", "an ALPH chunk that VP8X does not announce: libwebp still applies it", func(t *testing.T, m *fixtureMaker) []byte {
			c := chunksOf(t, m.cwebp(t, 13, 7, "photo", true, "-q", "80"))
			return riff(vp8x(0, 13, 7), findChunk(t, c, "ALPH"), findChunk(t, c, "VP8 "))
		}},
		{"vp8x-two-alph.webp", "two ALPH chunks: libwebp takes the last", func(t *testing.T, m *fixtureMaker) []byte {
			c := chunksOf(t, m.cwebp(t, 13, 7, "photo", true, "-q", "80", "-alpha_filter", "best"))
			d := chunksOf(t, m.cwebp(t, 13, 7, "graphic", true, "-q", "80", "-alpha_method", "0"))
			return riff(vp8x(alphaFlag, 13, 7), findChunk(t, d, "ALPH"), findChunk(t, c, "ALPH"), findChunk(t, c, "VP8 "))
		}},
		{"vp8x-vp8l-with-alph.webp", "an ALPH chunk before an opaque VP8L image: alpha reported, the VP8L alpha kept", func(t *testing.T, m *fixtureMaker) []byte {
			l := chunksOf(t, m.cwebp(t, 10, 6, "graphic", false, "-lossless"))
			a := chunksOf(t, m.cwebp(t, 10, 6, "photo", true, "-q", "60"))
			return riff(vp8x(0, 10, 6), findChunk(t, a, "ALPH"), findChunk(t, l, "VP8L"))
		}},
		{"vp8l-alpha-bit-cleared.webp", "a VP8L image with transparency whose header says no alpha: RGB", func(t *testing.T, m *fixtureMaker) []byte {
			d := m.cwebp(t, 12, 9, "photo", true, "-lossless", "-exact")
			c := findChunk(t, chunksOf(t, d), "VP8L")
			data := bytes.Clone(c.data)
			data[4] &^= 0x10 // the alpha_is_used bit
			return riff(rawChunk{"VP8L", data})
		}},
		{"trailing-bytes.webp", "bytes after the RIFF size: never read", func(t *testing.T, m *fixtureMaker) []byte {
			d := m.cwebp(t, 9, 9, "photo", false, "-q", "40")
			return append(d, []byte("trailing garbage that is not a chunk")...)
		}},
		{"vp8-then-exif.webp", "a lossy image cut inside its partition, an EXIF chunk after it (libwebp reads on into it)", func(t *testing.T, m *fixtureMaker) []byte {
			c := chunksOf(t, m.cwebp(t, 40, 40, "photo", false, "-q", "90"))
			vp8 := findChunk(t, c, "VP8 ")
			cut := rawChunk{"VP8 ", bytes.Clone(vp8.data[:len(vp8.data)-30])}
			return riff(vp8x(exifFlag, 40, 40), cut, rawChunk{"EXIF", bytes.Repeat([]byte{0x5a, 0x13, 0xc4}, 40)})
		}},
		{"lossy-alpha-odd.webp", "lossy 33x47 with alpha, gradient filter", func(t *testing.T, m *fixtureMaker) []byte {
			return m.cwebp(t, 33, 47, "photo", true, "-q", "75", "-alpha_filter", "best", "-sharp_yuv")
		}},
		{"lossy-alpha-raw.webp", "lossy with uncompressed alpha", func(t *testing.T, m *fixtureMaker) []byte {
			return m.cwebp(t, 17, 9, "graphic", true, "-q", "30", "-alpha_method", "0", "-alpha_filter", "fast")
		}},
		{"lossless-near.webp", "near-lossless with alpha", func(t *testing.T, m *fixtureMaker) []byte {
			return m.cwebp(t, 31, 13, "photo", true, "-near_lossless", "40", "-exact")
		}},
		{"lossless-palette.webp", "lossless, small palette (pixel packing)", func(t *testing.T, m *fixtureMaker) []byte {
			return m.cwebp(t, 29, 11, "graphic", false, "-lossless", "-z", "9")
		}},
	}
}

func readExpect(t *testing.T) map[string]string {
	f, err := os.Open(filepath.Join("testdata", "expect.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 2 {
			t.Fatalf("expect.tsv: bad line %q", line)
		}
		want[fields[0]] = fields[1]
	}
	return want
}

// TestFixtures decodes the fixtures of testdata/ and compares with ImageMagick's recorded
// signatures; with -update it makes them again and records identify's.
func TestFixtures(t *testing.T) {
	fixtures := webpFixtures()
	if *update {
		makeFixtures(t, fixtures)
	}
	want := readExpect(t)
	if len(want) != len(fixtures) {
		t.Errorf("expect.tsv has %d rows for %d fixtures", len(want), len(fixtures))
	}
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", fx.name))
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := ourSign(data)
			w := want[fx.name]
			switch {
			case w == sharedtest.ErrorExpect && err == nil:
				t.Errorf("%s: signed %s, ImageMagick fails", fx.note, got)
			case w == sharedtest.ErrorExpect:
				var fe FormatError
				if !errors.As(err, &fe) {
					t.Errorf("%s: %v, not a FormatError", fx.note, err)
				}
			case err != nil:
				t.Errorf("%s: %v", fx.note, err)
			case got != w:
				t.Errorf("%s: signature %s, ImageMagick %s", fx.note, got, w)
			}
		})
	}
}

func makeFixtures(t *testing.T, fixtures []webpFixture) {
	identify := sharedtest.Identify(t)
	m := &fixtureMaker{dir: t.TempDir(), tools: map[string]string{
		"cwebp":   sharedtest.Tool(t, "cwebp", "webp"),
		"python3": sharedtest.Tool(t, "python3", "python3"),
	}}
	var tsv strings.Builder
	tsv.WriteString("# file\texpect (ImageMagick 6 identify -format %#, last frame; ERROR: it fails or reads no pixels)\tcase\n")
	for _, fx := range fixtures {
		data := fx.make(t, m)
		if len(data) > 100<<10 {
			t.Fatalf("%s: %d bytes, over the 100 KB a fixture may have", fx.name, len(data))
		}
		path := filepath.Join("testdata", fx.name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		sig, ok := identifySign(identify, path)
		if !ok {
			sig = sharedtest.ErrorExpect
		}
		fmt.Fprintf(&tsv, "%s\t%s\t%s\n", fx.name, sig, fx.note)
	}
	if err := os.WriteFile(filepath.Join("testdata", "expect.tsv"), []byte(tsv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
