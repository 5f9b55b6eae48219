package flickr

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/oauth1"
	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// replayServer answers every request with one recorded response.
func replayServer(t *testing.T, it *sharedtest.Interaction) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if it.ContentType != "" {
			w.Header().Set("Content-Type", it.ContentType)
		}
		w.WriteHeader(it.Status)
		w.Write([]byte(it.Body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

const (
	testKey         = "768fe946d252b119746fda82e1599980"
	testSecret      = "1a3c208e172d3edc"
	testToken       = "72157626318069415-087bfc7b5816092c"
	testTokenSecret = "a202d1f853ec69de"
)

// fakeCall is one request the fake Flickr received, signature verified.
type fakeCall struct {
	API     string     // method=... or upload/replace/oauth.<step>/download
	Form    url.Values // every parameter but the file and oauth_*
	OAuth   url.Values // the oauth_* parameters
	File    []byte     // the multipart "photo" part
	N       int        // 1 for the first request of this API, 2 for the next...
	Request *http.Request
}

// fakeFlickr is a minimal Flickr for the client's tests: it checks every request's
// OAuth signature with internal/oauth1 and hands the call to handle.
type fakeFlickr struct {
	t       testing.TB
	srv     *httptest.Server
	mu      sync.Mutex
	counts  map[string]int
	secrets map[string]string // token -> token secret
	handle  func(w http.ResponseWriter, c *fakeCall)
}

func newFake(t testing.TB, handle func(w http.ResponseWriter, c *fakeCall)) *fakeFlickr {
	f := &fakeFlickr{t: t, counts: map[string]int{}, handle: handle,
		secrets: map[string]string{testToken: testTokenSecret}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeFlickr) count(api string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[api]
}

// client returns a client of the fake with tiny delays and the sleeps recorded.
func (f *fakeFlickr) client(mod func(*Config)) (*Client, *[]time.Duration) {
	cfg := Config{BaseURL: f.srv.URL, APIKey: testKey, APISecret: testSecret, Token: testToken,
		TokenSecret: testTokenSecret, MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond, RateLimit: -1}
	if mod != nil {
		mod(&cfg)
	}
	c := mustNew(f.t, cfg)
	var mu sync.Mutex
	sleeps := &[]time.Duration{}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		*sleeps = append(*sleeps, d)
		mu.Unlock()
		return ctx.Err()
	}
	return c, sleeps
}

// mustNew is New for a cfg the test knows valid.
func mustNew(t testing.TB, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fileOpener opens path for each attempt of an upload (the engine's checked source
// is the production Opener).
func fileOpener(path string) Opener {
	return func() (io.ReadCloser, int64, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, 0, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, err
		}
		return f, st.Size(), nil
	}
}

// uploadFile uploads the file at path, named by its base name.
func uploadFile(ctx context.Context, c *Client, path string, p UploadParams) (string, error) {
	if p.Filename == "" {
		p.Filename = filepath.Base(path)
	}
	return c.UploadFrom(ctx, fileOpener(path), p)
}

func (f *fakeFlickr) serve(w http.ResponseWriter, r *http.Request) {
	call := &fakeCall{Form: url.Values{}, OAuth: url.Values{}, Request: r}
	all := url.Values{}
	for k, v := range r.URL.Query() {
		all[k] = v
	}
	if h := r.Header.Get("Authorization"); h != "" {
		p, err := oauth1.ParseHeader(h)
		if err != nil {
			f.t.Errorf("bad Authorization header: %v", err)
		}
		for k, v := range p {
			if k != "realm" {
				all[k] = v
			}
		}
	}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		b, _ := io.ReadAll(r.Body)
		q, err := url.ParseQuery(string(b))
		if err != nil {
			f.t.Errorf("bad form body: %v", err)
		}
		for k, v := range q {
			all[k] = append(all[k], v...)
		}
	case "multipart/form-data":
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				http.Error(w, "bad multipart: "+err.Error(), http.StatusBadRequest)
				return
			}
			b, err := io.ReadAll(part)
			if err != nil {
				http.Error(w, "bad multipart: "+err.Error(), http.StatusBadRequest)
				return
			}
			if part.FormName() == "photo" {
				call.File = b
				continue
			}
			all.Add(part.FormName(), string(b))
		}
	}
	for k, v := range all {
		if strings.HasPrefix(k, "oauth_") {
			call.OAuth[k] = v
		} else {
			call.Form[k] = v
		}
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case path == "/services/rest":
		call.API = all.Get("method")
	case path == "/services/upload", path == "/services/replace":
		call.API = path[len("/services/"):]
	case strings.HasPrefix(path, "/services/oauth/"):
		call.API = "oauth." + path[len("/services/oauth/"):]
	default:
		call.API = "download"
	}
	f.mu.Lock()
	f.counts[call.API]++
	call.N = f.counts[call.API]
	tokSecret, known := f.secrets[call.OAuth.Get("oauth_token")]
	f.mu.Unlock()
	if call.API != "download" {
		if call.OAuth.Get("oauth_consumer_key") != testKey || (call.OAuth.Get("oauth_token") != "" && !known) {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, "oauth_problem=token_rejected")
			return
		}
		base := oauth1.BaseString(r.Method, "http://"+r.Host+r.URL.Path, all)
		if !oauth1.Verify(base, testSecret, tokSecret, call.OAuth.Get("oauth_signature")) {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, "oauth_problem=signature_invalid&debug_sbs="+url.QueryEscape(base))
			return
		}
	}
	f.handle(w, call)
}

func writeJSON(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, body)
}

func writeXML(w http.ResponseWriter, payload string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	io.WriteString(w, "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"ok\">\n"+payload+"\n</rsp>\n")
}

// hangUp closes the connection without an answer.
func hangUp(t *testing.T, w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	conn.Close()
}
