package syncer

import (
	"sort"
	"strings"

	"github.com/flickrsync/flickrsync/internal/names"
)

// How says by which rule a local picture and a Flickr photo match.
type How int

const (
	// BySignature: the photo's machine tag carries the picture's signature.
	BySignature How = iota + 1
	// ByNameDate: same short name and same flat date taken (the photo's date known).
	ByNameDate
	// ByDownloadName: the picture is a file flickrsync downloaded from that photo.
	ByDownloadName
)

func (h How) String() string {
	switch h {
	case BySignature:
		return "signature"
	case ByNameDate:
		return "name and date"
	case ByDownloadName:
		return "downloaded file name"
	}
	return "?"
}

// Link is one match between a local picture and a Flickr photo.
type Link struct {
	Local  *Local
	Remote *Remote
	How    How
}

// MatchOptions change how pictures are matched.
type MatchOptions struct {
	// NoDateMatch turns off matching by short name and date taken.
	NoDateMatch bool
}

// Matching is every link between the library and the account. The pictures and videos
// with a signature take part, and the files named as downloads whatever they hold
// (matched by that name only).
type Matching struct {
	Locals  []*Local  // signed pictures and videos, and downloads, sorted by path
	Remotes []*Remote // photos and videos, sorted by id
	// ByLocal lists each picture's links, best first: by downloaded name, by signature
	// (older upload first), then by name and date.
	ByLocal map[string][]Link
	// ByRemote lists each photo's links, pictures sorted by path.
	ByRemote map[string][]Link
}

// Match links locals and remotes by the three rules. Matching by name and date only
// considers photos without a signature tag: a tagged photo is identified by its tag, and a
// picture of the same name and date but another signature is another picture (an edit).
// A file flickrsync downloaded is its photo's by its name even when it cannot be decoded,
// so that such a photo is never downloaded again.
func Match(locals []Local, remotes []Remote, opt MatchOptions) *Matching {
	m := &Matching{ByLocal: map[string][]Link{}, ByRemote: map[string][]Link{}}
	for i := range locals {
		if locals[i].Signature != "" || isDownload(&locals[i]) {
			m.Locals = append(m.Locals, &locals[i])
		}
	}
	sort.Slice(m.Locals, func(i, j int) bool { return m.Locals[i].Path < m.Locals[j].Path })
	for i := range remotes {
		m.Remotes = append(m.Remotes, &remotes[i])
	}
	sort.Slice(m.Remotes, func(i, j int) bool { return lessID(m.Remotes[i].ID, m.Remotes[j].ID) })
	x := indexRemotes(m.Remotes, opt)
	for _, l := range m.Locals {
		if links := x.links(l); len(links) > 0 {
			m.ByLocal[l.Path] = links
			for _, k := range links {
				m.ByRemote[k.Remote.ID] = append(m.ByRemote[k.Remote.ID], k)
			}
		}
	}
	return m
}

// remoteIndex finds the photos a picture matches: the three rules, in one place for the
// matching and for the uploads made while indexing (early.go).
type remoteIndex struct {
	bySig      map[string][]*Remote // older upload first
	byNameDate map[string][]*Remote // untagged photos whose date taken is known
	byIDSecret map[string]*Remote
	opt        MatchOptions
}

func indexRemotes(remotes []*Remote, opt MatchOptions) *remoteIndex {
	x := &remoteIndex{bySig: map[string][]*Remote{}, byNameDate: map[string][]*Remote{}, byIDSecret: map[string]*Remote{}, opt: opt}
	for _, r := range remotes {
		if sig := r.Signature(); sig != "" {
			x.bySig[sig] = append(x.bySig[sig], r)
		} else if !r.DateTakenUnknown {
			if flat := FlatDate(r.DateTaken); flat != "" {
				k := nameDateKey(r.Media, r.ShortName(), flat)
				x.byNameDate[k] = append(x.byNameDate[k], r)
			}
		}
		x.byIDSecret[r.ID+"\x00"+strings.ToLower(r.OriginalSecret)] = r
	}
	for _, rs := range x.bySig {
		sort.SliceStable(rs, func(i, j int) bool { return olderUpload(rs[i], rs[j]) })
	}
	return x
}

