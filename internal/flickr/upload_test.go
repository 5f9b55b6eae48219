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

	"github.com/flickrsync/flickrsync/internal/names"
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
	res, err := c.UploadFile(t.Context(), path, UploadParams{Title: "IMG_0001.jpg", Tags: names.SignatureTag(sig), IsFamily: true,
		Progress: func(done, tot int64) { last, total = done, tot; calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if res != (UploadResult{PhotoID: "10100736393"}) {
		t.Errorf("got %+v", res)
	}
	if last != int64(len(content)) || total != int64(len(content)) || calls < 2 {
		t.Errorf("progress ended at %d of %d after %d calls", last, total, calls)
	}
}

func TestUploadAnswers(t *testing.T) {
	tests := []struct {
		name   string
		answer string
		async  bool
		want   UploadResult
		code   int
	}{
		{"photoid with secrets", `<photoid secret="4c7cf4c150" originalsecret="2f77799763">10100736393</photoid>`, false,
			UploadResult{PhotoID: "10100736393", Secret: "4c7cf4c150", OriginalSecret: "2f77799763"}, 0},
		{"ticket", "<ticketid>78701040-72157636215117185</ticketid>", true, UploadResult{TicketID: "78701040-72157636215117185"}, 0},
		{"error 5", "", false, UploadResult{}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
				if c.Form.Get("async") != map[bool]string{true: "1", false: "0"}[tc.async] {
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
			body := strings.NewReader("not really a jpeg")
			res, err := c.Upload(t.Context(), body, body.Size(), UploadParams{Async: tc.async})
			if tc.code != 0 {
				var fe *Error
				if !errors.As(err, &fe) || fe.Code != tc.code || fe.Method != "upload" || f.count("upload") != 1 {
					t.Errorf("got %v after %d requests", err, f.count("upload"))
				}
				return
			}
			if err != nil || res != tc.want {
				t.Errorf("got %+v, %v", res, err)
			}
		})
	}
}

func TestReplaceFile(t *testing.T) {
	path, content := writeTemp(t, "a.png", 1000)
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		if c.API != "replace" || c.Form.Get("photo_id") != "42" || !bytes.Equal(c.File, content) {
			t.Errorf("replace call %s %v", c.API, c.Form)
		}
		writeXML(w, `<photoid secret="a" originalsecret="b">42</photoid>`)
	})
	c, _ := f.client(nil)
	res, err := c.ReplaceFile(t.Context(), "42", path, false, nil)
	if err != nil || res != (UploadResult{PhotoID: "42", Secret: "a", OriginalSecret: "b"}) {
		t.Errorf("got %+v, %v", res, err)
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
			_, err := c.UploadFile(t.Context(), path, UploadParams{})
			if !errors.Is(err, ErrUploadAmbiguous) {
				t.Errorf("got %v, want ErrUploadAmbiguous", err)
			}
			if n := f.count("upload"); n != 1 {
				t.Errorf("uploaded %d times", n)
			}
			if IsTemporary(err) {
				t.Errorf("ambiguous upload classified retryable")
			}
		})
	}
}

// TestUploadRetries: an answered failure (503, 429) is retried from a fresh read of the
// file; a stream that cannot be rewound is tried once.
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
	res, err := c.UploadFile(t.Context(), path, UploadParams{})
	if err != nil || res.PhotoID != "7" || f.count("upload") != 3 {
		t.Errorf("got %+v, %v after %d requests", res, err, f.count("upload"))
	}
	if s := c.Stats()["upload"]; s.Calls != 1 || s.Retries != 2 {
		t.Errorf("stats %+v", s)
	}

	// A seekable reader is rewound to where it was.
	fs := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		if !bytes.Equal(c.File, content) {
			t.Errorf("seekable attempt %d: server got %d bytes", c.N, len(c.File))
		}
		if c.N == 1 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		writeXML(w, "<photoid>8</photoid>")
	})
	cs, _ := fs.client(nil)
	r := bytes.NewReader(append([]byte("skipped"), content...))
	r.Seek(7, io.SeekStart)
	res, err = cs.Upload(t.Context(), r, int64(len(content)), UploadParams{})
	if err != nil || res.PhotoID != "8" || fs.count("upload") != 2 {
		t.Errorf("seekable: %+v, %v after %d requests", res, err, fs.count("upload"))
	}

	f2 := newFake(t, func(w http.ResponseWriter, c *fakeCall) { w.WriteHeader(http.StatusServiceUnavailable) })
	c2, _ := f2.client(nil)
	_, err = c2.Upload(t.Context(), io.MultiReader(bytes.NewReader(content)), int64(len(content)), UploadParams{})
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != 503 || f2.count("upload") != 1 {
		t.Errorf("unseekable: %v after %d requests", err, f2.count("upload"))
	}
}

func TestUploadSizeMismatch(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) { writeXML(w, "<photoid>1</photoid>") })
	c, _ := f.client(nil)
	r := io.MultiReader(strings.NewReader("short")) // not seekable: one attempt
	if _, err := c.Upload(t.Context(), r, 100, UploadParams{}); err == nil {
		t.Errorf("a body shorter than its declared size was accepted")
	}
	if _, err := c.UploadFile(t.Context(), filepath.Join(t.TempDir(), "missing.jpg"), UploadParams{}); !errors.Is(err, os.ErrNotExist) || f.count("upload") != 0 {
		t.Errorf("missing file: %v", err)
	}
}

func TestCheckTickets(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		if c.Form.Get("tickets") != "1-1,1-2,1-3" {
			t.Errorf("tickets %q", c.Form.Get("tickets"))
		}
		writeJSON(w, `{"uploader":{"ticket":[{"id":"1-1","complete":1,"photoid":"9","imported":null},{"id":"1-2","complete":"0"},{"id":"1-3","invalid":1}]},"stat":"ok"}`)
	})
	c, _ := f.client(nil)
	ts, err := c.CheckTickets(t.Context(), []string{"1-1", "1-2", "1-3"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Ticket{{ID: "1-1", Complete: TicketComplete, PhotoID: "9"}, {ID: "1-2", Complete: TicketPending}, {ID: "1-3", Invalid: true}}
	if fmt.Sprint(ts) != fmt.Sprint(want) {
		t.Errorf("got %+v", ts)
	}
}
