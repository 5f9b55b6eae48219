package emulator

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/oauth1"
)

// withExif inserts an APP1 Exif segment holding DateTimeOriginal right after SOI.
func withExif(jpg []byte, date string) []byte {
	be := binary.BigEndian
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	// IFD0 at 8: one entry, ExifIFD pointer (0x8769, LONG) -> 26
	ifd0 := make([]byte, 2+12+4)
	be.PutUint16(ifd0[0:], 1)
	be.PutUint16(ifd0[2:], 0x8769)
	be.PutUint16(ifd0[4:], 4)
	be.PutUint32(ifd0[6:], 1)
	be.PutUint32(ifd0[10:], 26)
	tiff = append(tiff, ifd0...)
	// Exif IFD at 26: DateTimeOriginal (ASCII, 20) -> 44
	ifd := make([]byte, 2+12+4)
	be.PutUint16(ifd[0:], 1)
	be.PutUint16(ifd[2:], 0x9003)
	be.PutUint16(ifd[4:], 2)
	be.PutUint32(ifd[6:], 20)
	be.PutUint32(ifd[10:], 44)
	tiff = append(tiff, ifd...)
	tiff = append(tiff, []byte(date+"\x00")...)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app1...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func TestUploadSemantics(t *testing.T) {
	clock := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	srv, base := newTestServer(t, Config{Clock: func() time.Time { return clock }, MaxUploadBytes: 5000,
		Location: time.FixedZone("owner", -4*3600)})
	c := newClient(t, base, srv, "write")
	jpg := testJPEG(t, 1)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	for _, tc := range []struct {
		name, filename string
		params         map[string]string
		data           []byte
		title, taken   string
		unknown        bool
		format         string
		tags           string
	}{
		{"title from filename, exif date", "DSC_0042.JPG", map[string]string{"tags": `flickrsync:signature="abc123" "New York" b&w`},
			withExif(jpg, "2019:05:04 10:11:12"), "DSC_0042", "2019-05-04 10:11:12", false, "jpg", "flickrsync:signature=abc123 newyork bw"},
		{"given title, no exif: owner-local upload time", "x.png", map[string]string{"title": "My title"}, png, "My title", "2024-03-01 08:00:00", true, "png", ""},
		{"gif", "anim.gif", nil, gif, "anim", "2024-03-01 08:00:00", true, "gif", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := c.uploadOK(tc.params, tc.filename, tc.data)
			if x.XMLName.Local != "photoid" || x.Text == "" {
				t.Fatalf("got %+v", x)
			}
			info := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": x.Text})
			if info.one("title").Text != tc.title || info.one("dates").attr("taken") != tc.taken ||
				info.one("dates").attr("takenunknown") != map[bool]string{true: "1", false: "0"}[tc.unknown] ||
				info.attr("originalformat") != tc.format || info.attr("originalsecret") == info.attr("secret") {
				t.Fatalf("getInfo %+v", info)
			}
			var clean []string
			for _, tg := range info.one("tags").all("tag") {
				clean = append(clean, tg.Text)
			}
			if strings.Join(clean, " ") != tc.tags {
				t.Fatalf("tags %q want %q", clean, tc.tags)
			}
		})
	}
	t.Run("dateupload is the clock's second, shared within it", func(t *testing.T) {
		ps := srv.Photos()
		if len(ps) != 3 {
			t.Fatalf("%d photos", len(ps))
		}
		for _, p := range ps {
			if p.DateUpload != clock.Unix() || p.LastUpdate != clock.Unix() {
				t.Fatalf("photo %s: dateupload %d lastupdate %d, want %d", p.ID, p.DateUpload, p.LastUpdate, clock.Unix())
			}
		}
	})
	for _, tc := range []struct {
		name string
		data []byte
		code string
		msg  string
	}{
		{"no photo", nil, "2", "No photo specified"},
		{"zero size", []byte{}, "4", "Filesize was zero"},
		{"unknown type", []byte("%PDF-1.4 hello"), "5", "Filetype was not recognised"},
		{"too large", append(append([]byte{}, jpg...), make([]byte, 6000)...), "8", "Filesize was too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(srv.Photos())
			status, body := c.upload(map[string]string{"title": "t", "format": "json", "nojsoncallback": "1"}, "f.jpg", tc.data)
			if msg := mustFail(t, status, body, tc.code); msg != tc.msg {
				t.Fatalf("msg %q", msg)
			}
			if len(srv.Photos()) != before {
				t.Fatal("a failed upload stored a photo")
			}
		})
	}
	t.Run("read token cannot upload", func(t *testing.T) {
		r := newClient(t, base, srv, "read")
		status, body := r.upload(nil, "a.jpg", jpg)
		mustFail(t, status, body, "99")
	})
	t.Run("oauth in multipart fields", func(t *testing.T) {
		u := base + "/services/upload/"
		fields := url.Values{"title": {"multipart"}, "oauth_consumer_key": {testKey}, "oauth_token": {c.token},
			"oauth_nonce": {"mp1"}, "oauth_timestamp": {strconv.FormatInt(time.Now().Unix(), 10)},
			"oauth_signature_method": {"HMAC-SHA1"}, "oauth_version": {"1.0"}}
		fields.Set("oauth_signature", oauth1.Sign(oauth1.BaseString("POST", u, fields), testSecret, c.tokenSecret))
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("photo", "mp.jpg")
		fw.Write(jpg)
		for k := range fields {
			mw.WriteField(k, fields.Get(k))
		}
		mw.Close()
		req, _ := http.NewRequest("POST", u, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		status, rbody := do(t, req)
		id := mustOK(t, status, rbody).Text
		if ps := srv.Photos(); ps[len(ps)-1].ID != id || ps[len(ps)-1].Title != "multipart" {
			t.Fatalf("photos %+v", ps)
		}
	})
	t.Run("photo excluded from signature, other fields signed", func(t *testing.T) {
		bad := newClient(t, base, srv, "write")
		bad.tokenSecret = "wrong"
		status, body := bad.upload(map[string]string{"title": "x"}, "a.jpg", jpg)
		if status != 401 || !strings.HasPrefix(body, "oauth_problem=signature_invalid&debug_sbs=POST&") || !strings.Contains(body, "title%3Dx") || strings.Contains(body, "photo%3D") {
			t.Fatalf("%d %s", status, body)
		}
	})
}

