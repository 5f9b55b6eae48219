package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/flickrsync/flickrsync/internal/ignore"
)

// ErrNoConfig means the config file does not exist. Commands that need no Flickr account
// (index, status, signature) run without one.
var ErrNoConfig = errors.New("config file not found")

// Options are what the command line says; each non-empty field overrides the profile.
type Options struct {
	ConfigPath string // -c; default ~/.flickrsync/config.ini
	Profile    string // -p; default DEFAULT
	Username   string // -u
	Database   string // -d
	Directory  string // -l
	// Exclude are --exclude patterns, ExcludeFrom --exclude-from files of patterns (one
	// a line, as in a .flickrsyncignore), both as rclone spells them; see Settings.Exclude.
	Exclude     []string
	ExcludeFrom []string
	// Getenv reads the environment (HOME, FLICKRSYNC_FLICKR_URL); nil means os.Getenv.
	Getenv func(string) string
}

// Settings is one resolved profile.
type Settings struct {
	ConfigPath string // absolute
	ConfigRead bool   // whether the config file existed and was read
	Profile    string
	APIKey     string
	APISecret  string
	Username   string
	Directory  string // absolute, ~ expanded
	Database   string // absolute, ~ expanded
	// FlickrURL points every Flickr endpoint at one host (an emulator): from the environment
	// variable FLICKRSYNC_FLICKR_URL, else the profile key flickr_url; "" means Flickr itself.
	FlickrURL string
	// Privacy of uploads: private unless the profile says otherwise.
	IsPublic, IsFriend, IsFamily bool
	// Transfers is how many uploads/downloads run at once (profile key transfers, default 4).
	Transfers int
	// Exclude are the gitignore patterns excluding paths of the library, anchored at its
	// root: the profile key exclude (one pattern a line), then the lines of the
	// --exclude-from files, then the --exclude options (the last matching one decides).
	Exclude []string
	// NoDefaultExcludes switches off the default excludes (hidden files and folders,
	// @eaDir, #recycle, Thumbs.db...): profile key default_excludes = no.
	NoDefaultExcludes bool
	// NoFollowSymlinks skips every symbolic link of the library instead of following it
	// (profile key follow_symlinks = no).
	NoFollowSymlinks bool

	home string
}

