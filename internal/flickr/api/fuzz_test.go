package api

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"reflect"
	"testing"
)

// responses are fresh values of every answer type the client decodes.
func responses() []Response {
	return []Response{&Envelope{}, &PhotosResponse{}, &PhotoInfoResponse{}, &LoginResponse{}, &CheckTokenResponse{},
		&PhotosetsResponse{}, &PhotosetCreateResponse{}, &LimitsResponse{}, &UploadResponse{}}
}

// fuzzLimits are small, so that the fuzzer reaches them.
var fuzzLimits = Limits{MaxDepth: 6, MaxItems: 4, MaxItemBytes: 200}

// jsonShape measures a valid JSON value independently of checkJSON, with encoding/json's
// decoder: its nesting, its longest array and its largest array value (in bytes from the
// value's first byte to the separator after it, as checkJSON counts).
func jsonShape(b []byte) (depth, items, itemBytes int) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || (b[0] != '{' && b[0] != '[') {
		return 0, 0, 0
	}
	depth = 1
	d := json.NewDecoder(bytes.NewReader(b))
	d.Token() // { or [
	skip := func(off int) int {
		for off < len(b) && bytes.IndexByte([]byte(" \t\r\n,"), b[off]) >= 0 {
			off++
		}
		return off
	}
	n := 0
	for d.More() {
		if b[0] == '{' {
			d.Token() // the key
		}
		start := skip(int(d.InputOffset())) // an array's value (only those count)
		var v json.RawMessage
		d.Decode(&v)
		cd, ci, cb := jsonShape(v)
		depth, items, itemBytes = max(depth, 1+cd), max(items, ci), max(itemBytes, cb)
		if b[0] == '[' {
			end := int(d.InputOffset())
			for end < len(b) && bytes.IndexByte([]byte(" \t\r\n"), b[end]) >= 0 {
				end++
			}
			itemBytes = max(itemBytes, end-start)
		}
		n++
	}
	if b[0] == '[' {
		items = max(items, n)
	}
	return depth, items, itemBytes
}

// jsonSeeds are answers of every kind the client reads, and odd ones.
var jsonSeeds = []string{
	`{"photos":{"page":1,"pages":"1","perpage":500,"total":"2","photo":[{"id":"10115956703","secret":"b14e1be9d0","farm":3,"title":"Jon Snow","ispublic":1,"description":{"_content":"It's a photo"},"dateupload":"1381061206","datetaken":"2013-10-06 14:06:41","tags":"foo vision:night=077","machine_tags":"","pathalias":null,"url_o":"http:\/\/farm3.staticflickr.com\/2822\/10115956703_e40de5bf26_o.jpg"}]},"stat":"ok"}`,
	`{"photo":{"id":"1","dates":{"posted":"1300000005","taken":"2001-01-01 00:00:00","takenunknown":0},"title":{"_content":"t"},"owner":{"nsid":"1@N01"},"tags":{"tag":[{"id":"1-1-1","raw":"a b","machine_tag":0,"_content":"ab"}]}},"stat":"ok"}`,
	`{"user":{"id":"78733179@N04", "username":{"_content":"@janko-m"}}, "stat":"ok"}`,
	`{"oauth":{"token":{"_content":"x"},"perms":{"_content":"write"},"user":{"nsid":"1@N07","username":"j","fullname":"J F"}},"stat":"ok"}`,
	`{"photosets":{"cancreate":1, "page":1, "pages":1, "perpage":1, "total":1, "photoset":[{"id":"72157636215603524", "primary":"10100895983", "photos":"1", "videos":0, "title":{"_content":"Set"}, "description":{"_content":"It's a set"}}]}, "stat":"ok"}`,
	`{"photoset":{"id":"72157636216289703", "url":"http:\/\/www.flickr.com\/photos\/78733179@N04\/sets\/72157636216289703\/"}, "stat":"ok"}`,
	`{"person":{"nsid":"1@N00","photos":{"maxdisplaypx":"1024","maxupload":"209715200"},"videos":{"maxduration":"180","maxupload":"1073741824"}},"stat":"ok"}`,
	`{"stat":"fail","code":100,"message":"Invalid API Key (Key has invalid format)"}`,
	`{"a":[[[[[[1]]]]]],"b":[1,2,3,4,5],"c":["` + string(bytes.Repeat([]byte("x"), 300)) + `"]}`,
	`{"title":{"_content":{"_content":"x"}},"x":"\"[{\\\"","y":[{},{"_content":[1]}]}`,
}

// FuzzCheckJSON: Check refuses exactly the valid JSON beyond its limits (measured again
// by encoding/json's tokenizer), and whatever it accepts decodes into every answer type
// without a panic, within the limits.
func FuzzCheckJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		b := []byte(body)
		a, err := Check(context.Background(), b, fuzzLimits)
		trimmed := bytes.TrimSpace(b)
		valid := len(trimmed) > 0 && trimmed[0] == '{' && json.Valid(trimmed)
		if valid {
			depth, items, itemBytes := jsonShape(trimmed)
			beyond := depth > fuzzLimits.MaxDepth || items > fuzzLimits.MaxItems || itemBytes > fuzzLimits.MaxItemBytes
			if beyond != errors.Is(err, ErrLimit) {
				t.Fatalf("depth %d, longest array %d, largest value %d bytes: Check says %v", depth, items, itemBytes, err)
			}
		}
		if err != nil {
			if !errors.Is(err, ErrLimit) && !errors.Is(err, ErrFormat) {
				t.Fatalf("untyped refusal %v", err)
			}
			return
		}
		for _, r := range responses() {
			if err := a.Decode(context.Background(), r); err == nil && !a.xml {
				if pr, ok := r.(*PhotosResponse); ok && len(pr.Photos.Photo) > fuzzLimits.MaxItems {
					t.Fatalf("%d photos decoded", len(pr.Photos.Photo))
				}
			}
		}
	})
}

