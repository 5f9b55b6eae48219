package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func openTemp(t *testing.T) *Catalog {
	t.Helper()
	c, err := Open(context.Background(), filepath.Join(t.TempDir(), "sub", "flickrsync.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// row reads the row of a library-relative path, deleted or not.
func row(t *testing.T, c *Catalog, rel string) (p Picture, ok bool) {
	t.Helper()
	dir, name := SplitPath(rel)
	err := c.eachPicture(context.Background(), `WHERE dir = ? AND name = ?`, func(q Picture) error {
		p, ok = q, true
		return nil
	}, dir, name)
	if err != nil {
		t.Fatalf("read %s: %v", rel, err)
	}
	return p, ok
}

func pic(rel, sig string, size int64) Picture {
	dir, name := SplitPath(rel)
	return Picture{Dir: dir, Name: name, Size: size, MtimeNS: 1, Hash: "h" + sig, Signature: sig, Format: "jpeg"}
}

func TestMigrateOldDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	// Build a version-1 database with a row in it.
	c, err := OpenWith(ctx, path, Options{migrateTo: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Version 1's columns only (Apply writes the newest schema's).
	if _, err := c.w.Exec(`INSERT INTO local_pictures (dir, name, size, mtime_ns, signature, first_seen, last_seen)
		VALUES ('a', 'b.jpg', 10, 1, 's1', 100, 100)`); err != nil {
		t.Fatal(err)
	}
	if v, _ := currentVersion(ctx, c.w); v != 1 {
		t.Fatalf("built version %d, want 1", v)
	}
	c.Close()

	c, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if v, _ := currentVersion(ctx, c.w); v != SchemaVersion() || v < 2 {
		t.Fatalf("migrated to %d, want %d", v, SchemaVersion())
	}
	p, ok := row(t, c, "a/b.jpg")
	if !ok || p.Signature != "s1" || p.FirstSeen != 100 {
		t.Fatalf("row lost by migration: %+v %v", p, ok)
	}
}

// TestMigrationDropsUnused: version 4 drops the columns, indexes and table nothing read,
// keeps every row, and settles journal states no version wrote.
func TestMigrationDropsUnused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v3.db")
	c, err := OpenWith(ctx, path, Options{migrateTo: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO local_pictures (dir, name, size, mtime_ns, content_hash, signature, date_taken,
			short_name, date_flat, flickr_id, flickr_secret, first_seen, last_seen)
			VALUES ('d', 'flickrsync_12_ab_T.jpg', 5, 6, 'h', 'aa', '2001:02:03 04:05:06', 't', '20010203040506', '12', 'ab', 7, 8)`,
		`INSERT INTO flickr_photos (id, title, signature, short_name, date_flat) VALUES ('12', 'T', 'aa', 't', '1')`,
		`INSERT INTO photosets (id, title) VALUES ('s', 'T')`,
		`INSERT INTO uploads (signature, state, file, ticket_id) VALUES ('q', 'pending', 'q.jpg', ''),
			('l', 'ambiguous', 'l.jpg', 'T-1'), ('f', 'failed', 'f.jpg', ''), ('u', 'uploading', 'u.jpg', '')`,
		`UPDATE uploads SET error = 'filetype was not recognised' WHERE signature = 'f'`,
	} {
		if _, err := c.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	c.Close()
	if c, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, gone := range []string{"local_pictures_keys", "flickr_photos_keys", "local_pictures_flickr_id", "photosets"} {
		var n int
		c.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = ?`, gone).Scan(&n)
		if n != 0 {
			t.Errorf("%s still there", gone)
		}
	}
	for table, cols := range map[string][]string{"local_pictures": {"short_name", "date_flat", "flickr_id", "flickr_secret"},
		"flickr_photos": {"short_name", "date_flat"}, "uploads": {"ticket_id"}} {
		for _, col := range cols {
			var n int
			c.r.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, table, col).Scan(&n)
			if n != 0 {
				t.Errorf("%s.%s still there", table, col)
			}
		}
	}
	if p, ok := row(t, c, "d/flickrsync_12_ab_T.jpg"); !ok || p.Signature != "aa" || p.DateTaken != "2001:02:03 04:05:06" || p.FirstSeen != 7 {
		t.Errorf("picture after the migration: %+v %v", p, ok)
	}
	var photos []Photo
	c.Photos(ctx, func(p Photo) error { photos = append(photos, p); return nil })
	if len(photos) != 1 || photos[0].Signature != "aa" || photos[0].Title != "T" {
		t.Errorf("photos after the migration: %+v", photos)
	}
	all, err := c.Uploads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, u := range all {
		states[u.Signature] = u.State + " " + u.Error
	}
	want := map[string]string{"l": "uploading ", "f": "failed filetype was not recognised", "u": "uploading "}
	if fmt.Sprint(states) != fmt.Sprint(want) {
		t.Errorf("journal after the migration %v, want %v", states, want)
	}
}

func TestNewerDatabaseRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.db")
	c, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.w.Exec(`INSERT INTO schema_version (version) VALUES (?)`, SchemaVersion()+5); err != nil {
		t.Fatal(err)
	}
	c.Close()
	for _, ro := range []bool{false, true} {
		_, err = OpenWith(ctx, path, Options{ReadOnly: ro})
		if !errors.Is(err, ErrTooNew) {
			t.Fatalf("readonly=%v: err = %v, want ErrTooNew", ro, err)
		}
		if !strings.Contains(err.Error(), "newer flickrsync") {
			t.Errorf("unclear message: %v", err)
		}
	}
}

