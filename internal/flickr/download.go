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
	"sync/atomic"
	"time"

	"github.com/flickrsync/flickrsync/internal/names"
)

// The bounds of a download (see doc.go).
const (
	// DefaultMaxDownload caps a download whose caller does not know the account's
	// upload limit (PeopleGetLimits): Flickr's largest upload, a video (1 GB, MEDIA.md).
	DefaultMaxDownload = 1 << 30
	// downloadMinRate and downloadGrace set a download's deadline: it must average
	// 16 KiB/s (128 kbit/s) once it has had a minute, time spent in the client's own
	// bandwidth limit not counted; 200 MB may take 3.5 hours, 1 byte every 30 s dies
	// at the minute.
	downloadMinRate = 16 << 10
	downloadGrace   = time.Minute
	// diskReserve is the free space a download leaves at its destination (a 64th of a
	// smaller disk), checked before and every diskCheckEvery bytes while it is written.
	diskReserve    = 64 << 20
	diskCheckEvery = 16 << 20
)

// DownloadOptions bound and report one download.
type DownloadOptions struct {
	// MaxBytes refuses a larger original (by its Content-Length before anything is
	// written, else once that many bytes arrived); 0 means DefaultMaxDownload.
	MaxBytes int64
	// Progress, if set, gets done of total bytes (total -1 when unknown).
	Progress func(done, total int64)
}

// Download fetches rawURL (a photo's url_o) into destPath and returns its size. The bytes
// go to a temporary file beside the destination (same folder, named
// .flickrsync-<16 hex digits>.part, see names.IsPartName), which is synced and renamed into place
// only when complete and removed on any failure; only a killed process leaves one behind,
// and callers sweep those (the pattern is theirs to recognise). destPath's folder must
// exist. An existing destPath is never overwritten: the error then wraps fs.ErrExist.
//
// Only Flickr's photo servers are asked (see allowHost), redirects only among them; with
// Config.BaseURL set, URLs on those hosts are fetched from that base instead, same path.
// A body that is not an image (an HTML or XML error page served with HTTP 200, as
// Flickr's CDN does at times) is refused before anything is written, as a temporary
// error (retried): the error wraps ErrNotImage. A body cut short is refused (retried)
// wherever HTTP tells (a Content-Length, chunked encoding, HTTP/2); a body whose length
// HTTP does not give (HTTP/1 ended by closing the connection) must end as a JPEG, PNG or
// GIF ends, and in other formats a truncation is left to the caller's decoding.
func (c *Client) Download(ctx context.Context, rawURL, destPath string, o DownloadOptions) (int64, error) {
	_, size, err := c.download(ctx, rawURL, destPath, o, false)
	return size, err
}

// DownloadVideo is Download for a video's original (VideoOriginal's URL, which redirects
// to the file): the file's extension is taken from the last URL the answer came from
// (".../orig.mov?s=..." gives .mov), replacing destPath's, when it is a plain short word.
// It returns the path written and its size.
func (c *Client) DownloadVideo(ctx context.Context, rawURL, destPath string, o DownloadOptions) (string, int64, error) {
	return c.download(ctx, rawURL, destPath, o, true)
}

func (c *Client) download(ctx context.Context, rawURL, destPath string, o DownloadOptions, fromRedirect bool) (string, int64, error) {
	u, err := c.downloadURL(rawURL)
	if err != nil {
		return "", 0, fmt.Errorf("download %s: %w", cleanText(rawURL, 120), err)
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxDownload
	}
	var size int64
	path := destPath
	err = c.do(ctx, "download", doOpts{noPace: true}, func(ctx context.Context, n int) error {
		p := destPath
		s, err := c.downloadOnce(ctx, u, &p, o, n, fromRedirect)
		path, size = p, s
		return err
	})
	return path, size, err
}

// extFromURL is the extension of u's last path element, "" unless it is a plain short
// word (letters and digits, at most 5).
func extFromURL(u *url.URL) string {
	name := u.Path[strings.LastIndexByte(u.Path, '/')+1:]
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 {
		return ""
	}
	ext := strings.ToLower(name[dot+1:])
	if len(ext) == 0 || len(ext) > 5 {
		return ""
	}
	for i := 0; i < len(ext); i++ {
		if c := ext[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return ""
		}
	}
	return ext
}

// errHostRefused is what a download from, or a redirect to, a host that is not one of
// Flickr's wraps.
var errHostRefused = errors.New("not one of Flickr's photo hosts")

