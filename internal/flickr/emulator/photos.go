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

// ownPhotoLocked finds a photo the caller may modify: the caller's, and ready.
func (c *call) ownPhotoLocked(id string) *photo {
	p := c.srv.photoLocked(id)
	if p == nil || !c.owns(p) || !c.srv.readyLocked(p, time.Now()) {
		return nil
	}
	return p
}

// seenPhotoLocked finds a photo the caller may look at: ready, and public or the caller's.
func (c *call) seenPhotoLocked(id string) *photo {
	p := c.srv.photoLocked(id)
	if p == nil || !c.srv.readyLocked(p, time.Now()) || p.IsPublic == 0 && !c.owns(p) {
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

// tagID is <author's number>-<photo id>-<global tag id>; only owners tag here, so the
// author is the photo's owner.
func (srv *Server) tagID(p *photo, t photoTag) string {
	return srv.owner(p.Owner).authNum + "-" + p.ID + "-" + strconv.FormatInt(t.GlobalID, 10)
}

func (c *call) tagNode(p *photo, t photoTag) *node {
	o := c.srv.owner(p.Owner)
	return textEl("tag", t.Clean, s("id", c.srv.tagID(p, t)), s("author", o.NSID),
		s("authorname", o.Username), s("raw", t.Raw), n("machine_tag", b2i(t.Machine)))
}

func (c *call) photosGetInfo() ([]*node, *apiErr) {
	id := c.arg("photo_id")
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	p := c.seenPhotoLocked(id)
	if p == nil {
		return nil, notFoundPhoto(id)
	}
	o := c.srv.owner(p.Owner)
	own := b2i(c.owns(p))
	media := "photo"
	if p.isVideo() {
		media = "video"
	}
	e := el("photo", s("id", p.ID), s("secret", p.Secret), s("server", p.Server), n("farm", p.Farm),
		s("dateuploaded", strconv.FormatInt(p.DateUpload, 10)), n("isfavorite", 0), s("license", "0"),
		s("safety_level", strconv.FormatInt(p.SafetyLevel, 10)), n("rotation", 0))
	if c.srv.mayOriginal(p) {
		e.set(s("originalsecret", p.OriginalSecret), s("originalformat", p.Format))
	}
	e.set(s("views", "0"), s("media", media))
	e.add(el("owner", s("nsid", o.NSID), s("username", o.Username), s("realname", o.Fullname),
		s("location", ""), s("iconserver", "0"), n("iconfarm", 0), null("path_alias")))
	e.add(textEl("title", p.Title), textEl("description", p.Description))
	e.add(el("visibility", n("ispublic", p.IsPublic), n("isfriend", p.IsFriend), n("isfamily", p.IsFamily)))
	e.add(el("dates", s("posted", strconv.FormatInt(p.DateUpload, 10)), s("taken", p.DateTaken),
		s("takengranularity", strconv.FormatInt(p.TakenGranularity, 10)), s("takenunknown", strconv.FormatInt(p.TakenUnknown, 10)),
		s("lastupdate", strconv.FormatInt(p.LastUpdate, 10))))
	if own == 1 {
		comment, addmeta := p.perms()
		e.add(el("permissions", n("permcomment", comment), n("permaddmeta", addmeta)))
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
	e.add(el("urls").list("url").add(textEl("url", "https://www.flickr.com/photos/"+o.NSID+"/"+p.ID+"/", s("type", "photopage"))))
	if p.isVideo() {
		e.add(c.srv.videoNode(p, time.Now()))
	}
	return []*node{e}, nil
}

// perms are p's permcomment and permaddmeta (setPerms), defaults where never set.
func (p *photo) perms() (comment, addmeta int64) {
	comment, addmeta = 3, 2
	if p.PermComment != nil {
		comment = *p.PermComment
	}
	if p.PermAddMeta != nil {
		addmeta = *p.PermAddMeta
	}
	return comment, addmeta
}

// photosGetSizes lists the derived JPEG sizes Flickr makes (a video's are its poster
// frame's), the Original where the owner's account gives it out, and a video's player and
// MP4s (videoSizes).
func (c *call) photosGetSizes() ([]*node, *apiErr) {
	id := c.arg("photo_id")
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	p := c.seenPhotoLocked(id)
	if p == nil {
		return nil, fail(1, "Photo not found")
	}
	nsid := c.srv.owner(p.Owner).NSID
	size := func(label string, w, h int64, source, urlPart, media string) *node {
		dim := func(v int64) string {
			if v <= 0 {
				return ""
			}
			return strconv.FormatInt(v, 10)
		}
		return el("size", s("label", label), s("width", dim(w)), s("height", dim(h)), s("source", source),
			s("url", "https://www.flickr.com/photos/"+nsid+"/"+p.ID+"/"+urlPart), s("media", media))
	}
	sizes := el("sizes", n("canblog", 0), n("canprint", 0), n("candownload", 1)).list("size")
	for _, d := range sizeDefs {
		if w, h, ok := d.dims(p.Width, p.Height); ok {
			sizes.add(size(d.label, w, h, c.srv.sizeURL(c.base, p, d), "sizes/"+d.extra+"/", "photo"))
		}
	}
	if c.srv.mayOriginal(p) {
		sizes.add(size("Original", p.Width, p.Height, c.srv.originalURL(c.base, p), "sizes/o/", "photo"))
	}
	if p.isVideo() {
		for _, v := range c.videoSizes(p, time.Now()) {
			sizes.add(size(v.label, v.w, v.h, v.source, "", "video"))
		}
	}
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
	return c.changed(p)
}

func (c *call) removeTag() ([]*node, *apiErr) {
	id := c.arg("tag_id")
	parts := strings.Split(id, "-")
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	if len(parts) != 3 || parts[0] != c.caller().authNum {
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
	return c.changed(p)
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
// disappears; a removed primary is replaced by the set's first photo). Its record is
// remembered for dedup_check.
func (srv *Server) deletePhotoLocked(p *photo) {
	for i, q := range srv.st.Photos {
		if q == p {
			srv.st.Photos = append(srv.st.Photos[:i:i], srv.st.Photos[i+1:]...)
			break
		}
	}
	delete(srv.photoIdx, p.ID)
	srv.st.Deleted[p.ID] = p
	srv.markDeleted(p.ID)
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
