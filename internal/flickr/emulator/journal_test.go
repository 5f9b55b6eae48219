package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// stateJSON is the persisted form of st minus the run counter.
func stateJSON(t testing.TB, st *state) string {
	t.Helper()
	c := *st
	c.Generation = 0
	b, err := json.MarshalIndent(&c, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// exercise changes every kind of record through the API.
func exercise(t *testing.T, srv *Server, c *tclient) {
	var ids []string
	for i := 0; i < 6; i++ {
		ids = append(ids, c.uploadOK(map[string]string{"tags": fmt.Sprintf("t%d common", i)}, fmt.Sprintf("p%d.jpg", i), testJPEG(t, int64(i))).Text)
	}
	ticket := c.uploadOK(map[string]string{"async": "1"}, "async.jpg", testJPEG(t, 50)).Text
	seeded, err := srv.AddPhoto(SeedPhoto{Title: "seeded", Private: true})
	if err != nil {
		t.Fatal(err)
	}
	c.ok("flickr.photos.addTags", map[string]string{"photo_id": ids[0], "tags": `new "two words"`})
	c.ok("flickr.photos.setTags", map[string]string{"photo_id": ids[1], "tags": "replaced"})
	tagID := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": ids[2]}).one("tags").all("tag")[0].attr("id")
	c.ok("flickr.photos.removeTag", map[string]string{"tag_id": tagID})
	c.ok("flickr.photos.setMeta", map[string]string{"photo_id": ids[3], "title": "new title", "description": "d"})
	a := c.ok("flickr.photosets.create", map[string]string{"title": "A", "primary_photo_id": ids[0]}).attr("id")
	b := c.ok("flickr.photosets.create", map[string]string{"title": "B", "primary_photo_id": ids[1]}).attr("id")
	gone := c.ok("flickr.photosets.create", map[string]string{"title": "gone", "primary_photo_id": ids[1]}).attr("id")
	for _, id := range ids[1:5] {
		c.ok("flickr.photosets.addPhoto", map[string]string{"photoset_id": a, "photo_id": id})
	}
	c.ok("flickr.photosets.removePhoto", map[string]string{"photoset_id": a, "photo_id": ids[0]}) // primary moves
	c.ok("flickr.photosets.addPhoto", map[string]string{"photoset_id": a, "photo_id": ids[5]})
	c.ok("flickr.photosets.editMeta", map[string]string{"photoset_id": b, "title": "B2"})
	c.ok("flickr.photosets.editPhotos", map[string]string{"photoset_id": b, "primary_photo_id": ids[2], "photo_ids": ids[2] + "," + ids[1]})
	c.ok("flickr.photosets.setPrimaryPhoto", map[string]string{"photoset_id": b, "photo_id": ids[1]})
	c.ok("flickr.photosets.orderSets", map[string]string{"photoset_ids": b + "," + a})
	c.ok("flickr.photosets.delete", map[string]string{"photoset_id": gone})
	c.ok("flickr.photos.delete", map[string]string{"photo_id": ids[4]}) // leaves set A
	if !srv.DeletePhoto(seeded) {
		t.Fatal("seeded photo not deleted")
	}
	replace := func(id, name string, data []byte) {
		req, _ := multipartReq(t, c, c.base+"/services/replace/", map[string]string{"photo_id": id}, name, data)
		if status, body := do(t, req); status != 200 || !strings.Contains(body, `stat="ok"`) || !strings.Contains(body, id) {
			t.Fatalf("replace %s: %d %s", id, status, body)
		}
	}
	replace(ids[5], "r.jpg", testJPEG(t, 99))
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")
	replace(ids[3], "r.png", png) // another file name: the .jpg goes
	srv.IssueToken("delete")
	c.ok("flickr.photos.upload.checkTickets", map[string]string{"tickets": ticket})

	// what the media, dates, privacy, dedup and accounts features store
	vid := c.uploadOK(map[string]string{"safety_level": "2", "content_type": "3", "hidden": "2"}, "v.mov", testVideo("qt  ", 4, 320, 240, 1)).Text
	heic := c.uploadOK(nil, "h.heic", testHEIF("heic", 40, 30, 1)).Text
	c.uploadOK(nil, "t.tif", testTIFF(t, 6, 4))
	c.ok("flickr.photos.setDates", map[string]string{"photo_id": vid, "date_taken": "2019-05", "date_taken_granularity": "4", "date_posted": "1500000000"})
	c.ok("flickr.photos.setPerms", map[string]string{"photo_id": heic, "is_public": "0", "is_friend": "1", "is_family": "1", "perm_comment": "0"})
	c.ok("flickr.photos.setSafetyLevel", map[string]string{"photo_id": heic, "safety_level": "3"})
	c.ok("flickr.photos.setContentType", map[string]string{"photo_id": heic, "content_type": "2"})
	s4 := c.ok("flickr.photosets.create", map[string]string{"title": "v", "primary_photo_id": vid}).attr("id")
	c.ok("flickr.photosets.addPhoto", map[string]string{"photoset_id": s4, "photo_id": heic})
	c.ok("flickr.photosets.reorderPhotos", map[string]string{"photoset_id": s4, "photo_ids": heic})
	c.ok("flickr.photos.delete", map[string]string{"photo_id": ids[0]})
	c.ok("flickr.photos.delete", map[string]string{"photo_id": ids[1]})
	status, body := c.upload(map[string]string{"dedup_check": "2"}, "back.jpg", testJPEG(t, 0))
	mustFail(t, status, body, "9") // ids[0] is back, ids[1] stays remembered as deleted
	bob := asUser(t, srv, c.base, "bob", "write")
	b1 := bob.uploadOK(map[string]string{"is_public": "0"}, "b.jpg", testJPEG(t, 77)).Text
	bob.ok("flickr.photosets.create", map[string]string{"title": "bob's", "primary_photo_id": b1})
}

func TestJournalReplay(t *testing.T) {
	dir := t.TempDir()
	srv, err := Open(Config{StateDir: dir, Seed: 3, APIKey: testKey, APISecret: testSecret, Users: []Account{{Username: "bob"}}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	c := newClient(t, hs.URL, srv, "delete")
	snapshot, err := os.ReadFile(filepath.Join(dir, stateFile))
	if err != nil {
		t.Fatal(err)
	}
	exercise(t, srv, c)
	// the snapshot stays as it was; the changes are in the journal
	if now, _ := os.ReadFile(filepath.Join(dir, stateFile)); !bytes.Equal(now, snapshot) {
		t.Fatal("state.json rewritten before compaction")
	}
	srv.mu.Lock()
	want := stateJSON(t, srv.st)
	var files []string
	for _, p := range srv.st.Photos {
		files = append(files, p.ID+"."+p.fileExt())
	}
	srv.mu.Unlock()
	// exactly the photos' files remain (deleted photos' files go once the journal has it)
	entries, err := os.ReadDir(filepath.Join(dir, "photos"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(files)
	if !slices.Equal(names, files) {
		t.Fatalf("photo files %v, want %v", names, files)
	}
	// as after a kill -9: snapshot + journal, without Close
	st, err := loadState(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := stateJSON(t, st); got != want {
		t.Fatalf("replayed state differs:\n%s\nwant\n%s", got, want)
	}
	t.Run("torn last line ignored", func(t *testing.T) {
		f, err := os.OpenFile(filepath.Join(dir, journalFile), os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(`{"Seq":99999,"Photos":[{"ID":"1`)
		f.Close()
		st, err := loadState(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got := stateJSON(t, st); got != want {
			t.Fatal("torn tail changed the state")
		}
	})
	// Close compacts: the snapshot alone holds everything, the journal is gone
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, journalFile)); !os.IsNotExist(err) {
		t.Fatalf("journal left after Close: %v", err)
	}
	srv2, err := Open(Config{StateDir: dir, Seed: 3, APIKey: testKey, APISecret: testSecret, Users: []Account{{Username: "bob"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv2.Close()
	if got := stateJSON(t, srv2.st); got != want {
		t.Fatalf("reopened state differs:\n%s\nwant\n%s", got, want)
	}
	// the new records came back: a video, deleted photos remembered (ids[4], seeded, ids[1]), bob's token and set
	if len(srv2.st.Deleted) != 3 || !strings.Contains(want, `"Media": "video"`) || !strings.Contains(want, `"User": "`) ||
		!strings.Contains(want, `"TakenGranularity": 4`) || !strings.Contains(want, `"Owner": "`) {
		t.Fatalf("new fields missing from the state: %d deleted\n%s", len(srv2.st.Deleted), want)
	}
}

func TestJournalCompaction(t *testing.T) {
	dir := t.TempDir()
	srv, err := Open(Config{StateDir: dir, APIKey: testKey, APISecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	srv.j.limit = 7
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	c := newClient(t, hs.URL, srv, "write")
	set := ""
	for i := 0; i < 40; i++ {
		id := c.uploadOK(nil, fmt.Sprintf("%d.jpg", i), testJPEG(t, int64(i))).Text
		if set == "" {
			set = c.ok("flickr.photosets.create", map[string]string{"title": "all", "primary_photo_id": id}).attr("id")
		} else {
			c.ok("flickr.photosets.addPhoto", map[string]string{"photoset_id": set, "photo_id": id})
		}
	}
	srv.mu.Lock()
	want := stateJSON(t, srv.st)
	entries := srv.j.entries
	srv.mu.Unlock()
	if entries >= 7 {
		t.Fatalf("%d journal entries: no compaction", entries)
	}
	var lines int
	if b, err := os.ReadFile(filepath.Join(dir, journalFile)); err == nil {
		lines = bytes.Count(b, []byte("\n"))
	}
	if lines != entries {
		t.Fatalf("journal holds %d lines, want %d", lines, entries)
	}
	st, err := loadState(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := stateJSON(t, st); got != want {
		t.Fatalf("state after compactions differs:\n%s\nwant\n%s", got, want)
	}
	if len(st.Photos) != 40 || len(st.Sets) != 1 || len(st.Sets[0].Photos) != 40 {
		t.Fatalf("%d photos, sets %+v", len(st.Photos), st.Sets)
	}
	t.Run("journal older than the snapshot is skipped", func(t *testing.T) {
		// a crash between writing the snapshot and emptying the journal leaves entries the
		// snapshot already holds; appending to a set must not happen twice
		old, err := os.ReadFile(filepath.Join(dir, journalFile))
		if err != nil {
			t.Fatal(err)
		}
		srv.mu.Lock()
		err = srv.compactLocked()
		srv.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, journalFile), old, 0o644); err != nil {
			t.Fatal(err)
		}
		st, err := loadState(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got := stateJSON(t, st); got != want {
			t.Fatalf("stale journal replayed:\n%s\nwant\n%s", got, want)
		}
	})
}

func TestJournalCorruption(t *testing.T) {
	good := `{"Seq":1,"NextPhotoID":53000000001,"Photos":[{"ID":"53000000001","Title":"a","Format":"jpg"}]}` + "\n"
	for _, tc := range []struct {
		name    string
		journal string
		photos  int // -1: Open must fail
	}{
		{"empty", "", 0},
		{"one entry", good, 1},
		{"torn last line", good + `{"Seq":2,"Photos":[{"ID":"53`, 1},
		{"torn first line", `{"Seq":1,"Pho`, 0},
		{"complete but undecodable last line", good + "{\"Seq\":2,\n", -1},
		{"garbage line before a good one", "not json\n" + good, -1},
		{"blank line", good + "\n", -1},
		{"sequence gap", good + strings.Replace(good, `"Seq":1`, `"Seq":3`, 1), -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, journalFile), []byte(tc.journal), 0o644); err != nil {
				t.Fatal(err)
			}
			srv, err := Open(Config{StateDir: dir})
			if tc.photos < 0 {
				if err == nil {
					srv.Close()
					t.Fatal("corrupt journal accepted")
				}
				if !strings.Contains(err.Error(), journalFile) {
					t.Fatalf("error does not name the journal: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			if n := len(srv.Photos()); n != tc.photos {
				t.Fatalf("%d photos, want %d", n, tc.photos)
			}
			// Open rewrote the snapshot and dropped the torn tail, so appending is safe
			if _, err := srv.AddPhoto(SeedPhoto{Title: "after"}); err != nil {
				t.Fatal(err)
			}
			st, err := loadState(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Photos) != tc.photos+1 {
				t.Fatalf("reloaded %d photos", len(st.Photos))
			}
		})
	}
}

// An older state.json (no JournalSeq, no journal) still loads.
func TestOldSnapshotLoads(t *testing.T) {
	dir := t.TempDir()
	old := `{"Generation":2,"NextPhotoID":53000000100,"NextSetID":72157700000000100,"NextTagID":100010,
 "LastUpload":1700000000,"TagIDs":{"a":100005},
 "Photos":[{"ID":"53000000050","Secret":"s","OriginalSecret":"o","Server":"65535","Farm":66,"Title":"old",
  "Tags":[{"GlobalID":100005,"Raw":"a","Clean":"a","Machine":false}],"IsPublic":1,"DateUpload":1700000000,
  "LastUpdate":1700000000,"Format":"jpg"}],
 "Sets":[{"ID":"72157700000000050","Title":"s","Primary":"53000000050","Photos":["53000000050"],"Created":1,"Updated":2}],
 "Tokens":{"tok":{"Token":"tok","Secret":"sec","Access":true,"Perms":"write"}},"Tickets":{}}`
	if err := os.WriteFile(filepath.Join(dir, stateFile), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, err := Open(Config{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ps := srv.Photos()
	if len(ps) != 1 || ps[0].Title != "old" || len(ps[0].Sets) != 1 || srv.st.Generation != 3 || srv.st.Tokens["tok"] == nil {
		t.Fatalf("loaded %+v gen %d", ps, srv.st.Generation)
	}
	id, err := srv.AddPhoto(SeedPhoto{Title: "new"})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	srv2, err := Open(Config{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer srv2.Close()
	if ps := srv2.Photos(); len(ps) != 2 || ps[1].ID != id {
		t.Fatalf("reloaded %+v", ps)
	}
}
