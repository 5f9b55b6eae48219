package flickr

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// bwLimiter is the bandwidth limit (Config.BandwidthLimit): one token bucket of bytes
// shared by every upload body and download body of a Client. Readers take the bytes they
// read from it after each read and wait until the bucket is no longer in debt, so the
// goroutines of concurrent transfers together move at most rate bytes per second (plus
// one burst). A nil *bwLimiter is no limit.
type bwLimiter struct {
	rate  float64 // bytes per second
	burst float64 // the bucket's size, in bytes
	chunk int     // the largest read a limited reader makes

	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu     sync.Mutex
	tokens float64
	last   time.Time
}

// newBWLimiter returns the limiter of rate bytes per second, nil when rate <= 0.
func newBWLimiter(rate int64, now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) *bwLimiter {
	if rate <= 0 {
		return nil
	}
	// Reads of about a tenth of a second's worth keep the flow smooth (and the transfers'
	// idle watchdogs fed); the bucket holds a quarter of a second, at least one read.
	chunk := int(min(max(rate/10, 512), 64<<10))
	burst := max(float64(rate)/4, float64(chunk))
	return &bwLimiter{rate: float64(rate), burst: burst, chunk: chunk, now: now, sleep: sleep, tokens: burst, last: now()}
}

// take spends n bytes and returns how long the caller must wait before going on: zero
// while the bucket holds them, else the time the bucket needs to pay the debt back. The
// debt is shared: each caller waits for its own place in the queue.
func (l *bwLimiter) take(n int) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if el := now.Sub(l.last); el > 0 {
		l.tokens = math.Min(l.burst, l.tokens+el.Seconds()*l.rate)
	}
	l.last = now
	l.tokens -= float64(n)
	if l.tokens >= 0 {
		return 0
	}
	return time.Duration(math.Ceil(-l.tokens / l.rate * float64(time.Second)))
}

// reader wraps r so that its reads go through the limit and stop when ctx ends; a nil
// limiter returns r itself.
func (l *bwLimiter) reader(ctx context.Context, r io.Reader) io.Reader {
	return l.readerWaiting(ctx, r, nil)
}

// readerWaiting is reader telling waited (when not nil) how long each read waited for
// the limit.
func (l *bwLimiter) readerWaiting(ctx context.Context, r io.Reader, waited func(time.Duration)) io.Reader {
	if l == nil {
		return r
	}
	return &limitedReader{ctx: ctx, r: r, l: l, waited: waited}
}

type limitedReader struct {
	ctx    context.Context
	r      io.Reader
	l      *bwLimiter
	waited func(time.Duration)
}

func (lr *limitedReader) Read(p []byte) (int, error) {
	if err := lr.ctx.Err(); err != nil {
		return 0, err
	}
	if len(p) > lr.l.chunk {
		p = p[:lr.l.chunk]
	}
	n, err := lr.r.Read(p)
	if n > 0 {
		if d := lr.l.take(n); d > 0 {
			if lr.waited != nil {
				lr.waited(d)
			}
			if serr := lr.l.sleep(lr.ctx, d); serr != nil {
				return n, serr
			}
		}
	}
	return n, err
}

// ParseRate reads a bandwidth limit as rclone's --bwlimit writes it: bytes per second,
// with an optional suffix B, K, M, G or T (powers of 1024, case ignored; "10M" is 10 MiB/s,
// "512k" 512 KiB/s, "1.5M" allowed), "" or "0" or "off" for no limit (0).
func ParseRate(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" || strings.EqualFold(t, "off") {
		return 0, nil
	}
	mult := 1.0
	switch t[len(t)-1] {
	case 'b', 'B':
		t = t[:len(t)-1]
	case 'k', 'K':
		mult, t = 1<<10, t[:len(t)-1]
	case 'm', 'M':
		mult, t = 1<<20, t[:len(t)-1]
	case 'g', 'G':
		mult, t = 1<<30, t[:len(t)-1]
	case 't', 'T':
		mult, t = 1<<40, t[:len(t)-1]
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v*mult >= 1<<62 {
		return 0, fmt.Errorf("bandwidth %q: want bytes per second such as 512k, 10M or 0", s)
	}
	return int64(v * mult), nil
}
