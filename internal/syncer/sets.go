package syncer

import (
	"slices"
	"sort"
	"strings"

	"github.com/flickrsync/flickrsync/internal/names"
)

// Photoset is a Flickr photoset as photosets.getList describes it.
type Photoset struct {
	ID          string
	Title       string
	Description string
	Primary     string
	Count       int   // photos + videos
	Updated     int64 // date_update: unix seconds of its last change, on Flickr's clock; 0 unknown
}

// SetName is the name of the photoset of a library folder: the folder's path relative to
// the library root, separators written as ", " ("2019, Rome"); the root itself gives
// "flickrsync", as does the download folder.
func SetName(dir string) string {
	dir = strings.Trim(dir, "/")
	if dir == "" {
		return names.App
	}
	return strings.ReplaceAll(dir, "/", ", ")
}

// Ours reports whether flickrsync created the set (its description says so).
func (s Photoset) Ours() bool { return strings.TrimSpace(s.Description) == SetDescription }

// SetAction is what happens to one photoset.
type SetAction int

const (
	SetKeep   SetAction = iota // already holds exactly the wanted photos: no call
	SetCreate                  // create, then editPhotos when it holds more than the primary
	SetEdit                    // editPhotos: replace the photos and primary
	SetDelete                  // one of ours no folder uses any more
)

func (a SetAction) String() string {
	return [...]string{"keep", "create", "update", "delete"}[a]
}

// SetChange is one step of the photosets plan.
type SetChange struct {
	Action SetAction
	ID     string // the existing set (keep, edit, delete)
	Title  string
	Photos []string // wanted photos, primary first (create, edit, keep)
	Old    int      // photos the set held (edit, delete)
}

// SetMemory is what the catalog remembers of a set: the photos it held, in order, when
// its date_update was Updated (0: unknown), as flickrsync last wrote or read them.
type SetMemory struct {
	Photos  []string `json:"photos"`
	Updated int64    `json:"updated,omitempty"`
}

// holds reports whether s, as photosets.getList describes it now, is known to hold
// exactly photos in that order: the same count, primary and remembered photos, and no
// change on Flickr since (its date_update moves when a member reorders it, removes or
// adds a photo, changes its primary).
func (k SetMemory) holds(s Photoset, photos []string) bool {
	return len(photos) > 0 && s.Count == len(photos) && s.Primary == photos[0] && slices.Equal(k.Photos, photos) &&
		(k.Updated == 0 || s.Updated == 0 || k.Updated == s.Updated)
}

// PlanSets compares the wanted sets with the account's. known holds, per set id, what
// the catalog remembers of it: a set known to hold the wanted photos (SetMemory.holds)
// is kept without any call; any other is edited, which repairs it (photos put back,
// primary and order restored). Only sets carrying flickrsync's description are ever
// edited or deleted; of several of ours with one title, the newest (highest id) is used
// and the others are deleted. When no folder wants a set, nothing is deleted.
func PlanSets(wanted []WantedSet, existing []Photoset, known map[string]SetMemory) []SetChange {
	ours := map[string][]Photoset{}
	for _, s := range existing {
		if s.Ours() {
			ours[s.Title] = append(ours[s.Title], s)
		}
	}
	used := map[string]bool{}
	var out []SetChange
	for _, w := range wanted {
		if len(w.Photos) == 0 {
			continue
		}
		cands := ours[w.Title]
		if len(cands) == 0 {
			out = append(out, SetChange{Action: SetCreate, Title: w.Title, Photos: w.Photos})
			continue
		}
		sort.Slice(cands, func(i, j int) bool { return lessID(cands[j].ID, cands[i].ID) })
		s := cands[0]
		used[s.ID] = true
		if known[s.ID].holds(s, w.Photos) {
			out = append(out, SetChange{Action: SetKeep, ID: s.ID, Title: w.Title, Photos: w.Photos, Old: s.Count})
			continue
		}
		out = append(out, SetChange{Action: SetEdit, ID: s.ID, Title: w.Title, Photos: w.Photos, Old: s.Count})
	}
	if len(out) == 0 {
		// No folder holds a matched picture (an empty or unmounted library): deleting
		// every set would be a disaster, not a sync.
		return nil
	}
	var dels []SetChange
	for _, s := range existing {
		if s.Ours() && !used[s.ID] {
			dels = append(dels, SetChange{Action: SetDelete, ID: s.ID, Title: s.Title, Old: s.Count})
		}
	}
	sort.Slice(dels, func(i, j int) bool { return lessID(dels[i].ID, dels[j].ID) })
	return append(out, dels...)
}
