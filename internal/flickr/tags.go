package flickr

import (
	"strings"
	"unicode"
)

// SignatureNamespace is the machine tag under which flickrsync stores a photo's
// signature: flickrsync:signature=<lowercase hex>.
const SignatureNamespace = "flickrsync:signature"

// SignatureTag returns the tag to upload or add for a signature, in the quoted form the
// Python flickrsync used: flickrsync:signature="<hex>". Flickr stores its clean form
// flickrsync:signature=<hex>.
func SignatureTag(hex string) string {
	return SignatureNamespace + `="` + hex + `"`
}

// SignatureMachineTagQuery returns the machine_tags search argument for a signature.
func SignatureMachineTagQuery(hex string) string {
	return SignatureNamespace + "=" + hex
}

// SignatureFromMachineTags returns the signature in the first flickrsync:signature=<hex>
// tag of tags, or "" when there is none. Like the Python tool's regex
// flickrsync:signature=([0-9a-f]+)( |$) it accepts only lowercase hex; the quoted raw
// form is accepted too.
func SignatureFromMachineTags(tags []string) string {
	for _, t := range tags {
		v, ok := strings.CutPrefix(t, SignatureNamespace+"=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		if v != "" && strings.Trim(v, "0123456789abcdef") == "" {
			return v
		}
	}
	return ""
}

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
// tags without spaces, such as SignatureTag's, are passed as they are.
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
