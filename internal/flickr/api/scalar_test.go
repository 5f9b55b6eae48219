package api

import (
	"encoding/json"
	"encoding/xml"
	"testing"
)

func TestIntJSON(t *testing.T) {
	tests := []struct {
		in   string
		want Int
		err  bool
	}{
		{`1`, 1, false}, {`"1"`, 1, false}, {`null`, 0, false}, {`""`, 0, false},
		{`" 42 "`, 42, false}, {`1381061206`, 1381061206, false}, {`"1381061206"`, 1381061206, false},
		{`1.0`, 1, false}, {`true`, 1, false}, {`false`, 0, false}, {`-3`, -3, false},
		{`1.5`, 0, true}, {`"abc"`, 0, true}, {`{}`, 0, true}, {`[1]`, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var n Int
			err := json.Unmarshal([]byte(tc.in), &n)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			if !tc.err && n != tc.want {
				t.Errorf("got %d, want %d", n, tc.want)
			}
		})
	}
}

func TestTextJSON(t *testing.T) {
	tests := []struct {
		in   string
		want Text
		err  bool
	}{
		{`"x"`, "x", false}, {`{"_content":"Set"}`, "Set", false}, {`{"_content":""}`, "", false},
		{`{"type":"photopage","_content":"http:\/\/a"}`, "http://a", false}, {`{}`, "", false},
		{`null`, "", false}, {`7392`, "7392", false}, {`45.807258`, "45.807258", false},
		{`"It's"`, "It's", false}, {`[]`, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var s Text
			err := json.Unmarshal([]byte(tc.in), &s)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			if !tc.err && s != tc.want {
				t.Errorf("got %q, want %q", s, tc.want)
			}
		})
	}
}

// TestShapes decodes small hand-written responses of both formats into the same structs.
func TestShapes(t *testing.T) {
	t.Run("upload photoid with secrets", func(t *testing.T) {
		var r UploadResponse
		body := "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"ok\">\n<photoid secret=\"aa\" originalsecret=\"bb\">123</photoid>\n</rsp>\n"
		if err := xml.Unmarshal([]byte(body), &r); err != nil {
			t.Fatal(err)
		}
		if r.PhotoID.ID != "123" || r.PhotoID.Secret != "aa" || r.PhotoID.OriginalSecret != "bb" || r.TicketID != "" {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("upload ticket", func(t *testing.T) {
		var r UploadResponse
		if err := xml.Unmarshal([]byte("<rsp stat=\"ok\">\n<ticketid>1-2</ticketid>\n</rsp>"), &r); err != nil {
			t.Fatal(err)
		}
		if r.TicketID != "1-2" || r.PhotoID.ID != "" {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("envelope xml and json", func(t *testing.T) {
		var x, j Envelope
		if err := xml.Unmarshal([]byte(`<rsp stat="fail"><err code="99" msg="no" /></rsp>`), &x); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(`{"stat":"fail","code":"99","message":"no"}`), &j); err != nil {
			t.Fatal(err)
		}
		for _, e := range []Envelope{x, j} {
			if code, msg := e.ErrCode(); e.Stat != "fail" || code != 99 || msg != "no" {
				t.Errorf("got %+v", e)
			}
		}
	})
	t.Run("photoset list title element and object", func(t *testing.T) {
		var x, j PhotosetsResponse
		if err := xml.Unmarshal([]byte(`<rsp><photosets page="1" pages="2" total="3"><photoset id="9" photos="4"><title>T</title><description>D</description></photoset></photosets></rsp>`), &x); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(`{"photosets":{"page":1,"pages":"2","total":3,"photoset":[{"id":"9","photos":"4","title":{"_content":"T"},"description":{"_content":"D"}}]}}`), &j); err != nil {
			t.Fatal(err)
		}
		for _, r := range []PhotosetsResponse{x, j} {
			p := r.Photosets
			if p.Pages != 2 || p.Total != 3 || len(p.Photoset) != 1 || p.Photoset[0].Title != "T" || p.Photoset[0].Description != "D" || p.Photoset[0].Photos != 4 {
				t.Errorf("got %+v", p)
			}
		}
	})
}
