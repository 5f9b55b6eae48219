package flickr

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/names"
	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

func TestNormalizeTagTable(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"George_Eastman_House", "georgeeastmanhouse"},
		{"f/5.0", "f50"},
		{"b&w", "bw"},
		{"London (Ont.)", "londonont"},
		{"vue-croisée", "vuecroisée"},
		{"geh:maker=Atget, Eugène", "geh:maker=atgeteugène"},
		{"geh:accession=1978:1628:0030", "geh:accession=197816280030"},
		{"tna:IAID=C10645355", "tna:iaid=c10645355"},
		{`flickrsync:signature="0a1b2c"`, "flickrsync:signature=0a1b2c"},
		{"flickrsync:signature=0A1B2C", "flickrsync:signature=0a1b2c"},
		{"My_NS:Pred_2=x y", "my_ns:pred_2=xy"},
		{"2ns:pred=x", "2nspredx"}, // a namespace must start with a letter
		{"ns:=x", "nsx"},
		{"  Spaced Out  ", "spacedout"},
		{"日本 語", "日本語"},
		{"", ""},
		{"!!!", ""},
	}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			if got := NormalizeTag(tc.raw); got != tc.want {
				t.Errorf("NormalizeTag(%q) = %q, want %q", tc.raw, got, tc.want)
			}
		})
	}
}

// TestNormalizeTagObserved checks every raw -> clean pair Flickr produced in the
// recordings (../shared/flickr/tag_pairs.json).
func TestNormalizeTagObserved(t *testing.T) {
	path := sharedtest.Path(t, "flickr", "tag_pairs.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("no tag pairs: %v", err)
	}
	var pairs map[string][2]string
	if err := json.Unmarshal(b, &pairs); err != nil {
		t.Fatal(err)
	}
	if len(pairs) == 0 {
		t.Fatal("no pairs in tag_pairs.json")
	}
	for raw, p := range pairs {
		t.Run(raw, func(t *testing.T) {
			if got := NormalizeTag(raw); got != p[0] {
				t.Errorf("NormalizeTag(%q) = %q, Flickr: %q", raw, got, p[0])
			}
			if got := IsMachineTag(raw); got != (p[1] == "1") {
				t.Errorf("IsMachineTag(%q) = %v, Flickr: %s", raw, got, p[1])
			}
		})
	}
}

// TestSignatureTagAsFlickrStoresIt: whatever raw form of the signature tag a tool
// wrote, Flickr lists its clean form (NormalizeTag), and that is what the one reader of
// the tag (names.SignatureIn) reads; the raw forms themselves are never listed.
func TestSignatureTagAsFlickrStoresIt(t *testing.T) {
	const sig = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	if got := NormalizeTag(names.SignatureTag(sig)); got != names.CleanSignatureTag(sig) {
		t.Errorf("the uploaded tag is stored as %s", got)
	}
	for _, raw := range []string{
		names.SignatureTag(sig),
		names.CleanSignatureTag(sig),
		"FlickrSync:Signature=" + strings.ToUpper(sig),
		`flickrsync:signature="` + strings.ToUpper(sig) + `"`,
	} {
		clean := NormalizeTag(raw)
		if got, ok := names.SignatureIn(clean); !ok || got != sig {
			t.Errorf("%s is listed as %s, read as %q", raw, clean, got)
		}
	}
	p := Photo{Tags: []string{"x", names.CleanSignatureTag("abc")}}
	if p.Signature() != "abc" {
		t.Errorf("Photo.Signature falls back to Tags: got %q", p.Signature())
	}
	p = Photo{MachineTags: []string{names.CleanSignatureTag("ab")}, Tags: []string{names.CleanSignatureTag("cd")}}
	if p.Signature() != "ab" {
		t.Errorf("Photo.Signature reads the machine tags first: got %q", p.Signature())
	}
}

func TestJoinTags(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"a", "b c", "", `flickrsync:signature="ab"`}, `a "b c" flickrsync:signature="ab"`},
		{[]string{`say "hi" now`}, `"say hi now"`},
		{nil, ""},
	}
	for _, tc := range tests {
		if got := JoinTags(tc.in); got != tc.want {
			t.Errorf("JoinTags(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
