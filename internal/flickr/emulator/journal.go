package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// Persistence with StateDir: state.json is a snapshot, journal.jsonl the changes made since
// (one JSON object per line, each written and fsynced before the call's answer). Loading
// applies the journal to the snapshot; a snapshot is rewritten (atomically) and the journal
// emptied when the server opens, every compactEvery entries, and on Close.

const (
	journalFile  = "journal.jsonl"
	compactEvery = 4096 // default journal.limit
)

// journalEntry is one line of journal.jsonl: the counters after the change, and every
// record the change created, replaced or removed.
type journalEntry struct {
	Seq         int64 // 1, 2, ...; entries at or below the snapshot's JournalSeq are already in it
	Generation  int64
	NextPhotoID int64
	NextSetID   int64
	NextTagID   int64
	LastUpload  int64
	TagIDs      map[string]int64 `json:",omitempty"` // tags given an id
	Photos      []*photo         `json:",omitempty"` // upserts; a new photo goes last
	PhotosGone  []string         `json:",omitempty"`
	Sets        []*setChange     `json:",omitempty"` // upserts
	SetOrder    *[]string        `json:",omitempty"` // the whole list of set ids, when it changed
	Tokens      []*token         `json:",omitempty"` // upserts
	TokensGone  []string         `json:",omitempty"`
	Tickets     []*ticket        `json:",omitempty"` // upserts
	TicketsGone []string         `json:",omitempty"`
	Deleted     []*photo         `json:",omitempty"` // deleted photos remembered (upserts)
	DeletedGone []string         `json:",omitempty"` // forgotten (a deleted photo brought back)
}

// setChange is a photoset record; Photos replaces its photo list, Append extends it, and
// neither keeps it (a photoset is never empty).
type setChange struct {
	ID          string
	Owner       string `json:",omitempty"`
	Title       string
	Description string
	Primary     string
	Created     int64
	Updated     int64
	Photos      []string `json:",omitempty"`
	Append      []string `json:",omitempty"`
}

// journal is the open journal plus what changed since the last entry (what is on disk).
type journal struct {
	f       *os.File
	size    int64
	entries int
	limit   int // compact after this many entries

	photos  map[string]*photo // changed photos; nil = deleted
	sets    map[string]bool   // changed sets; true = photo list rewritten, not only appended to
	setLen  map[string]int    // photo list length on disk
	order   []string          // set ids on disk, in order
	tags    map[string]bool
	tokens  map[string]token // tokens on disk (compared by value: they are few)
	tickets map[string]bool
	deleted map[string]bool // ids whose place in state.Deleted changed
	drop    []string        // photo files to remove once the entry is written
}

func newJournal(st *state) *journal {
	j := &journal{limit: compactEvery, photos: map[string]*photo{}, sets: map[string]bool{}, tags: map[string]bool{},
		tickets: map[string]bool{}, deleted: map[string]bool{}}
	j.persisted(st)
	return j
}

// persisted records st as what is on disk.
func (j *journal) persisted(st *state) {
	j.setLen = make(map[string]int, len(st.Sets))
	j.order = j.order[:0]
	for _, ps := range st.Sets {
		j.setLen[ps.ID] = len(ps.Photos)
		j.order = append(j.order, ps.ID)
	}
	j.tokens = make(map[string]token, len(st.Tokens))
	for k, t := range st.Tokens {
		j.tokens[k] = *t
	}
}

func (srv *Server) markPhoto(p *photo) {
	if srv.j != nil {
		srv.j.photos[p.ID] = p
	}
}

func (srv *Server) markPhotoGone(id string) {
	if srv.j != nil {
		srv.j.photos[id] = nil
	}
}

// markSet notes a changed set; rewritten says its photo list changed other than by appending.
func (srv *Server) markSet(id string, rewritten bool) {
	if srv.j != nil {
		srv.j.sets[id] = srv.j.sets[id] || rewritten
	}
}

func (srv *Server) markTag(clean string) {
	if srv.j != nil {
		srv.j.tags[clean] = true
	}
}

func (srv *Server) markDeleted(id string) {
	if srv.j != nil {
		srv.j.deleted[id] = true
	}
}

func (srv *Server) markTicket(id string) {
	if srv.j != nil {
		srv.j.tickets[id] = true
	}
}

