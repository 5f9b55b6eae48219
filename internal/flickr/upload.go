package flickr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/api"
	"github.com/flickrsync/flickrsync/internal/oauth1"
)

// UploadParams are the arguments of an upload besides the file.
type UploadParams struct {
	Title       string // "" leaves Flickr's default (the file name)
	Description string
	Tags        string // space-separated; e.g. SignatureTag(hex), or JoinTags(...)
	IsPublic    bool   // the three flags are always sent (0 or 1)
	IsFriend    bool
	IsFamily    bool
	Async       bool   // answer with a ticket id at once; poll CheckTickets
	Filename    string // the file name sent in the multipart body; default: the path's base
	// Progress, if set, is called as the file's bytes are sent: done of total (from the
	// goroutine feeding the request body). A retried upload starts again from 0.
	Progress func(done, total int64)
}

// UploadResult is Flickr's answer to an upload or a replace: a photo id (with secrets
// after a replace) or, for an asynchronous one, a ticket id.
type UploadResult struct {
	PhotoID        string
	Secret         string
	OriginalSecret string
	TicketID       string
}

// UploadFile uploads the file at path. The file is streamed, never read whole into
// memory, and reopened for each attempt. An error wrapping ErrUploadAmbiguous means the
// photo may exist on Flickr even though no answer came back.
//
// A file that changes while it is sent (its size or modification time differ when it is
// reopened for a retry or once its last byte was read) ends the upload with an error
// wrapping ErrSourceChanged, before the request is complete: Flickr creates no photo
// of it, and the upload is not retried.
func (c *Client) UploadFile(ctx context.Context, path string, p UploadParams) (UploadResult, error) {
	if p.Filename == "" {
		p.Filename = filepath.Base(path)
	}
	return c.send(ctx, "upload", c.uploadURL, p.fields(), p.Filename, fileOpener(path), true, p.Progress)
}

// Opener opens the bytes of one attempt of an upload: a reader and its exact length. It
// is called again for every retry, so it can refuse one (an error ends the upload).
type Opener func() (io.ReadCloser, int64, error)

// UploadFrom uploads the bytes open gives, calling it once per attempt. The request's
// last bytes (the end of the multipart body) are sent only after the reader returned
// io.EOF, so a reader that checks what it read (a content hash, the file's size and
// time) and returns an error instead of io.EOF stops the upload before Flickr can create
// a photo. An error from open or from the reader ends the upload, wrapped, without retry
// and without ErrUploadAmbiguous.
func (c *Client) UploadFrom(ctx context.Context, open Opener, p UploadParams) (UploadResult, error) {
	if p.Filename == "" {
		p.Filename = "photo"
	}
	return c.send(ctx, "upload", c.uploadURL, p.fields(), p.Filename, open, true, p.Progress)
}

// ErrSourceChanged is what an upload of a file wraps when the file changed while it was
// sent (see UploadFile).
var ErrSourceChanged = errors.New("the file changed while it was uploaded")

// Upload uploads size bytes read from r. When r is an io.Seeker a failed attempt is
// repeated from r's offset at the call; otherwise the upload is tried once.
func (c *Client) Upload(ctx context.Context, r io.Reader, size int64, p UploadParams) (UploadResult, error) {
	if p.Filename == "" {
		p.Filename = "photo"
	}
	open, rewindable := readerOpener(r, size)
	return c.send(ctx, "upload", c.uploadURL, p.fields(), p.Filename, open, rewindable, p.Progress)
}

// ReplaceFile replaces the image of an existing photo with the file at path.
func (c *Client) ReplaceFile(ctx context.Context, photoID, path string, async bool, progress func(done, total int64)) (UploadResult, error) {
	fields := url.Values{"photo_id": {photoID}, "async": {boolString(async)}}
	return c.send(ctx, "replace", c.replaceURL, fields, filepath.Base(path), fileOpener(path), true, progress)
}

