package syncer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/flickrsync/flickrsync/internal/names"
)

// Test pictures are text files "sig=<hex>;date=<exif date>": the fake indexer reads the
// signature and date from them, the fake Flickr stores and serves their bytes.

func picture(sig, date string) string { return "sig=" + sig + ";date=" + date }

func parsePicture(b []byte) (sig, date string, ok bool) {
	s := string(b)
	if !strings.HasPrefix(s, "sig=") {
		return "", "", false
	}
	parts := strings.SplitN(strings.TrimPrefix(s, "sig="), ";date=", 2)
	if len(parts) != 2 {
		return "", "", false
	}
	return parts[0], parts[1], true
}

type memStore struct {
	mu      sync.Mutex
	locals  []Local
	remotes map[string]Remote
	meta    map[string]string
	journal map[string]string // sig -> file, while pending
	// excluded are the signatures of excluded files (ExcludedSignatures).
	excluded []string
	started  map[string]int64  // sig -> unix seconds of BeginUpload
	begun    []string          // every BeginUpload, in order
	ended    map[string]string // sig -> photo id of the last EndUpload ("" failed)
}

func newMemStore() *memStore {
	return &memStore{remotes: map[string]Remote{}, meta: map[string]string{}, journal: map[string]string{}, started: map[string]int64{}, ended: map[string]string{}}
}

func (s *memStore) Locals(ctx context.Context) ([]Local, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Local(nil), s.locals...), nil
}

func (s *memStore) Remotes(ctx context.Context) ([]Remote, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Remote
	for _, r := range s.remotes {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return lessID(out[i].ID, out[j].ID) })
	return out, nil
}

func (s *memStore) PutRemotes(ctx context.Context, rs []Remote) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range rs {
		s.remotes[r.ID] = r
	}
	return nil
}

func (s *memStore) ClearRemotes(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remotes = map[string]Remote{}
	return nil
}

func (s *memStore) ForgetRemotes(ctx context.Context, ids []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.remotes, id)
	}
	return nil
}

func (s *memStore) ExcludedSignatures(ctx context.Context) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.excluded...), nil
}

func (s *memStore) Meta(ctx context.Context, key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.meta[key], nil
}

func (s *memStore) SetMeta(ctx context.Context, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.meta[key] = value
	return nil
}

func (s *memStore) BeginUpload(ctx context.Context, sig, file string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.journal[sig] = file
	s.started[sig] = time.Now().Unix()
	s.begun = append(s.begun, file)
	return nil
}

func (s *memStore) EndUpload(ctx context.Context, sig, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.journal, sig)
	s.ended[sig] = id
	return nil
}

