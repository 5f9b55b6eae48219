package names

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSignatureOf(t *testing.T) {
	const sig = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	tests := []struct {
		name  string
		lists []string
		want  string
	}{
		{"clean", []string{"foo flickrsync:signature=" + sig + " bar"}, sig},
		{"among other machine tags", []string{"foo:bar=1 flickrsync:signature=abc123 uploaded:by=x"}, "abc123"},
		{"first wins", []string{"flickrsync:signature=aa flickrsync:signature=bb"}, "aa"},
		{"first valid wins", []string{"tag flickrsync:signature=zz flickrsync:signature=0f"}, "0f"},
		{"machine tags before tags", []string{"flickrsync:signature=aa", "flickrsync:signature=bb"}, "aa"},
		{"tags when no machine tags", []string{"", "x flickrsync:signature=bb"}, "bb"},
		// Flickr lists the clean form only: raw forms are not read.
		{"upper-case hex is not a clean form", []string{"flickrsync:signature=ABC"}, ""},
		{"upper-case namespace is not a clean form", []string{"FlickrSync:Signature=abc"}, ""},
		{"quoted raw form", []string{`flickrsync:signature="abc"`}, ""},
		{"squashed punctuation is not hex", []string{"flickrsync:signature=abc-123"}, ""},
		{"not hex", []string{"flickrsync:signature=xyz"}, ""},
		{"control character", []string{"flickrsync:signature=\x10"}, ""},
		{"empty value", []string{"flickrsync:signature="}, ""},
		{"another namespace ending in ours", []string{"xflickrsync:signature=abc"}, ""},
		{"another predicate", []string{"flickrsync:signatures=abc"}, ""},
		{"another namespace", []string{"other:signature=abc"}, ""},
		{"none", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SignatureOf(tt.lists...); got != tt.want {
				t.Errorf("SignatureOf(%q) = %q, want %q", tt.lists, got, tt.want)
			}
		})
	}
	if got := SignatureOf(CleanSignatureTag(sig)); got != sig {
		t.Errorf("the clean tag reads as %q", got)
	}
	if got := SignatureTag(sig); got != `flickrsync:signature="`+sig+`"` {
		t.Errorf("SignatureTag = %s", got)
	}
}

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
	long := strings.Repeat("é", 200) // 400 bytes
	if got := SanitizeName(long, 101); len(got) != 100 || !utf8.ValidString(got) {
		t.Errorf("cut to %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
}

func TestDownloadName(t *testing.T) {
	tests := []struct {
		name                     string
		id, secret, title, forma string
		want                     string
		err                      bool
	}{
		{"plain", "123", "abc9", "Beach", "jpg", "flickrsync_123_abc9_Beach.jpg", false},
		{"empty title", "123", "abc9", "", "png", "flickrsync_123_abc9_.png", false},
		{"upper-case secret", "123", "ABC9", "x", "JPG", "flickrsync_123_abc9_x.jpg", false},
		{"hostile title", "1", "f", "../../etc/passwd", "jpg", "flickrsync_1_f__._etc_passwd.jpg", false},
		{"hostile format", "1", "f", "x", "../sh", "flickrsync_1_f_x.jpg", false},
		{"bad id", "../1", "f", "", "", "", true},
		{"bad secret", "1", "a/b", "", "", "", true},
		{"no secret", "1", "", "", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DownloadName(tt.id, tt.secret, tt.title, tt.forma)
			if (err != nil) != tt.err || got != tt.want {
				t.Fatalf("DownloadName = %q, %v; want %q, err %v", got, err, tt.want, tt.err)
			}
			if err != nil {
				return
			}
			if strings.ContainsAny(got, `/\`) {
				t.Errorf("%q is not one path element", got)
			}
			d, ok := ParseDownload(got)
			if !ok || d.ID != tt.id || d.Secret != strings.ToLower(tt.secret) {
				t.Errorf("ParseDownload(%q) = %+v, %v", got, d, ok)
			}
		})
	}
}

func TestParseDownload(t *testing.T) {
	tests := []struct {
		in   string
		want Download
		ok   bool
	}{
		{"flickrsync_42_ab12_Title.jpg", Download{"42", "ab12", "Title", "jpg"}, true},
		{"FlickrSync_42_AB12_t_with_underscores.JPEG", Download{"42", "ab12", "t_with_underscores", "jpeg"}, true},
		{"flickrsync_42_ab12_Title (2).png", Download{"42", "ab12", "Title", "png"}, true},
		{"flickrsync_42_ab12_a (b).png", Download{"42", "ab12", "a (b)", "png"}, true},
		{"flickrsync_42_ab12_.gif", Download{"42", "ab12", "", "gif"}, true},
		{"flickrsync_42_ab12_x.jpg.gif", Download{"42", "ab12", "x.jpg", "gif"}, true},
		{"flickrsync_x_ab12_T.jpg", Download{}, false},
		{"flickrsync__ab12_T.jpg", Download{}, false},
		{"flickrsync_42__T.jpg", Download{}, false},
		{"flickrsync_42_a-b_T.jpg", Download{}, false},
		{"flickrsync_42_ab12.jpg", Download{}, false},
		{"flickrsync_42_ab12_line\nbreak.jpg", Download{}, false},
		{"IMG_0001.jpg", Download{}, false},
		{"flickrsync_42_ab12_T.tiff", Download{ID: "42", Secret: "ab12", Title: "T", Ext: "tiff"}, true},
		{"flickrsync_42_ab12_clip.MOV", Download{ID: "42", Secret: "ab12", Title: "clip", Ext: "mov"}, true},
		{"flickrsync_42_ab12_T.txt", Download{}, false},
		{"flickrsync_42_ab12_T", Download{}, false},
		{"flickrsync", Download{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseDownload(tt.in)
			if ok != tt.ok || got != tt.want {
				t.Errorf("got %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestClashName(t *testing.T) {
	if got := ClashName("a.b.jpg", 3); got != "a.b (3).jpg" {
		t.Errorf("got %q", got)
	}
	if got := ClashName("noext", 2); got != "noext (2)" {
		t.Errorf("got %q", got)
	}
	d, ok := ParseDownload(ClashName("flickrsync_7_ab_T.jpg", 12))
	if !ok || d.Title != "T" {
		t.Errorf("a clash name reads as %+v, %v", d, ok)
	}
}

func TestPartNames(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{".flickrsync-0123456789abcdef.part", true},
		{".flickrsync-ffffffffffffffff.part", true},
		{".flickrsync-0123456789ABCDEF.part", false},
		{".flickrsync-0123456789abcde.part", false},
		{".flickrsync-0123456789abcdef0.part", false},
		{"flickrsync-0123456789abcdef.part", false},
		{".flickrsync-0123456789abcdef.part.jpg", false},
		{".flickrsync-0123456789abcdeg.part", false},
		{".flickrsync-.part", false},
		{".part", false},
		{"", false},
		{"x.jpg", false},
		{"..flickrsync-8d3dd4ff49e5e06c.part.part-293c8734feec", false},
	}
	for _, tt := range tests {
		if got := IsPartName(tt.name); got != tt.want {
			t.Errorf("IsPartName(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
	for _, r := range [][8]byte{{}, {0xff, 0xfe, 0x10, 0x01, 0xab, 0xcd, 0xef, 0x90}} {
		n := PartName(r)
		if !IsPartName(n) || IsMediaName(n) {
			t.Errorf("PartName(%x) = %q: a part name %v, a media name %v", r, n, IsPartName(n), IsMediaName(n))
		}
	}
	if got := PartName([8]byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}); got != ".flickrsync-0123456789abcdef.part" {
		t.Errorf("PartName = %q", got)
	}
}

func TestIsMediaName(t *testing.T) {
	for name, want := range map[string]bool{
		"a.jpg": true, "a.JPEG": true, "b.Png": true, "c.gif": true, "x.y.jpg": true,
		"a.tif": true, "IMG_1.HEIC": true, "a.avif": true, "a.webp": true, "clip.MOV": true,
		"v.mp4": true, "v.3gp": true, "v.avi": true, "v.mts": true, "v.wmv": true, "v.mpg": true,
		"DSC_1.NEF": true, "a.cr3": true, "a.dng": true, "a.RW2": true,
		"a.xmp": false, "a.txt": false, "a.aae": false, "a.mp3": false,
		"jpg": false, ".jpg": true, "a.jpg.part": false, "a.": false, "": false,
	} {
		if got := IsMediaName(name); got != want {
			t.Errorf("IsMediaName(%q) = %v, want %v", name, got, want)
		}
	}
	for name, want := range map[string]string{"a.TXT": ".txt", "README": "(none)", "a.": "(none)", ".profile": "(none)", "x.y.Xmp": ".xmp"} {
		if got := IgnoredExt(name); got != want {
			t.Errorf("IgnoredExt(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestKeepOrder(t *testing.T) {
	tests := []struct {
		a, b string
		want int // sign
	}{
		{"a.jpg", "a.jpg", 0},
		{"b.jpg", "a/b.jpg", -1},   // shorter first
		{"zz.jpg", "aaa.jpg", -1},  // shorter first, whatever the letters
		{"a/b.jpg", "a/c.jpg", -1}, // then bytewise
		{"B.jpg", "a.jpg", -1},     // bytewise: upper case first
		{"é.jpg", "ab.jpg", 1},     // the same length in bytes (é is two), then bytewise
	}
	for _, tt := range tests {
		got := KeepOrder(tt.a, tt.b)
		if sign(got) != tt.want || sign(KeepOrder(tt.b, tt.a)) != -tt.want {
			t.Errorf("KeepOrder(%q, %q) = %d, want sign %d (and the opposite swapped)", tt.a, tt.b, got, tt.want)
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func TestIsSignatureTag(t *testing.T) {
	for tag, want := range map[string]bool{
		`flickrsync:signature="ab12"`: true, "flickrsync:signature=ab12": true, "FlickrSync:Signature=AB12": true,
		"flickrsync:signatures=1": false, "flickrsync": false, "other:signature=ab": false, "beach": false,
	} {
		if got := IsSignatureTag(tag); got != want {
			t.Errorf("IsSignatureTag(%q) = %v, want %v", tag, got, want)
		}
	}
}

func TestLivePhotoTag(t *testing.T) {
	if got := LivePhotoTag("ab12"); got != `flickrsync:livephoto="ab12"` {
		t.Errorf("LivePhotoTag = %q", got)
	}
	if _, ok := SignatureIn("flickrsync:livephoto=ab12"); ok {
		t.Error("a Live Photo tag read as a signature")
	}
}
