package flickr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRESTCallShape(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		r := c.Request
		if r.Method != http.MethodPost || c.Form.Get("format") != "json" || c.Form.Get("nojsoncallback") != "1" {
			t.Errorf("request %s %v", r.Method, c.Form)
		}
		if r.URL.RawQuery != "" {
			t.Errorf("parameters in the query: %s", r.URL.RawQuery)
		}
		if c.OAuth.Get("oauth_token") != testToken || c.OAuth.Get("oauth_signature_method") != "HMAC-SHA1" || c.OAuth.Get("oauth_version") != "1.0" {
			t.Errorf("oauth params %v", c.OAuth)
		}
		writeJSON(w, `{"user":{"id":"78733179@N04", "username":{"_content":"@janko-m"}}, "stat":"ok"}`)
	})
	var debug bytes.Buffer
	c, _ := f.client(func(cfg *Config) { cfg.Debug = &debug })
	u, err := c.TestLogin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if u.NSID != "78733179@N04" || u.Username != "@janko-m" {
		t.Errorf("got %+v", u)
	}
	for _, secret := range []string{testSecret, testToken, testTokenSecret, "oauth_signature"} {
		if strings.Contains(debug.String(), secret) {
			t.Errorf("debug log shows %q: %s", secret, debug.String())
		}
	}
	if !strings.Contains(debug.String(), "flickr.test.login") {
		t.Errorf("debug log lacks the call: %q", debug.String())
	}
	if n := f.count("flickr.test.login"); n != 1 {
		t.Errorf("%d requests", n)
	}
}

func TestCheckToken(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		if c.API != "flickr.auth.oauth.checkToken" || len(c.OAuth["oauth_token"]) != 1 || c.OAuth.Get("oauth_token") != testToken {
			t.Errorf("call %s %v", c.API, c.Form)
		}
		writeJSON(w, `{"oauth":{"token":{"_content":"`+testToken+`"},"perms":{"_content":"write"},"user":{"nsid":"1121451801@N07","username":"jamalf","fullname":"Jamal F"}},"stat":"ok"}`)
	})
	c, _ := f.client(nil)
	info, err := c.CheckToken(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if info.Perms != "write" || info.User != (User{"1121451801@N07", "jamalf", "Jamal F"}) {
		t.Errorf("got %+v", info)
	}
}

// photoJSON renders one getPhotos photo with mixed number typing, as Flickr does.
func photoJSON(id int) string {
	return fmt.Sprintf(`{"id":"%d","secret":"5%d","server":"7392","farm":8,"title":"IMG_%d.jpg","ispublic":0,`+
		`"isfriend":"0","isfamily":0,"dateupload":"%d","datetaken":"2013-10-06 14:06:41","datetakengranularity":"0",`+
		`"datetakenunknown":%d,"originalsecret":"0%d","originalformat":"jpg","lastupdate":%d,`+
		`"tags":"foo flickrsync:signature=%x","machine_tags":"flickrsync:signature=%x","url_o":"https:\/\/live.staticflickr.com\/7392\/%d_0%d_o.jpg",`+
		`"media":"photo","media_status":"ready","pathalias":null}`, id, id, id, 1381061206+id, id%2, id, 1381067365+id, id, id, id, id)
}

