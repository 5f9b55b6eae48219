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
	Format         string // jpg, png, gif
	SHA256         string
	Size           int64
	Width, Height  int64
}

type photoTag struct {
	GlobalID int64
	Raw      string
	Clean    string
	Machine  bool
}

type photoset struct {
	ID          string
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
	return filepath.Join(srv.st.dir, "photos", p.ID+"."+p.Format)
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

func (srv *Server) photoLocked(id string) *photo {
	for _, p := range srv.st.Photos {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (srv *Server) setLocked(id string) *photoset {
	for _, ps := range srv.st.Sets {
		if ps.ID == id {
			return ps
		}
	}
	return nil
}
