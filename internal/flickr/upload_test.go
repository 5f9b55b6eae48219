package flickr

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTemp(t *testing.T, name string, size int) (string, []byte) {
	t.Helper()
	b := make([]byte, size)
	rand.Read(b)
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, b
}

func TestUploadFile(t *testing.T) {
	path, content := writeTemp(t, "IMG_0001.jpg", 3<<20+17)
	const sig = "abc123"
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		r := c.Request
		if r.ContentLength <= 0 || len(r.TransferEncoding) > 0 {
			t.Errorf("body not sent with a Content-Length: %d %v", r.ContentLength, r.TransferEncoding)
		}
		want := map[string]string{"title": "IMG_0001.jpg", "tags": `flickrsync:signature="abc123"`,
			"is_public": "0", "is_friend": "0", "is_family": "1", "async": "0"}
		for k, v := range want {
			if c.Form.Get(k) != v {
				t.Errorf("field %s = %q, want %q", k, c.Form.Get(k), v)
			}
		}
		if !bytes.Equal(c.File, content) {
			t.Errorf("photo part: %d bytes, want %d", len(c.File), len(content))
		}
		writeXML(w, "<photoid>10100736393</photoid>")
	})
	c, _ := f.client(nil)
	var last, total int64
	calls := 0
	res, err := uploadFile(t.Context(), c, path, UploadParams{Title: "IMG_0001.jpg", Tags: sigTag(sig), IsFamily: true,
		Progress: func(done, tot int64) { last, total = done, tot; calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if res != "10100736393" {
		t.Errorf("got %q", res)
	}
	if last != int64(len(content)) || total != int64(len(content)) || calls < 2 {
		t.Errorf("progress ended at %d of %d after %d calls", last, total, calls)
	}
}

// TestUploadAnswers: a photo id, with or without the secrets a replace adds, is the
// answer; a Flickr error is typed and not retried; an answer that is not a photo id
// (a ticket though async=0 was sent, an id that is not one) may hide a stored photo: it
// is ambiguous.
func TestUploadAnswers(t *testing.T) {
	tests := []struct {
		name      string
		answer    string
		want      string
		code      int
		ambiguous bool
	}{
		{"photoid with secrets", `<photoid secret="4c7cf4c150" originalsecret="2f77799763">10100736393</photoid>`, "10100736393", 0, false},
		{"error 5", "", "", 5, false},
		{"ticket though synchronous", "<ticketid>78701040-72157636215117185</ticketid>", "", 0, true},
		{"id with a control character", "<photoid>1&#27;[2J</photoid>", "", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
				if c.Form.Get("async") != "0" {
					t.Errorf("async = %q", c.Form.Get("async"))
				}
				if tc.code != 0 {
					w.Header().Set("Content-Type", "text/xml; charset=utf-8")
					fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"fail\">\n\t<err code=\"%d\" msg=\"Filetype was not recognised\" />\n</rsp>\n", tc.code)
					return
				}
				writeXML(w, tc.answer)
			})
			c, _ := f.client(nil)
			res, err := c.UploadFrom(t.Context(), bytesOpener([]byte("not really a jpeg")), UploadParams{})
			switch {
			case tc.code != 0:
				var fe *Error
				if !errors.As(err, &fe) || fe.Code != tc.code || fe.Method != "upload" || f.count("upload") != 1 {
					t.Errorf("got %v after %d requests", err, f.count("upload"))
				}
				if strings.Count(err.Error(), "upload") != 1 {
					t.Errorf("repeated prefix: %v", err)
				}
			case tc.ambiguous:
				if !errors.Is(err, ErrUploadAmbiguous) || f.count("upload") != 1 || strings.ContainsRune(err.Error(), 0x1b) {
					t.Errorf("got %q, %v after %d requests", res, err, f.count("upload"))
				}
			case err != nil || res != tc.want:
				t.Errorf("got %q, %v", res, err)
			}
		})
	}
}

// TestUploadLostAnswer: the whole body reached the server, then the connection dropped.
// The photo may exist: the upload must not be repeated.
func TestUploadLostAnswer(t *testing.T) {
	tests := []struct {
		name   string
		answer func(t *testing.T, w http.ResponseWriter)
	}{
		{"connection dropped", func(t *testing.T, w http.ResponseWriter) { hangUp(t, w) }},
		{"gateway timeout", func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(http.StatusGatewayTimeout) }},
		{"answer cut short", func(t *testing.T, w http.ResponseWriter) {
			w.Header().Set("Content-Length", "500")
			io.WriteString(w, "<?xml version")
			w.(http.Flusher).Flush()
			hangUp(t, w)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path, content := writeTemp(t, "x.jpg", 100000)
			f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
				if !bytes.Equal(c.File, content) {
					t.Errorf("server got %d bytes", len(c.File))
				}
				tc.answer(t, w)
			})
			c, _ := f.client(nil)
			_, err := uploadFile(t.Context(), c, path, UploadParams{})
			if !errors.Is(err, ErrUploadAmbiguous) {
				t.Errorf("got %v, want ErrUploadAmbiguous", err)
			}
			if n := f.count("upload"); n != 1 {
				t.Errorf("uploaded %d times", n)
			}
			if r, _ := classify(err); r {
				t.Errorf("ambiguous upload classified retryable")
			}
		})
	}
}

// TestUploadRetries: an answered failure (503, 429) is retried from a fresh read of the
// file.
func TestUploadRetries(t *testing.T) {
	path, content := writeTemp(t, "y.jpg", 50000)
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		if !bytes.Equal(c.File, content) {
			t.Errorf("attempt %d: server got %d bytes", c.N, len(c.File))
		}
		switch c.N {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			writeXML(w, "<photoid>7</photoid>")
		}
	})
	c, _ := f.client(nil)
	res, err := uploadFile(t.Context(), c, path, UploadParams{})
	if err != nil || res != "7" || f.count("upload") != 3 {
		t.Errorf("got %q, %v after %d requests", res, err, f.count("upload"))
	}
}

func TestUploadSizeMismatch(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) { writeXML(w, "<photoid>1</photoid>") })
	c, _ := f.client(nil)
	short := func() (io.ReadCloser, int64, error) { return io.NopCloser(strings.NewReader("short")), 100, nil }
	if _, err := c.UploadFrom(t.Context(), short, UploadParams{}); !errors.Is(err, ErrSourceChanged) {
		t.Errorf("a body shorter than its declared size: %v", err)
	}
	if _, err := uploadFile(t.Context(), c, filepath.Join(t.TempDir(), "missing.jpg"), UploadParams{}); !errors.Is(err, os.ErrNotExist) || f.count("upload") != 0 {
		t.Errorf("missing file: %v", err)
	}
}
