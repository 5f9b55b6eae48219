package syncer

import (
	"fmt"
	"testing"

	"github.com/flickrsync/flickrsync/internal/privacy"
)

// TestPlanPrivacy: a photo changes when its picture's rules say otherwise than what
// flickrsync last gave it (or, never given, than what uploads got: the default, or what
// this run uploaded it with); a photo no rule covers is left, and forgotten.
func TestPlanPrivacy(t *testing.T) {
	rules := &privacy.Rules{Default: privacy.Setting{Visibility: privacy.Visibility{Set: true}}}
	for _, line := range []string{"family/ friends,family", "shots/ hidden"} {
		r, err := privacy.ParseRule(line)
		if err != nil {
			t.Fatal(err)
		}
		rules.Rules = append(rules.Rules, r)
	}
	locals := []Local{
		{Path: "family/a.jpg", Signature: "a1"}, // remembered as the rule says: no change
		{Path: "family/b.jpg", Signature: "b2"}, // remembered private: the rule changed
		{Path: "family/c.jpg", Signature: "c3"}, // never remembered: uploads got private
		{Path: "family/d.jpg", Signature: "d4"}, // uploaded by this run with the rule
		{Path: "shots/e.jpg", Signature: "e5"},  // hidden, visibility left
		{Path: "f.jpg", Signature: "f6"},        // no rule: left, its memory forgotten
	}
	var remotes []Remote
	for i, l := range locals {
		remotes = append(remotes, Remote{ID: fmt.Sprint(100 + i), MachineTags: "flickrsync:signature=" + l.Signature})
	}
	m := Match(locals, remotes, MatchOptions{})
	remembered := map[string]string{"100": "friends,family", "101": "private", "105": "public"}
	changes, memory := PlanPrivacy(m, rules, remembered, map[string]string{"d4": "family/d.jpg"})
	got := map[string]string{}
	for _, c := range changes {
		got[c.Path] = c.To.String() + " was " + c.From.String()
	}
	want := map[string]string{
		"family/b.jpg": "friends,family was private",
		"family/c.jpg": "friends,family was private",
		"shots/e.jpg":  "hidden was ",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("changes %v\nwant    %v", got, want)
	}
	wantMem := map[string]string{"101": "friends,family", "102": "friends,family", "103": "friends,family", "104": "hidden", "105": ""}
	if fmt.Sprint(memory) != fmt.Sprint(wantMem) {
		t.Errorf("memory %v\nwant   %v", memory, wantMem)
	}
}
