package flickr

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// jpegHead starts a JPEG (what the download's sniffing looks for).
const jpegHead = "\xff\xd8\xff\xe0\x00\x10JFIF\x00"

// downloadInto downloads the hostile server's /1/2_o.jpg into a fresh folder, and
// returns the error and what the folder holds afterwards.
func downloadInto(t *testing.T, c *Client, o DownloadOptions) (error, []string) {
	t.Helper()
	dir := t.TempDir()
	_, err := c.Download(t.Context(), "https://live.staticflickr.com/1/2_o.jpg", filepath.Join(dir, "2.jpg"), o)
	return err, listDir(t, dir)
}

// TestHostileDownloadSize: an original larger than the cap is refused, by its
// Content-Length before anything is written, else when the cap is passed; nothing is
// left behind and the refusal is not retried.
func TestHostileDownloadSize(t *testing.T) {
	for _, withLength := range []bool{true, false} {
		t.Run(fmt.Sprintf("Content-Length %v", withLength), func(t *testing.T) {
			var sent atomic.Int64
			h, c := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
				if withLength {
					w.Header().Set("Content-Length", strconv.Itoa(3<<20))
				}
				w.Write([]byte(jpegHead))
				chunk := make([]byte, 64<<10)
				for sent.Load() < 3<<20 {
					if _, err := w.Write(chunk); err != nil {
						return
					}
					sent.Add(int64(len(chunk)))
				}
			}, nil)
			err, left := downloadInto(t, c, DownloadOptions{MaxBytes: 1 << 20})
			if !errors.Is(err, errTooLarge) || len(left) != 0 || h.requests.Load() != 1 {
				t.Errorf("got %v, left %v, %d requests", err, left, h.requests.Load())
			}
		})
	}
}

// TestHostileDownloadTrickle: a download that averages less than the floor rate once
// its grace period is over ends (here 1 byte every 20 ms against a floor of 1 MB/s
// after 100 ms), whatever its idle timeout says; it is retried, then given up as
// unreachable.
func TestHostileDownloadTrickle(t *testing.T) {
	h, c := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(jpegHead))
		for i := 0; i < 150; i++ { // 3 s, then the body ends: a client without a floor keeps it
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
			w.Write([]byte{0})
		}
	}, func(cfg *Config) { cfg.MaxAttempts = 2 })
	c.grace, c.minRate = 100*time.Millisecond, 1<<20
	err, left := downloadInto(t, c, DownloadOptions{})
	if !errors.Is(err, errTooSlow) || !errors.Is(err, ErrUnreachable) || len(left) != 0 || h.requests.Load() != 2 {
		t.Errorf("got %v, left %v, %d requests", err, left, h.requests.Load())
	}
}

// TestRateFloorCountsOnlyTheServer: time spent in the client's own bandwidth limit moves
// the deadline; bytes move it by 1/rate each.
func TestRateFloorCountsOnlyTheServer(t *testing.T) {
	f := newRateFloor(1000, time.Second, func() {})
	defer f.stop()
	start := f.deadline()
	f.add(500)
	f.addWait(3 * time.Second)
	if d := f.deadline().Sub(start); d != 3500*time.Millisecond {
		t.Errorf("deadline moved %v, want 3.5s", d)
	}
}

// TestHostileDownloadDiskSpace: a download that would leave less than 64 MiB free at its
// destination (a 64th of a smaller disk) is refused, before writing when its length is
// known, else when the free space is checked again while it is written.
func TestHostileDownloadDiskSpace(t *testing.T) {
	const size = 20 << 20
	tests := []struct {
		name       string
		withLength bool
		free       func(n int) int64 // the free space at the n-th look
	}{
		{"known length", true, func(int) int64 { return diskReserve + size - 1 }},
		{"disk filling while written", false, func(n int) int64 {
			if n == 1 {
				return 1 << 40
			}
			return diskReserve - 1
		}},
	}
	// A small disk keeps a 64th of its size.
	dir := t.TempDir()
	c := mustNew(t, Config{})
	c.diskSpace = func(string) (int64, int64, error) { return 1 << 20, 1 << 20, nil }
	if err := c.checkSpace(dir, 1<<20-1<<14); err != nil {
		t.Errorf("a file leaving 16 KiB of a 1 MiB disk: %v", err)
	}
	if err := c.checkSpace(dir, 1<<20-1<<14+1); !errors.Is(err, errNoSpace) {
		t.Errorf("a file leaving less than 16 KiB of a 1 MiB disk: %v", err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var sent atomic.Int64
			_, c := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.withLength {
					w.Header().Set("Content-Length", strconv.Itoa(size))
				}
				w.Write([]byte(jpegHead))
				chunk := make([]byte, 64<<10)
				for sent.Load() < size-int64(len(jpegHead)) {
					n := min(int64(len(chunk)), size-int64(len(jpegHead))-sent.Load())
					if _, err := w.Write(chunk[:n]); err != nil {
						return
					}
					sent.Add(n)
				}
			}, nil)
			looks := 0
			c.diskSpace = func(string) (int64, int64, error) { looks++; return tc.free(looks), 1 << 40, nil }
			err, left := downloadInto(t, c, DownloadOptions{})
			if !errors.Is(err, errNoSpace) || len(left) != 0 {
				t.Errorf("got %v, left %v", err, left)
			}
		})
	}
}

// closeDelimited answers with a body that ends when the connection closes (no
// Content-Length, no chunking), as HTTP/1.0 servers and some proxies do.
func closeDelimitedHandler(t *testing.T, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nConnection: close\r\n\r\n")
		buf.Write(body)
		buf.Flush()
	}
}

