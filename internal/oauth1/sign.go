package oauth1

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net"
	"net/url"
	"sort"
	"strings"
)

const upperhex = "0123456789ABCDEF"

// Encode percent-encodes s as RFC 3986 §2.1 and RFC 5849 §3.6 require: the unreserved
// characters A-Z a-z 0-9 - . _ ~ are kept, every other byte becomes %XX with uppercase hex
// (a space is %20, never +).
func Encode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperhex[c>>4])
		b.WriteByte(upperhex[c&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	switch {
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return true
	case c == '-', c == '.', c == '_', c == '~':
		return true
	}
	return false
}

// BaseString builds the signature base string of RFC 5849 §3.4.1.
//
// rawURL may carry a query: its parameters are included and the URL is normalised to
// scheme://host[:port]/path (scheme and host lowercase, the default port 80/443 dropped, no
// query, no fragment; the path is kept exactly as given, "/" when empty). params are the
// other parameters (form body, oauth_* from the header or elsewhere). oauth_signature and
// realm are excluded wherever they come from. A rawURL that does not parse is used as given.
func BaseString(method, rawURL string, params url.Values) string {
	all := url.Values{}
	base := rawURL
	if u, err := url.Parse(rawURL); err == nil {
		base = normalizeURL(u)
		if q, err := url.ParseQuery(u.RawQuery); err == nil {
			for k, vs := range q {
				all[k] = append(all[k], vs...)
			}
		}
	}
	for k, vs := range params {
		all[k] = append(all[k], vs...)
	}
	return strings.ToUpper(method) + "&" + Encode(base) + "&" + Encode(NormalizeParams(all))
}

// NormalizeParams returns the normalised parameter string of RFC 5849 §3.4.1.3.2: every
// name and value encoded, sorted by encoded name then encoded value, joined as k=v with &.
// oauth_signature and realm are left out.
func NormalizeParams(params url.Values) string {
	type pair struct{ k, v string }
	var pairs []pair
	for k, vs := range params {
		if k == "oauth_signature" || k == "realm" {
			continue
		}
		ek := Encode(k)
		for _, v := range vs {
			pairs = append(pairs, pair{ek, Encode(v)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

func normalizeURL(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	if h, port, err := net.SplitHostPort(host); err == nil {
		if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
			host = h
			if strings.Contains(h, ":") { // IPv6 literal
				host = "[" + h + "]"
			}
		}
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path
}

// Key returns the HMAC-SHA1 key: Encode(consumerSecret) & Encode(tokenSecret).
func Key(consumerSecret, tokenSecret string) string {
	return Encode(consumerSecret) + "&" + Encode(tokenSecret)
}

// Sign returns base64(HMAC-SHA1(key, baseString)) with key = Encode(cs)&Encode(ts); the
// token secret is empty for a request-token call.
func Sign(baseString, consumerSecret, tokenSecret string) string {
	mac := hmac.New(sha1.New, []byte(Key(consumerSecret, tokenSecret)))
	mac.Write([]byte(baseString))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Verify reports whether signature is the correct HMAC-SHA1 signature of baseString,
// comparing in constant time.
func Verify(baseString, consumerSecret, tokenSecret, signature string) bool {
	want := Sign(baseString, consumerSecret, tokenSecret)
	return hmac.Equal([]byte(want), []byte(signature))
}
