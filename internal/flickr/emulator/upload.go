package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	_ "image/gif" // DecodeConfig for o_dims
	_ "image/jpeg"
	_ "image/png"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// sniffFormat recognises the originals Flickr keeps as photos: jpg, png, gif.
func sniffFormat(b []byte) string {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return "jpg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "gif"
	}
	return ""
}

// uploadXML answers upload/replace: always XML, whatever format was asked.
func uploadXML(w http.ResponseWriter, payload *node, e *apiErr) {
	var ps []*node
	if payload != nil {
		ps = []*node{payload}
	}
	responder{}.write(w, ps, e)
}

func (srv *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	replace := strings.HasPrefix(r.URL.Path, "/services/replace")
	kind := "upload"
	if replace {
		kind = "replace"
	}
	srv.count(kind)
	if srv.injectFault(w, r, kind, responder{}) {
		return
	}
	if r.Body != nil {
		r.Body = srv.throttleReader(r)
	}
	q, err := readRequest(r, srv.cfg.MaxUploadBytes)
	if err != nil {
		uploadXML(w, nil, fail(3, "General upload failure"))
		return
	}
	var tok *token
	if q.hasOAuth() {
		var f *oauthFail
		if tok, f = srv.verifyOAuth(r, q, accessToken); f != nil {
			writeOAuthFail(w, f)
			return
		}
	}
	if k := q.get("api_key"); (tok == nil || k != "") && k != srv.cfg.APIKey {
		uploadXML(w, nil, fail(100, "Invalid API Key (Key has invalid format)"))
		return
	}
	have := "none"
	if tok != nil {
		have = tok.Perms
	}
	if levels[have] < levels["write"] {
		uploadXML(w, nil, fail(99, "Insufficient permissions. Method requires write privileges; "+have+" granted."))
		return
	}
	switch {
	case !q.hasFile:
		uploadXML(w, nil, fail(2, "No photo specified"))
		return
	case q.tooBig:
		uploadXML(w, nil, fail(8, "Filesize was too large"))
		return
	case len(q.photo) == 0:
		uploadXML(w, nil, fail(4, "Filesize was zero"))
		return
	}
	format := sniffFormat(q.photo)
	if format == "" {
		uploadXML(w, nil, fail(5, "Filetype was not recognised"))
		return
	}
	async := q.get("async") == "1"
	var payload *node
	var e *apiErr
	if replace {
		payload, e = srv.replacePhoto(q, format, async)
	} else {
		payload, e = srv.uploadPhoto(q, format, async)
	}
	if e == nil && srv.loseAnswer(w, kind, true) {
		return
	}
	uploadXML(w, payload, e)
}

// upload describes a new photo for addPhotoLocked.
type upload struct {
	data                     []byte
	format                   string
	title, description, tags string
	public, friend, family   int64
	dateTaken                string // "" = from EXIF, else the upload time
	dateUpload               int64  // 0 = now
}

