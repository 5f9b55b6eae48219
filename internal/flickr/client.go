package flickr

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/flickrsync/flickrsync/internal/oauth1"
)

// The real Flickr endpoints.
const (
	DefaultRESTURL    = "https://api.flickr.com/services/rest/"
	DefaultUploadURL  = "https://up.flickr.com/services/upload/"
	DefaultReplaceURL = "https://up.flickr.com/services/replace/"
	DefaultOAuthURL   = "https://www.flickr.com/services/oauth/"
)

// Defaults of Config.
const (
	DefaultRateLimit         = 3600 // calls per hour: Flickr's published limit per key
	DefaultRateBurst         = 10
	DefaultMaxAttempts       = 5
	DefaultMinBackoff        = time.Second
	DefaultMaxBackoff        = time.Minute
	DefaultTimeout           = 2 * time.Minute
	DefaultUploadIdleTimeout = 2 * time.Minute
	DefaultPerPage           = 500
)

// Config configures a Client. Only APIKey and APISecret are required; every zero field
// takes its default.
type Config struct {
	// BaseURL points every endpoint at one host, e.g. "http://127.0.0.1:8383" gives
	// /services/rest/, /services/upload/, /services/replace/ and /services/oauth/... there;
	// original downloads from Flickr's own hosts are redirected to it too.
	// "" means the real Flickr.
	BaseURL string

	APIKey, APISecret  string // the application's consumer key pair
	Token, TokenSecret string // the user's access token ("" before `flickrsync auth`)

	HTTPClient *http.Client // nil: a client with its own transport and no overall timeout

	RateLimit float64 // calls per hour, shared by every call of this Client; <0: unlimited
	RateBurst int     // calls allowed at once before pacing starts

	MaxAttempts int           // attempts per call including the first; 1 disables retries
	MinBackoff  time.Duration // first retry delay (doubled each time, with jitter)
	MaxBackoff  time.Duration // largest retry delay (a Retry-After may ask for more)

	Timeout           time.Duration // per attempt of a REST call, and for an upload's answer
	UploadIdleTimeout time.Duration // an upload or download making no progress this long fails

	// BandwidthLimit caps the bytes per second of all the uploads' and downloads' bodies
	// together (one token bucket for the Client; REST calls are not counted); 0: no limit.
	BandwidthLimit int64

	// Debug receives one line per HTTP attempt (method, status, duration, retries); it
	// never sees a token, a secret or a signature. nil: silent.
	Debug io.Writer
}

// Client calls the Flickr API. It is safe for concurrent use; every call is paced by
// one token bucket and retried by one policy (see pacer.go).
type Client struct {
	cfg    Config
	http   *http.Client
	signer oauth1.Signer

	restURL, uploadURL, replaceURL, oauthURL string
	downloadBase                             *url.URL // non-nil when BaseURL is set

	limiter *limiter
	bw      *bwLimiter // nil: no bandwidth limit
	sleep   func(ctx context.Context, d time.Duration) error
	jitter  func(d time.Duration) time.Duration

	mu    sync.Mutex
	stats map[string]*CallStats
	logMu sync.Mutex
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	if cfg.RateLimit == 0 {
		cfg.RateLimit = DefaultRateLimit
	}
	if cfg.RateBurst <= 0 {
		cfg.RateBurst = DefaultRateBurst
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = DefaultMinBackoff
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = cfg.MinBackoff
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.UploadIdleTimeout <= 0 {
		cfg.UploadIdleTimeout = DefaultUploadIdleTimeout
	}
	c := &Client{
		cfg:        cfg,
		http:       cfg.HTTPClient,
		restURL:    DefaultRESTURL,
		uploadURL:  DefaultUploadURL,
		replaceURL: DefaultReplaceURL,
		oauthURL:   DefaultOAuthURL,
		stats:      map[string]*CallStats{},
	}
	if c.http == nil {
		c.http = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	if base := strings.TrimRight(cfg.BaseURL, "/"); base != "" {
		c.restURL = base + "/services/rest/"
		c.uploadURL = base + "/services/upload/"
		c.replaceURL = base + "/services/replace/"
		c.oauthURL = base + "/services/oauth/"
		if u, err := url.Parse(base); err == nil && u.Host != "" {
			c.downloadBase = u
		}
	}
	c.signer = oauth1.Signer{Credentials: oauth1.Credentials{
		ConsumerKey: cfg.APIKey, ConsumerSecret: cfg.APISecret,
		Token: cfg.Token, TokenSecret: cfg.TokenSecret,
	}}
	c.limiter = newLimiter(cfg.RateLimit, cfg.RateBurst)
	c.sleep = sleepCtx
	c.jitter = fullJitter
	c.bw = newBWLimiter(cfg.BandwidthLimit, time.Now, sleepCtx)
	return c
}

// HasToken reports whether the client was given an access token.
func (c *Client) HasToken() bool { return c.cfg.Token != "" && c.cfg.TokenSecret != "" }

// CallStats counts the HTTP attempts of one API method.
type CallStats struct {
	Calls    int64 // calls made (first attempts)
	Retries  int64 // further attempts
	Failures int64 // calls that ended in an error
}

// Stats returns a copy of the counters per method ("flickr.people.getPhotos", "upload",
// "replace", "download", "oauth.request_token", ...).
func (c *Client) Stats() map[string]CallStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]CallStats, len(c.stats))
	for k, v := range c.stats {
		out[k] = *v
	}
	return out
}

// FormatStats renders Stats one method a line, sorted, for --debug and benchmarks.
func FormatStats(stats map[string]CallStats) string {
	names := make([]string, 0, len(stats))
	for k := range stats {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		s := stats[n]
		fmt.Fprintf(&b, "%-36s calls=%d retries=%d failures=%d\n", n, s.Calls, s.Retries, s.Failures)
	}
	return b.String()
}

func (c *Client) count(name string, retry, failed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats[name]
	if s == nil {
		s = &CallStats{}
		c.stats[name] = s
	}
	switch {
	case failed:
		s.Failures++
	case retry:
		s.Retries++
	default:
		s.Calls++
	}
}

func (c *Client) debugf(format string, args ...any) {
	if c.cfg.Debug == nil {
		return
	}
	c.logMu.Lock()
	defer c.logMu.Unlock()
	fmt.Fprintf(c.cfg.Debug, "flickr: "+format+"\n", args...)
}
