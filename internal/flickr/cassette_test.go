package flickr

// Reading the recorded exchanges of ../shared/flickr/recorded (never copied into the
// repository) in the three cassette dialects: Ruby VCR, vcrpy with requests, vcrpy with httpx.

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// interaction is one recorded request and its answer.
type interaction struct {
	Method, URI, RequestBody string
	Status                   int
	ContentType              string
	Body                     string
}

func (it *interaction) header() map[string][]string {
	return map[string][]string{"Content-Type": {it.ContentType}}
}

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

// loadCassette reads the interactions of one cassette in any of the three dialects.
func loadCassette(path string) ([]interaction, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	doc, err := parseYAML(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	list, _ := getPath(doc, "http_interactions").([]any)
	if list == nil {
		list, _ = getPath(doc, "interactions").([]any)
	}
	var out []interaction
	for _, raw := range list {
		it := interaction{
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
		if it.Status, err = strconv.Atoi(code); err != nil {
			return nil, fmt.Errorf("%s: status %q", filepath.Base(path), code)
		}
		if hm, ok := getPath(resp, "headers").(map[string]any); ok {
			for k, v := range hm {
				if strings.EqualFold(k, "content-type") {
					if l, ok := v.([]any); ok && len(l) > 0 {
						it.ContentType = str(l[0])
					}
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

// sharedDir finds ../shared relative to the repository root, or $FLICKRSYNC_SHARED.
func sharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("FLICKRSYNC_SHARED"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(d), "shared")
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}
