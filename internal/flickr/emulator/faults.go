package emulator

import (
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// FaultConfig injects failures on demand. Shares are probabilities in [0,1], drawn from a
// math/rand generator seeded with Config.Seed, so a given sequence of calls fails the same
// way every run. SetFaults restarts that sequence.
type FaultConfig struct {
	// HTTPErrorRate: share of calls answered HTTP 500/502/503/504.
	HTTPErrorRate float64
	// FlickrErrorRate: share answered HTTP 200 stat=fail with code 105 or 201 (API calls,
	// uploads and OAuth only: photo files come from Flickr's CDN, whose faults are HTTP-level,
	// so downloads draw the same number and go through unharmed).
	FlickrErrorRate float64
	// ThrottleRate: share answered HTTP 429 (HTML body) with Retry-After.
	ThrottleRate float64
	// RetryAfter is the Retry-After value in seconds for 429s; default 1.
	RetryAfter int
	// Latency is added before every call is served.
	Latency time.Duration
	// BandwidthBps caps upload and download bodies, bytes per second; 0 = unlimited.
	BandwidthBps int64
	// RateLimitPerHour answers 429 once the key made that many API calls (REST, upload,
	// OAuth; not photo downloads) in the current hour (Flickr's budget: 3600); 0 = unlimited.
	RateLimitPerHour int
	// LostUploadRate: share of uploads committed (the photo exists) whose connection is
	// then dropped before any response.
	LostUploadRate float64
	// LostWriteRate: the same for write REST calls (tags, sets, delete).
	LostWriteRate float64
	// TicketFailRate: share of async upload tickets that end complete="2".
	TicketFailRate float64
	// Only limits the random faults and lost answers (not latency, bandwidth, the rate
	// limit or ticket failures) to these REST methods or "upload", "replace", "download",
	// "oauth"; empty = all.
	Only []string
}

type faultState struct {
	mu          sync.Mutex
	cfg         FaultConfig
	rng         *rand.Rand
	windowStart time.Time
	windowCalls int
}

func newFaultState(cfg FaultConfig, seed int64) *faultState {
	return &faultState{cfg: cfg, rng: rand.New(rand.NewSource(seed))}
}

// SetFaults replaces the fault configuration at any time and restarts its random sequence.
func (srv *Server) SetFaults(fc FaultConfig) {
	f := srv.faults
	f.mu.Lock()
	f.cfg = fc
	f.rng = rand.New(rand.NewSource(srv.cfg.Seed))
	f.windowStart, f.windowCalls = time.Time{}, 0
	f.mu.Unlock()
}

func (f *faultState) applies(name string) bool {
	if len(f.cfg.Only) == 0 {
		return true
	}
	for _, o := range f.cfg.Only {
		if o == name {
			return true
		}
	}
	return false
}

const throttleBody = "<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.\n</body></html>\n"

// injectFault applies latency, the hourly rate limit and random failures to a call named
// name; it reports whether it answered the request itself.
func (srv *Server) injectFault(w http.ResponseWriter, r *http.Request, name string, out responder) bool {
	f := srv.faults
	f.mu.Lock()
	cfg := f.cfg
	now := srv.now()
	limited := false
	retry := cfg.RetryAfter
	if retry <= 0 {
		retry = 1
	}
	if cfg.RateLimitPerHour > 0 && name != "download" { // static photo servers are not per key
		if f.windowStart.IsZero() || now.Sub(f.windowStart) >= time.Hour || now.Before(f.windowStart) {
			f.windowStart, f.windowCalls = now, 0
		}
		f.windowCalls++
		if f.windowCalls > cfg.RateLimitPerHour {
			limited = true
			retry = int(time.Hour-now.Sub(f.windowStart))/int(time.Second) + 1
		}
	}
	kind, code := "", 0
	if !limited && f.applies(name) && cfg.HTTPErrorRate+cfg.FlickrErrorRate+cfg.ThrottleRate > 0 {
		x := f.rng.Float64()
		pick := f.rng.Intn(4)
		switch {
		case x < cfg.HTTPErrorRate:
			kind, code = "http", []int{500, 502, 503, 504}[pick]
		case x < cfg.HTTPErrorRate+cfg.FlickrErrorRate:
			if name != "download" {
				kind, code = "flickr", []int{105, 201}[pick%2]
			}
		case x < cfg.HTTPErrorRate+cfg.FlickrErrorRate+cfg.ThrottleRate:
			kind = "throttle"
		}
	}
	f.mu.Unlock()

	if cfg.Latency > 0 {
		select {
		case <-time.After(cfg.Latency):
		case <-r.Context().Done():
			return true
		}
	}
	switch {
	case limited || kind == "throttle":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Retry-After", strconv.Itoa(retry))
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, throttleBody)
		return true
	case kind == "http":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(code)
		fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>\n", code, http.StatusText(code))
		return true
	case kind == "flickr":
		msg := "Service currently unavailable"
		if code == 201 {
			msg = "Sorry, the Flickr API service is not currently available."
		}
		out.write(w, nil, fail(code, msg))
		return true
	}
	return false
}

