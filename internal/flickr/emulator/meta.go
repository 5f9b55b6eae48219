package emulator

import (
	"regexp"
	"strconv"
	"time"
)

// The photo's dates, permissions, safety level and content type as the owner's app sets
// them. Every change moves lastupdate, so photos.recentlyUpdated lists the photo.

// takenPattern is a MySQL datetime with as much left off the end as wanted
// (misc.dates.html: "2004-04 = 2004-04-01 00:00:00").
var takenPattern = regexp.MustCompile(`^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?: (\d{1,2})(?::(\d{1,2})(?::(\d{1,2}))?)?)?)?)?$`)

// validGranularity: misc.dates.html lists 0 (Y-m-d H:i:s), 4 (Y-m), 6 (Y), 8 (circa).
func validGranularity(g int64) bool { return g == 0 || g == 4 || g == 6 || g == 8 }

// parseTaken reads a date_taken argument into Flickr's full form; ok=false is error 5
// (format), valid=false error 6 (no such date).
func parseTaken(v string) (full string, ok, valid bool) {
	m := takenPattern.FindStringSubmatch(v)
	if m == nil {
		return "", false, false
	}
	f := [6]int{0, 1, 1, 0, 0, 0}
	for i := 1; i <= 6; i++ {
		if m[i] != "" {
			f[i-1], _ = strconv.Atoi(m[i])
		}
	}
	t := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], 0, time.UTC)
	if t.Year() != f[0] || int(t.Month()) != f[1] || t.Day() != f[2] || t.Hour() != f[3] || t.Minute() != f[4] || t.Second() != f[5] {
		return "", true, false // 2021-02-30, 25:00...
	}
	return t.Format("2006-01-02 15:04:05"), true, true
}

// truncTaken drops what a granularity says is unknown: the day and time for 4 (month),
// the month too for 6 and 8 ([V-rec] "1950-01-01 00:00:00" with granularity 6).
func truncTaken(full string, g int64) string {
	switch g {
	case 4:
		return full[:8] + "01 00:00:00"
	case 6, 8:
		return full[:5] + "01-01 00:00:00"
	}
	return full
}

