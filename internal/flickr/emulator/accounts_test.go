package emulator

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// asUser is a client holding a token of the named account.
func asUser(t *testing.T, srv *Server, base, user, perms string) *tclient {
	t.Helper()
	tok, sec, err := srv.IssueTokenFor(user, perms)
	if err != nil {
		t.Fatal(err)
	}
	return &tclient{t: t, base: base, key: testKey, secret: testSecret, token: tok, tokenSecret: sec}
}

func TestAccounts(t *testing.T) {
	srv, base := newTestServer(t, Config{Username: "alice", UserNSID: "11111111@N01",
		Users: []Account{{Username: "bob", NSID: "22222222@N02", Fullname: "Bob B"}}})
	alice, bob := asUser(t, srv, base, "alice", "delete"), asUser(t, srv, base, "bob", "delete")
	{ // test.login and checkToken answer the token's user
		for _, tc := range []struct {
			c          *tclient
			nsid, name string
		}{{alice, "11111111@N01", "alice"}, {bob, "22222222@N02", "bob"}} {
			u := tc.c.ok("flickr.test.login", nil)
			if u.attr("id") != tc.nsid || u.one("username").Text != tc.name {
				t.Fatalf("test.login %+v", u)
			}
			o := tc.c.ok("flickr.auth.oauth.checkToken", nil).one("user")
			if o.attr("nsid") != tc.nsid || o.attr("username") != tc.name {
				t.Fatalf("checkToken %+v", o)
			}
		}
	}
	t.Run("oauth dance as the signed-in member", func(t *testing.T) {
		if err := srv.LogIn("bob"); err != nil {
			t.Fatal(err)
		}
		defer srv.LogIn("alice")
		for _, form := range []url.Values{{}, {"user": {"11111111@N01"}}} {
			c := newClient(t, base, srv, "")
			reqTok, reqSec := getRequestToken(t, c, "oob")
			form.Set("oauth_token", reqTok)
			form.Set("perms", "write")
			form.Set("approve", "1")
			resp, err := http.PostForm(base+"/services/oauth/authorize", form)
			if err != nil {
				t.Fatal(err)
			}
			verifier := regexp.MustCompile(`\d{3}-\d{3}-\d{3}`).FindString(readAll(t, resp))
			got := getAccessToken(t, c, reqTok, reqSec, verifier)
			want := "bob"
			if form.Get("user") != "" {
				want = "alice"
			}
			if got.Get("username") != want {
				t.Fatalf("access token for %v, want %s", got, want)
			}
		}
	})
	// bob's upload is bob's: alice sees it only when public, cannot change it
	priv := bob.uploadOK(map[string]string{"is_public": "0"}, "b1.jpg", testJPEG(t, 1)).Text
	pub := bob.uploadOK(nil, "b2.jpg", testJPEG(t, 2)).Text
	mine := alice.uploadOK(map[string]string{"is_public": "0"}, "a1.jpg", testJPEG(t, 3)).Text
	if n := alice.ok("flickr.people.getPhotos", map[string]string{"user_id": "me"}).attr("total"); n != "1" {
		t.Fatalf("alice's photos: %s", n)
	}
	ps := alice.ok("flickr.people.getPhotos", map[string]string{"user_id": "22222222@N02", "extras": "owner_name"}).all("photo")
	if len(ps) != 1 || ps[0].attr("id") != pub || ps[0].attr("owner") != "22222222@N02" || ps[0].attr("ownername") != "bob" {
		t.Fatalf("bob's photos seen by alice: %+v", ps)
	}
	alice.fail("flickr.photos.getInfo", map[string]string{"photo_id": priv}, "1")
	alice.fail("flickr.photos.delete", map[string]string{"photo_id": pub}, "1")
	alice.fail("flickr.photos.addTags", map[string]string{"photo_id": pub, "tags": "x"}, "1")
	if o := alice.ok("flickr.photos.getInfo", map[string]string{"photo_id": pub}).one("owner"); o.attr("nsid") != "22222222@N02" || o.attr("realname") != "Bob B" {
		t.Fatalf("owner %+v", o)
	}
	// sets are per member
	set := bob.ok("flickr.photosets.create", map[string]string{"title": "bob's", "primary_photo_id": pub}).attr("id")
	alice.fail("flickr.photosets.create", map[string]string{"title": "x", "primary_photo_id": pub}, "2")
	alice.fail("flickr.photosets.delete", map[string]string{"photoset_id": set}, "1")
	if n := alice.ok("flickr.photosets.getList", nil).attr("total"); n != "0" {
		t.Fatalf("alice's sets: %s", n)
	}
	if l := alice.ok("flickr.photosets.getList", map[string]string{"user_id": "22222222@N02"}).all("photoset"); len(l) != 1 || l[0].attr("id") != set {
		t.Fatalf("bob's sets: %+v", l)
	}
	// tag ids carry the owner's number; search by user finds only theirs
	bob.ok("flickr.photos.addTags", map[string]string{"photo_id": pub, "tags": "shared"})
	alice.ok("flickr.photos.addTags", map[string]string{"photo_id": mine, "tags": "shared"})
	if r := alice.ok("flickr.photos.search", map[string]string{"user_id": "me", "tags": "shared"}).all("photo"); len(r) != 1 || r[0].attr("id") != mine {
		t.Fatalf("search: %+v", r)
	}
	if _, _, err := srv.IssueTokenFor("carol", "read"); err == nil {
		t.Fatal("token for an unknown account")
	}
	for _, p := range srv.Photos() {
		if want := map[string]string{priv: "22222222@N02", pub: "22222222@N02", mine: "11111111@N01"}[p.ID]; p.Owner != want {
			t.Fatalf("%s owned by %s", p.ID, p.Owner)
		}
	}
}

