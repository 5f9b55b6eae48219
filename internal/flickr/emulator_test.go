package flickr

// The client against the emulator (internal/flickr/emulator), the Flickr of the other
// tests: a whole session of the calls the sync makes, then the same under injected faults.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/names"
)

func startEmulator(t *testing.T, cfg emulator.Config) (*emulator.Server, *Client) {
	t.Helper()
	cfg.Username, cfg.UserNSID, cfg.Seed = "tester", "12345678@N00", 7
	if cfg.TicketDelay == 0 {
		cfg.TicketDelay = time.Millisecond
	}
	srv := emulator.New(cfg)
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	tok, sec := srv.IssueToken("write")
	c := New(Config{BaseURL: base, APIKey: "0123456789abcdef0123456789abcdef", APISecret: "fedcba9876543210",
		Token: tok, TokenSecret: sec, RateLimit: -1, MaxAttempts: 12, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})
	c.sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() } // Retry-After: no real wait
	return srv, c
}

// tinyJPEG returns a valid baseline JPEG (the emulator reads uploads' EXIF).
func tinyJPEG(t *testing.T, seed byte) []byte {
	t.Helper()
	b, err := emulatorJPEG(seed)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAgainstEmulator(t *testing.T) {
	srv, c := startEmulator(t, emulator.Config{})
	ctx := t.Context()
	dir := t.TempDir()

	u, err := c.TestLogin(ctx)
	if err != nil || u.NSID != "12345678@N00" || u.Username != "tester" {
		t.Fatalf("test.login %+v, %v", u, err)
	}
	info, err := c.CheckToken(ctx)
	if err != nil || info.Perms != "write" || info.User.NSID != "12345678@N00" {
		t.Fatalf("checkToken %+v, %v", info, err)
	}

	// A sync upload and an async one.
	imgA, imgB := tinyJPEG(t, 1), tinyJPEG(t, 2)
	pathA := filepath.Join(dir, "IMG_0001.jpg")
	os.WriteFile(pathA, imgA, 0o644)
	resA, err := c.UploadFile(ctx, pathA, UploadParams{Title: "IMG_0001.jpg", Tags: names.SignatureTag("aa11")})
	if err != nil || resA.PhotoID == "" {
		t.Fatalf("upload %+v, %v", resA, err)
	}
	resB, err := c.Upload(ctx, bytes.NewReader(imgB), int64(len(imgB)), UploadParams{Title: "IMG_0002.jpg",
		Tags: JoinTags([]string{names.SignatureTag("bb22"), "Holiday 2024"}), Async: true})
	if err != nil || resB.TicketID == "" {
		t.Fatalf("async upload %+v, %v", resB, err)
	}
	var photoB string
	for range 1000 {
		ts, err := c.CheckTickets(ctx, []string{resB.TicketID})
		if err != nil || len(ts) != 1 {
			t.Fatalf("checkTickets %+v, %v", ts, err)
		}
		if ts[0].Complete == TicketComplete {
			photoB = ts[0].PhotoID
			break
		}
		time.Sleep(time.Millisecond)
	}
	if photoB == "" {
		t.Fatal("ticket never completed")
	}

	photos, err := c.PeopleGetPhotos(ctx, ListOptions{})
	if err != nil || len(photos) != 2 {
		t.Fatalf("getPhotos %+v, %v", photos, err)
	}
	byID := map[string]Photo{}
	for _, p := range photos {
		byID[p.ID] = p
	}
	if p := byID[resA.PhotoID]; p.Signature() != "aa11" || p.URLO == "" || p.OriginalFormat != "jpg" || p.DateUpload == 0 || p.Media != "photo" {
		t.Errorf("photo A %+v", p)
	}
	if p := byID[photoB]; p.Signature() != "bb22" || !contains(p.Tags, "holiday2024") {
		t.Errorf("photo B %+v", p)
	}
	found, err := c.SearchBySignature(ctx, "bb22")
	if err != nil || len(found) != 1 || found[0].ID != photoB {
		t.Errorf("search %+v, %v", found, err)
	}

	// Tags: Flickr's clean forms are what NormalizeTag predicts.
	if err := c.PhotosAddTags(ctx, resA.PhotoID, JoinTags([]string{"Île de Ré", "geo:locality=San Francisco"})); err != nil {
		t.Fatal(err)
	}
	pi, err := c.PhotosGetInfo(ctx, resA.PhotoID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range pi.TagDetails {
		if NormalizeTag(tag.Raw) != tag.Clean || IsMachineTag(tag.Raw) != tag.MachineTag {
			t.Errorf("tag %+v: NormalizeTag gives %q", tag, NormalizeTag(tag.Raw))
		}
	}
	if len(pi.TagDetails) != 3 {
		t.Errorf("tags %+v", pi.TagDetails)
	}
	if err := c.PhotosSetTags(ctx, resA.PhotoID, names.SignatureTag("aa11")); err != nil {
		t.Fatal(err)
	}
	if pi, _ := c.PhotosGetInfo(ctx, resA.PhotoID); len(pi.Tags) != 1 || pi.Signature() != "aa11" {
		t.Errorf("after setTags %+v", pi.Tags)
	}

	// Photosets.
	set, err := c.PhotosetsCreate(ctx, "2024", "[created by flickrsync]", resA.PhotoID)
	if err != nil || set.ID == "" {
		t.Fatalf("create %+v, %v", set, err)
	}
	if err := c.PhotosetsAddPhoto(ctx, set.ID, photoB); err != nil {
		t.Fatal(err)
	}
	if err := c.PhotosetsAddPhoto(ctx, set.ID, photoB); !IsCode(err, CodePhotoAlreadyInSet) {
		t.Errorf("second addPhoto: %v", err)
	}
	if err := c.PhotosetsEditPhotos(ctx, set.ID, photoB, []string{photoB, resA.PhotoID}); err != nil {
		t.Fatal(err)
	}
	inSet, err := c.PhotosetsGetPhotos(ctx, set.ID, ListOptions{})
	if err != nil || len(inSet) != 2 || inSet[0].ID != photoB || !inSet[0].IsPrimary {
		t.Errorf("set photos %+v, %v", inSet, err)
	}
	if err := c.PhotosetsRemovePhotos(ctx, set.ID, []string{resA.PhotoID}); err != nil {
		t.Fatal(err)
	}
	sets, err := c.PhotosetsGetList(ctx)
	if err != nil || len(sets) != 1 || sets[0].Title != "2024" || sets[0].Photos != 1 || sets[0].Description != "[created by flickrsync]" {
		t.Errorf("sets %+v, %v", sets, err)
	}
	if err := c.PhotosetsDelete(ctx, set.ID); err != nil {
		t.Fatal(err)
	}

	// Download the original: the same bytes; never over an existing file.
	dest := filepath.Join(dir, "down", "a.jpg")
	os.MkdirAll(filepath.Dir(dest), 0o755)
	if _, err := c.Download(ctx, byID[resA.PhotoID].URLO, dest, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dest); !bytes.Equal(got, imgA) {
		t.Errorf("downloaded %d bytes, uploaded %d", len(got), len(imgA))
	}
	if _, err := c.Download(ctx, byID[resA.PhotoID].URLO, dest, nil); !errors.Is(err, os.ErrExist) {
		t.Errorf("second download: %v", err)
	}

	// Replace keeps the id.
	pathC := filepath.Join(dir, "c.jpg")
	os.WriteFile(pathC, tinyJPEG(t, 3), 0o644)
	rep, err := c.ReplaceFile(ctx, resA.PhotoID, pathC, false, nil)
	if err != nil || rep.PhotoID != resA.PhotoID {
		t.Errorf("replace %+v, %v", rep, err)
	}

	// Flickr errors arrive typed.
	if _, err := c.PhotosGetInfo(ctx, "1"); !IsCode(err, CodeNotFound) {
		t.Errorf("getInfo of a missing photo: %v", err)
	}
	bad := New(Config{BaseURL: c.cfg.BaseURL, APIKey: c.cfg.APIKey, APISecret: "wrong", Token: c.cfg.Token, TokenSecret: c.cfg.TokenSecret})
	var oe *OAuthError
	if _, err := bad.TestLogin(ctx); !errors.As(err, &oe) || oe.Problem != "signature_invalid" {
		t.Errorf("wrong secret: %v", err)
	}
	t.Logf("calls: %v", srv.Calls())
}

func TestEmulatorPaging(t *testing.T) {
	srv, c := startEmulator(t, emulator.Config{})
	const n = 1203
	for i := range n {
		if _, err := srv.AddPhoto(emulator.SeedPhoto{Title: fmt.Sprintf("p%d", i), Tags: names.SignatureTag(fmt.Sprintf("%04x", i))}); err != nil {
			t.Fatal(err)
		}
	}
	pages := 0
	photos, err := c.PeopleGetPhotos(t.Context(), ListOptions{Progress: func(PhotoPage) { pages++ }})
	if err != nil || len(photos) != n || pages != 3 {
		t.Fatalf("%d photos in %d pages, %v", len(photos), pages, err)
	}
	sigs := map[string]bool{}
	for _, p := range photos {
		sigs[p.Signature()] = true
	}
	if len(sigs) != n {
		t.Errorf("%d distinct signatures", len(sigs))
	}
}

// TestEmulatorFaults: with a third of the calls failing (5xx, 105/201, 429), every call
// still succeeds; a lost upload answer gives ErrUploadAmbiguous and the photo is found by
// its signature.
func TestEmulatorFaults(t *testing.T) {
	_, c := startEmulator(t, emulator.Config{Faults: emulator.FaultConfig{HTTPErrorRate: 0.15, FlickrErrorRate: 0.1, ThrottleRate: 0.1}})
	ctx := t.Context()
	ambiguous := 0
	for i := range 20 {
		img := tinyJPEG(t, byte(10+i))
		sig := fmt.Sprintf("f%03d", i)
		// What the sync does: an ambiguous upload is looked up by its signature, and
		// uploaded again only when it is not there (a 504 is ambiguous: the gateway may
		// have lost the answer of a stored photo).
		var id string
		for id == "" {
			res, err := c.Upload(ctx, bytes.NewReader(img), int64(len(img)), UploadParams{Tags: names.SignatureTag(sig)})
			switch {
			case errors.Is(err, ErrUploadAmbiguous):
				ambiguous++
				found, err := c.SearchBySignature(ctx, sig)
				if err != nil || len(found) > 1 {
					t.Fatalf("search %s: %+v, %v", sig, found, err)
				}
				if len(found) == 1 {
					id = found[0].ID
				}
			case err != nil || res.PhotoID == "":
				t.Fatalf("upload %d: %+v, %v", i, res, err)
			default:
				id = res.PhotoID
			}
		}
		if err := c.PhotosAddTags(ctx, id, "x"); err != nil {
			t.Fatalf("addTags %d: %v", i, err)
		}
	}
	photos, err := c.PeopleGetPhotos(ctx, ListOptions{PerPage: 7})
	if err != nil || len(photos) != 20 {
		t.Fatalf("getPhotos: %d, %v", len(photos), err)
	}
	var retries int64
	for _, s := range c.Stats() {
		retries += s.Retries
	}
	if retries == 0 {
		t.Errorf("no retries with faults injected: %v", c.Stats())
	}
	t.Logf("%d ambiguous uploads; stats:\n%s", ambiguous, FormatStats(c.Stats()))

	srv2, c2 := startEmulator(t, emulator.Config{Faults: emulator.FaultConfig{LostUploadRate: 1, Only: []string{"upload"}}})
	img := tinyJPEG(t, 99)
	_, err = c2.Upload(ctx, bytes.NewReader(img), int64(len(img)), UploadParams{Tags: names.SignatureTag("dead")})
	if !errors.Is(err, ErrUploadAmbiguous) || srv2.Calls()["upload"] != 1 {
		t.Fatalf("lost upload: %v, %d upload calls", err, srv2.Calls()["upload"])
	}
	found, err := c2.SearchBySignature(ctx, "dead")
	if err != nil || len(found) != 1 {
		t.Errorf("the lost upload is not found by its signature: %+v, %v", found, err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// emulatorJPEG encodes an 8x8 image whose colour depends on seed.
func emulatorJPEG(seed byte) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = seed*31 + byte(i)
	}
	var b bytes.Buffer
	err := jpeg.Encode(&b, img, nil)
	return b.Bytes(), err
}
