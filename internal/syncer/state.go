package syncer

import (
	"maps"
	"slices"
)

// change is what one step changed: the pictures an index read and the paths it found
// gone, the photos a step learnt (listed, created, tagged, found) or forgot (deleted on
// Flickr), and what the run learnt besides (Known). Every step returns one; the state
// takes it in, and the next plan is computed from the state.
type change struct {
	locals  []Local
	gone    []string // library paths
	remotes []Remote
	forgot  []string // photo ids

	sent         map[string]string       // signature -> path sent
	unsettled    map[string]string       // signature -> why it is not sent in this run
	tried        []string                // photo ids the identify step handled
	identified   map[string]string       // photo id -> the signature of its original
	unidentified map[string]Unidentified // photo id -> why its original could not be signed

	// What the catalog remembers of edits (edits.go), the photos marked superseded, and
	// the privacy flickrsync gave photos.
	edits   []Edit
	marked  []string          // photo ids
	privacy map[string]string // photo id -> the privacy flickrsync gave it ("" forgotten)
}

// add merges another change into c (the steps collect several, some concurrently: the
// caller serialises).
func (c *change) add(o change) {
	c.locals = append(c.locals, o.locals...)
	c.gone = append(c.gone, o.gone...)
	c.remotes = append(c.remotes, o.remotes...)
	c.forgot = append(c.forgot, o.forgot...)
	c.tried = append(c.tried, o.tried...)
	if len(o.identified) > 0 && c.identified == nil {
		c.identified = map[string]string{}
	}
	maps.Copy(c.identified, o.identified)
	if len(o.unidentified) > 0 && c.unidentified == nil {
		c.unidentified = map[string]Unidentified{}
	}
	maps.Copy(c.unidentified, o.unidentified)
	c.edits = append(c.edits, o.edits...)
	c.marked = append(c.marked, o.marked...)
	if len(o.privacy) > 0 && c.privacy == nil {
		c.privacy = map[string]string{}
	}
	maps.Copy(c.privacy, o.privacy)
	for sig, p := range o.sent {
		if c.sent == nil {
			c.sent = map[string]string{}
		}
		c.sent[sig] = p
	}
	for sig, why := range o.unsettled {
		if c.unsettled == nil {
			c.unsettled = map[string]string{}
		}
		c.unsettled[sig] = why
	}
}

// state is what a run knows of the library and the account: the catalog's pictures and
// photos, read once when the run starts, kept up to date with the change every step
// returns, and Known. It is used by one goroutine at a time.
type state struct {
	locals  map[string]Local    // by path, undecodable files included
	bySig   map[string][]string // signature -> paths of the decodable pictures
	remotes map[string]Remote   // by id
	known   Known
	opt     MatchOptions

	// The matching and plan of the state as it is; nil once a change made them stale.
	m *Matching
	p *Plan
}

func newState(opt MatchOptions) *state {
	return &state{locals: map[string]Local{}, bySig: map[string][]string{}, remotes: map[string]Remote{},
		known: Known{Unsettled: map[string]string{}, Sent: map[string]string{}, Tried: map[string]bool{},
			Identified: map[string]string{}, Unidentified: map[string]Unidentified{}, Excluded: map[string]bool{},
			Marked: map[string]bool{}, Privacy: map[string]string{}}, opt: opt}
}

// apply takes in what a step changed. Applying the same change twice changes nothing more.
func (s *state) apply(c change) {
	for _, l := range c.locals {
		s.putLocal(l)
	}
	for _, p := range c.gone {
		s.dropLocal(p)
	}
	for _, r := range c.remotes {
		s.remotes[r.ID] = r
	}
	for _, id := range c.forgot {
		delete(s.remotes, id)
	}
	maps.Copy(s.known.Sent, c.sent)
	maps.Copy(s.known.Unsettled, c.unsettled)
	for _, id := range c.tried {
		s.known.Tried[id] = true
	}
	maps.Copy(s.known.Identified, c.identified)
	maps.Copy(s.known.Unidentified, c.unidentified)
	for id := range c.identified {
		delete(s.known.Unidentified, id)
	}
	s.known.Edits = append(s.known.Edits, c.edits...)
	for _, id := range c.marked {
		s.known.Marked[id] = true
	}
	for id, v := range c.privacy {
		if v == "" {
			delete(s.known.Privacy, id)
		} else {
			s.known.Privacy[id] = v
		}
	}
	if len(c.locals)+len(c.gone)+len(c.remotes)+len(c.forgot)+len(c.sent)+len(c.unsettled)+len(c.tried)+
		len(c.identified)+len(c.unidentified)+len(c.edits)+len(c.marked)+len(c.privacy) > 0 {
		s.m, s.p = nil, nil
	}
}

func (s *state) putLocal(l Local) {
	if old, ok := s.locals[l.Path]; ok {
		if old == l {
			return
		}
		s.dropLocal(l.Path)
	}
	s.locals[l.Path] = l
	if l.Signature != "" {
		s.bySig[l.Signature] = append(s.bySig[l.Signature], l.Path)
	}
	s.m, s.p = nil, nil
}

func (s *state) dropLocal(path string) {
	old, ok := s.locals[path]
	if !ok {
		return
	}
	delete(s.locals, path)
	if ps := slices.DeleteFunc(s.bySig[old.Signature], func(p string) bool { return p == path }); len(ps) > 0 {
		s.bySig[old.Signature] = ps
	} else {
		delete(s.bySig, old.Signature)
	}
	s.m, s.p = nil, nil
}

// copies is the group of the pictures known with signature sig.
func (s *state) copies(sig string) DuplicateGroup {
	ls := make([]*Local, 0, len(s.bySig[sig]))
	for _, p := range s.bySig[sig] {
		l := s.locals[p]
		ls = append(ls, &l)
	}
	if g := Duplicates(ls); len(g) == 1 {
		return g[0]
	}
	return DuplicateGroup{Signature: sig}
}

// plan is the matching and the plan of the state as it is, computed again only after a
// change.
func (s *state) plan() (*Matching, *Plan) {
	if s.p == nil {
		s.m = Match(slices.Collect(maps.Values(s.locals)), slices.Collect(maps.Values(s.remotes)), s.opt)
		k := s.known
		for _, u := range k.Unidentified {
			if u.Hash != "" {
				k.Hashes = s.hashes()
				break
			}
		}
		s.p = MakePlan(s.m, k)
	}
	return s.m, s.p
}

// hashes are the content hashes of the library's files, undecodable ones included.
func (s *state) hashes() map[string]bool {
	out := make(map[string]bool, len(s.locals))
	for _, l := range s.locals {
		if l.Hash != "" {
			out[l.Hash] = true
		}
	}
	return out
}

// allTagged reports whether every photo known carries a signature tag.
func (s *state) allTagged() bool {
	for _, r := range s.remotes {
		if r.Signature() == "" {
			return false
		}
	}
	return true
}
