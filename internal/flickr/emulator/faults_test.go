package emulator

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// statuses makes n test.echo calls and records how each was answered.
func statuses(t *testing.T, base string, n int) []string {
	c := &tclient{t: t, base: base}
	var out []string
	for i := 0; i < n; i++ {
		status, body := c.rest("flickr.test.echo", map[string]string{"api_key": testKey})
		tag := http.StatusText(status)
		if status == 200 && strings.Contains(body, `stat="fail"`) {
			tag = body[strings.Index(body, "code="):strings.Index(body, " msg")]
		}
		out = append(out, tag)
	}
	return out
}

func TestFaultsDeterministic(t *testing.T) {
	fc := FaultConfig{HTTPErrorRate: 0.2, FlickrErrorRate: 0.2, ThrottleRate: 0.1, RetryAfter: 7}
	_, base1 := newTestServer(t, Config{Seed: 42, Faults: fc})
	srv2, base2 := newTestServer(t, Config{Seed: 42, Faults: fc})
	_, base3 := newTestServer(t, Config{Seed: 43, Faults: fc})
	a, b, c := statuses(t, base1, 60), statuses(t, base2, 60), statuses(t, base3, 60)
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatalf("same seed, different faults:\n%v\n%v", a, b)
	}
	if strings.Join(a, ",") == strings.Join(c, ",") {
		t.Fatalf("different seeds, same faults: %v", a)
	}
	kinds := map[string]int{}
	for _, s := range a {
		kinds[s]++
	}
	for _, k := range []string{"OK", "Too Many Requests", `code="105"`, `code="201"`} {
		if kinds[k] == 0 {
			t.Errorf("no %s in %v", k, kinds)
		}
	}
	if kinds["Internal Server Error"]+kinds["Bad Gateway"]+kinds["Service Unavailable"]+kinds["Gateway Timeout"] == 0 {
		t.Errorf("no 5xx in %v", kinds)
	}
	// SetFaults restarts the sequence
	srv2.SetFaults(fc)
	if d := statuses(t, base2, 60); strings.Join(a, ",") != strings.Join(d, ",") {
		t.Fatalf("SetFaults did not restart:\n%v\n%v", a, d)
	}
	srv2.SetFaults(FaultConfig{})
	for _, s := range statuses(t, base2, 10) {
		if s != "OK" {
			t.Fatalf("faults after clearing: %s", s)
		}
	}
	if srv2.Calls()["flickr.test.echo"] != 130 {
		t.Fatalf("calls %v", srv2.Calls())
	}
}

func TestThrottleAndRateLimit(t *testing.T) {
	now := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	srv, base := newTestServer(t, Config{Clock: func() time.Time { return now }, Faults: FaultConfig{RateLimitPerHour: 3}})
	got := statuses(t, base, 5)
	if strings.Join(got, ",") != "OK,OK,OK,Too Many Requests,Too Many Requests" {
		t.Fatalf("got %v", got)
	}
	resp, err := http.Get(base + "/services/rest/?method=flickr.test.echo&api_key=" + testKey)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3601" || body != throttleBody || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("429: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	now = now.Add(time.Hour)
	if got := statuses(t, base, 1); got[0] != "OK" {
		t.Fatalf("new hour: %v", got)
	}
	_ = srv
}

func TestLostAnswer(t *testing.T) {
	srv, base := newTestServer(t, Config{Faults: FaultConfig{LostUploadRate: 1, LostWriteRate: 1}})
	c := newClient(t, base, srv, "write")
	req, _ := multipartReq(t, c, base+"/services/upload/", map[string]string{"title": "lost"}, "a.jpg", testJPEG(t, 1))
	_, err := http.DefaultClient.Do(req)
	if err == nil {
		t.Fatal("upload answered despite LostUploadRate=1")
	}
	if ps := srv.Photos(); len(ps) != 1 || ps[0].Title != "lost" {
		t.Fatalf("the upload was not committed: %+v", ps)
	}
	v := strings.NewReader("method=flickr.photos.addTags&tags=x&photo_id=" + srv.Photos()[0].ID)
	req, _ = http.NewRequest("POST", base+"/services/rest/", v)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", c.authHeader("POST", base+"/services/rest/", mustQuery("method=flickr.photos.addTags&tags=x&photo_id="+srv.Photos()[0].ID), nil))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("write answered: %s", b)
	}
	if tags := srv.Photos()[0].CleanTags; len(tags) != 1 || tags[0] != "x" {
		t.Fatalf("write not committed: %v", tags)
	}
	// reads are not affected
	c.ok("flickr.test.login", nil)
	// Only narrows lost answers to the listed calls
	srv.SetFaults(FaultConfig{LostWriteRate: 1, Only: []string{"flickr.photos.setTags"}})
	c.ok("flickr.photos.addTags", map[string]string{"photo_id": srv.Photos()[0].ID, "tags": "y"})
}

func TestBandwidthCap(t *testing.T) {
	srv, base := newTestServer(t, Config{Faults: FaultConfig{BandwidthBps: 1 << 30}})
	c := newClient(t, base, srv, "write")
	data := testJPEG(t, 9)
	id := c.uploadOK(nil, "a.jpg", data).Text
	p := srv.Photos()[0]
	resp, err := http.Get(base + "/photos/65535/" + id + "_" + p.OriginalSecret + "_o.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, resp); got != string(data) {
		t.Fatal("throttled download differs")
	}
}

// Photo files come from Flickr's CDN: its faults are HTTP-level only, never an API error body.
func TestDownloadFaultsAreHTTPOnly(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fc     FaultConfig
		faulty map[int]bool // statuses the faults may produce besides 200
	}{
		{"flickr errors never reach photo files", FaultConfig{FlickrErrorRate: 1}, nil},
		{"mixed faults", FaultConfig{HTTPErrorRate: 0.3, FlickrErrorRate: 0.4, ThrottleRate: 0.2},
			map[int]bool{500: true, 502: true, 503: true, 504: true, 429: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, base := newTestServer(t, Config{Seed: 7})
			data := testJPEG(t, 3)
			id, err := srv.AddPhoto(SeedPhoto{Title: "f", Data: data})
			if err != nil {
				t.Fatal(err)
			}
			srv.SetFaults(tc.fc)
			u := base + "/photos/65535/" + id + "_" + srv.Photos()[0].OriginalSecret + "_o.jpg"
			seen := map[int]int{}
			for i := 0; i < 60; i++ {
				resp, err := http.Get(u)
				if err != nil {
					t.Fatal(err)
				}
				body := readAll(t, resp)
				seen[resp.StatusCode]++
				switch {
				case resp.StatusCode == 200:
					if body != string(data) {
						t.Fatalf("200 with a body of %d bytes that is not the photo: %.80q", len(body), body)
					}
				case !tc.faulty[resp.StatusCode]:
					t.Fatalf("status %d: %.80q", resp.StatusCode, body)
				case strings.Contains(body, "<rsp"):
					t.Fatalf("API error body on a photo file: %q", body)
				}
			}
			if seen[200] == 0 || (tc.faulty != nil && len(seen) < 2) {
				t.Fatalf("statuses %v", seen)
			}
			// the same faults still reach API calls as stat="fail"
			if tc.faulty == nil {
				for _, got := range statuses(t, base, 3) {
					if got != `code="105"` && got != `code="201"` {
						t.Fatalf("API call answered %s with FlickrErrorRate 1", got)
					}
				}
			}
		})
	}
}
