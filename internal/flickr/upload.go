package flickr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/api"
	"github.com/flickrsync/flickrsync/internal/oauth1"
	"github.com/flickrsync/flickrsync/internal/ui"
)

// UploadParams are the arguments of an upload besides the file.
type UploadParams struct {
	Title       string // "" leaves Flickr's default (the file name)
	Description string
	Tags        string // space-separated, multi-word tags double-quoted
	IsPublic    bool   // the three flags are always sent (0 or 1)
	IsFriend    bool
	IsFamily    bool
	// SafetyLevel is 1 safe, 2 moderate, 3 restricted; ContentType 1 photo, 2 screenshot,
	// 3 other; Hidden 1 shown in public searches, 2 hidden from them. 0 sends nothing:
	// the account's default.
	SafetyLevel, ContentType, Hidden int
	Filename                         string // the file name sent in the multipart body; default "photo"
	// Progress, if set, is called as the file's bytes are sent: done of total (from the
	// goroutine feeding the request body). A retried upload starts again from 0.
	Progress func(done, total int64)
}

// Opener opens the bytes of one attempt of an upload: a reader and its exact length. It
// is called again for every retry, so it can refuse one (an error ends the upload).
type Opener func() (io.ReadCloser, int64, error)

// UploadFrom uploads the bytes open gives, calling it once per attempt, and returns the
// new photo's id. The upload is synchronous (async=0): Flickr answers with the id. The
// request's last bytes (the end of the multipart body) are sent only after the reader
// returned io.EOF, so a reader that checks what it read (a content hash, the file's size
// and time) and returns an error instead of io.EOF stops the upload before Flickr can
// create a photo. An error from open or from the reader ends the upload, wrapped,
// without retry and without ErrUploadAmbiguous. An error wrapping ErrUploadAmbiguous
// means the photo may exist on Flickr even though no usable answer came back.
func (c *Client) UploadFrom(ctx context.Context, open Opener, p UploadParams) (string, error) {
	if p.Filename == "" {
		p.Filename = "photo"
	}
	return c.send(ctx, "upload", c.uploadURL, p.fields(), p.Filename, open, p.Progress)
}

// shownName is a file name as messages show it: a name from the disk or from Flickr is
// not obeyed by a terminal.
func shownName(name string) string { return ui.Printable(name) }

// ErrSourceChanged is what an upload wraps when its source gave another number of bytes
// than it announced.
var ErrSourceChanged = errors.New("the file changed while it was uploaded")

func (p *UploadParams) fields() url.Values {
	f := url.Values{
		"is_public": {boolString(p.IsPublic)},
		"is_friend": {boolString(p.IsFriend)},
		"is_family": {boolString(p.IsFamily)},
		"async":     {"0"},
	}
	if p.Title != "" {
		f.Set("title", p.Title)
	}
	if p.Description != "" {
		f.Set("description", p.Description)
	}
	if p.Tags != "" {
		f.Set("tags", p.Tags)
	}
	for k, v := range map[string]int{"safety_level": p.SafetyLevel, "content_type": p.ContentType, "hidden": p.Hidden} {
		if v != 0 {
			f.Set(k, strconv.Itoa(v))
		}
	}
	return f
}

// ReplaceFrom replaces the original of the token owner's photo photoID with the bytes
// open gives (photos.replace, synchronous): the photo keeps its id, title, tags, sets,
// comments and favourites. Only a Pro account may (Flickr's error 1), never for a video
// (error 8). open and its reader follow UploadFrom's rules; an error wrapping
// ErrUploadAmbiguous means the photo may have been replaced: replacing it again with the
// same bytes is harmless. filename and progress as in UploadParams.
func (c *Client) ReplaceFrom(ctx context.Context, photoID string, open Opener, filename string, progress func(done, total int64)) error {
	if !isID(photoID) {
		return fmt.Errorf("replace: photo id %q is not a Flickr id", cleanText(photoID, 40))
	}
	if filename == "" {
		filename = "photo"
	}
	fields := url.Values{"photo_id": {photoID}, "async": {"0"}}
	id, err := c.send(ctx, "replace", c.replaceURL, fields, filename, open, progress)
	if err != nil {
		return err
	}
	if id != photoID {
		return fmt.Errorf("replace %s: %w: Flickr answered for photo %s", shownName(filename), ErrBadResponse, id)
	}
	return nil
}

