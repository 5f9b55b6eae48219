package words

import "testing"

func TestCount(t *testing.T) {
	tests := []struct {
		n      int
		noun   string
		plural []string
		want   string
	}{
		{0, "picture", nil, "0 pictures"},
		{1, "picture", nil, "1 picture"},
		{2, "picture", nil, "2 pictures"},
		{1, "copy", []string{"copies"}, "1 copy"},
		{3, "copy", []string{"copies"}, "3 copies"},
	}
	for _, tt := range tests {
		if got := Count(tt.n, tt.noun, tt.plural...); got != tt.want {
			t.Errorf("Count(%d, %q) = %q, want %q", tt.n, tt.noun, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	keys := []string{"api_key", "api_secret", "is_public", "is_friend", "is_family", "transfers"}
	tests := []struct{ word, want string }{
		{"is_publik", "is_public"},
		{"IS_PUBLIC", "is_public"},
		{"api_secrte", "api_secret"},
		{"transfer", "transfers"},
		{"trasnfers", "transfers"},
		{"colour", ""},
		{"x", ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.word, keys); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestPixels(t *testing.T) {
	for n, want := range map[int64]string{1 << 30: "1 gigapixel", 3 << 30: "3 gigapixel", 16 << 20: "16 megapixel", 1<<30 + 1<<20: "1025 megapixel", 1000: "1000 pixel", 1<<20 + 1: "1048577 pixel"} {
		if got := Pixels(n); got != want {
			t.Errorf("Pixels(%d) = %q, want %q", n, got, want)
		}
	}
}