// phpIntval reads leading digits as PHP's intval does: Flickr stored date_posted=2013-10-05
// as 2013 [V-rec janko setDates].
func phpIntval(v string) int64 {
	var n int64
	i := 0
	for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
		i++
	}
	neg := i < len(v) && v[i] == '-'
	if i < len(v) && (v[i] == '-' || v[i] == '+') {
		i++
	}
	for ; i < len(v) && v[i] >= '0' && v[i] <= '9' && n < 1<<50; i++ {
		n = n*10 + int64(v[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}

// setDates (POST, write): errors 1 Photo not found, 2 Not enough arguments, 3 Invalid
// granularity, 4 Invalid date_posted, 5 Invalid Date Taken Format, 6 Invalid Date Taken.
// [?] 4 is "in the future or not a positive number" (the doc's "its in the past" cannot
// mean before joining: Flickr took 2013, i.e. 1970); 6 is "before 1800 or more than a
// day after the owner's today".
func (c *call) setDates() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	p := c.ownPhotoLocked(c.arg("photo_id"))
	if p == nil {
		return nil, fail(1, "Photo not found")
	}
	posted, taken, gran := c.arg("date_posted"), c.arg("date_taken"), c.arg("date_taken_granularity")
	if posted == "" && taken == "" && gran == "" {
		return nil, fail(2, "Not enough arguments")
	}
	g := p.TakenGranularity
	if gran != "" {
		v, err := strconv.ParseInt(gran, 10, 64)
		if err != nil || !validGranularity(v) {
			return nil, fail(3, "Invalid granularity")
		}
		g = v
	}
	now := c.srv.now()
	var up int64
	if posted != "" {
		if up = phpIntval(posted); up <= 0 || up > now.Unix() {
			return nil, fail(4, "Invalid date_posted")
		}
	}
	full := p.DateTaken
	if taken != "" {
		var ok, valid bool
		if full, ok, valid = parseTaken(taken); !ok {
			return nil, fail(5, "Invalid Date Taken Format")
		} else if !valid || full < "1800" || full > now.In(c.srv.cfg.Location).Add(24*time.Hour).Format("2006-01-02 15:04:05") {
			return nil, fail(6, "Invalid Date Taken")
		}
		p.TakenUnknown = 0
	}
	if up != 0 {
		p.DateUpload = up
	}
	if taken != "" || gran != "" {
		p.DateTaken, p.TakenGranularity = truncTaken(full, g), g
	}
	return c.changed(p)
}

// changed moves p's lastupdate and saves.
func (c *call) changed(p *photo) ([]*node, *apiErr) {
	c.srv.touchLocked(p)
	if err := c.srv.saveLocked(); err != nil {
		return nil, fail(106, "Write operation failed")
	}
	return nil, nil
}

// intArg reads an integer argument within [lo, hi]; ok=false when absent or out of range.
func (c *call) intArg(k string, lo, hi int64) (int64, bool) {
	v, err := strconv.ParseInt(c.arg(k), 10, 64)
	return v, err == nil && v >= lo && v <= hi
}

// setPerms (POST, write): is_public, is_friend, is_family required (error 2 "Required
// arguments missing"), perm_comment and perm_addmeta 0-3 optional; it answers as the doc
// shows, <photoid secret originalsecret>ID</photoid>. Free accounts' 50 non-public items
// are not enforced here: Flickr documents no error for it.
func (c *call) setPerms() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	p := c.ownPhotoLocked(c.arg("photo_id"))
	if p == nil {
		return nil, fail(1, "Photo not found")
	}
	pub, ok1 := c.intArg("is_public", 0, 1)
	fr, ok2 := c.intArg("is_friend", 0, 1)
	fa, ok3 := c.intArg("is_family", 0, 1)
	if !ok1 || !ok2 || !ok3 {
		return nil, fail(2, "Required arguments missing")
	}
	var comment, addmeta *int64
	for _, a := range []struct {
		k string
		v **int64
	}{{"perm_comment", &comment}, {"perm_addmeta", &addmeta}} {
		if c.arg(a.k) == "" {
			continue
		}
		v, ok := c.intArg(a.k, 0, 3)
		if !ok {
			return nil, fail(2, "Required arguments missing")
		}
		*a.v = &v
	}
	p.IsPublic, p.IsFriend, p.IsFamily = pub, fr, fa
	if comment != nil {
		p.PermComment = comment
	}
	if addmeta != nil {
		p.PermAddMeta = addmeta
	}
	if _, e := c.changed(p); e != nil {
		return nil, e
	}
	return []*node{textEl("photoid", p.ID, s("secret", p.Secret), s("originalsecret", p.OriginalSecret))}, nil
}

// setSafetyLevel (POST, write): safety_level 1-3 and/or hidden 0/1, neither valid is
// error 2; a free account's Moderate or Restricted is error 4 "Safety level not allowed".
// It answers <photo id safety_level hidden/> as the doc's example, echoing the level on the
// 1-3 scale it was given (getInfo and extras show 0-2) [?].
func (c *call) setSafetyLevel() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	p := c.ownPhotoLocked(c.arg("photo_id"))
	if p == nil {
		return nil, fail(1, "Photo not found")
	}
	level, okLevel := c.intArg("safety_level", 1, 3)
	hidden, okHidden := c.intArg("hidden", 0, 1)
	if !okLevel && !okHidden {
		return nil, fail(2, "Invalid or missing arguments")
	}
	if okLevel && level > 1 && c.srv.owner(p.Owner).Free {
		return nil, fail(4, "Safety level not allowed")
	}
	if okLevel {
		p.SafetyLevel = level - 1
	}
	if okHidden {
		p.Hidden = hidden == 1
	}
	if _, e := c.changed(p); e != nil {
		return nil, e
	}
	return []*node{el("photo", s("id", p.ID), s("safety_level", strconv.FormatInt(p.SafetyLevel+1, 10)), s("hidden", strconv.FormatInt(b2i(p.Hidden), 10)))}, nil
}

// setContentType (POST, write): content_type 1 photo, 2 screenshot, 3 other (else error
// 2); it answers <photo id content_type/> as the doc's example.
func (c *call) setContentType() ([]*node, *apiErr) {
	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	p := c.ownPhotoLocked(c.arg("photo_id"))
	if p == nil {
		return nil, fail(1, "Photo not found")
	}
	ct, ok := c.intArg("content_type", 1, 3)
	if !ok {
		return nil, fail(2, "Required arguments missing")
	}
	p.ContentType = 0
	if ct > 1 {
		p.ContentType = ct
	}
	if _, e := c.changed(p); e != nil {
		return nil, e
	}
	return []*node{el("photo", s("id", p.ID), s("content_type", strconv.FormatInt(ct, 10)))}, nil
}
