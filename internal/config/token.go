package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNoToken means the profile has no stored access token: run `flickrsync auth`.
var ErrNoToken = errors.New("no Flickr access token stored (run 'flickrsync auth')")

// Token is an OAuth 1.0a access token with who it belongs to. Token and Secret are secrets:
// they are never logged or put in an error.
type Token struct {
	Token    string `json:"oauth_token"`
	Secret   string `json:"oauth_token_secret"`
	UserNSID string `json:"user_nsid"`
	Username string `json:"username"`
	Fullname string `json:"fullname,omitempty"`
	Perms    string `json:"perms"`
}

// LoadToken reads a token written by SaveToken. A missing file gives ErrNoToken.
func LoadToken(path string) (*Token, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoToken
	}
	if err != nil {
		return nil, fmt.Errorf("read token: %w", err)
	}
	var t Token
	if err := json.Unmarshal(b, &t); err != nil {
		// The error text of encoding/json can quote the input: do not wrap it.
		return nil, fmt.Errorf("read token %s: not a valid token file", path)
	}
	if t.Token == "" || t.Secret == "" {
		return nil, fmt.Errorf("read token %s: token or secret missing", path)
	}
	return &t, nil
}

// SaveToken writes the token atomically with mode 0600: to a temporary file in the same
// folder, synced, then renamed over the old one, so a crash leaves the old token or the new,
// never half of one.
func SaveToken(path string, t *Token) error {
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return fmt.Errorf("encode token: %w", err)
	}
	return writeFileAtomic(path, append(b, '\n'), 0o600)
}

func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the rename durable where the system allows it
		d.Close()
	}
	return nil
}
