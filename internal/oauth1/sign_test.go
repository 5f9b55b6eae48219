package oauth1

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestEncode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abcABC123-._~", "abcABC123-._~"},
		{"a b", "a%20b"},
		{"a+b", "a%2Bb"},
		{"%", "%25"},
		{"flickrsync:signature=\"abc\"", "flickrsync%3Asignature%3D%22abc%22"},
		{"http://www.example.com", "http%3A%2F%2Fwww.example.com"},
		{"é", "%C3%A9"},
		{"/?&=*!'()", "%2F%3F%26%3D%2A%21%27%28%29"},
		{"\x00\xff", "%00%FF"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := Encode(tc.in); got != tc.want {
				t.Errorf("Encode(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestBaseStringNormalisesURL(t *testing.T) {
	tests := []struct{ name, method, url, want string }{
		{"default http port", "get", "HTTP://Example.COM:80/a/b?x=1#frag", "GET&http%3A%2F%2Fexample.com%2Fa%2Fb&x%3D1"},
		{"default https port", "POST", "https://api.flickr.com:443/services/rest/", "POST&https%3A%2F%2Fapi.flickr.com%2Fservices%2Frest%2F&"},
		{"other port kept", "POST", "http://127.0.0.1:8080/services/rest", "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fservices%2Frest&"},
		{"https on port 80 kept", "GET", "https://h:80/", "GET&https%3A%2F%2Fh%3A80%2F&"},
		{"empty path", "GET", "http://h", "GET&http%3A%2F%2Fh%2F&"},
		{"signature and realm in query dropped", "GET", "http://h/p?oauth_signature=x&realm=r&b=2&a=1", "GET&http%3A%2F%2Fh%2Fp&a%3D1%26b%3D2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := BaseString(tc.method, tc.url, nil); got != tc.want {
				t.Errorf("BaseString = %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestNormalizeParamsSortsByEncodedNameThenValue(t *testing.T) {
	p := url.Values{
		"b":               {"2", "10", "1"},
		"a b":             {"x y"},
		"a":               {"z"},
		"c@":              {""},
		"oauth_signature": {"dropped"},
		"realm":           {"dropped"},
	}
	want := "a=z&a%20b=x%20y&b=1&b=10&b=2&c%40="
	if got := NormalizeParams(p); got != want {
		t.Errorf("NormalizeParams = %q, want %q", got, want)
	}
}

// TestPublishedVectors checks the vectors of API.md §1.6 (OAuth Core 1.0 appendix A,
// RFC 5849 §1.2, wackylabs/masci for Flickr).
func TestPublishedVectors(t *testing.T) {
	photoParams := url.Values{
		"oauth_consumer_key":     {"dpf43f3p2l4k3l03"},
		"oauth_token":            {"nnch734d00sl2jdk"},
		"oauth_signature_method": {"HMAC-SHA1"},
	}
	with := func(base url.Values, kv ...string) url.Values {
		out := url.Values{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	flickrBase := "GET&http%3A%2F%2Fwww.flickr.com%2Fservices%2Foauth%2Frequest_token&oauth_callback%3Dhttp%253A%252F%252Fwww.wackylabs.net%252Foauth%252Ftest%26oauth_consumer_key%3D768fe946d252b119746fda82e1599980%26oauth_nonce%3DC2F26CD5C075BA9050AD8EE90644CF29%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1316657628%26oauth_version%3D1.0"
	tests := []struct {
		name                 string
		method, url          string
		params               url.Values
		cs, ts               string
		wantBase, wantSigned string
	}{
		{
			name: "A OAuth Core 1.0 A.5", method: "GET", url: "http://photos.example.net/photos",
			params: with(photoParams, "file", "vacation.jpg", "size", "original", "oauth_timestamp", "1191242096",
				"oauth_nonce", "kllo9940pd9333jh", "oauth_version", "1.0"),
			cs: "kd94hf93k423kf44", ts: "pfkkdhi9sl3r4s00",
			wantBase:   "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
			wantSigned: "tR3+Ty81lMeYAr/Fid0kMTYa/WM=",
		},
		{
			name: "B RFC 5849 temporary credentials", method: "POST", url: "https://photos.example.net/initiate",
			params: url.Values{"realm": {"Photos"}, "oauth_consumer_key": {"dpf43f3p2l4k3l03"},
				"oauth_signature_method": {"HMAC-SHA1"}, "oauth_timestamp": {"137131200"}, "oauth_nonce": {"wIjqoS"},
				"oauth_callback": {"http://printer.example.com/ready"}, "oauth_signature": {"ignored"}},
			cs: "kd94hf93k423kf44", ts: "",
			wantSigned: "74KNZJeDHnMBp0EMJ9ZHt/XKycU=",
		},
		{
			name: "C RFC 5849 resource request, query in URL", method: "GET",
			url:    "http://photos.example.net/photos?file=vacation.jpg&size=original",
			params: with(photoParams, "realm", "Photos", "oauth_timestamp", "137131202", "oauth_nonce", "chapoH"),
			cs:     "kd94hf93k423kf44", ts: "pfkkdhi9sl3r4s00",
			wantSigned: "MdpQcU8iPSUjWoN/UDMsK2sui9I=",
		},
		{
			name: "D Flickr request_token", method: "GET", url: "http://www.flickr.com/services/oauth/request_token",
			params: url.Values{"oauth_callback": {"http://www.wackylabs.net/oauth/test"},
				"oauth_consumer_key": {"768fe946d252b119746fda82e1599980"}, "oauth_nonce": {"C2F26CD5C075BA9050AD8EE90644CF29"},
				"oauth_signature_method": {"HMAC-SHA1"}, "oauth_timestamp": {"1316657628"}, "oauth_version": {"1.0"}},
			cs: "1a3c208e172d3edc", ts: "",
			wantBase: flickrBase, wantSigned: "0fhNGlzpFNAsTme/hDfUb5HPB5U=",
		},
		{
			name: "E Flickr base with a token secret", method: "GET", url: "http://www.flickr.com/services/oauth/request_token",
			params: url.Values{"oauth_callback": {"http://www.wackylabs.net/oauth/test"},
				"oauth_consumer_key": {"768fe946d252b119746fda82e1599980"}, "oauth_nonce": {"C2F26CD5C075BA9050AD8EE90644CF29"},
				"oauth_signature_method": {"HMAC-SHA1"}, "oauth_timestamp": {"1316657628"}, "oauth_version": {"1.0"}},
			cs: "1a3c208e172d3edc", ts: "token12345secret",
			wantBase: flickrBase, wantSigned: "dXyfrCetFSTpzD3djSrkFhj0MIQ=",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := BaseString(tc.method, tc.url, tc.params)
			if tc.wantBase != "" && base != tc.wantBase {
				t.Errorf("base string\n got %s\nwant %s", base, tc.wantBase)
			}
			if got := Sign(base, tc.cs, tc.ts); got != tc.wantSigned {
				t.Errorf("Sign = %s, want %s", got, tc.wantSigned)
			}
			if !Verify(base, tc.cs, tc.ts, tc.wantSigned) {
				t.Errorf("Verify rejected the published signature")
			}
			if Verify(base, tc.cs, tc.ts+"x", tc.wantSigned) {
				t.Errorf("Verify accepted a signature made with another key")
			}
		})
	}
}

func fixed(ts int64, nonce string) (func() time.Time, func() string) {
	return func() time.Time { return time.Unix(ts, 0) }, func() string { return nonce }
}

// TestSignerVectors drives the Signer itself through vectors A and D and the two
// flickrapi-shaped requests of API.md §1.6.
func TestSignerVectors(t *testing.T) {
	flickrApp := Credentials{ConsumerKey: "768fe946d252b119746fda82e1599980", ConsumerSecret: "1a3c208e172d3edc"}
	flickrUser := flickrApp
	flickrUser.Token, flickrUser.TokenSecret = "72157626318069415-087bfc7b5816092c", "a202d1f853ec69de"
	tests := []struct {
		name        string
		creds       Credentials
		method, url string
		params      url.Values
		extra       Extra
		ts          int64
		nonce       string
		want        string
	}{
		{
			name:   "A",
			creds:  Credentials{"dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00"},
			method: "GET", url: "http://photos.example.net/photos",
			params: url.Values{"file": {"vacation.jpg"}, "size": {"original"}},
			ts:     1191242096, nonce: "kllo9940pd9333jh", want: "tR3+Ty81lMeYAr/Fid0kMTYa/WM=",
		},
		{
			name: "D request token", creds: flickrApp, method: "GET", url: "http://www.flickr.com/services/oauth/request_token",
			extra: Extra{Callback: "http://www.wackylabs.net/oauth/test"},
			ts:    1316657628, nonce: "C2F26CD5C075BA9050AD8EE90644CF29", want: "0fhNGlzpFNAsTme/hDfUb5HPB5U=",
		},
		{
			name: "flickrapi people.getPhotos", creds: flickrUser, method: "POST", url: "http://127.0.0.1:8080/services/rest/",
			params: url.Values{"method": {"flickr.people.getPhotos"}, "format": {"rest"}, "nojsoncallback": {"1"},
				"user_id": {"me"}, "extras": {"date_upload,date_taken,original_format,tags,machine_tags,url_o"},
				"per_page": {"500"}, "page": {"1"}, "min_upload_date": {"0"}},
			ts: 1305586162, nonce: "95613465", want: "FVgseHkRbT6Yn0vMKWJBCGvhkts=",
		},
		{
			name: "flickrapi upload", creds: flickrUser, method: "POST", url: "http://127.0.0.1:8080/services/upload/",
			params: url.Values{"title": {"IMG_0001.jpg"}, "tags": {`flickrsync:signature="abc123"`},
				"is_public": {"0"}, "is_friend": {"0"}, "is_family": {"0"}, "async": {"1"},
				"api_key": {"768fe946d252b119746fda82e1599980"}},
			ts: 1305586309, nonce: "37026218", want: "R8tol/+5kMIe9gAgedir1om6ryM=",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock, nonce := fixed(tc.ts, tc.nonce)
			s := &Signer{Credentials: tc.creds, Clock: clock, Nonce: nonce}
			before := NormalizeParams(tc.params)
			op := s.OAuthParams(tc.method, tc.url, tc.params, tc.extra)
			if got := op.Get("oauth_signature"); got != tc.want {
				t.Errorf("oauth_signature = %s, want %s", got, tc.want)
			}
			if NormalizeParams(tc.params) != before {
				t.Errorf("OAuthParams modified its params")
			}
			// The header parses back to the same parameters, and they verify.
			h := s.AuthorizationHeader(tc.method, tc.url, tc.params, tc.extra)
			parsed, err := ParseHeader(h)
			if err != nil {
				t.Fatalf("ParseHeader(%q): %v", h, err)
			}
			if parsed.Get("oauth_signature") != tc.want {
				t.Errorf("header signature = %q, want %s (header %s)", parsed.Get("oauth_signature"), tc.want, h)
			}
			all := url.Values{}
			for k, v := range tc.params {
				all[k] = v
			}
			for k, v := range parsed {
				all[k] = v
			}
			if !Verify(BaseString(tc.method, tc.url, all), tc.creds.ConsumerSecret, tc.creds.TokenSecret, parsed.Get("oauth_signature")) {
				t.Errorf("parsed header does not verify")
			}
			form := s.SignForm(tc.method, tc.url, tc.params, tc.extra)
			if form.Get("oauth_signature") != tc.want {
				t.Errorf("SignForm signature = %q, want %s", form.Get("oauth_signature"), tc.want)
			}
			for k := range tc.params {
				if form.Get(k) != tc.params.Get(k) {
					t.Errorf("SignForm lost %s", k)
				}
			}
		})
	}
}

func TestSignerTokenAndVerifier(t *testing.T) {
	clock, nonce := fixed(1305586309, "37026218")
	s := &Signer{Credentials: Credentials{"653e7a6ecc1d528c516cc8f92cf98611", "cs", "72157626737672178-022bbd2f4c2f3432", "fccb68c4e6103197"},
		Clock: clock, Nonce: nonce}
	op := s.OAuthParams("GET", "https://www.flickr.com/services/oauth/access_token", nil, Extra{Verifier: "5d1b96a26b494074"})
	for k, want := range map[string]string{
		"oauth_nonce": "37026218", "oauth_timestamp": "1305586309", "oauth_verifier": "5d1b96a26b494074",
		"oauth_consumer_key": "653e7a6ecc1d528c516cc8f92cf98611", "oauth_signature_method": "HMAC-SHA1",
		"oauth_version": "1.0", "oauth_token": "72157626737672178-022bbd2f4c2f3432",
	} {
		if got := op.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if op.Has("oauth_callback") {
		t.Errorf("oauth_callback present without a callback")
	}
	// The base string is the documented access_token one (API.md §1.2), minus the signature.
	wantBase := "GET&https%3A%2F%2Fwww.flickr.com%2Fservices%2Foauth%2Faccess_token&oauth_consumer_key%3D653e7a6ecc1d528c516cc8f92cf98611%26oauth_nonce%3D37026218%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1305586309%26oauth_token%3D72157626737672178-022bbd2f4c2f3432%26oauth_verifier%3D5d1b96a26b494074%26oauth_version%3D1.0"
	if got := BaseString("GET", "https://www.flickr.com/services/oauth/access_token", op); got != wantBase {
		t.Errorf("base\n got %s\nwant %s", got, wantBase)
	}
	if want := Sign(wantBase, "cs", "fccb68c4e6103197"); op.Get("oauth_signature") != want {
		t.Errorf("signature %s, want %s", op.Get("oauth_signature"), want)
	}
}

func TestRandomNonce(t *testing.T) {
	a, b := RandomNonce(), RandomNonce()
	if len(a) != 32 || strings.Trim(a, "0123456789abcdef") != "" {
		t.Errorf("nonce %q is not 32 hex digits", a)
	}
	if a == b {
		t.Errorf("two nonces are equal: %s", a)
	}
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name, in string
		want     url.Values
		err      bool
	}{
		{"rfc example", `OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"`,
			url.Values{"realm": {"Photos"}, "oauth_consumer_key": {"dpf43f3p2l4k3l03"}, "oauth_signature": {"MdpQcU8iPSUjWoN/UDMsK2sui9I="}}, false},
		{"lowercase scheme, no spaces", `oauth a="1",b="%20"`, url.Values{"a": {"1"}, "b": {" "}}, false},
		{"basic auth", "Basic dXNlcjpwYXNz", nil, true},
		{"empty", "", nil, true},
		{"no value", `OAuth a`, nil, true},
		{"bad escape", `OAuth a="%zz"`, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseHeader(tc.in)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			if tc.err {
				return
			}
			if NormalizeParams(got) != NormalizeParams(tc.want) || got.Get("realm") != tc.want.Get("realm") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func FuzzEncode(f *testing.F) {
	for _, s := range []string{"", "a b", "é+%", "flickrsync:signature=\"ab\"", "\x00\xff~"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Encode(s)
		for i := 0; i < len(e); i++ {
			if c := e[i]; !unreserved(c) && c != '%' {
				t.Fatalf("Encode(%q) = %q keeps reserved byte %q", s, e, c)
			}
		}
		back, err := url.PathUnescape(e)
		if err != nil || back != s {
			t.Fatalf("Encode(%q) = %q does not decode back (%q, %v)", s, e, back, err)
		}
		h := Header(url.Values{"k": {s}})
		p, err := ParseHeader(h)
		if err != nil || p.Get("k") != s {
			t.Fatalf("header %q round trip = %q, %v", h, p.Get("k"), err)
		}
	})
}

func BenchmarkSignRequest(b *testing.B) {
	s := &Signer{Credentials: Credentials{"768fe946d252b119746fda82e1599980", "1a3c208e172d3edc", "72157626318069415-087bfc7b5816092c", "a202d1f853ec69de"}}
	params := url.Values{"method": {"flickr.people.getPhotos"}, "format": {"json"}, "nojsoncallback": {"1"},
		"user_id": {"me"}, "extras": {"date_upload,date_taken,original_format,tags,machine_tags,url_o"}, "per_page": {"500"}, "page": {"1"}}
	for b.Loop() {
		s.AuthorizationHeader("POST", "https://api.flickr.com/services/rest/", params, Extra{})
	}
}