func TestLocking(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "l.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("second open fails with the holder's pid", func(t *testing.T) {
		_, err := Open(ctx, path)
		var le *LockedError
		if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
			t.Fatalf("err = %v, want *LockedError", err)
		}
		want := "database " + a.Path() + " is in use by another flickrsync (pid " + strconv.Itoa(os.Getpid()) + ")"
		if err.Error() != want {
			t.Errorf("message %q, want %q", err.Error(), want)
		}
	})
	t.Run("waiting ends when the holder closes", func(t *testing.T) {
		told := make(chan *LockedError, 1)
		done := make(chan error, 1)
		go func() {
			b, err := OpenWith(ctx, path, Options{Wait: time.Minute, OnWait: func(e *LockedError) { told <- e }})
			if err == nil {
				b.Close()
			}
			done <- err
		}()
		<-told // it is waiting
		a.Close()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
	t.Run("stale lock of a dead process is taken over", func(t *testing.T) {
		// A pid that cannot be running: beyond Linux's pid_max.
		if err := os.WriteFile(path+".lock", []byte("2147483646\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		if _, err := os.Stat(path + ".lock"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("lock left behind: %v", err)
		}
	})
	t.Run("read-only open needs no lock", func(t *testing.T) {
		w, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		r, err := OpenWith(ctx, path, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if err := r.SetMeta(ctx, "k", "v"); err == nil {
			t.Error("write through a read-only catalog succeeded")
		}
	})
}

func TestReadOnlyMissing(t *testing.T) {
	_, err := OpenWith(context.Background(), filepath.Join(t.TempDir(), "none.db"), Options{ReadOnly: true})
	if !errors.Is(err, ErrNoDatabase) {
		t.Fatalf("err = %v, want ErrNoDatabase", err)
	}
}

func TestPicturesApplyAndQueries(t *testing.T) {
	ctx := context.Background()
	c := openTemp(t)
	nonUTF8 := "caf\xe9.jpg"
	puts := []Picture{
		pic("b/long/path/x.jpg", "s1", 1),
		pic("a.jpg", "s1", 1),
		pic("zz/x.jpg", "s1", 1),
		pic("c/y.png", "s2", 2),
		pic("c/"+nonUTF8, "s3", 3),
		pic("d/flickrsync_12345_abc123_My Title.JPG", "s4", 4),
		{Dir: "e", Name: "broken.jpg", Size: 5, Error: "decode: bad marker", ErrorKind: ErrorDecode},
	}
	puts[0].DateTaken = "2004:11:29 16:01:26"
	if err := c.Apply(ctx, PictureChanges{Put: puts}, 1000); err != nil {
		t.Fatal(err)
	}
	t.Run("read back", func(t *testing.T) {
		p, ok := row(t, c, "b/long/path/x.jpg")
		if !ok || p.DateTaken != "2004:11:29 16:01:26" || p.Signature != "s1" || p.Hash != "hs1" || p.FirstSeen != 1000 {
			t.Errorf("%+v %v", p, ok)
		}
		if p, ok := row(t, c, "e/broken.jpg"); !ok || p.Error != "decode: bad marker" || p.ErrorKind != ErrorDecode {
			t.Errorf("%+v %v", p, ok)
		}
	})
	t.Run("non-UTF-8 name kept byte for byte", func(t *testing.T) {
		p, ok := row(t, c, "c/"+nonUTF8)
		if !ok || p.Name != nonUTF8 {
			t.Fatalf("%q %v", p.Name, ok)
		}
	})
	t.Run("duplicates, the kept copy first", func(t *testing.T) {
		var groups []DuplicateGroup
		if err := c.Duplicates(ctx, func(g DuplicateGroup) error { groups = append(groups, g); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(groups) != 1 || groups[0].Signature != "s1" {
			t.Fatalf("groups %+v", groups)
		}
		var paths []string
		for _, p := range groups[0].Pictures {
			paths = append(paths, p.Path())
		}
		if got := strings.Join(paths, ","); got != "a.jpg,zz/x.jpg,b/long/path/x.jpg" {
			t.Errorf("order %s", got)
		}
	})
	t.Run("update keeps first seen, delete flags", func(t *testing.T) {
		p := pic("a.jpg", "s9", 7)
		if err := c.Apply(ctx, PictureChanges{Put: []Picture{p}}, 2000); err != nil {
			t.Fatal(err)
		}
		got, _ := row(t, c, "a.jpg")
		if got.FirstSeen != 1000 || got.LastSeen != 2000 || got.Signature != "s9" || got.Size != 7 {
			t.Errorf("%+v", got)
		}
		if err := c.Apply(ctx, PictureChanges{Delete: []int64{got.ID}}, 3000); err != nil {
			t.Fatal(err)
		}
		got, _ = row(t, c, "a.jpg")
		if !got.Deleted {
			t.Error("not flagged deleted")
		}
		n := 0
		c.Pictures(ctx, func(Picture) error { n++; return nil })
		if n != len(puts)-1 {
			t.Errorf("%d live pictures, want %d", n, len(puts)-1)
		}
		// Coming back clears the flag.
		c.Apply(ctx, PictureChanges{Put: []Picture{p}}, 4000)
		got, _ = row(t, c, "a.jpg")
		if got.Deleted {
			t.Error("still deleted after put")
		}
	})
}

func TestCountsAndFlickr(t *testing.T) {
	ctx := context.Background()
	c := openTemp(t)
	c.Apply(ctx, PictureChanges{Put: []Picture{
		pic("a.jpg", "aa1", 1), pic("b.jpg", "aa1", 1), // duplicate pair
		pic("c.jpg", "bb2", 1),
		pic("flickrsync_77_sec_t.jpg", "cc3", 1), // named after photo 77, no tag
		pic("d.jpg", "dd5", 1),
		{Name: "bad.jpg", Error: "decode: x", ErrorKind: ErrorDecode},
	}}, 1)
	photos := []Photo{
		{ID: "1", Title: "A.jpg", MachineTags: "flickrsync:signature=aa1", Signature: "aa1", DateUpload: 10},
		{ID: "77", Title: "t", DateUpload: 20},
		{ID: "9", Title: "", OriginalSecret: "XyZ", Tags: "x flickrsync:signature=ee404", Signature: "ee404", DateUpload: 30},
		{ID: "10", DateTaken: "2001-02-03 04:05:06", DateTakenUnknown: true, URLOriginal: "u", Media: "photo", DateUpload: 5},
	}
	if err := c.PutPhotos(ctx, photos); err != nil {
		t.Fatal(err)
	}
	n, err := c.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := Counts{LocalPictures: 6, Signatures: 4, Duplicates: 1, DuplicateGroups: 1,
		DecodeFailures: 1, FlickrPhotos: 4}
	if n != want {
		t.Errorf("counts\n got %+v\nwant %+v", n, want)
	}
	var got []Photo
	c.Photos(ctx, func(p Photo) error { got = append(got, p); return nil })
	if len(got) != 4 || got[0] != photos[3] || got[1] != photos[0] || got[3] != photos[2] {
		t.Fatalf("photos, by date upload:\n got %+v\nwant %+v", got, photos)
	}
	if err := c.ReplacePhotos(ctx, photos[:1]); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Counts(ctx); n.FlickrPhotos != 1 {
		t.Errorf("after replace: %d photos", n.FlickrPhotos)
	}
	if err := c.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Counts(ctx); n != (Counts{}) {
		t.Errorf("after reset: %+v", n)
	}
}

func TestUploadJournal(t *testing.T) {
	ctx := context.Background()
	c := openTemp(t)
	if err := c.BeginUpload(ctx, "s1", "a.jpg"); err != nil {
		t.Fatal(err)
	}
	c.BeginUpload(ctx, "s2", "b.jpg")
	if err := c.EndUpload(ctx, "s2", UploadDone, "123", ""); err != nil {
		t.Fatal(err)
	}
	if err := c.EndUpload(ctx, "nope", UploadDone, "1", ""); err == nil {
		t.Error("ending an unknown upload succeeded")
	}
	if err := c.EndUpload(ctx, "s2", "weird", "", ""); err == nil {
		t.Error("bad state accepted")
	}
	p, err := c.PendingUploads(ctx)
	if err != nil || len(p) != 1 || p[0].Signature != "s1" || p[0].State != UploadUploading || p[0].Attempts != 1 {
		t.Fatalf("pending %+v %v", p, err)
	}
	// A failure keeps its reason (status lists them) until the picture is sent again.
	c.BeginUpload(ctx, "s3", "c.jpg")
	c.EndUpload(ctx, "s3", UploadFailed, "", "filetype was not recognised")
	if f, _ := c.Uploads(ctx, UploadFailed); len(f) != 1 || f[0].File != "c.jpg" || f[0].Error != "filetype was not recognised" {
		t.Fatalf("failed %+v", f)
	}
	c.BeginUpload(ctx, "s1", "a.jpg")
	c.BeginUpload(ctx, "s3", "c.jpg")
	all, _ := c.Uploads(ctx)
	if len(all) != 3 {
		t.Fatalf("%+v", all)
	}
	for _, u := range all {
		if u.Signature == "s1" && (u.Attempts != 2 || u.State != UploadUploading) {
			t.Errorf("%+v", u)
		}
		if u.Signature == "s2" && (u.State != UploadDone || u.PhotoID != "123") {
			t.Errorf("%+v", u)
		}
		if u.Signature == "s3" && (u.Attempts != 2 || u.State != UploadUploading || u.Error != "") {
			t.Errorf("%+v", u)
		}
	}
}

func TestMeta(t *testing.T) {
	ctx := context.Background()
	c := openTemp(t)
	if v, err := c.Meta(ctx, "k"); err != nil || v != "" {
		t.Fatal(v, err)
	}
	c.SetMeta(ctx, "k", "1")
	c.SetMeta(ctx, "k", "2")
	if v, _ := c.Meta(ctx, "k"); v != "2" {
		t.Errorf("meta %q", v)
	}
}

var _ = sql.ErrNoRows

func TestScannerQueries(t *testing.T) {
	ctx := context.Background()
	c := openTemp(t)
	a := pic("x/a.jpg", "aa", 10)
	a.Hash = strings.Repeat("1", 64)
	b := pic("y/b.jpg", "aa", 10)
	b.Hash = a.Hash
	unread := Picture{Name: "u.jpg", Size: 10, Hash: "", Error: "open: permission denied", ErrorKind: ErrorRead}
	if err := c.Apply(ctx, PictureChanges{Put: []Picture{a, b, unread}}, 5); err != nil {
		t.Fatal(err)
	}
	var known []KnownFile
	c.KnownFiles(ctx, func(k KnownFile) error { known = append(known, k); return nil })
	if len(known) != 3 {
		t.Fatalf("known %+v", known)
	}
	p, ok, err := c.ContentOf(ctx, 10, a.Hash)
	if err != nil || !ok || p.Signature != "aa" {
		t.Fatalf("ContentOf = %+v %v %v", p, ok, err)
	}
	if _, ok, _ := c.ContentOf(ctx, 11, a.Hash); ok {
		t.Error("ContentOf matched another size")
	}
	if _, ok, _ := c.ContentOf(ctx, 10, ""); ok {
		t.Error("ContentOf matched a row that could not be read")
	}
	ids := []int64{}
	for _, k := range known {
		ids = append(ids, k.ID)
	}
	contents, err := c.ContentsOf(ctx, ids)
	if err != nil || len(contents) != 2 {
		t.Fatalf("ContentsOf = %+v %v", contents, err)
	}
}