// allowHost accepts the hosts Flickr serves originals from (API.md §8, MEDIA.md):
// *.staticflickr.com (live., farmN., on the default port), farmN.static.flickr.com (the
// pre-2011 form) and www.flickr.com for a video original (/photos/<user>/<id>/play/orig/
// <secret>/, which redirects to the file); and the configured base URL's host. It says
// whether the URL must be rewritten to the base.
func (c *Client) allowHost(u *url.URL) (rewrite bool, err error) {
	if u.Scheme != "http" && u.Scheme != "https" {
		return false, fmt.Errorf("%q is not an http(s) URL", cleanText(u.Scheme, 20))
	}
	if c.base != nil && strings.EqualFold(u.Host, c.base.Host) {
		return false, nil
	}
	h := strings.ToLower(u.Hostname())
	flickrHost := u.Port() == "" && (strings.HasSuffix(h, ".staticflickr.com") ||
		strings.HasPrefix(h, "farm") && strings.HasSuffix(h, ".static.flickr.com") ||
		h == "www.flickr.com" && isVideoOriginal(u.Path))
	if !flickrHost {
		return false, fmt.Errorf("host %q: %w", cleanText(u.Host, 80), errHostRefused)
	}
	return c.base != nil, nil
}

// isVideoOriginal reports whether path is a video original's: /photos/<user>/<id>/play/orig/<secret>/.
func isVideoOriginal(path string) bool {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	return len(parts) == 6 && parts[0] == "photos" && isID(parts[2]) && parts[3] == "play" && parts[4] == "orig" && isHex(parts[5])
}

// toBase points u at the configured base URL, same path.
func (c *Client) toBase(u *url.URL) {
	u.Scheme = c.base.Scheme
	u.Host = c.base.Host
	u.Path = strings.TrimRight(c.base.Path, "/") + u.Path
	u.RawPath = ""
}

func (c *Client) downloadURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("not a URL")
	}
	rewrite, err := c.allowHost(u)
	if err != nil {
		return "", err
	}
	if rewrite {
		c.toBase(u)
	}
	return u.String(), nil
}

// maxRedirects bounds a download's redirects (a video original takes one).
const maxRedirects = 5

// downloadClient is c.http following redirects only to the hosts allowHost accepts.
func (c *Client) downloadClient() *http.Client {
	dc := *c.http
	dc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return fmt.Errorf("more than %d redirects", maxRedirects)
		}
		rewrite, err := c.allowHost(req.URL)
		if err != nil {
			return fmt.Errorf("redirect refused: %w", err)
		}
		if rewrite {
			c.toBase(req.URL)
		}
		return nil
	}
	return &dc
}

