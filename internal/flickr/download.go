package flickr

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/flickrsync/flickrsync/internal/names"
)

// Download fetches rawURL (a photo's url_o) into destPath and returns its size. The bytes
// go to a temporary file beside the destination (same folder, named
// .flickrsync-<16 hex digits>.part, see names.IsPartName), which is synced and renamed into place
// only when complete and removed on any failure; only a killed process leaves one behind,
// and callers sweep those (the pattern is theirs to recognise). destPath's folder must
// exist. An existing destPath is never overwritten: the error then wraps fs.ErrExist.
// progress, if set, gets done of total bytes (total -1 when unknown).
//
// A body that is not an image (an HTML or XML error page served with HTTP 200, as
// Flickr's CDN does at times) is refused before anything is written, as a temporary
// error (retried): the error wraps ErrNotImage.
//
// With Config.BaseURL set, URLs on Flickr's own hosts (*.flickr.com, *.staticflickr.com)
// are fetched from that base instead, same path.
func (c *Client) Download(ctx context.Context, rawURL, destPath string, progress func(done, total int64)) (int64, error) {
	u, err := c.downloadURL(rawURL)
	if err != nil {
		return 0, fmt.Errorf("download %s: %w", rawURL, err)
	}
	var size int64
	err = c.do(ctx, "download", doOpts{noPace: true}, func(ctx context.Context, n int) error {
		s, err := c.downloadOnce(ctx, u, destPath, progress, n)
		size = s
		return err
	})
	return size, err
}

func (c *Client) downloadURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("not an http(s) URL")
	}
	if c.downloadBase != nil {
		h := strings.ToLower(u.Hostname())
		if h == "flickr.com" || strings.HasSuffix(h, ".flickr.com") || h == "staticflickr.com" || strings.HasSuffix(h, ".staticflickr.com") {
			u.Scheme = c.downloadBase.Scheme
			u.Host = c.downloadBase.Host
			u.Path = strings.TrimRight(c.downloadBase.Path, "/") + u.Path
			u.RawPath = ""
		}
	}
	return u.String(), nil
}

func (c *Client) downloadOnce(ctx context.Context, rawURL, dest string, progress func(done, total int64), attempt int) (int64, error) {
	if _, err := os.Lstat(dest); err == nil {
		return 0, fmt.Errorf("download %s: %w", dest, fs.ErrExist)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	watchdog := time.AfterFunc(c.cfg.Timeout, func() { cancel(errStalled) })
	defer watchdog.Stop()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return 0, fmt.Errorf("download %s: %w", dest, err)
	}
	req.Header.Set("User-Agent", UserAgent)
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, &netError{err: fmt.Errorf("download %s: %w", dest, stallCause(ctx, err))}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		c.debugf("download %s attempt %d: HTTP %d", dest, attempt, resp.StatusCode)
		return 0, fmt.Errorf("download %s: %w", dest,
			&HTTPError{Status: resp.StatusCode, Method: "download", RetryAfter: retryAfter(resp.Header), Snippet: snippet(body)})
	}

	body := bufio.NewReaderSize(resp.Body, 512)
	head, _ := body.Peek(sniffLen)
	if !looksLikeImage(head) {
		head, _ = body.Peek(min(body.Buffered(), 80)) // for the message
		c.debugf("download %s attempt %d: not an image (Content-Type %q)", dest, attempt, resp.Header.Get("Content-Type"))
		return 0, &netError{err: fmt.Errorf("download %s: %w (Content-Type %q, body %q)", dest, ErrNotImage,
			resp.Header.Get("Content-Type"), snippet(head))}
	}

	tmp, tmpName, err := createPart(dest)
	if err != nil {
		return 0, fmt.Errorf("download %s: %w", dest, err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	watchdog.Reset(c.cfg.UploadIdleTimeout)
	cr := &countingReader{r: c.bw.reader(ctx, body), total: resp.ContentLength, progress: progress,
		kick: func() { watchdog.Reset(c.cfg.UploadIdleTimeout) }}
	n, err := io.Copy(tmp, cr)
	if err != nil {
		if errors.Is(err, fs.ErrClosed) || isWriteErr(err, tmp) {
			return n, fmt.Errorf("download %s: %w", dest, err)
		}
		return n, &netError{err: fmt.Errorf("download %s: %w", dest, stallCause(ctx, err))}
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return n, &netError{err: fmt.Errorf("download %s: got %d of %d bytes: %w", dest, n, resp.ContentLength, io.ErrUnexpectedEOF)}
	}
	if err := tmp.Sync(); err != nil {
		return n, fmt.Errorf("download %s: sync: %w", dest, err)
	}
	if err := tmp.Close(); err != nil {
		return n, fmt.Errorf("download %s: %w", dest, err)
	}
	if err := placeNoReplace(tmpName, dest); err != nil {
		return n, fmt.Errorf("download %s: %w", dest, err)
	}
	ok = true
	syncDir(filepath.Dir(dest))
	c.debugf("download %s attempt %d: %d bytes in %s", dest, attempt, n, time.Since(start).Round(time.Millisecond))
	return n, nil
}

// stallCause reports a watchdog cancellation as errStalled rather than "context canceled"
// (which would stop the retries).
func stallCause(ctx context.Context, err error) error {
	if errors.Is(context.Cause(ctx), errStalled) {
		return fmt.Errorf("%w (%v)", errStalled, err)
	}
	return err
}

// isWriteErr reports whether err came from writing the local file (not retryable).
func isWriteErr(err error, f *os.File) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Path == f.Name()
}

