package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// photo is one stored photo. File names on disk are built from the numeric id and the
// sniffed format only, never from titles.
type photo struct {
	ID             string
	Secret         string
	OriginalSecret string
	Server         string
	Farm           int64
	Title          string
	Description    string
	Tags           []photoTag
	IsPublic       int64
	IsFriend       int64
	IsFamily       int64
	DateUpload     int64
	DateTaken      string
	TakenUnknown   int64
	LastUpdate     int64
	Format         string // originalformat: jpg, png, gif, heic, heif, avif, webp; a video's poster: jpg
	SHA256         string // of the stored original (a video's own bytes)
	Size           int64
	Width, Height  int64

	Owner string `json:",omitempty"` // NSID; "" = the primary account (older records too)
	// UploadSHA256 is the SHA-256 of the bytes uploaded where Flickr stored others (a TIFF
	// kept as JPEG); dedup_check compares uploads with it.
	UploadSHA256 string `json:",omitempty"`
	// Media is "video" for a video ("" = photo); VideoFormat is its container, the stored
	// file's extension (mp4, mov...), Duration its seconds, VideoReadyAt the end of its
	// processing (pending until then), VideoFailed a processing that failed.
	Media        string    `json:",omitempty"`
	VideoFormat  string    `json:",omitempty"`
	Duration     int64     `json:",omitempty"`
	VideoReadyAt time.Time `json:",omitzero"`
	VideoFailed  bool      `json:",omitempty"`

	TakenGranularity int64 `json:",omitempty"` // 0, 4 (month), 6 (year), 8 (circa)
	SafetyLevel      int64 `json:",omitempty"` // as Flickr shows it: 0 safe, 1 moderate, 2 restricted
	ContentType      int64 `json:",omitempty"` // 1 photo (also 0), 2 screenshot, 3 other
	Hidden           bool  `json:",omitempty"` // hidden from public searches
	// PermComment and PermAddMeta are setPerms' perm_comment and perm_addmeta; nil = the
	// defaults getInfo shows (3 everybody, 2 contacts).
	PermComment *int64 `json:",omitempty"`
	PermAddMeta *int64 `json:",omitempty"`
}

// isVideo reports whether p is a video.
func (p *photo) isVideo() bool { return p.Media == "video" }

// fileExt is the extension of p's stored file: a video's container, else its format.
func (p *photo) fileExt() string {
	if p.isVideo() {
		return p.VideoFormat
	}
	return p.Format
}

type photoTag struct {
	GlobalID int64
	Raw      string
	Clean    string
	Machine  bool
}

type photoset struct {
	ID          string
	Owner       string `json:",omitempty"` // NSID; "" = the primary account
	Title       string
	Description string
	Primary     string
	Photos      []string
	Created     int64
	Updated     int64
}

type token struct {
	Token    string
	Secret   string
	Access   bool   // false: request token
	Perms    string // read, write, delete (access tokens; requested perms for request tokens)
	Callback string
	Verifier string
	Approved bool
	Created  int64
	User     string `json:",omitempty"` // NSID of the account it acts for; "" = the primary account
}

type ticket struct {
	ID      string
	PhotoID string
	ReadyAt time.Time
	Failed  bool
}

// state is everything persisted with --state.
type state struct {
	dir         string
	Generation  int64
	JournalSeq  int64 // the last journal entry this snapshot holds
	NextPhotoID int64
	NextSetID   int64
	NextTagID   int64
	LastUpload  int64
	TagIDs      map[string]int64 // clean tag -> global tag id
	Photos      []*photo         // in upload order
	Sets        []*photoset      // user's order, first = newest unless reordered
	Tokens      map[string]*token
	Tickets     map[string]*ticket
	// Deleted remembers deleted photos by id, for dedup_check (status DELETED, and 2 brings
	// one back); their files are gone.
	Deleted map[string]*photo `json:",omitempty"`
}

const stateFile = "state.json"

