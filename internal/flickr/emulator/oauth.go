package emulator

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/flickrsync/flickrsync/internal/oauth1"
)

// oauthFail is an OAuth-layer refusal: HTTP 400/401, text/plain, form-encoded problem.
type oauthFail struct {
	status int
	body   string
}

func writeOAuthFail(w http.ResponseWriter, f *oauthFail) {
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(f.body)))
	w.WriteHeader(f.status)
	w.Write([]byte(f.body))
}

func absent(names ...string) *oauthFail {
	return &oauthFail{400, "oauth_problem=parameter_absent&oauth_parameters_absent=" + strings.Join(names, "%26")}
}

// tokenNeed says which token a signed request must carry.
type tokenNeed int

const (
	noToken tokenNeed = iota
	requestToken
	accessToken
)

var levels = map[string]int{"none": 0, "read": 1, "write": 2, "delete": 3}

// verifyOAuth checks an OAuth 1.0a signed request the way Flickr does and returns the token
// it carries (nil for request_token).
func (srv *Server) verifyOAuth(r *http.Request, q *request, need tokenNeed) (*token, *oauthFail) {
	required := []string{"oauth_consumer_key", "oauth_nonce", "oauth_signature", "oauth_signature_method", "oauth_timestamp"}
	if need != noToken {
		required = append(required, "oauth_token")
	}
	var missing []string
	for _, k := range required {
		if q.get(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, absent(missing...)
	}
	if q.get("oauth_consumer_key") != srv.cfg.APIKey {
		return nil, &oauthFail{401, "oauth_problem=consumer_key_unknown"}
	}
	if m := q.get("oauth_signature_method"); m != "HMAC-SHA1" {
		return nil, &oauthFail{400, "oauth_problem=signature_method_rejected"}
	}
	if v := q.get("oauth_version"); v != "" && v != "1.0" {
		return nil, &oauthFail{400, "oauth_problem=version_rejected&oauth_acceptable_versions=1.0-1.0"}
	}
	ts, err := strconv.ParseInt(q.get("oauth_timestamp"), 10, 64)
	if err != nil || ts <= 0 {
		return nil, &oauthFail{400, "oauth_problem=parameter_rejected&oauth_parameters_rejected=oauth_timestamp"}
	}
	wall := time.Now()
	if win := srv.cfg.TimestampWindow; win > 0 {
		if d := time.Duration(wall.Unix()-ts) * time.Second; d > win || d < -win {
			lo, hi := wall.Add(-win).Unix(), wall.Add(win).Unix()
			return nil, &oauthFail{400, fmt.Sprintf("oauth_problem=timestamp_refused&oauth_acceptable_timestamps=%d-%d", lo, hi)}
		}
	}

	srv.mu.Lock()
	defer srv.mu.Unlock()
	var tok *token
	tokenSecret := ""
	if need != noToken {
		tok = srv.st.Tokens[q.get("oauth_token")]
		if tok == nil || tok.Access != (need == accessToken) || srv.owner(tok.User) == nil {
			return nil, &oauthFail{401, "oauth_problem=token_rejected"}
		}
		tokenSecret = tok.Secret
	}
	sbs := oauth1.BaseString(r.Method, requestBaseURL(r), q.signed())
	if !oauth1.Verify(sbs, srv.cfg.APISecret, tokenSecret, q.get("oauth_signature")) {
		return nil, &oauthFail{401, "oauth_problem=signature_invalid&debug_sbs=" + sbs}
	}
	key := q.get("oauth_consumer_key") + "&" + q.get("oauth_token") + "&" + q.get("oauth_timestamp") + "&" + q.get("oauth_nonce")
	if _, used := srv.nonces[key]; used {
		return nil, &oauthFail{401, "oauth_problem=nonce_used"}
	}
	srv.nonces[key] = wall
	if len(srv.nonces) > 10000 {
		for k, t := range srv.nonces {
			if wall.Sub(t) > 2*time.Hour {
				delete(srv.nonces, k)
			}
		}
	}
	return tok, nil
}

// requestBaseURL is scheme://host/path as the client addressed it (Flickr signs the path
// exactly as requested, with or without a trailing slash).
func requestBaseURL(r *http.Request) string {
	return hostURL(r) + r.URL.EscapedPath()
}

func hostURL(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

func writeOAuthOK(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(body))
}

// formEncode joins k=v with values RFC 3986-encoded (%20 for spaces), keys sorted.
func formEncode(kv map[string]string) string {
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + oauth1.Encode(kv[k])
	}
	return strings.Join(parts, "&")
}

