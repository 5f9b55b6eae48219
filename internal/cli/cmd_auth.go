package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/flickr"
	"github.com/flickrsync/flickrsync/internal/syncer/wire"
	"github.com/flickrsync/flickrsync/internal/ui"
)

// authTimeout bounds the wait for the browser's return.
const authTimeout = 15 * time.Minute

// authOptions are the options of one run of auth.
type authOptions struct {
	noBrowser, force, logout bool
}

func init() {
	register(func() *Command {
		o := &authOptions{}
		return &Command{Name: "auth", Legacy: true,
			Summary: "authorise flickrsync to read and write your Flickr photos (stores an access token)",
			Flags: func(fs *flag.FlagSet) {
				fs.BoolVar(&o.noBrowser, "no-browser", false,
					"do not open a browser or listen for its return: print the URL and read the code Flickr shows")
				fs.BoolVar(&o.force, "force", false, "authorise again even when the stored token is valid, and replace it")
				fs.BoolVar(&o.logout, "logout", false, "remove the profile's stored token (same as the logout command)")
			},
			Run: func(ctx context.Context, inv *Invocation) error { return runAuth(ctx, inv, o) }}
	})
	register(func() *Command {
		return &Command{Name: "logout",
			Summary: "remove the profile's stored Flickr access token",
			Run:     func(ctx context.Context, inv *Invocation) error { return runLogout(inv) }}
	})
}

// desktopBrowser opens url in the desktop's browser (Env.OpenBrowser outside tests).
func desktopBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it; xdg-open returns at once
	return nil
}

// openBrowser opens url with the environment's browser, if it has one: on the systems
// where a browser needs a graphical display, none opens without one.
func (inv *Invocation) openBrowser(url string) error {
	if inv.OpenBrowser == nil {
		return errors.New("no browser")
	}
	if runtime.GOOS != "darwin" && runtime.GOOS != "windows" && inv.Getenv("DISPLAY") == "" && inv.Getenv("WAYLAND_DISPLAY") == "" {
		return errors.New("no graphical display")
	}
	return inv.OpenBrowser(url)
}

// runAuth checks the stored token, or runs the OAuth flow (perms write) and stores a new
// one: request token, the user authorises in a browser, access token, then
// flickr.test.login to show who is logged in. A token of another account than the
// profile's username is not kept.
func runAuth(ctx context.Context, inv *Invocation, o *authOptions) error {
	if o.logout {
		if o.force {
			return Usagef("--logout and --force do not go together")
		}
		return runLogout(inv)
	}
	s, err := inv.FlickrSettings()
	if err != nil {
		return err
	}
	cfg := wire.ClientConfig(s)
	if inv.Out.Logs(ui.LevelDebug) {
		cfg.Debug = inv.Out.Writer(ui.LevelDebug)
	}
	path := s.TokenPath()

	tok, err := config.LoadToken(path)
	switch {
	case err == nil && o.force:
		inv.Out.Infof("--force: authorising again; the new token replaces the stored one")
	case err == nil:
		valid, err := checkStoredToken(ctx, inv, cfg, tok, s)
		if err != nil || valid {
			return err
		}
	case errors.Is(err, config.ErrNoToken):
	default:
		inv.Out.Errorf("flickrsync: %v; authorising again", err)
	}

	if inv.Global.DryRun {
		inv.Out.Infof("dry run: would authorise flickrsync with Flickr (write access) and save the token to %s", path)
		return nil
	}
	c, err := flickr.New(cfg)
	if err != nil {
		return err
	}
	at, err := authorize(ctx, inv, c, o.noBrowser)
	if err != nil {
		return err
	}
	if s.Username != "" && !isAccount(flickr.User{NSID: at.UserNSID, Username: at.Username}, s.Username) {
		// The browser was signed in to another account: keep the token the profile has.
		return Usagef("Flickr authorised flickrsync for %s, %s: the token is not saved; sign in to Flickr as %s in the browser and run 'flickrsync auth' again (or fix the username)",
			accountName(flickr.User{NSID: at.UserNSID, Username: at.Username}), asksFor(s), s.Username)
	}
	newTok := &config.Token{Token: at.Token, Secret: at.Secret, UserNSID: at.UserNSID,
		Username: at.Username, Fullname: at.Fullname, Perms: flickr.PermsWrite}
	if err := config.SaveToken(path, newTok); err != nil {
		return fmt.Errorf("auth: save token: %w", err)
	}
	cfg.Token, cfg.TokenSecret = at.Token, at.Secret
	c, err = flickr.New(cfg)
	if err != nil {
		return err
	}
	u, err := c.TestLogin(ctx)
	if err != nil {
		return fmt.Errorf("auth: the new token was saved but flickr.test.login failed: %w", err)
	}
	if err := ui.Fprintf(inv.Stdout, "logged in as %s (%s)\n", u.Username, u.NSID); err != nil {
		return err
	}
	inv.Out.Infof("token saved to %s", path)
	return wrongAccount(u, s)
}

