package sharedtest

// Just enough YAML for the VCR cassettes in ../shared/flickr/recorded (Ruby VCR and vcrpy):
// block maps and sequences; plain, single-quoted, double-quoted, literal block and !binary
// scalars. Not handled (the cassettes do not use them): flow collections, anchors and
// aliases, multiple documents, tags other than binary. TestCassettesMatchPyYAML checks the
// whole parsed document against PyYAML for every cassette.

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

type yamlReader struct {
	lines []string
}

func parseYAML(src string) (any, error) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	r := &yamlReader{lines: strings.Split(src, "\n")}
	i := r.skip(0)
	if i < len(r.lines) && strings.HasPrefix(r.lines[i], "---") {
		i = r.skip(i + 1)
	}
	if i >= len(r.lines) {
		return nil, nil
	}
	v, next, err := r.node(i, indentOf(r.lines[i]))
	if err != nil {
		return nil, err
	}
	if next = r.skip(next); next < len(r.lines) {
		return nil, fmt.Errorf("line %d: unexpected %q", next+1, r.lines[next])
	}
	return v, nil
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

// skip returns the first line at or after i that is not blank or a comment.
func (r *yamlReader) skip(i int) int {
	for i < len(r.lines) {
		t := strings.TrimSpace(r.lines[i])
		if t != "" && !strings.HasPrefix(t, "#") {
			break
		}
		i++
	}
	return i
}

func isSeqLine(content string) bool { return content == "-" || strings.HasPrefix(content, "- ") }

// mapKey splits "key: rest" or "key:"; ok is false when the line is not a mapping entry.
func mapKey(content string) (key, rest string, ok bool) {
	if content == "" || content[0] == '\'' || content[0] == '"' || content[0] == '-' && isSeqLine(content) {
		return "", "", false
	}
	if j := strings.Index(content, ": "); j > 0 {
		return content[:j], strings.TrimSpace(content[j+2:]), true
	}
	if strings.HasSuffix(content, ":") {
		return content[:len(content)-1], "", true
	}
	return "", "", false
}

// node parses the node starting on line i at column ind.
func (r *yamlReader) node(i, ind int) (any, int, error) {
	content := r.lines[i][ind:]
	if isSeqLine(content) {
		return r.seq(i, ind)
	}
	if _, _, ok := mapKey(content); ok {
		return r.mapping(i, ind)
	}
	return r.scalar(content, i+1, ind-1)
}

func (r *yamlReader) seq(i, ind int) (any, int, error) {
	var out []any
	for {
		i = r.skip(i)
		if i >= len(r.lines) || indentOf(r.lines[i]) != ind || !isSeqLine(r.lines[i][ind:]) {
			return out, i, nil
		}
		rest := strings.TrimSpace(r.lines[i][ind+1:])
		var v any
		var err error
		if rest == "" {
			j := r.skip(i + 1)
			if j < len(r.lines) && indentOf(r.lines[j]) > ind {
				v, i, err = r.node(j, indentOf(r.lines[j]))
			} else {
				i = i + 1
			}
		} else {
			col := ind + 1 + (len(r.lines[i][ind+1:]) - len(strings.TrimLeft(r.lines[i][ind+1:], " ")))
			r.lines[i] = strings.Repeat(" ", col) + r.lines[i][col:]
			if _, _, ok := mapKey(r.lines[i][col:]); ok {
				v, i, err = r.mapping(i, col)
			} else {
				v, i, err = r.scalar(rest, i+1, ind)
			}
		}
		if err != nil {
			return nil, i, err
		}
		out = append(out, v)
	}
}

func (r *yamlReader) mapping(i, ind int) (any, int, error) {
	out := map[string]any{}
	for {
		i = r.skip(i)
		if i >= len(r.lines) || indentOf(r.lines[i]) != ind {
			return out, i, nil
		}
		key, rest, ok := mapKey(r.lines[i][ind:])
		if !ok {
			return out, i, nil
		}
		var v any
		var err error
		if rest == "" {
			j := r.skip(i + 1)
			switch {
			case j < len(r.lines) && indentOf(r.lines[j]) > ind:
				v, i, err = r.node(j, indentOf(r.lines[j]))
			case j < len(r.lines) && indentOf(r.lines[j]) == ind && isSeqLine(r.lines[j][ind:]):
				v, i, err = r.seq(j, ind)
			default:
				i = i + 1
			}
		} else {
			v, i, err = r.scalar(rest, i+1, ind)
		}
		if err != nil {
			return nil, i, fmt.Errorf("%s: %w", key, err)
		}
		out[key] = v
	}
}