func (srv *Server) newTokenLocked() (tok, secret string) {
	return "72157" + srv.randDigits(12) + "-" + srv.randHex(16), srv.randHex(16)
}

func (srv *Server) handleRequestToken(w http.ResponseWriter, r *http.Request) {
	srv.count("oauth")
	if srv.injectFault(w, r, "oauth", responder{}) {
		return
	}
	q, err := readRequest(r, 0)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if _, f := srv.verifyOAuth(r, q, noToken); f != nil {
		writeOAuthFail(w, f)
		return
	}
	cb := q.get("oauth_callback")
	if cb == "" {
		writeOAuthFail(w, absent("oauth_callback"))
		return
	}
	if cb != "oob" {
		if u, err := url.Parse(cb); err != nil || u.Scheme == "" || u.Host == "" {
			writeOAuthFail(w, &oauthFail{400, "oauth_problem=parameter_rejected&oauth_parameters_rejected=oauth_callback"})
			return
		}
	}
	srv.mu.Lock()
	t, sec := srv.newTokenLocked()
	srv.st.Tokens[t] = &token{Token: t, Secret: sec, Callback: cb, Created: srv.now().Unix()}
	err = srv.saveLocked()
	srv.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeOAuthOK(w, "oauth_callback_confirmed=true&oauth_token="+t+"&oauth_token_secret="+sec)
}

const authorizePage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Flickr emulator: authorize</title></head>
<body>
<h1>Authorize an application</h1>
<p>An application wants <b>%s</b> access to your Flickr account.</p>
<form method="post" action="/services/oauth/authorize">
<input type="hidden" name="oauth_token" value="%s">
<input type="hidden" name="perms" value="%s">
<p>Signed in as <select name="user">%s</select></p>
<button type="submit" name="approve" value="1">Approve</button>
</form>
</body></html>
`

const verifierPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Flickr emulator: authorized</title></head>
<body>
<h1>You have successfully authorized the application</h1>
<p>Enter this code in the application:</p>
<p id="verifier"><span>%s</span></p>
</body></html>
`

