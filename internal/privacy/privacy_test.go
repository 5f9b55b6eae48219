package privacy

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"private", "private", ""},
		{"public, safe", "public,safe", ""},
		{"family,friends", "friends,family", ""},
		{"Friends Family Moderate Screenshot Hidden", "friends,family,moderate,screenshot,hidden", ""},
		{"restricted other visible", "restricted,other,visible", ""},
		{"photo", "photo", ""},
		{"", "", "no setting"},
		{"friendz", "", `unknown word "friendz" (did you mean friends?)`},
		{"private,public", "", "with another visibility"},
		{"public,family", "", "with another visibility"},
		{"family,private", "", "with another visibility"},
		{"friends,friends", "", "friends said twice"},
		{"safe,moderate", "", "safety level said twice"},
		{"hidden,visible", "", "hidden or visible said twice"},
	}
	for _, tt := range tests {
		s, err := Parse(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Parse(%q) = %v, %v; want error %q", tt.in, s, err, tt.err)
			}
			continue
		}
		if err != nil || s.String() != tt.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tt.in, s.String(), err, tt.want)
		}
		if again, err := Parse(s.String()); err != nil || again != s {
			t.Errorf("Parse(String(%q)) = %+v, %v", tt.in, again, err)
		}
	}
}

// TestRules: the default, then each rule covering the path, aspect by aspect, the later
// over the earlier; a folder pattern covers everything below it.
func TestRules(t *testing.T) {
	var rs Rules
	rs.Default = Setting{Visibility: Visibility{Set: true}}
	for _, line := range []string{"**  private", "family/ friends,family", "*.png screenshot", "family/public/** public,safe", `my\ shots/ hidden`} {
		r, err := ParseRule(line)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		rs.Rules = append(rs.Rules, r)
	}
	tests := []struct{ path, upload, covered string }{
		{"a.jpg", "private", "private"},
		{"family/garden.jpg", "friends,family", "friends,family"},
		{"family/2019/garden.png", "friends,family,screenshot", "friends,family,screenshot"},
		{"family/public/x.jpg", "public,safe", "public,safe"},
		{"familyx/a.jpg", "private", "private"},
		{"my shots/a.jpg", "private,hidden", "private,hidden"},
	}
	for _, tt := range tests {
		if got := rs.For(tt.path).String(); got != tt.upload {
			t.Errorf("For(%q) = %q, want %q", tt.path, got, tt.upload)
		}
		if got := rs.Covered(tt.path).String(); got != tt.covered {
			t.Errorf("Covered(%q) = %q, want %q", tt.path, got, tt.covered)
		}
	}
	only := Rules{Default: Setting{Visibility: Visibility{Set: true, Friend: true}}}
	if r, err := ParseRule("shots/ hidden"); err == nil {
		only.Rules = append(only.Rules, r)
	}
	if got := only.Covered("a.jpg"); !got.IsZero() {
		t.Errorf("a path no rule covers: %q", got)
	}
	if got := only.For("shots/a.jpg").String(); got != "friends,hidden" {
		t.Errorf("For = %q", got)
	}
	var none *Rules
	if !none.For("a").IsZero() {
		t.Error("nil rules set something")
	}
	for _, bad := range []string{"", "family/", "!family/ public", "#x public", "family/ loud"} {
		if _, err := ParseRule(bad); err == nil {
			t.Errorf("ParseRule(%q) accepted", bad)
		}
	}
}