func loadState(dir string) (*state, error) {
	st := &state{
		dir:         dir,
		NextPhotoID: 53000000000,
		NextSetID:   72157700000000000,
		NextTagID:   100000,
		TagIDs:      map[string]int64{},
		Tokens:      map[string]*token{},
		Tickets:     map[string]*ticket{},
		Deleted:     map[string]*photo{},
	}
	if dir == "" {
		return st, nil
	}
	if err := os.MkdirAll(filepath.Join(dir, "photos"), 0o755); err != nil {
		return nil, fmt.Errorf("create state dir %s: %w", dir, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	_, jerr := os.Stat(filepath.Join(dir, journalFile))
	found := err == nil || jerr == nil
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("read state %s: %w", dir, err)
	default:
		if err := json.Unmarshal(b, st); err != nil {
			return nil, fmt.Errorf("decode state %s: %w", dir, err)
		}
	}
	st.dir = dir
	if st.TagIDs == nil {
		st.TagIDs = map[string]int64{}
	}
	if st.Tokens == nil {
		st.Tokens = map[string]*token{}
	}
	if st.Tickets == nil {
		st.Tickets = map[string]*ticket{}
	}
	if st.Deleted == nil {
		st.Deleted = map[string]*photo{}
	}
	if err := replayJournal(dir, st); err != nil {
		return nil, err
	}
	if found {
		st.Generation++
	}
	return st, nil
}

func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, werr := tmp.Write(b)
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, werr)
	}
	return nil
}

func (srv *Server) blobPath(p *photo) string {
	return filepath.Join(srv.st.dir, "photos", p.ID+"."+p.fileExt())
}

// putBlobLocked stores a photo's original bytes.
func (srv *Server) putBlobLocked(p *photo, b []byte) error {
	if srv.st.dir == "" {
		srv.blobs[p.ID] = b
		return nil
	}
	if srv.j != nil { // a removal still pending from a failed save must not take the new file
		srv.j.drop = slices.DeleteFunc(srv.j.drop, func(path string) bool { return path == srv.blobPath(p) })
	}
	return writeAtomic(srv.blobPath(p), b)
}

func (srv *Server) blobLocked(p *photo) ([]byte, error) {
	if srv.st.dir == "" {
		b, ok := srv.blobs[p.ID]
		if !ok {
			return nil, fmt.Errorf("read photo %s: %w", p.ID, fs.ErrNotExist)
		}
		return b, nil
	}
	b, err := os.ReadFile(srv.blobPath(p))
	if err != nil {
		return nil, fmt.Errorf("read photo %s: %w", p.ID, err)
	}
	return b, nil
}

// dropBlobLocked removes a photo's stored bytes; with a state dir the file goes only once
// the change is in the journal, so a crash never leaves a photo without its file.
func (srv *Server) dropBlobLocked(p *photo) {
	if srv.st.dir == "" {
		delete(srv.blobs, p.ID)
		return
	}
	if srv.j != nil {
		srv.j.drop = append(srv.j.drop, srv.blobPath(p))
		return
	}
	os.Remove(srv.blobPath(p))
}

// photoLocked finds a stored photo by id through an index built on first use.
func (srv *Server) photoLocked(id string) *photo {
	if srv.photoIdx == nil {
		srv.photoIdx = make(map[string]*photo, len(srv.st.Photos))
		for _, p := range srv.st.Photos {
			srv.photoIdx[p.ID] = p
		}
	}
	return srv.photoIdx[id]
}

// appendPhotoLocked stores a new (or restored) photo last.
func (srv *Server) appendPhotoLocked(p *photo) {
	srv.st.Photos = append(srv.st.Photos, p)
	if srv.photoIdx != nil {
		srv.photoIdx[p.ID] = p
	}
	srv.markPhoto(p)
}

func (srv *Server) setLocked(id string) *photoset {
	for _, ps := range srv.st.Sets {
		if ps.ID == id {
			return ps
		}
	}
	return nil
}
