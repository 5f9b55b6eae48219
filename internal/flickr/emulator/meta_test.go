package emulator

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSetDates(t *testing.T) {
	clk := newTestClock(time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC))
	srv, base := newTestServer(t, Config{Clock: clk.Now})
	c := newClient(t, base, srv, "write")
	id := c.uploadOK(nil, "v.mp4", testVideo("isom", 3, 64, 48, 1)).Text
	dates := func() xnode { return c.ok("flickr.photos.getInfo", map[string]string{"photo_id": id}).one("dates") }
	if d := dates(); d.attr("takenunknown") != "1" || d.attr("taken") != "2024-03-01 12:00:00" {
		t.Fatalf("a video's taken date is its upload: %+v", d)
	}
	for _, tc := range []struct {
		args                map[string]string
		code                string
		taken, gran, posted string
	}{
		{map[string]string{}, "2", "", "", ""},
		{map[string]string{"date_taken_granularity": "5"}, "3", "", "", ""},
		{map[string]string{"date_posted": "2099999999"}, "4", "", "", ""},
		{map[string]string{"date_posted": "yesterday"}, "4", "", "", ""},
		{map[string]string{"date_taken": "May 2019"}, "5", "", "", ""},
		{map[string]string{"date_taken": "2019-02-30 10:00:00"}, "6", "", "", ""},
		{map[string]string{"date_taken": "2031-01-01"}, "6", "", "", ""},
		{map[string]string{"date_taken": "2019-05-04 10:11:12"}, "", "2019-05-04 10:11:12", "0", ""},
		{map[string]string{"date_taken": "2019-05"}, "", "2019-05-01 00:00:00", "0", ""},
		{map[string]string{"date_taken": "1950-07-14", "date_taken_granularity": "6"}, "", "1950-01-01 00:00:00", "6", ""},
		{map[string]string{"date_taken_granularity": "0"}, "", "1950-01-01 00:00:00", "0", ""},
		{map[string]string{"date_posted": "2013-10-05"}, "", "", "", "2013"}, // PHP's intval [V-rec]
		{map[string]string{"date_posted": "1700000000"}, "", "", "", "1700000000"},
	} {
		t.Run(strings.Join([]string{tc.args["date_taken"], tc.args["date_taken_granularity"], tc.args["date_posted"]}, "|"), func(t *testing.T) {
			args := map[string]string{"photo_id": id}
			for k, v := range tc.args {
				args[k] = v
			}
			before := dates()
			clk.Add(time.Second)
			if tc.code != "" {
				c.fail("flickr.photos.setDates", args, tc.code)
				if d := dates(); d.attr("lastupdate") != before.attr("lastupdate") || d.attr("taken") != before.attr("taken") {
					t.Fatalf("a refused change changed %+v", d)
				}
				return
			}
			c.ok("flickr.photos.setDates", args)
			d := dates()
			if tc.taken != "" && (d.attr("taken") != tc.taken || d.attr("takengranularity") != tc.gran || d.attr("takenunknown") != "0") ||
				tc.posted != "" && d.attr("posted") != tc.posted || d.attr("lastupdate") != strconv.FormatInt(clk.Now().Unix(), 10) {
				t.Fatalf("dates %+v", d)
			}
			// recentlyUpdated lists the change; the extras show it
			p := c.ok("flickr.photos.recentlyUpdated", map[string]string{"min_date": strconv.FormatInt(clk.Now().Unix(), 10),
				"extras": "date_taken,date_upload"}).one("photo")
			if p.attr("id") != id || p.attr("datetaken") != d.attr("taken") || p.attr("datetakengranularity") != d.attr("takengranularity") ||
				p.attr("dateupload") != d.attr("posted") {
				t.Fatalf("recentlyUpdated %+v", p)
			}
		})
	}
	other := newClient(t, base, srv, "read")
	other.fail("flickr.photos.setDates", map[string]string{"photo_id": id, "date_taken": "2019-01-01"}, "99")
}

