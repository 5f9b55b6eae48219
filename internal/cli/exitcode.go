package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/flickr"
)

// Exit statuses, as --help and the README say them (helpExit).
const (
	ExitOK          = 0
	ExitFailed      = 1   // some files failed (each named), or the run failed for another reason
	ExitUsage       = 2   // usage or configuration error
	ExitUnreachable = 3   // Flickr or the network could not be reached, after retries
	ExitInterrupted = 130 // SIGINT (128+2)
	ExitTerminated  = 143 // SIGTERM (128+15)
)

// ErrPartial means the command ran to its end but some files failed; each failure was
// already reported. It maps to exit status 1.
var ErrPartial = errors.New("some files failed")

// UsageError is a mistake in the command line or the configuration: exit status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef builds a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// signalError is the cause of the run's context when a signal stopped it.
type signalError struct{ sig os.Signal }

func (e *signalError) Error() string { return "stopped by " + e.sig.String() }

// exitStatusOf is a signal's conventional exit status, 128 + its number.
func exitStatusOf(sig os.Signal) int {
	if sig == syscall.SIGTERM {
		return ExitTerminated
	}
	return ExitInterrupted
}

// classify is the one place that maps a run's error to its exit status and to the one
// line said about it ("" for success). inv is the run (nil when the command line did not
// get that far).
//
// The Flickr client's own classes decide for Flickr: refused credentials
// (flickr.IsAuthError), an invalid base URL (flickr.ErrBadBaseURL), Flickr or the network
// unreachable after the retries (flickr.IsUnreachable); the net and url errors are for
// what reaches Flickr's hosts outside the client's calls.
func classify(ctx context.Context, err error, inv *Invocation) (int, string) {
	var (
		usage   *UsageError
		urlErr  *url.Error
		netErr  net.Error
		sig     *signalError
		opErr   *net.OpError
		dnsErr  *net.DNSError
		catErr  *catalogError
		oauthEr *flickr.OAuthError
	)
	switch {
	case err == nil:
		return ExitOK, ""
	case errors.As(context.Cause(ctx), &sig):
		if sig.sig == syscall.SIGTERM {
			return ExitTerminated, "terminated"
		}
		return exitStatusOf(sig.sig), "interrupted"
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return ExitInterrupted, "interrupted"
	case errors.As(err, &usage):
		return ExitUsage, usage.Msg
	case errors.Is(err, ErrPartial):
		return ExitFailed, "some files failed (each is named above)"
	case errors.As(err, &catErr):
		return catErr.status(), catErr.message(inv)
	case flickr.IsAuthError(err):
		return ExitUsage, refusedMessage(err, inv)
	case errors.Is(err, flickr.ErrBadBaseURL), errors.As(err, &urlErr) && badURL(urlErr):
		return ExitUsage, fmt.Sprintf("%v (%s)", err, flickrURLSource(inv))
	case flickr.IsUnreachable(err), errors.As(err, &opErr), errors.As(err, &dnsErr), errors.As(err, &netErr):
		return ExitUnreachable, fmt.Sprintf("Flickr could not be reached: %v", err)
	case errors.As(err, &oauthEr):
		return ExitUsage, refusedMessage(err, inv)
	}
	return ExitFailed, err.Error()
}

// badURL reports whether a request failed for its URL itself, not for the network: the
// errors net/http gives before it dials.
func badURL(e *url.Error) bool {
	if e.Op == "parse" {
		return true
	}
	msg := e.Err.Error()
	return strings.HasPrefix(msg, "unsupported protocol scheme") || strings.Contains(msg, "no Host in request URL")
}

// refusedMessage says which setting to check when Flickr refused the credentials.
func refusedMessage(err error, inv *Invocation) string {
	where := "the config file"
	if inv != nil && inv.settings != nil {
		where = fmt.Sprintf("%s [%s]", inv.settings.ConfigPath, inv.settings.Profile)
	}
	var oe *flickr.OAuthError
	problem := ""
	if errors.As(err, &oe) {
		problem = oe.Problem
	}
	switch {
	case problem == "consumer_key_unknown", problem == "consumer_key_rejected", flickr.IsCode(err, flickr.CodeInvalidAPIKey):
		return fmt.Sprintf("Flickr refused the API key: %v; check api_key in %s", err, where)
	case problem == "signature_invalid", flickr.IsCode(err, flickr.CodeInvalidSignature):
		return fmt.Sprintf("Flickr refused the request's signature: %v; check api_secret in %s (if it is right, re-authorise with 'flickrsync auth')", err, where)
	case problem == "verifier_invalid":
		return fmt.Sprintf("Flickr refused the code: %v; run 'flickrsync auth' again and enter the code Flickr shows for that request", err)
	}
	return fmt.Sprintf("Flickr refused the access token (revoked, or for another key?): %v; re-authorise with 'flickrsync auth'", err)
}

// flickrURLSource says where the Flickr URL of the run came from.
func flickrURLSource(inv *Invocation) string {
	if inv != nil && inv.settings != nil && inv.settings.FlickrURLFrom() != "" {
		return "Flickr URL from " + inv.settings.FlickrURLFrom()
	}
	return "check flickr_url in the profile, or FLICKRSYNC_FLICKR_URL"
}

// catalogError is a catalog that cannot be used: missing, not a catalog, written by a
// newer flickrsync, not writable, or held by another flickrsync.
type catalogError struct {
	path string
	// python is the Python flickrsync's database path stands beside ("" for none).
	python string
	err    error
}

func (e *catalogError) Error() string { return e.err.Error() } // it names the catalog already
func (e *catalogError) Unwrap() error { return e.err }

// status: another flickrsync holding the catalog is no mistake of the setup.
func (e *catalogError) status() int {
	if errors.Is(e.err, catalog.ErrLocked) {
		return ExitFailed
	}
	return ExitUsage
}

func (e *catalogError) message(inv *Invocation) string {
	switch {
	case errors.Is(e.err, catalog.ErrLocked):
		return e.Error()
	case errors.Is(e.err, catalog.ErrNoDatabase):
		at := e.path
		if e.python != "" {
			at += fmt.Sprintf(" (beside the Python flickrsync's database %s)", e.python)
		}
		return fmt.Sprintf("no catalog at %s: run 'flickrsync index' first, or give the right one (%s)", at, databaseSource(inv))
	}
	return fmt.Sprintf("%v (check %s)", e, databaseSource(inv))
}

// databaseSource names the setting that chose the catalog.
func databaseSource(inv *Invocation) string {
	switch {
	case inv == nil:
		return "the database key of the profile, or -d"
	case inv.Global.Database != "":
		return "-d, or FLICKRSYNC_DATABASE"
	case inv.settings != nil:
		return fmt.Sprintf("database in %s [%s], or -d", inv.settings.ConfigPath, inv.settings.Profile)
	}
	return "the database key of the profile, or -d"
}
