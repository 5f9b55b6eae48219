package emulator

import (
	"image/jpeg"
	"net/http"
	"strings"
	"testing"
	"time"
)

// labels lists getSizes' size labels.
func labels(x xnode) string {
	var out []string
	for _, s := range x.all("size") {
		out = append(out, s.attr("label"))
	}
	return strings.Join(out, ",")
}

func sizeOf(x xnode, label string) xnode {
	for _, s := range x.all("size") {
		if s.attr("label") == label {
			return s
		}
	}
	return xnode{}
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestVideoUpload(t *testing.T) {
	srv, base := newTestServer(t, Config{Users: []Account{{Username: "bob"}}})
	c := newClient(t, base, srv, "write")
	mov := testVideo("qt  ", 23.4, 1920, 1080, 1)
	id := c.uploadOK(map[string]string{"title": "clip"}, "IMG_0001.MOV", mov).Text
	photo := c.uploadOK(nil, "p.jpg", testJPEG(t, 1)).Text

	info := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": id})
	v := info.one("video")
	if info.attr("media") != "video" || info.attr("originalformat") != "jpg" || v.attr("ready") != "1" || v.attr("pending") != "0" ||
		v.attr("failed") != "0" || v.attr("duration") != "23" || v.attr("width") != "1920" || v.attr("height") != "1080" {
		t.Fatalf("getInfo %+v", info)
	}
	if c.ok("flickr.photos.getInfo", map[string]string{"photo_id": photo}).one("video").XMLName.Local != "" {
		t.Fatal("a photo has a <video>")
	}
	t.Run("listings", func(t *testing.T) {
		all := c.ok("flickr.people.getPhotos", map[string]string{"user_id": "me", "extras": "media,o_dims"})
		if all.attr("total") != "2" {
			t.Fatalf("total %s", all.attr("total"))
		}
		for _, p := range all.all("photo") {
			want := map[string]string{id: "video", photo: "photo"}[p.attr("id")]
			if p.attr("media") != want || p.attr("media_status") != "ready" {
				t.Fatalf("%+v", p)
			}
		}
		for media, want := range map[string]string{"videos": id, "photos": photo} {
			ps := c.ok("flickr.photos.search", map[string]string{"user_id": "me", "media": media}).all("photo")
			if len(ps) != 1 || ps[0].attr("id") != want {
				t.Fatalf("media=%s: %+v", media, ps)
			}
		}
	})
	t.Run("sizes and original", func(t *testing.T) {
		sizes := c.ok("flickr.photos.getSizes", map[string]string{"photo_id": id})
		want := "Square,Large Square,Thumbnail,Small,Small 320,Small 400,Medium,Medium 640,Medium 800,Large,Original,Video Player,Site MP4,Mobile MP4,HD MP4,Video Original"
		if got := labels(sizes); got != want {
			t.Fatalf("labels %s", got)
		}
		orig := sizeOf(sizes, "Video Original")
		p := srv.Photos()[0]
		if orig.attr("source") != base+"/photos/"+p.Owner+"/"+id+"/play/orig/"+p.OriginalSecret+"/" || orig.attr("media") != "video" ||
			sizeOf(sizes, "Mobile MP4").attr("width") != "480" || sizeOf(sizes, "Mobile MP4").attr("height") != "270" {
			t.Fatalf("%+v", sizes)
		}
		resp, err := noRedirect.Get(orig.attr("source"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "/video/"+id+"/"+p.OriginalSecret+"/orig.mov?") {
			t.Fatalf("play/orig: %d %q", resp.StatusCode, loc)
		}
		resp, err = http.Get(orig.attr("source"))
		if err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, resp); got != string(mov) || resp.Header.Get("Content-Type") != "video/quicktime" || !strings.HasSuffix(resp.Request.URL.Path, "/orig.mov") {
			t.Fatalf("video file: %d bytes, %v", len(got), resp.Header)
		}
		// url_o is the poster frame, a JPEG of the video's size
		resp, err = http.Get(sizeOf(sizes, "Original").attr("source"))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := jpeg.DecodeConfig(strings.NewReader(readAll(t, resp)))
		if err != nil || cfg.Width != 1920 || cfg.Height != 1080 {
			t.Fatalf("poster %+v %v", cfg, err)
		}
		// another member sees no Video Original
		bob, sec, _ := srv.IssueTokenFor("bob", "read")
		other := &tclient{t: t, base: base, key: testKey, secret: testSecret, token: bob, tokenSecret: sec}
		if got := labels(other.ok("flickr.photos.getSizes", map[string]string{"photo_id": id})); strings.Contains(got, "Video Original") || !strings.Contains(got, "HD MP4") {
			t.Fatalf("other member's labels %s", got)
		}
		// transcodes are not made
		if resp, _ := http.Get(sizeOf(sizes, "Site MP4").attr("source")); resp.StatusCode != 404 {
			t.Fatalf("site mp4: %d", resp.StatusCode)
		}
	})
	t.Run("videos cannot be replaced", func(t *testing.T) {
		for _, tc := range []struct{ target, file string }{{id, "a.jpg"}, {photo, "b.mov"}} {
			data := testJPEG(t, 5)
			if tc.file == "b.mov" {
				data = testVideo("qt  ", 2, 64, 48, 9)
			}
			req, _ := multipartReq(t, c, base+"/services/replace/", map[string]string{"photo_id": tc.target}, tc.file, data)
			status, body := do(t, req)
			if msg := mustFail(t, status, body, "8"); msg != "Videos can't be replaced" {
				t.Fatalf("msg %q", msg)
			}
		}
	})
}

func TestVideoProcessingAndLimits(t *testing.T) {
	srv, base := newTestServer(t, Config{VideoProcessing: time.Hour, MaxVideos: 2, VideoMaxDuration: 60 * time.Second,
		VideoMaxUploadBytes: 4000})
	c := newClient(t, base, srv, "write")
	id := c.uploadOK(nil, "a.mp4", testVideo("isom", 5, 640, 480, 1)).Text
	info := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": id})
	if v := info.one("video"); v.attr("ready") != "0" || v.attr("pending") != "1" {
		t.Fatalf("pending video %+v", v)
	}
	if got := labels(c.ok("flickr.photos.getSizes", map[string]string{"photo_id": id})); strings.Contains(got, "MP4") || strings.Contains(got, "Video") {
		t.Fatalf("pending video's sizes %s", got)
	}
	if st := c.ok("flickr.people.getPhotos", map[string]string{"user_id": "me", "extras": "media"}).one("photo").attr("media_status"); st != "pending" {
		t.Fatalf("media_status %s", st)
	}
	srv.mu.Lock()
	srv.photoLocked(id).VideoReadyAt = time.Now().Add(-time.Second)
	srv.mu.Unlock()
	if v := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": id}).one("video"); v.attr("ready") != "1" {
		t.Fatalf("processed video %+v", v)
	}
	for _, tc := range []struct {
		name string
		data []byte
		code string
	}{
		{"too long", testVideo("isom", 61, 640, 480, 2), "8"},
		{"too large", append(testVideo("isom", 5, 640, 480, 3), make([]byte, 4000)...), "8"},
		{"third video", nil, "7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.data == nil {
				c.uploadOK(nil, "b.mp4", testVideo("isom", 5, 640, 480, 4))
				tc.data = testVideo("isom", 5, 640, 480, 5)
			}
			status, body := c.upload(nil, "x.mp4", tc.data)
			mustFail(t, status, body, tc.code)
		})
	}
	t.Run("too long fails processing", func(t *testing.T) {
		srv, base := newTestServer(t, Config{VideoTooLongFails: true})
		c := newClient(t, base, srv, "write")
		id := c.uploadOK(nil, "long.mp4", testVideo("isom", 600, 640, 480, 1)).Text
		if v := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": id}).one("video"); v.attr("failed") != "1" || v.attr("ready") != "0" {
			t.Fatalf("%+v", v)
		}
		ticket := c.uploadOK(map[string]string{"async": "1"}, "long2.mp4", testVideo("isom", 600, 640, 480, 2)).Text
		srv.mu.Lock()
		srv.st.Tickets[ticket].ReadyAt = time.Now().Add(-time.Second)
		srv.mu.Unlock()
		if got := c.ok("flickr.photos.upload.checkTickets", map[string]string{"tickets": ticket}).one("ticket").attr("complete"); got != "2" {
			t.Fatalf("ticket complete=%s", got)
		}
	})
	t.Run("uploads disabled", func(t *testing.T) {
		srv, base := newTestServer(t, Config{VideoUploadsDisabled: true})
		c := newClient(t, base, srv, "write")
		status, body := c.upload(nil, "a.mp4", testVideo("isom", 5, 640, 480, 1))
		if msg := mustFail(t, status, body, "0"); msg != "Video uploads are temporarily disabled" {
			t.Fatal(msg)
		}
		c.uploadOK(nil, "a.jpg", testJPEG(t, 1))
	})
	t.Run("unread containers take the default", func(t *testing.T) {
		srv, base := newTestServer(t, Config{})
		c := newClient(t, base, srv, "write")
		id := c.uploadOK(nil, "a.avi", []byte("RIFF\x10\x00\x00\x00AVI LIST....")).Text
		v := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": id}).one("video")
		if v.attr("duration") != "10" || v.attr("width") != "640" || v.attr("height") != "480" {
			t.Fatalf("%+v", v)
		}
		if p := srv.Photos()[0]; p.VideoFormat != "avi" || p.Format != "jpg" || p.Media != "video" {
			t.Fatalf("%+v", p)
		}
	})
}

func TestVideoOriginalRefused(t *testing.T) {
	srv, base := newTestServer(t, Config{VideoOriginalRefused: true})
	c := newClient(t, base, srv, "write")
	id := c.uploadOK(nil, "a.mp4", testVideo("isom", 2, 64, 48, 1)).Text
	src := sizeOf(c.ok("flickr.photos.getSizes", map[string]string{"photo_id": id}), "Video Original").attr("source")
	resp, err := http.Get(src)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if src == "" || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("%q: %d", src, resp.StatusCode)
	}
}
