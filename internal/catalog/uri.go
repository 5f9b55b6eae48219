package catalog

import (
	"net/url"
	"path/filepath"
	"strings"
)

// fileURI is the SQLite URI of the file at the absolute path, with the query. Every byte
// of the path outside the unreserved set is percent-encoded: a '#', '?' or '%' in a
// folder name, or a name that is not UTF-8, names exactly that file (SQLite decodes %HH to
// the raw byte), never a shorter one. The path always starts with '/' after the empty
// authority ("file:///C:/x" is C:\x on Windows, "file:////server/share" a UNC path).
func fileURI(abs string, q url.Values) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.WriteString("file://")
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/', c == ':':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	if len(q) > 0 {
		b.WriteString("?")
		b.WriteString(q.Encode())
	}
	return b.String()
}
