package flickr

import (
	"encoding/json"
	"os"
	"testing"

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

func TestSignatureTags(t *testing.T) {
	const sig = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	if got := SignatureTag(sig); got != `flickrsync:signature="`+sig+`"` {
		t.Errorf("SignatureTag = %s", got)
	}
	if got := NormalizeTag(SignatureTag(sig)); got != "flickrsync:signature="+sig {
		t.Errorf("the uploaded tag is stored as %s", got)
	}
	tests := []struct {
		name string
		tags []string
		want string
	}{
		{"clean", []string{"foo", "flickrsync:signature=" + sig, "bar"}, sig},
		{"quoted raw", []string{`flickrsync:signature="abc123"`}, "abc123"},
		{"first wins", []string{"flickrsync:signature=aa", "flickrsync:signature=bb"}, "aa"},
		{"uppercase is not the clean form", []string{"flickrsync:signature=ABC"}, ""},
		{"not hex", []string{"flickrsync:signature=xyz"}, ""},
		{"empty", []string{"flickrsync:signature="}, ""},
		{"other namespace", []string{"other:signature=abc"}, ""},
		{"prefix only", []string{"flickrsync:signatures=abc"}, ""},
		{"none", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SignatureFromMachineTags(tc.tags); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	p := Photo{Tags: []string{"x", "flickrsync:signature=abc"}}
	if p.Signature() != "abc" {
		t.Errorf("Photo.Signature falls back to Tags: got %q", p.Signature())
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