func TestPeopleGetPhotosPaging(t *testing.T) {
	const pages = 3
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		if c.API != "flickr.people.getPhotos" {
			t.Errorf("call %s", c.API)
		}
		want := map[string]string{"user_id": "me", "per_page": "500", "min_upload_date": "1300000000",
			"extras": "date_upload,date_taken,original_format,tags,machine_tags,url_o,media,last_update"}
		for k, v := range want {
			if c.Form.Get(k) != v {
				t.Errorf("%s = %q, want %q", k, c.Form.Get(k), v)
			}
		}
		page := c.Form.Get("page")
		var ps []string
		switch page {
		case "1":
			ps = []string{photoJSON(1), photoJSON(2)}
		case "2":
			ps = []string{photoJSON(2), photoJSON(3)} // 2 moved down a page while listing
		case "3":
			ps = []string{photoJSON(4)}
		default:
			// Flickr answers past the last page with photos again: a client that reads
			// "until empty" never stops.
			ps = []string{photoJSON(1)}
		}
		writeJSON(w, fmt.Sprintf(`{"photos":{"page":%s,"pages":"%d","perpage":500,"total":"5","photo":[%s]},"stat":"ok"}`,
			page, pages, strings.Join(ps, ",")))
	})
	c, _ := f.client(nil)
	var progress []int
	var photos []Photo
	err := c.WalkPeoplePhotos(t.Context(), ListOptions{MinUploadDate: 1300000000}, func(p PhotoPage) error {
		progress = append(progress, p.Page)
		photos = append(photos, p.Photos...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range photos {
		ids = append(ids, p.ID)
	}
	if strings.Join(ids, ",") != "1,2,2,3,4" {
		t.Errorf("ids %v", ids)
	}
	if fmt.Sprint(progress) != "[1 2 3]" || f.count("flickr.people.getPhotos") != pages {
		t.Errorf("progress %v, %d requests", progress, f.count("flickr.people.getPhotos"))
	}
	p := photos[0]
	want := Photo{ID: "1", Secret: "51", OriginalSecret: "01", OriginalFormat: "jpg", Title: "IMG_1.jpg",
		DateUpload: 1381061207, DateTaken: "2013-10-06 14:06:41", DateTakenUnknown: true, LastUpdate: 1381067366,
		Tags: []string{"foo", "flickrsync:signature=1"}, MachineTags: []string{"flickrsync:signature=1"},
		URLO: "https://live.staticflickr.com/7392/1_01_o.jpg", Media: "photo"}
	if fmt.Sprintf("%+v", p) != fmt.Sprintf("%+v", want) {
		t.Errorf("photo\n got %+v\nwant %+v", p, want)
	}

	// WalkPeoplePhotos stops when fn fails.
	stop := errors.New("stop")
	n := 0
	err = c.WalkPeoplePhotos(t.Context(), ListOptions{MinUploadDate: 1300000000}, func(PhotoPage) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("walk: %v after %d pages", err, n)
	}
}

func TestEmptyListIsOneRequest(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		if c.Form.Get("machine_tags") != "flickrsync:signature=abc" || c.Form.Get("user_id") != "me" {
			t.Errorf("search %v", c.Form)
		}
		writeXML(w, `<photos page="1" pages="0" perpage="100" total="0" />`)
	})
	c, _ := f.client(nil)
	ps, err := c.SearchBySignature(t.Context(), "abc")
	if err != nil || len(ps) != 0 || f.count("flickr.photos.search") != 1 {
		t.Errorf("got %v, %v after %d requests", ps, err, f.count("flickr.photos.search"))
	}
}

