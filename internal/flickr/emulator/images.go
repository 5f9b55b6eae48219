package emulator

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"

	"golang.org/x/image/tiff"
)

// The JPEGs Flickr makes of an upload: derived sizes, video posters, the JPEG a TIFF is
// stored as. The emulator decodes what Go's standard library (and x/image/tiff) decodes; a
// picture it cannot decode (HEIC, AVIF, WebP, a video's frames) is drawn as a pattern of the
// right size, so sizes, dimensions and formats are Flickr's while the pixels are not.

// sizeDef is one of Flickr's derived sizes (misc.urls.html): its getSizes label, URL suffix,
// the extras name after "url_", and its longest edge (squares: side, centre-cropped).
type sizeDef struct {
	label, suffix, extra string
	edge                 int64
	square               bool
}

// sizeDefs are the sizes up to Large 1024; Large 1600/2048 have secrets of their own and
// are not emulated.
var sizeDefs = []sizeDef{
	{"Square", "s", "sq", 75, true},
	{"Large Square", "q", "q", 150, true},
	{"Thumbnail", "t", "t", 100, false},
	{"Small", "m", "s", 240, false},
	{"Small 320", "n", "n", 320, false},
	{"Small 400", "w", "w", 400, false},
	{"Medium", "", "m", 500, false},
	{"Medium 640", "z", "z", 640, false},
	{"Medium 800", "c", "c", 800, false},
	{"Large", "b", "l", 1024, false},
}

// dims of size d for a w x h original; ok is false when Flickr makes no such size (larger
// than the original, or the original's size is unknown).
func (d sizeDef) dims(w, h int64) (dw, dh int64, ok bool) {
	long := max(w, h)
	if w <= 0 || h <= 0 {
		return 0, 0, false
	}
	if d.square {
		return d.edge, d.edge, true
	}
	if long < d.edge {
		return 0, 0, false
	}
	return max(1, (w*d.edge+long/2)/long), max(1, (h*d.edge+long/2)/long), true
}

// pattern draws a w x h grey picture that differs per seed: the stand-in for pixels the
// emulator cannot decode.
func pattern(seed uint32, w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+w]
		for x := range row {
			row[x] = byte(uint32(x*255/max(w, 1)+y*127/max(h, 1)) + seed)
		}
	}
	return img
}

func encodeJPEG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		return nil, fmt.Errorf("encode jpeg: %w", err)
	}
	return b.Bytes(), nil
}

// scaled returns src resized (nearest neighbour) to w x h, centre-cropped to a square first
// when square.
func scaled(src image.Image, w, h int, square bool) image.Image {
	r := src.Bounds()
	if square {
		side := min(r.Dx(), r.Dy())
		x0, y0 := r.Min.X+(r.Dx()-side)/2, r.Min.Y+(r.Dy()-side)/2
		r = image.Rect(x0, y0, x0+side, y0+side)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		sy := r.Min.Y + y*r.Dy()/h
		for x := 0; x < w; x++ {
			dst.Set(x, y, src.At(r.Min.X+x*r.Dx()/w, sy))
		}
	}
	return dst
}

// tiffAsJPEG converts an uploaded TIFF into the JPEG Flickr stores (MEDIA.md [R]: "converted
// to and stored in JPEG format"). A TIFF x/image/tiff cannot decode (JPEG-compressed, tiled
// in odd ways...) becomes a pattern of its size, read from IFD0; a TIFF without a readable
// size is refused.
func tiffAsJPEG(b []byte, seed uint32) ([]byte, error) {
	var img image.Image
	if m, err := tiff.Decode(bytes.NewReader(b)); err == nil {
		img = m
	} else if w, h := tiffSize(b); w > 0 && h > 0 && w*h <= 1<<28 {
		img = pattern(seed, int(w), int(h))
	} else {
		return nil, fmt.Errorf("convert tiff: %w", err)
	}
	if _, ok := img.(*image.Gray); !ok {
		rgba := image.NewRGBA(img.Bounds())
		draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
		img = rgba
	}
	return encodeJPEG(img)
}

// tiffSize reads ImageWidth and ImageLength from IFD0.
func tiffSize(b []byte) (w, h int64) {
	for _, e := range tiffIFD0(b) {
		switch e.tag {
		case 256:
			w = e.value
		case 257:
			h = e.value
		}
	}
	return w, h
}
