package emulator

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// extras is the set of names in an "extras" argument.
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

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (srv *Server) originalURL(base string, p *photo) string {
	return base + "/photos/" + p.Server + "/" + p.ID + "_" + p.OriginalSecret + "_o." + p.Format
}

// photoNode renders a photo as people.getPhotos/search/photosets.getPhotos list it, with
// attributes in the order real responses show and JSON types as recorded.
func (c *call) photoNode(p *photo, ex extras, set *photoset) *node {
	e := el("photo", s("id", p.ID))
	if set == nil {
		e.set(s("owner", c.srv.cfg.UserNSID))
	}
	e.set(s("secret", p.Secret), s("server", p.Server), n("farm", p.Farm), s("title", p.Title))
	if set != nil {
		e.set(s("isprimary", strconv.FormatInt(b2i(set.Primary == p.ID), 10)))
	}
	e.set(n("ispublic", p.IsPublic), n("isfriend", p.IsFriend), n("isfamily", p.IsFamily))
	if ex["license"] {
		e.set(s("license", "0"))
	}
	if ex["date_upload"] {
		e.set(s("dateupload", strconv.FormatInt(p.DateUpload, 10)))
	}
	if ex["date_taken"] {
		e.set(s("datetaken", p.DateTaken), s("datetakengranularity", "0"), s("datetakenunknown", strconv.FormatInt(p.TakenUnknown, 10)))
	}
	if ex["owner_name"] {
		e.set(s("ownername", c.srv.cfg.Username))
	}
	if ex["icon_server"] {
		e.set(s("iconserver", "0"), n("iconfarm", 0))
	}
	if ex["original_format"] {
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
		e.set(s("media", "photo"), s("media_status", "ready"))
	}
	if ex["path_alias"] {
		e.set(null("pathalias"))
	}
	if ex["url_o"] {
		e.set(s("url_o", c.srv.originalURL(c.base, p)), s("height_o", strconv.FormatInt(p.Height, 10)), s("width_o", strconv.FormatInt(p.Width, 10)))
	}
	if ex["description"] {
		e.add(textEl("description", p.Description))
	}
	return e
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
	ex := parseExtras(c.arg("extras"))
	root := el("photos", n("page", int64(page)), n("pages", int64(pages)), n("perpage", int64(perPage)), s("total", strconv.Itoa(len(all)))).list("photo")
	for _, p := range items {
		root.add(c.photoNode(p, ex, nil))
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

// visibleLocked lists the photos the caller may see, upload order; async uploads whose
// ticket has not completed are not there yet.
func (c *call) visibleLocked() []*photo {
	now := time.Now()
	var out []*photo
	for _, p := range c.srv.st.Photos {
		if !c.srv.readyLocked(p, now) {
			continue
		}
		if !c.authed() && p.IsPublic == 0 {
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
	if c.arg("media") == "videos" {
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

// resolveUser maps user_id ("me" or an NSID) to ours; "" when absent.
func (c *call) resolveUser() (present bool, e *apiErr) {
	u := c.arg("user_id")
	switch {
	case u == "":
		return false, nil
	case u == "me" && !c.authed():
		return false, fail(99, "Insufficient permissions. Method requires read privileges; none granted.")
	case u == "me" || u == c.srv.cfg.UserNSID:
		return true, nil
	}
	return false, fail(2, "Unknown user")
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
	present, e := c.resolveUser()
	if e != nil {
		return nil, e
	}
	if !present {
		return nil, fail(2, "Unknown user")
	}
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	var ps []*photo
	for _, p := range c.visibleLocked() {
		if c.commonFilter(p) {
			ps = append(ps, p)
		}
	}
	sortPhotos(ps, "date-posted-desc")
	return []*node{c.photosNode(ps, 100, 0)}, nil
}

// peopleGetPublicPhotos lists only public photos, whoever asks.
func (c *call) peopleGetPublicPhotos() ([]*node, *apiErr) {
	if u := c.arg("user_id"); u != c.srv.cfg.UserNSID {
		return nil, fail(1, "User not found")
	}
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	var ps []*photo
	for _, p := range c.visibleLocked() {
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
	for _, p := range c.visibleLocked() {
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
