package emulator

import (
	"strings"
	"unicode"
)

// maxTagsPerPhoto is Flickr's limit of tags on one photo (announced Jan 2007).
const maxTagsPerPhoto = 75

// parseTagList splits a Flickr "tags" argument: tags are separated by whitespace, and a
// double-quoted run (anywhere in a tag, e.g. ns:pred="a b") may hold spaces; the quotes
// themselves are dropped from the raw tag.
func parseTagList(s string) []string {
	var out []string
	var cur strings.Builder
	inQuote, have := false, false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote = !inQuote
			have = true
		case unicode.IsSpace(r) && !inQuote:
			if have && cur.Len() > 0 {
				out = append(out, cur.String())
			}
			cur.Reset()
			have = false
		default:
			cur.WriteRune(r)
			have = true
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// squashTag is Flickr's "clean" form of a plain tag: lowercase, only Unicode letters and
// digits kept.
func squashTag(raw string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(raw) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// splitMachineTag recognises namespace:predicate=value (namespace and predicate start with
// a letter, then letters, digits or _; case-insensitive); ok is false for a plain tag.
func splitMachineTag(raw string) (ns, pred, value string, ok bool) {
	colon := strings.IndexByte(raw, ':')
	if colon <= 0 {
		return "", "", "", false
	}
	eq := strings.IndexByte(raw[colon+1:], '=')
	if eq <= 0 {
		return "", "", "", false
	}
	ns, pred, value = raw[:colon], raw[colon+1:colon+1+eq], raw[colon+1+eq+1:]
	if !machineName(ns) || !machineName(pred) || value == "" {
		return "", "", "", false
	}
	return ns, pred, value, true
}

func machineName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		switch {
		case c >= 'a' && c <= 'z':
		case i > 0 && (s[i] >= '0' && s[i] <= '9' || s[i] == '_'):
		default:
			return false
		}
	}
	return s != ""
}

// cleanTag returns the normalised form Flickr stores next to the raw tag, and whether it is
// a machine tag: ns:pred= is kept lowercased and only the value is squashed.
func cleanTag(raw string) (clean string, machine bool) {
	if ns, pred, value, ok := splitMachineTag(raw); ok {
		if v := squashTag(value); v != "" {
			return strings.ToLower(ns) + ":" + strings.ToLower(pred) + "=" + v, true
		}
	}
	return squashTag(raw), false
}

// machineQuery is one term of photos.search machine_tags: "ns:", "ns:pred=", "*:pred=v",
// "ns:pred=\"quoted value\"", "ns:=v" ...; an empty or "*" part matches anything.
type machineQuery struct{ ns, pred, value string }

func parseMachineQuery(q string) (machineQuery, bool) {
	q = strings.TrimSpace(q)
	colon := strings.IndexByte(q, ':')
	if colon <= 0 {
		return machineQuery{}, false
	}
	ns, rest := strings.ToLower(q[:colon]), q[colon+1:]
	pred, value := rest, ""
	if eq := strings.IndexByte(rest, '='); eq >= 0 {
		pred, value = rest[:eq], rest[eq+1:]
	}
	pred = strings.ToLower(pred)
	value = strings.Trim(value, "\"")
	if ns != "*" && !machineName(ns) || pred != "" && pred != "*" && !machineName(pred) {
		return machineQuery{}, false
	}
	if value != "" && value != "*" {
		value = squashTag(value)
	}
	return machineQuery{ns, pred, value}, true
}

func (m machineQuery) matches(clean string) bool {
	ns, pred, value, ok := splitMachineTag(clean)
	if !ok {
		return false
	}
	if m.ns != "*" && m.ns != ns {
		return false
	}
	if m.pred != "" && m.pred != "*" && m.pred != pred {
		return false
	}
	return m.value == "" || m.value == "*" || m.value == value
}

// splitQueryList splits a comma-separated search argument, keeping commas inside quotes.
func splitQueryList(s string) []string {
	var out []string
	var cur strings.Builder
	inQuote := false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote = !inQuote
			cur.WriteRune(r)
		case r == ',' && !inQuote:
			if t := strings.TrimSpace(cur.String()); t != "" {
				out = append(out, t)
			}
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	if t := strings.TrimSpace(cur.String()); t != "" {
		out = append(out, t)
	}
	return out
}
