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
	"unicode"

	"github.com/flickrsync/flickrsync/internal/flickr/api"
	"github.com/flickrsync/flickrsync/internal/names"
)

// FuzzDecodeResponse: any answer decodes into a result or one of the typed errors,
// without panicking.
func FuzzDecodeResponse(f *testing.F) {
	f.Add(200, `{"photos":{"page":1,"pages":"1","perpage":500,"total":"1","photo":[`+photoJSON(1)+`]},"stat":"ok"}`)
	f.Add(200, `{"stat":"fail","code":"105","message":"x"}`)
	f.Add(200, "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"ok\">\n<photos page=\"1\" pages=\"0\" perpage=\"100\" total=\"0\" />\n</rsp>\n")
	f.Add(200, `<rsp stat="fail"><err code="1" msg="Photo not found" /></rsp>`)
	f.Add(401, "oauth_problem=signature_invalid&debug_sbs=POST")
	f.Add(429, "<html><body><h1>429 Too Many Requests</h1></body></html>")
	f.Add(200, `jsonFlickrApi({"stat":"ok"})`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		var r api.PhotosResponse
		err := decodeResponse("m", status, http.Header{}, []byte(body), &r)
		if err == nil {
			if status != 200 {
				t.Fatalf("status %d accepted", status)
			}
			photoPageFromWire(&r.Photos)
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
	})
}

// FuzzNormalizeTag: the clean form is stable under normalisation, lowercase, without
// spaces or punctuation outside a machine tag's "ns:pred=".
func FuzzNormalizeTag(f *testing.F) {
	for _, s := range []string{"George_Eastman_House", "geh:maker=Atget, Eugène", `flickrsync:signature="ab"`, "a:b=c:d=e", "İstanbul", "ß"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		clean := NormalizeTag(raw)
		if again := NormalizeTag(clean); again != clean {
			t.Fatalf("NormalizeTag(%q) = %q, then %q", raw, clean, again)
		}
		rest := clean
		if IsMachineTag(clean) {
			_, rest, _ = strings.Cut(clean, "=")
		}
		for _, r := range rest {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)) {
				t.Fatalf("NormalizeTag(%q) = %q keeps %q", raw, clean, r)
			}
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
		if err := decodeResponse("flickr.people.getPhotos", 200, nil, body, &r); err != nil {
			b.Fatal(err)
		}
		if p := photoPageFromWire(&r.Photos); len(p.Photos) != 500 {
			b.Fatal(len(p.Photos))
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
		if _, err := c.UploadFile(context.Background(), path, UploadParams{Tags: names.SignatureTag("ab")}); err != nil {
			b.Fatal(err)
		}
	}
}
