package flickr

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
)

func TestPhotosets(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		switch c.API {
		case "flickr.photosets.getList":
			if c.Form.Get("per_page") != "500" {
				t.Errorf("getList per_page %q", c.Form.Get("per_page"))
			}
			page := c.Form.Get("page")
			writeJSON(w, fmt.Sprintf(`{"photosets":{"cancreate":1,"page":%s,"pages":2,"perpage":500,"total":2,"photoset":[`+
				`{"id":"7215763621560352%s","primary":"10100895983","secret":"617545ac10","server":"7392","farm":8,"photos":"1","videos":0,`+
				`"title":{"_content":"Set %s"},"description":{"_content":"[created by flickrsync]"},"date_create":"1380985779","date_update":"0"}]},"stat":"ok"}`, page, page, page))
		case "flickr.photosets.create":
			if c.Form.Get("title") != "2024" || c.Form.Get("primary_photo_id") != "5" || c.Form.Get("description") != "d" {
				t.Errorf("create %v", c.Form)
			}
			if c.N == 1 {
				hangUp(t, w) // the set may exist now: never retried
				return
			}
			writeJSON(w, `{"photoset":{"id":"72157636216289703", "url":"http:\/\/www.flickr.com\/photos\/78733179@N04\/sets\/72157636216289703\/"}, "stat":"ok"}`)
		case "flickr.photosets.editPhotos":
			if c.Form.Get("photo_ids") != "5,6,7" || c.Form.Get("primary_photo_id") != "5" || c.Form.Get("photoset_id") != "99" {
				t.Errorf("editPhotos %v", c.Form)
			}
			writeJSON(w, `{"stat":"ok"}`)
		case "flickr.photosets.delete":
			writeXML(w, "")
		default:
			t.Errorf("unexpected %s", c.API)
		}
	})
	c, _ := f.client(nil)
	ctx := t.Context()
	sets, err := c.PhotosetsGetList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 2 || sets[0].Title != "Set 1" || sets[1].ID != "72157636215603522" || sets[0].Photos != 1 ||
		sets[0].Description != "[created by flickrsync]" || sets[0].Primary != "10100895983" {
		t.Errorf("sets %+v", sets)
	}
	_, err = c.PhotosetsCreate(ctx, "2024", "d", "5")
	if !errors.Is(err, ErrOutcomeUnknown) || f.count("flickr.photosets.create") != 1 {
		t.Errorf("lost create answer: %v after %d requests", err, f.count("flickr.photosets.create"))
	}
	set, err := c.PhotosetsCreate(ctx, "2024", "d", "5")
	if err != nil || set != "72157636216289703" {
		t.Errorf("create %q, %v", set, err)
	}
	if err := c.PhotosetsEditPhotos(ctx, "99", "5", []string{"5", "6", "7"}); err != nil {
		t.Error(err)
	}
	if err := c.PhotosetsDelete(ctx, "99"); err != nil {
		t.Error(err)
	}
}

func TestRecentlyUpdatedAndTags(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		switch c.API {
		case "flickr.photos.recentlyUpdated":
			if c.Form.Get("min_date") != "1381000000" || c.Form.Has("user_id") || c.Form.Has("min_upload_date") {
				t.Errorf("recentlyUpdated %v", c.Form)
			}
			writeJSON(w, `{"photos":{"page":1,"pages":1,"perpage":500,"total":"1","photo":[`+photoJSON(3)+`]},"stat":"ok"}`)
		case "flickr.photos.addTags", "flickr.photos.setTags":
			if c.Form.Get("photo_id") != "3" || c.Form.Get("tags") != `a "b c" flickrsync:signature="ff"` {
				t.Errorf("%s %v", c.API, c.Form)
			}
			writeJSON(w, `{"tags":{"tag":[]}, "stat":"ok"}`)
		}
	})
	c, _ := f.client(nil)
	var ps []Photo
	err := c.WalkRecentlyUpdated(t.Context(), 1381000000, ListOptions{}, func(p PhotoPage) error { ps = append(ps, p.Photos...); return nil })
	if err != nil || len(ps) != 1 || ps[0].ID != "3" {
		t.Errorf("got %+v, %v", ps, err)
	}
	tags := `a "b c" ` + sigTag("ff")
	if err := c.PhotosAddTags(t.Context(), "3", tags); err != nil {
		t.Error(err)
	}
	if err := c.PhotosSetTags(t.Context(), "3", tags); err != nil {
		t.Error(err)
	}
	if err := c.PhotosAddTags(t.Context(), "", tags); err == nil {
		t.Error("addTags without a photo id was sent")
	}
}

// TestRepeatAfterLostAnswer: photosets.delete's answer is lost, the retry says "not
// found": the first attempt did it. Without a lost answer code 1 stays an error.
func TestRepeatAfterLostAnswer(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		if c.N == 1 {
			hangUp(t, w)
			return
		}
		writeJSON(w, `{"stat":"fail","code":1,"message":"Photoset not found"}`)
	})
	c, _ := f.client(nil)
	if err := c.PhotosetsDelete(t.Context(), "1"); err != nil || f.count("flickr.photosets.delete") != 2 {
		t.Errorf("got %v after %d requests", err, f.count("flickr.photosets.delete"))
	}
	if err := c.PhotosetsDelete(t.Context(), "1"); !IsCode(err, CodeNotFound) {
		t.Errorf("without a lost answer: %v", err)
	}
}

// TestPhotosetsAsChangedOnFlickr: a set's photos come in the set's order, over pages, and
// its date_update moves when the member reorders it (what the sync's memory of its sets
// compares with).
func TestPhotosetsAsChangedOnFlickr(t *testing.T) {
	clock := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	srv, c := startEmulator(t, emulator.Config{Clock: now})
	c.maxPages = 10
	ctx := t.Context()
	var ids []string
	for i := range 3 {
		id, err := srv.AddPhoto(emulator.SeedPhoto{Title: fmt.Sprint(i), Private: true})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	set, err := c.PhotosetsCreate(ctx, "A", "[created by flickrsync]", ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := c.PhotosetsEditPhotos(ctx, set, ids[0], ids); err != nil {
		t.Fatal(err)
	}
	list := func() Photoset {
		t.Helper()
		sets, err := c.PhotosetsGetList(ctx)
		if err != nil || len(sets) != 1 {
			t.Fatalf("getList: %v %v", sets, err)
		}
		return sets[0]
	}
	before := list()
	got, err := c.PhotosetsGetPhotos(ctx, set)
	if err != nil || fmt.Sprint(got) != fmt.Sprint(ids) {
		t.Fatalf("getPhotos %v %v, want %v", got, err, ids)
	}
	if err := c.call(ctx, "flickr.photosets.reorderPhotos", url.Values{"photoset_id": {set}, "photo_ids": {ids[2]}}, nil); err != nil {
		t.Fatal(err)
	}
	after := list()
	if before.DateUpdate == 0 || after.DateUpdate <= before.DateUpdate {
		t.Errorf("date_update %d then %d: not moved by a reorder", before.DateUpdate, after.DateUpdate)
	}
	got, _ = c.PhotosetsGetPhotos(ctx, set)
	if want := []string{ids[2], ids[0], ids[1]}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after the reorder %v, want %v", got, want)
	}
	if _, err := c.PhotosetsGetPhotos(ctx, "1"); !IsCode(err, 1) {
		t.Errorf("an unknown set: %v, want code 1", err)
	}
}
