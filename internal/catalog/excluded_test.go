package catalog

import (
	"context"
	"reflect"
	"testing"
)

// TestExcludedRows: an excluded row is out of the library (not live) but its signature is
// still the library's (ExcludedSignatures) until a live copy holds it or the path comes
// back; Delete and Put clear the flag.
func TestExcludedRows(t *testing.T) {
	ctx := context.Background()
	c := openTemp(t)
	put := []Picture{pic("a/x.jpg", "s1", 1), pic("b/y.jpg", "s2", 2), pic("c/z.jpg", "s2", 3), pic("d/w.jpg", "s3", 4)}
	if err := c.Apply(ctx, PictureChanges{Put: put}, 10); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	c.KnownFiles(ctx, func(k KnownFile) error { ids[k.Dir] = k.ID; return nil })
	if err := c.Apply(ctx, PictureChanges{Exclude: []int64{ids["a"], ids["b"]}, Delete: []int64{ids["d"]}}, 11); err != nil {
		t.Fatal(err)
	}
	excluded := func() []string {
		var out []string
		if err := c.ExcludedSignatures(ctx, func(s string) error { out = append(out, s); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	// s2 is still live at c/z.jpg: only s1 is held by exclusion alone.
	if got := excluded(); !reflect.DeepEqual(got, []string{"s1"}) {
		t.Errorf("ExcludedSignatures = %q, want [s1]", got)
	}
	n, _ := c.Counts(ctx)
	if n.LocalPictures != 1 || n.Excluded != 2 || n.Deleted != 1 {
		t.Errorf("counts %+v: want 1 live, 2 excluded, 1 deleted", n)
	}
	var flags []bool
	c.KnownFiles(ctx, func(k KnownFile) error {
		if k.Dir == "a" {
			flags = []bool{k.Deleted, k.Excluded}
		}
		return nil
	})
	if !reflect.DeepEqual(flags, []bool{true, true}) {
		t.Errorf("a/x.jpg deleted, excluded = %v", flags)
	}
	// Gone for good (the rules changed and the file is not there): a plain deletion.
	if err := c.Apply(ctx, PictureChanges{Delete: []int64{ids["a"]}}, 12); err != nil {
		t.Fatal(err)
	}
	if got := excluded(); len(got) != 0 {
		t.Errorf("after deletion: %q", got)
	}
	// Back in the library.
	if err := c.Apply(ctx, PictureChanges{Put: []Picture{pic("b/y.jpg", "s2", 2)}}, 13); err != nil {
		t.Fatal(err)
	}
	n, _ = c.Counts(ctx)
	if n.LocalPictures != 2 || n.Excluded != 0 || n.Deleted != 2 {
		t.Errorf("counts %+v: want 2 live, 0 excluded, 2 deleted", n)
	}
}