// saveLocked appends the changes since the last call to the journal and fsyncs it;
// no-op in memory mode. On failure the changes stay pending for the next call.
func (srv *Server) saveLocked() error {
	j := srv.j
	if j == nil {
		return nil
	}
	st := srv.st
	e := &journalEntry{Seq: st.JournalSeq + 1, Generation: st.Generation, NextPhotoID: st.NextPhotoID,
		NextSetID: st.NextSetID, NextTagID: st.NextTagID, LastUpload: st.LastUpload}
	for _, clean := range sortedKeys(j.tags) {
		if e.TagIDs == nil {
			e.TagIDs = map[string]int64{}
		}
		e.TagIDs[clean] = st.TagIDs[clean]
	}
	var newPhotos []*photo
	for _, id := range sortedKeys(j.photos) {
		switch p := j.photos[id]; {
		case p == nil:
			e.PhotosGone = append(e.PhotosGone, id)
		default:
			newPhotos = append(newPhotos, p)
		}
	}
	// keep the photos' own order so replay appends new ones as they were uploaded
	if len(newPhotos) > 0 {
		pos := make(map[*photo]int, len(newPhotos))
		for _, p := range newPhotos {
			pos[p] = -1
		}
		for i := len(st.Photos) - 1; i >= 0 && len(pos) > 0; i-- {
			if _, ok := pos[st.Photos[i]]; ok {
				pos[st.Photos[i]] = i
			}
		}
		slices.SortFunc(newPhotos, func(a, b *photo) int { return pos[a] - pos[b] })
		e.Photos = newPhotos
	}
	order := make([]string, len(st.Sets))
	for i, ps := range st.Sets {
		order[i] = ps.ID
	}
	if !slices.Equal(order, j.order) {
		e.SetOrder = &order
	}
	for _, id := range sortedKeys(j.sets) {
		ps := srv.setLocked(id)
		if ps == nil {
			continue // deleted: absent from SetOrder
		}
		c := &setChange{ID: ps.ID, Owner: ps.Owner, Title: ps.Title, Description: ps.Description, Primary: ps.Primary,
			Created: ps.Created, Updated: ps.Updated}
		n, known := j.setLen[id]
		if j.sets[id] || !known || len(ps.Photos) < n {
			c.Photos = ps.Photos
		} else {
			c.Append = ps.Photos[n:]
		}
		e.Sets = append(e.Sets, c)
	}
	for _, k := range sortedKeys(st.Tokens) {
		if old, ok := j.tokens[k]; !ok || old != *st.Tokens[k] {
			e.Tokens = append(e.Tokens, st.Tokens[k])
		}
	}
	for _, k := range sortedKeys(j.tokens) {
		if st.Tokens[k] == nil {
			e.TokensGone = append(e.TokensGone, k)
		}
	}
	for _, id := range sortedKeys(j.tickets) {
		if t := st.Tickets[id]; t != nil {
			e.Tickets = append(e.Tickets, t)
		} else {
			e.TicketsGone = append(e.TicketsGone, id)
		}
	}
	for _, id := range sortedKeys(j.deleted) {
		if p := st.Deleted[id]; p != nil {
			e.Deleted = append(e.Deleted, p)
		} else {
			e.DeletedGone = append(e.DeletedGone, id)
		}
	}
	if err := j.append(srv.st.dir, e); err != nil {
		return err
	}
	st.JournalSeq = e.Seq
	for _, path := range j.drop {
		os.Remove(path)
	}
	j.drop = j.drop[:0]
	clear(j.photos)
	clear(j.tags)
	clear(j.tickets)
	clear(j.sets)
	clear(j.deleted)
	j.persisted(st)
	if j.entries >= j.limit {
		return srv.compactLocked()
	}
	return nil
}

// append writes one entry and fsyncs; a failed write is cut off again so the journal
// never holds a torn line before a good one.
func (j *journal) append(dir string, e *journalEntry) error {
	path := filepath.Join(dir, journalFile)
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode journal entry %d: %w", e.Seq, err)
	}
	b = append(b, '\n')
	if j.f == nil {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return fmt.Errorf("open journal %s: %w", path, err)
		}
		info, err := f.Stat()
		if err != nil {
			f.Close()
			return fmt.Errorf("open journal %s: %w", path, err)
		}
		j.f, j.size = f, info.Size()
	}
	_, err = j.f.Write(b)
	if err == nil {
		err = j.f.Sync()
	}
	if err != nil {
		_ = j.f.Truncate(j.size)
		return fmt.Errorf("write journal %s: %w", path, err)
	}
	j.size += int64(len(b))
	j.entries++
	return nil
}

// compactLocked writes the whole state as a new snapshot and empties the journal.
func (srv *Server) compactLocked() error {
	j := srv.j
	if j == nil {
		return nil
	}
	b, err := jsonIndent(srv.st)
	if err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(srv.st.dir, stateFile), b); err != nil {
		return err
	}
	// the snapshot names the last entry it holds, so a crash before the journal is emptied
	// only replays entries the loader then skips
	path := filepath.Join(srv.st.dir, journalFile)
	if j.f != nil {
		if err := j.f.Truncate(0); err != nil {
			return fmt.Errorf("empty journal %s: %w", path, err)
		}
		j.size = 0
	} else if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("empty journal %s: %w", path, err)
	}
	j.entries = 0
	return nil
}

