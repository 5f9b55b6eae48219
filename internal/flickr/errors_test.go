package flickr

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestErrorClasses: each failure is in the class the CLI maps to its exit code:
// ErrAuth (with the advice to give), ErrUnreachable after the retries, or neither.
func TestErrorClasses(t *testing.T) {
	const (
		reauth = "re-authorise with `flickrsync auth`"
		key    = "check api_key and api_secret in the configuration"
		either = "check api_secret in the configuration, or re-authorise with `flickrsync auth`"
	)
	tests := []struct {
		name        string
		answer      func(w http.ResponseWriter)
		auth        bool
		advice      string
		unreachable bool
		requests    int64
	}{
		{"token rejected", func(w http.ResponseWriter) { w.WriteHeader(401); io.WriteString(w, "oauth_problem=token_rejected") }, true, reauth, false, 1},
		{"token expired", func(w http.ResponseWriter) { w.WriteHeader(401); io.WriteString(w, "oauth_problem=token_expired") }, true, reauth, false, 1},
		{"signature invalid", func(w http.ResponseWriter) { w.WriteHeader(401); io.WriteString(w, "oauth_problem=signature_invalid") }, true, either, false, 1},
		{"consumer key unknown", func(w http.ResponseWriter) {
			w.WriteHeader(401)
			io.WriteString(w, "oauth_problem=consumer_key_unknown")
		}, true, key, false, 1},
		{"code 96", func(w http.ResponseWriter) { writeJSON(w, `{"stat":"fail","code":96,"message":"Invalid signature"}`) }, true, either, false, 1},
		{"code 97", func(w http.ResponseWriter) { writeJSON(w, `{"stat":"fail","code":97,"message":"Missing signature"}`) }, true, either, false, 1},
		{"code 98", func(w http.ResponseWriter) { writeJSON(w, `{"stat":"fail","code":98,"message":"Invalid auth token"}`) }, true, reauth, false, 1},
		{"code 99", func(w http.ResponseWriter) {
			writeJSON(w, `{"stat":"fail","code":99,"message":"Insufficient permissions"}`)
		}, true, reauth, false, 1},
		{"code 100", func(w http.ResponseWriter) { writeJSON(w, `{"stat":"fail","code":100,"message":"Invalid API Key"}`) }, true, key, false, 1},
		{"nonce used, then fine", nil, false, "", false, 2},
		{"HTTP 503", func(w http.ResponseWriter) { w.WriteHeader(503) }, false, "", true, 3},
		{"HTTP 429", func(w http.ResponseWriter) { w.WriteHeader(429) }, false, "", true, 3},
		{"code 105", func(w http.ResponseWriter) {
			writeJSON(w, `{"stat":"fail","code":105,"message":"Service currently unavailable"}`)
		}, false, "", true, 3},
		{"code 201", func(w http.ResponseWriter) { writeJSON(w, `{"stat":"fail","code":201,"message":"Sorry"}`) }, false, "", true, 3},
		{"Retry-After of hours", func(w http.ResponseWriter) { w.Header().Set("Retry-After", "99999999999999"); w.WriteHeader(429) }, false, "", true, 1},
		{"HTTP 404", func(w http.ResponseWriter) { w.WriteHeader(404) }, false, "", false, 1},
		{"code 1", func(w http.ResponseWriter) { writeJSON(w, `{"stat":"fail","code":1,"message":"User not found"}`) }, false, "", false, 1},
		{"malformed", func(w http.ResponseWriter) { io.WriteString(w, "{") }, false, "", false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var h *hostile
			h, c := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.answer == nil {
					if h.requests.Load() == 1 {
						w.WriteHeader(401)
						io.WriteString(w, "oauth_problem=nonce_used")
						return
					}
					writeJSON(w, `{"user":{"id":"1@N01","username":{"_content":"u"}},"stat":"ok"}`)
					return
				}
				tc.answer(w)
			}, func(cfg *Config) { cfg.MaxAttempts = 3 })
			_, err := c.TestLogin(t.Context())
			if got := h.requests.Load(); got != tc.requests {
				t.Errorf("%d requests, want %d", got, tc.requests)
			}
			if tc.answer == nil {
				if err != nil {
					t.Errorf("got %v", err)
				}
				return
			}
			if err == nil || IsAuthError(err) != tc.auth || AuthAdvice(err) != tc.advice || IsUnreachable(err) != tc.unreachable {
				t.Errorf("got %v: auth %v %q, unreachable %v", err, IsAuthError(err), AuthAdvice(err), IsUnreachable(err))
			}
		})
	}
}

// TestUnreachable: no server (as a name that does not resolve), a timeout: unreachable
// after the retries. A cancelled call is not.
func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	for _, base := range []string{closed} {
		c := mustNew(t, Config{BaseURL: base, APIKey: "k", APISecret: "s", RateLimit: -1, MaxAttempts: 2, MinBackoff: 1, MaxBackoff: 1})
		_, err := c.TestLogin(t.Context())
		if !IsUnreachable(err) || IsAuthError(err) || !strings.Contains(err.Error(), "gave up after 2 attempts") {
			t.Errorf("%s: got %v", base, err)
		}
	}
	release := make(chan struct{})
	defer close(release)
	_, c := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}, func(cfg *Config) { cfg.MaxAttempts, cfg.Timeout = 2, 20e6 })
	if _, err := c.TestLogin(t.Context()); !IsUnreachable(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeouts: got %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.TestLogin(ctx); IsUnreachable(err) || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
}

// TestBadBaseURL: a Flickr URL that is not an http(s) URL with a host is refused by New,
// before any request, and the error says which value.
func TestBadBaseURL(t *testing.T) {
	for _, bad := range []string{"not-a-url", "ftp://127.0.0.1", "http://", "127.0.0.1:8383", "http://user:pw@host", "http://host/?q=1",
		"http://host:port", "http://ho st", "\x1b[2J"} {
		c, err := New(Config{BaseURL: bad})
		if c != nil || !errors.Is(err, ErrBadBaseURL) || strings.ContainsRune(err.Error(), 0x1b) {
			t.Errorf("%q: got %v, %v", bad, c, err)
		}
	}
	if !strings.Contains(errOf(New(Config{BaseURL: "not-a-url"})).Error(), `"not-a-url"`) {
		t.Errorf("the error does not name the value")
	}
	for _, good := range []string{"http://127.0.0.1:8383", "https://flickr.example/prefix/", "http://[::1]:80"} {
		if _, err := New(Config{BaseURL: good}); err != nil {
			t.Errorf("%q: %v", good, err)
		}
	}
}

func errOf(_ *Client, err error) error { return err }