func boolString(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// send performs an upload: every field but the file is signed (the OAuth
// parameters travel in the Authorization header), the multipart body is produced through
// an io.Pipe while the transport sends it, with an exact Content-Length.
func (c *Client) send(ctx context.Context, kind, endpoint string, fields url.Values, filename string, open Opener, progress func(done, total int64)) (string, error) {
	var res string
	err := c.do(ctx, kind, doOpts{}, func(ctx context.Context, n int) error {
		r, err := c.sendOnce(ctx, kind, endpoint, fields, filename, open, progress, n)
		if err == nil {
			res = r
		}
		return err
	})
	return res, err
}

// errRequestEnded stops an upload's body producer once the request is over.
var errRequestEnded = errors.New("request ended")

// errStalled cancels an upload or download that made no progress for too long.
var errStalled = errors.New("no progress: timed out")

func (c *Client) sendOnce(ctx context.Context, kind, endpoint string, fields url.Values, name string, open Opener, progress func(done, total int64), attempt int) (string, error) {
	filename := shownName(name)
	src, size, err := open()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", kind, filename, err)
	}
	defer src.Close()

	boundary := multipart.NewWriter(io.Discard).Boundary()
	head, err := multipartHead(boundary, fields, filename) // no control character in a part header
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", kind, filename, err)
	}
	tail := "\r\n--" + boundary + "--\r\n"

	// The watchdog cancels the attempt when no byte moved for UploadIdleTimeout, and
	// bounds the wait for the answer by Timeout once the body is sent.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	watchdog := time.AfterFunc(c.cfg.UploadIdleTimeout, func() { cancel(errStalled) })
	defer watchdog.Stop()

	// The body: the head, the source's bytes, then the tail, written only once the source
	// ended cleanly (so a source error leaves the request incomplete). srcErr is the
	// source's own failure, read after done is closed.
	pr, pw := io.Pipe()
	done := make(chan struct{})
	var srcErr error
	go func() {
		defer close(done)
		_, err := io.WriteString(pw, head)
		if err == nil {
			sr := &sourceReader{r: src}
			cr := &countingReader{r: c.bw.reader(ctx, sr), total: size, progress: progress,
				kick: func() { watchdog.Reset(c.cfg.UploadIdleTimeout) }}
			var n int64
			n, err = io.Copy(pw, cr)
			switch {
			case sr.err != nil:
				srcErr = sr.err
			case err == nil && n != size:
				srcErr = fmt.Errorf("%w: %d bytes, expected %d", ErrSourceChanged, n, size)
				err = srcErr
			}
		}
		if err == nil {
			_, err = io.WriteString(pw, tail)
		}
		pw.CloseWithError(err)
	}()
	stopBody := func() {
		// The producer may be reading the source or waiting for the bandwidth limit:
		// both end with the pipe closed and the attempt's context cancelled.
		pr.CloseWithError(errRequestEnded)
		cancel(errRequestEnded)
		<-done
	}
	defer stopBody()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, pr)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", kind, filename, err)
	}
	req.ContentLength = int64(len(head)) + size + int64(len(tail))
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	req.Header.Set("Authorization", c.signer.AuthorizationHeader(http.MethodPost, endpoint, fields, oauth1.Extra{}))
	req.Header.Set("User-Agent", UserAgent)
	var sent atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) {
			if i.Err == nil {
				sent.Store(true)
				watchdog.Reset(c.cfg.Timeout)
			}
		},
	}))

	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		err = transportErr(err)
		stopBody()
		if srcErr != nil {
			// The request was cut short by its source: nothing to retry, nothing created.
			c.debugf("%s %s attempt %d: source failed: %v", kind, filename, attempt, srcErr)
			return "", fmt.Errorf("%s %s: read the file: %w", kind, filename, srcErr)
		}
		if cause := context.Cause(ctx); errors.Is(cause, errStalled) {
			err = fmt.Errorf("%w (%v)", errStalled, err)
		}
		c.debugf("%s %s attempt %d: %v (request sent: %v)", kind, filename, attempt, err, sent.Load())
		if sent.Load() {
			return "", fmt.Errorf("%s %s: %w: %w", kind, filename, ErrUploadAmbiguous, err)
		}
		return "", &netError{err: fmt.Errorf("%s %s: %w", kind, filename, err)}
	}
	defer resp.Body.Close()
	body, err := readAnswer(resp, api.MaxXMLBytes)
	if err != nil {
		return "", fmt.Errorf("%s %s: read the answer: %w: %w", kind, filename, ErrUploadAmbiguous, err)
	}
	c.debugf("%s %s attempt %d: HTTP %d after %s, %d bytes sent", kind, filename, attempt, resp.StatusCode,
		time.Since(start).Round(time.Millisecond), req.ContentLength)
	if resp.StatusCode == http.StatusGatewayTimeout && sent.Load() {
		return "", fmt.Errorf("%s %s: HTTP 504 from a gateway: %w", kind, filename, ErrUploadAmbiguous)
	}
	id, err := uploadAnswer(ctx, resp.StatusCode, resp.Header, body)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", kind, filename, err)
	}
	return id, nil
}

// uploadAnswer reads the answer to an upload whose request Flickr took whole: the new
// photo's id, or a typed error. An answer that is not Flickr's (malformed, a ticket
// though async=0 was sent, an id that is not one) may hide a stored photo: its error
// wraps ErrUploadAmbiguous.
func uploadAnswer(ctx context.Context, status int, h http.Header, body []byte) (string, error) {
	var r api.UploadResponse
	err := decodeResponse(ctx, "upload", status, h, body, &r, api.DefaultLimits)
	if errors.Is(err, ErrBadResponse) {
		return "", fmt.Errorf("%w: %w", ErrUploadAmbiguous, err)
	}
	if err != nil {
		return "", err
	}
	id := strings.TrimSpace(string(r.PhotoID.ID))
	if !isID(id) {
		return "", fmt.Errorf("%w: %w", ErrUploadAmbiguous, badValue("photo id", id))
	}
	return id, nil
}

// multipartHead renders the form fields (sorted) and the photo part's header.
func multipartHead(boundary string, fields url.Values, filename string) (string, error) {
	var b strings.Builder
	mw := multipart.NewWriter(&b)
	if err := mw.SetBoundary(boundary); err != nil {
		return "", err
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range fields[k] {
			if err := mw.WriteField(k, v); err != nil {
				return "", err
			}
		}
	}
	if _, err := mw.CreateFormFile("photo", filename); err != nil {
		return "", err
	}
	return b.String(), nil
}

// sourceReader keeps the error of the upload's source (not io.EOF), to tell it from the
// transport's errors.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// countingReader reports progress, feeds the watchdog and, when set, count, as the
// bytes are read.
type countingReader struct {
	r        io.Reader
	n, total int64
	progress func(done, total int64)
	kick     func()
	count    func(n int)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.n += int64(n)
		c.kick()
		if c.count != nil {
			c.count(n)
		}
		if c.progress != nil {
			c.progress(c.n, c.total)
		}
	}
	return n, err
}