// closeJournalLocked compacts and removes the journal file.
func (srv *Server) closeJournalLocked() error {
	j := srv.j
	if j == nil {
		return nil
	}
	err := srv.compactLocked()
	if j.f != nil {
		if e := j.f.Close(); e != nil && err == nil {
			err = fmt.Errorf("close journal: %w", e)
		}
		j.f = nil
	}
	if err == nil {
		if e := os.Remove(filepath.Join(srv.st.dir, journalFile)); e != nil && !errors.Is(e, fs.ErrNotExist) {
			err = fmt.Errorf("remove journal: %w", e)
		}
	}
	return err
}

// replayJournal applies journal.jsonl in dir to st. A last line without its newline is a
// write cut short by a crash and is ignored; any other undecodable line is an error.
func replayJournal(dir string, st *state) error {
	path := filepath.Join(dir, journalFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read journal %s: %w", path, err)
	}
	r := newReplay(st)
	for line := 1; len(b) > 0; line++ {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			break // torn tail
		}
		var e journalEntry
		if err := json.Unmarshal(b[:i], &e); err != nil {
			return fmt.Errorf("decode journal %s line %d: %w", path, line, err)
		}
		b = b[i+1:]
		if e.Seq <= st.JournalSeq {
			continue
		}
		if e.Seq != st.JournalSeq+1 {
			return fmt.Errorf("decode journal %s line %d: entry %d follows %d", path, line, e.Seq, st.JournalSeq)
		}
		if err := r.apply(&e); err != nil {
			return fmt.Errorf("apply journal %s line %d: %w", path, line, err)
		}
	}
	r.finish()
	return nil
}

type replay struct {
	st     *state
	photo  map[string]int // id -> index in st.Photos
	gone   map[string]bool
	sets   map[string]*photoset
	order  []string
	sorted bool
}

func newReplay(st *state) *replay {
	r := &replay{st: st, photo: map[string]int{}, gone: map[string]bool{}, sets: map[string]*photoset{}}
	for i, p := range st.Photos {
		r.photo[p.ID] = i
	}
	for _, ps := range st.Sets {
		r.sets[ps.ID] = ps
		r.order = append(r.order, ps.ID)
	}
	return r
}

func (r *replay) apply(e *journalEntry) error {
	st := r.st
	st.JournalSeq = e.Seq
	st.Generation, st.NextPhotoID, st.NextSetID = e.Generation, e.NextPhotoID, e.NextSetID
	st.NextTagID, st.LastUpload = e.NextTagID, e.LastUpload
	for k, v := range e.TagIDs {
		st.TagIDs[k] = v
	}
	for _, p := range e.Photos {
		if i, ok := r.photo[p.ID]; ok && r.gone[p.ID] {
			// deleted, then brought back (dedup_check=2): it comes back last, as live
			st.Photos[i] = nil
			r.photo[p.ID] = len(st.Photos)
			st.Photos = append(st.Photos, p)
		} else if ok {
			st.Photos[i] = p
		} else {
			r.photo[p.ID] = len(st.Photos)
			st.Photos = append(st.Photos, p)
		}
		delete(r.gone, p.ID)
	}
	for _, id := range e.PhotosGone {
		r.gone[id] = true
	}
	for _, c := range e.Sets {
		ps := r.sets[c.ID]
		if ps == nil {
			if len(c.Photos) == 0 {
				return fmt.Errorf("new set %s without photos", c.ID)
			}
			ps = &photoset{}
			r.sets[c.ID] = ps
		}
		photos := ps.Photos
		switch {
		case len(c.Photos) > 0:
			photos = c.Photos
		case len(c.Append) > 0:
			photos = append(photos, c.Append...)
		}
		*ps = photoset{ID: c.ID, Owner: c.Owner, Title: c.Title, Description: c.Description, Primary: c.Primary,
			Photos: photos, Created: c.Created, Updated: c.Updated}
	}
	if e.SetOrder != nil {
		r.order = *e.SetOrder
	}
	for _, t := range e.Tokens {
		st.Tokens[t.Token] = t
	}
	for _, k := range e.TokensGone {
		delete(st.Tokens, k)
	}
	for _, t := range e.Tickets {
		st.Tickets[t.ID] = t
	}
	for _, k := range e.TicketsGone {
		delete(st.Tickets, k)
	}
	for _, p := range e.Deleted {
		st.Deleted[p.ID] = p
	}
	for _, k := range e.DeletedGone {
		delete(st.Deleted, k)
	}
	return nil
}

func (r *replay) finish() {
	st := r.st
	st.Photos = slices.DeleteFunc(st.Photos, func(p *photo) bool { return p == nil || r.gone[p.ID] })
	st.Sets = st.Sets[:0]
	for _, id := range r.order {
		if ps := r.sets[id]; ps != nil {
			st.Sets = append(st.Sets, ps)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// jsonIndent encodes the state.json snapshot.
func jsonIndent(st *state) ([]byte, error) {
	b, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		return nil, fmt.Errorf("encode state: %w", err)
	}
	return b, nil
}
