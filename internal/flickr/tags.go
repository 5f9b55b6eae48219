package flickr

import (
	"strings"
	"unicode"
)

// NormalizeTag returns the clean form Flickr stores for a raw tag (API.md §4, checked
// against 189 observed pairs): lowercase, and every character that is not a letter or a
// digit dropped (spaces, punctuation, quotes), non-ASCII letters kept. For a machine tag
// namespace:predicate=value the "namespace:predicate=" part is kept (lowercased) and only
// the value is squashed.
func NormalizeTag(raw string) string {
	raw = strings.TrimSpace(raw)
	if ns, pred, value, ok := splitMachineTag(raw); ok {
		return strings.ToLower(ns) + ":" + strings.ToLower(pred) + "=" + squash(value)
	}
	return squash(raw)
}

// IsMachineTag reports whether raw has the namespace:predicate=value form.
func IsMachineTag(raw string) bool {
	_, _, _, ok := splitMachineTag(strings.TrimSpace(raw))
	return ok
}

// splitMachineTag splits namespace:predicate=value; namespace and predicate start with a
// letter a-z and continue with a-z, 0-9 or _ (either case).
func splitMachineTag(s string) (ns, pred, value string, ok bool) {
	ns, rest, ok := strings.Cut(s, ":")
	if !ok || !machineName(ns) {
		return "", "", "", false
	}
	pred, value, ok = strings.Cut(rest, "=")
	if !ok || !machineName(pred) {
		return "", "", "", false
	}
	return ns, pred, value, true
}

func machineName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20 // ASCII lowercase
		switch {
		case 'a' <= c && c <= 'z':
		case i > 0 && ('0' <= s[i] && s[i] <= '9' || s[i] == '_'):
		default:
			return false
		}
	}
	return true
}

// squash lowercases s and keeps only letters, digits and combining marks.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// JoinTags joins tags into the space-separated tags argument of upload, addTags and
// setTags, double-quoting the ones with spaces (their own double quotes are dropped);
// tags without spaces, such as names.SignatureTag's, are passed as they are.
func JoinTags(tags []string) string {
	parts := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if strings.ContainsFunc(t, unicode.IsSpace) {
			t = `"` + strings.ReplaceAll(t, `"`, "") + `"`
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, " ")
}
