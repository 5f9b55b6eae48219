package emulator

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

func errSetNotFound() *apiErr { return fail(1, "Photoset not found") }

func (srv *Server) setURL(ps *photoset) string {
	return "https://www.flickr.com/photos/" + srv.owner(ps.Owner).NSID + "/sets/" + ps.ID + "/"
}

func (c *call) setPrimary(ps *photoset) *photo { return c.srv.photoLocked(ps.Primary) }

// ownSetLocked finds a set of the caller's; another member's set is not found, as the
// photosets write methods' docs say ("not a valid photoset id owned by the calling user").
func (c *call) ownSetLocked(id string) *photoset {
	ps := c.srv.setLocked(id)
	if ps == nil || !c.ownsSet(ps) {
		return nil
	}
	return ps
}

// mediaCounts counts a set's photos and videos.
func (srv *Server) mediaCounts(ps *photoset) (photos, videos int) {
	for _, id := range ps.Photos {
		if p := srv.photoLocked(id); p != nil && p.isVideo() {
			videos++
		} else {
			photos++
		}
	}
	return photos, videos
}

func (c *call) setsGetList() ([]*node, *apiErr) {
	who := c.caller()
	if u := c.arg("user_id"); u != "" {
		who = c.srv.byNSID[u]
	}
	if who == nil {
		return nil, fail(1, "User not found")
	}
	perPage, page := 500, 1
	if c.arg("per_page") != "" || c.arg("page") != "" {
		perPage, page = c.paging(500)
	}
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	var sets []*photoset
	key := c.srv.ownerKey(who)
	for _, ps := range c.srv.st.Sets {
		if ps.Owner == key {
			sets = append(sets, ps)
		}
	}
	items, pages := pageOf(sets, perPage, page, 0)
	root := el("photosets", n("page", int64(page)), n("pages", int64(pages)), n("perpage", int64(perPage)),
		n("total", int64(len(sets))), n("cancreate", 1)).list("photoset")
	for _, ps := range items {
		e := el("photoset", s("id", ps.ID), s("primary", ps.Primary))
		if p := c.setPrimary(ps); p != nil {
			e.set(s("secret", p.Secret), s("server", p.Server), n("farm", p.Farm))
		}
		photos, videos := c.srv.mediaCounts(ps)
		e.set(s("photos", strconv.Itoa(photos)), n("videos", int64(videos)), n("needs_interstitial", 0),
			n("visibility_can_see_set", 1), s("count_views", "0"), s("count_comments", "0"), n("can_comment", 1),
			s("date_create", strconv.FormatInt(ps.Created, 10)), s("date_update", strconv.FormatInt(ps.Updated, 10)))
		e.add(textEl("title", ps.Title), textEl("description", ps.Description))
		root.add(e)
	}
	return []*node{root}, nil
}

func (c *call) setsGetPhotos() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	ps := c.srv.setLocked(c.arg("photoset_id"))
	if ps == nil {
		return nil, errSetNotFound()
	}
	var all []*photo
	now := time.Now()
	for _, id := range ps.Photos {
		p := c.srv.photoLocked(id)
		if p == nil || !c.srv.readyLocked(p, now) || !c.owns(p) && p.IsPublic == 0 || !c.commonFilter(p) {
			continue
		}
		all = append(all, p)
	}
	perPage, page := c.paging(500)
	items, pages := pageOf(all, perPage, page, 0)
	ex, urls := parseExtras(c.arg("extras")), urlExtras(c.arg("extras"))
	o := c.srv.owner(ps.Owner)
	root := el("photoset", s("id", ps.ID), s("primary", ps.Primary), s("owner", o.NSID),
		s("ownername", o.Username), n("page", int64(page)), n("per_page", int64(perPage)),
		n("perpage", int64(perPage)), n("pages", int64(pages)), s("title", ps.Title),
		s("total", strconv.Itoa(len(all)))).list("photo")
	for _, p := range items {
		root.add(c.photoNode(p, ex, urls, ps))
	}
	return []*node{root}, nil
}

func (c *call) setsGetInfo() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	ps := c.srv.setLocked(c.arg("photoset_id"))
	if ps == nil {
		return nil, errSetNotFound()
	}
	o := c.srv.owner(ps.Owner)
	e := el("photoset", s("id", ps.ID), s("owner", o.NSID), s("username", o.Username), s("primary", ps.Primary))
	if p := c.setPrimary(ps); p != nil {
		e.set(s("secret", p.Secret), s("server", p.Server), n("farm", p.Farm))
	}
	photos, videos := c.srv.mediaCounts(ps)
	e.set(n("photos", int64(photos)), s("count_views", "0"), s("count_comments", "0"),
		s("count_photos", strconv.Itoa(photos)), n("count_videos", int64(videos)), n("can_comment", 1),
		s("date_create", strconv.FormatInt(ps.Created, 10)), s("date_update", strconv.FormatInt(ps.Updated, 10)),
		s("coverphoto_server", "0"), n("coverphoto_farm", 0))
	e.add(textEl("title", ps.Title), textEl("description", ps.Description))
	return []*node{e}, nil
}

