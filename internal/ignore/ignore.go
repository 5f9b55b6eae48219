package ignore

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
)

// FileName is the name of the per-folder ignore files.
const FileName = ".flickrsyncignore"

// DefaultPatterns are the rules applied unless switched off: hidden files and folders
// (which covers .thumbnails, .DS_Store and AppleDouble ._* files, named too so that the
// summary says which), Synology's thumbnail and recycle folders, Windows' thumbnail cache.
var DefaultPatterns = []string{".*", ".thumbnails", ".DS_Store", "._*", "@eaDir", `\#recycle`, "Thumbs.db"}

// Rule is one pattern line, for the reports: where it comes from and what it says.
type Rule struct {
	Source string // a .flickrsyncignore's library-relative path, "exclude" or "default"
	Line   int    // 1-based line in Source, or the pattern's position among the excludes
	Text   string // the pattern as written, trailing spaces trimmed
}

// String is "source:line:pattern", as `git check-ignore -v` prints a rule.
func (r *Rule) String() string {
	return r.Source + ":" + strconv.Itoa(r.Line) + ":" + r.Text
}

type flags uint8

const (
	negative  flags = 1 << iota // "!pattern"
	mustBeDir                   // "pattern/"
	noDir                       // no '/' in the pattern: matched against the name only
)

type pattern struct {
	rule   *Rule
	pat    string // without the leading '!' and the trailing '/'
	prefix int    // length of the leading part without wildcards
	// literal is the pattern's text with its escapes removed when it has no wildcard
	// (a plain name such as \#recycle): compared as is, no glob needed.
	literal   string
	isLiteral bool
	flags     flags
	base      string // the folder of the pattern's file with a trailing '/', "" at the root
}

// List is the patterns of one source, in order.
type List struct {
	patterns []pattern
}

// Parse reads a .flickrsyncignore file's lines; base is its folder relative to the
// library root ("" or "." for the root), source names it in reports.
func Parse(source, base string, data []byte) *List {
	l := &List{}
	for _, fl := range fileLines(data) {
		l.add(source, fl.n, base, fl.text)
	}
	return l
}

// FileLines are the patterns of a file of patterns (an --exclude-from file), as a
// .flickrsyncignore is read: comments and blank lines dropped, trailing spaces trimmed
// unless escaped, CR LF line ends and a UTF-8 byte order mark allowed.
func FileLines(data []byte) []string {
	var out []string
	for _, fl := range fileLines(data) {
		out = append(out, fl.text)
	}
	return out
}

type line struct {
	n    int
	text string
}

func fileLines(data []byte) []line {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	lines := strings.Split(string(data), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var out []line
	for i, s := range lines {
		s = strings.TrimSuffix(s, "\r")
		if s == "" || s[0] == '#' {
			continue
		}
		if s = trimTrailingSpaces(s); s != "" {
			out = append(out, line{i + 1, s})
		}
	}
	return out
}

// Patterns makes a List of patterns given one per string (the config's exclude key, the
// command line), anchored at the library root. They are taken as they are, as git takes
// its command line's: a trailing space is part of the pattern.
func Patterns(source string, patterns []string) *List {
	l := &List{}
	for i, p := range patterns {
		l.add(source, i+1, "", p)
	}
	return l
}

// Defaults is the List of DefaultPatterns.
func Defaults() *List { return Patterns("default", DefaultPatterns) }

// Len is the number of patterns.
func (l *List) Len() int {
	if l == nil {
		return 0
	}
	return len(l.patterns)
}

func (l *List) add(source string, line int, base, text string) {
	if text == "" {
		return
	}
	p := pattern{rule: &Rule{Source: source, Line: line, Text: text}}
	s := text
	if s[0] == '!' {
		p.flags |= negative
		s = s[1:]
	}
	if strings.HasSuffix(s, "/") {
		p.flags |= mustBeDir
		s = s[:len(s)-1]
	}
	if !strings.Contains(s, "/") {
		p.flags |= noDir
	}
	p.pat = s
	p.prefix = simpleLength(s)
	p.literal, p.isLiteral = unescapeLiteral(s)
	if base != "" && base != "." {
		p.base = strings.TrimSuffix(base, "/") + "/"
	}
	l.patterns = append(l.patterns, p)
}

// trimTrailingSpaces removes the spaces ending a line, unless escaped with '\'.
func trimTrailingSpaces(s string) string {
	lastSpace := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ':
			if lastSpace < 0 {
				lastSpace = i
			}
		case '\\':
			i++
			if i >= len(s) {
				return s
			}
			lastSpace = -1
		default:
			lastSpace = -1
		}
	}
	if lastSpace >= 0 {
		return s[:lastSpace]
	}
	return s
}

// unescapeLiteral removes the escapes of a pattern without wildcards; ok is false when it
// has one (or ends with a lone '\', which matches nothing).
func unescapeLiteral(s string) (string, bool) {
	if !strings.ContainsAny(s, "*?[\\") {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '[':
			return "", false
		case '\\':
			i++
			if i >= len(s) {
				return "", false
			}
		}
		b.WriteByte(s[i])
	}
	return b.String(), true
}

