package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// flickrapiPython finds a python3 that can import flickrapi (Debian's python3-flickrapi
// lives in /usr/lib/python3/dist-packages, which a pyenv python3 first on PATH cannot see).
func flickrapiPython(t *testing.T) string {
	t.Helper()
	var cands []string
	if p, err := exec.LookPath("python3"); err == nil {
		cands = append(cands, p)
	}
	cands = append(cands, "/usr/bin/python3")
	for _, p := range cands {
		if err := exec.Command(p, "-c", "import flickrapi").Run(); err == nil {
			return p
		}
	}
	sharedtest.Absent(t, "python3 -c 'import flickrapi' fails: python3-flickrapi not installed")
	return ""
}

// TestFlickrapiConformance runs python3-flickrapi 2.x, unchanged but for its endpoint
// URLs (and the data_walker fix for Python >= 3.9), against the emulator: oob OAuth,
// test.login, checkToken, sync and async upload with checkTickets, addTags, walk_user with
// extras, photosets create/editPhotos/getList/getPhotos/delete, url_o download, search by
// machine tag and tag, replace, getInfo tags, photos.delete, an error.
func TestFlickrapiConformance(t *testing.T) {
	py := flickrapiPython(t)
	srv, err := Open(Config{APIKey: testKey, APISecret: testSecret, Username: "conformance",
		UserNSID: "55555555@N01", AutoApprove: true, TicketDelay: 150 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	img := testJPEG(t, 42)
	file := filepath.Join(t.TempDir(), "IMG_0001.jpg")
	if err := os.WriteFile(file, img, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, filepath.Join("testdata", "flickrapi_conformance.py"), base, testKey, testSecret, file)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("script failed: %v\n%s", err, out)
	}
	sum := sha256.Sum256(img)
	want := strings.Join([]string{
		"ok oauth conformance 55555555@N01",
		"ok checkToken",
		"ok test.login 55555555@N01 conformance",
		"ok upload.sync",
		"ok upload.async+checkTickets",
		"ok addTags",
		"ok walk_user 2",
		"ok photosets",
		"ok download " + hex.EncodeToString(sum[:])[:12],
		"ok search",
		"ok replace+getInfo",
		"ok delete",
		"ok error",
		"done",
	}, "\n") + "\n"
	if string(out) != want {
		t.Fatalf("script output:\n%s\nwant:\n%s", out, want)
	}
	// the server saw what the script did
	calls := srv.Calls()
	if calls["upload"] != 2 || calls["replace"] != 1 || calls["download"] != 2 || calls["oauth"] != 3 || calls["flickr.photos.addTags"] != 1 {
		t.Fatalf("calls %v", calls)
	}
	ps := srv.Photos()
	if len(ps) != 1 || ps[0].Title != "conformance sync" || ps[0].SHA256 != hex.EncodeToString(sum[:]) ||
		ps[0].IsPublic || len(srv.Photosets()) != 0 {
		t.Fatalf("photos %+v", ps)
	}
}
