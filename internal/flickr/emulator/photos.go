package emulator

import (
	"strconv"
	"strings"
	"time"
)

func notFoundPhoto(id string) *apiErr {
	return fail(1, "Photo \""+id+"\" not found (invalid ID)")
}

// readyLocked: an async upload's photo exists once its ticket completed.
func (srv *Server) readyLocked(p *photo, now time.Time) bool {
	if srv.ticketOf == nil {
		srv.ticketOf = map[string]*ticket{}
		for _, t := range srv.st.Tickets {
			srv.ticketOf[t.PhotoID] = t
		}
	}
	if t := srv.ticketOf[p.ID]; t != nil {
		return !t.Failed && !now.Before(t.ReadyAt)
	}
	return true
}

// ownPhotoLocked finds a photo the caller may modify (it must be ready).
func (c *call) ownPhotoLocked(id string) *photo {
	p := c.srv.photoLocked(id)
	if p == nil || !c.srv.readyLocked(p, time.Now()) {
		return nil
	}
	return p
}

// touchLocked sets lastupdate to the time of the change (never moving it back if the
// clock does) and marks the photo for saving.
func (srv *Server) touchLocked(p *photo) {
	p.LastUpdate = max(srv.now().Unix(), p.LastUpdate)
	srv.markPhoto(p)
}

func (srv *Server) tagID(p *photo, t photoTag) string {
	return srv.authNum + "-" + p.ID + "-" + strconv.FormatInt(t.GlobalID, 10)
}

func (c *call) tagNode(p *photo, t photoTag) *node {
	return textEl("tag", t.Clean, s("id", c.srv.tagID(p, t)), s("author", c.srv.cfg.UserNSID),
		s("authorname", c.srv.cfg.Username), s("raw", t.Raw), n("machine_tag", b2i(t.Machine)))
}

func (c *call) photosGetInfo() ([]*node, *apiErr) {
	id := c.arg("photo_id")
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	p := c.ownPhotoLocked(id)
	if p == nil || (!c.authed() && p.IsPublic == 0) {
		return nil, notFoundPhoto(id)
	}
	cfg := c.srv.cfg
	own := b2i(c.authed())
	e := el("photo", s("id", p.ID), s("secret", p.Secret), s("server", p.Server), n("farm", p.Farm),
		s("dateuploaded", strconv.FormatInt(p.DateUpload, 10)), n("isfavorite", 0), s("license", "0"),
		s("safety_level", "0"), n("rotation", 0), s("originalsecret", p.OriginalSecret),
		s("originalformat", p.Format), s("views", "0"), s("media", "photo"))
	e.add(el("owner", s("nsid", cfg.UserNSID), s("username", cfg.Username), s("realname", cfg.Fullname),
		s("location", ""), s("iconserver", "0"), n("iconfarm", 0), null("path_alias")))
	e.add(textEl("title", p.Title), textEl("description", p.Description))
	e.add(el("visibility", n("ispublic", p.IsPublic), n("isfriend", p.IsFriend), n("isfamily", p.IsFamily)))
	e.add(el("dates", s("posted", strconv.FormatInt(p.DateUpload, 10)), s("taken", p.DateTaken),
		s("takengranularity", "0"), s("takenunknown", strconv.FormatInt(p.TakenUnknown, 10)),
		s("lastupdate", strconv.FormatInt(p.LastUpdate, 10))))
	if own == 1 {
		e.add(el("permissions", n("permcomment", 3), n("permaddmeta", 2)))
	}
	e.add(el("editability", n("cancomment", own), n("canaddmeta", own)))
	e.add(el("publiceditability", n("cancomment", 1), n("canaddmeta", 0)))
	e.add(el("usage", n("candownload", 1), n("canblog", own), n("canprint", own), n("canshare", 1)))
	e.add(textEl("comments", "0"), el("notes").list("note"), el("people", n("haspeople", 0)))
	tags := el("tags").list("tag")
	for _, t := range p.Tags {
		tags.add(c.tagNode(p, t))
	}
	e.add(tags)
	e.add(el("urls").list("url").add(textEl("url", "https://www.flickr.com/photos/"+cfg.UserNSID+"/"+p.ID+"/", s("type", "photopage"))))
	return []*node{e}, nil
}

// photosGetSizes lists the one size the emulator keeps: the original.
func (c *call) photosGetSizes() ([]*node, *apiErr) {
	id := c.arg("photo_id")
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	p := c.ownPhotoLocked(id)
	if p == nil || (!c.authed() && p.IsPublic == 0) {
		return nil, fail(1, "Photo not found")
	}
	sizes := el("sizes", n("canblog", 0), n("canprint", 0), n("candownload", 1)).list("size")
	sizes.add(el("size", s("label", "Original"), s("width", strconv.FormatInt(p.Width, 10)), s("height", strconv.FormatInt(p.Height, 10)),
		s("source", c.srv.originalURL(c.base, p)), s("url", "https://www.flickr.com/photos/"+c.srv.cfg.UserNSID+"/"+p.ID+"/sizes/o/"),
		s("media", "photo")))
	return []*node{sizes}, nil
}

