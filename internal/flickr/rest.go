package flickr

import (
	"bytes"
	"context"
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

// maxResponse bounds a REST answer read into memory (a 500-photo page is about 1 MB).
// Decoding a bounded answer costs at most a few times its size (api.Check).
const maxResponse = 64 << 20

// call invokes a REST method: POST form with format=json&nojsoncallback=1, OAuth in the
// Authorization header, paced and retried; the payload is decoded into out (nil: only
// the envelope is read) within api.DefaultLimits.
func (c *Client) call(ctx context.Context, method string, params url.Values, out api.Response) error {
	return c.callRepeatable(ctx, method, params, out)
}

// callRepeatable is call for a write whose repetition is harmless. When an attempt's
// answer was lost after the request went out and a later attempt fails with one of
// doneCodes (photosets.addPhoto's 3 "Photo already in set"), the lost attempt did the
// work: the call succeeded.
func (c *Client) callRepeatable(ctx context.Context, method string, params url.Values, out api.Response, doneCodes ...int) error {
	lost := false
	return c.do(ctx, method, doOpts{}, func(ctx context.Context, n int) error {
		err := c.callOnce(ctx, method, params, out, api.DefaultLimits, n, nil)
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

// callPage is call for one page of a list, decoded within lim. It also returns a time
// on Flickr's own clock no later than the moment Flickr read the page, the zero time
// when the answer has no plausible Date header. Flickr's clock, not this machine's, is
// what photos' dates are compared with, so a watermark taken from it is right whatever
// the skew between the two.
func (c *Client) callPage(ctx context.Context, method string, params url.Values, out api.Response, lim api.Limits) (time.Time, error) {
	var asOf time.Time
	err := c.do(ctx, method, doOpts{}, func(ctx context.Context, n int) error {
		return c.callOnce(ctx, method, params, out, lim, n, &asOf)
	})
	return asOf, err
}

// callOnce is one attempt of a REST call, bounded by Config.Timeout from the request to
// the end of decoding. When asOf is not nil, it receives the answer's Date header minus
// the attempt's round trip: the header is written at the earliest in the second it
// names, and Flickr read the data it holds after the request arrived, so at most one
// round trip before that.
func (c *Client) callOnce(ctx context.Context, method string, params url.Values, out api.Response, lim api.Limits, attempt int, asOf *time.Time) error {
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
		return &netError{err: fmt.Errorf("%s: %w", method, transportErr(err)), sent: sent.Load()}
	}
	defer resp.Body.Close()
	body, err := readAnswer(resp, maxResponse)
	if errors.Is(err, ErrBadResponse) {
		return fmt.Errorf("%s: %w", method, err)
	}
	if err != nil {
		return &netError{err: fmt.Errorf("%s: read the answer: %w", method, err), sent: true}
	}
	took := time.Since(start)
	c.debugf("%s %s attempt %d: HTTP %d, %d bytes, %s", method, describeParams(params), attempt,
		resp.StatusCode, len(body), took.Round(time.Millisecond))
	if err := decodeResponse(ctx, method, resp.StatusCode, resp.Header, body, out, lim); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if asOf != nil {
		*asOf = time.Time{}
		if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil && PlausibleTime(d.Unix(), time.Now()) {
			*asOf = d.Add(-took)
		}
	}
	return nil
}

// readAnswer reads a whole answer of at most max bytes; a longer one (by its
// Content-Length or by what arrives) is refused without reading further.
func readAnswer(resp *http.Response, max int) ([]byte, error) {
	if resp.ContentLength > int64(max) {
		return nil, fmt.Errorf("%w: an answer of %d bytes (at most %d)", ErrBadResponse, resp.ContentLength, max)
	}
	var b bytes.Buffer
	if resp.ContentLength > 0 {
		b.Grow(int(resp.ContentLength) + bytes.MinRead) // room for ReadFrom's look past the end
	}
	n, err := b.ReadFrom(io.LimitReader(resp.Body, int64(max)+1))
	if err != nil {
		return nil, err
	}
	if n > int64(max) {
		return nil, fmt.Errorf("%w: an answer of more than %d bytes", ErrBadResponse, max)
	}
	return b.Bytes(), nil
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

// decodeResponse turns one HTTP answer into out or a typed error (not prefixed with the
// method: the caller says which call it was): *Error for stat=fail, *OAuthError for a
// 400/401 oauth_problem, *HTTPError for other statuses, ErrBadResponse for an answer
// that is not one of Flickr's or is beyond lim. The body may be JSON (REST with
// format=json) or XML (upload, replace, format=rest): it is sniffed. Decoding ends with
// ctx's error when ctx ends. out nil reads only the envelope.
func decodeResponse(ctx context.Context, method string, status int, h http.Header, body []byte, out api.Response, lim api.Limits) error {
	if status != http.StatusOK {
		if status == http.StatusBadRequest || status == http.StatusUnauthorized {
			if oe, ok := parseOAuthProblem(status, body); ok {
				return oe
			}
		}
		return newHTTPError(status, h, body)
	}
	trimmed := bytes.TrimSpace(body)
	if p, ok := bytes.CutPrefix(trimmed, []byte("jsonFlickrApi(")); ok {
		trimmed = bytes.TrimSuffix(bytes.TrimSuffix(p, []byte(";")), []byte(")"))
	}
	if len(trimmed) == 0 {
		return fmt.Errorf("empty answer: %w", ErrBadResponse)
	}
	ans, err := api.Check(ctx, trimmed, lim)
	if err == nil {
		if out == nil {
			out = &api.Envelope{}
		}
		err = ans.Decode(ctx, out)
	}
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return err
	case errors.Is(err, api.ErrFormat):
		if oe, ok := parseOAuthProblem(status, body); ok {
			return oe
		}
		return fmt.Errorf("%w: %v (Content-Type %q)", ErrBadResponse, err, cleanText(h.Get("Content-Type"), 40))
	default:
		return fmt.Errorf("%w: %s", ErrBadResponse, cleanText(err.Error(), 160))
	}
	env := out.Env()
	switch env.Stat {
	case "ok":
		return nil
	case "fail":
		code, msg := env.ErrCode()
		return &Error{Code: code, Message: cleanText(msg, 160), Method: method}
	}
	return fmt.Errorf("%w: stat %q", ErrBadResponse, cleanText(string(env.Stat), 20))
}
