package emulator

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestPaging(t *testing.T) {
	srv, base := newTestServer(t, Config{SearchCap: 10})
	c := newClient(t, base, srv, "read")
	var ids []string // newest first, as listed
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 25; i++ {
		id, err := srv.AddPhoto(SeedPhoto{Title: "p" + strconv.Itoa(i), Tags: "all", DateUpload: start.Add(time.Duration(i) * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append([]string{id}, ids...)
	}
	list := func(x xnode) []string {
		var out []string
		for _, p := range x.all("photo") {
			out = append(out, p.attr("id"))
		}
		return out
	}
	eq := func(a, b []string) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	for _, tc := range []struct {
		name                      string
		method                    string
		args                      map[string]string
		page, pages, perpage, tot string
		want                      []string
	}{
		{"defaults", "flickr.people.getPhotos", map[string]string{"user_id": "me"}, "1", "1", "100", "25", ids},
		{"second page", "flickr.people.getPhotos", map[string]string{"user_id": "me", "per_page": "10", "page": "2"}, "2", "3", "10", "25", ids[10:20]},
		{"short last page", "flickr.people.getPhotos", map[string]string{"user_id": "me", "per_page": "10", "page": "3"}, "3", "3", "10", "25", ids[20:]},
		{"page past the end repeats the last page", "flickr.people.getPhotos", map[string]string{"user_id": "me", "per_page": "10", "page": "7"}, "7", "3", "10", "25", ids[20:]},
		{"per_page capped at 500", "flickr.people.getPhotos", map[string]string{"user_id": "me", "per_page": "900"}, "1", "1", "500", "25", ids},
		{"bad per_page uses default", "flickr.people.getPhotos", map[string]string{"user_id": "me", "per_page": "x", "page": "0"}, "1", "1", "100", "25", ids},
		{"min/max_upload_date inclusive", "flickr.people.getPhotos", map[string]string{"user_id": "me",
			"min_upload_date": strconv.FormatInt(start.Add(20*time.Hour).Unix(), 10), "max_upload_date": "2020-01-01 22:00:00"}, "1", "1", "100", "3", ids[2:5]},
		{"empty", "flickr.people.getPhotos", map[string]string{"user_id": "me", "min_upload_date": "2030-01-01"}, "1", "0", "100", "0", nil},
		{"search cap: reachable page", "flickr.photos.search", map[string]string{"user_id": "me", "tags": "all", "per_page": "4", "page": "2"}, "2", "7", "4", "25", ids[4:8]},
		{"search cap: partial page at the cap", "flickr.photos.search", map[string]string{"user_id": "me", "tags": "all", "per_page": "4", "page": "3"}, "3", "7", "4", "25", ids[8:10]},
		{"search cap: beyond repeats", "flickr.photos.search", map[string]string{"user_id": "me", "tags": "all", "per_page": "4", "page": "5"}, "5", "7", "4", "25", ids[8:10]},
		{"page clamped to 10000", "flickr.photos.search", map[string]string{"user_id": "me", "tags": "all", "per_page": "4", "page": "20000"}, "10000", "7", "4", "25", ids[8:10]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := c.ok(tc.method, tc.args)
			if x.attr("page") != tc.page || x.attr("pages") != tc.pages || x.attr("perpage") != tc.perpage || x.attr("total") != tc.tot {
				t.Fatalf("page=%s pages=%s perpage=%s total=%s", x.attr("page"), x.attr("pages"), x.attr("perpage"), x.attr("total"))
			}
			if got := list(x); !eq(got, tc.want) {
				t.Fatalf("ids %v want %v", got, tc.want)
			}
		})
	}
	t.Run("recentlyUpdated", func(t *testing.T) {
		w := newClient(t, base, srv, "write")
		w.ok("flickr.photos.addTags", map[string]string{"photo_id": ids[24], "tags": "touched"})
		lu := srv.Photos()[0].LastUpdate
		x := c.ok("flickr.photos.recentlyUpdated", map[string]string{"min_date": strconv.FormatInt(lu, 10), "extras": "last_update"})
		if got := list(x); len(got) != 1 || got[0] != ids[24] || x.all("photo")[0].attr("lastupdate") != strconv.FormatInt(lu, 10) {
			t.Fatalf("got %v", got)
		}
		c.fail("flickr.photos.recentlyUpdated", nil, "1")
	})
	t.Run("vanishing photo", func(t *testing.T) {
		if !srv.DeletePhoto(ids[0]) || srv.DeletePhoto(ids[0]) {
			t.Fatal("DeletePhoto")
		}
		c.fail("flickr.photos.getInfo", map[string]string{"photo_id": ids[0]}, "1")
		if x := c.ok("flickr.people.getPhotos", map[string]string{"user_id": "me"}); x.attr("total") != "24" {
			t.Fatalf("total %s", x.attr("total"))
		}
	})
}

func TestExtras(t *testing.T) {
	srv, base := newTestServer(t, Config{})
	c := newClient(t, base, srv, "read")
	data := withExif(testJPEG(t, 5), "2018:01:02 03:04:05")
	id, _ := srv.AddPhoto(SeedPhoto{Title: "t", Description: "d", Tags: `sky flickrsync:signature="ab12" "Big Sky"`, Data: data})
	x := c.ok("flickr.people.getPhotos", map[string]string{"user_id": "me",
		"extras": "date_upload,date_taken,original_format,tags,machine_tags,url_o,media,last_update,o_dims,description"})
	p := x.one("photo")
	v := srv.Photos()[0]
	want := map[string]string{
		"id": id, "owner": "12345678@N00", "title": "t", "ispublic": "1", "dateupload": strconv.FormatInt(v.DateUpload, 10),
		"datetaken": "2018-01-02 03:04:05", "datetakenunknown": "0", "datetakengranularity": "0",
		"originalformat": "jpg", "originalsecret": v.OriginalSecret, "tags": "sky flickrsync:signature=ab12 bigsky",
		"machine_tags": "flickrsync:signature=ab12", "media": "photo", "media_status": "ready",
		"lastupdate": strconv.FormatInt(v.LastUpdate, 10), "o_width": "8", "o_height": "8", "width_o": "8", "height_o": "8",
		"url_o": base + "/photos/65535/" + id + "_" + v.OriginalSecret + "_o.jpg",
	}
	for k, w := range want {
		if got := p.attr(k); got != w {
			t.Errorf("%s=%q want %q", k, got, w)
		}
	}
	if p.one("description").Text != "d" {
		t.Errorf("description %+v", p)
	}
	// without extras: only the base attributes
	p = c.ok("flickr.people.getPhotos", map[string]string{"user_id": "me"}).one("photo")
	if len(p.Attrs) != 9 || p.attr("url_o") != "" {
		t.Errorf("base attrs %v", p.Attrs)
	}
}

// Photos uploaded within one second share dateupload; listings break the tie by photo id.
func TestSameSecondUploads(t *testing.T) {
	clk := newTestClock(time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC))
	srv, base := newTestServer(t, Config{Clock: clk.Now})
	c := newClient(t, base, srv, "read")
	var asc []string
	for i := 0; i < 5; i++ {
		id, err := srv.AddPhoto(SeedPhoto{Title: strconv.Itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		asc = append(asc, id)
	}
	clk.Add(time.Second)
	later, err := srv.AddPhoto(SeedPhoto{Title: "later"})
	if err != nil {
		t.Fatal(err)
	}
	sec := strconv.FormatInt(clk.Now().Unix()-1, 10)
	desc := []string{asc[4], asc[3], asc[2], asc[1], asc[0]}
	ids := func(x xnode) string {
		var out []string
		for _, p := range x.all("photo") {
			out = append(out, p.attr("id"))
		}
		return strings.Join(out, ",")
	}
	join := func(a ...[]string) string {
		var out []string
		for _, x := range a {
			out = append(out, x...)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		name, method string
		args         map[string]string
		want         string
	}{
		{"getPhotos newest first, ties by id desc", "flickr.people.getPhotos", map[string]string{"user_id": "me"}, join([]string{later}, desc)},
		{"min_upload_date is inclusive", "flickr.people.getPhotos", map[string]string{"user_id": "me", "min_upload_date": sec}, join([]string{later}, desc)},
		{"min_upload_date after the second", "flickr.people.getPhotos", map[string]string{"user_id": "me", "min_upload_date": strconv.FormatInt(clk.Now().Unix(), 10)}, later},
		{"max_upload_date is inclusive", "flickr.people.getPhotos", map[string]string{"user_id": "me", "max_upload_date": sec}, join(desc)},
		{"search date-posted-asc, ties by id asc", "flickr.photos.search", map[string]string{"user_id": "me", "sort": "date-posted-asc"}, join(asc, []string{later})},
		{"search date-posted-desc", "flickr.photos.search", map[string]string{"user_id": "me", "sort": "date-posted-desc"}, join([]string{later}, desc)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := c.ok(tc.method, tc.args)
			if got := ids(x); got != tc.want {
				t.Fatalf("got %s\nwant %s", got, tc.want)
			}
		})
	}
	for _, p := range srv.Photos()[:5] {
		if strconv.FormatInt(p.DateUpload, 10) != sec {
			t.Fatalf("photo %s dateupload %d, want %s", p.ID, p.DateUpload, sec)
		}
	}
}
