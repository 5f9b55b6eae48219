package flickr

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The hostile cases of issue 11 as benchmarks, one hostile answer per run, for
// scripts/bench-hostile.sh, which runs each in its own process and reads its peak RSS.
// Each logs what the client made of it.

// benchList lists people.getPhotos from a server answering page(n) and logs the outcome.
func benchList(b *testing.B, page func(n int) []byte) {
	h, c := newHostile(b, nil, func(cfg *Config) { cfg.MaxAttempts = 1 })
	h.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.requests.Add(1)
		r.ParseForm()
		var n int
		fmt.Sscan(r.Form.Get("page"), &n)
		w.Write(page(n))
	})
	for b.Loop() {
		h.requests.Store(0)
		start := time.Now()
		photos := 0
		err := c.WalkPeoplePhotos(b.Context(), ListOptions{}, func(p PhotoPage) error { photos += len(p.Photos); return nil })
		b.Logf("%d requests, %d photos handed over in %s; error: %v", h.requests.Load(), photos, time.Since(start).Round(time.Millisecond), err)
	}
}

// BenchmarkHostileEmptyPhotos: 8 MB of "photo":[{},{},...] (before: 3.1 GB, 17 s).
func BenchmarkHostileEmptyPhotos(b *testing.B) {
	body := emptyPhotosPage(8 << 20)
	benchList(b, func(int) []byte { return body })
}

// BenchmarkHostileNestedContent: 1.3 MB of titles nested 9000 deep (before: 812 MB, 63 s).
func BenchmarkHostileNestedContent(b *testing.B) {
	body := nestedTitlesPage(1300<<10, 9000)
	benchList(b, func(int) []byte { return body })
}

// BenchmarkHostileLargestPage: the costliest page the checks let through: 500 photos of
// 64 KiB, each a run of {"_content":...} titles (31 MB).
func BenchmarkHostileLargestPage(b *testing.B) {
	photo := `{"id":"1"` + strings.Repeat(`,"title":{"_content":"x"}`, (64<<10-20)/25) + `}`
	ps := make([]string, 500)
	for i := range ps {
		ps[i] = strings.Replace(photo, `"id":"1"`, fmt.Sprintf(`"id":"%d"`, i+1), 1)
	}
	body := []byte(pageJSON(1, 1, ps...))
	benchList(b, func(int) []byte { return body })
}

// BenchmarkHostileRepeatedPages: pages=1e9, the same page every time (before: never
// ended).
func BenchmarkHostileRepeatedPages(b *testing.B) {
	body := []byte(pageJSON(1, 1e9, freshPhotos(1, 500)...))
	benchList(b, func(n int) []byte {
		return bytes.Replace(body, []byte(`"page":1,`), fmt.Appendf(nil, `"page":%d,`, n), 1)
	})
}

// BenchmarkHostileFreshPages: pages=1e9, 500 new photos on every page (before: 2389
// pages, 1.19 million photos in 10 s, no end).
func BenchmarkHostileFreshPages(b *testing.B) {
	benchList(b, func(n int) []byte { return []byte(pageJSON(n, 1e9, freshPhotos(500*n, 500)...)) })
}

// benchDownload downloads from a server answering serve, with the client's real bounds.
func benchDownload(b *testing.B, maxBytes int64, serve http.HandlerFunc) {
	_, c := newHostile(b, serve, func(cfg *Config) { cfg.MaxAttempts = 1 })
	for b.Loop() {
		dir := b.TempDir()
		start := time.Now()
		n, err := c.Download(b.Context(), "https://live.staticflickr.com/1/2_o.jpg", filepath.Join(dir, "2.jpg"), DownloadOptions{MaxBytes: maxBytes})
		left, _ := filepath.Glob(filepath.Join(dir, "*"))
		b.Logf("%d bytes in %s, %d files left; error: %v", n, time.Since(start).Round(time.Millisecond), len(left), err)
	}
}

// BenchmarkHostileEndlessDownload: an original that never ends, against the emulator's
// (and a free account's) photo limit of 200 MiB (before: 3.5 GB in 15 s, no end).
func BenchmarkHostileEndlessDownload(b *testing.B) {
	benchDownload(b, 200<<20, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(jpegHead))
		buf := make([]byte, 1<<20)
		for {
			if _, err := w.Write(buf); err != nil {
				return
			}
		}
	})
}

// BenchmarkHostileTrickle: 1 byte every 30 s (before: never ended); ends at the
// minute's grace.
func BenchmarkHostileTrickle(b *testing.B) {
	benchDownload(b, 0, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(jpegHead))
		for {
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(30 * time.Second):
			}
			if _, err := io.WriteString(w, "x"); err != nil {
				return
			}
		}
	})
}
