package emulator

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// extras is the set of names in an "extras" argument, plus the url_* ones in the order
// asked: Flickr emits those in request order [V-rec getPublicPhotos].
type extras map[string]bool

func parseExtras(v string) extras {
	ex := extras{}
	for _, e := range strings.Split(v, ",") {
		if e = strings.TrimSpace(e); e != "" {
			ex[e] = true
		}
	}
	return ex
}

// urlExtras lists the url_* names of v in the order given.
func urlExtras(v string) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range strings.Split(v, ",") {
		if e = strings.TrimSpace(e); strings.HasPrefix(e, "url_") && !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (srv *Server) originalURL(base string, p *photo) string {
	return base + "/photos/" + p.Server + "/" + p.ID + "_" + p.OriginalSecret + "_o." + p.Format
}

// sizeURL is where a derived JPEG size is served, as live.staticflickr.com names it.
func (srv *Server) sizeURL(base string, p *photo, d sizeDef) string {
	suffix := ""
	if d.suffix != "" {
		suffix = "_" + d.suffix
	}
	return base + "/photos/" + p.Server + "/" + p.ID + "_" + p.Secret + suffix + ".jpg"
}

// mayOriginal reports whether Flickr gives out p's original (its secret, url_o, the
// Original size): not for a free account since the 2022 change (MEDIA.md), unless
// Config.FreeOriginals.
func (srv *Server) mayOriginal(p *photo) bool {
	o := srv.owner(p.Owner)
	return o != nil && (!o.Free || srv.cfg.FreeOriginals)
}

// mediaStatus is extras media_status: a video is pending while processed, failed if that failed.
func (srv *Server) mediaStatus(p *photo, now time.Time) string {
	switch {
	case p.isVideo() && p.VideoFailed:
		return "failed"
	case p.isVideo() && now.Before(p.VideoReadyAt):
		return "pending"
	}
	return "ready"
}

// photoNode renders a photo as people.getPhotos/search/photosets.getPhotos list it, with
// attributes in the order real responses show and JSON types as recorded.
func (c *call) photoNode(p *photo, ex extras, urls []string, set *photoset) *node {
	o := c.srv.owner(p.Owner)
	e := el("photo", s("id", p.ID))
	if set == nil {
		e.set(s("owner", o.NSID))
	}
	e.set(s("secret", p.Secret), s("server", p.Server), n("farm", p.Farm), s("title", p.Title))
	if set != nil {
		e.set(s("isprimary", strconv.FormatInt(b2i(set.Primary == p.ID), 10)))
	}
	e.set(n("ispublic", p.IsPublic), n("isfriend", p.IsFriend), n("isfamily", p.IsFamily))
	if ex["license"] {
		e.set(s("license", "0"))
	}
	if ex["safety_level"] {
		e.set(s("safety_level", strconv.FormatInt(p.SafetyLevel, 10)))
	}
	if ex["date_upload"] {
		e.set(s("dateupload", strconv.FormatInt(p.DateUpload, 10)))
	}
	if ex["date_taken"] {
		e.set(s("datetaken", p.DateTaken), s("datetakengranularity", strconv.FormatInt(p.TakenGranularity, 10)),
			s("datetakenunknown", strconv.FormatInt(p.TakenUnknown, 10)))
	}
	if ex["owner_name"] {
		e.set(s("ownername", o.Username))
	}
	if ex["icon_server"] {
		e.set(s("iconserver", "0"), n("iconfarm", 0))
	}
	if ex["original_format"] && c.srv.mayOriginal(p) {
		e.set(s("originalsecret", p.OriginalSecret), s("originalformat", p.Format))
	}
	if ex["last_update"] {
		e.set(s("lastupdate", strconv.FormatInt(p.LastUpdate, 10)))
	}
	if ex["tags"] {
		e.set(s("tags", strings.Join(p.cleanTags(false), " ")))
	}
	if ex["machine_tags"] {
		e.set(s("machine_tags", strings.Join(p.cleanTags(true), " ")))
	}
	if ex["o_dims"] {
		e.set(s("o_width", strconv.FormatInt(p.Width, 10)), s("o_height", strconv.FormatInt(p.Height, 10)))
	}
	if ex["views"] {
		e.set(s("views", "0"))
	}
	if ex["media"] {
		e.set(s("media", map[bool]string{true: "video", false: "photo"}[p.isVideo()]), s("media_status", c.srv.mediaStatus(p, time.Now())))
	}
	for _, u := range urls {
		name := strings.TrimPrefix(u, "url_")
		if name == "o" {
			if c.srv.mayOriginal(p) {
				e.set(s("url_o", c.srv.originalURL(c.base, p)), s("height_o", strconv.FormatInt(p.Height, 10)), s("width_o", strconv.FormatInt(p.Width, 10)))
			}
			continue
		}
		for _, d := range sizeDefs {
			if d.extra != name {
				continue
			}
			if w, h, ok := d.dims(p.Width, p.Height); ok {
				e.set(s(u, c.srv.sizeURL(c.base, p, d)), dimAttr("height_"+name, h), dimAttr("width_"+name, w))
			}
		}
	}
	if ex["path_alias"] {
		e.set(null("pathalias"))
	}
	if ex["description"] {
		e.add(textEl("description", p.Description))
	}
	return e
}

// jsonNumberDims are the size attributes real JSON answers carry as numbers; the others
// are strings [V-rec janko 2013: "height_sq":75, "height_q":"150", "height_c":600, "width_c":"800"].
var jsonNumberDims = map[string]bool{"height_sq": true, "width_sq": true, "height_n": true, "height_c": true}

func dimAttr(k string, v int64) attr {
	if jsonNumberDims[k] {
		return n(k, v)
	}
	return s(k, strconv.FormatInt(v, 10))
}

func (p *photo) cleanTags(machineOnly bool) []string {
	var out []string
	for _, t := range p.Tags {
		if machineOnly && !t.Machine {
			continue
		}
		out = append(out, t.Clean)
	}
	return out
}

// paging reads per_page (default def, max 500) and page (default 1, clamped to 10000).
func (c *call) paging(def int) (perPage, page int) {
	perPage, err := strconv.Atoi(c.arg("per_page"))
	if err != nil || perPage < 1 {
		perPage = def
	}
	if perPage > 500 {
		perPage = 500
	}
	page, err = strconv.Atoi(c.arg("page"))
	if err != nil || page < 1 {
		page = 1
	}
	if page > 10000 {
		page = 10000
	}
	return perPage, page
}

// pageOf picks the page's items. Only the first reach items can be reached (search's 4000
// cap; reach <= 0 means all); a page past the last reachable one repeats that last page, as
// Flickr does, while "pages" still counts every result.
func pageOf[T any](items []T, perPage, page, reach int) (out []T, pages int) {
	total := len(items)
	pages = (total + perPage - 1) / perPage
	if reach <= 0 || reach > total {
		reach = total
	}
	last := (reach + perPage - 1) / perPage
	if last == 0 {
		return nil, pages
	}
	if page > last {
		page = last
	}
	lo, hi := (page-1)*perPage, page*perPage
	if hi > reach {
		hi = reach
	}
	return items[lo:hi], pages
}

// photosNode renders a <photos page pages perpage total> list.
func (c *call) photosNode(all []*photo, def, reach int) *node {
	perPage, page := c.paging(def)
	items, pages := pageOf(all, perPage, page, reach)
	ex, urls := parseExtras(c.arg("extras")), urlExtras(c.arg("extras"))
	root := el("photos", n("page", int64(page)), n("pages", int64(pages)), n("perpage", int64(perPage)), s("total", strconv.Itoa(len(all)))).list("photo")
	for _, p := range items {
		root.add(c.photoNode(p, ex, urls, nil))
	}
	return root
}

// parseDateArg accepts a unix timestamp or a MySQL datetime (UTC).
func parseDateArg(v string) (int64, bool) {
	if v == "" {
		return 0, false
	}
	if ts, err := strconv.ParseInt(v, 10, 64); err == nil {
		return ts, true
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02", "2006-01"} {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t.Unix(), true
		}
	}
	return 0, false
}

