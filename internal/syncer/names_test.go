package syncer

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitizeName(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"holiday", "holiday"},
		{"../../etc/x", "_._etc_x"},
		{"..", ""},
		{".hidden", "hidden"},
		{"-rf", "rf"},
		{"a/b\\c", "a_b_c"},
		{"tab\there\x00", "tab_here_"},
		{`what?<>:"|*`, "what_______"},
		{"CON", "_CON"},
		{"com1.txt", "_com1.txt"},
		{"trailing. ", "trailing"},
		{"été à Paris", "été à Paris"},
		{"bad\xffutf8", "bad_utf8"},
		{"rtl\u202eevil", "rtl_evil"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := SanitizeName(tt.in, 100); got != tt.want {
				t.Errorf("SanitizeName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSanitizeNameLength(t *testing.T) {
	long := strings.Repeat("é", 200) // 400 bytes
	got := SanitizeName(long, 101)
	if len(got) > 101 || !utf8.ValidString(got) || len(got) != 100 {
		t.Errorf("len %d, valid %v", len(got), utf8.ValidString(got))
	}
}

func TestDownloadName(t *testing.T) {
	tests := []struct {
		name string
		r    Remote
		want string
		err  bool
	}{
		{"plain", Remote{ID: "123", OriginalSecret: "abc9", Title: "Beach", OriginalFormat: "jpg"}, "flickrsync_123_abc9_Beach.jpg", false},
		{"empty title", Remote{ID: "123", OriginalSecret: "abc9", OriginalFormat: "png"}, "flickrsync_123_abc9_.png", false},
		{"hostile title", Remote{ID: "1", OriginalSecret: "f", Title: "../../etc/passwd", OriginalFormat: "jpg"}, "flickrsync_1_f__._etc_passwd.jpg", false},
		{"hostile format", Remote{ID: "1", OriginalSecret: "f", Title: "x", OriginalFormat: "../sh"}, "flickrsync_1_f_x.jpg", false},
		{"bad id", Remote{ID: "../1", OriginalSecret: "f"}, "", true},
		{"bad secret", Remote{ID: "1", OriginalSecret: "a/b"}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DownloadName(tt.r)
			if (err != nil) != tt.err || got != tt.want {
				t.Fatalf("DownloadName = %q, %v; want %q, err %v", got, err, tt.want, tt.err)
			}
			if err == nil {
				root := filepath.FromSlash("/lib")
				if !inside(root, filepath.Join(root, "flickrsync", got)) {
					t.Errorf("%q leaves the library", got)
				}
				d, ok := ParseDownloadName(got)
				if !ok || d.ID != tt.r.ID || d.Secret != tt.r.OriginalSecret {
					t.Errorf("ParseDownloadName(%q) = %+v, %v", got, d, ok)
				}
			}
		})
	}
}

func TestParseDownloadName(t *testing.T) {
	tests := []struct {
		in   string
		want Downloaded
		ok   bool
	}{
		{"flickrsync_42_ab12_Title.jpg", Downloaded{"42", "ab12", "Title", "jpg"}, true},
		{"FlickrSync_42_AB12_t_with_underscores.JPEG", Downloaded{"42", "ab12", "t_with_underscores", "jpeg"}, true},
		{"flickrsync_42_ab12_Title (2).png", Downloaded{"42", "ab12", "Title", "png"}, true},
		{"flickrsync_42_ab12_.gif", Downloaded{"42", "ab12", "", "gif"}, true},
		{"flickrsync_x_ab12_T.jpg", Downloaded{}, false},
		{"IMG_0001.jpg", Downloaded{}, false},
		{"flickrsync_42_ab12_T.tiff", Downloaded{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseDownloadName(tt.in)
			if ok != tt.ok || got != tt.want {
				t.Errorf("got %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestSetName(t *testing.T) {
	for in, want := range map[string]string{"": "flickrsync", "2019": "2019", "2019/Rome/day 1": "2019, Rome, day 1", "flickrsync": "flickrsync"} {
		if got := SetName(in); got != want {
			t.Errorf("SetName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClashName(t *testing.T) {
	if got := ClashName("a.b.jpg", 3); got != "a.b (3).jpg" {
		t.Errorf("got %q", got)
	}
	if got := ClashName("noext", 2); got != "noext (2)" {
		t.Errorf("got %q", got)
	}
}

func TestJoinTags(t *testing.T) {
	got := JoinTags([]string{"beach", "new york", "geo:locality=san francisco", `flickrsync:signature=ab`})
	want := `beach "new york" geo:locality="san francisco" flickrsync:signature=ab`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestRemoteSignature(t *testing.T) {
	tests := []struct{ mt, want string }{
		{"flickrsync:signature=abc123", "abc123"},
		{"foo:bar=1 flickrsync:signature=ABC uploaded:by=x", "abc"},
		{"flickrsync:signature=abc-123", ""},
		{"xflickrsync:signature=abc", ""},
		{"FlickrSync:Signature=AbC", "abc"},
		{"flickrsync:signature=\x10", ""},
		{"flickrsync:signature=", ""},
		{"tag flickrsync:signature=zz flickrsync:signature=0f", "0f"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := (Remote{MachineTags: tt.mt}).Signature(); got != tt.want {
			t.Errorf("Signature(%q) = %q, want %q", tt.mt, got, tt.want)
		}
	}
}
