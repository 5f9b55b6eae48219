package flickr

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// limiter is a token bucket: rate tokens per second, at most burst saved up. Each call
// takes one token, waiting for it when the bucket is empty.
type limiter struct {
	mu     sync.Mutex
	rate   float64 // tokens per second; <= 0 means unlimited
	burst  float64
	tokens float64
	last   time.Time
	until  time.Time // after a 429: nobody goes before this
	now    func() time.Time
}

func newLimiter(perHour float64, burst int) *limiter {
	return &limiter{rate: perHour / 3600, burst: float64(burst), tokens: float64(burst), now: time.Now}
}

// reserve takes a token and returns how long the caller must wait before using it.
func (l *limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var hold time.Duration
	if l.until.After(now) {
		hold = l.until.Sub(now)
	}
	if l.rate <= 0 {
		return hold
	}
	if !l.last.IsZero() {
		l.tokens += now.Sub(l.last).Seconds() * l.rate
		if l.tokens > l.burst {
			l.tokens = l.burst
		}
	}
	l.last = now
	l.tokens--
	if l.tokens >= 0 {
		return hold
	}
	return max(hold, time.Duration(-l.tokens/l.rate*float64(time.Second)))
}

// pause holds every caller back for d: Flickr said 429, so the whole key waits, not
// only the call that was told.
func (l *limiter) pause(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t := l.now().Add(d); t.After(l.until) {
		l.until = t
	}
}

// cancel gives back a token whose wait was abandoned.
func (l *limiter) cancel() {
	if l.rate <= 0 {
		return
	}
	l.mu.Lock()
	l.tokens++
	l.mu.Unlock()
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// fullJitter returns a random duration in [d/2, d].
func fullJitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2+1)
}

// backoff is the delay before attempt n+1 after n failed attempts.
func (c *Client) backoff(n int) time.Duration {
	d := c.cfg.MinBackoff
	for i := 1; i < n && d < c.cfg.MaxBackoff; i++ {
		d *= 2
	}
	if d > c.cfg.MaxBackoff {
		d = c.cfg.MaxBackoff
	}
	return c.jitter(d)
}

// classify is the one place that decides whether a failed attempt is worth repeating:
// transport failures, timeouts, HTTP 5xx and 429 (after Retry-After) and Flickr's
// "service unavailable" codes 105 and 201 are; authentication, signature, argument and
// all other Flickr errors are not, and neither is an upload whose outcome is unknown.
func classify(err error) (retry bool, after time.Duration) {
	var (
		fe *Error
		oe *OAuthError
		he *HTTPError
		ne *netError
	)
	switch {
	case err == nil:
		return false, 0
	case errors.Is(err, ErrUploadAmbiguous), errors.Is(err, ErrOutcomeUnknown), errors.Is(err, context.Canceled):
		return false, 0
	case errors.As(err, &fe):
		return fe.Code == CodeServiceUnavailable || fe.Code == CodeAPINotAvailable, 0
	case errors.As(err, &oe):
		// A reused nonce is fixed by the next attempt's fresh one; every other
		// refusal (signature, token, verifier, timestamp) needs a person.
		return oe.Problem == "nonce_used", 0
	case errors.As(err, &he):
		if he.Status == http.StatusTooManyRequests {
			return true, he.RetryAfter
		}
		return he.Status >= 500, he.RetryAfter
	case errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded):
		return true, 0
	}
	return false, 0
}

// unreachable reports whether a retryable error that outlived its retries means that
// Flickr or the network cannot be reached: all of them but a download's answer that is
// not an image, which says the photo, not the service, is at fault.
func unreachable(err error) bool {
	return !errors.Is(err, ErrNotImage)
}

// retryAfter parses a Retry-After header given in seconds (an HTTP date is ignored).
func retryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return time.Duration(min(n, 1<<31)) * time.Second // no overflow into a short wait
}

// maxRetryAfter is the longest Retry-After the client waits for; a longer one ends the call.
const maxRetryAfter = 10 * time.Minute

// doOpts modify do's policy for one call.
type doOpts struct {
	noPace bool // not an API call (a download from the photo servers): no rate limit
}

// do runs attempt until it succeeds, fails permanently, MaxAttempts is reached or ctx
// ends; every attempt first takes a token from the rate limiter. name names the call in
// the debug log. A retryable error that outlives the retries is returned in the
// ErrUnreachable class.
func (c *Client) do(ctx context.Context, name string, o doOpts, attempt func(ctx context.Context, n int) error) error {
	var err error
	for n := 1; ; n++ {
		if wait := c.pace(o); wait > 0 {
			c.debugf("%s: rate limit, waiting %s", name, wait.Round(time.Millisecond))
			if serr := c.sleep(ctx, wait); serr != nil {
				c.limiter.cancel()
				return interrupted(err, serr)
			}
		}
		if cerr := ctx.Err(); cerr != nil {
			return interrupted(err, cerr)
		}
		err = attempt(ctx, n)
		if err == nil {
			return nil
		}
		if cerr := ctx.Err(); cerr != nil {
			return interrupted(err, cerr)
		}
		retry, after := classify(err)
		if !retry || n >= c.cfg.MaxAttempts {
			if retry && unreachable(err) {
				return &unreachableError{err: err, attempts: n}
			}
			return err
		}
		if after > maxRetryAfter {
			return &unreachableError{err: fmt.Errorf("%w (Flickr asks to wait %s: not retried)", err, after), attempts: n}
		}
		d := c.backoff(n)
		if after > 0 {
			// A 429 with Retry-After: every call of this client waits that long.
			c.limiter.pause(after)
			d = max(d, after)
		}
		c.debugf("%s: attempt %d failed (%v), retrying in %s", name, n, err, d.Round(time.Millisecond))
		if serr := c.sleep(ctx, d); serr != nil {
			return interrupted(err, serr)
		}
	}
}

func (c *Client) pace(o doOpts) time.Duration {
	if o.noPace {
		return 0
	}
	return c.limiter.reserve()
}

// interrupted ends a call whose context ended: the context's error, with the last
// attempt's error kept visible when there was one.
func interrupted(last, ctxErr error) error {
	if last != nil && !errors.Is(last, ctxErr) {
		return fmt.Errorf("%w (last attempt: %v)", ctxErr, last)
	}
	return ctxErr
}
