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
	"io"
	"os"
	"path/filepath"
	"strings"
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
	c := mustNew(t, Config{BaseURL: base, APIKey: "0123456789abcdef0123456789abcdef", APISecret: "fedcba9876543210",
		Token: tok, TokenSecret: sec, RateLimit: -1, MaxAttempts: 12, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})
	c.sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() } // Retry-After: no real wait
	return srv, c
}

// sigTag is the tag flickrsync uploads for a signature.
func sigTag(hex string) string { return names.SignatureTag(hex) }

// signatureOf reads the signature machine tag of a photo, "" without one.
func signatureOf(p Photo) string {
	for _, t := range p.MachineTags {
		if v, ok := names.SignatureIn(t); ok {
			return v
		}
	}
	return ""
}

// bytesOpener is an upload source of b.
func bytesOpener(b []byte) Opener {
	return func() (io.ReadCloser, int64, error) { return io.NopCloser(bytes.NewReader(b)), int64(len(b)), nil }
}

// listAll walks people.getPhotos and returns the photos and the number of pages.
func listAll(ctx context.Context, c *Client, opt ListOptions) ([]Photo, int, error) {
	var all []Photo
	pages := 0
	err := c.WalkPeoplePhotos(ctx, opt, func(p PhotoPage) error {
		pages++
		all = append(all, p.Photos...)
		return nil
	})
	return all, pages, err
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
	srv, c := startEmulator(t, emulator.Config{MaxUploadBytes: 12345})
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
	limits, err := c.PeopleGetLimits(ctx)
	if err != nil || limits != (UploadLimits{PhotoMaxBytes: 12345, VideoMaxBytes: 1 << 30, VideoMaxDuration: 3 * time.Minute}) {
		t.Fatalf("getLimits %+v, %v", limits, err)
	}

	imgA, imgB := tinyJPEG(t, 1), tinyJPEG(t, 2)
	pathA := filepath.Join(dir, "IMG_0001.jpg")
	os.WriteFile(pathA, imgA, 0o644)
	idA, err := uploadFile(ctx, c, pathA, UploadParams{Title: "IMG_0001.jpg", Tags: sigTag("aa11")})
	if err != nil || idA == "" {
		t.Fatalf("upload %q, %v", idA, err)
	}
	idB, err := c.UploadFrom(ctx, bytesOpener(imgB), UploadParams{Title: "IMG_0002.jpg", Tags: sigTag("bb22") + ` "Holiday 2024"`})
	if err != nil || idB == "" {
		t.Fatalf("upload %q, %v", idB, err)
	}

	photos, _, err := listAll(ctx, c, ListOptions{})
	if err != nil || len(photos) != 2 {
		t.Fatalf("getPhotos %+v, %v", photos, err)
	}
	byID := map[string]Photo{}
	for _, p := range photos {
		byID[p.ID] = p
	}
	if p := byID[idA]; signatureOf(p) != "aa11" || p.URLO == "" || p.OriginalFormat != "jpg" || p.DateUpload == 0 || p.Media != "photo" {
		t.Errorf("photo A %+v", p)
	}
	if p := byID[idB]; signatureOf(p) != "bb22" || !contains(p.Tags, "holiday2024") {
		t.Errorf("photo B %+v", p)
	}
	found, err := c.SearchBySignature(ctx, "bb22")
	if err != nil || len(found) != 1 || found[0].ID != idB {
		t.Errorf("search %+v, %v", found, err)
	}

	// Tags: raw and clean forms.
	if err := c.PhotosAddTags(ctx, idA, `"Île de Ré" "geo:locality=San Francisco"`); err != nil {
		t.Fatal(err)
	}
	pi, err := c.PhotosGetInfo(ctx, idA)
	if err != nil {
		t.Fatal(err)
	}
	var raws []string
	for _, tag := range pi.TagDetails {
		raws = append(raws, tag.Raw+"="+tag.Clean)
	}
	if got := strings.Join(raws, " | "); got != `flickrsync:signature=aa11=flickrsync:signature=aa11 | Île de Ré=îlederé | geo:locality=San Francisco=geo:locality=sanfrancisco` {
		t.Errorf("tags %s", got)
	}
	if err := c.PhotosSetTags(ctx, idA, sigTag("aa11")); err != nil {
		t.Fatal(err)
	}
	if pi, _ := c.PhotosGetInfo(ctx, idA); len(pi.Tags) != 1 || signatureOf(pi.Photo) != "aa11" {
		t.Errorf("after setTags %+v", pi.Tags)
	}

	// Photosets.
	set, err := c.PhotosetsCreate(ctx, "2024", "[created by flickrsync]", idA)
	if err != nil || set == "" {
		t.Fatalf("create %q, %v", set, err)
	}
	if err := c.PhotosetsEditPhotos(ctx, set, idB, []string{idB, idA}); err != nil {
		t.Fatal(err)
	}
	sets, err := c.PhotosetsGetList(ctx)
	if err != nil || len(sets) != 1 || sets[0].Title != "2024" || sets[0].Photos != 2 || sets[0].Primary != idB || sets[0].Description != "[created by flickrsync]" {
		t.Errorf("sets %+v, %v", sets, err)
	}
	if err := c.PhotosetsDelete(ctx, set); err != nil {
		t.Fatal(err)
	}

	// Download the original: the same bytes; never over an existing file; never more
	// than the account's limit.
	dest := filepath.Join(dir, "down", "a.jpg")
	os.MkdirAll(filepath.Dir(dest), 0o755)
	if _, err := c.Download(ctx, byID[idA].URLO, dest, DownloadOptions{MaxBytes: limits.PhotoMaxBytes}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dest); !bytes.Equal(got, imgA) {
		t.Errorf("downloaded %d bytes, uploaded %d", len(got), len(imgA))
	}
	if _, err := c.Download(ctx, byID[idA].URLO, dest, DownloadOptions{}); !errors.Is(err, os.ErrExist) {
		t.Errorf("second download: %v", err)
	}
	if _, err := c.Download(ctx, byID[idA].URLO, dest+"2", DownloadOptions{MaxBytes: int64(len(imgA)) - 1}); !errors.Is(err, errTooLarge) {
		t.Errorf("download over the limit: %v", err)
	}

	// Flickr errors arrive typed.
	if _, err := c.PhotosGetInfo(ctx, "1"); !IsCode(err, CodeNotFound) {
		t.Errorf("getInfo of a missing photo: %v", err)
	}
	bad := mustNew(t, Config{BaseURL: c.cfg.BaseURL, APIKey: c.cfg.APIKey, APISecret: "wrong", Token: c.cfg.Token, TokenSecret: c.cfg.TokenSecret})
	var oe *OAuthError
	if _, err := bad.TestLogin(ctx); !errors.As(err, &oe) || oe.Problem != "signature_invalid" || !errors.Is(err, ErrAuth) {
		t.Errorf("wrong secret: %v", err)
	}
	t.Logf("calls: %v", srv.Calls())
}

