package emulator

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// Account is one Flickr member served by the emulator. The first account comes from
// Config.Username, Fullname, UserNSID and Free; Config.Users adds more, each with its own
// tokens, photos and photosets (a test can authorise bob, then run with alice's token).
type Account struct {
	Username string
	Fullname string // default Username
	NSID     string // default derived from Username, e.g. "23456789@N01"
	// Free makes it a free account (MEDIA.md, since 2022-05-01): 1,000 items, Safe content
	// only, originals not downloadable, no replace, no Video Original. Default Pro.
	Free bool
}

// account is an Account with what the server derives from it.
type account struct {
	Account
	authNum string // the numeric part of its tag ids and upload tickets
}

func newAccount(a Account) *account {
	if a.Fullname == "" {
		a.Fullname = a.Username
	}
	if a.NSID == "" {
		a.NSID = fmt.Sprintf("%d@N01", 10000000+hash32(a.Username)%89999999)
	}
	return &account{Account: a, authNum: fmt.Sprintf("%d", 10000000+hash32(a.NSID)%89999999)}
}

func hash32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// initAccounts builds the accounts from cfg; the first is the primary one.
func (srv *Server) initAccounts() error {
	cfg := srv.cfg
	all := append([]Account{{Username: cfg.Username, Fullname: cfg.Fullname, NSID: cfg.UserNSID, Free: cfg.Free}}, cfg.Users...)
	srv.byNSID = map[string]*account{}
	for _, a := range all {
		if a.Username == "" {
			return fmt.Errorf("account without a username")
		}
		acc := newAccount(a)
		if srv.byNSID[acc.NSID] != nil || srv.byName(acc.Username) != nil {
			return fmt.Errorf("account %s (%s) given twice", acc.Username, acc.NSID)
		}
		srv.accounts = append(srv.accounts, acc)
		srv.byNSID[acc.NSID] = acc
	}
	srv.loggedIn = srv.accounts[0]
	return nil
}

func (srv *Server) primary() *account { return srv.accounts[0] }

// owner maps a stored owner NSID to its account; "" (records older than accounts) is the
// primary account. An NSID no longer configured yields nil.
func (srv *Server) owner(nsid string) *account {
	if nsid == "" {
		return srv.primary()
	}
	return srv.byNSID[nsid]
}

// ownerKey is what records store for acc: "" for the primary account, so state written
// before accounts existed and state written since read alike.
func (srv *Server) ownerKey(acc *account) string {
	if acc == srv.primary() {
		return ""
	}
	return acc.NSID
}

func (srv *Server) byName(name string) *account {
	for _, a := range srv.accounts {
		if strings.EqualFold(a.Username, name) || a.NSID == name {
			return a
		}
	}
	return nil
}

// LogIn makes the account (username or NSID) the one whose browser session approves
// authorize requests, as if that member were signed in to flickr.com.
func (srv *Server) LogIn(user string) error {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	a := srv.byName(user)
	if a == nil {
		return fmt.Errorf("log in %q: no such account", user)
	}
	srv.loggedIn = a
	return nil
}

// IssueTokenFor mints an access token of the account (username or NSID) without the
// browser dance.
func (srv *Server) IssueTokenFor(user, perms string) (tok, secret string, err error) {
	srv.mu.Lock()
	a := srv.byName(user)
	srv.mu.Unlock()
	if a == nil {
		return "", "", fmt.Errorf("issue token for %q: no such account", user)
	}
	tok, secret = srv.issueToken(a, perms)
	return tok, secret, nil
}

// caller is the account whose access token signed the call; nil without one.
func (c *call) caller() *account {
	if c.tok == nil {
		return nil
	}
	return c.srv.owner(c.tok.User)
}

// owns reports whether the caller owns p.
func (c *call) owns(p *photo) bool { return c.tok != nil && p.Owner == c.tok.User }

// ownsSet reports whether the caller owns ps.
func (c *call) ownsSet(ps *photoset) bool { return c.tok != nil && ps.Owner == c.tok.User }

// resolveAccount maps a user_id argument ("me" or an NSID) to an account.
func (c *call) resolveAccount(u string) (*account, *apiErr) {
	if u == "me" {
		if me := c.caller(); me != nil {
			return me, nil
		}
		return nil, fail(99, "Insufficient permissions. Method requires read privileges; none granted.")
	}
	if a := c.srv.byNSID[u]; a != nil {
		return a, nil
	}
	return nil, nil
}
