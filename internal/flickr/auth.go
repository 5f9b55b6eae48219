package flickr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/api"
	"github.com/flickrsync/flickrsync/internal/oauth1"
)

// RequestToken is the temporary token of the OAuth flow's first step.
type RequestToken struct {
	Token, Secret     string
	CallbackConfirmed bool
}

// AccessToken is the token the OAuth flow ends with, and whose it is.
type AccessToken struct {
	Token, Secret string
	UserNSID      string
	Username      string
	Fullname      string
}

// Perms a token can be asked for. flickrsync asks for PermsWrite, never delete.
const (
	PermsRead   = "read"
	PermsWrite  = "write"
	PermsDelete = "delete"
)

// GetRequestToken starts the OAuth flow. callback is the URL Flickr sends the browser
// back to with oauth_verifier, or "oob" to have Flickr show the verifier to the user.
func (c *Client) GetRequestToken(ctx context.Context, callback string) (RequestToken, error) {
	if callback == "" {
		callback = "oob"
	}
	signer := c.signer
	signer.Token, signer.TokenSecret = "", ""
	q, err := c.oauthCall(ctx, "request_token", &signer, oauth1.Extra{Callback: callback})
	if err != nil {
		return RequestToken{}, err
	}
	rt := RequestToken{Token: q.Get("oauth_token"), Secret: q.Get("oauth_token_secret"),
		CallbackConfirmed: q.Get("oauth_callback_confirmed") == "true"}
	if !isToken(rt.Token) || !isToken(rt.Secret) {
		return RequestToken{}, fmt.Errorf("oauth request_token: answer lacks a usable oauth_token or oauth_token_secret: %w", ErrBadResponse)
	}
	return rt, nil
}

// AuthorizeURL is the page where the user grants the request token perms (read, write or
// delete); it is not signed.
func (c *Client) AuthorizeURL(rt RequestToken, perms string) string {
	return c.oauthURL + "authorize?" + url.Values{"oauth_token": {rt.Token}, "perms": {perms}}.Encode()
}

// GetAccessToken exchanges the authorised request token and its verifier for the access
// token.
func (c *Client) GetAccessToken(ctx context.Context, rt RequestToken, verifier string) (AccessToken, error) {
	signer := c.signer
	signer.Token, signer.TokenSecret = rt.Token, rt.Secret
	q, err := c.oauthCall(ctx, "access_token", &signer, oauth1.Extra{Verifier: strings.TrimSpace(verifier)})
	if err != nil {
		return AccessToken{}, err
	}
	at := AccessToken{Token: q.Get("oauth_token"), Secret: q.Get("oauth_token_secret"),
		UserNSID: q.Get("user_nsid"), Username: cleanText(q.Get("username"), 100), Fullname: cleanText(q.Get("fullname"), 100)}
	if !isToken(at.Token) || !isToken(at.Secret) || !isNSID(at.UserNSID) {
		return AccessToken{}, fmt.Errorf("oauth access_token: answer lacks a usable oauth_token, oauth_token_secret or user_nsid: %w", ErrBadResponse)
	}
	return at, nil
}

// oauthCall POSTs to services/oauth/<step>, signed in the Authorization header, and
// parses the form-encoded answer.
func (c *Client) oauthCall(ctx context.Context, step string, signer *oauth1.Signer, extra oauth1.Extra) (url.Values, error) {
	name := "oauth." + step
	endpoint := c.oauthURL + step
	var out url.Values
	err := c.do(ctx, name, doOpts{}, func(ctx context.Context, n int) error {
		ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		req.Header.Set("Authorization", signer.AuthorizationHeader(http.MethodPost, endpoint, nil, extra))
		req.Header.Set("User-Agent", UserAgent)
		resp, err := c.http.Do(req)
		if err != nil {
			return &netError{err: fmt.Errorf("%s: %w", name, transportErr(err))}
		}
		defer resp.Body.Close()
		body, err := readAnswer(resp, 64<<10)
		if errors.Is(err, ErrBadResponse) {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err != nil {
			return &netError{err: fmt.Errorf("%s: read the answer: %w", name, err)}
		}
		c.debugf("%s attempt %d: HTTP %d", name, n, resp.StatusCode)
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: %w", name, decodeResponse(ctx, name, resp.StatusCode, resp.Header, body, nil, api.DefaultLimits))
		}
		if oe, ok := parseOAuthProblem(resp.StatusCode, body); ok {
			return fmt.Errorf("%s: %w", name, oe)
		}
		q, err := url.ParseQuery(strings.TrimSpace(string(body)))
		if err != nil {
			// The answer holds secrets: do not quote it.
			return fmt.Errorf("%s: answer is not form-encoded: %w", name, ErrBadResponse)
		}
		out = q
		return nil
	})
	return out, err
}

