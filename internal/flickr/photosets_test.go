package flickr

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/flickrsync/flickrsync/internal/names"
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
		case "flickr.photosets.getPhotos":
			if c.Form.Get("photoset_id") != "99" || c.Form.Get("extras") == "" || c.Form.Has("user_id") {
				t.Errorf("getPhotos %v", c.Form)
			}
			writeXML(w, `<photoset id="99" primary="5" owner="1@N01" page="1" per_page="500" perpage="500" pages="1" title="Faces" total="2">
	<photo id="5" secret="a" server="1" farm="1" title="A" isprimary="1" dateupload="1300402940" tags="x" machine_tags="" />
	<photo id="6" secret="b" server="1" farm="1" title="B" isprimary="0" dateupload="1300402941" />
</photoset>`)
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
		case "flickr.photosets.addPhoto":
			writeJSON(w, `{"stat":"fail","code":3,"message":"Photo already in set"}`)
		case "flickr.photosets.removePhotos":
			if c.Form.Get("photo_ids") != "6,7" {
				t.Errorf("removePhotos %v", c.Form)
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
		sets[0].Description != "[created by flickrsync]" || sets[0].DateCreate != 1380985779 || sets[0].Primary != "10100895983" {
		t.Errorf("sets %+v", sets)
	}
	photos, err := c.PhotosetsGetPhotos(ctx, "99", ListOptions{})
	if err != nil || len(photos) != 2 || !photos[0].IsPrimary || photos[1].IsPrimary || photos[1].DateUpload != 1300402941 {
		t.Errorf("set photos %+v, %v", photos, err)
	}
	_, err = c.PhotosetsCreate(ctx, "2024", "d", "5")
	if !errors.Is(err, ErrOutcomeUnknown) || f.count("flickr.photosets.create") != 1 {
		t.Errorf("lost create answer: %v after %d requests", err, f.count("flickr.photosets.create"))
	}
	set, err := c.PhotosetsCreate(ctx, "2024", "d", "5")
	if err != nil || set.ID != "72157636216289703" || set.URL != "http://www.flickr.com/photos/78733179@N04/sets/72157636216289703/" {
		t.Errorf("create %+v, %v", set, err)
	}
	if err := c.PhotosetsEditPhotos(ctx, "99", "5", []string{"5", "6", "7"}); err != nil {
		t.Error(err)
	}
	if err := c.PhotosetsAddPhoto(ctx, "99", "5"); !IsCode(err, CodePhotoAlreadyInSet) {
		t.Errorf("addPhoto: %v", err)
	}
	if err := c.PhotosetsRemovePhotos(ctx, "99", []string{"6", "7"}); err != nil {
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
	ps, err := c.PhotosRecentlyUpdated(t.Context(), 1381000000, ListOptions{})
	if err != nil || len(ps) != 1 || ps[0].ID != "3" {
		t.Errorf("got %+v, %v", ps, err)
	}
	tags := JoinTags([]string{"a", "b c", names.SignatureTag("ff")})
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

// TestRepeatAfterLostAnswer: addPhoto's answer is lost, the retry says "already in set":
// the first attempt did it. Without a lost answer code 3 stays an error.
func TestRepeatAfterLostAnswer(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		if c.N == 1 {
			hangUp(t, w)
			return
		}
		writeJSON(w, `{"stat":"fail","code":3,"message":"Photo already in set"}`)
	})
	c, _ := f.client(nil)
	if err := c.PhotosetsAddPhoto(t.Context(), "1", "2"); err != nil || f.count("flickr.photosets.addPhoto") != 2 {
		t.Errorf("got %v after %d requests", err, f.count("flickr.photosets.addPhoto"))
	}
	if err := c.PhotosetsAddPhoto(t.Context(), "1", "2"); !IsCode(err, 3) {
		t.Errorf("without a lost answer: %v", err)
	}
}