func (c *call) setsCreate() ([]*node, *apiErr) {
	title := c.arg("title")
	if title == "" {
		return nil, fail(1, "No title specified")
	}
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	p := c.ownPhotoLocked(c.arg("primary_photo_id"))
	if p == nil {
		return nil, fail(2, "Photo not found")
	}
	mine := 0
	for _, ps := range c.srv.st.Sets {
		if c.ownsSet(ps) {
			mine++
		}
	}
	if m := c.srv.cfg.MaxSets; m > 0 && mine >= m {
		return nil, fail(3, "Can't create any more sets")
	}
	c.srv.st.NextSetID += 1 + int64(c.srv.rng.Intn(1000))
	now := c.srv.now().Unix()
	ps := &photoset{ID: strconv.FormatInt(c.srv.st.NextSetID, 10), Owner: c.tok.User, Title: title, Description: c.arg("description"),
		Primary: p.ID, Photos: []string{p.ID}, Created: now, Updated: now}
	c.srv.st.Sets = append([]*photoset{ps}, c.srv.st.Sets...)
	c.srv.markSet(ps.ID, true)
	if err := c.srv.saveLocked(); err != nil {
		return nil, fail(106, "Write operation failed")
	}
	return []*node{el("photoset", s("id", ps.ID), s("url", c.srv.setURL(ps)))}, nil
}

func (c *call) setsEditMeta() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	ps := c.ownSetLocked(c.arg("photoset_id"))
	if ps == nil {
		return nil, errSetNotFound()
	}
	if c.arg("title") == "" {
		return nil, fail(2, "No title specified")
	}
	ps.Title = c.arg("title")
	if c.q.has("description") {
		ps.Description = c.arg("description")
	}
	return c.setChanged(ps)
}

func (c *call) setChanged(ps *photoset) ([]*node, *apiErr) {
	ps.Updated = c.srv.now().Unix()
	c.srv.markSet(ps.ID, false)
	if err := c.srv.saveLocked(); err != nil {
		return nil, fail(106, "Write operation failed")
	}
	return nil, nil
}

func splitIDs(v string) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range strings.Split(v, ",") {
		if id = strings.TrimSpace(id); id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func (c *call) setsEditPhotos() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	ps := c.ownSetLocked(c.arg("photoset_id"))
	if ps == nil {
		return nil, errSetNotFound()
	}
	ids := splitIDs(c.arg("photo_ids"))
	if len(ids) == 0 {
		return nil, fail(5, "Empty photos list")
	}
	primary := c.arg("primary_photo_id")
	if c.ownPhotoLocked(primary) == nil {
		return nil, fail(3, "Primary photo not found")
	}
	inList := false
	for _, id := range ids {
		if c.ownPhotoLocked(id) == nil {
			return nil, fail(2, "Photo not found")
		}
		inList = inList || id == primary
	}
	if !inList {
		return nil, fail(4, "Primary photo not in list")
	}
	ps.Photos, ps.Primary = ids, primary
	c.srv.markSet(ps.ID, true)
	return c.setChanged(ps)
}

func (c *call) setsAddPhoto() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	ps := c.ownSetLocked(c.arg("photoset_id"))
	if ps == nil {
		return nil, errSetNotFound()
	}
	id := c.arg("photo_id")
	if c.ownPhotoLocked(id) == nil {
		return nil, fail(2, "Photo not found")
	}
	for _, x := range ps.Photos {
		if x == id {
			return nil, fail(3, "Photo already in set")
		}
	}
	if m := c.srv.cfg.MaxSetPhotos; m > 0 && len(ps.Photos) >= m {
		return nil, fail(10, "Maximum number of photos in set")
	}
	ps.Photos = append(ps.Photos, id)
	return c.setChanged(ps)
}

// removeFromSetLocked drops ids from a set; an emptied set disappears, a removed primary
// is replaced by the first remaining photo. It reports whether the set still exists.
func (srv *Server) removeFromSetLocked(ps *photoset, ids []string) bool {
	drop := map[string]bool{}
	for _, id := range ids {
		drop[id] = true
	}
	var keep []string
	for _, x := range ps.Photos {
		if !drop[x] {
			keep = append(keep, x)
		}
	}
	if len(keep) == len(ps.Photos) {
		return true
	}
	ps.Photos = keep
	ps.Updated = srv.now().Unix()
	srv.markSet(ps.ID, true)
	if len(keep) == 0 {
		srv.deleteSetLocked(ps.ID)
		return false
	}
	if drop[ps.Primary] {
		ps.Primary = keep[0]
	}
	return true
}

