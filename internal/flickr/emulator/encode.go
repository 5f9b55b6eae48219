package emulator

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// node is one element of a response, rendered either as Flickr's XML or as its JSON
// conversion (attributes become members, text becomes "_content", children named in
// lists become arrays even when they hold zero or one element).
type node struct {
	name     string
	attrs    []attr
	children []*node
	text     *string
	lists    []string // child names rendered as JSON arrays
}

// attr is an attribute; v is a string, an int/int64 (a JSON number), or nil (JSON null,
// XML empty string). XML always renders it as a string.
type attr struct {
	k string
	v any
}

func el(name string, attrs ...attr) *node { return &node{name: name, attrs: attrs} }

func textEl(name, text string, attrs ...attr) *node {
	return &node{name: name, attrs: attrs, text: &text}
}

func s(k, v string) attr       { return attr{k, v} }
func n(k string, v int64) attr { return attr{k, v} }
func null(k string) attr       { return attr{k, nil} }

func (e *node) add(c ...*node) *node { e.children = append(e.children, c...); return e }

func (e *node) list(names ...string) *node { e.lists = append(e.lists, names...); return e }

func (e *node) set(a ...attr) *node { e.attrs = append(e.attrs, a...); return e }

func attrString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return fmt.Sprint(v)
}

// xmlEscape escapes like PHP's htmlspecialchars(ENT_QUOTES), which Flickr's output shows
// (&quot; in attributes and text, &#039; for apostrophes).
func xmlEscape(v string) string {
	var b strings.Builder
	for _, r := range v {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&#039;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

const xmlHeader = "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n"

// renderXMLOK renders a success envelope: payload elements unindented, their children
// tab-indented by depth.
func renderXMLOK(payload []*node) []byte {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString("<rsp stat=\"ok\">\n")
	for _, p := range payload {
		writeXML(&b, p, 0)
	}
	b.WriteString("</rsp>\n")
	return []byte(b.String())
}

// renderXMLFail renders a fail envelope; extra elements follow <err>, indented as it is.
func renderXMLFail(code int, msg string, extra ...*node) []byte {
	var b strings.Builder
	b.WriteString(xmlHeader + "<rsp stat=\"fail\">\n\t<err code=\"" + strconv.Itoa(code) +
		"\" msg=\"" + xmlEscape(msg) + "\" />\n")
	for _, e := range extra {
		writeXML(&b, e, 1)
	}
	b.WriteString("</rsp>\n")
	return []byte(b.String())
}

func writeXML(b *strings.Builder, e *node, depth int) {
	ind := strings.Repeat("\t", depth)
	b.WriteString(ind)
	b.WriteString("<" + e.name)
	for _, a := range e.attrs {
		b.WriteString(" " + a.k + "=\"" + xmlEscape(attrString(a.v)) + "\"")
	}
	switch {
	case e.text != nil && len(e.children) == 0:
		if *e.text == "" {
			b.WriteString(" />\n")
			return
		}
		b.WriteString(">" + xmlEscape(*e.text) + "</" + e.name + ">\n")
	case len(e.children) == 0:
		b.WriteString(" />\n")
	default:
		b.WriteString(">\n")
		for _, c := range e.children {
			writeXML(b, c, depth+1)
		}
		b.WriteString(ind + "</" + e.name + ">\n")
	}
}

// renderJSONOK renders {"payload":{...}, "stat":"ok"} with stat last, as Flickr does.
func renderJSONOK(payload []*node) []byte {
	var b strings.Builder
	b.WriteString("{")
	for _, p := range payload {
		b.WriteString(jsonString(p.name) + ":")
		writeJSONObject(&b, p)
		b.WriteString(", ")
	}
	b.WriteString("\"stat\":\"ok\"}")
	return []byte(b.String())
}

func renderJSONFail(code int, msg string) []byte {
	return []byte("{\"stat\":\"fail\", \"code\":" + strconv.Itoa(code) + ", \"message\":" + jsonString(msg) + "}")
}

func writeJSONObject(b *strings.Builder, e *node) {
	b.WriteString("{")
	first := true
	sep := func() {
		if !first {
			b.WriteString(", ")
		}
		first = false
	}
	for _, a := range e.attrs {
		sep()
		b.WriteString(jsonString(a.k) + ":")
		switch x := a.v.(type) {
		case nil:
			b.WriteString("null")
		case int, int64:
			b.WriteString(attrString(x))
		default:
			b.WriteString(jsonString(attrString(x)))
		}
	}
	// group children by name, in first-seen order
	var order []string
	groups := map[string][]*node{}
	for _, c := range e.children {
		if _, ok := groups[c.name]; !ok {
			order = append(order, c.name)
		}
		groups[c.name] = append(groups[c.name], c)
	}
	for _, l := range e.lists {
		if _, ok := groups[l]; !ok {
			order = append(order, l)
			groups[l] = nil
		}
	}
	isList := func(name string) bool {
		for _, l := range e.lists {
			if l == name {
				return true
			}
		}
		return len(groups[name]) > 1
	}
	for _, name := range order {
		sep()
		b.WriteString(jsonString(name) + ":")
		if isList(name) {
			b.WriteString("[")
			for i, c := range groups[name] {
				if i > 0 {
					b.WriteString(", ")
				}
				writeJSONObject(b, c)
			}
			b.WriteString("]")
			continue
		}
		writeJSONObject(b, groups[name][0])
	}
	if e.text != nil || (len(e.attrs) == 0 && len(e.children) == 0 && len(e.lists) == 0) {
		t := ""
		if e.text != nil {
			t = *e.text
		}
		sep()
		b.WriteString("\"_content\":" + jsonString(t))
	}
	b.WriteString("}")
}

// jsonString quotes like PHP's json_encode: slashes escaped as \/, non-ASCII as \uXXXX.
func jsonString(v string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range v {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '/':
			b.WriteString(`\/`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == utf8.RuneError:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r < 0x80:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
