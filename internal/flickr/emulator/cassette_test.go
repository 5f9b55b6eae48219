package emulator

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// interaction is one recorded HTTP exchange read from a VCR (Ruby) or vcrpy cassette.
type interaction struct {
	method, uri string
	status      int
	ctype       string // response Content-Type
	body        string // response body
}

// readCassette extracts request method/uri and response status/content-type/body from
// the YAML of a cassette. It understands exactly the YAML those files use: plain,
// single-quoted, double-quoted (folded over lines) and literal block scalars.
func readCassette(src string) []interaction {
	lines := strings.Split(src, "\n")
	var out []interaction
	var cur *interaction
	inResp := false
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trim := strings.TrimSpace(line)
		indent := len(line) - len(strings.TrimLeft(line, " "))
		key, val, _ := strings.Cut(strings.TrimPrefix(trim, "- "), ":")
		val = strings.TrimSpace(val)
		switch {
		case trim == "- request:":
			out = append(out, interaction{})
			cur = &out[len(out)-1]
			inResp = false
		case cur == nil:
		case key == "response" && val == "":
			inResp = true
		case !inResp && key == "method" && cur.method == "":
			cur.method = strings.ToUpper(val)
		case !inResp && key == "uri" && cur.uri == "":
			cur.uri = val
		case inResp && (key == "code" || key == "status_code") && cur.status == 0:
			cur.status, _ = strconv.Atoi(val)
		case inResp && strings.EqualFold(key, "content-type") && val == "" && i+1 < len(lines):
			cur.ctype = strings.Trim(strings.TrimPrefix(strings.TrimSpace(lines[i+1]), "- "), "'")
		case inResp && (key == "string" || key == "content") && cur.body == "":
			var next int
			cur.body, next = yamlScalar(lines, i, indent, val)
			i = next
		}
	}
	return out
}

// yamlScalar reads the scalar starting as val on lines[i] (whose key is at indent) and
// returns it with the index of its last line.
func yamlScalar(lines []string, i, indent int, val string) (string, int) {
	switch {
	case strings.HasPrefix(val, "'") || strings.HasPrefix(val, "\""):
		q := val[0]
		var sb strings.Builder
		seg := val[1:]
		j := i
		for {
			if end := closingQuote(seg, q); end >= 0 {
				sb.WriteString(seg[:end])
				break
			}
			sb.WriteString(seg)
			j++
			if j >= len(lines) {
				break
			}
			sb.WriteString("\n")
			seg = lines[j]
		}
		raw := sb.String()
		if q == '\'' {
			return strings.ReplaceAll(fold(raw, false), "''", "'"), j
		}
		return unescapeDouble(fold(raw, true)), j
	case val == "|" || val == "|-":
		var body []string
		j := i + 1
		blockIndent := -1
		for ; j < len(lines); j++ {
			l := lines[j]
			ind := len(l) - len(strings.TrimLeft(l, " "))
			if strings.TrimSpace(l) != "" && ind <= indent {
				break
			}
			if blockIndent < 0 && strings.TrimSpace(l) != "" {
				blockIndent = ind
			}
			if len(l) >= blockIndent && blockIndent >= 0 {
				l = l[blockIndent:]
			} else {
				l = ""
			}
			body = append(body, l)
		}
		for len(body) > 0 && body[len(body)-1] == "" {
			body = body[:len(body)-1]
		}
		s := strings.Join(body, "\n")
		if val == "|" {
			s += "\n"
		}
		return s, j - 1
	}
	return val, i
}

// closingQuote finds the closing quote in raw (” and \" are escapes).
func closingQuote(raw string, q byte) int {
	for k := 0; k < len(raw); k++ {
		switch {
		case q == '"' && raw[k] == '\\':
			k++
		case raw[k] == q && q == '\'' && k+1 < len(raw) && raw[k+1] == '\'':
			k++
		case raw[k] == q:
			return k
		}
	}
	return -1
}

// fold applies YAML line folding of flow scalars: a line break becomes a space, n empty
// lines become n newlines; leading/trailing blanks around breaks go; in double-quoted
// scalars a backslash before the break joins the lines directly.
func fold(raw string, double bool) string {
	ls := strings.Split(raw, "\n")
	if len(ls) == 1 {
		return raw
	}
	var b strings.Builder
	first := strings.TrimRight(ls[0], " \t")
	join := " "
	if double && oddBackslash(first) {
		first, join = first[:len(first)-1], ""
	}
	b.WriteString(first)
	empties := 0
	for k := 1; k < len(ls); k++ {
		l := strings.TrimLeft(ls[k], " \t")
		last := k == len(ls)-1
		if !last {
			l = strings.TrimRight(l, " \t")
		}
		if l == "" && !last {
			empties++
			continue
		}
		if empties > 0 {
			b.WriteString(strings.Repeat("\n", empties))
		} else {
			b.WriteString(join)
		}
		empties = 0
		join = " "
		if double && !last && oddBackslash(l) {
			l, join = l[:len(l)-1], ""
		}
		b.WriteString(l)
	}
	return b.String()
}

func oddBackslash(s string) bool {
	n := 0
	for k := len(s) - 1; k >= 0 && s[k] == '\\'; k-- {
		n++
	}
	return n%2 == 1
}

func unescapeDouble(s string) string {
	var b strings.Builder
	for k := 0; k < len(s); k++ {
		c := s[k]
		if c != '\\' || k+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		k++
		switch s[k] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[s[k]]
			if k+n < len(s) {
				if v, err := strconv.ParseUint(s[k+1:k+1+n], 16, 32); err == nil {
					var buf [4]byte
					b.Write(buf[:utf8.EncodeRune(buf[:], rune(v))])
					k += n
					continue
				}
			}
			b.WriteByte(s[k])
		case '_':
			b.WriteString("\u00a0")
		default: // \\ \" \/ \  and the rest stand for themselves
			b.WriteByte(s[k])
		}
	}
	return b.String()
}
