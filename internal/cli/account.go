package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/flickr"
)

// The right account: the profile's username (or -u) names the Flickr account the profile
// backs up to. The stored token says which account it can act for only when Flickr is
// asked (flickr.test.login): every command that changes something on Flickr asks at its
// start, and auth asks before it keeps a new token, so that a token of another account
// (a shared machine, a token copied from another profile, a browser signed in as someone
// else) never uploads into the wrong account. A profile without a username is not
// checked.

// checkAccount asks Flickr whose token the client holds and refuses it (exit status 2)
// when it is not the profile's account.
func checkAccount(ctx context.Context, c *flickr.Client, s *config.Settings) error {
	if s.Username == "" {
		return nil
	}
	u, err := c.TestLogin(ctx)
	if err != nil {
		return fmt.Errorf("check the account: %w", err)
	}
	return wrongAccount(u, s)
}

// wrongAccount refuses the stored token of account u when it is not the profile's.
func wrongAccount(u flickr.User, s *config.Settings) error {
	if s.Username == "" || isAccount(u, s.Username) {
		return nil
	}
	return Usagef("the stored token is for %s, %s: run '%s' to authorise %s (or fix the username)",
		accountName(u), asksFor(s), authCommand(s), s.Username)
}

// authCommand is the auth command line of the profile as this run chose it: -p and -u
// given on the command line are needed again (a plain 'flickrsync auth' would check the
// config's account and authorise nobody new).
func authCommand(s *config.Settings) string {
	cmd := "flickrsync"
	if s.Profile != config.DefaultProfile {
		cmd += " -p " + s.Profile
	}
	if s.From["username"] == config.FromCommandLine {
		cmd += " -u " + s.Username
	}
	return cmd + " auth"
}

// isAccount reports whether u is the account the profile names: by username (Flickr's
// are unique whatever their case) or by NSID.
func isAccount(u flickr.User, name string) bool {
	return strings.EqualFold(u.Username, name) || u.NSID == name
}

// accountName shows an account: its username, else its NSID.
func accountName(u flickr.User) string {
	if u.Username == "" {
		return u.NSID
	}
	return u.Username
}

// asksFor says which account the profile asks for, and where that comes from.
func asksFor(s *config.Settings) string {
	switch src := s.From["username"]; src {
	case config.FromConfig:
		return fmt.Sprintf("the config asks for %s (username in %s [%s])", s.Username, s.ConfigPath, s.Profile)
	case config.FromCommandLine:
		return fmt.Sprintf("-u asks for %s", s.Username)
	default:
		return fmt.Sprintf("%s asks for %s", strings.TrimSuffix(strings.TrimPrefix(src, "environment ("), ")"), s.Username)
	}
}
