package config

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// defaultSection is configparser's default section: its keys are inherited by every section,
// and it is the profile used when none is named (as in the Python flickrsync).
const defaultSection = "DEFAULT"

// DefaultProfile is the profile a run uses without -p: the INI's [DEFAULT] section.
const DefaultProfile = defaultSection

// iniFile is a parsed INI file with Python configparser's semantics, which is what read the
// Python flickrsync's config.ini: section names are case-sensitive, keys are not; "key = value"
// and "key: value" both work; lines starting with '#' or ';' are comments (inline comments are
// not); indented lines continue the previous value; DEFAULT's keys are inherited by every section;
// values go through BasicInterpolation ("%(key)s", "%%").
type iniFile struct {
	sections map[string]map[string]string
	order    []string
}

func parseINI(r io.Reader, name string) (*iniFile, error) {
	f := &iniFile{sections: map[string]map[string]string{defaultSection: {}}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var cur map[string]string
	var lastKey string
	lineNo := 0
	for sc.Scan() {
		lineNo++
		raw := sc.Text()
		if lineNo == 1 {
			raw = strings.TrimPrefix(raw, "\ufeff")
		}
		trimmed := strings.TrimSpace(raw)
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			if trimmed == "" {
				lastKey = ""
			}
			continue
		}
		indented := raw[0] == ' ' || raw[0] == '\t'
		if indented && cur != nil && lastKey != "" {
			// A continuation line of a multi-line value.
			if cur[lastKey] == "" {
				cur[lastKey] = trimmed
			} else {
				cur[lastKey] += "\n" + trimmed
			}
			continue
		}
		if trimmed[0] == '[' {
			end := strings.IndexByte(trimmed, ']')
			if end < 0 {
				return nil, fmt.Errorf("%s:%d: section header without ']'", name, lineNo)
			}
			section := trimmed[1:end]
			if _, ok := f.sections[section]; !ok {
				f.sections[section] = map[string]string{}
				f.order = append(f.order, section)
			}
			cur = f.sections[section]
			lastKey = ""
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("%s:%d: key before any [section] header", name, lineNo)
		}
		sep := strings.IndexAny(trimmed, "=:")
		if sep <= 0 {
			return nil, fmt.Errorf("%s:%d: expected 'key = value', got %q", name, lineNo, trimmed)
		}
		key := strings.ToLower(strings.TrimSpace(trimmed[:sep]))
		cur[key] = strings.TrimSpace(trimmed[sep+1:])
		lastKey = key
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return f, nil
}

// hasSection reports whether the named profile exists (DEFAULT always does).
func (f *iniFile) hasSection(section string) bool {
	_, ok := f.sections[section]
	return ok
}

// keys lists the keys a profile holds, its own and DEFAULT's, sorted.
func (f *iniFile) keys(section string) []string {
	seen := map[string]bool{}
	for _, sec := range []string{section, defaultSection} {
		for k := range f.sections[sec] {
			seen[k] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// get returns a key of a section, falling back to DEFAULT, interpolated.
func (f *iniFile) get(section, key string) (string, bool, error) {
	v, ok := f.lookup(section, key)
	if !ok {
		return "", false, nil
	}
	s, err := f.interpolate(section, key, v, 0)
	return s, true, err
}

func (f *iniFile) lookup(section, key string) (string, bool) {
	if s, ok := f.sections[section]; ok {
		if v, ok := s[key]; ok {
			return v, true
		}
	}
	v, ok := f.sections[defaultSection][key]
	return v, ok
}

// interpolate applies configparser's BasicInterpolation: "%(name)s" is another key of the same
// section, "%%" is a literal '%'.
func (f *iniFile) interpolate(section, key, v string, depth int) (string, error) {
	if depth > 10 {
		return "", fmt.Errorf("key %q: interpolation nested too deeply", key)
	}
	if !strings.Contains(v, "%") {
		return v, nil
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(v) && v[i+1] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		if i+1 < len(v) && v[i+1] == '(' {
			end := strings.Index(v[i:], ")s")
			if end < 0 {
				return "", fmt.Errorf("key %q: bad interpolation syntax in %q", key, v)
			}
			ref := strings.ToLower(v[i+2 : i+end])
			rv, ok := f.lookup(section, ref)
			if !ok {
				return "", fmt.Errorf("key %q: interpolation refers to missing key %q", key, ref)
			}
			rs, err := f.interpolate(section, ref, rv, depth+1)
			if err != nil {
				return "", err
			}
			b.WriteString(rs)
			i += end + 1
			continue
		}
		return "", fmt.Errorf("key %q: '%%' must be followed by '%%' or '(' (write %%%% for a literal %%)", key)
	}
	return b.String(), nil
}