func TestEmulatorPaging(t *testing.T) {
	srv, c := startEmulator(t, emulator.Config{})
	const n = 1203
	for i := range n {
		if _, err := srv.AddPhoto(emulator.SeedPhoto{Title: fmt.Sprintf("p%d", i), Tags: sigTag(fmt.Sprintf("%04x", i))}); err != nil {
			t.Fatal(err)
		}
	}
	photos, pages, err := listAll(t.Context(), c, ListOptions{})
	if err != nil || len(photos) != n || pages != 3 {
		t.Fatalf("%d photos in %d pages, %v", len(photos), pages, err)
	}
	sigs := map[string]bool{}
	for _, p := range photos {
		sigs[signatureOf(p)] = true
	}
	if len(sigs) != n {
		t.Errorf("%d distinct signatures", len(sigs))
	}
}

// TestEmulatorFaults: with a third of the calls failing (5xx, 105/201, 429), every call
// still succeeds; a lost upload answer gives ErrUploadAmbiguous and the photo is found by
// its signature.
func TestEmulatorFaults(t *testing.T) {
	srv, c := startEmulator(t, emulator.Config{Faults: emulator.FaultConfig{HTTPErrorRate: 0.15, FlickrErrorRate: 0.1, ThrottleRate: 0.1}})
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
			res, err := c.UploadFrom(ctx, bytesOpener(img), UploadParams{Tags: sigTag(sig)})
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
			case err != nil || res == "":
				t.Fatalf("upload %d: %q, %v", i, res, err)
			default:
				id = res
			}
		}
		if err := c.PhotosAddTags(ctx, id, "x"); err != nil {
			t.Fatalf("addTags %d: %v", i, err)
		}
	}
	photos, _, err := listAll(ctx, c, ListOptions{PerPage: 7})
	if err != nil || len(dedupe(photos, func(p Photo) string { return p.ID })) != 20 {
		t.Fatalf("getPhotos: %d, %v", len(photos), err)
	}
	calls := srv.Calls()
	t.Logf("%d ambiguous uploads; calls: %v", ambiguous, calls)

	srv2, c2 := startEmulator(t, emulator.Config{Faults: emulator.FaultConfig{LostUploadRate: 1, Only: []string{"upload"}}})
	img := tinyJPEG(t, 99)
	_, err = c2.UploadFrom(ctx, bytesOpener(img), UploadParams{Tags: sigTag("dead")})
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
