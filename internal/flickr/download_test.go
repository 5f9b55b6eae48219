package flickr

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestDownload(t *testing.T) {
	content := append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte("0123456789"), 100000)...)
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		if c.Request.URL.Path != "/7392/1_o1_o.jpg" {
			t.Errorf("path %s", c.Request.URL.Path)
		}
		switch c.N {
		case 1: // a short body, then the connection drops
			w.Header().Set("Content-Length", strconv.Itoa(len(content)))
			w.Write(content[:1000])
			w.(http.Flusher).Flush()
			hangUp(t, w)
		default:
			w.Header().Set("Content-Length", strconv.Itoa(len(content)))
			w.Write(content)
		}
	})
	c, _ := f.client(nil)
	dir := t.TempDir()
	dest := filepath.Join(dir, "IMG_1.jpg")
	var done, total int64
	// url_o points at Flickr; with BaseURL set the file comes from the fake.
	n, err := c.Download(t.Context(), "https://live.staticflickr.com/7392/1_o1_o.jpg", dest, DownloadOptions{Progress: func(d, tot int64) { done, total = d, tot }})
	if err != nil || n != int64(len(content)) {
		t.Fatalf("got %d, %v", n, err)
	}
	got, _ := os.ReadFile(dest)
	if !bytes.Equal(got, content) || done != n || total != n {
		t.Errorf("file %d bytes, progress %d of %d", len(got), done, total)
	}
	if names := listDir(t, dir); len(names) != 1 {
		t.Errorf("left behind: %v", names)
	}
	if f.count("download") != 2 {
		t.Errorf("%d requests", f.count("download"))
	}

	// An existing file is never overwritten, and nothing is fetched.
	_, err = c.Download(t.Context(), "https://live.staticflickr.com/7392/1_o1_o.jpg", dest, DownloadOptions{})
	if !errors.Is(err, fs.ErrExist) || f.count("download") != 2 {
		t.Errorf("existing destination: %v", err)
	}
	if r, _ := classify(err); r {
		t.Errorf("ErrExist classified retryable")
	}
}

func TestDownloadFailuresLeaveNothing(t *testing.T) {
	tests := []struct {
		name     string
		serve    func(t *testing.T, w http.ResponseWriter)
		requests int
		status   int
	}{
		{"404 not retried", func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(404) }, 1, 404},
		{"500 retried", func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(500) }, 2, 500},
		{"cut short every time", func(t *testing.T, w http.ResponseWriter) {
			w.Header().Set("Content-Length", "100000")
			io.WriteString(w, "partial")
			w.(http.Flusher).Flush()
			hangUp(t, w)
		}, 2, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, c *fakeCall) { tc.serve(t, w) })
			c, _ := f.client(func(cfg *Config) { cfg.MaxAttempts = 2 })
			dir := t.TempDir()
			_, err := c.Download(t.Context(), f.srv.URL+"/a/b_o.jpg", filepath.Join(dir, "b.jpg"), DownloadOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			var he *HTTPError
			if tc.status != 0 && (!errors.As(err, &he) || he.Status != tc.status) {
				t.Errorf("got %v", err)
			}
			if names := listDir(t, dir); len(names) != 0 {
				t.Errorf("left behind: %v", names)
			}
			if f.count("download") != tc.requests {
				t.Errorf("%d requests, want %d", f.count("download"), tc.requests)
			}
		})
	}
}

// TestDownloadHosts: originals come only from Flickr's photo hosts (rewritten to the
// base URL when one is set) or the base URL's own host; any other host is refused, named.
func TestDownloadHosts(t *testing.T) {
	const emu = "http://127.0.0.1:8383"
	tests := []struct{ base, in, want string }{
		{"", "https://live.staticflickr.com/1/2_o.jpg", "https://live.staticflickr.com/1/2_o.jpg"},
		{"", "https://farm3.staticflickr.com/2822/3_o.jpg", "https://farm3.staticflickr.com/2822/3_o.jpg"},
		{"", "http://farm1.static.flickr.com/1/2_o.jpg", "http://farm1.static.flickr.com/1/2_o.jpg"},
		{"", "https://www.flickr.com/photos/12345678@N00/41/play/orig/0a1b2c3d4e/", "https://www.flickr.com/photos/12345678@N00/41/play/orig/0a1b2c3d4e/"},
		{emu, "https://live.staticflickr.com/1/2_o.jpg", emu + "/1/2_o.jpg"},
		{emu + "/", "https://farm3.staticflickr.com/2822/3_o.jpg", emu + "/2822/3_o.jpg"},
		{emu, "https://www.flickr.com/photos/u/1/play/orig/abc/", emu + "/photos/u/1/play/orig/abc/"},
		{emu, emu + "/photos/1_o.jpg", emu + "/photos/1_o.jpg"},
		// refused
		{emu, "http://example.org/x.jpg", "example.org"},
		{"", "http://127.0.0.1:8383/photos/1_o.jpg", "127.0.0.1:8383"},
		{"", "https://www.flickr.com/photos/u/1/", "www.flickr.com"},
		{"", "https://flickr.com.evil.example/1_o.jpg", "flickr.com.evil.example"},
		{"", "https://live.staticflickr.com:8443/1/2_o.jpg", "live.staticflickr.com:8443"},
		{"", "https://staticflickr.com.evil.example/1/2_o.jpg", "staticflickr.com.evil.example"},
		{"", "https://evil.example/live.staticflickr.com/1_o.jpg", "evil.example"},
		{"", "file:///etc/passwd", ""},
	}
	for _, tc := range tests {
		c := mustNew(t, Config{BaseURL: tc.base})
		got, err := c.downloadURL(tc.in)
		if strings.Contains(tc.want, "/") {
			if err != nil || got != tc.want {
				t.Errorf("base %q: %s -> %s, %v; want %s", tc.base, tc.in, got, err, tc.want)
			}
			continue
		}
		if err == nil || (tc.want != "" && (!errors.Is(err, errHostRefused) || !strings.Contains(err.Error(), `"`+tc.want+`"`))) {
			t.Errorf("base %q: %s -> %s, %v; want a refusal naming %q", tc.base, tc.in, got, err, tc.want)
		}
	}
}

func TestPlaceNoReplace(t *testing.T) {
	dir := t.TempDir()
	tmp, dest := filepath.Join(dir, "t"), filepath.Join(dir, "d")
	os.WriteFile(tmp, []byte("new"), 0o644)
	os.WriteFile(dest, []byte("old"), 0o644)
	if err := placeNoReplace(tmp, dest); !errors.Is(err, fs.ErrExist) {
		t.Errorf("got %v", err)
	}
	if b, _ := os.ReadFile(dest); string(b) != "old" {
		t.Errorf("destination overwritten: %q", b)
	}
	os.Remove(dest)
	if err := placeNoReplace(tmp, dest); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dest); string(b) != "new" {
		t.Errorf("destination %q", b)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("temporary file left: %v", err)
	}
}