func TestPrivacyAndMeta(t *testing.T) {
	srv, base := newTestServer(t, Config{Users: []Account{{Username: "bob"}}})
	c := newClient(t, base, srv, "write")
	bob := asUser(t, srv, base, "bob", "read")
	anon := &tclient{t: t, base: base}
	id := c.uploadOK(map[string]string{"safety_level": "2", "content_type": "2", "hidden": "2", "tags": "cat"}, "a.jpg", testJPEG(t, 1)).Text
	plain := c.uploadOK(map[string]string{"safety_level": "9", "content_type": "x", "tags": "cat"}, "b.jpg", testJPEG(t, 2)).Text
	t.Run("upload arguments", func(t *testing.T) {
		if l := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": id}).attr("safety_level"); l != "1" {
			t.Fatalf("safety_level %s", l)
		}
		ps := c.ok("flickr.people.getPhotos", map[string]string{"user_id": "me", "extras": "safety_level"}).all("photo")
		if ps[0].attr("id") != plain || ps[0].attr("safety_level") != "0" || ps[1].attr("safety_level") != "1" {
			t.Fatalf("%+v", ps)
		}
		for ct, want := range map[string]string{"1": plain, "2": id, "3": "", "4": id + "," + plain} {
			var got []string
			for _, p := range c.ok("flickr.photos.search", map[string]string{"user_id": "me", "content_type": ct, "sort": "date-posted-asc"}).all("photo") {
				got = append(got, p.attr("id"))
			}
			if strings.Join(got, ",") != want {
				t.Fatalf("content_type=%s: %v", ct, got)
			}
		}
		// hidden and moderate: not in others' searches; safe search for calls without a token
		if ps := bob.ok("flickr.photos.search", map[string]string{"tags": "cat"}).all("photo"); len(ps) != 1 || ps[0].attr("id") != plain {
			t.Fatalf("bob's search %+v", ps)
		}
		c.ok("flickr.photos.setSafetyLevel", map[string]string{"photo_id": id, "hidden": "0"})
		if n := bob.ok("flickr.photos.search", map[string]string{"tags": "cat"}).attr("total"); n != "2" {
			t.Fatalf("unhidden: %s", n)
		}
		if n := bob.ok("flickr.photos.search", map[string]string{"tags": "cat", "safe_search": "1"}).attr("total"); n != "1" {
			t.Fatalf("safe_search=1: %s", n)
		}
		status, body := anon.rest("flickr.photos.search", map[string]string{"tags": "cat", "api_key": testKey})
		if n := mustOK(t, status, body).attr("total"); n != "1" {
			t.Fatalf("without a token: %s", n)
		}
	})
	t.Run("setPerms", func(t *testing.T) {
		x := c.ok("flickr.photos.setPerms", map[string]string{"photo_id": plain, "is_public": "0", "is_friend": "1", "is_family": "0",
			"perm_comment": "1", "perm_addmeta": "0"})
		info := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": plain})
		if x.XMLName.Local != "photoid" || x.Text != plain || x.attr("secret") != info.attr("secret") ||
			info.one("visibility").attr("ispublic") != "0" || info.one("visibility").attr("isfriend") != "1" ||
			info.one("permissions").attr("permcomment") != "1" || info.one("permissions").attr("permaddmeta") != "0" {
			t.Fatalf("%+v %+v", x, info)
		}
		bob.fail("flickr.photos.getInfo", map[string]string{"photo_id": plain}, "1")
		c.fail("flickr.photos.setPerms", map[string]string{"photo_id": plain, "is_public": "1"}, "2")
		c.fail("flickr.photos.setPerms", map[string]string{"photo_id": plain, "is_public": "1", "is_friend": "0", "is_family": "0", "perm_comment": "7"}, "2")
		c.fail("flickr.photos.setPerms", map[string]string{"photo_id": "1", "is_public": "1", "is_friend": "0", "is_family": "0"}, "1")
	})
	t.Run("setSafetyLevel and setContentType", func(t *testing.T) {
		x := c.ok("flickr.photos.setSafetyLevel", map[string]string{"photo_id": plain, "safety_level": "3", "hidden": "1"})
		if x.attr("id") != plain || x.attr("safety_level") != "3" || x.attr("hidden") != "1" {
			t.Fatalf("%+v", x)
		}
		if l := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": plain}).attr("safety_level"); l != "2" {
			t.Fatalf("getInfo safety_level %s", l)
		}
		c.fail("flickr.photos.setSafetyLevel", map[string]string{"photo_id": plain, "safety_level": "4"}, "2")
		x = c.ok("flickr.photos.setContentType", map[string]string{"photo_id": plain, "content_type": "3"})
		if x.attr("content_type") != "3" {
			t.Fatalf("%+v", x)
		}
		c.fail("flickr.photos.setContentType", map[string]string{"photo_id": plain, "content_type": "0"}, "2")
		if n := c.ok("flickr.photos.search", map[string]string{"user_id": "me", "content_type": "3"}).attr("total"); n != "1" {
			t.Fatalf("content type 3: %s", n)
		}
		v := srv.Photos()[1]
		if v.SafetyLevel != 2 || !v.Hidden || v.ContentType != 3 || v.PermComment != 1 {
			t.Fatalf("%+v", v)
		}
	})
}

