package catalog

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
)

// TestFailures: files that failed to be read or decoded, and uploads Flickr refused, are
// listed until the file is fixed or deleted, or its picture reaches Flickr.
func TestFailures(t *testing.T) {
	ctx := context.Background()
	c, err := Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	put := []Picture{
		{Dir: "a", Name: "broken.jpg", Size: 1, Error: "invalid JPEG", ErrorKind: ErrorDecode},
		{Dir: "", Name: "locked.jpg", Size: 1, Error: "permission denied", ErrorKind: ErrorRead},
		{Dir: "b", Name: "refused.jpg", Size: 1, Signature: "aa"},
		{Dir: "b", Name: "landed.jpg", Size: 1, Signature: "bb"},
		{Dir: "b", Name: "gone.jpg", Size: 1, Signature: "cc"},
		{Dir: "b", Name: "fine.jpg", Size: 1, Signature: "dd"},
	}
	if err := c.Apply(ctx, PictureChanges{Put: put}, 100); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct{ sig, file string }{{"aa", "b/refused.jpg"}, {"bb", "b/landed.jpg"}, {"cc", "b/gone.jpg"}} {
		if err := c.BeginUpload(ctx, u.sig, u.file); err != nil {
			t.Fatal(err)
		}
		if err := c.EndUpload(ctx, u.sig, UploadFailed, "", "filetype was not recognised"); err != nil {
			t.Fatal(err)
		}
	}
	// bb reached Flickr since (another copy, a later run); gone.jpg was deleted.
	if err := c.PutPhotos(ctx, []Photo{{ID: "1", MachineTags: "flickrsync:signature=bb", Signature: "bb"}}); err != nil {
		t.Fatal(err)
	}
	var gone int64
	c.KnownFiles(ctx, func(k KnownFile) error {
		if k.Name == "gone.jpg" {
			gone = k.ID
		}
		return nil
	})
	if err := c.Apply(ctx, PictureChanges{Delete: []int64{gone}}, 200); err != nil {
		t.Fatal(err)
	}
	got, err := c.Failures(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var paths, kinds []string
	for _, f := range got {
		paths = append(paths, f.Path)
		kinds = append(kinds, f.Kind)
	}
	if want := []string{"locked.jpg", "a/broken.jpg", "b/refused.jpg"}; !reflect.DeepEqual(paths, want) {
		t.Errorf("failures %v, want %v", paths, want)
	}
	if want := []string{ErrorRead, ErrorDecode, FailedUpload}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("kinds %v, want %v", kinds, want)
	}
	if got[2].Reason != "filetype was not recognised" {
		t.Errorf("upload reason %q", got[2].Reason)
	}
}
