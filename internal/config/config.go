package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/flickrsync/flickrsync/internal/ignore"
	"github.com/flickrsync/flickrsync/internal/privacy"
	"github.com/flickrsync/flickrsync/internal/words"
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
	// Transfers is sync's --transfers, "" when not given: checked by the same rule as the
	// profile's key.
	Transfers string
	// Replace is sync's --replace: as the profile key replace = yes.
	Replace bool
	// EnvSources names, for an override above that came from the environment rather than
	// the command line, its variable ("directory" -> "FLICKRSYNC_DIRECTORY").
	EnvSources map[string]string
	// Getenv reads the environment (HOME, FLICKRSYNC_FLICKR_URL, FLICKRSYNC_PACING); nil
	// means os.Getenv.
	Getenv func(string) string
}

// Keys are the profile keys flickrsync reads, in the order `config show` lists them: the
// Python tool's five, then flickrsync's own.
var Keys = []string{"api_key", "api_secret", "username", "directory", "database",
	"flickr_url", "pacing", "is_public", "is_friend", "is_family", "transfers",
	"exclude", "default_excludes", "follow_symlinks", "privacy", "replace", "full_listing_after"}

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
	// Pacing keeps Flickr's rate limit (3600 calls an hour) and its retry delays (from a
	// second up to a minute); off (profile key pacing, FLICKRSYNC_PACING), an emulator on
	// this machine is called as fast as it answers, retried after 20 ms up to 0.5 s.
	Pacing bool
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
	// Privacy is what uploads get: the default of IsPublic, IsFriend and IsFamily,
	// overridden by the rules of the profile key privacy (one rule a line: a folder
	// pattern and a setting; see package privacy).
	Privacy privacy.Rules
	// Replace replaces the Flickr photo of an edited picture's earlier version in place
	// (photos.replace) instead of uploading the edit as a new photo (profile key replace,
	// --replace).
	Replace bool
	// FullListingAfter is how old the last full listing of the Flickr account may be
	// before a sync lists it in full (finding what was deleted there even when the
	// account's count does not tell): profile key full_listing_after; 0 when not set
	// (the sync's default, a week).
	FullListingAfter time.Duration

	// From says where each key's value came from ("default", "config", "command line",
	// "environment (FLICKRSYNC_...)"), for `config show` and for messages.
	From map[string]string
	// Warnings are problems that do not stop the run: unknown keys of the profile.
	Warnings []string

	home string
}

// Sources of a value, in Settings.From.
const (
	FromDefault     = "default"
	FromConfig      = "config"
	FromCommandLine = "command line"
)

// FromEnv is the source of a value read from the environment variable name.
func FromEnv(name string) string { return "environment (" + name + ")" }