func TestAsyncTickets(t *testing.T) {
	srv, base := newTestServer(t, Config{TicketDelay: time.Hour})
	c := newClient(t, base, srv, "write")
	x := c.uploadOK(map[string]string{"async": "1"}, "a.jpg", testJPEG(t, 3))
	if x.XMLName.Local != "ticketid" || !strings.HasPrefix(x.Text, srv.authNum+"-") {
		t.Fatalf("got %+v", x)
	}
	check := func() xnode {
		return c.ok("flickr.photos.upload.checkTickets", map[string]string{"tickets": x.Text + ",123-456"})
	}
	u := check()
	ts := u.all("ticket")
	if len(ts) != 2 || ts[0].attr("complete") != "0" || ts[1].attr("invalid") != "1" || ts[1].attr("id") != "123-456" {
		t.Fatalf("pending: %+v", u)
	}
	if n := c.ok("flickr.people.getPhotos", map[string]string{"user_id": "me"}).attr("total"); n != "0" {
		t.Fatalf("pending photo listed: total %s", n)
	}
	srv.mu.Lock()
	srv.st.Tickets[x.Text].ReadyAt = time.Now().Add(-time.Second)
	srv.mu.Unlock()
	ts = check().all("ticket")
	if ts[0].attr("complete") != "1" || ts[0].attr("photoid") != srv.Photos()[0].ID {
		t.Fatalf("done: %+v", ts)
	}
	// failed tickets
	srv.SetFaults(FaultConfig{TicketFailRate: 1})
	x = c.uploadOK(map[string]string{"async": "1"}, "b.jpg", testJPEG(t, 4))
	srv.mu.Lock()
	srv.st.Tickets[x.Text].ReadyAt = time.Now().Add(-time.Second)
	srv.mu.Unlock()
	if got := c.ok("flickr.photos.upload.checkTickets", map[string]string{"tickets": x.Text}).one("ticket").attr("complete"); got != "2" {
		t.Fatalf("failed ticket complete=%s", got)
	}
}