func (srv *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	srv.count("oauth")
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	tokID, perms := r.Form.Get("oauth_token"), r.Form.Get("perms")
	if perms == "" {
		perms = "read"
	}
	srv.mu.Lock()
	tok := srv.st.Tokens[tokID]
	srv.mu.Unlock()
	if tok == nil || tok.Access {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, "<html><body><h1>Oops! Flickr can't find a valid callback URL.</h1><p>Invalid or expired oauth_token.</p></body></html>\n")
		return
	}
	if levels[perms] == 0 {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "<html><body><h1>Invalid perms %q</h1></body></html>\n", html.EscapeString(perms))
		return
	}
	approve := srv.cfg.AutoApprove || (r.Method == http.MethodPost && r.PostForm.Get("approve") != "")
	srv.mu.Lock()
	who := srv.loggedIn
	if u := r.PostForm.Get("user"); u != "" && srv.byName(u) != nil {
		who = srv.byName(u)
	}
	var options strings.Builder
	for _, a := range srv.accounts {
		sel := ""
		if a == who {
			sel = " selected"
		}
		fmt.Fprintf(&options, `<option value="%s"%s>%s</option>`, html.EscapeString(a.NSID), sel, html.EscapeString(a.Username))
	}
	srv.mu.Unlock()
	if !approve {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, authorizePage, html.EscapeString(perms), html.EscapeString(tokID), html.EscapeString(perms), options.String())
		return
	}
	srv.mu.Lock()
	tok.User = srv.ownerKey(who)
	oob := tok.Callback == "oob"
	if oob {
		tok.Verifier = srv.randDigits(3) + "-" + srv.randDigits(3) + "-" + srv.randDigits(3)
	} else {
		tok.Verifier = srv.randHex(16)
	}
	tok.Approved, tok.Perms = true, perms
	verifier, cb := tok.Verifier, tok.Callback
	err := srv.saveLocked()
	srv.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if oob {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, verifierPage, verifier)
		return
	}
	u, _ := url.Parse(cb) // validated at request_token
	v := u.Query()
	v.Set("oauth_token", tokID)
	v.Set("oauth_verifier", verifier)
	u.RawQuery = v.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (srv *Server) handleAccessToken(w http.ResponseWriter, r *http.Request) {
	srv.count("oauth")
	if srv.injectFault(w, r, "oauth", responder{}) {
		return
	}
	q, err := readRequest(r, 0)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if q.get("oauth_verifier") == "" {
		miss := []string{"oauth_verifier"}
		if q.get("oauth_token") == "" {
			miss = []string{"oauth_token", "oauth_verifier"}
		}
		writeOAuthFail(w, absent(miss...))
		return
	}
	req, f := srv.verifyOAuth(r, q, requestToken)
	if f != nil {
		writeOAuthFail(w, f)
		return
	}
	srv.mu.Lock()
	if !req.Approved || req.Verifier == "" {
		srv.mu.Unlock()
		writeOAuthFail(w, &oauthFail{401, "oauth_problem=token_rejected"})
		return
	}
	if req.Verifier != q.get("oauth_verifier") {
		srv.mu.Unlock()
		writeOAuthFail(w, &oauthFail{401, "oauth_problem=verifier_invalid"})
		return
	}
	delete(srv.st.Tokens, req.Token)
	t, sec := srv.newTokenLocked()
	srv.st.Tokens[t] = &token{Token: t, Secret: sec, Access: true, Perms: req.Perms, Created: srv.now().Unix(), User: req.User}
	who := srv.owner(req.User)
	if who == nil {
		srv.mu.Unlock()
		writeOAuthFail(w, &oauthFail{401, "oauth_problem=token_rejected"})
		return
	}
	err = srv.saveLocked()
	srv.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeOAuthOK(w, formEncode(map[string]string{
		"fullname":           who.Fullname,
		"oauth_token":        t,
		"oauth_token_secret": sec,
		"user_nsid":          who.NSID,
		"username":           who.Username,
	}))
}

// IssueToken mints an access token of the primary account with perms (read, write or
// delete) without the browser dance, for tests.
func (srv *Server) IssueToken(perms string) (tok, secret string) {
	return srv.issueToken(srv.primary(), perms)
}

// RevokeToken withdraws an access token, as a member does on Flickr's page of the apps
// allowed on the account (or as Flickr does when it expires one): every later call
// signed with it is refused with oauth_problem=token_rejected (HTTP 401). It reports
// whether the token existed.
func (srv *Server) RevokeToken(tok string) bool {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	t := srv.st.Tokens[tok]
	if t == nil || !t.Access {
		return false
	}
	delete(srv.st.Tokens, tok)
	_ = srv.saveLocked()
	return true
}

func (srv *Server) issueToken(a *account, perms string) (tok, secret string) {
	if levels[perms] == 0 {
		perms = "read"
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	tok, secret = srv.newTokenLocked()
	srv.st.Tokens[tok] = &token{Token: tok, Secret: secret, Access: true, Perms: perms, Created: srv.now().Unix(),
		User: srv.ownerKey(a)}
	_ = srv.saveLocked() // a failing disk shows on the next write call
	return tok, secret
}
