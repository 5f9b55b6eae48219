package main

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/oauth1"
)

const testKey = "0123456789abcdef0123456789abcdef"

var nonce int

// signed sends a request signed with the consumer "s" and the token, the fields in the
// query (or, with photo, in a multipart body whose photo is unsigned).
func signed(t *testing.T, method, u string, fields url.Values, tok, tokSecret string, photo []byte) (int, string) {
	t.Helper()
	nonce++
	o := url.Values{"oauth_consumer_key": {testKey}, "oauth_nonce": {fmt.Sprint("n", nonce, time.Now().UnixNano())},
		"oauth_signature_method": {"HMAC-SHA1"}, "oauth_timestamp": {strconv.FormatInt(time.Now().Unix(), 10)}, "oauth_version": {"1.0"}}
	if tok != "" {
		o.Set("oauth_token", tok)
	}
	all := url.Values{}
	for k, v := range fields {
		all[k] = v
	}
	for k, v := range o {
		all[k] = v
	}
	o.Set("oauth_signature", oauth1.Sign(oauth1.BaseString(method, u, all), "s", tokSecret))
	var parts []string
	for k := range o {
		parts = append(parts, k+`="`+oauth1.Encode(o.Get(k))+`"`)
	}
	var req *http.Request
	if photo != nil {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("photo", "x")
		fw.Write(photo)
		for k := range fields {
			mw.WriteField(k, fields.Get(k))
		}
		mw.Close()
		req, _ = http.NewRequest(method, u, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
	} else {
		req, _ = http.NewRequest(method, u+"?"+fields.Encode(), nil)
	}
	req.Header.Set("Authorization", "OAuth "+strings.Join(parts, ", "))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// TestAccountAndMediaFlags: --account and --login-as decide whose token the browser dance
// gives; --free and --refuse-formats reach the uploads.
func TestAccountAndMediaFlags(t *testing.T) {
	base, stop := start(t, "--account", "bob::free", "--login-as", "bob", "--refuse-formats", "webp")
	defer stop()
	status, body := signed(t, "GET", base+"/services/oauth/request_token", url.Values{"oauth_callback": {"oob"}}, "", "", nil)
	req, _ := url.ParseQuery(body)
	if status != 200 {
		t.Fatalf("request_token %d %s", status, body)
	}
	_, page := get(t, "GET", base+"/services/oauth/authorize?perms=write&oauth_token="+req.Get("oauth_token"))
	verifier := regexp.MustCompile(`\d{3}-\d{3}-\d{3}`).FindString(page)
	u := base + "/services/oauth/access_token"
	status, body = signed(t, "GET", u, url.Values{"oauth_verifier": {verifier}}, req.Get("oauth_token"), req.Get("oauth_token_secret"), nil)
	acc, _ := url.ParseQuery(body)
	if status != 200 || acc.Get("username") != "bob" {
		t.Fatalf("access_token %d %s", status, body)
	}
	tok, sec := acc.Get("oauth_token"), acc.Get("oauth_token_secret")
	webp := []byte("RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00\x09\x00\x00\x09\x00\x00")
	if _, body := signed(t, "POST", base+"/services/upload/", url.Values{}, tok, sec, webp); !strings.Contains(body, `code="5"`) {
		t.Fatalf("webp upload: %s", body)
	}
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	if _, body := signed(t, "POST", base+"/services/upload/", url.Values{"safety_level": {"3"}}, tok, sec, gif); !strings.Contains(body, `code="15"`) {
		t.Fatalf("bob is not free: %s", body)
	}
}

func TestAccountFlagErrors(t *testing.T) {
	for _, args := range [][]string{{"--account", ""}, {"--account", "a:b:pro"}, {"--account", "a:b:free:x"}, {"--login-as", "nobody"}} {
		var out, errb strings.Builder
		if code := run(append([]string{"--listen", "127.0.0.1:0"}, args...), &out, &errb, nil); code != 2 || out.Len() != 0 {
			t.Errorf("%v: exit %d, stdout %q", args, code, out.String())
		}
	}
}

// TestHelpDocumentsMediaFlags: --help names the new switches (on stdout or stderr: another
// change moves it to stdout).
func TestHelpDocumentsMediaFlags(t *testing.T) {
	var out, errb strings.Builder
	run([]string{"--help"}, &out, &errb, nil)
	help := out.String() + errb.String()
	for _, want := range []string{"-free", "-account", "-login-as", "-refuse-formats", "-video-processing", "-max-video-duration",
		"-video-uploads-disabled", "-max-videos", "-video-too-long-fails", "-video-original-refused", "-free-originals", "-free-nonpublic-refused"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