// runLogout removes the profile's stored token. Flickr keeps the authorisation itself
// until its owner revokes it (OAuth 1.0a has no call for it): the message says where.
func runLogout(inv *Invocation) error {
	s, err := inv.Settings()
	if err != nil {
		return err
	}
	path := s.TokenPath()
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		inv.Out.Infof("no token stored for profile %s (%s): nothing to remove", s.Profile, path)
		return nil
	}
	if inv.Global.DryRun {
		inv.Out.Infof("dry run: would remove the token %s", path)
		return nil
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	inv.Out.Infof("token %s removed: flickrsync can no longer use the account from this profile; to revoke its access on Flickr too, see https://www.flickr.com/services/auth/list.gne", path)
	return nil
}

// checkStoredToken asks Flickr about the stored token: valid (with write access, for the
// profile's account) prints who is logged in; rejected, too weak or another account's
// means authorise again; any other failure (no network) is an error, leaving the token
// alone.
func checkStoredToken(ctx context.Context, inv *Invocation, cfg flickr.Config, tok *config.Token, s *config.Settings) (bool, error) {
	cfg.Token, cfg.TokenSecret = tok.Token, tok.Secret
	c, err := flickr.New(cfg)
	if err != nil {
		return false, err
	}
	info, err := c.CheckToken(ctx)
	var oe *flickr.OAuthError
	switch {
	case err == nil:
	case errors.As(err, &oe), flickr.IsCode(err, flickr.CodeLoginFailed), flickr.IsCode(err, flickr.CodeInvalidSignature):
		inv.Out.Infof("the stored token was refused (%v); authorising again", err)
		return false, nil
	default:
		return false, fmt.Errorf("auth: check the stored token: %w", err)
	}
	if info.Perms != flickr.PermsWrite && info.Perms != flickr.PermsDelete {
		inv.Out.Infof("the stored token has %q access, flickrsync needs write; authorising again", info.Perms)
		return false, nil
	}
	name, nsid := info.User.Username, info.User.NSID
	if name == "" {
		name = tok.Username
	}
	if nsid == "" {
		nsid = tok.UserNSID
	}
	if u := (flickr.User{NSID: nsid, Username: name}); s.Username != "" && !isAccount(u, s.Username) {
		inv.Out.Infof("the stored token is for %s, %s: authorising again", accountName(u), asksFor(s))
		return false, nil
	}
	if err := ui.Fprintf(inv.Stdout, "logged in as %s (%s)\n", name, nsid); err != nil {
		return false, err
	}
	inv.Out.Infof("the stored token is valid (%s access)", info.Perms)
	return true, nil
}

// authorize runs the token flow with a loopback callback, or with a code the user pastes
// (--no-browser, or when no callback server can listen).
func authorize(ctx context.Context, inv *Invocation, c *flickr.Client, noBrowser bool) (flickr.AccessToken, error) {
	var cb *flickr.CallbackServer
	if !noBrowser {
		var err error
		if cb, err = flickr.StartCallbackServer(); err != nil {
			inv.Out.Errorf("flickrsync: %v; falling back to pasting the code", err)
		} else {
			defer cb.Close()
		}
	}
	callback := "oob"
	if cb != nil {
		callback = cb.URL
	}
	rt, err := c.GetRequestToken(ctx, callback)
	if err != nil {
		return flickr.AccessToken{}, fmt.Errorf("auth: %w", err)
	}
	authURL := c.AuthorizeURL(rt, flickr.PermsWrite)
	var verifier string
	if cb != nil {
		fmt.Fprintf(inv.Stderr, "Authorise flickrsync (write access) in your browser:\n\n  %s\n\n", authURL)
		if err := inv.openBrowser(authURL); err != nil {
			fmt.Fprintf(inv.Stderr, "(no browser could be opened: open the URL yourself; on a machine without a browser,\n"+
				"stop with Ctrl-C and run 'flickrsync auth --no-browser')\n")
		}
		fmt.Fprintf(inv.Stderr, "Waiting for Flickr to send the browser back to %s ...\n", cb.URL)
		wctx, cancel := context.WithTimeout(ctx, authTimeout)
		verifier, err = cb.Wait(wctx, rt)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return flickr.AccessToken{}, ctx.Err()
			}
			return flickr.AccessToken{}, fmt.Errorf("auth: no answer from the browser: %w (try --no-browser)", err)
		}
	} else {
		fmt.Fprintf(inv.Stderr, "Open this URL in a browser and authorise flickrsync (write access):\n\n  %s\n\n", authURL)
		fmt.Fprintf(inv.Stderr, "Then enter the code Flickr shows (like 123-456-789): ")
		if verifier, err = ui.ReadLine(ctx, inv.Stdin); err != nil && !errors.Is(err, io.EOF) {
			return flickr.AccessToken{}, fmt.Errorf("auth: read the code: %w", err)
		}
		if verifier = strings.TrimSpace(verifier); verifier == "" {
			return flickr.AccessToken{}, Usagef("no code entered")
		}
	}
	at, err := c.GetAccessToken(ctx, rt, verifier)
	var oe *flickr.OAuthError
	if errors.As(err, &oe) {
		// Flickr refuses a mistyped code, or one of another request, as the request
		// token's refusal: the cure is the code, not the credentials.
		return flickr.AccessToken{}, Usagef("Flickr refused the code %q (%s): enter the code Flickr shows once you authorise, for this request (codes of earlier requests do not work); run 'flickrsync auth' again",
			verifier, oe.Problem)
	}
	if err != nil {
		return flickr.AccessToken{}, fmt.Errorf("auth: %w", err)
	}
	return at, nil
}
