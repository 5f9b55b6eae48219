package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/imagesig"
	"github.com/flickrsync/flickrsync/internal/syncer"
	"github.com/flickrsync/flickrsync/internal/ui"
)

func init() {
	register(func() *Command {
		return &Command{Name: "config", Args: "show", Words: []string{"show"},
			Summary: "show the effective settings of the profile and where each comes from (secrets masked)",
			Run:     runConfig}
	})
}

// runConfig prints the settings a run would use: each key of the profile with its value
// and its source (config file, environment, command line, default), then the token.
// Secrets are masked: api_secret and the token entirely, api_key but for its ends.
func runConfig(ctx context.Context, inv *Invocation) error {
	if len(inv.Args) != 1 || inv.Args[0] != "show" {
		return Usagef("config takes one argument: show; see 'flickrsync help config'")
	}
	s, err := inv.Settings()
	if err != nil {
		return err
	}
	read := "not found: defaults only"
	if s.ConfigRead {
		read = "read"
	}
	var b strings.Builder
	width := len("token user")
	for _, k := range config.Keys {
		width = max(width, len(k))
	}
	line := func(key, value, from string) {
		b.WriteString(ui.Sprintf("%-*s %-40s %s\n", width, key, value, from))
	}
	line("config", s.ConfigPath, read)
	line("profile", s.Profile, "")
	values := map[string]string{
		"api_key":            maskKey(s.APIKey),
		"api_secret":         maskSecret(s.APISecret),
		"username":           s.Username,
		"directory":          s.Directory,
		"database":           s.Database,
		"flickr_url":         s.FlickrURL,
		"pacing":             onOff(s.Pacing),
		"is_public":          onOff(s.IsPublic),
		"is_friend":          onOff(s.IsFriend),
		"is_family":          onOff(s.IsFamily),
		"transfers":          fmt.Sprint(s.Transfers),
		"exclude":            strings.Join(s.Exclude, "; "),
		"default_excludes":   onOff(!s.NoDefaultExcludes),
		"follow_symlinks":    onOff(!s.NoFollowSymlinks),
		"replace":            onOff(s.Replace),
		"full_listing_after": age(s.FullListingAfter),
		"memory":             size(s.Memory),
	}
	if s.Memory == 0 {
		values["memory"] = size(imagesig.DefaultMemoryBudget)
	}
	if s.FullListingAfter == 0 {
		values["full_listing_after"] = age(syncer.DefaultFullListingAfter)
	}
	// One line per key: the patterns and rules, each a line in the file, joined by "; ".
	var rules []string
	for _, r := range s.Privacy.Rules {
		rules = append(rules, r.Pattern+" "+r.Setting.String())
	}
	values["privacy"] = strings.Join(rules, "; ")
	if s.FlickrURL == "" {
		values["flickr_url"] = "(Flickr itself)"
	}
	own := catalog.PathFor(ctx, s.Database)
	for _, k := range config.Keys {
		line(k, values[k], s.From[k])
		if k == "database" && own != s.Database {
			line("catalog", own, "beside the Python flickrsync's database, which it never writes")
		}
	}
	tok, err := config.LoadToken(s.TokenPath())
	switch {
	case err == nil:
		line("token", maskSecret(tok.Token), s.TokenPath())
		line("token user", fmt.Sprintf("%s (%s), %s access", tok.Username, tok.UserNSID, tok.Perms), "")
	case errors.Is(err, config.ErrNoToken):
		line("token", "(none: run 'flickrsync auth')", s.TokenPath())
	default:
		line("token", "(unreadable: run 'flickrsync auth')", s.TokenPath())
	}
	return ui.Write(inv.Stdout, b.String())
}

// age writes a duration as full_listing_after reads it: days when whole ("7d").
func age(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}

// size writes a byte count as the memory key reads it: in M when whole.
func size(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%dM", n>>20)
	}
	return fmt.Sprint(n)
}

// maskSecret shows whether a secret is set, never any of it.
func maskSecret(v string) string {
	if v == "" {
		return "(not set)"
	}
	return "******** (set)"
}

// maskKey shows the ends of an API key, enough to tell two keys apart.
func maskKey(v string) string {
	if len(v) < 12 {
		return maskSecret(v)
	}
	return v[:4] + "…" + v[len(v)-4:]
}

func onOff(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
