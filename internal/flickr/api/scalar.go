package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Int is an integer Flickr may send as a JSON number (1), a string ("1"), a boolean, an
// empty string or null; the last two decode as 0. In XML it is an attribute or element
// text, decoded by encoding/xml as an int64.
type Int int64

// UnmarshalJSON accepts 1, 1.0, "1", " 1 ", "", null, true and false.
func (n *Int) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	s := string(b)
	switch {
	case s == "null":
		*n = 0
		return nil
	case s == "true":
		*n = 1
		return nil
	case s == "false":
		*n = 0
		return nil
	case len(s) > 0 && s[0] == '"':
		str, err := unquote(b)
		if err != nil {
			return err
		}
		s = strings.TrimSpace(str)
		if s == "" {
			*n = 0
			return nil
		}
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = Int(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<62 {
		if len(s) > 20 {
			s = s[:20] + "..."
		}
		return fmt.Errorf("flickr api: %q is not an integer", s)
	}
	*n = Int(f)
	return nil
}

// Text is a string Flickr may send as a JSON string, a number, a boolean, null (empty),
// or an object whose text is its "_content" member ({"_content":"Set"}). In XML it is an
// attribute or element text.
type Text string

// UnmarshalJSON accepts "x", 1, 1.5, true, null and {"_content":"x", ...}. A "_content"
// that is itself an object or an array is refused: Flickr's never is, and decoding it as
// Text again would read the rest of the answer once per level (quadratic time).
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return fmt.Errorf("flickr api: empty text value")
	}
	if b[0] == '{' {
		content, err := contentMember(b)
		if err != nil {
			return err
		}
		if len(content) == 0 {
			*t = ""
			return nil
		}
		if c := content[0]; c == '{' || c == '[' {
			return fmt.Errorf("flickr api: _content is not text")
		}
		b = content
	}
	switch b[0] {
	case '"':
		s, err := unquote(b)
		if err != nil {
			return err
		}
		*t = Text(s)
	case '[':
		return fmt.Errorf("flickr api: text value is an array")
	default:
		if string(b) == "null" {
			*t = ""
			return nil
		}
		*t = Text(b) // a number or a boolean, as written
	}
	return nil
}

// contentMember returns the raw value of the "_content" member of the JSON object b (the
// last one if repeated), nil when there is none. It reads b once, without decoding the
// other members: json.Unmarshal of each such object costs ten times more, and Flickr
// sends thousands of them in a page.
func contentMember(b []byte) ([]byte, error) {
	var content []byte
	i := 1 // after '{'
	for {
		i = skipSpace(b, i)
		if i >= len(b) {
			return nil, fmt.Errorf("flickr api: unterminated object")
		}
		switch b[i] {
		case '}':
			return content, nil
		case ',':
			i++
			continue
		case '"':
		default:
			return nil, fmt.Errorf("flickr api: malformed object")
		}
		keyEnd := endOfValue(b, i)
		key := string(b[i+1 : max(i+1, keyEnd-1)])
		if strings.IndexByte(key, '\\') >= 0 {
			k, err := unquote(b[i:keyEnd])
			if err != nil {
				return nil, err
			}
			key = k
		}
		i = skipSpace(b, keyEnd)
		if i >= len(b) || b[i] != ':' {
			return nil, fmt.Errorf("flickr api: malformed object")
		}
		i = skipSpace(b, i+1)
		end := endOfValue(b, i)
		if strings.EqualFold(key, "_content") { // as encoding/json matches names
			content = b[i:end]
		}
		i = end
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// endOfValue returns the offset just past the JSON value starting at b[i] (b is valid
// JSON; on anything else it still ends, at len(b) at the latest).
func endOfValue(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			if depth == 0 {
				return min(i+1, len(b))
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i
			}
			if depth--; depth == 0 {
				return i + 1
			}
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i
			}
		}
	}
	return len(b)
}

// unquote decodes a JSON string literal; the common case without escapes is a slice.
func unquote(b []byte) (string, error) {
	if len(b) >= 2 && b[len(b)-1] == '"' {
		in := b[1 : len(b)-1]
		if bytes.IndexByte(in, '\\') < 0 && bytes.IndexByte(in, '"') < 0 && utf8.Valid(in) {
			return string(in), nil
		}
	}
	var s string
	err := json.Unmarshal(b, &s)
	return s, err
}

// String returns t as a string.
func (t Text) String() string { return string(t) }
