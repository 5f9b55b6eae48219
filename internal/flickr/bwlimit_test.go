package flickr

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when the limiter sleeps.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept time.Duration
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.slept += d
	return nil
}

func TestBWLimiterRate(t *testing.T) {
	tests := []struct {
		name    string
		rate    int64
		readers int
		size    int
	}{
		{"one reader 1 MiB/s", 1 << 20, 1, 8 << 20},
		{"four readers share 1 MiB/s", 1 << 20, 4, 2 << 20},
		{"slow 1000 B/s", 1000, 2, 20000},
		{"fast 100 MiB/s", 100 << 20, 3, 30 << 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{t: time.Unix(1e9, 0)}
			l := newBWLimiter(tc.rate, clk.now, clk.sleep)
			var wg sync.WaitGroup
			for range tc.readers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := io.Copy(io.Discard, l.reader(t.Context(), bytes.NewReader(make([]byte, tc.size))))
					if err != nil || n != int64(tc.size) {
						t.Errorf("read %d, %v", n, err)
					}
				}()
			}
			wg.Wait()
			total := float64(tc.readers * tc.size)
			// The clock advanced only by the sleeps: the bytes beyond the first burst
			// took exactly total/rate seconds of them (within one chunk's rounding).
			want := (total - l.burst) / float64(tc.rate)
			got := clk.slept.Seconds()
			if got < want-0.001 || got > want+float64(l.chunk)/float64(tc.rate)+0.001 {
				t.Errorf("slept %.3fs for %.0f bytes at %d B/s, want %.3fs", got, total, tc.rate, want)
			}
		})
	}
}

func TestBWLimiterIdleRefill(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1e9, 0)}
	l := newBWLimiter(1000, clk.now, clk.sleep)
	if d := l.take(int(l.burst)); d != 0 {
		t.Errorf("a full bucket made the first burst wait %s", d)
	}
	if d := l.take(500); d != 500*time.Millisecond {
		t.Errorf("500 bytes of debt at 1000 B/s: wait %s, want 500ms", d)
	}
	clk.t = clk.t.Add(time.Hour) // idle: the bucket refills, but only to its size
	if d := l.take(int(l.burst)); d != 0 {
		t.Errorf("after an idle hour: wait %s", d)
	}
	if d := l.take(1000); d != time.Second {
		t.Errorf("the idle hour was saved up beyond the burst: wait %s", d)
	}
}

func TestBWLimiterContext(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1e9, 0)}
	l := newBWLimiter(1000, clk.now, clk.sleep)
	ctx, cancel := context.WithCancel(t.Context())
	r := l.reader(ctx, bytes.NewReader(make([]byte, 1<<20)))
	buf := make([]byte, 4096)
	if _, err := r.Read(buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := io.Copy(io.Discard, r); !errors.Is(err, context.Canceled) {
		t.Errorf("after cancel: %v", err)
	}
	if newBWLimiter(0, clk.now, clk.sleep) != nil {
		t.Errorf("rate 0 is a limit")
	}
	src := bytes.NewReader(nil)
	if (*bwLimiter)(nil).reader(ctx, src) != io.Reader(src) {
		t.Errorf("no limit wraps the reader")
	}
}

// TestBandwidthLimitTransfers: the client's uploads and downloads go through its one
// bucket (the fake clock advances by the bytes moved).
func TestBandwidthLimitTransfers(t *testing.T) {
	content := append([]byte("\xff\xd8\xff\xe0"), make([]byte, 300000)...)
	f := newFake(t, func(w http.ResponseWriter, c *fakeCall) {
		if c.Request.Method == http.MethodGet {
			w.Header().Set("Content-Length", strconv.Itoa(len(content)))
			w.Write(content)
			return
		}
		writeXML(w, "<photoid>5</photoid>")
	})
	c, _ := f.client(func(cfg *Config) { cfg.BandwidthLimit = 100 << 10 })
	clk := &fakeClock{t: time.Unix(1e9, 0)}
	c.bw = newBWLimiter(100<<10, clk.now, clk.sleep)
	path, _ := writeTemp(t, "u.jpg", 200000)
	if _, err := uploadFile(t.Context(), c, path, UploadParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Download(t.Context(), f.srv.URL+"/1/2_o.jpg", path+".d", DownloadOptions{}); err != nil {
		t.Fatal(err)
	}
	want := (float64(200000+len(content)) - c.bw.burst) / float64(100<<10)
	if got := clk.slept.Seconds(); got < want-0.001 || got > want+0.1 {
		t.Errorf("slept %.3fs, want %.3fs", got, want)
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		bad  bool
	}{
		{"0", 0, false},
		{"", 0, false},
		{"off", 0, false},
		{"1000", 1000, false},
		{"512k", 512 << 10, false},
		{"512K", 512 << 10, false},
		{"10M", 10 << 20, false},
		{"1.5M", 3 << 19, false},
		{"2g", 2 << 30, false},
		{"100b", 100, false},
		{"-1", 0, true},
		{"10X", 0, true},
		{"M", 0, true},
		{"nan", 0, true},
		{"1e30", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseRate(tc.in)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("ParseRate(%q) = %d, %v", tc.in, got, err)
		}
	}
}
