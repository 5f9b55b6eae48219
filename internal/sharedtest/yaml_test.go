package sharedtest

import "testing"

func TestYAMLSubset(t *testing.T) {
	src := `---
http_interactions:
- request:
    method: get
    uri: https://x/rest?a=1
    body:
      encoding: US-ASCII
      string: ''
  response:
    status:
      code: 200
      message: 
    headers:
      content-type:
      - application/json
      via:
      - HTTP/1.1 r05
        continued
    body:
      string: '{"photos":{"page":1, "title":"It''s",
        "x":2}}'
- request:
    body: !binary |-
      aGVsbG8=
    method: POST
    uri: "https://y/\"q\"\tz\
      \ end"
  response:
    status_code: 401
    content: |
      <rsp stat="ok">
      	<tab />
      </rsp>
version: 1
`
	doc, err := parseYAML(src)
	if err != nil {
		t.Fatal(err)
	}
	list := getPath(doc, "http_interactions").([]any)
	if len(list) != 2 {
		t.Fatalf("got %d interactions", len(list))
	}
	checks := []struct{ got, want any }{
		{getPath(list[0], "request", "method"), "get"},
		{getPath(list[0], "request", "body", "string"), ""},
		{getPath(list[0], "response", "status", "code"), "200"},
		{getPath(list[0], "response", "status", "message"), nil},
		{getPath(list[0], "response", "headers", "via").([]any)[0], "HTTP/1.1 r05 continued"},
		{getPath(list[0], "response", "body", "string"), `{"photos":{"page":1, "title":"It's", "x":2}}`},
		{getPath(list[1], "request", "body"), "hello"},
		{getPath(list[1], "request", "uri"), "https://y/\"q\"\tz end"},
		{getPath(list[1], "response", "content"), "<rsp stat=\"ok\">\n\t<tab />\n</rsp>\n"},
		{getPath(doc, "version"), "1"},
	}
	for k, c := range checks {
		if c.got != c.want {
			t.Errorf("check %d: got %q, want %q", k, c.got, c.want)
		}
	}
}
