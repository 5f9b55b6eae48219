package flickr

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/flickrsync/flickrsync/internal/ui"
)

// The classes of failure a caller maps to an outcome (the CLI to its exit codes). Test
// them with errors.Is; each error the client returns is in at most one.
var (
	// ErrAuth: Flickr refused the credentials (an OAuth 400/401 refusal, or codes
	// 96-100). Retrying cannot help; AuthAdvice says what the user should do.
	ErrAuth = errors.New("flickr refused the credentials")
	// ErrUnreachable: Flickr or the network did not answer usefully after every attempt
	// (DNS, refused or dropped connections, timeouts, HTTP 5xx and 429, codes 105 and
	// 201). Trying later may help.
	ErrUnreachable = errors.New("flickr unreachable")
	// ErrBadBaseURL: Config.BaseURL is not an http(s) URL; New refuses it.
	ErrBadBaseURL = errors.New("invalid flickr url")
)

// Error is a failure Flickr reported with stat="fail" (HTTP 200) or an <err> element:
// Code is Flickr's number (method-specific below 95, common from 95 up), Method the API
// method or "upload". Message is Flickr's text made safe to print (one short line).
type Error struct {
	Code    int
	Message string
	Method  string
}

// Error is "flickr error <code>: <message>"; the caller's wrapping names the method.
func (e *Error) Error() string {
	return fmt.Sprintf("flickr error %d: %s", e.Code, e.Message)
}

// Is makes codes 96-100 (signature, login, permissions, API key) match ErrAuth, and the
// "service unavailable" codes 105 and 201 nothing (ErrUnreachable comes from the retry
// loop giving up on them).
func (e *Error) Is(target error) bool {
	return target == ErrAuth && e.Code >= CodeInvalidSignature && e.Code <= CodeInvalidAPIKey
}

// Common error codes (API.md §2.6). Method-specific codes start at 1.
const (
	CodeNotFound           = 1 // for most methods: photo/photoset not found
	CodeInvalidSignature   = 96
	CodeMissingSignature   = 97
	CodeLoginFailed        = 98
	CodeInsufficientPerms  = 99
	CodeInvalidAPIKey      = 100
	CodeServiceUnavailable = 105
	CodeAPINotAvailable    = 201
)

// IsCode reports whether err is (or wraps) a Flickr *Error with the given code.
func IsCode(err error, code int) bool {
	var fe *Error
	return errors.As(err, &fe) && fe.Code == code
}

// IsAuthError reports whether err is in the ErrAuth class.
func IsAuthError(err error) bool { return errors.Is(err, ErrAuth) }

// IsUnreachable reports whether err is in the ErrUnreachable class.
func IsUnreachable(err error) bool { return errors.Is(err, ErrUnreachable) }

// AuthAdvice returns what the user should do about an ErrAuth error, "" for any other:
// re-authorise when the token is refused, revoked, expired or lacks permissions; check
// the application's key pair when Flickr does not know the key; either when a signature
// is refused (the api_secret or the token's secret is wrong).
func AuthAdvice(err error) string {
	const (
		reauth = "re-authorise with `flickrsync auth`"
		key    = "check api_key and api_secret in the configuration"
		either = "check api_secret in the configuration, or re-authorise with `flickrsync auth`"
	)
	var oe *OAuthError
	var fe *Error
	switch {
	case !IsAuthError(err):
		return ""
	case errors.As(err, &oe):
		switch {
		case strings.HasPrefix(oe.Problem, "consumer_key"):
			return key
		case oe.Problem == "signature_invalid" || oe.Problem == "signature_method_rejected":
			return either
		}
		return reauth
	case errors.As(err, &fe):
		switch fe.Code {
		case CodeInvalidAPIKey:
			return key
		case CodeInvalidSignature, CodeMissingSignature:
			return either
		}
	}
	return reauth
}

// OAuthError is an OAuth-layer refusal: HTTP 400/401 with a form-encoded
// oauth_problem=... body (signature_invalid, parameter_absent, token_rejected,
// verifier_invalid, ...). It never carries the debug base string Flickr echoes, which
// contains the token.
type OAuthError struct {
	Status             int
	Problem            string
	ParametersAbsent   string // for parameter_absent: the missing parameter names
	ParametersRejected string
}

func (e *OAuthError) Error() string {
	s := fmt.Sprintf("oauth refused (HTTP %d): %s", e.Status, e.Problem)
	if e.ParametersAbsent != "" {
		s += " (absent: " + e.ParametersAbsent + ")"
	}
	if e.ParametersRejected != "" {
		s += " (rejected: " + e.ParametersRejected + ")"
	}
	return s
}

