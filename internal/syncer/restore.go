package syncer

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/flickrsync/flickrsync/internal/names"
)

// Where sync2 brings a photo home. A photo missing locally is a picture deleted from the
// library (or one never in it, uploaded another way). One flickrsync put in a folder's
// photoset goes back to that folder, the album's: a folder of the library whose set has
// that name, else the folder the name says ("2019, Rome" is 2019/Rome, each part made
// safe as a name). Any other photo, and one of the set of the root, lands in the root.
// The sets are those Flickr lists as flickrsync's: as the catalog remembers writing them
// (meta sync.photosets), or read when it never saw them (a library restored from Flickr
// into a new catalog); a photo in several goes to the first by name.

// albumFolders says, for each photo sync2 downloads, the folder it goes to (relative to
// the root, "" for the root). m gives the library's folders.
func (r *run) albumFolders(ctx context.Context, m *Matching) (func(*Remote) string, error) {
	root := func(*Remote) string { return "" }
	known, err := r.knownSets(ctx)
	if err != nil {
		return root, err
	}
	sets, err := r.Flickr.Photosets(ctx)
	if err != nil {
		return nil, fmt.Errorf("list photosets: %w", err)
	}
	albums := map[string][]string{} // photo id -> titles of flickrsync's sets holding it
	for _, s := range sets {
		if !s.Ours() {
			continue
		}
		photos := known[s.ID].Photos
		if _, ok := known[s.ID]; !ok {
			// A set this catalog never saw (a library restored from Flickr into a new
			// catalog, another computer's): read, so its photos come home into its folder.
			if photos, err = r.Flickr.PhotosetPhotos(ctx, s.ID); err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				continue // its photos land in the root
			}
		}
		for _, id := range photos {
			albums[id] = append(albums[id], s.Title)
		}
	}
	folders := map[string]string{} // set name -> the first library folder of that name
	for _, l := range m.Locals {
		if _, ok := folders[SetName(l.Dir())]; !ok {
			folders[SetName(l.Dir())] = l.Dir()
		}
	}
	return func(p *Remote) string {
		titles := albums[p.ID]
		sort.Strings(titles)
		for _, t := range titles {
			if t == names.App {
				return "" // the root's set (which the download folder shares)
			}
			if dir, ok := folders[t]; ok {
				return dir
			}
			if dir := folderNamed(t); dir != "" {
				return dir
			}
		}
		return ""
	}, nil
}

// folderNamed is the folder a set name says (SetName's inverse): its parts, separated by
// ", ", each made safe as a file name; "" when a part has nothing left.
func folderNamed(title string) string {
	parts := strings.Split(title, ", ")
	for i, p := range parts {
		if parts[i] = names.SanitizeName(p, 255); parts[i] == "" {
			return ""
		}
	}
	return strings.Join(parts, "/")
}