// FuzzCheckXML: upload and replace answers (a photo id with or without secrets, a
// ticket, an error) and anything else in XML: Check and Decode never panic, and what is
// accepted respects the limits.
func FuzzCheckXML(f *testing.F) {
	for _, s := range []string{
		"<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"ok\">\n<photoid>10100736393</photoid>\n</rsp>\n",
		`<rsp stat="ok"><photoid secret="4c7cf4c150" originalsecret="2f77799763">10100736393</photoid></rsp>`,
		"<rsp stat=\"ok\">\n<ticketid>78701040-72157636215117185</ticketid>\n</rsp>",
		"<rsp stat=\"fail\">\n\t<err code=\"100\" msg=\"Invalid API Key (Key has invalid format)\" />\n</rsp>",
		`<rsp stat="ok"><photos page="1" pages="0" perpage="100" total="0" /></rsp>`,
		`<rsp><a><b><c><d><e><f><g/></f></e></d></c></b></a><x/><x/><x/><x/><x/></rsp>`,
		`<!DOCTYPE rsp [<!ENTITY a "aaaaaaaa">]><rsp stat="&a;&a;"/>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		a, err := Check(context.Background(), []byte(body), fuzzLimits)
		if err != nil {
			if !errors.Is(err, ErrLimit) && !errors.Is(err, ErrFormat) {
				t.Fatalf("untyped refusal %v", err)
			}
			return
		}
		for _, r := range responses() {
			a.Decode(context.Background(), r)
		}
		if !a.xml {
			return
		}
		// What Check accepted is within the limits, by encoding/xml's own count.
		d := xml.NewDecoder(bytes.NewReader(a.data))
		var children []int
		for {
			tok, err := d.RawToken()
			if err != nil {
				return
			}
			switch tok.(type) {
			case xml.StartElement:
				if k := len(children); k > 0 {
					children[k-1]++
					if children[k-1] > fuzzLimits.MaxItems {
						t.Fatalf("an element with %d children accepted", children[k-1])
					}
				}
				children = append(children, 0)
				if len(children) > fuzzLimits.MaxDepth {
					t.Fatalf("nesting %d accepted", len(children))
				}
			case xml.EndElement:
				if k := len(children); k > 0 {
					children = children[:k-1]
				}
			}
		}
	})
}

// FuzzText: Text reads a string, a number, null or an object's "_content" as
// encoding/json reads the same value as a string (or its literal), and never recurses.
func FuzzText(f *testing.F) {
	for _, s := range []string{`"x"`, `{"_content":"Set"}`, `{"type":"a","_content":"http:\/\/a"}`, `{}`, `null`, `7392`,
		`{"_content":{"_content":"x"}}`, `{"\u005fcontent":"esc"}`, `{"_content":"a","_content":"b"}`, `{"_content":null}`, `[1]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var got Text
		err := json.Unmarshal([]byte(in), &got)
		if !json.Valid([]byte(in)) {
			if err == nil {
				t.Fatalf("invalid JSON %q accepted as %q", in, got)
			}
			return
		}
		var ref struct {
			Content json.RawMessage `json:"_content"`
		}
		raw := []byte(in)
		if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
			if json.Unmarshal(raw, &ref) != nil {
				return
			}
			raw = ref.Content
		}
		raw = bytes.TrimSpace(raw)
		var want string
		switch {
		case len(raw) == 0 || string(raw) == "null":
		case raw[0] == '"':
			json.Unmarshal(raw, &want)
		case raw[0] == '{' || raw[0] == '[':
			if err == nil {
				t.Fatalf("%q: an object or array read as text %q", in, got)
			}
			return
		default:
			want = string(raw)
		}
		if err != nil || string(got) != want {
			t.Fatalf("%q: got %q, %v; want %q", in, got, err, want)
		}
	})
}

// FuzzDecodeLikeUnmarshal: the decoder that stops on cancel (decodeJSON) makes of any
// text what json.Unmarshal makes of it, for every answer type: the same error or none,
// the same value.
func FuzzDecodeLikeUnmarshal(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add(s)
	}
	f.Add(`{"photos":{"photo":[{"id":"1","title":"a"},{"id":"2"}],"PHOTO":[{"tags":"x"}]},"Stat":"ok","STAT":1}`)
	f.Add(`{"photos":{"photo":[{"id":"1"},{"id":"2"},{"id":"3"}]},"photos":{"photo":[{"secret":"s"}]},"photos":{"photo":[{},{}]}}`)
	f.Add(`{"photos":{"photo":null,"page":"2"},"photoid":{"_content":"1","Secret":"s"},"err":{"code":1}} `)
	f.Add(`{"photos":[1],"stat":"ok"}`)
	f.Add(`{"photos":{"photo":{}}}`)
	f.Add(`{"stat":"ok"} {}`)
	f.Add(`{"photos":{"photo":[]}}`)
	f.Fuzz(func(t *testing.T, body string) {
		for _, r := range responses() {
			want := reflect.New(reflect.TypeOf(r).Elem())
			werr := json.Unmarshal([]byte(body), want.Interface())
			got := reflect.New(reflect.TypeOf(r).Elem())
			gerr := decodeJSON(context.Background(), []byte(body), got.Elem())
			if (werr == nil) != (gerr == nil) {
				t.Fatalf("%T: json.Unmarshal: %v; decodeJSON: %v", r, werr, gerr)
			}
			if werr == nil && !reflect.DeepEqual(want.Interface(), got.Interface()) {
				t.Fatalf("%T:\njson.Unmarshal %+v\ndecodeJSON    %+v", r, want.Elem(), got.Elem())
			}
		}
	})
}
