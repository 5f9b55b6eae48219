package flickr

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/flickrsync/flickrsync/internal/oauth1"
)

// The real Flickr endpoints.
const (
	restURL    = "https://api.flickr.com/services/rest/"
	uploadURL  = "https://up.flickr.com/services/upload/"
	replaceURL = "https://up.flickr.com/services/replace/"
	oauthURL   = "https://www.flickr.com/services/oauth/"
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
)

// Config configures a Client. Only APIKey and APISecret are required; every zero field
// takes its default.
type Config struct {
	// BaseURL points every endpoint at one host, e.g. "http://127.0.0.1:8383" gives
	// /services/rest/, /services/upload/ and /services/oauth/... there; original
	// downloads from Flickr's own hosts are redirected to it too. "" means the real
	// Flickr; anything but an http(s) URL with a host is refused by New (ErrBadBaseURL).
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
	base                                     *url.URL // Config.BaseURL parsed; nil for the real Flickr

	limiter *limiter
	bw      *bwLimiter // nil: no bandwidth limit
	sleep   func(ctx context.Context, d time.Duration) error
	jitter  func(d time.Duration) time.Duration

	// Bounds of listings (pages.go) and downloads (download.go), lowered by tests.
	maxPages  int           // the last page a listing asks for
	minRate   float64       // bytes per second a download must average after grace
	grace     time.Duration // time a download has before minRate counts
	diskSpace func(dir string) (free, total int64, err error)

	logMu sync.Mutex
}

// New returns a Client for cfg, or an error wrapping ErrBadBaseURL when cfg.BaseURL is
// set but is not an http(s) URL with a host.
func New(cfg Config) (*Client, error) {
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
		restURL:    restURL,
		uploadURL:  uploadURL,
		replaceURL: replaceURL,
		oauthURL:   oauthURL,
		maxPages:   maxPages,
		minRate:    downloadMinRate,
		grace:      downloadGrace,
		diskSpace:  diskSpace,
	}
	if c.http == nil {
		c.http = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	if cfg.BaseURL != "" {
		u, err := parseBaseURL(cfg.BaseURL)
		if err != nil {
			return nil, err
		}
		base := strings.TrimRight(u.String(), "/")
		c.restURL = base + "/services/rest/"
		c.uploadURL = base + "/services/upload/"
		c.replaceURL = base + "/services/replace/"
		c.oauthURL = base + "/services/oauth/"
		c.base = u
	}
	c.signer = oauth1.Signer{Credentials: oauth1.Credentials{
		ConsumerKey: cfg.APIKey, ConsumerSecret: cfg.APISecret,
		Token: cfg.Token, TokenSecret: cfg.TokenSecret,
	}}
	c.limiter = newLimiter(cfg.RateLimit, cfg.RateBurst)
	c.sleep = sleepCtx
	c.jitter = fullJitter
	c.bw = newBWLimiter(cfg.BandwidthLimit, time.Now, sleepCtx)
	return c, nil
}

// parseBaseURL accepts http(s)://host[:port][/path], nothing else (no query, fragment
// or user).
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("%w %q: want http(s)://host[:port][/path]", ErrBadBaseURL, cleanText(raw, 80))
	}
	if _, err := strconv.Atoi(u.Port()); u.Port() != "" && err != nil {
		return nil, fmt.Errorf("%w %q: bad port", ErrBadBaseURL, cleanText(raw, 80))
	}
	return u, nil
}

func (c *Client) debugf(format string, args ...any) {
	if c.cfg.Debug == nil {
		return
	}
	c.logMu.Lock()
	defer c.logMu.Unlock()
	fmt.Fprintf(c.cfg.Debug, "flickr: "+format+"\n", args...)
}
