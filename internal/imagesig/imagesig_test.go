package imagesig

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	ts := strings.Repeat("\x47"+strings.Repeat("\xff", 187), 3)
	m2ts := strings.Repeat("\x00\x00\x00\x00\x47"+strings.Repeat("\xff", 187), 3)
	dngIFD := "II*\x00\x08\x00\x00\x00\x01\x00\x12\xc6\x01\x00\x04\x00\x00\x00\x01\x04\x00\x00\x00\x00\x00\x00"
	tests := []struct {
		name   string
		header string
		file   string
		want   Format
	}{
		{"jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF", "", FormatJPEG},
		{"jpeg without APPn", "\xff\xd8\xff\xdb", "", FormatJPEG},
		{"jpeg named .heic (Google Takeout)", "\xff\xd8\xff\xe1", "IMG_1.HEIC", FormatJPEG},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00", "", FormatPNG},
		{"png, damaged signature", "\x89PNG\r\n\x1a\x0a"[:7] + "x", "", FormatUnknown},
		{"gif89a", "GIF89a\x01\x00", "", FormatGIF},
		{"gif87a", "GIF87a", "", FormatGIF},
		{"gif lower case", "gif89a", "", FormatGIF},
		{"jpeg marker but no SOI", "\xff\x01\xff", "", FormatUnknown},
		{"text", "hello world", "", FormatUnknown},
		{"short", "\xff\xd8", "", FormatUnknown},
		{"empty", "", "", FormatUnknown},
		{"tiff", "II*\x00\x08\x00\x00\x00", "scan.tif", FormatTIFF},
		{"bigtiff", "MM\x00+\x00\x08\x00\x00", "", FormatTIFF},
		{"tiff named .nef", "MM\x00*\x00\x00\x00\x08", "DSC_0001.NEF", FormatNEF},
		{"tiff named .arw", "II*\x00\x08\x00\x00\x00", "a.arw", FormatARW},
		{"tiff named .pef", "II*\x00\x08\x00\x00\x00", "a.pef", FormatRAW},
		{"cr2", "II*\x00\x10\x00\x00\x00CR\x02\x00", "a.tif", FormatCR2},
		{"dng by its tag", dngIFD, "a.tif", FormatDNG},
		{"orf", "IIRO\x08\x00\x00\x00", "", FormatORF},
		{"rw2", "IIU\x00\x18\x00\x00\x00", "", FormatRW2},
		{"raf", "FUJIFILMCCD-RAW 0201", "", FormatRAF},
		{"cr3", "\x00\x00\x00\x18ftypcrx \x00\x00\x00\x01crx isom", "", FormatCR3},
		{"webp", "RIFF\x00\x00\x00\x00WEBPVP8 ", "", FormatWebP},
		{"avi", "RIFF\x00\x00\x00\x00AVI LIST", "", FormatAVI},
		{"wmv", asfHeaderGUID, "", FormatWMV},
		{"mpeg ps", "\x00\x00\x01\xba\x44", "", FormatMPEG},
		{"mpeg video", "\x00\x00\x01\xb3\x14", "", FormatMPEG},
		{"mpeg ts", ts, "", FormatMPEGTS},
		{"m2ts", m2ts, "", FormatMPEGTS},
		{"heic", "\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "", FormatHEIC},
		{"heic named .jpg", "\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "x.jpg", FormatHEIC},
		{"avif", "\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", "", FormatAVIF},
		{"mp4", "\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", "", FormatMP4},
		{"mov", "\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ", "", FormatMOV},
		{"mov without ftyp", "\x00\x00\x00\x08wide\x00\x00\x00\x10mdat", "", FormatMOV},
		{"3gp", "\x00\x00\x00\x14ftyp3gp4\x00\x00\x02\x00", "", Format3GP},
		{"m4v", "\x00\x00\x00\x14ftypM4V \x00\x00\x02\x00", "", FormatM4V},
		{"unknown brand", "\x00\x00\x00\x10ftypzzzz\x00\x00\x00\x00", "", FormatISOBMFF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sniff([]byte(tt.header), tt.file); got != tt.want {
				t.Errorf("Sniff(%q, %q) = %q, want %q", tt.header, tt.file, got, tt.want)
			}
		})
	}
}

func TestSignErrors(t *testing.T) {
	png, err := os.ReadFile(filepath.Join("testdata", "rgb8.png"))
	if err != nil {
		t.Fatal(err)
	}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		data []byte
		opts Options
		is   error
		want string
	}{
		{"unknown format", context.Background(), []byte("BM6\x00\x00\x00 a bitmap"), Options{}, ErrUnknownFormat, "unknown format"},
		{"empty", context.Background(), nil, Options{}, nil, "empty file"},
		{"too large", context.Background(), png, Options{MaxPixels: 50}, ErrTooLarge, "png: image is 12x7, over the 50 pixel limit"},
		{"canceled", canceled, png, Options{}, context.Canceled, "context canceled"},
		{"truncated", context.Background(), png[:len(png)-30], Options{}, nil, "png: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Sign(tt.ctx, bytes.NewReader(tt.data), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) is false", err, tt.is)
			}
		})
	}
}

func TestSignFile(t *testing.T) {
	path := filepath.Join("testdata", "animated.gif")
	res, err := SignFile(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res2, err := Sign(context.Background(), bytes.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Signature != res2.Signature || res.Format != FormatGIF || len(res.Signature) != 64 {
		t.Errorf("SignFile %+v, Sign %+v", res, res2)
	}
	// The last frame of animated.gif is 9x5: the signed rectangle is the frame's own.
	if res.Width != 9 || res.Height != 5 {
		t.Errorf("size %dx%d, want the last frame's 9x5", res.Width, res.Height)
	}
	if _, err := SignFile(context.Background(), t.TempDir(), Options{}); err == nil || err.Error() != "is a directory" {
		t.Errorf("directory: %v", err)
	}
	_, err = SignFile(context.Background(), filepath.Join(t.TempDir(), "nope.jpg"), Options{})
	if !errors.Is(err, os.ErrNotExist) || strings.Contains(err.Error(), "nope.jpg") {
		t.Errorf("missing file: %v (want ErrNotExist, without the path)", err)
	}
}
