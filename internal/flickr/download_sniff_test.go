package flickr

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/names"
)

// TestDownloadNotAnImage: an HTTP 200 answer whose body is not an image (a CDN's HTML
// error page, a Flickr error envelope in XML or JSON, plain text) is refused as a
// temporary error: retried, then failed with ErrNotImage, and nothing is written.
func TestDownloadNotAnImage(t *testing.T) {
	tests := []struct {
		name, ctype, body string
	}{
		{"html error page", "text/html", "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"},
		{"xml envelope", "text/xml; charset=utf-8", `<?xml version="1.0" encoding="utf-8" ?><rsp stat="fail"><err code="105" msg="Service currently unavailable" /></rsp>`},
		{"json envelope", "application/json", `{"stat":"fail","code":105,"message":"Service currently unavailable"}`},
		{"image content type, text body", "image/jpeg", "Service unavailable"},
		{"empty", "image/jpeg", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
				w.Header().Set("Content-Type", tc.ctype)
				w.Header().Set("Content-Length", strconv.Itoa(len(tc.body)))
				w.Write([]byte(tc.body))
			})
			c, _ := f.client(func(cfg *Config) { cfg.MaxAttempts = 3 })
			dir := t.TempDir()
			_, err := c.Download(t.Context(), f.srv.URL+"/1/2_o.jpg", filepath.Join(dir, "p.jpg"), DownloadOptions{})
			if !errors.Is(err, ErrNotImage) {
				t.Fatalf("got %v, want ErrNotImage", err)
			}
			if f.count("download") != 3 {
				t.Errorf("%d requests, want 3 (retried)", f.count("download"))
			}
			if names := listDir(t, dir); len(names) != 0 {
				t.Errorf("left behind: %v", names)
			}
		})
	}
}

// TestLooksLikeMedia: every magic looksLikeMedia knows is accepted, whatever the
// Content-Type says, and error bodies and a cut JPEG start are not.
func TestLooksLikeMedia(t *testing.T) {
	ts := strings.Repeat("G"+strings.Repeat("\xff", 187), 3)
	tests := []struct {
		head string
		want bool
	}{
		{"\xff\xd8\xff\xe1\x00\x10Exif", true},
		{"\x89PNG\r\n\x1a\n\x00\x00\x00\x0d", true},
		{"GIF89a\x01\x00", true},
		{"gif87a\x01\x00", true},
		{"II*\x00\x08\x00\x00\x00", true},
		{"MM\x00*\x00\x00\x00\x08", true},
		{"RIFF\x10\x00\x00\x00WEBPVP8 ", true},
		{"\x00\x00\x00\x18ftypheic", true},
		{"\xff\xd8", false},
		{"<html>", false},
		{"{\"stat\":", false},
		{"RIFF\x10\x00\x00\x00WAVEfmt ", false},
		{"\x00\x00\x00\x14ftypqt  ", true},
		{"\x00\x00\x00\x08wide\x00\x00\x00\x00mdat", true},
		{"RIFF\x10\x00\x00\x00AVI LIST", true},
		{"\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c", true},
		{"\x00\x00\x01\xba\x44\x00", true},
		{ts, true},
		{"Gateway Timeout" + strings.Repeat(" ", 400), false},
		{"", false},
	}
	for _, tc := range tests {
		if got := looksLikeMedia([]byte(tc.head)); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.head, got, tc.want)
		}
	}
}

// TestDownloadPartName: while a download is under way its bytes are in one file beside
// the destination whose name names.IsPartName recognises; afterwards only the photo is there.
func TestDownloadPartName(t *testing.T) {
	dir := t.TempDir()
	content := append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte("x"), 200000)...)
	var during []string
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		w.Header().Set("Content-Length", strconv.Itoa(len(content)))
		w.Write(content[:100000])
		w.(http.Flusher).Flush()
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if names := listDir(t, dir); len(names) > 0 {
				if st, err := os.Stat(filepath.Join(dir, names[0])); err == nil && st.Size() > 0 {
					during = names
					break
				}
			}
			time.Sleep(time.Millisecond)
		}
		w.Write(content[100000:])
	})
	c, _ := f.client(nil)
	if _, err := c.Download(t.Context(), f.srv.URL+"/1/2_o.jpg", filepath.Join(dir, "p.jpg"), DownloadOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(during) != 1 || !names.IsPartName(during[0]) {
		t.Errorf("files during the download: %v, want one temporary file", during)
	}
	if names := listDir(t, dir); len(names) != 1 || names[0] != "p.jpg" {
		t.Errorf("after: %v", names)
	}
}

// TestCreatePart: the client's temporary files are the ones the sync sweeps.
func TestCreatePart(t *testing.T) {
	f, name, err := createPart(filepath.Join(t.TempDir(), "photo.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if !names.IsPartName(filepath.Base(name)) {
		t.Errorf("createPart made %q", name)
	}
}