func (p *UploadParams) fields() url.Values {
	f := url.Values{
		"is_public": {boolString(p.IsPublic)},
		"is_friend": {boolString(p.IsFriend)},
		"is_family": {boolString(p.IsFamily)},
		"async":     {boolString(p.Async)},
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
	return f
}

func boolString(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

type opener = Opener

// fileOpener opens path for each attempt; the file must keep the size and modification
// time it had at the first opening, before, during and after every attempt.
func fileOpener(path string) opener {
	var first fs.FileInfo
	return func() (io.ReadCloser, int64, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, 0, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, err
		}
		if !st.Mode().IsRegular() {
			f.Close()
			return nil, 0, fmt.Errorf("%s: not a regular file", path)
		}
		if first == nil {
			first = st
		} else if !sameFile(first, st) {
			f.Close()
			return nil, 0, fmt.Errorf("%s: %w (before a retry)", path, ErrSourceChanged)
		}
		return &checkedFile{f: f, want: st}, st.Size(), nil
	}
}

// sameFile reports whether two stats of a file show the same size and modification time.
func sameFile(a, b fs.FileInfo) bool {
	return a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// checkedFile reads a file and, at its end, checks it still has the size and time it
// had when opened; if not, the read ends with ErrSourceChanged instead of io.EOF.
type checkedFile struct {
	f    *os.File
	want fs.FileInfo
}

func (c *checkedFile) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	if err == io.EOF {
		st, serr := c.f.Stat()
		if serr != nil {
			return n, serr
		}
		if !sameFile(c.want, st) {
			return n, fmt.Errorf("%s: %w", c.f.Name(), ErrSourceChanged)
		}
	}
	return n, err
}

func (c *checkedFile) Close() error { return c.f.Close() }

func readerOpener(r io.Reader, size int64) (opener, bool) {
	seeker, rewindable := r.(io.Seeker)
	var start int64
	if rewindable {
		var err error
		if start, err = seeker.Seek(0, io.SeekCurrent); err != nil {
			rewindable = false
		}
	}
	first := true
	return func() (io.ReadCloser, int64, error) {
		if !first {
			if _, err := seeker.Seek(start, io.SeekStart); err != nil {
				return nil, 0, err
			}
		}
		first = false
		return io.NopCloser(r), size, nil
	}, rewindable
}

// send performs an upload or a replace: every field but the file is signed (the OAuth
// parameters travel in the Authorization header), the multipart body is produced through
// an io.Pipe while the transport sends it, with an exact Content-Length.
func (c *Client) send(ctx context.Context, kind, endpoint string, fields url.Values, filename string, open opener, rewindable bool, progress func(done, total int64)) (UploadResult, error) {
	var res UploadResult
	err := c.do(ctx, kind, doOpts{noRetry: !rewindable}, func(ctx context.Context, n int) error {
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

func (c *Client) sendOnce(ctx context.Context, kind, endpoint string, fields url.Values, filename string, open opener, progress func(done, total int64), attempt int) (UploadResult, error) {
	src, size, err := open()
	if err != nil {
		return UploadResult{}, fmt.Errorf("%s %s: %w", kind, filename, err)
	}
	defer src.Close()

	boundary := multipart.NewWriter(io.Discard).Boundary()
	head, err := multipartHead(boundary, fields, filename)
	if err != nil {
		return UploadResult{}, fmt.Errorf("%s %s: %w", kind, filename, err)
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
		return UploadResult{}, fmt.Errorf("%s %s: %w", kind, filename, err)
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
		stopBody()
		if srcErr != nil {
			// The request was cut short by its source: nothing to retry, nothing created.
			c.debugf("%s %s attempt %d: source failed: %v", kind, filename, attempt, srcErr)
			return UploadResult{}, fmt.Errorf("%s %s: read the file: %w", kind, filename, srcErr)
		}
		if cause := context.Cause(ctx); errors.Is(cause, errStalled) {
			err = fmt.Errorf("%w (%v)", errStalled, err)
		}
		c.debugf("%s %s attempt %d: %v (request sent: %v)", kind, filename, attempt, err, sent.Load())
		if sent.Load() {
			return UploadResult{}, fmt.Errorf("%s %s: %w: %w", kind, filename, ErrUploadAmbiguous, err)
		}
		return UploadResult{}, &netError{err: fmt.Errorf("%s %s: %w", kind, filename, err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return UploadResult{}, fmt.Errorf("%s %s: read answer: %w: %w", kind, filename, ErrUploadAmbiguous, err)
	}
	c.debugf("%s %s attempt %d: HTTP %d after %s, %d bytes sent", kind, filename, attempt, resp.StatusCode,
		time.Since(start).Round(time.Millisecond), req.ContentLength)
	if resp.StatusCode == http.StatusGatewayTimeout && sent.Load() {
		return UploadResult{}, fmt.Errorf("%s %s: HTTP 504 from a gateway: %w", kind, filename, ErrUploadAmbiguous)
	}
	var r api.UploadResponse
	if err := decodeResponse(kind, resp.StatusCode, resp.Header, body, &r); err != nil {
		return UploadResult{}, fmt.Errorf("%s %s: %w", kind, filename, err)
	}
	res := UploadResult{PhotoID: string(r.PhotoID.ID), Secret: string(r.PhotoID.Secret),
		OriginalSecret: string(r.PhotoID.OriginalSecret), TicketID: string(r.TicketID)}
	if res.PhotoID == "" && res.TicketID == "" {
		return UploadResult{}, fmt.Errorf("%s %s: answer has neither photoid nor ticketid: %w", kind, filename, ErrBadResponse)
	}
	return res, nil
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

// countingReader reports progress and feeds the watchdog as the file is read.
type countingReader struct {
	r        io.Reader
	n, total int64
	progress func(done, total int64)
	kick     func()
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.n += int64(n)
		c.kick()
		if c.progress != nil {
			c.progress(c.n, c.total)
		}
	}
	return n, err
}

// Ticket is the state of one asynchronous upload.
type Ticket struct {
	ID       string
	Complete int    // TicketPending, TicketComplete or TicketFailed
	PhotoID  string // set when Complete == TicketComplete
	Invalid  bool   // Flickr does not know the ticket
}

// Ticket states.
const (
	TicketPending  = 0
	TicketComplete = 1
	TicketFailed   = 2
)

// CheckTickets asks flickr.photos.upload.checkTickets for the state of tickets.
func (c *Client) CheckTickets(ctx context.Context, ids []string) ([]Ticket, error) {
	var r api.TicketsResponse
	if err := c.call(ctx, "flickr.photos.upload.checkTickets", url.Values{"tickets": {strings.Join(ids, ",")}}, &r); err != nil {
		return nil, err
	}
	out := make([]Ticket, 0, len(r.Uploader.Ticket))
	for _, t := range r.Uploader.Ticket {
		out = append(out, Ticket{ID: string(t.ID), Complete: int(t.Complete), PhotoID: string(t.PhotoID), Invalid: t.Invalid != 0})
	}
	return out, nil
}
