package privacy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/flickrsync/flickrsync/internal/ignore"
	"github.com/flickrsync/flickrsync/internal/words"
)

// Setting is who may see a photo and how Flickr classes it. Each aspect may be unset
// (zero): the rule or default that gives the setting says nothing of it.
type Setting struct {
	// Visibility: Set says whether the setting gives one; then everyone (Public), or only
	// the owner's friends and/or family, or the owner alone (all false: private).
	Visibility Visibility
	// Safety is Flickr's safety level: 1 safe, 2 moderate, 3 restricted.
	Safety int
	// Content is Flickr's content type: 1 photo, 2 screenshot, 3 other.
	Content int
	// Hidden is 1 shown in public searches, 2 hidden from them (the upload's values).
	Hidden int
}

// Visibility is who may see a photo.
type Visibility struct {
	Set                    bool
	Public, Friend, Family bool
}

// The words of a setting, by aspect; Safety, Content and Hidden are the index of their
// word plus one (Flickr's values).
var (
	safetyWords  = []string{"safe", "moderate", "restricted"}
	contentWords = []string{"photo", "screenshot", "other"}
	hiddenWords  = []string{"visible", "hidden"}
	visWords     = []string{"private", "public", "friends", "family"}
)

// Words lists every word a setting is written with.
func Words() []string {
	return slices.Concat(visWords, safetyWords, contentWords, hiddenWords)
}

// Parse reads a setting written as words separated by commas (or spaces): private,
// public, friends, family (friends and family together are both), safe, moderate,
// restricted, photo, screenshot, other, visible, hidden. Each aspect is said once.
func Parse(text string) (Setting, error) {
	var s Setting
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(fields) == 0 {
		return s, fmt.Errorf("no setting (want words such as %s)", strings.Join(Words(), ", "))
	}
	set := func(aspect string, dst *int, v int) error {
		if *dst != 0 {
			return fmt.Errorf("%s said twice", aspect)
		}
		*dst = v
		return nil
	}
	var err error
	for _, f := range fields {
		switch {
		case slices.Contains(visWords, f):
			err = s.Visibility.add(f)
		case slices.Contains(safetyWords, f):
			err = set("safety level", &s.Safety, slices.Index(safetyWords, f)+1)
		case slices.Contains(contentWords, f):
			err = set("content type", &s.Content, slices.Index(contentWords, f)+1)
		case slices.Contains(hiddenWords, f):
			err = set("hidden or visible", &s.Hidden, slices.Index(hiddenWords, f)+1)
		default:
			err = fmt.Errorf("unknown word %q", f)
			if near := words.Closest(f, Words()); near != "" {
				err = fmt.Errorf("unknown word %q (did you mean %s?)", f, near)
			}
		}
		if err != nil {
			return Setting{}, err
		}
	}
	return s, nil
}

func (v *Visibility) add(word string) error {
	exclusive := v.Public || !v.Friend && !v.Family // private or public said before
	switch {
	case v.Set && (word == "private" || word == "public" || exclusive):
		return fmt.Errorf("%q with another visibility: say private, public, or friends and/or family", word)
	case word == "friends" && v.Friend, word == "family" && v.Family:
		return fmt.Errorf("%s said twice", word)
	}
	v.Set = true
	v.Public = v.Public || word == "public"
	v.Friend = v.Friend || word == "friends"
	v.Family = v.Family || word == "family"
	return nil
}

// String writes the setting as Parse reads it, in a fixed order ("" when nothing is set).
func (s Setting) String() string {
	var out []string
	if v := s.Visibility; v.Set {
		switch {
		case v.Public:
			out = append(out, "public")
		case !v.Friend && !v.Family:
			out = append(out, "private")
		default:
			if v.Friend {
				out = append(out, "friends")
			}
			if v.Family {
				out = append(out, "family")
			}
		}
	}
	for _, a := range []struct {
		v     int
		words []string
	}{{s.Safety, safetyWords}, {s.Content, contentWords}, {s.Hidden, hiddenWords}} {
		if a.v > 0 && a.v <= len(a.words) {
			out = append(out, a.words[a.v-1])
		}
	}
	return strings.Join(out, ",")
}

// Over is s with the aspects o sets taken from o.
func (s Setting) Over(o Setting) Setting {
	if o.Visibility.Set {
		s.Visibility = o.Visibility
	}
	if o.Safety != 0 {
		s.Safety = o.Safety
	}
	if o.Content != 0 {
		s.Content = o.Content
	}
	if o.Hidden != 0 {
		s.Hidden = o.Hidden
	}
	return s
}

// IsZero reports whether the setting sets nothing.
func (s Setting) IsZero() bool { return s == Setting{} }

// Rule gives the pictures whose library-relative path its pattern matches a setting.
type Rule struct {
	Pattern string // gitignore's syntax, anchored at the library (see package ignore)
	Setting Setting
	match   *ignore.Matcher
}

// Matches reports whether the rule covers a library-relative path: the pattern matches
// it or a folder above it.
func (r *Rule) Matches(path string) bool {
	ex, _ := r.match.Decide(nil, path, false)
	return ex
}

// ParseRule reads one rule: a pattern, spaces, then the setting's words ("family/
// friends,family"). A space inside the pattern is written "\ ".
func ParseRule(line string) (Rule, error) {
	line = strings.TrimSpace(line)
	i := 0
	for i < len(line) && line[i] != ' ' && line[i] != '\t' {
		if line[i] == '\\' {
			i++
		}
		i++
	}
	pattern, rest := line[:min(i, len(line))], strings.TrimSpace(line[min(i, len(line)):])
	switch {
	case pattern == "":
		return Rule{}, fmt.Errorf("no pattern")
	case strings.HasPrefix(pattern, "!"):
		return Rule{}, fmt.Errorf("pattern %q: '!' re-includes, which a privacy rule cannot (a later rule overrides an earlier one)", pattern)
	case strings.HasPrefix(pattern, "#"):
		return Rule{}, fmt.Errorf("pattern %q starts a comment (write \\# for a name starting with #)", pattern)
	}
	s, err := Parse(rest)
	if err != nil {
		return Rule{}, fmt.Errorf("pattern %q: %w", pattern, err)
	}
	return Rule{Pattern: pattern, Setting: s,
		match: &ignore.Matcher{Excludes: ignore.Patterns("privacy", []string{pattern})}}, nil
}

// Rules are a profile's privacy: Default for every upload, overridden aspect by aspect
// by each rule covering the picture, the later rules over the earlier.
type Rules struct {
	Default Setting
	Rules   []Rule
}

// For is the setting an upload of the picture at path gets.
func (rs *Rules) For(path string) Setting {
	if rs == nil {
		return Setting{}
	}
	return rs.Default.Over(rs.Covered(path))
}

// Covered is what the rules covering path set, without the default (zero when none
// covers it): what a change of rules applies to photos already on Flickr.
func (rs *Rules) Covered(path string) Setting {
	var s Setting
	if rs == nil {
		return s
	}
	for i := range rs.Rules {
		if rs.Rules[i].Matches(path) {
			s = s.Over(rs.Rules[i].Setting)
		}
	}
	return s
}