// TestErrorsAndRetries drives the classifier through every kind of failure.
func TestErrorsAndRetries(t *testing.T) {
	tests := []struct {
		name      string
		fail      func(w http.ResponseWriter) // the answer of the first failures
		failures  int                         // how many requests fail before success
		wantCalls int
		check     func(t *testing.T, err error)
		wantSleep time.Duration // a sleep at least this long must have happened
	}{
		{"stat fail code 1 not retried", func(w http.ResponseWriter) {
			writeJSON(w, `{"stat":"fail","code":1,"message":"Photo \"1\" not found (invalid ID)"}`)
		}, 9, 1, func(t *testing.T, err error) {
			var fe *Error
			if !errors.As(err, &fe) || fe.Code != 1 || fe.Method != "flickr.photos.getInfo" || fe.Message != `Photo "1" not found (invalid ID)` || !IsCode(err, CodeNotFound) {
				t.Errorf("got %#v", err)
			}
		}, 0},
		{"code 105 retried", func(w http.ResponseWriter) {
			writeJSON(w, `{"stat":"fail","code":"105","message":"Service currently unavailable"}`)
		}, 2, 3, nil, 0},
		{"first answer good", nil, 0, 1, nil, 0},
		{"code 201 gives up", func(w http.ResponseWriter) {
			writeJSON(w, `{"stat":"fail","code":201,"message":"Sorry, the Flickr API service is not currently available."}`)
		}, 9, 4, func(t *testing.T, err error) {
			if !IsCode(err, 201) || !strings.Contains(err.Error(), "gave up after 4 attempts") {
				t.Errorf("got %v", err)
			}
		}, 0},
		{"401 signature_invalid not retried", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
			w.WriteHeader(401)
			io.WriteString(w, "oauth_problem=signature_invalid&debug_sbs=POST&x%26oauth_token%3D"+testToken)
		}, 9, 1, func(t *testing.T, err error) {
			var oe *OAuthError
			if !errors.As(err, &oe) || oe.Problem != "signature_invalid" || oe.Status != 401 {
				t.Errorf("got %#v", err)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("error shows the token: %v", err)
			}
			if !IsAuthError(err) {
				t.Errorf("not an auth error: %v", err)
			}
		}, 0},
		{"400 parameter_absent not retried", func(w http.ResponseWriter) {
			w.WriteHeader(400)
			io.WriteString(w, "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_token")
		}, 9, 1, func(t *testing.T, err error) {
			var oe *OAuthError
			if !errors.As(err, &oe) || oe.Problem != "parameter_absent" || oe.ParametersAbsent != "oauth_token" {
				t.Errorf("got %#v", err)
			}
		}, 0},
		{"429 honours Retry-After", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "7")
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(429)
			io.WriteString(w, "<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.\n</body></html>")
		}, 1, 2, nil, 7 * time.Second},
		{"429 asking for hours ends the call", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "7200")
			w.WriteHeader(429)
		}, 9, 1, func(t *testing.T, err error) {
			var he *HTTPError
			if !errors.As(err, &he) || he.Status != 429 || he.RetryAfter != 2*time.Hour {
				t.Errorf("got %#v", err)
			}
		}, 0},
		{"500 retried", func(w http.ResponseWriter) {
			w.WriteHeader(500)
		}, 3, 4, nil, 0},
		{"502 gives up", func(w http.ResponseWriter) {
			w.WriteHeader(502)
		}, 9, 4, func(t *testing.T, err error) {
			var he *HTTPError
			if !errors.As(err, &he) || he.Status != 502 {
				t.Errorf("got %#v", err)
			}
		}, 0},
		{"nonce_used retried", func(w http.ResponseWriter) {
			w.WriteHeader(401)
			io.WriteString(w, "oauth_problem=nonce_used")
		}, 1, 2, nil, 0},
		{"code 98 not retried", func(w http.ResponseWriter) {
			writeJSON(w, `{"stat":"fail","code":98,"message":"Invalid auth token"}`)
		}, 9, 1, func(t *testing.T, err error) {
			if !IsAuthError(err) {
				t.Errorf("code 98 is not an auth error: %v", err)
			}
		}, 0},
		{"404 not retried", func(w http.ResponseWriter) {
			w.WriteHeader(404)
		}, 9, 1, nil, 0},
		{"HTML 200 is a bad response", func(w http.ResponseWriter) {
			io.WriteString(w, "Service Unavailable, try later")
		}, 9, 1, func(t *testing.T, err error) {
			if !errors.Is(err, ErrBadResponse) {
				t.Errorf("got %v", err)
			}
		}, 0},
		{"dropped connection retried", nil, 2, 3, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, nil)
			f.handle = func(w http.ResponseWriter, c *fakeCall) {
				if c.N <= tc.failures {
					if tc.fail == nil {
						hangUp(t, w)
						return
					}
					tc.fail(w)
					return
				}
				writeJSON(w, `{"photo":{"id":"1","secret":"a","dates":{"posted":"1300000005","taken":"2001-01-01 00:00:00","takenunknown":0,"lastupdate":"1300000006"},"title":{"_content":"t"},"tags":{"tag":[]}},"stat":"ok"}`)
			}
			c, sleeps := f.client(func(cfg *Config) { cfg.MaxAttempts = 4 })
			info, err := c.PhotosGetInfo(t.Context(), "1")
			if got := f.count("flickr.photos.getInfo"); got != tc.wantCalls {
				t.Errorf("%d requests, want %d", got, tc.wantCalls)
			}
			if tc.failures < tc.wantCalls {
				if err != nil || info.ID != "1" || info.DateUpload != 1300000005 {
					t.Errorf("got %+v, %v", info, err)
				}
			} else if err == nil {
				t.Errorf("no error")
			}
			if tc.check != nil {
				tc.check(t, err)
			}
			var longest time.Duration
			for _, d := range *sleeps {
				longest = max(longest, d)
			}
			if longest < tc.wantSleep {
				t.Errorf("sleeps %v, want one of at least %s", *sleeps, tc.wantSleep)
			}
		})
	}
}

func TestTimeoutIsRetried(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		if c.N == 1 {
			select { // never answer the first request
			case <-release:
			case <-c.Request.Context().Done():
			}
			return
		}
		writeJSON(w, `{"user":{"id":"1@N01","username":{"_content":"u"}},"stat":"ok"}`)
	})
	c, _ := f.client(func(cfg *Config) { cfg.Timeout = 50 * time.Millisecond })
	if _, err := c.TestLogin(t.Context()); err != nil || f.count("flickr.test.login") != 2 {
		t.Errorf("err %v after %d requests", err, f.count("flickr.test.login"))
	}
}

func TestCancelStopsRetries(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) { w.WriteHeader(503) })
	c, _ := f.client(nil)
	ctx, cancel := context.WithCancel(t.Context())
	c.sleep = func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }
	_, err := c.TestLogin(ctx)
	if !errors.Is(err, context.Canceled) || f.count("flickr.test.login") != 1 {
		t.Errorf("got %v after %d requests", err, f.count("flickr.test.login"))
	}
	if !strings.Contains(err.Error(), "503") {
		t.Errorf("the last attempt's error is lost: %v", err)
	}
}

