package config

import (
	"errors"
	"github.com/flickrsync/flickrsync/internal/privacy"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

// pythonTemplate is the config.ini the Python flickrsync shipped (flickrsync/etc/config.ini),
// filled in, plus a second profile as its users wrote them.
const pythonTemplate = `[DEFAULT]
api_key = 0123456789abcdef0123456789abcdef
api_secret = fedcba9876543210
username = alice
directory = ~/Pictures
database = ~/.flickrsync/flickrsync.db

# a second library
[work]
directory: ~/Work Photos
database = %(directory)s/index.db
transfers = 8
is_public = yes
full_listing_after = 2d
`

func writeConfig(t *testing.T, text string) (home, path string) {
	t.Helper()
	home = t.TempDir()
	path = filepath.Join(home, ".flickrsync", "config.ini")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return home, path
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadProfiles(t *testing.T) {
	home, _ := writeConfig(t, pythonTemplate)
	tests := []struct {
		name string
		opts Options
		want Settings
	}{
		{"default profile", Options{}, Settings{Profile: "DEFAULT", APIKey: "0123456789abcdef0123456789abcdef",
			APISecret: "fedcba9876543210", Username: "alice", Directory: filepath.Join(home, "Pictures"),
			Database: filepath.Join(home, ".flickrsync", "flickrsync.db"), Transfers: 4}},
		{"named profile inherits DEFAULT and interpolates", Options{Profile: "work"}, Settings{Profile: "work",
			APIKey: "0123456789abcdef0123456789abcdef", APISecret: "fedcba9876543210", Username: "alice",
			Directory: filepath.Join(home, "Work Photos"), Database: filepath.Join(home, "Work Photos", "index.db"),
			Transfers: 8, IsPublic: true, FullListingAfter: 48 * time.Hour}},
		{"command line overrides", Options{Username: "bob", Directory: "/srv/pics", Database: "/srv/db.sqlite"},
			Settings{Profile: "DEFAULT", APIKey: "0123456789abcdef0123456789abcdef", APISecret: "fedcba9876543210",
				Username: "bob", Directory: absPath("/srv/pics"), Database: absPath("/srv/db.sqlite"), Transfers: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Getenv = env(map[string]string{"HOME": home})
			s, err := Load(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := *s
			got.ConfigPath, got.ConfigRead, got.home, got.From = "", false, "", nil
			got.Privacy = privacy.Rules{} // TestPrivacyKey
			tt.want.Pacing = true
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if !s.ConfigRead {
				t.Error("ConfigRead = false")
			}
			if err := s.RequireCredentials(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	home, path := writeConfig(t, pythonTemplate)
	getenv := env(map[string]string{"HOME": home})
	tests := []struct {
		name, text string
		opts       Options
		wantErr    string
	}{
		{"unknown profile", pythonTemplate, Options{Profile: "nope"}, "no profile [nope]"},
		{"missing named file", pythonTemplate, Options{ConfigPath: filepath.Join(home, "absent.ini")}, "config file not found"},
		{"bad line", "[DEFAULT]\nthis is not a key\n", Options{}, "config.ini:2: expected 'key = value'"},
		{"key before section", "api_key = x\n", Options{}, "key before any [section]"},
		{"bad interpolation", "[DEFAULT]\ndatabase = 100%\n", Options{}, "must be followed by"},
		{"bad transfers", "[DEFAULT]\ntransfers = many\n", Options{}, "transfers in " + path + " [DEFAULT]: must be a number from 1 to 64"},
		{"bad full_listing_after", "[DEFAULT]\nfull_listing_after = weekly\n", Options{}, "full_listing_after in " + path + ` [DEFAULT]: want an age such as 7d or 12h (a minute at least), got "weekly"`},
		{"too short full_listing_after", "[DEFAULT]\nfull_listing_after = 1s\n", Options{}, "a minute at least"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(path, []byte(tt.text), 0o600); err != nil {
				t.Fatal(err)
			}
			tt.opts.Getenv = getenv
			_, err := Load(tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestNoConfigFile(t *testing.T) {
	home := t.TempDir()
	s, err := Load(Options{Directory: "lib", Database: "x.db", Getenv: env(map[string]string{"HOME": home})})
	if err != nil {
		t.Fatalf("a missing default config must not stop commands that need no account: %v", err)
	}
	if s.ConfigRead {
		t.Error("ConfigRead = true")
	}
	if err := s.RequireCredentials(); !errors.Is(err, ErrNoConfig) {
		t.Errorf("RequireCredentials = %v, want ErrNoConfig", err)
	}
	if filepath.Base(s.Database) != "x.db" || !filepath.IsAbs(s.Directory) {
		t.Errorf("paths not resolved: %q %q", s.Directory, s.Database)
	}
}

func TestFlickrURL(t *testing.T) {
	home, _ := writeConfig(t, pythonTemplate+"flickr_url = http://127.0.0.1:9/\n")
	s, err := Load(Options{Profile: "work", Getenv: env(map[string]string{"HOME": home})})
	if err != nil {
		t.Fatal(err)
	}
	if s.FlickrURL != "http://127.0.0.1:9" {
		t.Errorf("FlickrURL from config = %q", s.FlickrURL)
	}
	s, err = Load(Options{Profile: "work", Getenv: env(map[string]string{"HOME": home, "FLICKRSYNC_FLICKR_URL": "http://127.0.0.1:8383"})})
	if err != nil {
		t.Fatal(err)
	}
	if s.FlickrURL != "http://127.0.0.1:8383" {
		t.Errorf("FlickrURL from environment = %q", s.FlickrURL)
	}
}

func TestTokenRoundTrip(t *testing.T) {
	home, _ := writeConfig(t, pythonTemplate)
	s, err := Load(Options{Profile: "work", Getenv: env(map[string]string{"HOME": home})})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadToken(s.TokenPath()); !errors.Is(err, ErrNoToken) {
		t.Fatalf("LoadToken before auth = %v, want ErrNoToken", err)
	}
	want := &Token{Token: "72157626318069415-087bfc7b5816092c", Secret: "a202d1f853ec69de", UserNSID: "21207597@N07", Username: "alice", Perms: "write"}
	for i := 0; i < 2; i++ { // the second save replaces the first
		if err := SaveToken(s.TokenPath(), want); err != nil {
			t.Fatal(err)
		}
	}
	got, err := LoadToken(s.TokenPath())
	if err != nil {
		t.Fatal(err)
	}
	if *got != *want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	fi, err := os.Stat(s.TokenPath())
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("token mode = %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(s.TokenPath()))
	if len(entries) != 1 {
		t.Errorf("temporary files left beside the token: %v", entries)
	}
	if err := os.WriteFile(s.TokenPath(), []byte(`{"oauth_token": "SECRETVALUE"`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadToken(s.TokenPath()); err == nil || strings.Contains(err.Error(), "SECRETVALUE") {
		t.Errorf("a corrupt token file must fail without echoing its content: %v", err)
	}
}

func TestExcludeSettings(t *testing.T) {
	home, _ := writeConfig(t, `[DEFAULT]
directory = ~/Pictures
exclude = *.tmp
    @eaDir/
    private/%%raw
default_excludes = no
follow_symlinks = no

[plain]
default_excludes = yes
follow_symlinks = yes
exclude =
`)
	from := filepath.Join(home, "excludes.txt")
	os.WriteFile(from, []byte("# mine\nscans/  \n\n!scans/keep.jpg\n"), 0o644)
	s, err := Load(Options{Getenv: env(map[string]string{"HOME": home}), Exclude: []string{"*.gif"},
		ExcludeFrom: []string{"~/excludes.txt"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"*.tmp", "@eaDir/", "private/%raw", "scans/", "!scans/keep.jpg", "*.gif"}
	if !reflect.DeepEqual(s.Exclude, want) || !s.NoDefaultExcludes || !s.NoFollowSymlinks {
		t.Errorf("Exclude %q NoDefaultExcludes %v\nwant %q true", s.Exclude, s.NoDefaultExcludes, want)
	}
	s, err = Load(Options{Getenv: env(map[string]string{"HOME": home}), Profile: "plain"})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Exclude) != 0 || s.NoDefaultExcludes || s.NoFollowSymlinks {
		t.Errorf("profile plain: Exclude %q NoDefaultExcludes %v", s.Exclude, s.NoDefaultExcludes)
	}
	if _, err := Load(Options{Getenv: env(map[string]string{"HOME": home}), ExcludeFrom: []string{"/no/such/file"}}); err == nil ||
		!strings.Contains(err.Error(), "exclude-from") {
		t.Errorf("missing --exclude-from file: %v", err)
	}
	home, _ = writeConfig(t, "[DEFAULT]\ndefault_excludes = maybe\n")
	if _, err := Load(Options{Getenv: env(map[string]string{"HOME": home})}); err == nil || !strings.Contains(err.Error(), "default_excludes") {
		t.Errorf("default_excludes = maybe: %v", err)
	}
}

// TestUnknownKeysWarned: a mistyped key is named, with the key it was probably meant to
// be, instead of being ignored silently.
func TestUnknownKeysWarned(t *testing.T) {
	home, path := writeConfig(t, pythonTemplate+"is_publik = 1\ncolour = blue\n")
	s, err := Load(Options{Profile: "work", Getenv: env(map[string]string{"HOME": home})})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`config ` + path + ` [work]: unknown key "colour", ignored`,
		`config ` + path + ` [work]: unknown key "is_publik", ignored (did you mean is_public?)`,
	}
	if !reflect.DeepEqual(s.Warnings, want) {
		t.Errorf("warnings %q, want %q", s.Warnings, want)
	}
	if s.IsPublic != true { // [work] says is_public = yes
		t.Errorf("is_public lost")
	}
}

// TestOneRulePerValue: a value is checked by the same rule wherever it comes from, and
// the message says where that was.
func TestOneRulePerValue(t *testing.T) {
	home, path := writeConfig(t, pythonTemplate)
	tests := []struct {
		name    string
		opts    Options
		env     map[string]string
		wantErr string
	}{
		{"--transfers 0", Options{Transfers: "0"}, nil, `--transfers: must be a number from 1 to 64, got "0"`},
		{"--transfers 65", Options{Transfers: "65"}, nil, `--transfers: must be a number from 1 to 64, got "65"`},
		{"flickr_url from the environment", Options{}, map[string]string{"FLICKRSYNC_FLICKR_URL": "not-a-url"},
			`FLICKRSYNC_FLICKR_URL: "not-a-url" is not an http:// or https:// URL`},
		{"flickr_url without a host", Options{}, map[string]string{"FLICKRSYNC_FLICKR_URL": "http://"},
			`FLICKRSYNC_FLICKR_URL: "http://" is not`},
		{"pacing", Options{}, map[string]string{"FLICKRSYNC_PACING": "sometimes"}, `FLICKRSYNC_PACING: not a boolean: "sometimes"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := map[string]string{"HOME": home}
			for k, v := range tt.env {
				m[k] = v
			}
			tt.opts.Getenv = env(m)
			_, err := Load(tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
	if err := os.WriteFile(path, []byte(pythonTemplate+"flickr_url = ftp://x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(Options{Profile: "work", Getenv: env(map[string]string{"HOME": home})})
	if want := "flickr_url in " + path + " [work]: \"ftp://x\" is not"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %q", err, want)
	}
	s, err := Load(Options{Transfers: "7", Getenv: env(map[string]string{"HOME": home, "FLICKRSYNC_PACING": "off"})})
	if err != nil || s.Transfers != 7 || s.Pacing || s.From["pacing"] != FromEnv("FLICKRSYNC_PACING") || s.From["transfers"] != FromCommandLine {
		t.Errorf("settings %+v, %v", s, err)
	}
}

// TestPrivacyKey: the privacy key's rules over the default of is_public, is_friend and
// is_family; a mistake names the key, the line and the word; replace is a boolean key.
func TestPrivacyKey(t *testing.T) {
	home, _ := writeConfig(t, "[DEFAULT]\nis_friend = yes\nreplace = yes\nprivacy = **  private\n"+
		"    # the family sees its own\n    family/  friends,family\n    shots/   screenshot,hidden\n")
	s, err := Load(Options{Getenv: env(map[string]string{"HOME": home})})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Replace || len(s.Privacy.Rules) != 3 {
		t.Fatalf("replace %v, rules %+v", s.Replace, s.Privacy.Rules)
	}
	for path, want := range map[string]string{"a.jpg": "private", "family/a.jpg": "friends,family", "shots/a.png": "private,screenshot,hidden"} {
		if got := s.Privacy.For(path).String(); got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
	none := Settings{}
	none.Privacy.Default = s.Privacy.Default
	if got := none.Privacy.For("a.jpg").String(); got != "friends" {
		t.Errorf("the default is %q, want friends (is_friend = yes)", got)
	}
	home, _ = writeConfig(t, "[DEFAULT]\nprivacy = family/ friends\n    a/ frends\n")
	_, err = Load(Options{Getenv: env(map[string]string{"HOME": home})})
	if err == nil || !strings.Contains(err.Error(), "privacy in ") || !strings.Contains(err.Error(), `line 2: pattern "a/": unknown word "frends" (did you mean friends?)`) {
		t.Errorf("a bad rule: %v", err)
	}
}