// User is a Flickr account.
type User struct {
	NSID     string
	Username string
	Fullname string
}

// TestLogin calls flickr.test.login: who the access token belongs to.
func (c *Client) TestLogin(ctx context.Context) (User, error) {
	var r api.LoginResponse
	if err := c.call(ctx, "flickr.test.login", nil, &r); err != nil {
		return User{}, err
	}
	return checkUser("flickr.test.login", User{NSID: string(r.User.ID), Username: string(r.User.Username)})
}

// checkUser refuses a user whose id is not an NSID, and makes the names safe to print.
func checkUser(method string, u User) (User, error) {
	if !isNSID(u.NSID) {
		return User{}, fmt.Errorf("%s: %w", method, badValue("user id", u.NSID))
	}
	u.Username, u.Fullname = cleanText(u.Username, 100), cleanText(u.Fullname, 100)
	return u, nil
}

// isToken reports whether s can be an OAuth token or secret: printable ASCII without
// spaces, quotes or backslashes, 200 bytes at most (Flickr's are digits, a dash and hex).
func isToken(s string) bool {
	return s != "" && len(s) <= 200 && isURL(s) && !strings.ContainsAny(s, `"\`)
}

// TokenInfo is flickr.auth.oauth.checkToken's answer.
type TokenInfo struct {
	Perms string // none, read, write or delete
	User  User
}

// CheckToken calls flickr.auth.oauth.checkToken for the client's access token.
func (c *Client) CheckToken(ctx context.Context) (TokenInfo, error) {
	var r api.CheckTokenResponse
	// The token to check is the oauth_token of the signed request itself; sending it
	// again as a form field would duplicate a protocol parameter (RFC 5849 §3.5).
	if err := c.call(ctx, "flickr.auth.oauth.checkToken", nil, &r); err != nil {
		return TokenInfo{}, err
	}
	w := r.OAuth.User
	u, err := checkUser("flickr.auth.oauth.checkToken", User{NSID: string(w.NSID), Username: string(w.Username), Fullname: string(w.Fullname)})
	if err != nil {
		return TokenInfo{}, err
	}
	perms := string(r.OAuth.Perms)
	switch perms {
	case "none", PermsRead, PermsWrite, PermsDelete:
	default:
		return TokenInfo{}, fmt.Errorf("flickr.auth.oauth.checkToken: %w", badValue("perms", perms))
	}
	return TokenInfo{Perms: perms, User: u}, nil
}

// CallbackServer receives the browser's redirect at the end of the authorisation, on
// http://127.0.0.1:<random port>/callback.
type CallbackServer struct {
	URL    string // the oauth_callback to send with GetRequestToken
	srv    *http.Server
	result chan callbackResult
}

type callbackResult struct{ token, verifier string }

// StartCallbackServer listens on a random loopback port.
func StartCallbackServer() (*CallbackServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for the oauth callback: %w", err)
	}
	s := &CallbackServer{URL: "http://" + ln.Addr().String() + "/callback", result: make(chan callbackResult, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		tok, ver := q.Get("oauth_token"), q.Get("oauth_verifier")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if tok == "" || ver == "" {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, "<html><body><p>flickrsync: this page expects oauth_token and oauth_verifier.</p></body></html>\n")
			return
		}
		select {
		case s.result <- callbackResult{tok, ver}:
		default: // a second visit: the first one counts
		}
		io.WriteString(w, "<html><body><p>flickrsync is authorised. You can close this window and return to the terminal.</p></body></html>\n")
	})
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

// Wait returns the verifier the browser brought back for the request token rt.
func (s *CallbackServer) Wait(ctx context.Context, rt RequestToken) (string, error) {
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case r := <-s.result:
		if r.token != rt.Token {
			return "", fmt.Errorf("oauth callback: it is for another request token")
		}
		return r.verifier, nil
	}
}

// Close stops the server once the browser has the page it asked for: closing at once
// cut that answer short (the browser showed an error, the tests an EOF).
func (s *CallbackServer) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		return s.srv.Close()
	}
	return nil
}