// downloadOnce is one attempt of a download into *pathp, which it changes to the name it
// writes when fromRedirect takes the extension from the answer's URL.
func (c *Client) downloadOnce(ctx context.Context, rawURL string, pathp *string, o DownloadOptions, attempt int, fromRedirect bool) (int64, error) {
	path := *pathp
	dest := shownName(path) // the name may hold a Flickr title
	if _, err := os.Lstat(path); err == nil {
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
	resp, err := c.downloadClient().Do(req)
	if err != nil {
		if errors.Is(err, errHostRefused) {
			return 0, fmt.Errorf("download %s: %w", dest, transportErr(err))
		}
		return 0, &netError{err: fmt.Errorf("download %s: %w", dest, stallCause(ctx, transportErr(err)))}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		c.debugf("download %s attempt %d: HTTP %d", dest, attempt, resp.StatusCode)
		return 0, fmt.Errorf("download %s: %w", dest, newHTTPError(resp.StatusCode, resp.Header, body))
	}
	if ext := extFromURL(resp.Request.URL); fromRedirect && ext != "" {
		path = strings.TrimSuffix(path, filepath.Ext(path)) + "." + ext
		*pathp, dest = path, shownName(path)
		if _, err := os.Lstat(path); err == nil {
			return 0, fmt.Errorf("download %s: %w", dest, fs.ErrExist)
		}
	}
	if resp.ContentLength > o.MaxBytes {
		return 0, fmt.Errorf("download %s: %w: %d bytes, more than the %d the account can upload", dest, errTooLarge, resp.ContentLength, o.MaxBytes)
	}
	dir := filepath.Dir(path)
	if err := c.checkSpace(dir, max(resp.ContentLength, 0)); err != nil {
		return 0, fmt.Errorf("download %s: %w", dest, err)
	}

	// The floor rate counts from the answer's headers: the bytes looked at first too.
	floor := newRateFloor(c.minRate, c.grace, func() { cancel(errTooSlow) })
	defer floor.stop()
	watchdog.Reset(c.cfg.UploadIdleTimeout)
	body := bufio.NewReaderSize(resp.Body, 512)
	head, err := body.Peek(sniffLen)
	if err != nil && err != io.EOF {
		return 0, &netError{err: fmt.Errorf("download %s: %w", dest, stallCause(ctx, err))}
	}
	if !looksLikeMedia(head) {
		c.debugf("download %s attempt %d: not an image (Content-Type %q)", dest, attempt, resp.Header.Get("Content-Type"))
		return 0, &netError{err: fmt.Errorf("download %s: %w (Content-Type %q)", dest, ErrNotImage,
			cleanText(resp.Header.Get("Content-Type"), 40))}
	}
	head = append([]byte(nil), head...)

	tmp, tmpName, err := createPart(path)
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
	cr := &countingReader{r: c.bw.readerWaiting(ctx, body, floor.addWait), total: resp.ContentLength, progress: o.Progress,
		kick: func() { watchdog.Reset(c.cfg.UploadIdleTimeout) }, count: floor.add}
	w := &boundedWriter{f: tmp, dir: dir, max: o.MaxBytes, c: c}
	n, err := io.Copy(w, cr)
	switch {
	case err == nil:
	case errors.Is(err, errTooLarge), errors.Is(err, errNoSpace):
		return n, fmt.Errorf("download %s: %w", dest, err)
	case errors.Is(err, fs.ErrClosed) || isWriteErr(err, tmp):
		return n, fmt.Errorf("download %s: %w", dest, err)
	default:
		return n, &netError{err: fmt.Errorf("download %s: %w", dest, stallCause(ctx, err))}
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return n, &netError{err: fmt.Errorf("download %s: got %d of %d bytes: %w", dest, n, resp.ContentLength, io.ErrUnexpectedEOF)}
	}
	if closeDelimited(resp) {
		if known, complete := endsLikeImage(head, w.tail()); !known {
			c.debugf("download %s attempt %d: no length given: a truncation cannot be told", dest, attempt)
		} else if !complete {
			return n, &netError{err: fmt.Errorf("download %s: %w: the answer gave no length and the file lacks its end", dest, io.ErrUnexpectedEOF)}
		}
	}
	if err := tmp.Sync(); err != nil {
		return n, fmt.Errorf("download %s: sync: %w", dest, err)
	}
	if err := tmp.Close(); err != nil {
		return n, fmt.Errorf("download %s: %w", dest, err)
	}
	if err := placeNoReplace(tmpName, path); err != nil {
		return n, fmt.Errorf("download %s: %w", dest, err)
	}
	ok = true
	syncDir(dir)
	c.debugf("download %s attempt %d: %d bytes in %s", dest, attempt, n, time.Since(start).Round(time.Millisecond))
	return n, nil
}

// closeDelimited reports whether the body's end is only the connection's close, where
// HTTP cannot tell a complete body from a cut one.
func closeDelimited(resp *http.Response) bool {
	return resp.ProtoMajor == 1 && resp.ContentLength < 0 && len(resp.TransferEncoding) == 0
}

// errTooLarge: the original is larger than the download's MaxBytes.
var errTooLarge = errors.New("larger than the account's upload limit")

// errNoSpace: the destination's disk would keep less than diskReserve free.
var errNoSpace = errors.New("not enough free disk space")

// checkSpace refuses a download of need more bytes into dir when its disk would keep
// less than diskReserve, or a 64th of its size when that is less, free. A file system
// that cannot tell is not refused.
func (c *Client) checkSpace(dir string, need int64) error {
	free, total, err := c.diskSpace(dir)
	if err != nil {
		c.debugf("free space of %s: %v", dir, err)
		return nil
	}
	reserve := min(diskReserve, total/64)
	if free-need < reserve {
		return fmt.Errorf("%w in %s: %d bytes free, %d more needed, %d kept free", errNoSpace, dir, free, need, reserve)
	}
	return nil
}

// boundedWriter writes a download's temporary file, refusing bytes beyond max and
// checking the disk's free space every diskCheckEvery bytes; it keeps the last bytes
// written for endsLikeImage.
type boundedWriter struct {
	f     *os.File
	dir   string
	max   int64
	c     *Client
	n     int64
	last  [tailLen]byte
	nlast int
}

const tailLen = 16

func (w *boundedWriter) Write(p []byte) (int, error) {
	if w.n+int64(len(p)) > w.max {
		return 0, fmt.Errorf("%w: more than %d bytes", errTooLarge, w.max)
	}
	if w.n/diskCheckEvery != (w.n+int64(len(p)))/diskCheckEvery {
		if err := w.c.checkSpace(w.dir, int64(len(p))); err != nil {
			return 0, err
		}
	}
	n, err := w.f.Write(p)
	w.n += int64(n)
	w.keep(p[:n])
	return n, err
}

func (w *boundedWriter) keep(p []byte) {
	if len(p) >= tailLen {
		copy(w.last[:], p[len(p)-tailLen:])
		w.nlast = tailLen
		return
	}
	keep := min(w.nlast, tailLen-len(p))
	copy(w.last[:], w.last[w.nlast-keep:w.nlast])
	copy(w.last[keep:], p)
	w.nlast = keep + len(p)
}

func (w *boundedWriter) tail() []byte { return w.last[:w.nlast] }

// endsLikeImage says whether the file's format has a known end (known) and whether its
// last bytes are that end: JPEG's EOI marker (trailing zero padding allowed), PNG's IEND
// chunk, GIF's trailer. A JPEG carrying data after its image (Samsung's trailers, motion
// photos) cannot be told from a cut one this way; only a body HTTP gives no length for
// is asked.
func endsLikeImage(head, tail []byte) (known, complete bool) {
	switch {
	case bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		t := bytes.TrimRight(tail, "\x00")
		return true, bytes.HasSuffix(t, []byte("\xff\xd9"))
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return true, bytes.HasSuffix(tail, []byte("IEND\xaeB`\x82"))
	case len(head) >= 4 && bytes.EqualFold(head[:4], []byte("GIF8")):
		return true, bytes.HasSuffix(tail, []byte(";"))
	}
	return false, false
}

// stallCause reports a watchdog cancellation as errStalled rather than "context canceled"
// (which would stop the retries).
func stallCause(ctx context.Context, err error) error {
	cause := context.Cause(ctx)
	switch {
	case !errors.Is(cause, errStalled) && !errors.Is(cause, errTooSlow):
		return err
	case errors.Is(err, cause):
		return err
	}
	return fmt.Errorf("%w (%v)", cause, err)
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

// ErrNotImage is what a download wraps when the server's answer is not an image (nor a
// video).
var ErrNotImage = errors.New("the answer is not an image")

// sniffLen is how many bytes of a download are looked at before it is accepted (three
// packets of an MPEG transport stream).
const sniffLen = 400

// looksLikeMedia reports whether a body starts like a file Flickr may keep as an
// original: JPEG, PNG, GIF, TIFF, WebP, HEIF/AVIF, BMP, and the videos it takes (MP4, MOV,
// AVI, WMV, MPEG program and transport streams). Error pages (HTML, XML, JSON, text)
// start with none of these.
func looksLikeMedia(h []byte) bool {
	switch {
	case len(h) >= 8 && (string(h[4:8]) == "moov" || string(h[4:8]) == "mdat" || string(h[4:8]) == "wide" ||
		string(h[4:8]) == "free" || string(h[4:8]) == "skip"),
		len(h) >= 12 && bytes.Equal(h[:4], []byte("RIFF")) && bytes.Equal(h[8:12], []byte("AVI ")),
		bytes.HasPrefix(h, []byte("\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c")),
		bytes.HasPrefix(h, []byte("\x00\x00\x01\xba")), bytes.HasPrefix(h, []byte("\x00\x00\x01\xb3")),
		len(h) > 376 && h[0] == 0x47 && h[188] == 0x47 && h[376] == 0x47,
		len(h) > 388 && h[4] == 0x47 && h[196] == 0x47 && h[388] == 0x47:
		return true
	}
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

// errTooSlow cancels a download that fell below the floor rate.
var errTooSlow = errors.New("too slow: below the floor rate")

// rateFloor is a download's deadline, scaled to what arrived: start + grace + done/rate
// + the time spent waiting in the client's own bandwidth limit. Each byte moves it
// 1/rate later; a timer checks it when it is due and ends the download if no byte
// moved it meanwhile.
type rateFloor struct {
	start  time.Time
	rate   float64
	grace  time.Duration
	done   atomic.Int64
	waited atomic.Int64 // nanoseconds
	timer  *time.Timer
	expire func()
}

func newRateFloor(rate float64, grace time.Duration, expire func()) *rateFloor {
	f := &rateFloor{start: time.Now(), rate: rate, grace: grace, expire: expire}
	f.timer = time.AfterFunc(grace, f.check)
	return f
}

func (f *rateFloor) deadline() time.Time {
	earned := time.Duration(float64(f.done.Load()) / f.rate * float64(time.Second))
	return f.start.Add(f.grace + earned + time.Duration(f.waited.Load()))
}

func (f *rateFloor) check() {
	if d := time.Until(f.deadline()); d > 0 {
		f.timer.Reset(d)
		return
	}
	f.expire()
}

func (f *rateFloor) add(n int)               { f.done.Add(int64(n)) }
func (f *rateFloor) addWait(d time.Duration) { f.waited.Add(int64(d)) }
func (f *rateFloor) stop()                   { f.timer.Stop() }