// visibleLocked lists the photos of owner (any owner when nil) the caller may see, upload
// order: public ones and the caller's own (friends and family are not modelled); async
// uploads whose ticket has not completed are not there yet.
func (c *call) visibleLocked(owner *account) []*photo {
	now := time.Now()
	var out []*photo
	key := ""
	if owner != nil {
		key = c.srv.ownerKey(owner)
	}
	for _, p := range c.srv.st.Photos {
		if owner != nil && p.Owner != key || !c.srv.readyLocked(p, now) || p.IsPublic == 0 && !c.owns(p) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// commonFilter applies upload/taken date bounds and privacy_filter; ok=false on no match.
func (c *call) commonFilter(p *photo) bool {
	if v, ok := parseDateArg(c.arg("min_upload_date")); ok && p.DateUpload < v {
		return false
	}
	if v, ok := parseDateArg(c.arg("max_upload_date")); ok && p.DateUpload > v {
		return false
	}
	if v := c.arg("min_taken_date"); v != "" && p.DateTaken < normTaken(v) {
		return false
	}
	if v := c.arg("max_taken_date"); v != "" && p.DateTaken > normTaken(v) {
		return false
	}
	switch c.arg("media") {
	case "photos":
		if p.isVideo() {
			return false
		}
	case "videos":
		if !p.isVideo() {
			return false
		}
	}
	if v := c.arg("content_type"); v != "" && !contentTypeMatches(v, p.ContentType) {
		return false
	}
	if !c.owns(p) && !c.safeEnough(p) {
		return false
	}
	switch c.arg("privacy_filter") {
	case "1":
		return p.IsPublic == 1
	case "2":
		return p.IsPublic == 0 && p.IsFriend == 1 && p.IsFamily == 0
	case "3":
		return p.IsPublic == 0 && p.IsFriend == 0 && p.IsFamily == 1
	case "4":
		return p.IsPublic == 0 && p.IsFriend == 1 && p.IsFamily == 1
	case "5":
		return p.IsPublic == 0 && p.IsFriend == 0 && p.IsFamily == 0
	}
	return true
}

func normTaken(v string) string {
	if ts, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(ts, 0).UTC().Format("2006-01-02 15:04:05")
	}
	return v
}

// contentTypeMatches applies search's content_type (1 photos, 2 screenshots, 3 other,
// 4 photos+screenshots, 5 screenshots+other, 6 photos+other, 7 all) to a photo's type.
func contentTypeMatches(arg string, ct int64) bool {
	if ct == 0 {
		ct = 1
	}
	sets := map[string][]int64{"1": {1}, "2": {2}, "3": {3}, "4": {1, 2}, "5": {2, 3}, "6": {1, 3}, "7": {1, 2, 3}}
	want, ok := sets[arg]
	if !ok {
		return true
	}
	return slices.Contains(want, ct)
}

// safeEnough applies safe_search (1 safe, 2 moderate, 3 restricted) to another member's
// photo; a call without a token sees Safe content only, as the search doc says.
func (c *call) safeEnough(p *photo) bool {
	level := int64(3)
	if c.tok == nil {
		level = 1
	}
	if v, err := strconv.ParseInt(c.arg("safe_search"), 10, 64); err == nil && v >= 1 && v <= 3 && (c.tok != nil || v < level) {
		level = v
	}
	return p.SafetyLevel < level
}

// resolveUser maps user_id ("me" or an NSID) to its account; nil when absent.
func (c *call) resolveUser() (*account, *apiErr) {
	u := c.arg("user_id")
	if u == "" {
		return nil, nil
	}
	a, e := c.resolveAccount(u)
	if e == nil && a == nil {
		e = fail(2, "Unknown user")
	}
	return a, e
}

func sortPhotos(ps []*photo, order string) {
	key := func(p *photo) string { return p.DateTaken }
	switch order {
	case "date-taken-asc":
		sort.SliceStable(ps, func(i, j int) bool { return key(ps[i]) < key(ps[j]) })
	case "date-taken-desc":
		sort.SliceStable(ps, func(i, j int) bool { return key(ps[i]) > key(ps[j]) })
	case "date-posted-asc":
		sort.SliceStable(ps, func(i, j int) bool { return postedBefore(ps[i], ps[j]) })
	default: // date-posted-desc, relevance, interestingness: newest first
		sort.SliceStable(ps, func(i, j int) bool { return postedBefore(ps[j], ps[i]) })
	}
}

// postedBefore orders by upload second, then by id: photos uploaded within one second
// share dateupload, and Flickr breaks the tie by photo id.
func postedBefore(a, b *photo) bool {
	if a.DateUpload != b.DateUpload {
		return a.DateUpload < b.DateUpload
	}
	return idLess(a.ID, b.ID)
}

// idLess compares numeric ids.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func (c *call) peopleGetPhotos() ([]*node, *apiErr) {
	who, e := c.resolveUser()
	if e != nil {
		return nil, e
	}
	if who == nil {
		return nil, fail(2, "Unknown user")
	}
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	var ps []*photo
	for _, p := range c.visibleLocked(who) {
		if c.commonFilter(p) {
			ps = append(ps, p)
		}
	}
	sortPhotos(ps, "date-posted-desc")
	return []*node{c.photosNode(ps, 100, 0)}, nil
}

// peopleGetPublicPhotos lists only public photos, whoever asks.
func (c *call) peopleGetPublicPhotos() ([]*node, *apiErr) {
	who := c.srv.byNSID[c.arg("user_id")]
	if who == nil {
		return nil, fail(1, "User not found")
	}
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	var ps []*photo
	for _, p := range c.visibleLocked(who) {
		if p.IsPublic == 1 && c.commonFilter(p) {
			ps = append(ps, p)
		}
	}
	sortPhotos(ps, "date-posted-desc")
	return []*node{c.photosNode(ps, 100, 0)}, nil
}

func (c *call) recentlyUpdated() ([]*node, *apiErr) {
	min, ok := parseDateArg(c.arg("min_date"))
	if !ok {
		return nil, fail(1, "Required parameter missing")
	}
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	var ps []*photo
	for _, p := range c.visibleLocked(c.caller()) {
		if p.LastUpdate >= min {
			ps = append(ps, p)
		}
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].LastUpdate != ps[j].LastUpdate {
			return ps[i].LastUpdate > ps[j].LastUpdate
		}
		return idLess(ps[j].ID, ps[i].ID)
	})
	return []*node{c.photosNode(ps, 100, 0)}, nil
}