// Load resolves the profile: the config file (if it exists) overlaid with the environment
// (FLICKRSYNC_FLICKR_URL, FLICKRSYNC_PACING) and the command line. A missing config file is
// not an error here: commands that need credentials call RequireCredentials.
func Load(o Options) (*Settings, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	home := homeDir(getenv)
	s := &Settings{Profile: o.Profile, Transfers: 4, Pacing: true, home: home, From: map[string]string{}}
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
	for _, k := range Keys {
		s.From[k] = FromDefault
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
		for _, key := range Keys {
			v, ok, err := ini.get(s.Profile, key)
			if err != nil {
				return nil, fmt.Errorf("config %s [%s]: %w", s.ConfigPath, s.Profile, err)
			}
			if ok && v != "" {
				values[key] = v
				s.From[key] = FromConfig
			}
		}
		for _, key := range ini.keys(s.Profile) {
			if !slices.Contains(Keys, key) {
				w := fmt.Sprintf("config %s [%s]: unknown key %q, ignored", s.ConfigPath, s.Profile, key)
				if near := words.Closest(key, Keys); near != "" {
					w += fmt.Sprintf(" (did you mean %s?)", near)
				}
				s.Warnings = append(s.Warnings, w)
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
	inConfig := func(key string) string { return fmt.Sprintf("%s in %s [%s]", key, s.ConfigPath, s.Profile) }
	for key, env := range map[string]string{"flickr_url": "FLICKRSYNC_FLICKR_URL", "pacing": "FLICKRSYNC_PACING"} {
		if v := getenv(env); v != "" {
			values[key] = v
			s.From[key] = FromEnv(env)
		}
	}
	replace := ""
	if o.Replace {
		replace = "yes"
	}
	for key, v := range map[string]string{"username": o.Username, "directory": o.Directory, "database": o.Database, "transfers": o.Transfers, "replace": replace} {
		if v != "" {
			values[key] = v
			s.From[key] = FromCommandLine
			if env := o.EnvSources[key]; env != "" {
				s.From[key] = FromEnv(env)
			}
		}
	}
	// where names the source of a key's value in a message.
	where := func(key string) string {
		switch s.From[key] {
		case FromConfig:
			return inConfig(key)
		case FromCommandLine:
			return "--" + key
		}
		return strings.TrimSuffix(strings.TrimPrefix(s.From[key], "environment ("), ")")
	}

	s.APIKey = values["api_key"]
	s.APISecret = values["api_secret"]
	s.Username = values["username"]
	s.Directory = absPath(expandHome(values["directory"], home))
	s.Database = absPath(expandHome(values["database"], home))
	if v, ok := values["flickr_url"]; ok {
		u, err := checkFlickrURL(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where("flickr_url"), err)
		}
		s.FlickrURL = u
	}
	for key, dst := range map[string]*bool{"is_public": &s.IsPublic, "is_friend": &s.IsFriend, "is_family": &s.IsFamily, "pacing": &s.Pacing, "replace": &s.Replace} {
		if v, ok := values[key]; ok {
			b, err := parseBool(v)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where(key), err)
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
	s.Privacy.Default = privacy.Setting{Visibility: privacy.Visibility{Set: true, Public: s.IsPublic, Friend: s.IsFriend, Family: s.IsFamily}}
	for i, line := range strings.Split(values["privacy"], "\n") {
		if line = strings.TrimSpace(line); line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		r, err := privacy.ParseRule(line)
		if err != nil {
			return nil, fmt.Errorf("%s, line %d: %w", where("privacy"), i+1, err)
		}
		s.Privacy.Rules = append(s.Privacy.Rules, r)
	}
	if v, ok := values["transfers"]; ok {
		n, err := parseTransfers(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where("transfers"), err)
		}
		s.Transfers = n
	}
	if v, ok := values["full_listing_after"]; ok {
		d, err := parseAge(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where("full_listing_after"), err)
		}
		s.FullListingAfter = d
	}
	return s, nil
}

// parseAge reads an age: a number of days ("7d"), or a Go duration ("12h", "90m"), at
// least a minute.
func parseAge(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	var d time.Duration
	var err error
	if n, ok := strings.CutSuffix(v, "d"); ok {
		var days int
		days, err = strconv.Atoi(n)
		d = time.Duration(days) * 24 * time.Hour
		if days > 3650 {
			err = strconv.ErrRange
		}
	} else {
		d, err = time.ParseDuration(v)
	}
	if err != nil || d < time.Minute {
		return 0, fmt.Errorf("want an age such as 7d or 12h (a minute at least), got %q", v)
	}
	return d, nil
}

// FlickrURLFrom names where the Flickr URL came from, for messages ("" when it is Flickr's own).
func (s *Settings) FlickrURLFrom() string {
	switch src := s.From["flickr_url"]; src {
	case FromDefault, "":
		return ""
	case FromConfig:
		return fmt.Sprintf("flickr_url in %s [%s]", s.ConfigPath, s.Profile)
	default:
		return src
	}
}

// parseTransfers is the one rule for how many transfers may run at once, whether the
// profile or --transfers says it.
func parseTransfers(v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 || n > 64 {
		return 0, fmt.Errorf("must be a number from 1 to 64, got %q", v)
	}
	return n, nil
}

// checkFlickrURL refuses a Flickr URL that could never be called (so that it is not
// retried as if Flickr were down) and returns it without its trailing slash.
func checkFlickrURL(v string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q is not an http:// or https:// URL of a host (such as http://127.0.0.1:8383)", v)
	}
	return strings.TrimRight(u.String(), "/"), nil
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