func TestFreeAccount(t *testing.T) {
	srv, base := newTestServer(t, Config{Free: true, MaxPhotos: 3})
	c := newClient(t, base, srv, "write")
	id := c.uploadOK(nil, "a.jpg", testJPEG(t, 1)).Text
	vid := c.uploadOK(nil, "v.mp4", testVideo("isom", 5, 1280, 720, 1)).Text
	t.Run("no originals", func(t *testing.T) {
		info := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": id})
		if info.attr("originalsecret") != "" || info.attr("originalformat") != "" {
			t.Fatalf("%+v", info)
		}
		p := c.ok("flickr.people.getPhotos", map[string]string{"user_id": "me", "extras": "original_format,url_o,url_sq"}).all("photo")[1]
		if p.attr("url_o") != "" || p.attr("originalsecret") != "" || p.attr("url_sq") == "" {
			t.Fatalf("%+v", p)
		}
		if got := labels(c.ok("flickr.photos.getSizes", map[string]string{"photo_id": id})); strings.Contains(got, "Original") {
			t.Fatal(got)
		}
		if got := labels(c.ok("flickr.photos.getSizes", map[string]string{"photo_id": vid})); strings.Contains(got, "Original") || !strings.Contains(got, "Site MP4") {
			t.Fatal(got)
		}
		v := srv.Photos()[0]
		if resp, _ := http.Get(base + "/photos/65535/" + id + "_" + v.OriginalSecret + "_o.jpg"); resp.StatusCode != 404 {
			t.Fatalf("original served: %d", resp.StatusCode)
		}
	})
	t.Run("limits", func(t *testing.T) {
		status, body := c.upload(map[string]string{"safety_level": "2"}, "m.jpg", testJPEG(t, 2))
		mustFail(t, status, body, "15")
		c.fail("flickr.photos.setSafetyLevel", map[string]string{"photo_id": id, "safety_level": "3"}, "4")
		c.ok("flickr.photos.setSafetyLevel", map[string]string{"photo_id": id, "safety_level": "1", "hidden": "1"})
		req, _ := multipartReq(t, c, base+"/services/replace/", map[string]string{"photo_id": id}, "r.jpg", testJPEG(t, 3))
		status, body = do(t, req)
		if msg := mustFail(t, status, body, "1"); msg != "Not a pro account" {
			t.Fatal(msg)
		}
		c.uploadOK(nil, "c.jpg", testJPEG(t, 4))
		status, body = c.upload(nil, "d.jpg", testJPEG(t, 5))
		mustFail(t, status, body, "6")
	})
	t.Run("originals before 2022", func(t *testing.T) {
		srv, base := newTestServer(t, Config{Free: true, FreeOriginals: true})
		c := newClient(t, base, srv, "write")
		id := c.uploadOK(nil, "a.jpg", testJPEG(t, 1)).Text
		if got := labels(c.ok("flickr.photos.getSizes", map[string]string{"photo_id": id})); !strings.Contains(got, "Original") {
			t.Fatal(got)
		}
	})
	t.Run("non-public limit", func(t *testing.T) {
		for _, refused := range []bool{false, true} {
			srv, base := newTestServer(t, Config{Free: true, FreeNonPublicRefused: refused})
			c := newClient(t, base, srv, "write")
			for i := 0; i < freeMaxNonPublic; i++ {
				c.uploadOK(map[string]string{"is_public": "0"}, "p.jpg", testJPEG(t, int64(i)))
			}
			status, body := c.upload(map[string]string{"is_public": "0"}, "p.jpg", testJPEG(t, 99))
			if refused {
				mustFail(t, status, body, "6")
			} else {
				mustOK(t, status, body)
			}
			c.uploadOK(nil, "public.jpg", testJPEG(t, 100))
		}
	})
}

// getRequestToken gets a request token with callback cb.
func getRequestToken(t *testing.T, c *tclient, cb string) (tok, secret string) {
	u := c.base + "/services/oauth/request_token"
	q := url.Values{"oauth_callback": {cb}}
	req, _ := http.NewRequest("POST", u+"?"+q.Encode(), nil)
	req.Header.Set("Authorization", c.authHeader("POST", u, q, nil))
	status, body := do(t, req)
	v, _ := url.ParseQuery(body)
	if status != 200 || v.Get("oauth_token") == "" {
		t.Fatalf("request_token: %d %s", status, body)
	}
	return v.Get("oauth_token"), v.Get("oauth_token_secret")
}

// getAccessToken trades an approved request token for an access token's answer.
func getAccessToken(t *testing.T, c *tclient, tok, secret, verifier string) url.Values {
	c.token, c.tokenSecret = tok, secret
	u := c.base + "/services/oauth/access_token"
	req, _ := http.NewRequest("POST", u, nil)
	req.Header.Set("Authorization", c.authHeader("POST", u, nil, map[string]string{"oauth_verifier": verifier}))
	status, body := do(t, req)
	v, _ := url.ParseQuery(body)
	if status != 200 {
		t.Fatalf("access_token: %d %s", status, body)
	}
	return v
}
