package emulator

// dedup_check (MEDIA.md [V] sybrenstuvel/flickrapi PR #137, [R] vladak/flickrknob): with
// dedup_check=1 or 2, an upload identical to a photo of the same account fails with error 9
// and names it in <duplicate_photo_id> and <duplicate_photo_status> beside <err>. What
// Flickr compares is undocumented: here, the uploaded bytes (SHA-256). A deleted photo is
// remembered: with 1 it is reported with status DELETED; with 2 it is brought back (its
// id, title, tags and dates; not its former albums) and reported ACTIVE, as flickrknob
// says "it seems" to happen. A live duplicate's status, ACTIVE, is an assumption.

// uploadSum is the SHA-256 of the bytes uploaded for p.
func (p *photo) uploadSum() string {
	if p.UploadSHA256 != "" {
		return p.UploadSHA256
	}
	return p.SHA256
}

func duplicate(id, status string) *apiErr {
	e := fail(9, "Duplicate photo/video detected")
	e.extra = []*node{textEl("duplicate_photo_id", id), textEl("duplicate_photo_status", status)}
	return e
}

// dedupLocked applies dedup_check to upload u.
func (srv *Server) dedupLocked(u upload, check string) *apiErr {
	if check != "1" && check != "2" {
		return nil
	}
	for _, p := range srv.st.Photos {
		if p.Owner == u.owner && p.uploadSum() == u.uploadSum {
			return duplicate(p.ID, "ACTIVE")
		}
	}
	for _, id := range sortedKeys(srv.st.Deleted) {
		p := srv.st.Deleted[id]
		if p.Owner != u.owner || p.uploadSum() != u.uploadSum {
			continue
		}
		if check == "1" {
			return duplicate(p.ID, "DELETED")
		}
		if err := srv.putBlobLocked(p, u.data); err != nil {
			return fail(3, "General upload failure")
		}
		delete(srv.st.Deleted, p.ID)
		srv.markDeleted(p.ID)
		srv.appendPhotoLocked(p)
		srv.touchLocked(p)
		if err := srv.saveLocked(); err != nil {
			return fail(3, "General upload failure")
		}
		return duplicate(p.ID, "ACTIVE")
	}
	return nil
}