// links lists the photos l matches, best first: by downloaded name, by signature (older
// upload first), then by name and date; each photo once.
func (x *remoteIndex) links(l *Local) []Link {
	var links []Link
	add := func(r *Remote, how How) {
		for _, k := range links {
			if k.Remote == r {
				return
			}
		}
		links = append(links, Link{Local: l, Remote: r, How: how})
	}
	if d, ok := names.ParseDownload(l.Name()); ok {
		if r := x.byIDSecret[d.ID+"\x00"+d.Secret]; r != nil {
			add(r, ByDownloadName)
		}
	}
	if l.Signature == "" {
		return links // an undecodable download: its name only
	}
	for _, r := range x.bySig[l.Signature] {
		add(r, BySignature)
	}
	if !x.opt.NoDateMatch {
		if flat := FlatDate(l.DateTaken); flat != "" {
			for _, r := range x.byNameDate[nameDateKey(l.Media, l.ShortName(), flat)] {
				add(r, ByNameDate)
			}
		}
	}
	return links
}

// nameDateKey is the key of matching by name and date: a video matches a video only, a
// photo a photo (a Live Photo's still and motion share their name and date).
func nameDateKey(media, short, flat string) string {
	if media == MediaVideo {
		return "v\x00" + short + "\x00" + flat
	}
	return "p\x00" + short + "\x00" + flat
}

// isDownload reports whether l is named as a file flickrsync downloaded.
func isDownload(l *Local) bool {
	_, ok := names.ParseDownload(l.Name())
	return ok
}

// Best is the photo a picture is backed up as (the first link), or nil.
func (m *Matching) Best(l *Local) *Remote {
	if links := m.ByLocal[l.Path]; len(links) > 0 {
		return links[0].Remote
	}
	return nil
}

// remote is the photo of that id, or nil (Remotes are sorted by id).
func (m *Matching) remote(id string) *Remote {
	i := sort.Search(len(m.Remotes), func(i int) bool { return !lessID(m.Remotes[i].ID, id) })
	if i < len(m.Remotes) && m.Remotes[i].ID == id {
		return m.Remotes[i]
	}
	return nil
}

func olderUpload(a, b *Remote) bool {
	if a.DateUpload != b.DateUpload {
		return a.DateUpload < b.DateUpload
	}
	return lessID(a.ID, b.ID)
}

// lessID orders Flickr ids numerically (they are decimal numbers of varying length).
func lessID(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// DuplicateGroup is a set of local copies of one picture (same signature).
type DuplicateGroup struct {
	Signature string
	// Keep is the copy that is uploaded, the first in names.KeepOrder (the one
	// `flickrsync duplicates` shows first).
	Keep *Local
	// Copies are the other copies, never uploaded.
	Copies []*Local
}

// Duplicates groups the decodable pictures by signature; every signature gets a group,
// Copies is empty for a picture with no duplicate. Groups are sorted by Keep's path.
func Duplicates(locals []*Local) []DuplicateGroup {
	bySig := map[string][]*Local{}
	var order []string
	for _, l := range locals {
		if l.Signature == "" {
			continue
		}
		if _, ok := bySig[l.Signature]; !ok {
			order = append(order, l.Signature)
		}
		bySig[l.Signature] = append(bySig[l.Signature], l)
	}
	groups := make([]DuplicateGroup, 0, len(order))
	for _, sig := range order {
		ls := bySig[sig]
		sort.SliceStable(ls, func(i, j int) bool { return names.KeepOrder(ls[i].Path, ls[j].Path) < 0 })
		groups = append(groups, DuplicateGroup{Signature: sig, Keep: ls[0], Copies: ls[1:]})
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].Keep.Path < groups[j].Keep.Path })
	return groups
}
