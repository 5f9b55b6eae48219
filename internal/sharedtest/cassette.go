package sharedtest

// The recorded Flickr exchanges of ../shared/flickr/recorded, in the three cassette
// dialects found there:
//   - Ruby VCR: http_interactions, request.body.string, response.status.code,
//     response.body.string (sometimes !binary);
//   - vcrpy with requests: interactions, request.body, response.status.code,
//     response.body.string;
//   - vcrpy with httpx: interactions, request.body, response.status_code, response.content.

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Interaction is one recorded request and the answer Flickr gave.
type Interaction struct {
	Method      string // upper case: GET, POST
	URI         string // as requested, query included
	RequestBody string // the form body of a POST ("" for none; multipart uploads included)
	Status      int    // HTTP status code
	ContentType string // the response's Content-Type header ("" when not recorded)
	Body        string // the response body
}

// Header returns the recorded response headers the tests use (Content-Type only).
func (it *Interaction) Header() http.Header {
	return http.Header{"Content-Type": {it.ContentType}}
}

// Recordings lists the cassette files (shared/flickr/recorded/*/*.yml), sorted; it
// skips t when the shared material or the recordings are absent.
func Recordings(t testing.TB) []string {
	t.Helper()
	dir := Path(t, "flickr", "recorded")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.yml"))
	if err != nil {
		t.Fatalf("list recordings: %v", err)
	}
	if len(files) == 0 {
		Absent(t, "no recordings in %s (set %s)", dir, EnvVar)
	}
	sort.Strings(files)
	return files
}

// LoadCassette reads the interactions of one cassette in any of the three dialects.
func LoadCassette(path string) ([]Interaction, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read cassette: %w", err)
	}
	doc, err := parseYAML(string(b))
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", filepath.Base(path), err)
	}
	its, err := interactions(doc)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	return its, nil
}

// interactions extracts the exchanges from a parsed cassette, whose scalars are all
// strings (or nil for null).
func interactions(doc any) ([]Interaction, error) {
	list, _ := getPath(doc, "http_interactions").([]any)
	if list == nil {
		list, _ = getPath(doc, "interactions").([]any)
	}
	var out []Interaction
	for k, raw := range list {
		it := Interaction{
			Method: strings.ToUpper(str(getPath(raw, "request", "method"))),
			URI:    str(getPath(raw, "request", "uri")),
		}
		it.RequestBody = str(getPath(raw, "request", "body"))
		if it.RequestBody == "" {
			it.RequestBody = str(getPath(raw, "request", "body", "string"))
		}
		resp := getPath(raw, "response")
		code := str(getPath(resp, "status", "code"))
		if code == "" {
			code = str(getPath(resp, "status_code"))
		}
		var err error
		if it.Status, err = strconv.Atoi(code); err != nil {
			return nil, fmt.Errorf("interaction %d: status %q", k, code)
		}
		if hm, ok := getPath(resp, "headers").(map[string]any); ok {
			keys := make([]string, 0, len(hm))
			for key := range hm {
				keys = append(keys, key)
			}
			sort.Strings(keys)
			for _, key := range keys {
				if l, ok := hm[key].([]any); ok && len(l) > 0 && strings.EqualFold(key, "content-type") {
					it.ContentType = str(l[0])
					break
				}
			}
		}
		it.Body = str(getPath(resp, "body", "string"))
		if it.Body == "" {
			it.Body = str(getPath(resp, "content"))
		}
		out = append(out, it)
	}
	return out, nil
}

// getPath walks nested mappings; nil when a step is missing or not a mapping.
func getPath(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
