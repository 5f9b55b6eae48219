package imagesig

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestGIFScreenIsNotThePicture compares Sign with ImageMagick 6 on generated GIFs whose
// logical screen is far larger than their frames (up to 65535x65535, 4 gigapixels): it
// reads only the frames, each its own rectangle wherever the screen and the frame's offset
// put it, so it signs them, where the screen was held to the pixel limit here. Decoding
// costs the frames' memory, not the screen's.
func TestGIFScreenIsNotThePicture(t *testing.T) {
	sharedtest.Identify(t)
	dir := t.TempDir()
	screens := [][2]int{{65535, 65535}, {65535, 1}, {1, 65535}, {40000, 30000}, {3, 2}, {0, 0}}
	for i, sc := range screens {
		for j, fr := range []gifFrame{
			{w: 9, h: 7},
			{w: 5, h: 4, left: 65000, top: 65000},
			{w: 12, h: 3, left: 2, top: 1, interlace: true, transparent: 1},
		} {
			fr.index = func(x, y int) int { return (x*3 + y*5 + i + j) % 4 }
			if fr.transparent == 0 {
				fr.transparent = -1
			}
			frames := []gifFrame{fr}
			if j == 2 { // an animation: the last frame counts
				first := gifFrame{w: 4, h: 4, transparent: -1, index: func(x, y int) int { return x }}
				frames = []gifFrame{first, fr}
			}
			spec := gifSpec{w: sc[0], h: sc[1], global: 4, frames: frames}
			name := fmt.Sprintf("screen%dx%d-f%d.gif", sc[0], sc[1], j)
			data := spec.encode()
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			want, err := identifySignature(path)
			if err != nil {
				t.Fatal(err)
			}
			var res Result
			n := allocatedBytes(func() {
				res, err = Sign(context.Background(), bytes.NewReader(data), Options{})
			})
			got := res.Signature
			if err != nil {
				got = "ERROR (" + err.Error() + ")"
			}
			if got != want {
				t.Errorf("%s: got %s, ImageMagick %s", name, got, want)
			}
			if n > 1<<20 {
				t.Errorf("%s: the decode allocated %d KB", name, n>>10)
			}
		}
	}
}

// allocatedBytes returns the bytes f allocated.
func allocatedBytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
