package emulator

import "strings"

var searchParams = []string{"user_id", "tags", "machine_tags", "text", "min_upload_date", "max_upload_date",
	"min_taken_date", "max_taken_date", "privacy_filter", "media", "content_type", "license"}

func (c *call) photosSearch() ([]*node, *apiErr) {
	any := false
	for _, k := range searchParams {
		if c.arg(k) != "" {
			any = true
		}
	}
	if !any {
		return nil, fail(3, "Parameterless searches have been disabled. Please use flickr.photos.getRecent instead.")
	}
	who, e := c.resolveUser()
	mine := who != nil && who == c.caller()
	if e != nil {
		return nil, e
	}
	var incl, excl []string
	for _, t := range splitQueryList(c.arg("tags")) {
		neg := strings.HasPrefix(t, "-")
		clean, _ := cleanTag(strings.Trim(strings.TrimPrefix(t, "-"), "\""))
		if clean == "" {
			continue
		}
		if neg {
			excl = append(excl, clean)
		} else {
			incl = append(incl, clean)
		}
	}
	tagAll := c.arg("tag_mode") == "all"
	if tagAll && len(incl) > 20 {
		return nil, fail(1, "Too many tags in ALL query")
	}
	var mq []machineQuery
	if v := c.arg("machine_tags"); v != "" {
		for _, t := range splitQueryList(v) {
			if m, ok := parseMachineQuery(t); ok {
				mq = append(mq, m)
			}
		}
		if len(mq) == 0 {
			return nil, fail(11, "No valid machine tags")
		}
	}
	mAll := c.arg("machine_tag_mode") == "all"
	if mAll && len(mq) > 16 || !mAll && len(mq) > 8 {
		return nil, fail(12, "Exceeded maximum allowable machine tags")
	}
	text := strings.ToLower(c.arg("text"))

	c.srv.mu.Lock()
	defer c.srv.mu.Unlock()
	var ps []*photo
	for _, p := range c.visibleLocked(who) {
		// private photos only with user_id=me; hidden ones never to others (upload.api.html:
		// hidden=2 hides "from public searches")
		if !mine && (p.IsPublic == 0 || p.Hidden && !c.owns(p)) {
			continue
		}
		if !c.commonFilter(p) || !matchTags(p, incl, excl, tagAll) || !matchMachine(p, mq, mAll) {
			continue
		}
		if text != "" && !matchText(p, text) {
			continue
		}
		ps = append(ps, p)
	}
	sortPhotos(ps, c.arg("sort"))
	return []*node{c.photosNode(ps, 100, c.srv.cfg.SearchCap)}, nil
}

func hasClean(p *photo, clean string) bool {
	for _, t := range p.Tags {
		if t.Clean == clean {
			return true
		}
	}
	return false
}

func matchTags(p *photo, incl, excl []string, all bool) bool {
	for _, t := range excl {
		if hasClean(p, t) {
			return false
		}
	}
	if len(incl) == 0 {
		return true
	}
	for _, t := range incl {
		has := hasClean(p, t)
		if all && !has {
			return false
		}
		if !all && has {
			return true
		}
	}
	return all
}

func matchMachine(p *photo, mq []machineQuery, all bool) bool {
	if len(mq) == 0 {
		return true
	}
	for _, m := range mq {
		hit := false
		for _, t := range p.Tags {
			if t.Machine && m.matches(t.Clean) {
				hit = true
				break
			}
		}
		if all && !hit {
			return false
		}
		if !all && hit {
			return true
		}
	}
	return all
}

func matchText(p *photo, text string) bool {
	if strings.Contains(strings.ToLower(p.Title), text) || strings.Contains(strings.ToLower(p.Description), text) {
		return true
	}
	return hasClean(p, squashTag(text))
}
