package emulator

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/oauth1"
)

const (
	testKey    = "0123456789abcdef0123456789abcdef"
	testSecret = "topsecret"
)

// newTestServer starts an emulator on loopback for one test.
func newTestServer(t testing.TB, cfg Config) (*Server, string) {
	t.Helper()
	cfg.APIKey, cfg.APISecret = testKey, testSecret
	if cfg.Username == "" {
		cfg.Username = "Test User"
	}
	srv, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return srv, hs.URL
}

// tclient signs requests the way an OAuth 1.0a client does (header form).
type tclient struct {
	t                  testing.TB
	base               string
	key, secret        string
	token, tokenSecret string
	nonce              atomic.Int64
	ts                 func() int64
}

func newClient(t testing.TB, base string, srv *Server, perms string) *tclient {
	c := &tclient{t: t, base: base, key: testKey, secret: testSecret}
	if perms != "" {
		c.token, c.tokenSecret = srv.IssueToken(perms)
	}
	return c
}

func (c *tclient) authHeader(method, rawURL string, params url.Values, extra map[string]string) string {
	o := map[string]string{
		"oauth_consumer_key":     c.key,
		"oauth_nonce":            fmt.Sprintf("n%d-%d", time.Now().UnixNano(), c.nonce.Add(1)),
		"oauth_signature_method": "HMAC-SHA1",
		"oauth_timestamp":        strconv.FormatInt(time.Now().Unix(), 10),
		"oauth_version":          "1.0",
	}
	if c.ts != nil {
		o["oauth_timestamp"] = strconv.FormatInt(c.ts(), 10)
	}
	if c.token != "" {
		o["oauth_token"] = c.token
	}
	for k, v := range extra {
		o[k] = v
	}
	all := url.Values{}
	for k, vs := range params {
		all[k] = append(all[k], vs...)
	}
	for k, v := range o {
		all.Set(k, v)
	}
	o["oauth_signature"] = oauth1.Sign(oauth1.BaseString(method, rawURL, all), c.secret, c.tokenSecret)
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=\"" + oauth1.Encode(o[k]) + "\""
	}
	return "OAuth " + strings.Join(parts, ", ")
}

// rest POSTs a form-encoded REST call, signed when the client has credentials.
func (c *tclient) rest(method string, params map[string]string) (int, string) {
	c.t.Helper()
	v := url.Values{"method": {method}}
	for k, x := range params {
		v.Set(k, x)
	}
	u := c.base + "/services/rest/"
	req, _ := http.NewRequest("POST", u, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c.key != "" {
		req.Header.Set("Authorization", c.authHeader("POST", u, v, nil))
	}
	return do(c.t, req)
}

func do(t testing.TB, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// upload sends a multipart upload; every field but photo is signed.
func (c *tclient) upload(params map[string]string, filename string, data []byte) (int, string) {
	c.t.Helper()
	req, _ := multipartReq(c.t, c, c.base+"/services/upload/", params, filename, data)
	return do(c.t, req)
}

func multipartReq(t testing.TB, c *tclient, u string, params map[string]string, filename string, data []byte) (*http.Request, []byte) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if data != nil {
		fw, _ := mw.CreateFormFile("photo", filename)
		fw.Write(data)
	}
	v := url.Values{}
	for k, x := range params {
		v.Set(k, x)
		mw.WriteField(k, x)
	}
	mw.Close()
	raw := body.Bytes()
	req, _ := http.NewRequest("POST", u, bytes.NewReader(raw))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", c.authHeader("POST", u, v, nil))
	return req, raw
}

// xnode is a generic parsed XML element.
type xnode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []xnode    `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (x xnode) attr(k string) string {
	for _, a := range x.Attrs {
		if a.Name.Local == k {
			return a.Value
		}
	}
	return ""
}

func (x xnode) all(name string) []xnode {
	var out []xnode
	for _, c := range x.Children {
		if c.XMLName.Local == name {
			out = append(out, c)
		}
	}
	return out
}

func (x xnode) one(name string) xnode {
	for _, c := range x.Children {
		if c.XMLName.Local == name {
			return c
		}
	}
	return xnode{}
}

func parseXML(t testing.TB, body string) xnode {
	t.Helper()
	var x xnode
	if err := xml.Unmarshal([]byte(body), &x); err != nil {
		t.Fatalf("parse %q: %v", body, err)
	}
	return x
}

// mustOK parses an ok envelope and returns its first payload element.
func mustOK(t testing.TB, status int, body string) xnode {
	t.Helper()
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	x := parseXML(t, body)
	if x.attr("stat") != "ok" {
		t.Fatalf("not ok: %s", body)
	}
	if len(x.Children) == 0 {
		return xnode{}
	}
	return x.Children[0]
}

// mustFail checks an HTTP 200 stat=fail envelope with the given code.
func mustFail(t testing.TB, status int, body string, code string) string {
	t.Helper()
	x := parseXML(t, body)
	if status != 200 || x.attr("stat") != "fail" || x.one("err").attr("code") != code {
		t.Fatalf("want fail code %s, got %d %s", code, status, body)
	}
	return x.one("err").attr("msg")
}

func testJPEG(t testing.TB, seed int64) []byte {
	t.Helper()
	b, err := tinyJPEG(seed)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ok makes a REST call that must succeed and returns its first payload element.
func (c *tclient) ok(method string, args map[string]string) xnode {
	c.t.Helper()
	status, body := c.rest(method, args)
	return mustOK(c.t, status, body)
}

// fail makes a REST call that must fail with code and returns the message.
func (c *tclient) fail(method string, args map[string]string, code string) string {
	c.t.Helper()
	status, body := c.rest(method, args)
	return mustFail(c.t, status, body, code)
}

// uploadOK uploads and returns the <photoid> or <ticketid> element.
func (c *tclient) uploadOK(params map[string]string, filename string, data []byte) xnode {
	c.t.Helper()
	status, body := c.upload(params, filename, data)
	return mustOK(c.t, status, body)
}

func mustQuery(s string) url.Values {
	v, err := url.ParseQuery(s)
	if err != nil {
		panic(err)
	}
	return v
}

// testClock is a settable clock for Config.Clock, safe to move while handlers read it.
type testClock struct{ sec atomic.Int64 }

func newTestClock(t time.Time) *testClock {
	c := &testClock{}
	c.sec.Store(t.Unix())
	return c
}

func (c *testClock) Now() time.Time      { return time.Unix(c.sec.Load(), 0) }
func (c *testClock) Add(d time.Duration) { c.sec.Add(int64(d / time.Second)) }
