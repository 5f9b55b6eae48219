package emulator

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestChangesMadeOnFlickr: deletions, albums and tags edited as a member's app edits them
// (issue 12): what listings, sets and recentlyUpdated then say.
func TestChangesMadeOnFlickr(t *testing.T) {
	clk := newTestClock(time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC))
	srv, base := newTestServer(t, Config{Clock: clk.Now})
	c := newClient(t, base, srv, "delete")
	var ids []string
	for i := 0; i < 4; i++ {
		ids = append(ids, c.uploadOK(map[string]string{"tags": `flickrsync:signature="ab` + strconv.Itoa(i) + `" x`}, "p.jpg", testJPEG(t, int64(i))).Text)
	}
	vid := c.uploadOK(nil, "v.mp4", testVideo("isom", 3, 64, 48, 1)).Text
	a := c.ok("flickr.photosets.create", map[string]string{"title": "A", "primary_photo_id": ids[0]}).attr("id")
	for _, id := range []string{ids[1], ids[2], vid} {
		c.ok("flickr.photosets.addPhoto", map[string]string{"photoset_id": a, "photo_id": id})
	}
	b := c.ok("flickr.photosets.create", map[string]string{"title": "B", "primary_photo_id": ids[3]}).attr("id")
	total := func() string {
		return c.ok("flickr.people.getPhotos", map[string]string{"user_id": "me", "per_page": "1"}).attr("total")
	}
	if total() != "5" {
		t.Fatalf("total %s: videos count", total())
	}
	if l := c.ok("flickr.photosets.getList", nil).all("photoset"); l[1].attr("photos") != "3" || l[1].attr("videos") != "1" {
		t.Fatalf("counts %+v", l[1])
	}
	clk.Add(time.Minute)
	since := strconv.FormatInt(clk.Now().Unix(), 10)

	// deleting the primary: gone from its set, the set's next photo becomes primary
	c.ok("flickr.photos.delete", map[string]string{"photo_id": ids[0]})
	set := c.ok("flickr.photosets.getPhotos", map[string]string{"photoset_id": a})
	if set.attr("primary") != ids[1] || set.attr("total") != "3" {
		t.Fatalf("set after delete %+v", set)
	}
	// deleting a set's last photo deletes the set
	c.ok("flickr.photos.delete", map[string]string{"photo_id": ids[3]})
	c.fail("flickr.photosets.getInfo", map[string]string{"photoset_id": b}, "1")
	if total() != "3" {
		t.Fatalf("total after deletes %s", total())
	}
	// recentlyUpdated reports no deletion
	if n := c.ok("flickr.photos.recentlyUpdated", map[string]string{"min_date": since}).attr("total"); n != "0" {
		t.Fatalf("recentlyUpdated after deletes: %s", n)
	}
	// album edits
	c.fail("flickr.photosets.removePhoto", map[string]string{"photoset_id": a, "photo_id": ids[0]}, "2")
	c.ok("flickr.photosets.reorderPhotos", map[string]string{"photoset_id": a, "photo_ids": vid})
	if got := srv.Photosets()[0].Photos; strings.Join(got, ",") != vid+","+ids[1]+","+ids[2] {
		t.Fatalf("reordered %v", got)
	}
	c.fail("flickr.photosets.reorderPhotos", map[string]string{"photoset_id": a, "photo_ids": ids[3]}, "2")
	c.ok("flickr.photosets.setPrimaryPhoto", map[string]string{"photoset_id": a, "photo_id": ids[2]})
	c.ok("flickr.photosets.removePhoto", map[string]string{"photoset_id": a, "photo_id": ids[1]})
	c.fail("flickr.photosets.removePhoto", map[string]string{"photoset_id": a, "photo_id": ids[1]}, "3")
	c.ok("flickr.photosets.removePhotos", map[string]string{"photoset_id": a, "photo_ids": ids[2] + "," + vid})
	if len(srv.Photosets()) != 0 {
		t.Fatalf("emptied set kept: %+v", srv.Photosets())
	}
	// tag edits move lastupdate: recentlyUpdated lists them
	clk.Add(time.Minute)
	since = strconv.FormatInt(clk.Now().Unix(), 10)
	c.ok("flickr.photos.setTags", map[string]string{"photo_id": ids[1], "tags": "y"})
	tag := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": ids[2]}).one("tags").all("tag")[0].attr("id")
	c.ok("flickr.photos.removeTag", map[string]string{"tag_id": tag})
	var got []string
	for _, p := range c.ok("flickr.photos.recentlyUpdated", map[string]string{"min_date": since, "extras": "machine_tags"}).all("photo") {
		got = append(got, p.attr("id")+":"+p.attr("machine_tags"))
	}
	if strings.Join(got, " ") != ids[2]+": "+ids[1]+":" {
		t.Fatalf("recentlyUpdated %v", got)
	}
	c.fail("flickr.photos.delete", map[string]string{"photo_id": ids[0]}, "1")
}
