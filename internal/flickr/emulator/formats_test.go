package emulator

import (
	"image/jpeg"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestStillFormats(t *testing.T) {
	srv, base := newTestServer(t, Config{})
	c := newClient(t, base, srv, "write")
	for _, tc := range []struct {
		name, file string
		data       []byte
		format     string
		w, h       string
	}{
		{"heic", "IMG_0001.HEIC", testHEIF("heic", 4032, 3024, 1), "heic", "4032", "3024"},
		{"avif", "a.avif", testHEIF("avif", 800, 600, 2), "avif", "800", "600"},
		{"webp", "a.webp", testWebP(640, 480), "webp", "640", "480"},
		{"jpeg named heic", "b.heic", testJPEG(t, 3), "jpg", "8", "8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := c.uploadOK(nil, tc.file, tc.data).Text
			p := c.ok("flickr.photos.search", map[string]string{"user_id": "me", "text": strings.TrimSuffix(tc.file, tc.file[strings.LastIndex(tc.file, "."):]),
				"extras": "original_format,o_dims,url_o"}).one("photo")
			if p.attr("id") != id || p.attr("originalformat") != tc.format || p.attr("o_width") != tc.w || p.attr("o_height") != tc.h ||
				!strings.HasSuffix(p.attr("url_o"), "_o."+tc.format) {
				t.Fatalf("%+v", p)
			}
			resp, err := http.Get(p.attr("url_o"))
			if err != nil {
				t.Fatal(err)
			}
			if got := readAll(t, resp); got != string(tc.data) {
				t.Fatalf("original not as uploaded: %d bytes, %s", len(got), resp.Header.Get("Content-Type"))
			}
		})
	}
	t.Run("tiff stored as jpeg", func(t *testing.T) {
		tif := testTIFF(t, 120, 80)
		id := c.uploadOK(nil, "scan.tif", tif).Text
		info := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": id})
		if info.attr("originalformat") != "jpg" {
			t.Fatalf("%+v", info)
		}
		var v PhotoView
		for _, p := range srv.Photos() {
			if p.ID == id {
				v = p
			}
		}
		if v.Format != "jpg" || v.Width != 120 || v.Height != 80 || v.UploadSHA256 == v.SHA256 {
			t.Fatalf("%+v", v)
		}
		b, _ := srv.PhotoBytes(id)
		if cfg, err := jpeg.DecodeConfig(strings.NewReader(string(b))); err != nil || cfg.Width != 120 {
			t.Fatalf("stored %v %+v", err, cfg)
		}
	})
	for _, tc := range []struct {
		name, file string
		data       []byte
	}{
		{"raw by name", "DSC_0001.NEF", testTIFF(t, 4, 4)},
		{"cr3", "a.cr3", testVideo("crx ", 1, 2, 2, 0)},
		{"audio", "a.m4a", testVideo("M4A ", 1, 2, 2, 0)},
	} {
		t.Run(tc.name+" refused", func(t *testing.T) {
			status, body := c.upload(nil, tc.file, tc.data)
			mustFail(t, status, body, "5")
		})
	}
	t.Run("refused formats", func(t *testing.T) {
		srv, base := newTestServer(t, Config{RefusedFormats: []string{"heic", "heif", "avif", "webp"}})
		c := newClient(t, base, srv, "write")
		for _, data := range [][]byte{testHEIF("heic", 10, 10, 1), testHEIF("avif", 10, 10, 1), testWebP(10, 10)} {
			status, body := c.upload(nil, "x", data)
			if msg := mustFail(t, status, body, "5"); msg != "Filetype was not recognised" {
				t.Fatal(msg)
			}
		}
		c.uploadOK(nil, "a.tif", testTIFF(t, 4, 4))
	})
}

// TestDerivedSizes: getSizes lists the sizes no larger than the original, and each is
// served as a JPEG of the size it says.
func TestDerivedSizes(t *testing.T) {
	srv, base := newTestServer(t, Config{})
	c := newClient(t, base, srv, "write")
	id := c.uploadOK(nil, "big.tif", testTIFF(t, 1200, 800)).Text
	sizes := c.ok("flickr.photos.getSizes", map[string]string{"photo_id": id})
	if got := labels(sizes); got != "Square,Large Square,Thumbnail,Small,Small 320,Small 400,Medium,Medium 640,Medium 800,Large,Original" {
		t.Fatalf("labels %s", got)
	}
	for _, s := range sizes.all("size") {
		resp, err := http.Get(s.attr("source"))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := jpeg.DecodeConfig(strings.NewReader(readAll(t, resp)))
		if err != nil || s.attr("width") != itoa(cfg.Width) || s.attr("height") != itoa(cfg.Height) {
			t.Fatalf("%s: %v %+v", s.attr("label"), err, cfg)
		}
	}
	p := c.ok("flickr.people.getPhotos", map[string]string{"user_id": "me", "extras": "url_m,url_sq,url_l"}).one("photo")
	if p.attr("width_m") != "500" || p.attr("height_m") != "333" || p.attr("width_sq") != "75" || p.attr("width_l") != "1024" {
		t.Fatalf("%+v", p)
	}
	// url extras come in the order asked [V-rec]
	_, body := c.rest("flickr.people.getPhotos", map[string]string{"user_id": "me", "extras": "url_l,url_sq"})
	if strings.Index(body, "url_l=") > strings.Index(body, "url_sq=") {
		t.Fatalf("order: %s", body)
	}
}

func itoa(v int) string { return strconv.Itoa(v) }
