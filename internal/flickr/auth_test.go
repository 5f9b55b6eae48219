package flickr

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestTokenFlow runs request_token -> authorize -> access_token -> test.login against a
// fake that checks each step's signature with the right secrets.
func TestTokenFlow(t *testing.T) {
	const (
		reqToken   = "72157626737672178-022bbd2f4c2f3432"
		reqSecret  = "fccb68c4e6103197"
		verifier   = "5d1b96a26b494074"
		accToken   = "72157626318069415-087bfc7b5816092d"
		accSecret  = "a202d1f853ec69df"
		callbackIn = "http://127.0.0.1:1/callback"
	)
	var f *fakeFlickr
	f = newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		switch c.API {
		case "oauth.request_token":
			if c.OAuth.Get("oauth_callback") != callbackIn || c.OAuth.Has("oauth_token") {
				t.Errorf("request_token oauth %v", c.OAuth)
			}
			f.mu.Lock()
			f.secrets[reqToken] = reqSecret
			f.mu.Unlock()
			w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
			io.WriteString(w, "oauth_callback_confirmed=true&oauth_token="+reqToken+"&oauth_token_secret="+reqSecret)
		case "oauth.access_token":
			if c.OAuth.Get("oauth_token") != reqToken || c.OAuth.Get("oauth_verifier") != verifier {
				t.Errorf("access_token oauth %v", c.OAuth)
			}
			f.mu.Lock()
			f.secrets[accToken] = accSecret
			f.mu.Unlock()
			io.WriteString(w, "fullname=Jamal%20Fanaian&oauth_token="+accToken+"&oauth_token_secret="+accSecret+"&user_nsid=21207597%40N07&username=jamalfanaian")
		case "flickr.test.login":
			if c.OAuth.Get("oauth_token") != accToken {
				t.Errorf("test.login with token %q", c.OAuth.Get("oauth_token"))
			}
			writeJSON(w, `{"user":{"id":"21207597@N07","username":{"_content":"jamalfanaian"}},"stat":"ok"}`)
		default:
			t.Errorf("unexpected %s", c.API)
		}
	})
	c := mustNew(t, Config{BaseURL: f.srv.URL, APIKey: testKey, APISecret: testSecret})
	rt, err := c.GetRequestToken(t.Context(), callbackIn)
	if err != nil {
		t.Fatal(err)
	}
	if rt != (RequestToken{Token: reqToken, Secret: reqSecret, CallbackConfirmed: true}) {
		t.Errorf("request token %+v", rt)
	}
	au, err := url.Parse(c.AuthorizeURL(rt, PermsWrite))
	if err != nil || au.Path != "/services/oauth/authorize" || au.Query().Get("oauth_token") != reqToken ||
		au.Query().Get("perms") != "write" || au.Query().Has("oauth_signature") {
		t.Errorf("authorize URL %s", au)
	}
	if got := mustNew(t, Config{}).AuthorizeURL(rt, PermsWrite); !strings.HasPrefix(got, "https://www.flickr.com/services/oauth/authorize?") {
		t.Errorf("real authorize URL %s", got)
	}
	at, err := c.GetAccessToken(t.Context(), rt, " "+verifier+"\n")
	if err != nil {
		t.Fatal(err)
	}
	want := AccessToken{Token: accToken, Secret: accSecret, UserNSID: "21207597@N07", Username: "jamalfanaian", Fullname: "Jamal Fanaian"}
	if at != want {
		t.Errorf("access token %+v", at)
	}
	user := mustNew(t, Config{BaseURL: f.srv.URL, APIKey: testKey, APISecret: testSecret, Token: at.Token, TokenSecret: at.Secret})
	if u, err := user.TestLogin(t.Context()); err != nil || u.NSID != "21207597@N07" {
		t.Errorf("test.login %+v, %v", u, err)
	}
}

func TestTokenFlowRefusals(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		problem    string
	}{
		{"verifier invalid", "oauth_problem=verifier_invalid", 401, "verifier_invalid"},
		{"token rejected", "oauth_problem=token_rejected", 401, "token_rejected"},
		{"missing secret", "oauth_token=abc", 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			c, _ := f.client(func(cfg *Config) { cfg.Token, cfg.TokenSecret = "", "" })
			_, err := c.GetAccessToken(t.Context(), RequestToken{Token: testToken, Secret: testTokenSecret}, "1")
			var oe *OAuthError
			switch {
			case tc.problem != "":
				if !errors.As(err, &oe) || oe.Problem != tc.problem || f.count("oauth.access_token") != 1 {
					t.Errorf("got %v after %d requests", err, f.count("oauth.access_token"))
				}
			case !errors.Is(err, ErrBadResponse):
				t.Errorf("got %v", err)
			}
			if err != nil && strings.Contains(err.Error(), "abc") {
				t.Errorf("error shows the token: %v", err)
			}
		})
	}
}

func TestCallbackServer(t *testing.T) {
	s, err := StartCallbackServer()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") || !strings.HasSuffix(s.URL, "/callback") {
		t.Errorf("URL %s", s.URL)
	}
	get := func(q string) int {
		resp, err := http.Get(s.URL + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get("?oauth_token=rt"); code != 400 {
		t.Errorf("no verifier: HTTP %d", code)
	}
	if code := get("?oauth_token=rt&oauth_verifier=5d1b96a26b494074"); code != 200 {
		t.Errorf("HTTP %d", code)
	}
	v, err := s.Wait(t.Context(), RequestToken{Token: "rt"})
	if err != nil || v != "5d1b96a26b494074" {
		t.Errorf("got %q, %v", v, err)
	}
	get("?oauth_token=other&oauth_verifier=1")
	if _, err := s.Wait(t.Context(), RequestToken{Token: "rt"}); err == nil {
		t.Errorf("a verifier for another token was accepted")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Wait(ctx, RequestToken{Token: "rt"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v", err)
	}
}