// newTagsLocked parses a tags argument into tags not yet on the photo (dedup by clean form).
func (srv *Server) newTagsLocked(existing []photoTag, arg string) []photoTag {
	seen := map[string]bool{}
	for _, t := range existing {
		seen[t.Clean] = true
	}
	var out []photoTag
	for _, raw := range parseTagList(arg) {
		clean, machine := cleanTag(raw)
		if clean == "" || seen[clean] {
			continue
		}
		seen[clean] = true
		id, ok := srv.st.TagIDs[clean]
		if !ok {
			srv.st.NextTagID += 1 + int64(srv.rng.Intn(50))
			id = srv.st.NextTagID
			srv.st.TagIDs[clean] = id
			srv.markTag(clean)
		}
		out = append(out, photoTag{GlobalID: id, Raw: raw, Clean: clean, Machine: machine})
	}
	return out
}

func (c *call) addTags() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	p := c.ownPhotoLocked(c.arg("photo_id"))
	if p == nil {
		return nil, fail(1, "Photo not found")
	}
	add := c.srv.newTagsLocked(p.Tags, c.arg("tags"))
	if len(p.Tags)+len(add) > maxTagsPerPhoto {
		return nil, fail(2, "Maximum number of tags reached")
	}
	out := el("tags").list("tag")
	if len(add) > 0 {
		p.Tags = append(p.Tags, add...)
		c.srv.touchLocked(p)
		if err := c.srv.saveLocked(); err != nil {
			return nil, fail(106, "Write operation failed")
		}
	}
	for _, t := range add {
		out.add(c.tagNode(p, t))
	}
	return []*node{out}, nil
}

func (c *call) setTags() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	p := c.ownPhotoLocked(c.arg("photo_id"))
	if p == nil {
		return nil, fail(1, "Photo not found")
	}
	tags := c.srv.newTagsLocked(nil, c.arg("tags"))
	if len(tags) > maxTagsPerPhoto {
		return nil, fail(2, "Maximum number of tags reached")
	}
	p.Tags = tags
	c.srv.touchLocked(p)
	if err := c.srv.saveLocked(); err != nil {
		return nil, fail(106, "Write operation failed")
	}
	return nil, nil
}

func (c *call) removeTag() ([]*node, *apiErr) {
	id := c.arg("tag_id")
	parts := strings.Split(id, "-")
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	if len(parts) != 3 || parts[0] != c.srv.authNum {
		return nil, fail(1, "Tag not found")
	}
	p := c.ownPhotoLocked(parts[1])
	if p == nil {
		return nil, fail(1, "Tag not found")
	}
	for i, t := range p.Tags {
		if strconv.FormatInt(t.GlobalID, 10) == parts[2] {
			p.Tags = append(p.Tags[:i:i], p.Tags[i+1:]...)
			c.srv.touchLocked(p)
			if err := c.srv.saveLocked(); err != nil {
				return nil, fail(106, "Write operation failed")
			}
			return nil, nil
		}
	}
	return nil, fail(1, "Tag not found")
}

func (c *call) setMeta() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	p := c.ownPhotoLocked(c.arg("photo_id"))
	if p == nil {
		return nil, fail(1, "Photo not found")
	}
	if c.q.has("title") {
		p.Title = c.arg("title")
	}
	if c.q.has("description") {
		p.Description = c.arg("description")
	}
	c.srv.touchLocked(p)
	if err := c.srv.saveLocked(); err != nil {
		return nil, fail(106, "Write operation failed")
	}
	return nil, nil
}

func (c *call) photosDelete() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	p := c.ownPhotoLocked(c.arg("photo_id"))
	if p == nil {
		return nil, fail(1, "Photo not found")
	}
	c.srv.deletePhotoLocked(p)
	if err := c.srv.saveLocked(); err != nil {
		return nil, fail(106, "Write operation failed")
	}
	return nil, nil
}

// deletePhotoLocked removes a photo, its bytes, and its place in sets (a set left empty
// disappears; a removed primary is replaced by the set's first photo).
func (srv *Server) deletePhotoLocked(p *photo) {
	for i, q := range srv.st.Photos {
		if q == p {
			srv.st.Photos = append(srv.st.Photos[:i:i], srv.st.Photos[i+1:]...)
			break
		}
	}
	for _, ps := range append([]*photoset(nil), srv.st.Sets...) {
		srv.removeFromSetLocked(ps, []string{p.ID})
	}
	for id, t := range srv.st.Tickets {
		if t.PhotoID == p.ID {
			delete(srv.st.Tickets, id)
			srv.markTicket(id)
		}
	}
	srv.ticketOf = nil
	srv.markPhotoGone(p.ID)
	srv.dropBlobLocked(p)
}

func (c *call) checkTickets() ([]*node, *apiErr) {
	root := el("uploader").list("ticket")
	now := time.Now()
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	ids := splitQueryList(c.arg("tickets"))
	for _, id := range ids {
		t := c.srv.st.Tickets[id]
		switch {
		case t == nil:
			root.add(el("ticket", s("id", id), n("invalid", 1)))
		case t.Failed:
			root.add(el("ticket", s("id", id), n("complete", 2)))
		case now.Before(t.ReadyAt):
			root.add(el("ticket", s("id", id), n("complete", 0)))
		default:
			root.add(el("ticket", s("id", id), n("complete", 1), s("photoid", t.PhotoID), null("imported")))
		}
	}
	return []*node{root}, nil
}
