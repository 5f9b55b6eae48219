package flickr

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Error is a failure Flickr reported with stat="fail" (HTTP 200) or an <err> element:
// Code is Flickr's number (method-specific below 95, common from 95 up), Method the API
// method or "upload"/"replace".
type Error struct {
	Code    int
	Message string
	Method  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: flickr error %d: %s", e.Method, e.Code, e.Message)
}

// Common error codes (API.md §2.6). Method-specific codes start at 1.
const (
	CodeNotFound              = 1 // for most methods: photo/photoset not found
	CodeInvalidSignature      = 96
	CodeMissingSignature      = 97
	CodeLoginFailed           = 98
	CodeInsufficientPerms     = 99
	CodeInvalidAPIKey         = 100
	CodeServiceUnavailable    = 105
	CodeWriteFailed           = 106
	CodeAPINotAvailable       = 201
	CodePhotoAlreadyInSet     = 3 // photosets.addPhoto
	CodeMaxPhotosInSet        = 10
	CodeUploadLimitReached    = 6 // upload
	CodeUploadDuplicatePhoto  = 9
	CodeUploadFiletypeUnknown = 5
)

// IsCode reports whether err is (or wraps) a Flickr *Error with the given code.
func IsCode(err error, code int) bool {
	var fe *Error
	return errors.As(err, &fe) && fe.Code == code
}

// IsAuthError reports whether err means the credentials are wrong or insufficient: an
// OAuth refusal, or Flickr codes 96-100 (signature, login, permissions, API key). The
// cure is `flickrsync auth` or the profile's api_key/api_secret, not a retry.
func IsAuthError(err error) bool {
	var oe *OAuthError
	if errors.As(err, &oe) {
		return oe.Problem != "nonce_used"
	}
	var fe *Error
	return errors.As(err, &fe) && fe.Code >= CodeInvalidSignature && fe.Code <= CodeInvalidAPIKey
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
	Method             string
}

func (e *OAuthError) Error() string {
	s := fmt.Sprintf("%s: oauth refused (HTTP %d): %s", e.Method, e.Status, e.Problem)
	if e.ParametersAbsent != "" {
		s += " (absent: " + e.ParametersAbsent + ")"
	}
	if e.ParametersRejected != "" {
		s += " (rejected: " + e.ParametersRejected + ")"
	}
	return s
}

// parseOAuthProblem reads a 400/401 body; ok is false when it is not an oauth_problem.
func parseOAuthProblem(status int, method string, body []byte) (*OAuthError, bool) {
	q, err := url.ParseQuery(strings.TrimSpace(string(body)))
	if err != nil || q.Get("oauth_problem") == "" {
		return nil, false
	}
	return &OAuthError{
		Status:             status,
		Problem:            q.Get("oauth_problem"),
		ParametersAbsent:   q.Get("oauth_parameters_absent"),
		ParametersRejected: q.Get("oauth_parameters_rejected"),
		Method:             method,
	}, true
}

// HTTPError is an HTTP status the client did not expect (429 throttling, 5xx, 404, ...).
type HTTPError struct {
	Status     int
	Method     string
	RetryAfter time.Duration // from a Retry-After header in seconds; 0 if none
	Snippet    string        // the start of the body, for diagnosis
}

// Error says the status; the body's start only when it is text, not a page of markup
// (a proxy's or a CDN's HTML error page says nothing the status does not).
func (e *HTTPError) Error() string {
	s := fmt.Sprintf("%s: HTTP %d", e.Method, e.Status)
	if text := http.StatusText(e.Status); text != "" {
		s += " " + text
	}
	if e.Snippet != "" && !strings.HasPrefix(e.Snippet, "<") {
		s += ": " + e.Snippet
	}
	return s
}

// ErrUploadAmbiguous means an upload's request reached Flickr but its answer was lost
// (the connection dropped or timed out after the whole body was sent, or a gateway
// timed out): the photo may or may not exist now. Such an upload is never retried; look
// the photo up by its signature machine tag before uploading it again.
var ErrUploadAmbiguous = errors.New("upload outcome unknown: the request was sent but its answer was lost")

// ErrOutcomeUnknown means a call that changes something (photosets.create) reached
// Flickr but its answer was lost; it is not retried.
var ErrOutcomeUnknown = errors.New("outcome unknown: the request was sent but its answer was lost")

// ErrBadResponse means a response could not be parsed.
var ErrBadResponse = errors.New("malformed response")

// netError marks a transport failure (connection refused/reset, timeout, truncated body):
// retryable unless the request was an upload whose body was already sent.
type netError struct {
	err  error
	sent bool // the whole request had been written when it failed
}

func (e *netError) Error() string { return e.err.Error() }
func (e *netError) Unwrap() error { return e.err }

// snippet returns a short single-line start of body for an error message.
func snippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	return s
}
