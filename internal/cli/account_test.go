package cli

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// twoAccounts is an end-to-end setup where the emulator serves tester (the config's
// username, whose token is stored) and bob.
func twoAccounts(t *testing.T) *e2e {
	t.Helper()
	e := newE2EWith(t, emulator.Config{Username: "tester", AutoApprove: true, Seed: 1,
		Users: []emulator.Account{{Username: "bob"}}})
	// The browser approves at once, as the account the emulator has signed in.
	var wg sync.WaitGroup
	e.browser = func(u string) error {
		wg.Add(1)
		go func() { defer wg.Done(); browse(t, u) }()
		return nil
	}
	t.Cleanup(wg.Wait)
	return e
}

func (e *e2e) storeToken(user string) {
	e.t.Helper()
	tok, sec, err := e.srv.IssueTokenFor(user, "write")
	if err != nil {
		e.t.Fatal(err)
	}
	if err := config.SaveToken(e.tokenPath(), &config.Token{Token: tok, Secret: sec, Username: user, Perms: "write"}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *e2e) tokenPath() string { return filepath.Join(e.work, "tokens", "DEFAULT.json") }

// primaryNSID is the NSID of the emulator's first account (tester).
func (e *e2e) primaryNSID() string {
	e.t.Helper()
	id, err := e.srv.AddPhoto(emulator.SeedPhoto{Title: "probe"})
	if err != nil {
		e.t.Fatal(err)
	}
	defer e.srv.DeletePhoto(id)
	for _, p := range e.srv.Photos() {
		if p.ID == id {
			return p.Owner
		}
	}
	return ""
}

func (e *e2e) owners() map[string]int {
	n := map[string]int{}
	for _, p := range e.srv.Photos() {
		n[p.Owner]++
	}
	return n
}

// TestWrongAccountStops: a token of another account than the profile's username (or -u)
// stops every command that would touch the account, with exit status 2 and the cure,
// before anything is listed or sent.
func TestWrongAccountStops(t *testing.T) {
	e := twoAccounts(t)
	e.pic("a.jpg", sample.Picture{Seed: 1})
	e.storeToken("bob")
	for _, args := range [][]string{{"sync", "--noprompt"}, {"sync2", "--noprompt", "--dryrun"}, {"photosets", "--noprompt"}, {"rebase", "--noprompt"}} {
		e.srv.ResetCalls()
		code, _, errs := e.run(args...)
		want := "the stored token is for bob, the config asks for tester (username in " + e.cfg + " [DEFAULT]): run 'flickrsync auth'"
		if code != ExitUsage || !strings.Contains(errs, want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", args, code, errs, want)
		}
		if c := e.srv.Calls(); c["flickr.people.getPhotos"]+c["upload"] != 0 {
			t.Errorf("%v: called %v before the check", args, c)
		}
	}
	// -u says which account: bob's token is then the right one.
	e.mustRun("sync", "--noprompt", "-u", "bob")
	if ps := e.srv.Photos(); len(ps) != 1 || ps[0].Owner == e.primaryNSID() {
		t.Fatalf("photos %+v: want one, bob's", ps)
	}
	code, _, errs := e.run("sync", "--noprompt", "-u", "mallory")
	if code != ExitUsage || !strings.Contains(errs, "the stored token is for bob, -u asks for mallory") {
		t.Errorf("-u mallory: exit %d, %q", code, errs)
	}
}

// TestAuthForceAndLogout: auth keeps a valid token of the right account, authorises
// again when the stored one is another account's or with --force, refuses to keep a
// token of the wrong account, and --logout (or logout) removes it.
func TestAuthForceAndLogout(t *testing.T) {
	e := twoAccounts(t)
	e.pic("a.jpg", sample.Picture{Seed: 1})
	tokenOf := func() string {
		tok, err := config.LoadToken(e.tokenPath())
		if err != nil {
			return err.Error()
		}
		return tok.Username
	}

	// The stored token is bob's, the config asks for tester: auth authorises again, and
	// the browser is signed in as bob: that token is not kept.
	e.storeToken("bob")
	if err := e.srv.LogIn("bob"); err != nil {
		t.Fatal(err)
	}
	code, _, errs := e.run("auth")
	if code != ExitUsage || !strings.Contains(errs, "Flickr authorised flickrsync for bob, the config asks for tester") ||
		!strings.Contains(errs, "the stored token is for bob") || tokenOf() != "bob" {
		t.Errorf("auth as the wrong account: exit %d, %q, token of %s", code, errs, tokenOf())
	}

	// Signed in as tester: the token is replaced, and the sync goes to tester's account.
	if err := e.srv.LogIn("tester"); err != nil {
		t.Fatal(err)
	}
	out := e.mustRun("auth")
	if !strings.HasPrefix(out, "logged in as tester ") || tokenOf() != "tester" {
		t.Errorf("auth: %q, token of %s", out, tokenOf())
	}
	first, _ := config.LoadToken(e.tokenPath())

	// A valid token of the right account is kept; --force replaces it.
	oauth := e.srv.Calls()["oauth"]
	e.mustRun("auth")
	if again, _ := config.LoadToken(e.tokenPath()); again.Token != first.Token || e.srv.Calls()["oauth"] != oauth {
		t.Errorf("a valid token was replaced without --force")
	}
	e.mustRun("auth", "--force")
	if again, _ := config.LoadToken(e.tokenPath()); again.Token == first.Token || again.Username != "tester" {
		t.Errorf("--force kept the token")
	}
	if _, err := e.srv.AddPhoto(emulator.SeedPhoto{Title: "bob's", Owner: "bob"}); err != nil {
		t.Fatal(err)
	}
	bob := e.srv.Photos()[0].Owner
	e.mustRun("sync", "--noprompt")
	if o := e.owners(); len(o) != 2 || o[bob] != 1 {
		t.Errorf("photos by owner %v; bob is %s", o, bob)
	}

	// --logout and logout remove it; the next sync says to authorise.
	code, _, errs = e.run("auth", "--logout", "--dryrun")
	if code != 0 || !strings.Contains(errs, "would remove") || tokenOf() != "tester" {
		t.Errorf("logout --dryrun: exit %d, %q", code, errs)
	}
	e.mustRun("auth", "--logout")
	if _, err := os.Stat(e.tokenPath()); !os.IsNotExist(err) {
		t.Errorf("the token is still there: %v", err)
	}
	code, _, errs = e.run("logout")
	if code != 0 || !strings.Contains(errs, "nothing to remove") {
		t.Errorf("logout without a token: exit %d, %q", code, errs)
	}
	code, _, errs = e.run("sync", "--noprompt")
	if code != ExitUsage || !strings.Contains(errs, "flickrsync auth") {
		t.Errorf("sync after logout: exit %d, %q", code, errs)
	}
}