// Is makes every refusal but a reused nonce (which the next attempt's fresh one cures)
// match ErrAuth.
func (e *OAuthError) Is(target error) bool {
	return target == ErrAuth && e.Problem != "nonce_used"
}

// parseOAuthProblem reads a 400/401 body; ok is false when it is not an oauth_problem.
func parseOAuthProblem(status int, body []byte) (*OAuthError, bool) {
	if len(body) > 4096 {
		return nil, false
	}
	q, err := url.ParseQuery(strings.TrimSpace(string(body)))
	if err != nil || q.Get("oauth_problem") == "" {
		return nil, false
	}
	return &OAuthError{
		Status:             status,
		Problem:            oauthWord(q.Get("oauth_problem")),
		ParametersAbsent:   oauthWord(q.Get("oauth_parameters_absent")),
		ParametersRejected: oauthWord(q.Get("oauth_parameters_rejected")),
	}, true
}

// oauthWord keeps an oauth_problem or parameter list as it should be (lowercase words
// with _ , & and -, 80 bytes at most); anything else is shown as "(unreadable)".
func oauthWord(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > 80 || strings.TrimLeft(s, "abcdefghijklmnopqrstuvwxyz0123456789_,&-") != "" {
		return "(unreadable)"
	}
	return s
}

// HTTPError is an HTTP status the client did not expect (429 throttling, 5xx, 404, ...).
type HTTPError struct {
	Status     int
	RetryAfter time.Duration // from a Retry-After header in seconds; 0 if none
	// Cause is one short line from the answer when it is plain text ("" for HTML,
	// XML, JSON or anything else: error pages are not worth a terminal).
	Cause string
}

// Error says the status; the body's start only when it is text, not a page of markup
// (a proxy's or a CDN's HTML error page says nothing the status does not).
func (e *HTTPError) Error() string {
	s := fmt.Sprintf("HTTP %d", e.Status)
	if t := http.StatusText(e.Status); t != "" {
		s += " " + t
	}
	if e.Cause != "" {
		s += ": " + e.Cause
	}
	return s
}

// newHTTPError reads what an unexpected status says, keeping only a plain-text cause.
func newHTTPError(status int, h http.Header, body []byte) *HTTPError {
	he := &HTTPError{Status: status, RetryAfter: retryAfter(h)}
	ct := strings.ToLower(h.Get("Content-Type"))
	b := strings.TrimSpace(string(body[:min(len(body), 512)]))
	if (ct == "" || strings.HasPrefix(ct, "text/plain")) && b != "" && !strings.ContainsAny(b[:1], "<{[") {
		line, _, _ := strings.Cut(b, "\n")
		he.Cause = cleanText(line, 100)
	}
	return he
}

// cleanText makes text from a server safe and short for a message: control characters
// and invalid UTF-8 shown as '?' (ui.Printable), runs of spaces folded, cut to about max
// bytes on a character boundary with "...".
func cleanText(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xc0 == 0x80 { // not inside a UTF-8 sequence
			cut--
		}
		s = s[:cut] + "..."
	}
	return ui.Printable(s)
}

// ErrUploadAmbiguous means an upload's request reached Flickr but no usable answer came
// back (the connection dropped or timed out after the whole body was sent, a gateway
// timed out, or the answer is not Flickr's): the photo may or may not exist now. Such an upload is never retried; look
// the photo up by its signature machine tag before uploading it again.
var ErrUploadAmbiguous = errors.New("the request was sent but its answer was lost or unreadable")

// ErrOutcomeUnknown means a call that changes something (photosets.create) reached
// Flickr but its answer was lost; it is not retried.
var ErrOutcomeUnknown = errors.New("outcome unknown: the request was sent but its answer was lost")

// ErrBadResponse means an answer could not be parsed or is not what Flickr sends (beyond
// the client's limits, ids or dates out of their syntax).
var ErrBadResponse = errors.New("malformed response")

// netError marks a transport failure (connection refused/reset, timeout, truncated body):
// retryable unless the request was an upload whose body was already sent.
type netError struct {
	err  error
	sent bool // the whole request had been written when it failed
}

func (e *netError) Error() string { return e.err.Error() }
func (e *netError) Unwrap() error { return e.err }

// transportErr drops the *url.Error around a transport failure: its "Post <URL>" repeats
// what the caller's wrapping says.
func transportErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// unreachableError is a retryable failure the retries did not cure.
type unreachableError struct {
	err      error
	attempts int
}

func (e *unreachableError) Error() string {
	if e.attempts > 1 {
		return fmt.Sprintf("%v (gave up after %d attempts)", e.err, e.attempts)
	}
	return e.err.Error()
}
func (e *unreachableError) Unwrap() error        { return e.err }
func (e *unreachableError) Is(target error) bool { return target == ErrUnreachable }
