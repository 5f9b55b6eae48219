package cli

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

// appendConfig adds lines to the profile.
func (e *e2e) appendConfig(lines string) {
	e.t.Helper()
	f, err := os.OpenFile(e.cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(lines); err != nil {
		e.t.Fatal(err)
	}
}

func (e *e2e) privacyOf(title string) string {
	e.t.Helper()
	for _, p := range e.srv.Photos() {
		if p.Title == title {
			return fmt.Sprintf("public=%v friend=%v family=%v safety=%d content=%d hidden=%v",
				p.IsPublic, p.IsFriend, p.IsFamily, p.SafetyLevel, p.ContentType, p.Hidden)
		}
	}
	e.t.Fatalf("no photo %q", title)
	return ""
}

// TestPrivacyRules: the privacy rules apply at upload; a rule changed later applies to
// the photos already on Flickr (shown by a dry run first); a photo no rule covers, and
// one changed by hand while its rule stays, is left as it is.
func TestPrivacyRules(t *testing.T) {
	e := newE2EWith(t, emulator.Config{Username: "tester", AutoApprove: true, Seed: 1})
	e.appendConfig("privacy = family/  friends,family\n    shots/   screenshot,hidden\n")
	e.pic("a.jpg", sample.Picture{Seed: 1})
	e.pic("family/b.jpg", sample.Picture{Seed: 2})
	e.pic("shots/c.png", sample.Picture{Seed: 3, PNG: true})
	e.mustRun("sync", "--noprompt")
	for title, want := range map[string]string{
		"a": "public=false friend=false family=false safety=0 content=1 hidden=false",
		"b": "public=false friend=true family=true safety=0 content=1 hidden=false",
		"c": "public=false friend=false family=false safety=0 content=2 hidden=true",
	} {
		if got := e.privacyOf(title); got != want {
			t.Errorf("%s uploaded as %s, want %s", title, got, want)
		}
	}
	e.srv.ResetCalls()
	e.mustRun("sync", "--noprompt")
	if c := e.srv.Calls(); c["flickr.photos.setPerms"]+c["flickr.photos.setSafetyLevel"]+c["flickr.photos.setContentType"] != 0 {
		t.Errorf("a sync with the same rules changed photos: %v", c)
	}

	// The family becomes public, shots safe and moderate; everything else private,
	// including a picture moved into family/ by hand.
	if err := os.WriteFile(e.cfg, []byte(strings.Replace(mustRead(t, e.cfg), "privacy = family/  friends,family",
		"privacy = family/  public,moderate", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	before := e.digest()
	code, out, _ := e.run("sync", "--dryrun")
	if code != 0 || !strings.Contains(out, "privacy: family/b.jpg: would set photo ") || !strings.Contains(out, ": public,moderate (was friends,family)") {
		t.Errorf("dry run: exit %d, plan:\n%s", code, out)
	}
	if e.digest() != before {
		t.Error("the dry run changed something")
	}
	e.srv.ResetCalls()
	e.mustRun("sync", "--noprompt")
	if got := e.privacyOf("b"); got != "public=true friend=false family=false safety=1 content=1 hidden=false" {
		t.Errorf("b after the rule changed: %s", got)
	}
	if c := e.srv.Calls(); c["flickr.photos.setPerms"] != 1 || c["flickr.photos.setSafetyLevel"] != 1 || c["flickr.photos.setContentType"] != 0 {
		t.Errorf("calls %v: want one setPerms and one setSafetyLevel (b)", c)
	}
	if got := e.privacyOf("a"); got != "public=false friend=false family=false safety=0 content=1 hidden=false" {
		t.Errorf("a (no rule) changed: %s", got)
	}

	// Moving a picture under another rule applies that rule.
	if err := os.Rename(e.lib+"/a.jpg", e.lib+"/family/a.jpg"); err != nil {
		t.Fatal(err)
	}
	e.mustRun("sync", "--noprompt")
	if got := e.privacyOf("a"); got != "public=true friend=false family=false safety=1 content=1 hidden=false" {
		t.Errorf("a moved into family/: %s", got)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
