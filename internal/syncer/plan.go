package syncer

import (
	"context"
	"fmt"
	"sort"

	"github.com/flickrsync/flickrsync/internal/words"
)

// TagChange adds the signature tag to a Flickr photo matched without it.
type TagChange struct {
	Remote    *Remote
	Signature string
	Local     *Local // the picture it matched; nil for one identified that the library lacks
	How       How
}

// Upload is a picture (the copies of one signature) to send: Local, the copy kept, goes
// up; Copies, its duplicates, never do. Still is set when Local is a Live Photo's motion
// video: its still (media.go).
type Upload struct {
	Local  *Local
	Copies []*Local
	Still  *Local
	// Earlier is the Flickr photo of the picture's earlier version, when the picture is
	// an edit (edits.go): Options.Replace replaces it in place instead of uploading.
	Earlier *Remote
}

// Held is a picture no photo matches that is not sent in this run, and why.
type Held struct {
	Upload
	Reason string
}

// Known is what a run knows besides the catalog's pictures and photos, which changes what
// it plans: the catalog's memory of earlier runs (Unidentified, Excluded) and what each
// step of this run learnt.
type Known struct {
	// Unsettled are the signatures of earlier uploads that may still land on Flickr (the
	// journal could not settle them), with the reason: not sent in this run.
	Unsettled map[string]string
	// Sent are the signatures this run sent or tried to send, with the path sent: not
	// planned again in this run, even when the upload failed (the next run retries it).
	Sent map[string]string
	// Tried are the photos the identify step handled in this run, whatever the outcome:
	// not downloaded again, nor missing, in this run.
	Tried map[string]bool
	// Media is what the media rules know: the account's limits, earlier refusals (media.go).
	Media MediaKnown
	// Identified are the signatures the identify step read from the originals of photos
	// without a signature tag (photo id -> signature): they are tagged with them.
	Identified map[string]string
	// Unidentified are the photos without a signature tag whose original could not be
	// signed, in this run or earlier ones (the catalog remembers them): photo id -> why.
	Unidentified map[string]Unidentified
	// Excluded are the signatures the library holds only in files its ignore rules
	// exclude: such a photo is the library's, never downloaded.
	Excluded map[string]bool
	// Edits are the pictures edited in place (oldest first) and Marked the photos marked
	// superseded: what the catalog remembers beyond the present files (edits.go).
	Edits  []Edit
	Marked map[string]bool
	// Privacy is the setting flickrsync last gave each photo a privacy rule covers
	// (privacy.go), by photo id.
	Privacy map[string]string
	// Hashes are the content hashes of the library's files, undecodable ones included
	// (filled when an undecodable original is known by its hash).
	Hashes map[string]bool
	// Now is the run's time (unix seconds): when a failed identification is retried.
	Now int64
}

// holding counts the photos that hold the uploads back: their original could not be
// downloaded to be identified (so each may be any picture under another name) in fewer
// than MaxIdentifyFailures runs.
func (k Known) holding() int {
	n := 0
	for _, u := range k.Unidentified {
		if u.holds() {
			n++
		}
	}
	return n
}

// Plan is what a sync does next with the library and the account as a run knows them: a
// plain value that MakePlan computes from the matching and Known, and that the steps
// carry out. Each step returns what it changed, the run's state takes it in, and the next
// plan is computed from that (the catalog is not read again).
type Plan struct {
	// Identify are photos without a signature tag that no picture matches: they are
	// downloaded into the download folder to be indexed and matched by their file name.
	Identify []*Remote
	// Tags are photos matched by name and date or by downloaded name but lacking the tag.
	Tags []TagChange
	// Uploads are the pictures to send now, one per signature, by path.
	Uploads []Upload
	// Sent are the pictures this run already sent (Known.Sent), Local the copy sent:
	// their copies end as duplicates of it.
	Sent []Upload
	// Unsettled are pictures not sent because an earlier upload of theirs may still land
	// on Flickr; Waiting, because a photo that could not be identified may be one of them;
	// NotSent, because of the media rules (too large, refused, a Live Photo's motion).
	Unsettled, Waiting, NotSent []Held
	// Missing are photos no picture matches at all (sync2 downloads them), but those the
	// identify step already handled in this run, and those the library keeps.
	Missing []*Remote
	// NotLocal counts the photos whose picture the library lacks, those the identify step
	// handled in this run included.
	NotLocal int
	// Kept are photos no picture matches that the library keeps (edits.go): of a picture
	// the ignore rules exclude, or of an edited picture's earlier version. They stay on
	// Flickr and are never downloaded.
	Kept []Kept
	// Supersede are the kept photos of earlier versions not marked superseded yet.
	Supersede []Superseded
	// Duplicates counts the local copies that are never uploaded because another copy
	// of the same picture is (or will be) on Flickr.
	Duplicates int
}