func TestLimiter(t *testing.T) {
	now := time.Unix(1700000000, 0)
	l := newLimiter(3600, 3)
	l.now = func() time.Time { return now }
	var waits []time.Duration
	for range 5 {
		waits = append(waits, l.reserve())
	}
	if fmt.Sprint(waits) != "[0s 0s 0s 1s 2s]" {
		t.Errorf("waits %v", waits)
	}
	now = now.Add(10 * time.Second) // refills 10 tokens, capped at the burst
	waits = waits[:0]
	for range 4 {
		waits = append(waits, l.reserve())
	}
	// 2 tokens were owed: 10 - 2 = 8 > burst 3, so 3 free then a wait.
	if fmt.Sprint(waits) != "[0s 0s 0s 1s]" {
		t.Errorf("after refill: waits %v", waits)
	}
	l.cancel()
	if w := l.reserve(); w != time.Second {
		t.Errorf("a cancelled reservation is not given back: %v", w)
	}
	unlimited := newLimiter(-1, 1)
	unlimited.now = l.now
	if w := unlimited.reserve(); w != 0 {
		t.Errorf("unlimited waits %v", w)
	}
	// A 429's Retry-After holds back every caller, limited or not.
	for _, lim := range []*limiter{l, unlimited} {
		lim.pause(30 * time.Second)
		lim.pause(5 * time.Second) // a shorter pause does not shorten the first
		if w := lim.reserve(); w != 30*time.Second {
			t.Errorf("after pause: wait %v", w)
		}
	}
	now = now.Add(31 * time.Second)
	if w := unlimited.reserve(); w != 0 {
		t.Errorf("after the pause ended: wait %v", w)
	}
}

func TestClientPacesCalls(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) { writeJSON(w, `{"stat":"ok"}`) })
	c, sleeps := f.client(func(cfg *Config) { cfg.RateLimit = 3600; cfg.RateBurst = 2 })
	now := time.Unix(1700000000, 0)
	c.limiter.now = func() time.Time { return now }
	for range 4 {
		if err := c.PhotosAddTags(t.Context(), "1", "a"); err != nil {
			t.Fatal(err)
		}
	}
	if fmt.Sprint(*sleeps) != "[1s 2s]" {
		t.Errorf("sleeps %v", *sleeps)
	}
}

func TestBackoff(t *testing.T) {
	c := mustNew(t, Config{MinBackoff: time.Second, MaxBackoff: 10 * time.Second})
	c.jitter = func(d time.Duration) time.Duration { return d }
	var got []time.Duration
	for n := 1; n <= 6; n++ {
		got = append(got, c.backoff(n))
	}
	if fmt.Sprint(got) != "[1s 2s 4s 8s 10s 10s]" {
		t.Errorf("backoff %v", got)
	}
	for range 100 {
		if d := fullJitter(8 * time.Second); d < 4*time.Second || d > 8*time.Second {
			t.Fatalf("jitter %v out of [4s, 8s]", d)
		}
	}
}

// TestPageAsOfIsFlickrsClock: a listing's AsOf is the answer's Date (Flickr's clock, here
// a day behind this machine's) less the round trip, and zero without a Date.
func TestPageAsOfIsFlickrsClock(t *testing.T) {
	flickrNow := time.Now().Add(-24 * time.Hour).Truncate(time.Second)
	date := flickrNow.UTC().Format(http.TimeFormat)
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		if date != "" {
			w.Header().Set("Date", date)
		} else {
			w.Header()["Date"] = nil // net/http then sends none
		}
		time.Sleep(50 * time.Millisecond)
		writeXML(w, `<photos page="1" pages="1" perpage="500" total="1">`+
			`<photo id="1" secret="5" server="1" farm="1" title="t" ispublic="0" isfriend="0" isfamily="0" /></photos>`)
	})
	c, _ := f.client(nil)
	var got time.Time
	walk := func() {
		t.Helper()
		if err := c.WalkRecentlyUpdated(t.Context(), 1, ListOptions{}, func(p PhotoPage) error {
			got = p.AsOf
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	walk()
	if !got.Before(flickrNow.Add(-50*time.Millisecond)) || got.Before(flickrNow.Add(-10*time.Second)) {
		t.Errorf("AsOf %v, want the Date %v less the round trip (at least 50ms)", got, flickrNow)
	}
	date = ""
	walk()
	if !got.IsZero() {
		t.Errorf("AsOf %v without a Date header, want zero", got)
	}
}
