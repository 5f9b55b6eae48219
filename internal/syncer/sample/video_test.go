package sample

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/flickrsync/flickrsync/internal/exifdate"
	"github.com/flickrsync/flickrsync/internal/imagesig"
	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestVideos: a sample movie is signed by its coded data, with the duration, size and
// date its recipe says; a Live Photo's still and motion share their identifier.
func TestVideos(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		v      Video
		format imagesig.Format
		date   string
	}{
		{"mp4 with a create date", Video{Seed: 1, CreateDate: "2019:05:01 10:00:00"}, imagesig.FormatMP4, "2019:05:01 10:00:00"},
		{"mov with Apple's date", Video{Seed: 2, QuickTime: true, W: 1920, H: 1080, Seconds: 3, CreateDate: "2019:05:01 08:00:00",
			CreationDate: "2019-05-01T10:00:00+0200", ContentID: "ABCD-1234"}, imagesig.FormatMOV, "2019:05:01 10:00:00"},
		{"no date", Video{Seed: 3}, imagesig.FormatMP4, ""},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.v.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			res, err := imagesig.Sign(ctx, bytes.NewReader(b), imagesig.Options{})
			if err != nil {
				t.Fatal(err)
			}
			w, h := tt.v.W, tt.v.H
			if w == 0 {
				w, h = 640, 480
			}
			secs := float64(max(tt.v.Seconds, 2))
			if res.Kind != imagesig.KindCodedData || res.Format != tt.format || res.Media != imagesig.MediaVideo ||
				res.Width != w || res.Height != h || res.Duration != secs {
				t.Errorf("signed %+v", res)
			}
			if seen[res.Signature] {
				t.Errorf("signature %s twice", res.Signature)
			}
			seen[res.Signature] = true
			taken, err := exifdate.DateTaken(ctx, bytes.NewReader(b), int64(len(b)))
			if err != nil || taken.Date != tt.date {
				t.Errorf("date taken %+v, %v; want %q", taken, err, tt.date)
			}
			id, err := exifdate.ContentIdentifier(ctx, bytes.NewReader(b), int64(len(b)))
			if err != nil || id != tt.v.ContentID {
				t.Errorf("content identifier %q, %v; want %q", id, err, tt.v.ContentID)
			}
		})
	}
	still, err := Picture{Seed: 9, DateTaken: "2019:05:01 10:00:00", LiveID: "ABCD-1234"}.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if id, err := exifdate.ContentIdentifier(ctx, bytes.NewReader(still), int64(len(still))); err != nil || id != "ABCD-1234" {
		t.Errorf("the still's identifier %q, %v", id, err)
	}
	if d, err := exifdate.DateTaken(ctx, bytes.NewReader(still), int64(len(still))); err != nil || d.Date != "2019:05:01 10:00:00" {
		t.Errorf("the still's date %+v, %v", d, err)
	}
}

// TestVideosExifTool: ExifTool reads the sample movies' hash, dates and identifier as
// flickrsync does (its ImageDataHash needs ExifTool >= 12.63: only the dates are compared
// with Debian's 12.57).
func TestVideosExifTool(t *testing.T) {
	exiftool := sharedtest.Tool(t, "exiftool", "libimage-exiftool-perl")
	dir := t.TempDir()
	v := Video{Seed: 2, QuickTime: true, CreateDate: "2019:05:01 08:00:00", CreationDate: "2019-05-01T10:00:00+0200", ContentID: "ABCD-1234"}
	b, err := v.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "v.mov")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(exiftool, "-j", "-api", "QuickTimeUTC=0", "-QuickTime:CreateDate", "-QuickTime:CreationDate",
		"-Keys:ContentIdentifier", "-Duration#", "-ImageWidth", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(out, &got); err != nil || len(got) != 1 {
		t.Fatalf("exiftool: %s (%v)", out, err)
	}
	want := map[string]any{"CreateDate": "2019:05:01 08:00:00", "CreationDate": "2019:05:01 10:00:00+02:00",
		"ContentIdentifier": "ABCD-1234", "Duration": 2.0, "ImageWidth": 640.0}
	for k, w := range want {
		if got[0][k] != w {
			t.Errorf("exiftool %s = %v, want %v", k, got[0][k], w)
		}
	}
}