// MakePlan computes the plan from a matching and what the run knows. It is pure: the same
// matching and knowledge give the same plan, and nothing is read or written.
func MakePlan(m *Matching, k Known) *Plan {
	p := &Plan{}
	kept, earlier := k.keptSignatures(m)
	var bySig map[string]*Local // built when a photo was identified in this run
	for _, r := range m.Remotes {
		links := m.ByRemote[r.ID]
		sig := r.Signature()
		if len(links) == 0 {
			local := false // the library has the picture, out of this matching
			if sig == "" && k.Identified[r.ID] != "" {
				// Tagged next with the signature of its original, which may be a picture
				// of the library's under another name.
				if bySig == nil {
					bySig = keptBySignature(m)
				}
				sig = k.Identified[r.ID]
				p.Tags = append(p.Tags, TagChange{Remote: r, Signature: sig, Local: bySig[sig], How: BySignature})
				local = bySig[sig] != nil
			}
			why, isKept := kept[sig]
			switch {
			case local:
			case sig != "" && isKept:
				p.Kept = append(p.Kept, Kept{Remote: r, Reason: why})
				if e, ok := earlier[sig]; ok && !k.Marked[r.ID] {
					p.Supersede = append(p.Supersede, Superseded{PhotoID: r.ID, Signature: e.Old, Path: e.Path, By: e.New})
				}
			case k.Tried[r.ID]:
				p.NotLocal++ // not downloaded again in this run
			case sig == "":
				missing, identify := k.unidentified(r)
				if missing {
					p.Missing = append(p.Missing, r)
					p.NotLocal++
				}
				if identify {
					p.Identify = append(p.Identify, r)
				}
			default:
				p.Missing = append(p.Missing, r)
				p.NotLocal++
			}
			continue
		}
		if sig == "" {
			if best, ok := tagLink(links); ok {
				p.Tags = append(p.Tags, TagChange{Remote: r, Signature: best.Local.Signature, Local: best.Local, How: best.How})
			}
		}
	}
	matched := func(l *Local) bool { return len(m.ByLocal[l.Path]) > 0 }
	stills := livePairs(m.Locals)
	for _, g := range Duplicates(m.Locals) {
		p.Duplicates += len(g.Copies)
		u := Upload{Local: g.Keep, Copies: g.Copies, Still: stills[g.Keep.Path]}
		switch v, why := k.mediaVerdict(g, matched, stills); v {
		case sendNow:
			p.Uploads = append(p.Uploads, u)
		case sentAlready:
			p.Sent = append(p.Sent, sentAs(g, k.Sent[g.Signature]))
		case unsettled:
			p.Unsettled = append(p.Unsettled, Held{u, why})
		case waiting:
			p.Waiting = append(p.Waiting, Held{u, why})
		case notSent:
			p.NotSent = append(p.NotSent, Held{u, why})
		}
	}
	linkEarlier(p, k, m, earlier)
	return p
}

// tagLink is the link whose picture's signature an untagged photo gets: by downloaded
// name first. An undecodable download has none to give.
func tagLink(links []Link) (Link, bool) {
	var best Link
	for _, l := range links {
		if l.Local.Signature == "" {
			continue
		}
		if best.Local == nil || l.How == ByDownloadName && best.How != ByDownloadName {
			best = l
		}
	}
	return best, best.Local != nil
}

// keptBySignature maps each signature of the matching's pictures to the copy kept.
func keptBySignature(m *Matching) map[string]*Local {
	out := map[string]*Local{}
	for _, g := range Duplicates(m.Locals) {
		out[g.Signature] = g.Keep
	}
	return out
}

// sentAs is the picture g as this run sent it: Local the copy sent (the one kept, unless
// the library changed since), Copies the others.
func sentAs(g DuplicateGroup, path string) Upload {
	u := Upload{Local: g.Keep, Copies: g.Copies}
	for i, l := range g.Copies {
		if l.Path == path {
			u.Local = l
			u.Copies = append(append([]*Local{g.Keep}, g.Copies[:i]...), g.Copies[i+1:]...)
		}
	}
	return u
}

// verdict is what the plan does with one picture.
type verdict int

const (
	sentAlready verdict = iota // this run sent it (or tried to), whatever came of it
	backedUp                   // a photo matches one of its copies: nothing to send
	sendNow                    // upload its kept copy
	unsettled                  // an earlier upload of it may still land on Flickr
	waiting                    // a photo that could not be identified may be it
	notSent                    // the media rules hold it (mediaVerdict)
)