// simpleLength is the length of the leading part of a pattern without wildcards.
func simpleLength(s string) int {
	for i := 0; i < len(s); i++ {
		if isGlobSpecial(s[i]) {
			return i
		}
	}
	return len(s)
}

// last returns the last pattern of l matching the library-relative path, nil when none.
func (l *List) last(path, name string, isDir bool) *pattern {
	if l == nil {
		return nil
	}
	for i := len(l.patterns) - 1; i >= 0; i-- {
		p := &l.patterns[i]
		if p.flags&mustBeDir != 0 && !isDir {
			continue
		}
		if p.flags&noDir != 0 {
			if p.matchName(name) {
				return p
			}
			continue
		}
		if p.matchPath(path) {
			return p
		}
	}
	return nil
}

func (p *pattern) matchName(name string) bool {
	if p.isLiteral {
		return name == p.literal
	}
	// The literal start must be there (a cheap test that spares most names the glob).
	if !strings.HasPrefix(name, p.pat[:p.prefix]) {
		return false
	}
	return wildmatch(p.pat, name, false)
}

// matchPath matches an anchored pattern: the path must lie under the pattern's folder,
// and the rest of it match the pattern with '/' matched only by "**" and '/'. As git, the
// literal start is compared first and the glob applied to what follows it.
func (p *pattern) matchPath(path string) bool {
	pat, prefix := p.pat, p.prefix
	if strings.HasPrefix(pat, "/") {
		pat, prefix = pat[1:], prefix-1
	}
	if p.base != "" {
		if !strings.HasPrefix(path, p.base) {
			return false
		}
		path = path[len(p.base):]
	}
	if prefix > 0 {
		if prefix > len(path) || path[:prefix] != pat[:prefix] {
			return false
		}
		pat, path = pat[prefix:], path[prefix:]
		if pat == "" && path == "" {
			return true
		}
	}
	return wildmatch(pat, path, true)
}

// Dir is the chain of .flickrsyncignore files above a folder, the deepest first; nil is
// the root with no file. Immutable: each folder extends its parent's.
type Dir struct {
	parent *Dir
	list   *List
}

// With is d extended with the file of a subfolder (d itself when l is empty).
func (d *Dir) With(l *List) *Dir {
	if l.Len() == 0 {
		return d
	}
	return &Dir{parent: d, list: l}
}

// Matcher holds the rules that do not depend on the folder.
type Matcher struct {
	Excludes *List // highest precedence: config and command line
	Defaults *List // lowest; nil when switched off
}

// NewMatcher is the Matcher of a profile: its exclude patterns (config, --exclude,
// --exclude-from), and the defaults unless switched off.
func NewMatcher(excludes []string, defaults bool) *Matcher {
	m := &Matcher{Excludes: Patterns("exclude", excludes)}
	if defaults {
		m.Defaults = Defaults()
	}
	return m
}

// Match decides a library-relative '/' path (a folder's or a file's, isDir telling
// which) inside the folder whose files are d. It returns the deciding rule, nil when none
// matches; excluded is false when none matches or the rule re-includes ('!').
func (m *Matcher) Match(d *Dir, path string, isDir bool) (excluded bool, rule *Rule) {
	name := path[strings.LastIndexByte(path, '/')+1:]
	p := m.Excludes.last(path, name, isDir)
	for ; p == nil && d != nil; d = d.parent {
		p = d.list.last(path, name, isDir)
	}
	if p == nil {
		p = m.Defaults.last(path, name, isDir)
	}
	if p == nil {
		return false, nil
	}
	return p.flags&negative == 0, p.rule
}

// Folders remembers the chain of files of each folder that has its own, so that a path
// the walk did not meet (a file gone, or under a folder not descended) can be decided
// later. Safe for concurrent use.
type Folders struct {
	mu sync.Mutex
	m  map[string]*Dir
}

// Set records the chain of a folder ("." or "" for the root) that has its own file.
func (f *Folders) Set(dir string, d *Dir) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = map[string]*Dir{}
	}
	if dir == "." {
		dir = ""
	}
	f.m[dir] = d
}

func (f *Folders) get(dir string) (*Dir, bool) {
	if f == nil {
		return nil, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.m[dir]
	return d, ok
}

// Decide decides a library-relative path as the walk would: excluded when a folder above
// it is (with the first such folder's rule), else by Match with the files of the
// deepest folder above it that folders knows.
func (m *Matcher) Decide(folders *Folders, path string, isDir bool) (excluded bool, rule *Rule) {
	d, _ := folders.get("")
	for i := 0; i < len(path); i++ {
		if path[i] != '/' {
			continue
		}
		dir := path[:i]
		if ex, r := m.Match(d, dir, true); ex {
			return true, r
		}
		if sub, ok := folders.get(dir); ok {
			d = sub
		}
	}
	return m.Match(d, path, isDir)
}