// loseAnswer decides (after a committed write) whether to drop the connection without an
// answer; it hijacks and closes it when so.
func (srv *Server) loseAnswer(w http.ResponseWriter, name string, upload bool) bool {
	f := srv.faults
	f.mu.Lock()
	rate := f.cfg.LostWriteRate
	if upload {
		rate = f.cfg.LostUploadRate
	}
	lose := rate > 0 && f.applies(name) && f.rng.Float64() < rate
	f.mu.Unlock()
	if !lose {
		return false
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		return false
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

func (f *faultState) ticketFails() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cfg.TicketFailRate > 0 && f.rng.Float64() < f.cfg.TicketFailRate
}

func (f *faultState) bandwidth() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cfg.BandwidthBps
}

// throttleReader caps the request body to the configured bandwidth.
func (srv *Server) throttleReader(r *http.Request) io.ReadCloser {
	bps := srv.faults.bandwidth()
	if bps <= 0 {
		return r.Body
	}
	return &slowReader{rc: r.Body, bps: bps, start: time.Now()}
}

type slowReader struct {
	rc    io.ReadCloser
	bps   int64
	start time.Time
	n     int64
}

func (s *slowReader) Read(p []byte) (int, error) {
	if len(p) > 16<<10 {
		p = p[:16<<10]
	}
	k, err := s.rc.Read(p)
	s.n += int64(k)
	pace(s.start, s.n, s.bps)
	return k, err
}

func (s *slowReader) Close() error { return s.rc.Close() }

// pace sleeps until n bytes are due at bps since start.
func pace(start time.Time, n, bps int64) {
	due := start.Add(time.Duration(float64(n) / float64(bps) * float64(time.Second)))
	if d := time.Until(due); d > 0 {
		time.Sleep(d)
	}
}

// throttleWriter caps a download to the configured bandwidth.
func (srv *Server) throttleWriter(w http.ResponseWriter) http.ResponseWriter {
	bps := srv.faults.bandwidth()
	if bps <= 0 {
		return w
	}
	return &slowWriter{ResponseWriter: w, bps: bps, start: time.Now()}
}

type slowWriter struct {
	http.ResponseWriter
	bps   int64
	start time.Time
	n     int64
}

func (s *slowWriter) Write(p []byte) (int, error) {
	total := 0
	for len(p) > 0 {
		c := p
		if len(c) > 16<<10 {
			c = c[:16<<10]
		}
		k, err := s.ResponseWriter.Write(c)
		total += k
		s.n += int64(k)
		if err != nil {
			return total, err
		}
		if f, ok := s.ResponseWriter.(http.Flusher); ok {
			f.Flush()
		}
		pace(s.start, s.n, s.bps)
		p = p[k:]
	}
	return total, nil
}
