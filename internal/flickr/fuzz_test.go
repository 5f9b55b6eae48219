package flickr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/api"
)

// FuzzDecodeResponse: any answer decodes into a checked page or one of the typed
// errors, without panicking, and what is accepted has only Flickr's ids and secrets, and
// no control character in an error's text.
func FuzzDecodeResponse(f *testing.F) {
	f.Add(200, `{"photos":{"page":1,"pages":"1","perpage":500,"total":"1","photo":[`+photoJSON(1)+`]},"stat":"ok"}`)
	f.Add(200, `{"stat":"fail","code":"105","message":"x"}`)
	f.Add(200, "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"ok\">\n<photos page=\"1\" pages=\"0\" perpage=\"100\" total=\"0\" />\n</rsp>\n")
	f.Add(200, `<rsp stat="fail"><err code="1" msg="Photo not found" /></rsp>`)
	f.Add(401, "oauth_problem=signature_invalid&debug_sbs=POST")
	f.Add(429, "<html><body><h1>429 Too Many Requests</h1></body></html>")
	f.Add(502, "bad gateway\x1b[31m\nsecond line")
	f.Add(200, `jsonFlickrApi({"stat":"ok"})`)
	f.Add(200, `{"photos":{"photo":[{"id":"1\u001b[2J","title":{"_content":{"_content":"x"}}}]},"stat":"ok"}`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		var r api.PhotosResponse
		err := decodeResponse(context.Background(), "m", status, http.Header{}, []byte(body), &r, pageLimits(5))
		if err == nil {
			if status != 200 {
				t.Fatalf("status %d accepted", status)
			}
			if len(r.Photos.Photo) > 5 {
				t.Fatalf("%d photos accepted in a page of 5", len(r.Photos.Photo))
			}
			p, err := photoPageFromWire(&r.Photos, time.Now())
			if err != nil && !errors.Is(err, ErrBadResponse) {
				t.Fatalf("untyped error %v", err)
			}
			for _, ph := range p.Photos {
				if !isID(ph.ID) || ph.Secret != "" && !isHex(ph.Secret) || (ph.DateUpload != 0 && !PlausibleTime(ph.DateUpload, time.Now())) {
					t.Fatalf("accepted %+v", ph)
				}
			}
			return
		}
		var (
			fe *Error
			oe *OAuthError
			he *HTTPError
		)
		if !errors.As(err, &fe) && !errors.As(err, &oe) && !errors.As(err, &he) && !errors.Is(err, ErrBadResponse) {
			t.Fatalf("untyped error %v", err)
		}
		if msg := err.Error(); strings.ContainsFunc(msg, func(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f }) || len(msg) > 400 {
			t.Fatalf("error text %q", msg)
		}
	})
}

// FuzzUploadAnswer: an upload's answer gives a Flickr photo id or a typed error; an
// answer that is not Flickr's is ambiguous (the photo may exist), never a success.
func FuzzUploadAnswer(f *testing.F) {
	f.Add(200, "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"ok\">\n<photoid>10100736393</photoid>\n</rsp>\n")
	f.Add(200, `<rsp stat="ok"><photoid secret="4c7cf4c150" originalsecret="2f77799763">10100736393</photoid></rsp>`)
	f.Add(200, "<rsp stat=\"ok\">\n<ticketid>78701040-72157636215117185</ticketid>\n</rsp>")
	f.Add(200, "<rsp stat=\"fail\">\n\t<err code=\"5\" msg=\"Filetype was not recognised\" />\n</rsp>")
	f.Add(200, `{"stat":"ok","photoid":{"_content":"1"}}`)
	f.Add(503, "Service Unavailable")
	f.Fuzz(func(t *testing.T, status int, body string) {
		id, err := uploadAnswer(context.Background(), status, http.Header{}, []byte(body))
		if err == nil {
			if !isID(id) || status != 200 {
				t.Fatalf("accepted %q (HTTP %d)", id, status)
			}
			return
		}
		var (
			fe *Error
			oe *OAuthError
			he *HTTPError
		)
		if !errors.As(err, &fe) && !errors.As(err, &oe) && !errors.As(err, &he) && !errors.Is(err, ErrUploadAmbiguous) {
			t.Fatalf("untyped error %v", err)
		}
		if msg := err.Error(); strings.ContainsFunc(msg, func(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f }) || len(msg) > 400 {
			t.Fatalf("error text %q", msg)
		}
	})
}

func BenchmarkDecodePhotoPage(b *testing.B) {
	ps := make([]string, 500)
	for i := range ps {
		ps[i] = photoJSON(i + 1)
	}
	body := []byte(fmt.Sprintf(`{"photos":{"page":1,"pages":1,"perpage":500,"total":"500","photo":[%s]},"stat":"ok"}`, strings.Join(ps, ",")))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var r api.PhotosResponse
		if err := decodeResponse(context.Background(), "flickr.people.getPhotos", 200, nil, body, &r, pageLimits(500)); err != nil {
			b.Fatal(err)
		}
		if p, err := photoPageFromWire(&r.Photos, time.Now()); err != nil || len(p.Photos) != 500 {
			b.Fatal(len(p.Photos), err)
		}
	}
}

// BenchmarkUploadFile streams an 8 MB file through the multipart pipe to a loopback
// server that checks the signature and reads every part.
func BenchmarkUploadFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.jpg")
	if err := os.WriteFile(path, make([]byte, 8<<20), 0o644); err != nil {
		b.Fatal(err)
	}
	f := newFake(b, func(w http.ResponseWriter, c *fakeCall) { writeXML(w, "<photoid>1</photoid>") })
	c, _ := f.client(nil)
	b.SetBytes(8 << 20)
	for b.Loop() {
		if _, err := uploadFile(context.Background(), c, path, UploadParams{Tags: sigTag("ab")}); err != nil {
			b.Fatal(err)
		}
	}
}
