package oauth1

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// SignatureMethod and Version are the only values Flickr accepts.
const (
	SignatureMethod = "HMAC-SHA1"
	Version         = "1.0"
)

// Credentials are a consumer (application) key pair and, once authorised, a token pair.
// Token and TokenSecret are empty for a request-token call; during the token flow they hold
// the temporary (request) token.
type Credentials struct {
	ConsumerKey    string
	ConsumerSecret string
	Token          string
	TokenSecret    string
}

// Signer adds OAuth 1.0a protocol parameters to requests.
// The zero Clock and Nonce use the wall clock and 16 random bytes in hex; tests inject both.
type Signer struct {
	Credentials
	Clock func() time.Time // nil: time.Now
	Nonce func() string    // nil: 32 random hex digits
}

// Extra protocol parameters of the token flow.
type Extra struct {
	Callback string // oauth_callback (request_token): a URL or "oob"
	Verifier string // oauth_verifier (access_token)
}

// OAuthParams returns the oauth_* parameters for one request, oauth_signature included.
// method and rawURL are the request's; rawURL's query is signed with it. params are the
// other signed parameters (the form body, or every multipart field but the file). params
// is not modified. oauth_token is included when s.Token is not empty.
func (s *Signer) OAuthParams(method, rawURL string, params url.Values, extra Extra) url.Values {
	op := url.Values{}
	op.Set("oauth_consumer_key", s.ConsumerKey)
	op.Set("oauth_nonce", s.nonce())
	op.Set("oauth_timestamp", strconv.FormatInt(s.now().Unix(), 10))
	op.Set("oauth_signature_method", SignatureMethod)
	op.Set("oauth_version", Version)
	if s.Token != "" {
		op.Set("oauth_token", s.Token)
	}
	if extra.Callback != "" {
		op.Set("oauth_callback", extra.Callback)
	}
	if extra.Verifier != "" {
		op.Set("oauth_verifier", extra.Verifier)
	}
	all := url.Values{}
	for k, vs := range params {
		all[k] = append([]string(nil), vs...)
	}
	for k, vs := range op {
		all[k] = append(all[k], vs...)
	}
	op.Set("oauth_signature", Sign(BaseString(method, rawURL, all), s.ConsumerSecret, s.TokenSecret))
	return op
}

// AuthorizationHeader signs the request and returns the value of its Authorization header.
func (s *Signer) AuthorizationHeader(method, rawURL string, params url.Values, extra Extra) string {
	return Header(s.OAuthParams(method, rawURL, params, extra))
}

// SignForm signs the request with its parameters sent as form fields (the query or the
// body) and returns a copy of params with the oauth_* parameters added.
func (s *Signer) SignForm(method, rawURL string, params url.Values, extra Extra) url.Values {
	out := url.Values{}
	for k, vs := range params {
		out[k] = append([]string(nil), vs...)
	}
	for k, vs := range s.OAuthParams(method, rawURL, params, extra) {
		out[k] = vs
	}
	return out
}

// Header formats oauth_* parameters as an Authorization header value:
// OAuth k="v", k="v" with names and values percent-encoded, in sorted order.
func Header(oauthParams url.Values) string {
	keys := make([]string, 0, len(oauthParams))
	for k := range oauthParams {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("OAuth ")
	first := true
	for _, k := range keys {
		for _, v := range oauthParams[k] {
			if !first {
				b.WriteString(", ")
			}
			first = false
			b.WriteString(Encode(k))
			b.WriteString(`="`)
			b.WriteString(Encode(v))
			b.WriteByte('"')
		}
	}
	return b.String()
}

// ErrNotOAuth is returned by ParseHeader for an Authorization header of another scheme.
var ErrNotOAuth = errors.New("not an OAuth authorization header")

// ParseHeader parses an "OAuth k="v", ..." Authorization header (RFC 5849 §3.5.1) into its
// parameters, decoded; realm is returned too (BaseString ignores it).
func ParseHeader(h string) (url.Values, error) {
	h = strings.TrimSpace(h)
	if len(h) < 6 || !strings.EqualFold(h[:6], "OAuth ") {
		return nil, ErrNotOAuth
	}
	out := url.Values{}
	for part := range strings.SplitSeq(h[6:], ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("parse oauth header: parameter %q has no value", k)
		}
		k = strings.TrimSpace(k)
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		dk, err := url.PathUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("parse oauth header: name %q: %w", k, err)
		}
		dv, err := url.PathUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("parse oauth header: value of %s: %w", dk, err)
		}
		out.Add(dk, dv)
	}
	return out, nil
}

func (s *Signer) now() time.Time {
	if s.Clock != nil {
		return s.Clock()
	}
	return time.Now()
}

func (s *Signer) nonce() string {
	if s.Nonce != nil {
		return s.Nonce()
	}
	return RandomNonce()
}

// RandomNonce returns 32 hex digits from crypto/rand.
func RandomNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}
