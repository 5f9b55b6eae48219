package imagesig

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzSign: whatever the bytes and the name, Sign sniffs and dispatches without panicking
// (a decoder's panic would come back as ErrInternal: that fails the fuzz too), and a
// signature always comes with its kind and format.
func FuzzSign(f *testing.F) {
	for _, name := range []string{"rgb8.png", "animated.gif", filepath.Join("..", "jpeg", "testdata", "s420.jpg"),
		filepath.Join("..", "tiff", "testdata", "rgb-webp-strips.tif"), filepath.Join("..", "webp", "testdata", "lossless-near.webp"),
		filepath.Join("..", "..", "isobmff", "testdata", "fixtures", "heif-0030.heic")} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "a.jpg")
	}
	f.Add([]byte("II*\x00\x08\x00\x00\x00\x01\x00\x12\xc6\x01\x00\x04\x00\x00\x00\x01\x04\x00\x00"), "a.tif")
	f.Add([]byte("RIFF\x00\x00\x00\x00AVI LIST"), "a.avi")
	f.Fuzz(func(t *testing.T, b []byte, name string) {
		if len(b) > 1<<16 {
			return
		}
		hung := time.AfterFunc(5*time.Second, func() { panic("Sign hung") })
		res, err := Sign(context.Background(), bytes.NewReader(b), Options{Name: name, MaxPixels: 1 << 22})
		hung.Stop()
		if errors.Is(err, ErrInternal) {
			t.Fatalf("decoder bug: %v", err)
		}
		if err == nil && (len(res.Signature) != 64 || res.Kind == "" || res.Format == "" || res.Media == "") {
			t.Fatalf("signed %+v", res)
		}
	})
}
