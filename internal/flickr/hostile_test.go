package flickr

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// hostile is a Flickr that answers as an attacker or a broken proxy would: whatever
// its handler writes, to every path, with no OAuth check. The emulator stays faithful;
// this server is where the client's bounds are tested.
type hostile struct {
	srv      *httptest.Server
	requests atomic.Int64
}

// newHostile serves handle on loopback and returns a client of it with tiny retry
// delays; mod adjusts the client's configuration.
func newHostile(t testing.TB, handle http.HandlerFunc, mod func(*Config)) (*hostile, *Client) {
	t.Helper()
	h := &hostile{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.requests.Add(1)
		handle(w, r)
	}))
	t.Cleanup(h.srv.Close)
	cfg := Config{BaseURL: h.srv.URL, APIKey: testKey, APISecret: testSecret, Token: testToken, TokenSecret: testTokenSecret,
		RateLimit: -1, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}
	if mod != nil {
		mod(&cfg)
	}
	return h, mustNew(t, cfg)
}

// pageJSON wraps photo objects in a people.getPhotos answer.
func pageJSON(page, pages int, photos ...string) string {
	return fmt.Sprintf(`{"photos":{"page":%d,"pages":%d,"perpage":500,"total":"%d","photo":[%s]},"stat":"ok"}`,
		page, pages, pages*500, strings.Join(photos, ","))
}

// emptyPhotosPage is a page of size bytes of empty photo objects: "photo":[{},{},...].
// 8 MB of it once cost 3.1 GB and 17 s to decode.
func emptyPhotosPage(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"photos":{"page":1,"pages":1,"perpage":500,"total":"1","photo":[{}`)
	for b.Len() < size {
		b.WriteString(`,{}`)
	}
	b.WriteString(`]},"stat":"ok"}`)
	return b.Bytes()
}

// nestedTitlesPage is a page of size bytes whose photos' titles nest {"_content": ...}
// depth times: 1.3 MB at depth 9000 once cost 63 s and 810 MB (each level decoded the
// rest again).
func nestedTitlesPage(size, depth int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"photos":{"page":1,"pages":1,"perpage":500,"total":"1","photo":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"%d","title":`, i+1)
		b.WriteString(strings.Repeat(`{"_content":`, depth))
		b.WriteString(`"x"`)
		b.WriteString(strings.Repeat(`}`, depth))
		b.WriteString(`}`)
	}
	b.WriteString(`]},"stat":"ok"}`)
	return b.Bytes()
}

// freshPhotos are n valid photos whose ids start at first.
func freshPhotos(first, n int) []string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = fmt.Sprintf(`{"id":"%d","secret":"abcdef0123","dateupload":"1400000000"}`, first+i)
	}
	return ps
}
