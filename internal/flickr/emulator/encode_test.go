package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	payload := []*node{el("photos", n("page", 1), s("total", "2")).list("photo").add(
		el("photo", s("id", "1"), s("title", `It's "x" & <y>`), n("farm", 66), null("pathalias")).add(textEl("description", "")),
		el("photo", s("id", "2"), s("title", "café/☃ 😀")),
	)}
	for _, tc := range []struct {
		name string
		got  []byte
		want string
	}{
		{"xml", renderXMLOK(payload), "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"ok\">\n<photos page=\"1\" total=\"2\">\n" +
			"\t<photo id=\"1\" title=\"It&#039;s &quot;x&quot; &amp; &lt;y&gt;\" farm=\"66\" pathalias=\"\">\n\t\t<description />\n\t</photo>\n" +
			"\t<photo id=\"2\" title=\"café/☃ 😀\" />\n</photos>\n</rsp>\n"},
		{"json", renderJSONOK(payload), `{"photos":{"page":1, "total":"2", "photo":[{"id":"1", "title":"It's \"x\" & <y>", "farm":66, "pathalias":null, ` +
			`"description":{"_content":""}}, {"id":"2", "title":"caf\u00e9\/\u2603 \ud83d\ude00"}]}, "stat":"ok"}`},
		{"json empty list", renderJSONOK([]*node{el("tags").list("tag")}), `{"tags":{"tag":[]}, "stat":"ok"}`},
		{"json empty", renderJSONOK(nil), `{"stat":"ok"}`},
		{"xml empty", renderXMLOK(nil), "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"ok\">\n</rsp>\n"},
		{"xml fail", renderXMLFail(1, `Photo "1" not found (invalid ID)`), "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"fail\">\n\t<err code=\"1\" msg=\"Photo &quot;1&quot; not found (invalid ID)\" />\n</rsp>\n"},
		{"json fail", renderJSONFail(112, `Method "x" not found`), `{"stat":"fail", "code":112, "message":"Method \"x\" not found"}`},
		{"json text", renderJSONOK([]*node{el("user", s("id", "1")).add(textEl("username", "a"))}), `{"user":{"id":"1", "username":{"_content":"a"}}, "stat":"ok"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if string(tc.got) != tc.want {
				t.Fatalf("got\n%s\nwant\n%s", tc.got, tc.want)
			}
		})
	}
}

func TestFormats(t *testing.T) {
	srv, base := newTestServer(t, Config{})
	for _, tc := range []struct {
		query, ctype, prefix string
	}{
		{"", "text/xml; charset=utf-8", "<?xml"},
		{"&format=rest", "text/xml; charset=utf-8", "<?xml"},
		{"&format=json&nojsoncallback=1", "application/json", `{"api_key":{"_content":"` + testKey + `"}, "foo":{"_content":"bar"}`},
		{"&format=json", "text/javascript; charset=utf-8", `jsonFlickrApi({"api_key"`},
		{"&format=json&jsoncallback=cb", "text/javascript; charset=utf-8", `cb({"api_key"`},
	} {
		t.Run(tc.query, func(t *testing.T) {
			for _, path := range []string{"/services/rest/", "/services/rest"} {
				resp, err := http.Get(base + path + "?method=flickr.test.echo&foo=bar&api_key=" + testKey + tc.query)
				if err != nil {
					t.Fatal(err)
				}
				body := readAll(t, resp)
				if resp.Header.Get("Content-Type") != tc.ctype || !strings.HasPrefix(body, tc.prefix) {
					t.Fatalf("%s: %q %s", path, resp.Header.Get("Content-Type"), body)
				}
			}
		})
	}
	_ = srv
}
