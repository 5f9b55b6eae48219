package scan

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/flickrsync/flickrsync/internal/ignore"
)

// matcher is the rules of cfg that do not depend on the folder.
func (cfg *Config) matcher() *ignore.Matcher {
	return ignore.NewMatcher(cfg.Exclude, !cfg.NoDefaultExcludes)
}

// Excluded decides one library-relative '/' path (a folder's when dir) as a scan with
// cfg would (cfg.FS, Exclude, NoDefaultExcludes): excluded by the first folder above it
// that is, else by its own rule, reading the .flickrsyncignore files of its folders. It
// returns the deciding rule ("source:line:pattern"). The path need not exist: the sync
// asks before it downloads a file there, which the next scan must see.
func Excluded(cfg Config, rel string, dir bool) (rule string, excluded bool, err error) {
	m := cfg.matcher()
	var chain *ignore.Dir
	read := func(folder string) error {
		l, err := readIgnoreFile(cfg.FS, folder)
		switch {
		case err == nil:
			chain = chain.With(l)
		case !errors.Is(err, fs.ErrNotExist):
			return err
		}
		return nil
	}
	if err := read("."); err != nil {
		return "", false, err
	}
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		folder := strings.Join(parts[:i], "/")
		if ex, r := m.Match(chain, folder, true); ex {
			return r.String(), true, nil
		}
		if err := read(folder); err != nil {
			return "", false, err
		}
	}
	if ex, r := m.Match(chain, rel, dir); ex {
		return r.String(), true, nil
	}
	return "", false, nil
}
