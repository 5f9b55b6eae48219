package flickr

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"testing"
)

// failAtEOF reads r, then fails instead of ending: what a verifying source does when the
// bytes it read are not the ones expected.
type failAtEOF struct {
	r   io.Reader
	err error
}

func (f *failAtEOF) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

func (f *failAtEOF) Close() error { return nil }

// TestUploadSourceChanged: a file that grows while it is sent and a source that fails at
// its end stop the upload before the request is complete (the server never sees a whole
// photo), without retry and without ErrUploadAmbiguous.
func TestUploadSourceChanged(t *testing.T) {
	content := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	mismatch := errors.New("content hash mismatch")
	tests := []struct {
		name    string
		upload  func(c *Client, path string) error
		status  int // the first attempt's answer (0: a photo id)
		want    error
		wantN   int // requests the server saw
		changed func(path string)
	}{
		{"source fails at its end", func(c *Client, path string) error {
			_, err := c.UploadFrom(t.Context(), func() (io.ReadCloser, int64, error) {
				return &failAtEOF{r: bytes.NewReader(content), err: mismatch}, int64(len(content)), nil
			}, UploadParams{})
			return err
		}, 0, mismatch, 1, nil},
		{"file grows during the attempt", func(c *Client, path string) error {
			once := false
			_, err := uploadFile(t.Context(), c, path, UploadParams{Progress: func(done, total int64) {
				if !once {
					once = true
					f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
					f.Write([]byte("more"))
					f.Close()
				}
			}})
			return err
		}, 0, ErrSourceChanged, 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path, _ := writeTemp(t, "p.jpg", 0)
			os.WriteFile(path, content, 0o644)
			complete := 0
			f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
				if len(c.File) == len(content) {
					complete++
				}
				if tc.status != 0 {
					if tc.changed != nil {
						tc.changed(path)
					}
					w.WriteHeader(tc.status)
					return
				}
				writeXML(w, "<photoid>1</photoid>")
			})
			c, _ := f.client(nil)
			err := tc.upload(c, path)
			if !errors.Is(err, tc.want) || errors.Is(err, ErrUploadAmbiguous) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if r, _ := classify(err); r {
				t.Errorf("%v classified retryable", err)
			}
			if n := f.count("upload"); n > tc.wantN {
				t.Errorf("%d requests reached the server, want at most %d", n, tc.wantN)
			}
			if tc.status == 0 && complete != 0 {
				t.Errorf("the server got a whole photo")
			}
		})
	}
}
