package emulator

// Account limits (MEDIA.md "Limits"; free accounts since 2022-05-01 [V]: 1,000 items, Safe
// content only, at most 50 non-public items).

const (
	freeMaxItems     = 1000
	freeMaxNonPublic = 50
)

// maxItems is how many photos and videos acc may hold; 0 = unlimited.
func (srv *Server) maxItems(acc *account) int {
	switch {
	case srv.cfg.MaxPhotos > 0:
		return srv.cfg.MaxPhotos
	case acc.Free:
		return freeMaxItems
	}
	return 0
}

// countLocked counts the items of the account stored under key that match.
func (srv *Server) countLocked(key string, match func(p *photo) bool) int {
	n := 0
	for _, p := range srv.st.Photos {
		if p.Owner == key && match(p) {
			n++
		}
	}
	return n
}

// accountLimitsLocked refuses an upload the owner's account may not take: a video over
// the duration limit (8, unless VideoTooLongFails) or past MaxVideos (7), non-safe content
// on a free account (15), an item past the account's count (6), and with
// FreeNonPublicRefused a free account's 51st non-public item (6).
func (srv *Server) accountLimitsLocked(u upload) *apiErr {
	acc := srv.owner(u.owner)
	all := func(*photo) bool { return true }
	if u.media.video {
		if u.video.duration > int64(srv.cfg.VideoMaxDuration.Seconds()) && !srv.cfg.VideoTooLongFails {
			return fail(8, "Filesize was too large")
		}
		if m := srv.cfg.MaxVideos; m > 0 && srv.countLocked(u.owner, (*photo).isVideo) >= m {
			return fail(7, "User exceeded video upload limit")
		}
	}
	if acc.Free && u.safety > 0 {
		return fail(15, "Non-safe content not allowed")
	}
	if m := srv.maxItems(acc); m > 0 && srv.countLocked(u.owner, all) >= m {
		return fail(6, "Upload limit reached. For more info, visit flickr.com/pro")
	}
	if acc.Free && srv.cfg.FreeNonPublicRefused && u.public == 0 &&
		srv.countLocked(u.owner, func(p *photo) bool { return p.IsPublic == 0 }) >= freeMaxNonPublic {
		return fail(6, "Upload limit reached. For more info, visit flickr.com/pro")
	}
	return nil
}
