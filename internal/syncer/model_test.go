package syncer

import "testing"

func TestSetName(t *testing.T) {
	for in, want := range map[string]string{"": "flickrsync", "2019": "2019", "2019/Rome/day 1": "2019, Rome, day 1", "flickrsync": "flickrsync"} {
		if got := SetName(in); got != want {
			t.Errorf("SetName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJoinTags(t *testing.T) {
	got := JoinTags([]string{"beach", "new york", "geo:locality=san francisco", `flickrsync:signature=ab`})
	want := `beach "new york" geo:locality="san francisco" flickrsync:signature=ab`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// TestRemoteSignature: a photo's signature is read from its machine tags, then its tags,
// by the one rule (names.SignatureOf, tested there).
func TestRemoteSignature(t *testing.T) {
	tests := []struct{ mt, tags, want string }{
		{"foo:bar=1 flickrsync:signature=abc123 uploaded:by=x", "", "abc123"},
		{"", "holiday flickrsync:signature=0f", "0f"},
		{"flickrsync:signature=aa", "flickrsync:signature=bb", "aa"},
		{"flickrsync:signature=ABC", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := (Remote{MachineTags: tt.mt, Tags: tt.tags}).Signature(); got != tt.want {
			t.Errorf("Signature(%q, %q) = %q, want %q", tt.mt, tt.tags, got, tt.want)
		}
	}
}
