package scan

import (
	"testing"
	"testing/fstest"
)

// TestExcludedDecidesAsTheWalk: a path decided alone (one the sync is about to download
// to, which need not exist) is decided as a scan's walk decides it.
func TestExcludedDecidesAsTheWalk(t *testing.T) {
	fsys := FromFS(fstest.MapFS{
		".flickrsyncignore":           {Data: []byte("flickrsync/\n*.tmp.jpg\n")},
		"trips/.flickrsyncignore":     {Data: []byte("raw/\n!keep.tmp.jpg\n")},
		"trips/a.jpg":                 {Data: []byte("x")},
		"trips/raw/.flickrsyncignore": {Data: []byte("!*\n")},
	})
	for _, tt := range []struct {
		cfg  Config
		rel  string
		dir  bool
		rule string
	}{
		{Config{}, "flickrsync", true, ".flickrsyncignore:1:flickrsync/"},
		{Config{}, "flickrsync/flickrsync_1_ab_x.jpg", false, ".flickrsyncignore:1:flickrsync/"},
		{Config{}, "flickrsync_1_ab_x.jpg", false, ""},
		{Config{}, "a.tmp.jpg", false, ".flickrsyncignore:2:*.tmp.jpg"},
		{Config{}, "trips/keep.tmp.jpg", false, ""},
		{Config{}, "trips/raw/b.jpg", false, "trips/.flickrsyncignore:1:raw/"},
		{Config{}, ".hidden/b.jpg", false, "default:1:.*"},
		{Config{NoDefaultExcludes: true}, ".hidden/b.jpg", false, ""},
		{Config{Exclude: []string{"trips/"}}, "trips/keep.tmp.jpg", false, "exclude:1:trips/"},
	} {
		tt.cfg.FS = fsys
		rule, ex, err := Excluded(tt.cfg, tt.rel, tt.dir)
		if err != nil || ex != (tt.rule != "") || rule != tt.rule {
			t.Errorf("%s: excluded %v by %q (%v), want %q", tt.rel, ex, rule, err, tt.rule)
		}
	}
}

func TestNestedRoots(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"/p/lib", "/p/lib/2019", true},
		{"/p/lib/2019", "/p/lib", true},
		{"/p/lib", "/p/lib/", false},
		{"/p/lib", "/p/library", false},
		{"/p/lib", "/q/lib", false},
		{"", "/p/lib", false},
	} {
		if got := nestedRoots(tt.a, tt.b); got != tt.want {
			t.Errorf("nestedRoots(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}
