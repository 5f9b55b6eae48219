package ignore

import "strings"

// wildmatch's results: a mismatch, and two ways to give up early that spare the callers
// higher up the recursion from trying further positions (as git's wildmatch.c does).
const (
	wmMatch = iota
	wmNoMatch
	wmAbortAll
	wmAbortToStarStar
)

// isGlobSpecial reports the bytes git treats as wildcards: * ? [ and the escape \.
func isGlobSpecial(c byte) bool { return c == '*' || c == '?' || c == '[' || c == '\\' }

// wildmatch matches text against a gitignore glob with git's rules: '?' and '*' never
// match '/' when pathname is set; "**" between slashes (or at either end) matches any
// number of folders; "[...]" classes with ranges, '!' or '^' negation and [:alpha:]
// style names; '\' escapes the next byte. Bytes, not runes, are compared: names need
// not be UTF-8. Case-sensitive.
func wildmatch(p, text string, pathname bool) bool {
	return dowild(p, 0, text, pathname) == wmMatch
}

// dowild matches p[pi:] against text; pattern starts at p[0] (for the "**/" rule, which
// looks at the byte before the stars).
func dowild(p string, pi int, text string, pathname bool) int {
	ti := 0
	for ; pi < len(p); pi, ti = pi+1, ti+1 {
		pc := p[pi]
		if ti >= len(text) && pc != '*' {
			return wmAbortAll
		}
		var tc byte
		if ti < len(text) {
			tc = text[ti]
		}
		switch pc {
		case '\\':
			// Literal match with the next byte; a trailing backslash matches nothing.
			pi++
			if pi >= len(p) || tc != p[pi] {
				return wmNoMatch
			}
			continue
		default:
			if tc != pc {
				return wmNoMatch
			}
			continue
		case '?':
			if pathname && tc == '/' {
				return wmNoMatch
			}
			continue
		case '*':
			var matchSlash bool
			pi++
			if pi < len(p) && p[pi] == '*' {
				prev := pi - 2
				for pi < len(p) && p[pi] == '*' {
					pi++
				}
				switch {
				case !pathname:
					matchSlash = true
				case (prev < 0 || p[prev] == '/') &&
					(pi == len(p) || p[pi] == '/' || (p[pi] == '\\' && pi+1 < len(p) && p[pi+1] == '/')):
					// "**/" may match no folder at all: try the rest right here.
					if pi < len(p) && p[pi] == '/' && dowild(p, pi+1, text[ti:], pathname) == wmMatch {
						return wmMatch
					}
					matchSlash = true
				default:
					matchSlash = false
				}
			} else {
				matchSlash = !pathname
			}
			if pi == len(p) {
				// A trailing "**" matches everything, a trailing '*' what has no more '/'.
				if !matchSlash && strings.IndexByte(text[ti:], '/') >= 0 {
					return wmNoMatch
				}
				return wmMatch
			}
			if !matchSlash && p[pi] == '/' {
				// One '*' then '/': the '*' takes the rest of this folder name.
				slash := strings.IndexByte(text[ti:], '/')
				if slash < 0 {
					return wmNoMatch
				}
				ti += slash
				// The loop's increment consumes the '/' of both.
				continue
			}
			for {
				if ti >= len(text) {
					break
				}
				tc = text[ti]
				// A literal after the '*': skip to its next occurrence (not past a '/'
				// unless the stars may match one).
				if !isGlobSpecial(p[pi]) {
					lit := p[pi]
					for ti < len(text) && (matchSlash || text[ti] != '/') && text[ti] != lit {
						ti++
					}
					if ti >= len(text) || text[ti] != lit {
						return wmNoMatch
					}
					tc = text[ti]
				}
				m := dowild(p, pi, text[ti:], pathname)
				if m != wmNoMatch {
					if !matchSlash || m != wmAbortToStarStar {
						return m
					}
				} else if !matchSlash && tc == '/' {
					return wmAbortToStarStar
				}
				ti++
			}
			return wmAbortAll
		case '[':
			pi++
			if pi >= len(p) {
				return wmAbortAll
			}
			pc = p[pi]
			if pc == '^' {
				pc = '!'
			}
			negated := pc == '!'
			if negated {
				pi++
				if pi >= len(p) {
					return wmAbortAll
				}
				pc = p[pi]
			}
			var prev byte
			matched := false
			for {
				if pi >= len(p) {
					return wmAbortAll
				}
				pc = p[pi]
				switch {
				case pc == '\\':
					pi++
					if pi >= len(p) {
						return wmAbortAll
					}
					pc = p[pi]
					if tc == pc {
						matched = true
					}
				case pc == '-' && prev != 0 && pi+1 < len(p) && p[pi+1] != ']':
					pi++
					pc = p[pi]
					if pc == '\\' {
						pi++
						if pi >= len(p) {
							return wmAbortAll
						}
						pc = p[pi]
					}
					if tc <= pc && tc >= prev {
						matched = true
					}
					pc = 0 // no range may start at the end of this one
				case pc == '[' && pi+1 < len(p) && p[pi+1] == ':':
					s := pi + 2
					e := s
					for e < len(p) && p[e] != ']' {
						e++
					}
					if e >= len(p) {
						return wmAbortAll
					}
					if e-s-1 < 0 || p[e-1] != ':' {
						// No ":]": an ordinary '[' in the set.
						pc = '['
						if tc == pc {
							matched = true
						}
						break
					}
					class := p[s : e-1]
					ok, known := inClass(class, tc)
					if !known {
						return wmAbortAll
					}
					if ok {
						matched = true
					}
					pi = e
					pc = 0
				default:
					if tc == pc {
						matched = true
					}
				}
				prev = pc
				pi++
				if pi < len(p) && p[pi] == ']' {
					break
				}
				if pi >= len(p) {
					return wmAbortAll
				}
			}
			if matched == negated || (pathname && tc == '/') {
				return wmNoMatch
			}
			continue
		}
	}
	if ti < len(text) {
		return wmNoMatch
	}
	return wmMatch
}

// inClass tests a byte against a [:name:] class of the C locale; known is false for a
// name that is not one.
func inClass(name string, c byte) (ok, known bool) {
	alpha := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	digit := '0' <= c && c <= '9'
	switch name {
	case "alnum":
		return alpha || digit, true
	case "alpha":
		return alpha, true
	case "blank":
		return c == ' ' || c == '\t', true
	case "cntrl":
		return c < 0x20 || c == 0x7f, true
	case "digit":
		return digit, true
	case "graph":
		return c > 0x20 && c < 0x7f, true
	case "lower":
		return 'a' <= c && c <= 'z', true
	case "print":
		return c >= 0x20 && c < 0x7f, true
	case "punct":
		return c > 0x20 && c < 0x7f && !alpha && !digit, true
	case "space":
		return c == ' ' || ('\t' <= c && c <= '\r'), true
	case "upper":
		return 'A' <= c && c <= 'Z', true
	case "xdigit":
		return digit || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F', true
	}
	return false, false
}
