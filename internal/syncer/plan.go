package syncer

import "sort"

// TagChange adds the signature tag to a Flickr photo matched without it.
type TagChange struct {
	Remote    *Remote
	Signature string
	Local     *Local // the picture it matched
	How       How
}

// Upload is a picture no Flickr photo matches; Copies are its duplicates, not uploaded.
type Upload struct {
	Local  *Local
	Copies []*Local
}

// Plan is what a sync would do with the library and account as they are now. Each part
// is computed from the same matching; the engine re-plans after every step that changes
// the library or the account.
type Plan struct {
	// Identify are photos without a signature tag that no picture matches: they are
	// downloaded into the download folder to be indexed and matched by their file name.
	Identify []*Remote
	// Tags are photos matched by name and date or by downloaded name but lacking the tag.
	Tags []TagChange
	// Uploads are the pictures no photo matches, one per signature.
	Uploads []Upload
	// Missing are photos no picture matches at all (sync2 downloads them).
	Missing []*Remote
	// Duplicates counts the local copies that are never uploaded because another copy
	// of the same picture is (or will be) on Flickr.
	Duplicates int
}

// MakePlan computes the plan from a matching.
func MakePlan(m *Matching) *Plan {
	p := &Plan{}
	for _, r := range m.Remotes {
		links := m.ByRemote[r.ID]
		if len(links) == 0 {
			p.Missing = append(p.Missing, r)
			if r.Signature() == "" {
				p.Identify = append(p.Identify, r)
			}
			continue
		}
		if r.Signature() == "" {
			best := links[0]
			for _, k := range links {
				if k.How == ByDownloadName && best.How != ByDownloadName {
					best = k
				}
			}
			p.Tags = append(p.Tags, TagChange{Remote: r, Signature: best.Local.Signature, Local: best.Local, How: best.How})
		}
	}
	for _, g := range Duplicates(m.Locals) {
		p.Duplicates += len(g.Copies)
		matched := false
		for _, l := range append([]*Local{g.Keep}, g.Copies...) {
			if len(m.ByLocal[l.Path]) > 0 {
				matched = true
				break
			}
		}
		if !matched {
			p.Uploads = append(p.Uploads, Upload{Local: g.Keep, Copies: g.Copies})
		}
	}
	sort.Slice(p.Uploads, func(i, j int) bool { return p.Uploads[i].Local.Path < p.Uploads[j].Local.Path })
	return p
}

// Outlook is what a sync (with default options) would still do, as the catalog stands.
type Outlook struct {
	// Matched counts the library's distinct pictures (signatures) some photo backs up.
	Matched int `json:"matched"`
	// ToUpload counts the pictures to upload (one per signature).
	ToUpload int `json:"to_upload"`
	// ToTag counts the photos matched without their signature tag.
	ToTag int `json:"to_tag"`
	// ToDownload counts the photos sync2 would download (one per signature; the
	// untagged ones nothing matches included, which sync downloads to identify them).
	ToDownload int `json:"to_download"`
}

// OutlookOf computes the outlook from the catalog's pictures and photos.
func OutlookOf(locals []Local, remotes []Remote) Outlook {
	m := Match(locals, remotes, MatchOptions{})
	p := MakePlan(m)
	signatures := len(m.Locals) - p.Duplicates // one group per signature
	return Outlook{Matched: signatures - len(p.Uploads), ToUpload: len(p.Uploads), ToTag: len(p.Tags),
		ToDownload: len(onePerSignature(p.Missing))}
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
