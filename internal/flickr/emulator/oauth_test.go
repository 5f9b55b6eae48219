package emulator

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/oauth1"
)

// TestOAuthDance runs request_token, authorize and access_token with a callback URL and
// with oob, with and without auto-approve.
func TestOAuthDance(t *testing.T) {
	for _, tc := range []struct {
		name     string
		auto     bool
		callback string
		verifier *regexp.Regexp
	}{
		{"callback auto", true, "http://client.example/cb?x=1", regexp.MustCompile(`^[0-9a-f]{16}$`)},
		{"oob auto", true, "oob", regexp.MustCompile(`^\d{3}-\d{3}-\d{3}$`)},
		{"oob form", false, "oob", regexp.MustCompile(`^\d{3}-\d{3}-\d{3}$`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, base := newTestServer(t, Config{AutoApprove: tc.auto, Fullname: "Test Person", UserNSID: "99999999@N05"})
			c := newClient(t, base, srv, "")
			u := base + "/services/oauth/request_token"
			// the callback travels in the query, as python-flickrapi sends it
			q := url.Values{"oauth_callback": {tc.callback}}
			req, _ := http.NewRequest("POST", u+"?"+q.Encode(), nil)
			req.Header.Set("Authorization", c.authHeader("POST", u, q, nil))
			status, body := do(t, req)
			if status != 200 {
				t.Fatalf("request_token: %d %s", status, body)
			}
			v, _ := url.ParseQuery(body)
			if !regexp.MustCompile(`^oauth_callback_confirmed=true&oauth_token=72157\d{12}-[0-9a-f]{16}&oauth_token_secret=[0-9a-f]{16}$`).MatchString(body) {
				t.Fatalf("request_token body %q", body)
			}
			reqTok, reqSec := v.Get("oauth_token"), v.Get("oauth_token_secret")

			noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			authURL := base + "/services/oauth/authorize?oauth_token=" + reqTok + "&perms=write"
			resp, err := noRedirect.Get(authURL)
			if err != nil {
				t.Fatal(err)
			}
			page := readAll(t, resp)
			if !tc.auto {
				if !strings.Contains(page, "Approve") || strings.Contains(page, "-") && regexp.MustCompile(`\d{3}-\d{3}-\d{3}`).MatchString(page) {
					t.Fatalf("expected an approval form, got %s", page)
				}
				resp, err = noRedirect.PostForm(base+"/services/oauth/authorize", url.Values{"oauth_token": {reqTok}, "perms": {"write"}, "approve": {"1"}})
				if err != nil {
					t.Fatal(err)
				}
				page = readAll(t, resp)
			}
			var verifier string
			if tc.callback == "oob" {
				verifier = regexp.MustCompile(`\d{3}-\d{3}-\d{3}`).FindString(page)
			} else {
				if resp.StatusCode != http.StatusFound {
					t.Fatalf("authorize: %d", resp.StatusCode)
				}
				loc, _ := url.Parse(resp.Header.Get("Location"))
				if loc.Host != "client.example" || loc.Query().Get("x") != "1" || loc.Query().Get("oauth_token") != reqTok {
					t.Fatalf("redirect %s", loc)
				}
				verifier = loc.Query().Get("oauth_verifier")
			}
			if !tc.verifier.MatchString(verifier) {
				t.Fatalf("verifier %q", verifier)
			}

			c.token, c.tokenSecret = reqTok, reqSec
			u = base + "/services/oauth/access_token"
			// wrong verifier first
			req, _ = http.NewRequest("POST", u, nil)
			req.Header.Set("Authorization", c.authHeader("POST", u, nil, map[string]string{"oauth_verifier": "000-000-000x"}))
			if status, body := do(t, req); status != 401 || body != "oauth_problem=verifier_invalid" {
				t.Fatalf("wrong verifier: %d %s", status, body)
			}
			req, _ = http.NewRequest("POST", u, nil)
			req.Header.Set("Authorization", c.authHeader("POST", u, nil, map[string]string{"oauth_verifier": verifier}))
			status, body = do(t, req)
			if status != 200 {
				t.Fatalf("access_token: %d %s", status, body)
			}
			if !regexp.MustCompile(`^fullname=Test%20Person&oauth_token=72157\d{12}-[0-9a-f]{16}&oauth_token_secret=[0-9a-f]{16}&user_nsid=99999999%40N05&username=Test%20User$`).MatchString(body) {
				t.Fatalf("access_token body %q", body)
			}
			v, _ = url.ParseQuery(body)
			c.token, c.tokenSecret = v.Get("oauth_token"), v.Get("oauth_token_secret")
			x := c.ok("flickr.auth.oauth.checkToken", nil)
			if x.one("perms").Text != "write" || x.one("token").Text != c.token || x.one("user").attr("nsid") != "99999999@N05" {
				t.Fatalf("checkToken %+v", x)
			}
			// the request token is spent
			c.token, c.tokenSecret = reqTok, reqSec
			req, _ = http.NewRequest("POST", u, nil)
			req.Header.Set("Authorization", c.authHeader("POST", u, nil, map[string]string{"oauth_verifier": verifier}))
			if status, body := do(t, req); status != 401 || body != "oauth_problem=token_rejected" {
				t.Fatalf("reused request token: %d %s", status, body)
			}
		})
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

func TestOAuthFailures(t *testing.T) {
	srv, base := newTestServer(t, Config{})
	good := newClient(t, base, srv, "read")
	for _, tc := range []struct {
		name   string
		mutate func(c *tclient)
		header func(h string) string
		status int
		body   *regexp.Regexp
	}{
		{"wrong consumer secret", func(c *tclient) { c.secret = "nope" }, nil, 401,
			regexp.MustCompile(`^oauth_problem=signature_invalid&debug_sbs=POST&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fservices%2Frest%2F&method%3Dflickr\.test\.login%26oauth_consumer_key%3D` + testKey + `%26oauth_nonce%3D[^&]+%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D\d+%26oauth_token%3D[0-9-a-f]+%26oauth_version%3D1\.0$`)},
		{"wrong token secret", func(c *tclient) { c.tokenSecret = "nope" }, nil, 401, regexp.MustCompile(`^oauth_problem=signature_invalid&debug_sbs=POST&`)},
		{"unknown token", func(c *tclient) { c.token = "72157000000000000-0000000000000000" }, nil, 401, regexp.MustCompile(`^oauth_problem=token_rejected$`)},
		{"no token", func(c *tclient) { c.token = "" }, nil, 400, regexp.MustCompile(`^oauth_problem=parameter_absent&oauth_parameters_absent=oauth_token$`)},
		{"no nonce", nil, func(h string) string { return regexp.MustCompile(`oauth_nonce="[^"]*", `).ReplaceAllString(h, "") }, 400,
			regexp.MustCompile(`^oauth_problem=parameter_absent&oauth_parameters_absent=oauth_nonce$`)},
		{"unknown consumer", func(c *tclient) { c.key = "ffffffffffffffffffffffffffffffff" }, nil, 401, regexp.MustCompile(`^oauth_problem=consumer_key_unknown$`)},
		{"old timestamp", func(c *tclient) { c.ts = func() int64 { return time.Now().Add(-3 * time.Hour).Unix() } }, nil, 400,
			regexp.MustCompile(`^oauth_problem=timestamp_refused&oauth_acceptable_timestamps=\d+-\d+$`)},
		{"plaintext", nil, func(h string) string { return strings.Replace(h, "HMAC-SHA1", "PLAINTEXT", 1) }, 400, regexp.MustCompile(`^oauth_problem=signature_method_rejected$`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &tclient{t: t, base: base, key: good.key, secret: good.secret, token: good.token, tokenSecret: good.tokenSecret}
			if tc.mutate != nil {
				tc.mutate(c)
			}
			u := base + "/services/rest/"
			v := url.Values{"method": {"flickr.test.login"}}
			req, _ := http.NewRequest("POST", u, strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			h := c.authHeader("POST", u, v, nil)
			if tc.header != nil {
				h = tc.header(h)
			}
			req.Header.Set("Authorization", h)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body := readAll(t, resp)
			if resp.StatusCode != tc.status || !tc.body.MatchString(body) {
				t.Fatalf("got %d %q", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/plain;charset=UTF-8" {
				t.Fatalf("content-type %q", ct)
			}
			if strings.Contains(body, testSecret) || strings.Contains(body, good.tokenSecret) {
				t.Fatalf("secret echoed: %s", body)
			}
		})
	}
	t.Run("nonce reuse", func(t *testing.T) {
		u := base + "/services/rest/"
		v := url.Values{"method": {"flickr.test.login"}}
		h := good.authHeader("POST", u, v, nil)
		for i, want := range []int{200, 401} {
			req, _ := http.NewRequest("POST", u, strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", h)
			status, body := do(t, req)
			if status != want || i == 1 && body != "oauth_problem=nonce_used" {
				t.Fatalf("attempt %d: %d %s", i, status, body)
			}
		}
	})
}

// TestSignatureLocations signs the same call with oauth_* in the query and in the form
// body instead of the header; all must verify.
func TestSignatureLocations(t *testing.T) {
	srv, base := newTestServer(t, Config{})
	c := newClient(t, base, srv, "read")
	u := base + "/services/rest"
	for _, where := range []string{"query", "body"} {
		t.Run(where, func(t *testing.T) {
			v := url.Values{"method": {"flickr.test.login"}, "oauth_consumer_key": {testKey}, "oauth_token": {c.token},
				"oauth_nonce": {where + "-nonce"}, "oauth_timestamp": {strconv.FormatInt(time.Now().Unix(), 10)},
				"oauth_signature_method": {"HMAC-SHA1"}, "oauth_version": {"1.0"}}
			v.Set("oauth_signature", oauth1.Sign(oauth1.BaseString("POST", u, v), testSecret, c.tokenSecret))
			var req *http.Request
			if where == "query" {
				req, _ = http.NewRequest("POST", u+"?"+v.Encode(), nil)
			} else {
				req, _ = http.NewRequest("POST", u, strings.NewReader(v.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			status, body := do(t, req)
			x := mustOK(t, status, body)
			if x.one("username").Text != "Test User" {
				t.Fatalf("login %+v", x)
			}
		})
	}
}

// TestFlickrapiShapedVector checks the emulator accepts API.md's flickrapi-shaped signed
// getPhotos call (signature computed independently with Python's HMAC).
func TestFlickrapiShapedVector(t *testing.T) {
	srv, err := Open(Config{APIKey: "768fe946d252b119746fda82e1599980", APISecret: "1a3c208e172d3edc", TimestampWindow: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv.st.Tokens["72157626318069415-087bfc7b5816092c"] = &token{Token: "72157626318069415-087bfc7b5816092c",
		Secret: "a202d1f853ec69de", Access: true, Perms: "read"}
	form := url.Values{"method": {"flickr.people.getPhotos"}, "format": {"rest"}, "nojsoncallback": {"1"},
		"user_id": {"me"}, "extras": {"date_upload,date_taken,original_format,tags,machine_tags,url_o"},
		"per_page": {"500"}, "page": {"1"}, "min_upload_date": {"0"}}
	req := httptest.NewRequest("POST", "http://127.0.0.1:8080/services/rest/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", `OAuth oauth_nonce="95613465", oauth_timestamp="1305586162", oauth_version="1.0", `+
		`oauth_signature_method="HMAC-SHA1", oauth_consumer_key="768fe946d252b119746fda82e1599980", `+
		`oauth_token="72157626318069415-087bfc7b5816092c", oauth_signature="FVgseHkRbT6Yn0vMKWJBCGvhkts%3D"`)
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	x := mustOK(t, rec.Code, rec.Body.String())
	if x.XMLName.Local != "photos" || x.attr("total") != "0" || x.attr("pages") != "0" {
		t.Fatalf("got %s", rec.Body.String())
	}
}

func TestPermissions(t *testing.T) {
	srv, base := newTestServer(t, Config{})
	id, err := srv.AddPhoto(SeedPhoto{Title: "x", Private: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		perms, method string
		args          map[string]string
		msg           string
	}{
		{"", "flickr.test.login", nil, "Insufficient permissions. Method requires read privileges; none granted."},
		{"read", "flickr.photos.addTags", map[string]string{"photo_id": id, "tags": "a"}, "Insufficient permissions. Method requires write privileges; read granted."},
		{"write", "flickr.photos.delete", map[string]string{"photo_id": id}, "Insufficient permissions. Method requires delete privileges; write granted."},
		{"read", "flickr.photosets.create", map[string]string{"title": "t", "primary_photo_id": id}, "Insufficient permissions. Method requires write privileges; read granted."},
	} {
		t.Run(tc.method+"/"+tc.perms, func(t *testing.T) {
			c := newClient(t, base, srv, tc.perms)
			if tc.perms == "" {
				c.key = ""
				tc.args = map[string]string{"api_key": testKey}
			}
			if msg := c.fail(tc.method, tc.args, "99"); msg != tc.msg {
				t.Fatalf("msg %q", msg)
			}
		})
	}
	// api key problems
	c := &tclient{t: t, base: base}
	mustFailCode(t, c, "flickr.test.echo", map[string]string{"api_key": "bad"}, "100", "Invalid API Key (Key has invalid format)")
	mustFailCode(t, c, "flickr.test.echo", map[string]string{"api_key": "ffffffffffffffffffffffffffffffff"}, "100", "Invalid API Key (Key not found)")
	mustFailCode(t, c, "flickr.photos.nope", map[string]string{"api_key": testKey}, "112", `Method "flickr.photos.nope" not found`)
	mustFailCode(t, c, "flickr.test.echo", map[string]string{"api_key": testKey, "format": "soap"}, "111", `Format "soap" not found`)
	mustFailCode(t, c, "flickr.test.echo", map[string]string{"api_key": testKey, "api_sig": "abc"}, "96", "Invalid signature")
	mustFailCode(t, c, "flickr.auth.oauth.checkToken", map[string]string{"api_key": testKey}, "97", "Missing signature")
	mustFailCode(t, c, "flickr.test.login", map[string]string{"api_key": testKey, "auth_token": "x"}, "98", "Invalid auth token")
}

func mustFailCode(t *testing.T, c *tclient, method string, args map[string]string, code, msg string) {
	t.Helper()
	status, body := c.rest(method, args)
	if got := mustFail(t, status, body, code); got != msg {
		t.Fatalf("%s: msg %q, want %q", method, got, msg)
	}
}

// TestRevokedToken: a token the member withdrew (Flickr's page of allowed apps) is
// refused as an unknown one, on every call, with the state kept on disk.
func TestRevokedToken(t *testing.T) {
	dir := t.TempDir()
	srv, base := newTestServer(t, Config{StateDir: dir})
	c := newClient(t, base, srv, "write")
	c.ok("flickr.test.login", nil)
	if !srv.RevokeToken(c.token) {
		t.Fatal("the token was not found")
	}
	if srv.RevokeToken(c.token) {
		t.Error("a token was revoked twice")
	}
	for _, method := range []string{"flickr.test.login", "flickr.people.getPhotos"} {
		if status, body := c.rest(method, map[string]string{"user_id": "me"}); status != 401 || body != "oauth_problem=token_rejected" {
			t.Errorf("%s with a revoked token: %d %q", method, status, body)
		}
	}
	srv.Close()
	_, base2 := newTestServer(t, Config{StateDir: dir})
	c.base = base2
	if status, body := c.rest("flickr.test.login", nil); status != 401 || body != "oauth_problem=token_rejected" {
		t.Errorf("after a restart, the revoked token: %d %q", status, body)
	}
}
