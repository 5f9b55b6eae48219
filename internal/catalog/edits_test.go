package catalog

import (
	"context"
	"reflect"
	"testing"
)

// TestEditsRecorded: a live row whose signature changes records an edit, in the
// scanner's transaction; a new path, a row coming back, a failed decode, an excluded row
// and an unchanged signature do not.
func TestEditsRecorded(t *testing.T) {
	ctx := context.Background()
	c := openTemp(t)
	a := pic("a/x.jpg", "s1", 1)
	a.DateTaken = "2020:01:01 10:00:00"
	put := func(ps ...Picture) {
		t.Helper()
		if err := c.Apply(ctx, PictureChanges{Put: ps}, 10); err != nil {
			t.Fatal(err)
		}
	}
	put(a, pic("b/y.jpg", "s2", 2), pic("c/z.jpg", "s3", 3), pic("d/w.jpg", "s4", 4))
	ids := map[string]int64{}
	c.KnownFiles(ctx, func(k KnownFile) error { ids[k.Dir] = k.ID; return nil })

	edited := pic("a/x.jpg", "s5", 5)
	edited.DateTaken = a.DateTaken
	failed := pic("b/y.jpg", "", 6)
	failed.Error, failed.ErrorKind = "truncated", ErrorDecode
	put(edited, failed, pic("d/w.jpg", "s4", 7)) // d: touched, same pixels
	if err := c.Apply(ctx, PictureChanges{Delete: []int64{ids["c"]}}, 11); err != nil {
		t.Fatal(err)
	}
	put(pic("c/z.jpg", "s6", 8)) // back with other bytes: a deleted row, not an edit
	put(pic("e/new.jpg", "s7", 9))
	put(pic("b/y.jpg", "s8", 10)) // fixed after a failed decode: no earlier picture

	edits, err := c.Edits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(edits) != 1 {
		t.Fatalf("edits %+v, want one (a/x.jpg)", edits)
	}
	e := edits[0]
	if e.Path() != "a/x.jpg" || e.Old != "s1" || e.New != "s5" || e.OldDate != a.DateTaken || e.NewDate != a.DateTaken || e.At == 0 {
		t.Errorf("edit %+v", e)
	}

	// Marks and privacy settings round-trip; Reset empties them with the rest.
	s := Superseded{PhotoID: "123", Dir: "a", Name: "x.jpg", Signature: "s1", BySignature: "s5", At: 42}
	if err := c.MarkSuperseded(ctx, []Superseded{s}); err != nil {
		t.Fatal(err)
	}
	if got, err := c.SupersededPhotos(ctx); err != nil || !reflect.DeepEqual(got, []Superseded{s}) {
		t.Errorf("superseded %+v, %v", got, err)
	}
	if err := c.SetPhotoPrivacy(ctx, map[string]string{"1": "friends,family", "2": "public"}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetPhotoPrivacy(ctx, map[string]string{"2": ""}); err != nil {
		t.Fatal(err)
	}
	if got, err := c.PhotoPrivacy(ctx); err != nil || !reflect.DeepEqual(got, map[string]string{"1": "friends,family"}) {
		t.Errorf("privacy %v, %v", got, err)
	}
	if err := c.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	edits, _ = c.Edits(ctx)
	sup, _ := c.SupersededPhotos(ctx)
	priv, _ := c.PhotoPrivacy(ctx)
	if len(edits)+len(sup)+len(priv) != 0 {
		t.Errorf("after Reset: %v %v %v", edits, sup, priv)
	}
}