func TestDedupCheck(t *testing.T) {
	srv, base := newTestServer(t, Config{Users: []Account{{Username: "bob"}}})
	c := newClient(t, base, srv, "delete")
	img := testJPEG(t, 1)
	id := c.uploadOK(map[string]string{"tags": "kept"}, "a.jpg", img).Text
	dup := func(check, wantStatus string) string {
		t.Helper()
		status, body := c.upload(map[string]string{"dedup_check": check}, "again.jpg", img)
		mustFail(t, status, body, "9")
		x := parseXML(t, body)
		if x.one("duplicate_photo_status").Text != wantStatus || !strings.Contains(body, "\t<duplicate_photo_id>") {
			t.Fatalf("%s", body)
		}
		return x.one("duplicate_photo_id").Text
	}
	if got := dup("1", "ACTIVE"); got != id {
		t.Fatalf("duplicate of %s", got)
	}
	if got := dup("2", "ACTIVE"); got != id || len(srv.Photos()) != 1 {
		t.Fatalf("duplicate of %s", got)
	}
	// without dedup_check, or for another member, it is a new photo
	c.uploadOK(nil, "again.jpg", img)
	asUser(t, srv, base, "bob", "write").uploadOK(map[string]string{"dedup_check": "1"}, "b.jpg", img)
	if len(srv.Photos()) != 3 {
		t.Fatalf("%d photos", len(srv.Photos()))
	}
	// deleted photos are remembered: 1 reports them, 2 brings them back
	set := c.ok("flickr.photosets.create", map[string]string{"title": "s", "primary_photo_id": id}).attr("id")
	for _, p := range srv.Photos()[:2] {
		c.ok("flickr.photos.delete", map[string]string{"photo_id": p.ID})
	}
	c.uploadOK(nil, "c.jpg", testJPEG(t, 2))
	if got := dup("1", "DELETED"); got != id { // the first of the two deleted copies
		t.Fatalf("deleted duplicate %s", got)
	}
	restored := dup("2", "ACTIVE")
	info := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": restored})
	if restored != id || len(srv.Photos()) != 3 || info.one("tags").one("tag").Text != "kept" {
		t.Fatalf("restored %+v, %d photos", info, len(srv.Photos()))
	}
	if len(srv.Photosets()) != 0 || set == "" {
		t.Fatalf("the set of a deleted photo: %+v", srv.Photosets())
	}
	b, err := srv.PhotoBytes(restored)
	if err != nil || string(b) != string(img) {
		t.Fatalf("restored bytes: %v", err)
	}
}