func (srv *Server) uploadPhoto(q *request, format string, async bool) (*node, *apiErr) {
	u := upload{data: q.photo, format: format, title: q.get("title"), description: q.get("description"),
		tags: q.get("tags"), public: 1}
	if u.title == "" {
		base := path.Base(strings.ReplaceAll(q.fname, "\\", "/"))
		if base == "." || base == "/" {
			base = ""
		}
		u.title = strings.TrimSuffix(base, path.Ext(base))
	}
	for _, f := range []struct {
		k string
		v *int64
	}{{"is_public", &u.public}, {"is_friend", &u.friend}, {"is_family", &u.family}} {
		if v := q.get(f.k); v != "" {
			*f.v = b2i(v == "1")
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if m := srv.cfg.MaxPhotos; m > 0 && len(srv.st.Photos) >= m {
		return nil, fail(6, "Upload limit reached. For more info, visit flickr.com/pro")
	}
	p, err := srv.addPhotoLocked(u)
	if err != nil {
		return nil, fail(3, "General upload failure")
	}
	ticket := ""
	if async {
		ticket = srv.newTicketLocked(p.ID)
	}
	if err := srv.saveLocked(); err != nil {
		return nil, fail(3, "General upload failure")
	}
	if async {
		return textEl("ticketid", ticket), nil
	}
	return textEl("photoid", p.ID), nil
}

func (srv *Server) newTicketLocked(photoID string) string {
	id := srv.authNum + "-72157" + srv.randDigits(12)
	srv.st.Tickets[id] = &ticket{ID: id, PhotoID: photoID, ReadyAt: time.Now().Add(srv.cfg.TicketDelay),
		Failed: srv.faults.ticketFails()}
	srv.ticketOf = nil
	srv.markTicket(id)
	return id
}

// takenFromExif converts EXIF "YYYY:MM:DD HH:MM:SS" to Flickr's "YYYY-MM-DD HH:MM:SS".
func takenFromExif(v string) string {
	if len(v) != 19 || v[4] != ':' || v[7] != ':' || strings.HasPrefix(v, "0000") {
		return ""
	}
	return v[:4] + "-" + v[5:7] + "-" + v[8:]
}

func (srv *Server) addPhotoLocked(u upload) (*photo, error) {
	// like Flickr: the second of the upload, shared by the photos uploaded within it
	// (non-decreasing even if the clock steps back); a seeded photo keeps its given date
	up := u.dateUpload
	if up == 0 {
		up = max(srv.now().Unix(), srv.st.LastUpload)
	}
	srv.st.NextPhotoID += 1 + int64(srv.rng.Intn(97))
	sum := sha256.Sum256(u.data)
	p := &photo{
		ID:             strconv.FormatInt(srv.st.NextPhotoID, 10),
		Secret:         srv.randHex(10),
		OriginalSecret: srv.randHex(10),
		Server:         "65535",
		Farm:           66,
		Title:          u.title,
		Description:    u.description,
		IsPublic:       u.public,
		IsFriend:       u.friend,
		IsFamily:       u.family,
		DateUpload:     up,
		LastUpdate:     up,
		Format:         u.format,
		SHA256:         hex.EncodeToString(sum[:]),
		Size:           int64(len(u.data)),
	}
	for p.OriginalSecret == p.Secret {
		p.OriginalSecret = srv.randHex(10)
	}
	p.Width, p.Height = dims(u.data)
	p.DateTaken = u.dateTaken
	if p.DateTaken == "" {
		if v, err := srv.cfg.ExifDate(u.data); err == nil {
			p.DateTaken = takenFromExif(v)
		}
	}
	if p.DateTaken == "" {
		p.DateTaken = time.Unix(up, 0).In(srv.cfg.Location).Format("2006-01-02 15:04:05")
		p.TakenUnknown = 1
	}
	p.Tags = srv.newTagsLocked(nil, u.tags)
	if len(p.Tags) > maxTagsPerPhoto {
		p.Tags = p.Tags[:maxTagsPerPhoto]
	}
	if err := srv.putBlobLocked(p, u.data); err != nil {
		return nil, err
	}
	srv.st.LastUpload = max(srv.st.LastUpload, up)
	srv.st.Photos = append(srv.st.Photos, p)
	srv.markPhoto(p)
	return p, nil
}

func dims(b []byte) (w, h int64) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return 0, 0
	}
	return int64(cfg.Width), int64(cfg.Height)
}

func (srv *Server) replacePhoto(q *request, format string, async bool) (*node, *apiErr) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	p := srv.photoLocked(q.get("photo_id"))
	if p == nil {
		return nil, fail(2, "Photo not found")
	}
	if p.Format != format {
		srv.dropBlobLocked(p) // the new bytes go to another file name
	}
	p.Format = format
	if err := srv.putBlobLocked(p, q.photo); err != nil {
		return nil, fail(3, "General upload failure")
	}
	sum := sha256.Sum256(q.photo)
	p.SHA256, p.Size = hex.EncodeToString(sum[:]), int64(len(q.photo))
	p.Width, p.Height = dims(q.photo)
	p.Secret, p.OriginalSecret = srv.randHex(10), srv.randHex(10)
	srv.touchLocked(p)
	ticket := ""
	if async {
		ticket = srv.newTicketLocked(p.ID)
	}
	if err := srv.saveLocked(); err != nil {
		return nil, fail(3, "General upload failure")
	}
	if async {
		return textEl("ticketid", ticket), nil
	}
	return textEl("photoid", p.ID, s("secret", p.Secret), s("originalsecret", p.OriginalSecret)), nil
}
