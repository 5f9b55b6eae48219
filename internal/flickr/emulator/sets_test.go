package emulator

import (
	"strings"
	"testing"
)

func TestPhotosets(t *testing.T) {
	srv, base := newTestServer(t, Config{})
	c := newClient(t, base, srv, "write")
	var p []string
	for i := 0; i < 4; i++ {
		id, _ := srv.AddPhoto(SeedPhoto{Title: "p"})
		p = append(p, id)
	}
	create := func(title, primary string) string {
		x := c.ok("flickr.photosets.create", map[string]string{"title": title, "description": "[created by flickrsync]", "primary_photo_id": primary})
		if x.attr("url") != "https://www.flickr.com/photos/12345678@N00/sets/"+x.attr("id")+"/" {
			t.Fatalf("create %+v", x)
		}
		return x.attr("id")
	}
	s1 := create("first", p[0])
	s2 := create("second", p[1])
	order := func() string {
		var out []string
		for _, ps := range srv.Photosets() {
			out = append(out, ps.Title+":"+strings.Join(ps.Photos, ","))
		}
		return strings.Join(out, " ")
	}
	if got, want := order(), "second:"+p[1]+" first:"+p[0]; got != want {
		t.Fatalf("new sets go first, with their primary: %s", got)
	}
	for _, tc := range []struct {
		name, method string
		args         map[string]string
		code         string
	}{
		{"create no title", "flickr.photosets.create", map[string]string{"primary_photo_id": p[0]}, "1"},
		{"create bad photo", "flickr.photosets.create", map[string]string{"title": "x", "primary_photo_id": "1"}, "2"},
		{"edit unknown set", "flickr.photosets.editPhotos", map[string]string{"photoset_id": "1", "primary_photo_id": p[0], "photo_ids": p[0]}, "1"},
		{"edit empty list", "flickr.photosets.editPhotos", map[string]string{"photoset_id": s1, "primary_photo_id": p[0], "photo_ids": ""}, "5"},
		{"edit primary not found", "flickr.photosets.editPhotos", map[string]string{"photoset_id": s1, "primary_photo_id": "1", "photo_ids": p[0]}, "3"},
		{"edit photo not found", "flickr.photosets.editPhotos", map[string]string{"photoset_id": s1, "primary_photo_id": p[0], "photo_ids": p[0] + ",1"}, "2"},
		{"edit primary not in list", "flickr.photosets.editPhotos", map[string]string{"photoset_id": s1, "primary_photo_id": p[0], "photo_ids": p[1]}, "4"},
		{"add already in set", "flickr.photosets.addPhoto", map[string]string{"photoset_id": s1, "photo_id": p[0]}, "3"},
		{"add unknown photo", "flickr.photosets.addPhoto", map[string]string{"photoset_id": s1, "photo_id": "1"}, "2"},
		{"getPhotos unknown", "flickr.photosets.getPhotos", map[string]string{"photoset_id": "1"}, "1"},
		{"getInfo unknown", "flickr.photosets.getInfo", map[string]string{"photoset_id": "1"}, "1"},
		{"delete unknown", "flickr.photosets.delete", map[string]string{"photoset_id": "1"}, "1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.fail(tc.method, tc.args, tc.code)
		})
	}
	if got := order(); got != "second:"+p[1]+" first:"+p[0] {
		t.Fatalf("failed calls changed sets: %s", got)
	}
	c.ok("flickr.photosets.editPhotos", map[string]string{"photoset_id": s1, "primary_photo_id": p[2], "photo_ids": p[3] + "," + p[2] + "," + p[0]})
	c.ok("flickr.photosets.addPhoto", map[string]string{"photoset_id": s1, "photo_id": p[1]})
	x := c.ok("flickr.photosets.getPhotos", map[string]string{"photoset_id": s1, "per_page": "3", "page": "2"})
	if x.attr("primary") != p[2] || x.attr("total") != "4" || x.attr("pages") != "2" || x.attr("per_page") != "3" ||
		x.attr("title") != "first" || len(x.all("photo")) != 1 || x.all("photo")[0].attr("id") != p[1] {
		t.Fatalf("getPhotos %+v", x)
	}
	info := c.ok("flickr.photosets.getInfo", map[string]string{"photoset_id": s1})
	if info.attr("photos") != "4" || info.one("title").Text != "first" || info.one("description").Text != "[created by flickrsync]" {
		t.Fatalf("getInfo %+v", info)
	}
	// removing the primary moves it to the first remaining photo
	c.ok("flickr.photosets.removePhotos", map[string]string{"photoset_id": s1, "photo_ids": p[2] + "," + p[3]})
	if ps := srv.Photosets()[1]; ps.Primary != p[0] || strings.Join(ps.Photos, ",") != p[0]+","+p[1] {
		t.Fatalf("after removePhotos %+v", ps)
	}
	// an emptied set disappears
	c.ok("flickr.photosets.removePhoto", map[string]string{"photoset_id": s2, "photo_id": p[1]})
	if got := order(); got != "first:"+p[0]+","+p[1] {
		t.Fatalf("emptied set still there: %s", got)
	}
	l := c.ok("flickr.photosets.getList", nil)
	if l.attr("total") != "1" || l.attr("pages") != "1" || l.one("photoset").attr("photos") != "2" || l.one("photoset").one("title").Text != "first" {
		t.Fatalf("getList %+v", l)
	}
	// deleting a photo removes it from its sets
	srv.DeletePhoto(p[0])
	if ps := srv.Photosets()[0]; ps.Primary != p[1] || len(ps.Photos) != 1 {
		t.Fatalf("after photo delete %+v", ps)
	}
	c.ok("flickr.photosets.delete", map[string]string{"photoset_id": s1})
	if len(srv.Photosets()) != 0 {
		t.Fatal("delete")
	}
	// photos.delete needs delete perms
	d := newClient(t, base, srv, "delete")
	d.ok("flickr.photos.delete", map[string]string{"photo_id": p[1]})
	d.fail("flickr.photos.delete", map[string]string{"photo_id": p[1]}, "1")
}

func TestSetLimits(t *testing.T) {
	srv, base := newTestServer(t, Config{MaxSets: 1, MaxSetPhotos: 2})
	c := newClient(t, base, srv, "write")
	a, _ := srv.AddPhoto(SeedPhoto{Title: "a"})
	b, _ := srv.AddPhoto(SeedPhoto{Title: "b"})
	d, _ := srv.AddPhoto(SeedPhoto{Title: "d"})
	set := c.ok("flickr.photosets.create", map[string]string{"title": "one", "primary_photo_id": a}).attr("id")
	if msg := c.fail("flickr.photosets.create", map[string]string{"title": "two", "primary_photo_id": a}, "3"); msg != "Can't create any more sets" {
		t.Fatalf("msg %q", msg)
	}
	c.ok("flickr.photosets.addPhoto", map[string]string{"photoset_id": set, "photo_id": b})
	if msg := c.fail("flickr.photosets.addPhoto", map[string]string{"photoset_id": set, "photo_id": d}, "10"); msg != "Maximum number of photos in set" {
		t.Fatalf("msg %q", msg)
	}
}
