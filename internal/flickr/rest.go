package flickr

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/api"
	"github.com/flickrsync/flickrsync/internal/oauth1"
)

// UserAgent is sent with every request.
const UserAgent = "flickrsync (+https://github.com/flickrsync/flickrsync)"

// maxResponse bounds a REST answer read into memory (a 500-photo page is ~0.5 MB).
const maxResponse = 64 << 20

// call invokes a REST method: POST form with format=json&nojsoncallback=1, OAuth in the
// Authorization header, paced and retried; the payload is decoded into out (nil: ignored).
func (c *Client) call(ctx context.Context, method string, params url.Values, out any) error {
	return c.callRepeatable(ctx, method, params, out)
}

// callRepeatable is call for a write whose repetition is harmless. When an attempt's
// answer was lost after the request went out and a later attempt fails with one of
// doneCodes (photosets.addPhoto's 3 "Photo already in set"), the lost attempt did the
// work: the call succeeded.
func (c *Client) callRepeatable(ctx context.Context, method string, params url.Values, out any, doneCodes ...int) error {
	lost := false
	return c.do(ctx, method, doOpts{}, func(ctx context.Context, n int) error {
		err := c.callOnce(ctx, method, params, out, n, nil)
		var ne *netError
		if errors.As(err, &ne) && ne.sent {
			lost = true
		}
		var fe *Error
		if lost && errors.As(err, &fe) && slices.Contains(doneCodes, fe.Code) {
			c.debugf("%s: %v after a lost answer: the lost attempt succeeded", method, err)
			return nil
		}
		return err
	})
}

// callAsOf is call for a read whose answer is a snapshot of the account (a photo list):
// it also returns a time on Flickr's own clock no later than the moment Flickr read it,
// the zero time when the answer has no usable Date header. Flickr's clock, not this
// machine's, is what photos' dates are compared with, so a watermark taken from it is
// right whatever the skew between the two.
func (c *Client) callAsOf(ctx context.Context, method string, params url.Values, out any) (time.Time, error) {
	var asOf time.Time
	err := c.do(ctx, method, doOpts{}, func(ctx context.Context, n int) error {
		return c.callOnce(ctx, method, params, out, n, &asOf)
	})
	return asOf, err
}

// callOnce is one attempt of a REST call. When asOf is not nil, it receives the answer's
// Date header minus the attempt's round trip: the header is written at the earliest in
// the second it names, and Flickr read the data it holds after the request arrived, so at
// most one round trip before that.
func (c *Client) callOnce(ctx context.Context, method string, params url.Values, out any, attempt int, asOf *time.Time) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	form := url.Values{}
	for k, v := range params {
		form[k] = v
	}
	form.Set("method", method)
	form.Set("format", "json")
	form.Set("nojsoncallback", "1")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.restURL, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", c.signer.AuthorizationHeader(http.MethodPost, c.restURL, form, oauth1.Extra{}))
	req.Header.Set("User-Agent", UserAgent)
	var sent atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) { sent.Store(i.Err == nil) },
	}))
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		c.debugf("%s %s attempt %d: %v", method, describeParams(params), attempt, err)
		return &netError{err: fmt.Errorf("%s: %w", method, err), sent: sent.Load()}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return &netError{err: fmt.Errorf("%s: read response: %w", method, err), sent: true}
	}
	took := time.Since(start)
	c.debugf("%s %s attempt %d: HTTP %d, %d bytes, %s", method, describeParams(params), attempt,
		resp.StatusCode, len(body), took.Round(time.Millisecond))
	if err := decodeResponse(method, resp.StatusCode, resp.Header, body, out); err != nil {
		return err
	}
	if asOf != nil {
		*asOf = time.Time{}
		if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
			*asOf = d.Add(-took)
		}
	}
	return nil
}

// describeParams renders a call's own parameters for the debug log (never oauth_*).
func describeParams(p url.Values) string {
	q := url.Values{}
	for k, v := range p {
		if !strings.HasPrefix(k, "oauth_") {
			q[k] = v
		}
	}
	s := q.Encode()
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// decodeResponse turns one HTTP answer into out or a typed error: *Error for stat=fail,
// *OAuthError for a 400/401 oauth_problem, *HTTPError for other statuses. The body may be
// JSON (REST with format=json) or XML (upload, replace, format=rest): it is sniffed.
func decodeResponse(method string, status int, h http.Header, body []byte, out any) error {
	if status != http.StatusOK {
		if status == http.StatusBadRequest || status == http.StatusUnauthorized {
			if oe, ok := parseOAuthProblem(status, method, body); ok {
				return oe
			}
		}
		return &HTTPError{Status: status, Method: method, RetryAfter: retryAfter(h), Snippet: snippet(body)}
	}
	trimmed := bytes.TrimSpace(body)
	if p, ok := bytes.CutPrefix(trimmed, []byte("jsonFlickrApi(")); ok {
		trimmed = bytes.TrimSuffix(bytes.TrimSuffix(p, []byte(";")), []byte(")"))
	}
	if len(trimmed) == 0 {
		return fmt.Errorf("%s: empty response: %w", method, ErrBadResponse)
	}
	var env api.Envelope
	var unmarshal func([]byte, any) error
	switch trimmed[0] {
	case '{':
		unmarshal = json.Unmarshal
	case '<':
		unmarshal = xml.Unmarshal
	default:
		if oe, ok := parseOAuthProblem(status, method, body); ok {
			return oe
		}
		return fmt.Errorf("%s: response is neither JSON nor XML (%q): %w", method, snippet(body), ErrBadResponse)
	}
	if err := unmarshal(trimmed, &env); err != nil {
		return fmt.Errorf("%s: decode response: %v: %w", method, err, ErrBadResponse)
	}
	switch env.Stat {
	case "ok":
	case "fail":
		code, msg := env.ErrCode()
		return &Error{Code: code, Message: msg, Method: method}
	default:
		return fmt.Errorf("%s: response has stat %q (%q): %w", method, env.Stat, snippet(body), ErrBadResponse)
	}
	if out == nil {
		return nil
	}
	if err := unmarshal(trimmed, out); err != nil {
		return fmt.Errorf("%s: decode response: %v: %w", method, err, ErrBadResponse)
	}
	return nil
}