// verdict is the plan's rule for one picture, its copies g (Keep first): the one function
// that decides whether a picture needs an upload, for the plan and for the uploads made
// while indexing. matched says whether a photo matches a copy (Match's rules).
func (k Known) verdict(g DuplicateGroup, matched func(*Local) bool) (verdict, string) {
	if _, ok := k.Sent[g.Signature]; ok {
		return sentAlready, ""
	}
	for _, l := range append([]*Local{g.Keep}, g.Copies...) {
		if matched(l) {
			return backedUp, ""
		}
	}
	if why, ok := k.Unsettled[g.Signature]; ok {
		return unsettled, why
	}
	if n := k.holding(); n > 0 {
		return waiting, fmt.Sprintf("held back: %s could not be downloaded to be identified, and this picture may be one of them (after %d runs that fail so, the pictures go up)",
			words.Count(n, "Flickr photo"), MaxIdentifyFailures)
	}
	return sendNow, ""
}

// Outlook is what a sync (with default options) would still do, as the catalog stands.
type Outlook struct {
	// Matched counts the library's distinct pictures (signatures) some photo backs up:
	// the summary's "on Flickr" (CoverageOf).
	Matched int `json:"matched"`
	// ToUpload counts the pictures to upload (one per signature).
	ToUpload int `json:"to_upload"`
	// NotSent counts the pictures the media rules hold back (Plan.NotSent): refused by
	// Flickr until they change, or a Live Photo's motion video (sync --live-videos
	// sends those).
	NotSent int `json:"not_sent"`
	// ToTag counts the photos matched without their signature tag.
	ToTag int `json:"to_tag"`
	// ToDownload counts the photos sync2 would download (one per signature; the
	// untagged ones nothing matches included, which sync downloads to identify them).
	ToDownload int `json:"to_download"`
	// Kept counts the photos no picture matches that the library keeps, never
	// downloaded: of pictures the ignore rules exclude, or earlier versions of edited
	// pictures (Superseded of them).
	Kept       int `json:"kept"`
	Superseded int `json:"superseded"`
}

// OutlookOf computes the outlook from the catalog's pictures and photos and what it
// remembers besides (Known's Excluded, Edits, Marked and Media.Refused).
func OutlookOf(locals []Local, remotes []Remote, k Known) Outlook {
	m := Match(locals, remotes, MatchOptions{})
	p := MakePlan(m, k)
	_, earlier := k.keptSignatures(m)
	superseded := 0
	for _, x := range p.Kept {
		if _, ok := earlier[x.Remote.Signature()]; ok {
			superseded++
		}
	}
	return Outlook{Matched: CoverageOf(m).OnFlickr, ToUpload: len(p.Uploads), NotSent: len(p.NotSent), ToTag: len(p.Tags),
		ToDownload: len(onePerSignature(p.Missing)), Kept: len(p.Kept), Superseded: superseded}
}

// StoreOutlook is OutlookOf the store's pictures, photos and memory.
func StoreOutlook(ctx context.Context, s Store) (Outlook, error) {
	locals, err := s.Locals(ctx)
	if err != nil {
		return Outlook{}, err
	}
	remotes, err := s.Remotes(ctx)
	if err != nil {
		return Outlook{}, err
	}
	st := newState(MatchOptions{})
	ex, err := s.ExcludedSignatures(ctx)
	if err != nil {
		return Outlook{}, fmt.Errorf("read catalog: %w", err)
	}
	for _, sig := range ex {
		st.known.Excluded[sig] = true
	}
	if st.known.Media.Refused, err = refusalsOf(ctx, s); err != nil {
		return Outlook{}, err
	}
	c, err := readHistory(ctx, s)
	if err != nil {
		return Outlook{}, err
	}
	st.apply(c)
	return OutlookOf(locals, remotes, st.known), nil
}

// WantedSet is the photoset a library folder should have on Flickr.
type WantedSet struct {
	Title    string
	Dirs     []string // the folders feeding it (the root and the download folder share one)
	Photos   []string // photo ids in order; the first is the primary
	Unsynced int      // pictures of these folders not (yet) on Flickr
}

// WantedSets lists one set per folder holding matched pictures, sorted by title; each
// picture contributes its best match, each photo once per set, in the order of the
// pictures' paths.
func WantedSets(m *Matching) []WantedSet {
	byTitle := map[string]*WantedSet{}
	seen := map[string]map[string]bool{}
	for _, l := range m.Locals {
		title := SetName(l.Dir())
		w := byTitle[title]
		if w == nil {
			w = &WantedSet{Title: title}
			byTitle[title] = w
			seen[title] = map[string]bool{}
		}
		if len(w.Dirs) == 0 || w.Dirs[len(w.Dirs)-1] != l.Dir() {
			w.Dirs = appendUnique(w.Dirs, l.Dir())
		}
		r := m.Best(l)
		if r == nil {
			w.Unsynced++
			continue
		}
		if !seen[title][r.ID] {
			seen[title][r.ID] = true
			w.Photos = append(w.Photos, r.ID)
		}
	}
	var out []WantedSet
	for _, w := range byTitle {
		if len(w.Photos) > 0 {
			out = append(out, *w)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Title < out[j].Title })
	return out
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
