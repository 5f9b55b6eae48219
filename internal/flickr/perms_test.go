package flickr

import (
	"testing"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
)

// TestPrivacyAndReplace: the upload's privacy arguments, the calls that change them
// afterwards, addPhoto and replace, against the emulator.
func TestPrivacyAndReplace(t *testing.T) {
	srv, c := startEmulator(t, emulator.Config{})
	ctx := t.Context()
	id, err := c.UploadFrom(ctx, bytesOpener(tinyJPEG(t, 1)), UploadParams{Title: "a", IsFriend: true,
		SafetyLevel: 2, ContentType: 2, Hidden: 2})
	if err != nil {
		t.Fatal(err)
	}
	view := func() emulator.PhotoView {
		t.Helper()
		for _, p := range srv.Photos() {
			if p.ID == id {
				return p
			}
		}
		t.Fatalf("photo %s is gone", id)
		return emulator.PhotoView{}
	}
	if p := view(); p.IsPublic || !p.IsFriend || p.IsFamily || p.SafetyLevel != 1 || p.ContentType != 2 || !p.Hidden {
		t.Errorf("uploaded as %+v", p)
	}
	if err := c.PhotosSetPerms(ctx, id, false, false, true); err != nil {
		t.Fatal(err)
	}
	no := false
	if err := c.PhotosSetSafetyLevel(ctx, id, 3, &no); err != nil {
		t.Fatal(err)
	}
	if err := c.PhotosSetContentType(ctx, id, 3); err != nil {
		t.Fatal(err)
	}
	if p := view(); p.IsPublic || p.IsFriend || !p.IsFamily || p.SafetyLevel != 2 || p.ContentType != 3 || p.Hidden {
		t.Errorf("after the changes %+v", p)
	}
	if err := c.PhotosSetSafetyLevel(ctx, id, 0, nil); err == nil {
		t.Error("setSafetyLevel with nothing to set was sent")
	}

	set, err := c.PhotosetsCreate(ctx, "s", "", id)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.PhotosetsAddPhoto(ctx, set, id); err != nil {
		t.Errorf("adding a photo the set holds: %v", err)
	}
	other, err := c.UploadFrom(ctx, bytesOpener(tinyJPEG(t, 2)), UploadParams{Title: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.PhotosetsAddPhoto(ctx, set, other); err != nil {
		t.Fatal(err)
	}
	if got := srv.Photosets()[0].Photos; len(got) != 2 || got[1] != other {
		t.Errorf("set holds %v", got)
	}

	before := view()
	if err := c.ReplaceFrom(ctx, id, bytesOpener(tinyJPEG(t, 3)), "a.jpg", nil); err != nil {
		t.Fatal(err)
	}
	after := view()
	if after.SHA256 == before.SHA256 || after.Title != "a" || len(after.Sets) != 1 {
		t.Errorf("replaced: %+v (before %+v)", after, before)
	}
	if err := c.ReplaceFrom(ctx, "x", bytesOpener(tinyJPEG(t, 3)), "a.jpg", nil); err == nil {
		t.Error("a replace of no photo id was sent")
	}
}

// TestReplaceRefused: a free account cannot replace (Flickr's error 1).
func TestReplaceRefused(t *testing.T) {
	_, c := startEmulator(t, emulator.Config{Free: true})
	ctx := t.Context()
	id, err := c.UploadFrom(ctx, bytesOpener(tinyJPEG(t, 1)), UploadParams{Title: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ReplaceFrom(ctx, id, bytesOpener(tinyJPEG(t, 2)), "a.jpg", nil); !IsCode(err, 1) {
		t.Errorf("replace on a free account: %v, want Flickr's error 1", err)
	}
}
