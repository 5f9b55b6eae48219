package syncer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flickrsync/flickrsync/internal/names"
)

// videoFlickr serves one video original, named after its real extension as Flickr's
// /play/orig/ redirect names it.
type videoFlickr struct {
	Flickr
	body []byte
}

func (videoFlickr) Limits(context.Context) (Limits, error)                { return Limits{}, nil }
func (videoFlickr) SetDateTaken(context.Context, string, string) error    { return nil }
func (videoFlickr) VideoOriginal(context.Context, string) (string, error) { return "fake://v", nil }
func (f videoFlickr) DownloadVideo(ctx context.Context, url, dest string, progress func(done, total int64)) (string, error) {
	path := strings.TrimSuffix(dest, filepath.Ext(dest)) + ".mp4"
	return path, os.WriteFile(path, f.body, 0o644)
}

// killSigner stands for a run killed while it signs: it looks at the file it is given.
type killSigner struct{ seen string }

func (s *killSigner) Sign(ctx context.Context, file string) (string, error) {
	s.seen = file
	return "", errors.New("killed")
}

// TestIdentifyVideoTemporaryName: while an identification download of a video is
// signed, its file has the temporary name the next run sweeps (a run killed then left a
// hidden .flickrsync-<hex>.mp4 nothing removed), and a kept download is named with the
// original's extension.
func TestIdentifyVideoTemporaryName(t *testing.T) {
	root := t.TempDir()
	signer := &killSigner{}
	e := &Engine{Flickr: videoFlickr{body: []byte("movie")}, Signer: signer, Root: root}
	r := e.newRun(Options{})
	p := &Remote{ID: "53000000001", OriginalSecret: "abcdef0123", Title: "clip", Media: MediaVideo}
	f, err := r.fetchToIdentify(context.Background(), p, "fake://v")
	if err != nil {
		t.Fatal(err)
	}
	if !names.IsPartName(filepath.Base(signer.seen)) {
		t.Errorf("signed as %s: a run killed now leaves a file no sweep removes", filepath.Base(signer.seen))
	}
	if f.format != "mp4" {
		t.Errorf("format %q, want the original's mp4", f.format)
	}
	rel, err := r.keepDownload(context.Background(), f, p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(rel, ".mp4") || filepath.Dir(rel) != DownloadDir {
		t.Errorf("kept as %s, want %s/...mp4", rel, DownloadDir)
	}
	if left, _ := filepath.Glob(filepath.Join(root, ".flickrsync-*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}