// createPart creates a temporary file beside dest, named by names.PartName (the pattern
// the sync sweeps after a kill, names.IsPartName).
func createPart(dest string) (*os.File, string, error) {
	dir := filepath.Dir(dest)
	for range 10 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		name := filepath.Join(dir, names.PartName(b))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, name, err
	}
	return nil, "", fmt.Errorf("create temporary file beside %s: %w", dest, fs.ErrExist)
}

// placeNoReplace moves tmp to dest unless dest exists. A hard link fails atomically when
// dest exists; where links are not supported, check then rename.
func placeNoReplace(tmp, dest string) error {
	err := os.Link(tmp, dest)
	if err == nil {
		os.Remove(tmp)
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s: %w", dest, fs.ErrExist)
	}
	if _, serr := os.Lstat(dest); serr == nil {
		return fmt.Errorf("%s: %w", dest, fs.ErrExist)
	}
	return os.Rename(tmp, dest)
}

func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// ErrNotImage is what a download wraps when the server's answer is not an image.
var ErrNotImage = errors.New("the answer is not an image")

// sniffLen is how many bytes of a download are looked at before it is accepted.
const sniffLen = 12

// looksLikeImage reports whether a body starts like an image file Flickr may keep as an
// original: JPEG, PNG, GIF (the formats flickrsync syncs), and TIFF, WebP, HEIF/AVIF, BMP.
// Error pages (HTML, XML, JSON, text) start with none of these.
func looksLikeImage(h []byte) bool {
	switch {
	case bytes.HasPrefix(h, []byte("\xff\xd8\xff")),
		bytes.HasPrefix(h, []byte("\x89PNG\r\n\x1a\n")),
		len(h) >= 4 && bytes.EqualFold(h[:4], []byte("GIF8")),
		bytes.HasPrefix(h, []byte("II*\x00")), bytes.HasPrefix(h, []byte("MM\x00*")),
		len(h) >= 12 && bytes.Equal(h[:4], []byte("RIFF")) && bytes.Equal(h[8:12], []byte("WEBP")),
		len(h) >= 12 && bytes.Equal(h[4:8], []byte("ftyp")),
		bytes.HasPrefix(h, []byte("BM")) && len(h) >= 6:
		return true
	}
	return false
}