func (s *memStore) PendingUploads(ctx context.Context) ([]PendingUpload, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []PendingUpload
	for sig, f := range s.journal {
		out = append(out, PendingUpload{Signature: sig, File: f, StartedAt: s.started[sig]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out, nil
}

// dirIndexer indexes the test pictures under root into a memStore and, as the scanner
// does, hands over the pictures it read (those the store did not hold as they are), in
// ReadOrder, and tells the paths gone. afterRead, when set, runs once all are handed
// over, before the index ends.
type dirIndexer struct {
	root      string
	store     *memStore
	afterRead func()
}

func (x *dirIndexer) Index(ctx context.Context, progress func(done, total int), read func(Local)) (IndexStats, error) {
	x.store.mu.Lock()
	before := map[string]Local{}
	for _, l := range x.store.locals {
		before[l.Path] = l
	}
	x.store.mu.Unlock()
	var locals []Local
	var st IndexStats
	err := filepath.WalkDir(x.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !names.IsMediaName(d.Name()) {
			return nil
		}
		rel, _ := filepath.Rel(x.root, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		st.Files++
		sig, date, ok := parsePicture(b)
		if !ok {
			st.Failed++
			st.Failures = append(st.Failures, FileError{File: filepath.ToSlash(rel), Err: "not a picture"})
			sig, date = "", ""
		}
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		h := sha256.Sum256(b)
		locals = append(locals, Local{Path: filepath.ToSlash(rel), Signature: sig, DateTaken: date,
			Size: fi.Size(), MtimeNS: fi.ModTime().UnixNano(), Hash: hex.EncodeToString(h[:])})
		return nil
	})
	if err != nil {
		return st, err
	}
	x.store.mu.Lock()
	x.store.locals = locals
	x.store.mu.Unlock()
	progress(st.Files, st.Files)
	var fresh []Local
	for _, l := range locals {
		if b, ok := before[l.Path]; !ok || b != l {
			fresh = append(fresh, l)
		}
		delete(before, l.Path)
	}
	for p := range before {
		st.Gone = append(st.Gone, p)
		st.Removed++
	}
	sort.Slice(fresh, func(i, j int) bool { return ReadOrder(fresh[i].Path, fresh[j].Path) < 0 })
	for _, l := range fresh {
		read(l)
	}
	if x.afterRead != nil {
		x.afterRead()
	}
	return st, nil
}

// fileSigner signs the test pictures as dirIndexer reads them.
type fileSigner struct{}

func (fileSigner) Sign(ctx context.Context, file string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	sig, _, ok := parsePicture(b)
	if !ok || sig == "" {
		return "", fmt.Errorf("not a picture")
	}
	return sig, nil
}

type fakePhoto struct {
	Remote
	content []byte
}

type fakeSet struct {
	Photoset
	photos []string
}

// fakeFlickr is an in-memory account.
type fakeFlickr struct {
	mu        sync.Mutex
	photos    map[string]*fakePhoto
	sets      map[string]*fakeSet
	nextID    int
	now       int64
	calls     map[string]int
	loseNext  int // the next n uploads succeed but answer ErrUploadAmbiguous
	failFiles map[string]bool
	noSearch  bool // photos.search fails
	// downloadErr, when set, is every download's error.
	downloadErr error
	// listFailAfter > 0 makes the next listing fail after that many pages of two photos.
	listFailAfter int
}

func newFakeFlickr() *fakeFlickr {
	return &fakeFlickr{photos: map[string]*fakePhoto{}, sets: map[string]*fakeSet{}, nextID: 1000, now: 1_600_000_000, calls: map[string]int{}}
}

func (f *fakeFlickr) call(name string) {
	f.calls[name]++
}

func (f *fakeFlickr) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

func (f *fakeFlickr) add(title, taken string, content []byte, machineTags string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	f.now++
	id := fmt.Sprint(f.nextID)
	f.photos[id] = &fakePhoto{Remote: Remote{ID: id, Title: title, Secret: "s" + id, OriginalSecret: "o" + id,
		OriginalFormat: "jpg", DateUpload: f.now, DateTaken: taken, URLOriginal: "fake://" + id,
		Tags: machineTags, MachineTags: machineTags}, content: content}
	return id
}

func (f *fakeFlickr) ListPhotos(ctx context.Context, minUpload int64, fn func([]Remote) error) (Listing, error) {
	f.mu.Lock()
	f.call("getPhotos")
	var page []Remote
	for _, p := range f.photos {
		if p.DateUpload >= minUpload {
			page = append(page, p.Remote)
		}
	}
	failAfter := f.listFailAfter
	f.listFailAfter = 0
	l := Listing{AsOf: f.now, Total: len(f.photos)}
	f.mu.Unlock()
	// Newest first, as Flickr lists them.
	sort.Slice(page, func(i, j int) bool { return page[i].DateUpload > page[j].DateUpload })
	if failAfter == 0 {
		return l, fn(page)
	}
	for i := 0; i < len(page); i += 2 {
		if i/2 == failAfter {
			return Listing{}, fmt.Errorf("HTTP 502 on page %d", i/2+1)
		}
		if err := fn(page[i:min(i+2, len(page))]); err != nil {
			return Listing{}, err
		}
	}
	return l, nil
}

func (f *fakeFlickr) RecentlyUpdated(ctx context.Context, since int64, fn func([]Remote) error) error {
	f.mu.Lock()
	f.call("recentlyUpdated")
	f.mu.Unlock()
	return nil
}

func (f *fakeFlickr) SearchBySignature(ctx context.Context, sig string) ([]Remote, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.call("search")
	if f.noSearch {
		return nil, fmt.Errorf("HTTP 503")
	}
	var out []Remote
	for _, p := range f.photos {
		if p.Signature() == sig {
			out = append(out, p.Remote)
		}
	}
	return out, nil
}

func (f *fakeFlickr) AddTags(ctx context.Context, id, tags string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.call("addTags")
	p := f.photos[id]
	if p == nil {
		return fmt.Errorf("photo not found: %w", ErrGone)
	}
	clean := strings.ReplaceAll(tags, `"`, "")
	p.Tags = strings.TrimSpace(p.Tags + " " + clean)
	p.MachineTags = strings.TrimSpace(p.MachineTags + " " + clean)
	return nil
}

func (f *fakeFlickr) SetTags(ctx context.Context, id, tags string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.call("setTags")
	p := f.photos[id]
	if p == nil {
		return fmt.Errorf("photo not found")
	}
	clean := strings.ReplaceAll(tags, `"`, "")
	p.Tags = clean
	var mt []string
	for _, t := range strings.Fields(clean) {
		if machineTagRE.MatchString(t) {
			mt = append(mt, t)
		}
	}
	p.MachineTags = strings.Join(mt, " ")
	return nil
}

// Upload reads the source as the real client does: a reader's error ends the upload
// and nothing is created.
func (f *fakeFlickr) Upload(ctx context.Context, file string, open Opener, meta UploadMeta, progress func(done, total int64)) (string, error) {
	rc, size, err := open()
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return "", fmt.Errorf("upload %s: read the file: %w", file, err)
	}
	if progress != nil {
		progress(int64(len(b)), size)
	}
	if int64(len(b)) != size {
		return "", fmt.Errorf("upload %s: %d bytes, expected %d", file, len(b), size)
	}
	f.mu.Lock()
	f.call("upload")
	if f.failFiles[filepath.Base(file)] {
		f.mu.Unlock()
		return "", fmt.Errorf("filetype was not recognised")
	}
	lose := f.loseNext > 0
	if lose {
		f.loseNext--
	}
	f.mu.Unlock()
	sig, date, _ := parsePicture(b)
	_ = sig
	tag := strings.ReplaceAll(meta.Tags, `"`, "")
	id := f.add(meta.Title, strings.NewReplacer(":", "-").Replace(date[:min(10, len(date))])+date[min(10, len(date)):], b, tag)
	if lose {
		return "", fmt.Errorf("upload %s: %w", file, ErrUploadAmbiguous)
	}
	return id, nil
}

func (f *fakeFlickr) Download(ctx context.Context, url, dest string, progress func(done, total int64)) error {
	f.mu.Lock()
	f.call("download")
	p := f.photos[strings.TrimPrefix(url, "fake://")]
	derr := f.downloadErr
	f.mu.Unlock()
	if derr != nil {
		return derr
	}
	if p == nil {
		return fmt.Errorf("download: HTTP 404: %w", ErrGone)
	}
	out, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if progress != nil {
		progress(0, int64(len(p.content)))
	}
	if _, err := out.Write(p.content); err != nil {
		out.Close()
		return err
	}
	if progress != nil {
		progress(int64(len(p.content)), int64(len(p.content)))
	}
	return out.Close()
}

func (f *fakeFlickr) Photosets(ctx context.Context) ([]Photoset, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.call("getList")
	var out []Photoset
	for _, s := range f.sets {
		ps := s.Photoset
		ps.Count = len(s.photos)
		ps.Primary = s.photos[0]
		out = append(out, ps)
	}
	sort.Slice(out, func(i, j int) bool { return lessID(out[i].ID, out[j].ID) })
	return out, nil
}

func (f *fakeFlickr) CreatePhotoset(ctx context.Context, title, desc, primary string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.call("create")
	f.nextID++
	id := fmt.Sprint(f.nextID)
	f.sets[id] = &fakeSet{Photoset: Photoset{ID: id, Title: title, Description: desc}, photos: []string{primary}}
	return id, nil
}

func (f *fakeFlickr) EditPhotos(ctx context.Context, setID, primary string, ids []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.call("editPhotos")
	s := f.sets[setID]
	if s == nil {
		return fmt.Errorf("photoset not found: %w", ErrSetGone)
	}
	for _, id := range ids {
		if f.photos[id] == nil {
			return fmt.Errorf("photo not found: %w", ErrGone) // Flickr's error 2
		}
	}
	s.photos = append([]string(nil), ids...)
	return nil
}

func (f *fakeFlickr) DeletePhotoset(ctx context.Context, setID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.call("delete")
	delete(f.sets, setID)
	return nil
}

func (f *fakeFlickr) PhotosetPhotos(ctx context.Context, setID string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.call("setPhotos")
	s := f.sets[setID]
	if s == nil {
		return nil, fmt.Errorf("photoset not found")
	}
	return append([]string(nil), s.photos...), nil
}

// setsByTitle is the account's sets as title -> photo ids.
func (f *fakeFlickr) setsByTitle() map[string][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string][]string{}
	for _, s := range f.sets {
		out[s.Title] = s.photos
	}
	return out
}

var _ Flickr = (*fakeFlickr)(nil)
var _ Store = (*memStore)(nil)
var _ Indexer = (*dirIndexer)(nil)
var _ Signer = fileSigner{}
