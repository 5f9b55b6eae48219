package ignore

import (
	"reflect"
	"testing"
)

func TestPrecedence(t *testing.T) {
	root := Parse(".flickrsyncignore", "", []byte("*.tmp\n!keep.tmp\n!.hidden/\n"))
	sub := Parse("a/.flickrsyncignore", "a", []byte("!x.tmp\nlocal.jpg\n/anchored.jpg\n"))
	f := &Folders{}
	d := (*Dir)(nil).With(root)
	f.Set(".", d)
	f.Set("a", d.With(sub))
	m := &Matcher{Excludes: Patterns("exclude", []string{"*.gif", "a/never.tmp"}), Defaults: Defaults()}
	for _, tc := range []struct {
		path  string
		isDir bool
		ex    bool
		rule  string
	}{
		{"x.tmp", false, true, ".flickrsyncignore:1:*.tmp"},
		{"keep.tmp", false, false, ".flickrsyncignore:2:!keep.tmp"},
		{"a/x.tmp", false, false, "a/.flickrsyncignore:1:!x.tmp"},              // the deeper file wins
		{"a/never.tmp", false, true, "exclude:2:a/never.tmp"},                  // the excludes win over every file
		{"a/keep.gif", false, true, "exclude:1:*.gif"},                         //
		{".hidden", true, false, ".flickrsyncignore:3:!.hidden/"},              // a file re-includes a default
		{".hidden/p.jpg", false, false, ""},                                    // ...and what it holds
		{".hidden/.x.jpg", false, true, "default:1:.*"},                        // unless excluded itself
		{".other", true, true, "default:1:.*"},                                 //
		{"@eaDir/SYNOPHOTO_THUMB_XL.jpg", false, true, "default:5:@eaDir"},     // inside an excluded folder
		{"#recycle", true, true, `default:6:\#recycle`},                        //
		{"b/._IMG_1.jpg", false, true, "default:4:._*"},                        //
		{"b/Thumbs.db", false, true, "default:7:Thumbs.db"},                    //
		{"a/local.jpg", false, true, "a/.flickrsyncignore:2:local.jpg"},        //
		{"a/b/local.jpg", false, true, "a/.flickrsyncignore:2:local.jpg"},      // below its folder too
		{"local.jpg", false, false, ""},                                        // not above it
		{"a/anchored.jpg", false, true, "a/.flickrsyncignore:3:/anchored.jpg"}, //
		{"a/b/anchored.jpg", false, false, ""},                                 // anchored to its folder
	} {
		ex, rule := m.Decide(f, tc.path, tc.isDir)
		got := ""
		if rule != nil {
			got = rule.String()
		}
		if ex != tc.ex || got != tc.rule {
			t.Errorf("%s: excluded %v by %q, want %v by %q", tc.path, ex, got, tc.ex, tc.rule)
		}
	}
	// Without defaults, hidden files are pictures like the others.
	m.Defaults = nil
	if ex, _ := m.Decide(f, ".other/p.jpg", false); ex {
		t.Error("defaults off: .other/p.jpg excluded")
	}
}

func TestFileLines(t *testing.T) {
	data := []byte("\xef\xbb\xbf# comment\r\n*.tmp  \r\n\n   \nsp\\ \n\\#hash\n!neg\n")
	want := []string{"*.tmp", "sp\\ ", "\\#hash", "!neg"}
	if got := FileLines(data); !reflect.DeepEqual(got, want) {
		t.Errorf("FileLines = %q, want %q", got, want)
	}
	l := Parse("f", "", data)
	if l.Len() != 4 || l.patterns[0].rule.Line != 2 || l.patterns[3].rule.Line != 7 {
		t.Errorf("Parse: %d patterns, lines %d..%d", l.Len(), l.patterns[0].rule.Line, l.patterns[len(l.patterns)-1].rule.Line)
	}
}

func FuzzWildmatch(f *testing.F) {
	for _, s := range append(segments, handWritten...) {
		f.Add(s, "a/b/p.jpg")
	}
	f.Add("**/[[:alpha:]]*[!x]?/**", "deep/a/b/c.jpg")
	// Any pattern and path: no panic, an answer (the differential test says which).
	f.Fuzz(func(t *testing.T, pat, text string) {
		wildmatch(pat, text, false)
		l := Parse("fuzz", "a", []byte(pat))
		(&Matcher{Excludes: Patterns("fuzz", []string{pat})}).Match((*Dir)(nil).With(l), text, false)
	})
}

// BenchmarkDefaults is the rules' cost per file of a re-index: the defaults against an
// ordinary picture name, in a folder without an ignore file.
func BenchmarkDefaults(b *testing.B) {
	m := &Matcher{Excludes: Patterns("exclude", nil), Defaults: Defaults()}
	for i := 0; i < b.N; i++ {
		m.Match(nil, "group012/folder0123/IMG_04567.jpg", false)
	}
}