func TestReplaceAndDownload(t *testing.T) {
	clk := newTestClock(time.Now())
	srv, base := newTestServer(t, Config{Clock: clk.Now})
	c := newClient(t, base, srv, "write")
	id, err := srv.AddPhoto(SeedPhoto{Title: "seeded", Data: testJPEG(t, 7)})
	if err != nil {
		t.Fatal(err)
	}
	before := srv.Photos()[0]
	clk.Add(3 * time.Second)
	newData := testJPEG(t, 8)
	u := base + "/services/replace/"
	req, body := multipartReq(t, c, u, map[string]string{"photo_id": id}, "n.jpg", newData)
	_ = body
	status, rbody := do(t, req)
	x := mustOK(t, status, rbody)
	after := srv.Photos()[0]
	if x.Text != id || x.attr("originalsecret") != after.OriginalSecret || after.SHA256 == before.SHA256 || after.LastUpdate != clk.Now().Unix() || after.DateUpload != before.DateUpload {
		t.Fatalf("replace: %s; %+v", rbody, after)
	}
	for _, tc := range []struct {
		name, path string
		status     int
	}{
		{"original", fmt.Sprintf("/photos/65535/%s_%s_o.jpg", id, after.OriginalSecret), 200},
		{"old secret", fmt.Sprintf("/photos/65535/%s_%s_o.jpg", id, before.OriginalSecret), 404},
		{"display secret", fmt.Sprintf("/photos/65535/%s_%s_o.jpg", id, after.Secret), 404},
		{"wrong format", fmt.Sprintf("/photos/65535/%s_%s_o.png", id, after.OriginalSecret), 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Get(base + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			got := readAll(t, resp)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if tc.status == 200 && (got != string(newData) || resp.Header.Get("Content-Length") != strconv.Itoa(len(newData)) || resp.Header.Get("Content-Type") != "image/jpeg") {
				t.Fatalf("bytes differ or headers %v", resp.Header)
			}
		})
	}
	t.Run("range", func(t *testing.T) {
		req, _ := http.NewRequest("GET", base+fmt.Sprintf("/photos/65535/%s_%s_o.jpg", id, after.OriginalSecret), nil)
		req.Header.Set("Range", "bytes=2-9")
		status, body := do(t, req)
		if status != http.StatusPartialContent || body != string(newData[2:10]) {
			t.Fatalf("range: %d %q", status, body)
		}
	})
	if srv.Calls()["download"] != 5 || srv.Calls()["replace"] != 1 {
		t.Fatalf("calls %v", srv.Calls())
	}
	srv.ResetCalls()
	if len(srv.Calls()) != 0 {
		t.Fatal("ResetCalls")
	}
}

func TestUploadLimit(t *testing.T) {
	srv, base := newTestServer(t, Config{MaxPhotos: 1})
	c := newClient(t, base, srv, "write")
	c.uploadOK(nil, "a.jpg", testJPEG(t, 1))
	status, body := c.upload(nil, "b.jpg", testJPEG(t, 2))
	if msg := mustFail(t, status, body, "6"); msg != "Upload limit reached. For more info, visit flickr.com/pro" || len(srv.Photos()) != 1 {
		t.Fatalf("msg %q, %d photos", msg, len(srv.Photos()))
	}
}
