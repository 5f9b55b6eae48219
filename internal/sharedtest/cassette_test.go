package sharedtest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
)

// TestCassettesMatchPyYAML parses every cassette with PyYAML (testdata/pyyaml_dump.py)
// and checks that our reader gives the same whole document, and the same interactions
// field by field.
func TestCassettesMatchPyYAML(t *testing.T) {
	files := Recordings(t)
	py := Tool(t, "python3", "python3")
	if err := exec.Command(py, "-c", "import yaml").Run(); err != nil {
		Absent(t, "python3 without the yaml module (Debian package python3-yaml)")
	}
	cmd := exec.Command(py, append([]string{filepath.Join("testdata", "pyyaml_dump.py")}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pyyaml_dump.py: %v\n%s", err, stderr.Bytes())
	}
	var docs map[string]any
	if err := json.Unmarshal(out, &docs); err != nil {
		t.Fatalf("decode pyyaml_dump.py output: %v", err)
	}
	if len(docs) != len(files) {
		t.Fatalf("PyYAML gave %d documents for %d files", len(docs), len(files))
	}
	total := 0
	for _, f := range files {
		t.Run(filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			ours, err := parseYAML(string(b))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			theirs, err := fromPyJSON(docs[f])
			if err != nil {
				t.Fatal(err)
			}
			if where := firstDiff("", ours, theirs); where != "" {
				t.Errorf("document differs from PyYAML at %s", where)
			}
			got, err := LoadCassette(f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := interactions(theirs)
			if err != nil {
				t.Fatalf("PyYAML's document: %v", err)
			}
			if len(got) != len(want) || len(got) == 0 {
				t.Fatalf("%d interactions, PyYAML %d", len(got), len(want))
			}
			for k := range want {
				g, w := got[k], want[k]
				for _, c := range []struct {
					field    string
					got, pyy any
				}{
					{"Method", g.Method, w.Method}, {"URI", g.URI, w.URI},
					{"RequestBody", g.RequestBody, w.RequestBody}, {"Status", g.Status, w.Status},
					{"ContentType", g.ContentType, w.ContentType}, {"Body", g.Body, w.Body},
				} {
					if c.got != c.pyy {
						t.Errorf("interaction %d %s: %q, PyYAML %q", k, c.field, c.got, c.pyy)
					}
				}
			}
			total += len(got)
		})
	}
	t.Logf("%d cassettes, %d interactions identical to PyYAML", len(files), total)
}

// fromPyJSON turns pyyaml_dump.py's JSON back into parseYAML's shapes: {"$binary": b64}
// becomes the decoded string.
func fromPyJSON(v any) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		if b, ok := v["$binary"].(string); ok && len(v) == 1 {
			raw, err := base64.StdEncoding.DecodeString(b)
			return string(raw), err
		}
		for k, x := range v {
			var err error
			if v[k], err = fromPyJSON(x); err != nil {
				return nil, err
			}
		}
	case []any:
		for k, x := range v {
			var err error
			if v[k], err = fromPyJSON(x); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// firstDiff names the first place where a and b differ, "" when they are equal.
func firstDiff(path string, a, b any) string {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: mapping, PyYAML %T", path, b)
		}
		keys := map[string]bool{}
		for k := range a {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			av, aok := a[k]
			bv, bok := bm[k]
			if aok != bok {
				return fmt.Sprintf("%s.%s: present %v, PyYAML %v", path, k, aok, bok)
			}
			if d := firstDiff(path+"."+k, av, bv); d != "" {
				return d
			}
		}
		return ""
	case []any:
		bl, ok := b.([]any)
		if !ok || len(a) != len(bl) {
			return fmt.Sprintf("%s: sequence of %d, PyYAML %#v", path, len(a), b)
		}
		for k := range a {
			if d := firstDiff(fmt.Sprintf("%s[%d]", path, k), a[k], bl[k]); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a, b) {
		return fmt.Sprintf("%s: %#v, PyYAML %#v", path, a, b)
	}
	return ""
}

// TestInteractionsDialects checks the field extraction of each dialect on small cassettes.
func TestInteractionsDialects(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      Interaction
	}{
		{"ruby-vcr", `---
http_interactions:
- request:
    method: post
    uri: https://up.flickr.com/services/upload/
    body:
      encoding: ASCII-8BIT
      string: !binary |-
        YT0xJmI9Mg==
  response:
    status:
      code: 200
      message: OK
    headers:
      Content-Type:
      - text/xml; charset=utf-8
    body:
      encoding: UTF-8
      string: "<rsp stat=\"ok\">\n</rsp>\n"
recorded_with: VCR 2.9.3
`, Interaction{"POST", "https://up.flickr.com/services/upload/", "a=1&b=2", 200, "text/xml; charset=utf-8", "<rsp stat=\"ok\">\n</rsp>\n"}},
		{"vcrpy-requests", `interactions:
- request:
    body: method=flickr.test.null&format=json
    headers:
      Accept:
      - '*/*'
    method: POST
    uri: https://api.flickr.com/services/rest/
  response:
    body:
      string: '{"stat":"fail","code":98,"message":"Invalid auth token"}'
    headers:
      content-type:
      - application/json
    status:
      code: 200
      message: OK
version: 1
`, Interaction{"POST", "https://api.flickr.com/services/rest/", "method=flickr.test.null&format=json", 200, "application/json", `{"stat":"fail","code":98,"message":"Invalid auth token"}`}},
		{"vcrpy-httpx", `interactions:
- request:
    body: ''
    headers:
      host:
      - api.flickr.com
    method: GET
    uri: https://api.flickr.com/services/rest/?method=flickr.photos.getInfo
  response:
    content: '<?xml version="1.0" encoding="utf-8" ?>

      <rsp stat="ok">

      </rsp>

      '
    headers:
      content-type:
      - text/xml; charset=utf-8
    http_version: HTTP/1.1
    status_code: 404
version: 1
`, Interaction{"GET", "https://api.flickr.com/services/rest/?method=flickr.photos.getInfo", "", 404, "text/xml; charset=utf-8", "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"ok\">\n</rsp>\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yml")
			if err := os.WriteFile(path, []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := LoadCassette(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Fatalf("got %+v\nwant [%+v]", got, tc.want)
			}
		})
	}
}

func TestLoadCassetteErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, src string }{
		{"no-status", "interactions:\n- request:\n    method: GET\n  response:\n    content: x\n"},
		{"unterminated", "interactions:\n- request:\n    uri: 'https://x\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".yml")
			if err := os.WriteFile(path, []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			if its, err := LoadCassette(path); err == nil {
				t.Fatalf("no error; got %+v", its)
			}
		})
	}
	if _, err := LoadCassette(filepath.Join(dir, "missing.yml")); err == nil {
		t.Fatal("missing file: no error")
	}
}

func TestRecordings(t *testing.T) {
	files := Recordings(t)
	if !sort.StringsAreSorted(files) {
		t.Error("not sorted")
	}
	n := 0
	for _, f := range files {
		its, err := LoadCassette(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(its) == 0 {
			t.Errorf("%s: no interactions", f)
		}
		n += len(its)
	}
	t.Logf("%d cassettes, %d interactions", len(files), n)
}