// TestHostileDownloadTruncated: a body cut short is never stored: where HTTP gives the
// length (Content-Length, chunked) the transport tells; where the body just ends with
// the connection, a JPEG, PNG or GIF must end as its format ends.
func TestHostileDownloadTruncated(t *testing.T) {
	whole := append([]byte(jpegHead), bytes.Repeat([]byte{1}, 5000)...)
	whole = append(whole, 0xff, 0xd9)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{2}, 300)...)
	tests := []struct {
		name   string
		handle func(t *testing.T) http.HandlerFunc
		stored bool
	}{
		{"close-delimited JPEG cut short", func(t *testing.T) http.HandlerFunc { return closeDelimitedHandler(t, whole[:3000]) }, false},
		{"close-delimited PNG without IEND", func(t *testing.T) http.HandlerFunc { return closeDelimitedHandler(t, png) }, false},
		{"close-delimited whole JPEG", func(t *testing.T) http.HandlerFunc { return closeDelimitedHandler(t, whole) }, true},
		{"close-delimited JPEG with zero padding", func(t *testing.T) http.HandlerFunc {
			return closeDelimitedHandler(t, append(append([]byte(nil), whole...), 0, 0, 0))
		}, true},
		{"chunked cut short", func(t *testing.T) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				w.Write(whole[:3000])
				w.(http.Flusher).Flush()
				hangUp(t, w)
			}
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, c := newHostile(t, tc.handle(t), func(cfg *Config) { cfg.MaxAttempts = 2 })
			err, left := downloadInto(t, c, DownloadOptions{})
			switch {
			case tc.stored && (err != nil || len(left) != 1):
				t.Errorf("got %v, left %v", err, left)
			case !tc.stored && (!errors.Is(err, io.ErrUnexpectedEOF) || len(left) != 0 || h.requests.Load() != 2):
				t.Errorf("got %v, left %v after %d requests", err, left, h.requests.Load())
			}
		})
	}
}

// TestHostileDownloadRedirect: a redirect to a host that is not one of Flickr's is not
// followed (the other host is never asked), and the error names it; a redirect among
// allowed hosts is.
func TestHostileDownloadRedirect(t *testing.T) {
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.Write([]byte(jpegHead))
	}))
	defer other.Close()
	otherHost := strings.TrimPrefix(other.URL, "http://")
	for _, target := range []string{other.URL + "/x.jpg", "http://metadata.google.internal/computeMetadata/v1/"} {
		t.Run(target, func(t *testing.T) {
			_, c := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target, http.StatusFound)
			}, nil)
			err, left := downloadInto(t, c, DownloadOptions{})
			host := strings.Split(strings.TrimPrefix(target, "http://"), "/")[0]
			if !errors.Is(err, errHostRefused) || !strings.Contains(err.Error(), `"`+host+`"`) || len(left) != 0 || elsewhere.Load() != 0 {
				t.Errorf("got %v, left %v, %d requests to %s", err, left, elsewhere.Load(), otherHost)
			}
		})
	}
	// Flickr's own redirect (a video original to its file) is followed, to the base.
	_, c := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/play/orig/") {
			http.Redirect(w, r, "https://live.staticflickr.com/video/41/0a1b2c3d4e/orig.mp4", http.StatusFound)
			return
		}
		w.Write(smallJPEG())
	}, nil)
	dest := filepath.Join(t.TempDir(), "v.mp4")
	if _, err := c.Download(t.Context(), "https://www.flickr.com/photos/12345678@N00/41/play/orig/0a1b2c3d4e/", dest, DownloadOptions{}); err != nil {
		t.Errorf("redirect among Flickr's hosts: %v", err)
	}
	if b, _ := os.ReadFile(dest); !bytes.Equal(b, smallJPEG()) {
		t.Errorf("got %d bytes", len(b))
	}
}

// smallJPEG is a JPEG's head and end: enough for the download's checks.
func smallJPEG() []byte { return append([]byte(jpegHead+"...."), 0xff, 0xd9) }

// TestNamesInMessages: a destination or a file name holding control characters (a Flickr
// title, a name on disk) shows them as '?' in errors, and none reaches the upload's part
// header.
func TestNamesInMessages(t *testing.T) {
	_, c := newHostile(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, nil)
	dest := filepath.Join(t.TempDir(), "flickrsync_1_ab_\x1b[2Jtitle.jpg")
	_, err := c.Download(t.Context(), "https://live.staticflickr.com/1/2_o.jpg", dest, DownloadOptions{})
	if err == nil || strings.ContainsRune(err.Error(), 0x1b) || !strings.Contains(err.Error(), "?[2Jtitle.jpg: HTTP 404 Not Found") {
		t.Errorf("got %q", err)
	}
	_, fc := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			t.Error(err)
			return
		}
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			if part.Header.Get("X-Evil") != "" || strings.ContainsAny(part.FileName(), "\r\n\x1b") {
				t.Errorf("part header %v", part.Header)
			}
		}
		w.WriteHeader(400)
	}, nil)
	_, err = fc.UploadFrom(t.Context(), bytesOpener([]byte(jpegHead)), UploadParams{Filename: "a\r\nX-Evil: 1\x1b.jpg"})
	if err == nil || strings.ContainsAny(err.Error(), "\r\n\x1b") || !strings.Contains(err.Error(), "upload a??X-Evil: 1?.jpg: HTTP 400") {
		t.Errorf("got %q", err)
	}
}