// Load resolves the profile: the config file (if it exists) overlaid with the command line.
// A missing config file is not an error here: commands that need credentials call
// RequireCredentials.
func Load(o Options) (*Settings, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	home := homeDir(getenv)
	s := &Settings{Profile: o.Profile, Transfers: 4, home: home}
	if s.Profile == "" {
		s.Profile = defaultSection
	}
	s.ConfigPath = o.ConfigPath
	if s.ConfigPath == "" {
		s.ConfigPath = filepath.Join(home, ".flickrsync", "config.ini")
	}
	s.ConfigPath = absPath(expandHome(s.ConfigPath, home))

	values := map[string]string{
		"directory": "~/Pictures",
		"database":  "~/.flickrsync/flickrsync.db",
	}
	f, err := os.Open(s.ConfigPath)
	switch {
	case err == nil:
		defer f.Close()
		ini, err := parseINI(f, s.ConfigPath)
		if err != nil {
			return nil, err
		}
		if !ini.hasSection(s.Profile) {
			return nil, fmt.Errorf("config %s: no profile [%s]", s.ConfigPath, s.Profile)
		}
		for _, key := range []string{"api_key", "api_secret", "username", "directory", "database",
			"flickr_url", "is_public", "is_friend", "is_family", "transfers", "exclude", "default_excludes", "follow_symlinks"} {
			v, ok, err := ini.get(s.Profile, key)
			if err != nil {
				return nil, fmt.Errorf("config %s [%s]: %w", s.ConfigPath, s.Profile, err)
			}
			if ok && v != "" {
				values[key] = v
			}
		}
		s.ConfigRead = true
	case errors.Is(err, fs.ErrNotExist):
		if o.ConfigPath != "" {
			return nil, fmt.Errorf("%w: %s", ErrNoConfig, s.ConfigPath)
		}
		if o.Profile != "" {
			return nil, fmt.Errorf("profile %q named but %w: %s", o.Profile, ErrNoConfig, s.ConfigPath)
		}
	default:
		return nil, fmt.Errorf("read config: %w", err)
	}

	s.APIKey = values["api_key"]
	s.APISecret = values["api_secret"]
	s.Username = firstNonEmpty(o.Username, values["username"])
	s.Directory = absPath(expandHome(firstNonEmpty(o.Directory, values["directory"]), home))
	s.Database = absPath(expandHome(firstNonEmpty(o.Database, values["database"]), home))
	s.FlickrURL = strings.TrimRight(firstNonEmpty(getenv("FLICKRSYNC_FLICKR_URL"), values["flickr_url"]), "/")
	for key, dst := range map[string]*bool{"is_public": &s.IsPublic, "is_friend": &s.IsFriend, "is_family": &s.IsFamily} {
		if v, ok := values[key]; ok {
			b, err := parseBool(v)
			if err != nil {
				return nil, fmt.Errorf("config %s [%s]: %s: %w", s.ConfigPath, s.Profile, key, err)
			}
			*dst = b
		}
	}
	for key, dst := range map[string]*bool{"default_excludes": &s.NoDefaultExcludes, "follow_symlinks": &s.NoFollowSymlinks} {
		if v, ok := values[key]; ok {
			b, err := parseBool(v)
			if err != nil {
				return nil, fmt.Errorf("config %s [%s]: %s: %w", s.ConfigPath, s.Profile, key, err)
			}
			*dst = !b
		}
	}
	for _, line := range strings.Split(values["exclude"], "\n") {
		if line = strings.TrimSpace(line); line != "" {
			s.Exclude = append(s.Exclude, line)
		}
	}
	for _, file := range o.ExcludeFrom {
		data, err := os.ReadFile(expandHome(file, home))
		if err != nil {
			return nil, fmt.Errorf("exclude-from: %w", err)
		}
		s.Exclude = append(s.Exclude, ignore.FileLines(data)...)
	}
	s.Exclude = append(s.Exclude, o.Exclude...)
	if v, ok := values["transfers"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 64 {
			return nil, fmt.Errorf("config %s [%s]: transfers must be a number from 1 to 64, got %q", s.ConfigPath, s.Profile, v)
		}
		s.Transfers = n
	}
	return s, nil
}

// RequireCredentials reports a clear error when the profile cannot talk to Flickr.
func (s *Settings) RequireCredentials() error {
	if !s.ConfigRead {
		return fmt.Errorf("%w: %s (create it with a [DEFAULT] section holding api_key, api_secret, username, directory and database)", ErrNoConfig, s.ConfigPath)
	}
	var missing []string
	if s.APIKey == "" {
		missing = append(missing, "api_key")
	}
	if s.APISecret == "" {
		missing = append(missing, "api_secret")
	}
	if len(missing) > 0 {
		return fmt.Errorf("config %s [%s]: %s not set", s.ConfigPath, s.Profile, strings.Join(missing, " and "))
	}
	return nil
}

// TokenPath is where the profile's OAuth access token is kept: beside the config file, one
// file per profile.
func (s *Settings) TokenPath() string {
	return filepath.Join(filepath.Dir(s.ConfigPath), "tokens", safeFileName(s.Profile)+".json")
}

func homeDir(getenv func(string) string) string {
	if h := getenv("HOME"); h != "" {
		return h
	}
	if runtime.GOOS == "windows" {
		if h := getenv("USERPROFILE"); h != "" {
			return h
		}
	}
	h, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	return h
}

func expandHome(p, home string) string {
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		return filepath.Join(home, p[2:])
	}
	return p
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// parseBool accepts configparser's boolean spellings.
func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "yes", "true", "on":
		return true, nil
	case "0", "no", "false", "off":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean: %q", v)
}

// safeFileName keeps a profile name usable as a file name on every system.
func safeFileName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "%%%02X", r)
		}
	}
	s := strings.TrimLeft(b.String(), ".")
	if s == "" {
		s = "profile"
	}
	return s
}