// scalar parses a scalar whose text starts with first; continuation lines are those
// indented more than parent. It returns the line after the scalar.
func (r *yamlReader) scalar(first string, i, parent int) (any, int, error) {
	binary := false
	for _, tag := range []string{"!!binary", "!binary"} {
		if strings.HasPrefix(first, tag) {
			binary = true
			first = strings.TrimSpace(first[len(tag):])
		}
	}
	var s string
	switch {
	case strings.HasPrefix(first, "|") || strings.HasPrefix(first, ">"):
		var err error
		s, i, err = r.block(first, i, parent)
		if err != nil {
			return nil, i, err
		}
	case strings.HasPrefix(first, "'") || strings.HasPrefix(first, `"`):
		q := first[0]
		parts := []string{first[1:]}
		for !closed(parts[len(parts)-1], q) || !closed(strings.Join(parts, "\n"), q) {
			if i >= len(r.lines) {
				return nil, i, fmt.Errorf("unterminated quoted scalar")
			}
			parts = append(parts, r.lines[i])
			i++
		}
		raw := strings.Join(parts, "\n")
		body := raw[:closeIndex(raw, q)]
		if q == '\'' {
			s = strings.ReplaceAll(fold(body, false), "''", "'")
		} else {
			var err error
			if s, err = unescapeDouble(fold(body, true)); err != nil {
				return nil, i, err
			}
		}
	default:
		raw := first
		for i < len(r.lines) && strings.TrimSpace(r.lines[i]) != "" && indentOf(r.lines[i]) > parent {
			raw += "\n" + r.lines[i]
			i++
		}
		s = fold(raw, false)
		if s == "null" || s == "~" {
			return nil, i, nil
		}
	}
	if binary {
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if err != nil {
			return nil, i, fmt.Errorf("!binary: %w", err)
		}
		return string(b), i, nil
	}
	return s, i, nil
}

func closeIndex(raw string, q byte) int {
	for j := 0; j < len(raw); j++ {
		switch {
		case q == '"' && raw[j] == '\\':
			j++
		case raw[j] == q:
			if q == '\'' && j+1 < len(raw) && raw[j+1] == '\'' {
				j++
				continue
			}
			return j
		}
	}
	return -1
}

func closed(raw string, q byte) bool { return closeIndex(raw, q) >= 0 }

// fold applies YAML line folding to a multi-line flow scalar: a line break becomes a
// space, n empty lines become n newlines, whitespace around breaks goes; in a
// double-quoted scalar a break escaped by a backslash joins the lines directly.
func fold(raw string, double bool) string {
	lines := strings.Split(raw, "\n")
	if len(lines) == 1 {
		return raw
	}
	var b strings.Builder
	empties := 0
	escapedBreak := false // the previous line ended in an odd number of backslashes
	for k, l := range lines {
		if k > 0 {
			l = strings.TrimLeft(l, " \t")
		}
		if k < len(lines)-1 {
			l = strings.TrimRight(l, " \t")
		}
		if k > 0 && k < len(lines)-1 && l == "" {
			empties++
			continue
		}
		if k > 0 {
			switch {
			case escapedBreak:
			case empties > 0:
				b.WriteString(strings.Repeat("\n", empties))
			default:
				b.WriteByte(' ')
			}
			empties = 0
		}
		escapedBreak = double && (len(l)-len(strings.TrimRight(l, `\`)))%2 == 1
		if escapedBreak {
			l = l[:len(l)-1]
		}
		b.WriteString(l)
	}
	return b.String()
}

func unescapeDouble(s string) (string, error) {
	var b strings.Builder
	for j := 0; j < len(s); j++ {
		c := s[j]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		j++
		if j >= len(s) {
			return "", fmt.Errorf("trailing backslash")
		}
		switch e := s[j]; e {
		case '0':
			b.WriteByte(0)
		case 'a':
			b.WriteByte(7)
		case 'b':
			b.WriteByte(8)
		case 't', '\t':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'v':
			b.WriteByte(11)
		case 'f':
			b.WriteByte(12)
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(27)
		case ' ', '"', '/', '\\':
			b.WriteByte(e)
		case 'N':
			b.WriteString("\u0085")
		case '_':
			b.WriteString("\u00a0")
		case 'L':
			b.WriteString("\u2028")
		case 'P':
			b.WriteString("\u2029")
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if j+n >= len(s) {
				return "", fmt.Errorf("short \\%c escape", e)
			}
			v, err := strconv.ParseUint(s[j+1:j+1+n], 16, 32)
			if err != nil {
				return "", err
			}
			b.WriteRune(rune(v))
			j += n
		default:
			return "", fmt.Errorf("unknown escape \\%c", e)
		}
	}
	return b.String(), nil
}

// block reads a literal (|) or folded (>) block scalar.
func (r *yamlReader) block(header string, i, parent int) (string, int, error) {
	chomp := byte(0)
	if strings.ContainsAny(header, "-+") {
		chomp = header[strings.IndexAny(header, "-+")]
	}
	var lines []string
	ind := -1
	for i < len(r.lines) {
		l := r.lines[i]
		if strings.TrimSpace(l) == "" {
			lines = append(lines, "")
			i++
			continue
		}
		if indentOf(l) <= parent {
			break
		}
		if ind < 0 {
			ind = indentOf(l)
		}
		if indentOf(l) < ind {
			break
		}
		lines = append(lines, l[ind:])
		i++
	}
	// Trailing empty lines belong to the chomping, not the content.
	trail := 0
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
		trail++
	}
	var s string
	if header[0] == '>' {
		s = fold(strings.Join(lines, "\n"), false)
	} else {
		s = strings.Join(lines, "\n")
	}
	switch chomp {
	case '-':
	case '+':
		s += strings.Repeat("\n", trail+1)
	default:
		if len(lines) > 0 {
			s += "\n"
		}
	}
	return s, i, nil
}