func (srv *Server) deleteSetLocked(id string) {
	for i, ps := range srv.st.Sets {
		if ps.ID == id {
			srv.st.Sets = append(srv.st.Sets[:i:i], srv.st.Sets[i+1:]...)
			return
		}
	}
}

// removePhotos takes ids out of the set; with single (removePhoto) a photo that is not in
// it is error 3, as that method's doc says (removePhotos documents no such error).
func (c *call) removePhotos(ids []string, single bool) ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	ps := c.ownSetLocked(c.arg("photoset_id"))
	if ps == nil {
		return nil, errSetNotFound()
	}
	if len(ids) == 0 {
		return nil, fail(2, "Photo not found")
	}
	for _, id := range ids {
		if c.ownPhotoLocked(id) == nil {
			return nil, fail(2, "Photo not found")
		}
		if single && !slices.Contains(ps.Photos, id) {
			return nil, fail(3, "Photo not in set")
		}
	}
	c.srv.removeFromSetLocked(ps, ids)
	if err := c.srv.saveLocked(); err != nil {
		return nil, fail(106, "Write operation failed")
	}
	return nil, nil
}

func (c *call) setsRemovePhoto() ([]*node, *apiErr) {
	return c.removePhotos(splitIDs(c.arg("photo_id")), true)
}

func (c *call) setsRemovePhotos() ([]*node, *apiErr) {
	return c.removePhotos(splitIDs(c.arg("photo_ids")), false)
}

func (c *call) setsDelete() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	if c.ownSetLocked(c.arg("photoset_id")) == nil {
		return nil, errSetNotFound()
	}
	c.srv.deleteSetLocked(c.arg("photoset_id"))
	if err := c.srv.saveLocked(); err != nil {
		return nil, fail(106, "Write operation failed")
	}
	return nil, nil
}

// setsOrder puts the caller's listed sets first, in order; the caller's others follow
// ordered by id. Other members' sets keep their places in the shared list.
func (c *call) setsOrder() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	ids := splitIDs(c.arg("photoset_ids"))
	var first []*photoset
	listed := map[string]bool{}
	for _, id := range ids {
		ps := c.ownSetLocked(id)
		if ps == nil {
			return nil, fail(1, "Set not found")
		}
		first = append(first, ps)
		listed[id] = true
	}
	var rest []*photoset
	for _, ps := range c.srv.st.Sets {
		if c.ownsSet(ps) && !listed[ps.ID] {
			rest = append(rest, ps)
		}
	}
	sort.SliceStable(rest, func(i, j int) bool { return idLess(rest[i].ID, rest[j].ID) })
	mine := append(first, rest...)
	for i, ps := range c.srv.st.Sets {
		if c.ownsSet(ps) {
			c.srv.st.Sets[i], mine = mine[0], mine[1:]
		}
	}
	if err := c.srv.saveLocked(); err != nil {
		return nil, fail(106, "Write operation failed")
	}
	return nil, nil
}

func (c *call) setsSetPrimary() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	ps := c.ownSetLocked(c.arg("photoset_id"))
	if ps == nil {
		return nil, errSetNotFound()
	}
	id := c.arg("photo_id")
	if c.ownPhotoLocked(id) == nil {
		return nil, fail(2, "Photo not found")
	}
	for _, x := range ps.Photos {
		if x == id {
			ps.Primary = id
			return c.setChanged(ps)
		}
	}
	// [?] the doc lists no error for a photo outside the set; refused rather than added
	return nil, fail(3, "Photo not in set")
}

// setsReorderPhotos puts the listed photos first, in the order given; the set's other
// photos follow in their former order (the doc: "Photos that are not in the list will
// keep their original order"). The primary photo stays.
func (c *call) setsReorderPhotos() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	ps := c.ownSetLocked(c.arg("photoset_id"))
	if ps == nil {
		return nil, errSetNotFound()
	}
	ids := splitIDs(c.arg("photo_ids"))
	if len(ids) == 0 {
		return nil, fail(2, "Photo not found")
	}
	listed := map[string]bool{}
	for _, id := range ids {
		if c.ownPhotoLocked(id) == nil || !slices.Contains(ps.Photos, id) {
			return nil, fail(2, "Photo not found")
		}
		listed[id] = true
	}
	order := append([]string(nil), ids...)
	for _, id := range ps.Photos {
		if !listed[id] {
			order = append(order, id)
		}
	}
	ps.Photos = order
	c.srv.markSet(ps.ID, true)
	return c.setChanged(ps)
}
