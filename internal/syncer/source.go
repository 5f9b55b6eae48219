package syncer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sync/atomic"

	"github.com/flickrsync/flickrsync/internal/safeopen"
)

// ErrChanged is what an upload wraps when the picture's file is no longer the bytes the
// catalog indexed: its size or modification time differ before an attempt starts, or the
// bytes sent do not hash to the indexed content hash. Nothing is created on Flickr (the
// request never completes), the journal records the upload as failed, and the next run's
// index sees the new bytes (a new signature) and uploads them.
var ErrChanged = errors.New("changed")

// source is one picture being uploaded, checked against its catalog row: before every
// attempt the file's size and mtime must be the indexed ones (so a retry never sends
// other bytes under the old signature), and the bytes read are hashed as they stream
// (SHA-256, the catalog's content hash): at the end of the file, a hash, size or mtime
// that differs makes the read fail instead of ending, and the Flickr client then never
// sends the end of the request.
type source struct {
	full    string
	l       *Local
	changed atomic.Bool // some attempt saw other bytes than the indexed ones
}

func (s *source) open() (io.ReadCloser, int64, error) {
	f, err := safeopen.Open(s.full)
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
		return nil, 0, fmt.Errorf("%s: not a regular file", s.l.Path)
	}
	if s.l.Hash == "" {
		return f, st.Size(), nil
	}
	if st.Size() != s.l.Size || st.ModTime().UnixNano() != s.l.MtimeNS {
		f.Close()
		s.changed.Store(true)
		return nil, 0, fmt.Errorf("%w since it was indexed (now %d bytes, indexed %d)", ErrChanged, st.Size(), s.l.Size)
	}
	return &checkedReader{f: f, s: s, h: sha256.New()}, s.l.Size, nil
}

// checkedReader hashes what it reads and checks the file at its end.
type checkedReader struct {
	f *os.File
	s *source
	h hash.Hash
	n int64
}

func (c *checkedReader) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	if err != io.EOF {
		return n, err
	}
	st, serr := c.f.Stat()
	switch {
	case serr != nil:
		return n, serr
	case c.n != c.s.l.Size || hex.EncodeToString(c.h.Sum(nil)) != c.s.l.Hash:
		c.s.changed.Store(true)
		return n, fmt.Errorf("%w while uploading (read %d bytes, indexed %d; content hash differs)", ErrChanged, c.n, c.s.l.Size)
	case st.Size() != c.s.l.Size || st.ModTime().UnixNano() != c.s.l.MtimeNS:
		c.s.changed.Store(true)
		return n, fmt.Errorf("%w while uploading (now %d bytes, modified again)", ErrChanged, st.Size())
	}
	return n, io.EOF
}

func (c *checkedReader) Close() error { return c.f.Close() }
