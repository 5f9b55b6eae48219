package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
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
		return fmt.Errorf("flickr api: %q is not an integer", s)
	}
	*n = Int(f)
	return nil
}

// Text is a string Flickr may send as a JSON string, a number, a boolean, null (empty),
// or an object whose text is its "_content" member ({"_content":"Set"}). In XML it is an
// attribute or element text.
type Text string

// UnmarshalJSON accepts "x", 1, 1.5, true, null and {"_content":"x", ...}.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return fmt.Errorf("flickr api: empty text value")
	}
	switch b[0] {
	case '"':
		s, err := unquote(b)
		if err != nil {
			return err
		}
		*t = Text(s)
	case '{':
		var o struct {
			Content *Text `json:"_content"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		*t = ""
		if o.Content != nil {
			*t = *o.Content
		}
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

// unquote decodes a JSON string literal; the common case without escapes is a slice.
func unquote(b []byte) (string, error) {
	if len(b) >= 2 && b[len(b)-1] == '"' && bytes.IndexByte(b[1:len(b)-1], '\\') < 0 && bytes.IndexByte(b[1:len(b)-1], '"') < 0 {
		return string(b[1 : len(b)-1]), nil
	}
	var s string
	err := json.Unmarshal(b, &s)
	return s, err
}

// String returns t as a string.
func (t Text) String() string { return string(t) }
