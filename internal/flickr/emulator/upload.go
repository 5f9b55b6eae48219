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
	"slices"
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
	q, err := readRequest(r, max(srv.cfg.MaxUploadBytes, srv.cfg.VideoMaxUploadBytes))
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
	u, e := srv.prepareUpload(q.photo, q.fname)
	if e == nil && u.media.video && srv.cfg.VideoUploadsDisabled {
		e = fail(0, "Video uploads are temporarily disabled")
	}
	if e != nil {
		uploadXML(w, nil, e)
		return
	}
	u.owner = tok.User
	async := q.get("async") == "1"
	var payload *node
	if replace {
		payload, e = srv.replacePhoto(q, u, async)
	} else {
		payload, e = srv.uploadPhoto(q, u, async)
	}
	if e == nil && srv.loseAnswer(w, kind, true) {
		return
	}
	uploadXML(w, payload, e)
}

// upload describes a new photo for addPhotoLocked.
type upload struct {
	media                    mediaType
	data                     []byte // what Flickr stores: the upload, or the JPEG of a TIFF
	uploadSum                string // SHA-256 of the bytes uploaded
	format                   string // originalformat
	width, height            int64
	video                    videoInfo
	owner                    string // account key
	title, description, tags string
	public, friend, family   int64
	safety, contentType      int64 // as stored: 0-2, 1-3
	hidden                   bool
	dateTaken                string // "" = from EXIF, else the upload time
	dateUpload               int64  // 0 = now
}

// prepareUpload recognises an upload and makes what Flickr stores of it (MEDIA.md
// "Formats"): JPEG, PNG, GIF, HEIC/HEIF, AVIF and WebP as uploaded; TIFF converted to
// JPEG; videos as uploaded, described by their movie header. RAW files, unknown types and
// Config.RefusedFormats answer error 5; a file over its kind's size limit, error 8.
func (srv *Server) prepareUpload(b []byte, name string) (upload, *apiErr) {
	mt := sniffMedia(b, name)
	if mt.format == "" || mt.raw || slices.Contains(srv.cfg.RefusedFormats, mt.format) {
		return upload{}, fail(5, "Filetype was not recognised")
	}
	limit := srv.cfg.MaxUploadBytes
	if mt.video {
		limit = srv.cfg.VideoMaxUploadBytes
	}
	if int64(len(b)) > limit {
		return upload{}, fail(8, "Filesize was too large")
	}
	sum := sha256.Sum256(b)
	u := upload{media: mt, data: b, uploadSum: hex.EncodeToString(sum[:]), format: mt.format}
	switch {
	case mt.video:
		u.format = "jpg" // the poster frame's
		v, ok := sniffVideo(b)
		if !ok {
			d := srv.cfg.DefaultVideo
			v = videoInfo{duration: d.Duration, width: d.Width, height: d.Height}
		}
		u.video, u.width, u.height = v, v.width, v.height
	case mt.format == "tiff":
		jpg, err := tiffAsJPEG(b, hash32(u.uploadSum))
		if err != nil {
			return upload{}, fail(5, "Filetype was not recognised")
		}
		u.data, u.format = jpg, "jpg"
		u.width, u.height = dims(jpg)
	case mt.format == "jpg" || mt.format == "png" || mt.format == "gif":
		u.width, u.height = dims(b)
	default:
		u.width, u.height = stillDims(mt.format, b)
	}
	return u, nil
}

// readUploadArgs reads title (default: the file name without extension), description,
// tags, visibility, safety_level, content_type and hidden (upload.api.html: an omitted or
// invalid value takes the user's default: public, Safe, Photo, not hidden).
func readUploadArgs(q *request, u *upload) {
	u.title, u.description, u.tags, u.public = q.get("title"), q.get("description"), q.get("tags"), 1
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
	if v, err := strconv.ParseInt(q.get("safety_level"), 10, 64); err == nil && v >= 1 && v <= 3 {
		u.safety = v - 1
	}
	u.contentType = 1
	if v, err := strconv.ParseInt(q.get("content_type"), 10, 64); err == nil && v >= 1 && v <= 3 {
		u.contentType = v
	}
	u.hidden = q.get("hidden") == "2"
}

func (srv *Server) uploadPhoto(q *request, u upload, async bool) (*node, *apiErr) {
	readUploadArgs(q, &u)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if e := srv.dedupLocked(u, q.get("dedup_check")); e != nil {
		return nil, e
	}
	if e := srv.accountLimitsLocked(u); e != nil {
		return nil, e
	}
	p, err := srv.addPhotoLocked(u)
	if err != nil {
		return nil, fail(3, "General upload failure")
	}
	ticket := ""
	if async {
		ticket = srv.newTicketLocked(p.ID)
		if p.VideoFailed {
			srv.st.Tickets[ticket].Failed = true
		}
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
	num := srv.authNum
	if p := srv.photoLocked(photoID); p != nil {
		num = srv.owner(p.Owner).authNum
	}
	id := num + "-72157" + srv.randDigits(12)
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
	stored := hex.EncodeToString(sum[:])
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
		SHA256:         stored,
		Size:           int64(len(u.data)),
		Width:          u.width,
		Height:         u.height,
		Owner:          u.owner,
		SafetyLevel:    u.safety,
		Hidden:         u.hidden,
	}
	if u.contentType > 1 {
		p.ContentType = u.contentType
	}
	if u.uploadSum != "" && u.uploadSum != stored {
		p.UploadSHA256 = u.uploadSum
	}
	if u.media.video {
		p.Media, p.VideoFormat, p.Duration = "video", u.media.format, u.video.duration
		p.VideoReadyAt = time.Now().Add(srv.cfg.VideoProcessing)
		p.VideoFailed = srv.cfg.VideoTooLongFails && u.video.duration > int64(srv.cfg.VideoMaxDuration/time.Second)
	}
	for p.OriginalSecret == p.Secret {
		p.OriginalSecret = srv.randHex(10)
	}
	p.DateTaken = u.dateTaken
	// Flickr reads no date from video files (MEDIA.md [R]): a video's taken date is its
	// upload time until setDates
	if p.DateTaken == "" && !p.isVideo() {
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
	srv.appendPhotoLocked(p)
	return p, nil
}

func dims(b []byte) (w, h int64) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return 0, 0
	}
	return int64(cfg.Width), int64(cfg.Height)
}

// replacePhoto replaces a photo's original (replace.api.html): Pro accounts only (error
// 1), never a video (error 8 "Videos can't be replaced", MEDIA.md [R]), nor by one.
func (srv *Server) replacePhoto(q *request, u upload, async bool) (*node, *apiErr) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.owner(u.owner).Free {
		return nil, fail(1, "Not a pro account")
	}
	p := srv.photoLocked(q.get("photo_id"))
	if p == nil || p.Owner != u.owner {
		return nil, fail(2, "Photo not found")
	}
	if p.isVideo() || u.media.video {
		return nil, fail(8, "Videos can't be replaced")
	}
	if p.Format != u.format {
		srv.dropBlobLocked(p) // the new bytes go to another file name
	}
	p.Format = u.format
	if err := srv.putBlobLocked(p, u.data); err != nil {
		return nil, fail(3, "General upload failure")
	}
	sum := sha256.Sum256(u.data)
	p.SHA256, p.Size = hex.EncodeToString(sum[:]), int64(len(u.data))
	p.UploadSHA256 = ""
	if u.uploadSum != p.SHA256 {
		p.UploadSHA256 = u.uploadSum
	}
	p.Width, p.Height = u.width, u.height
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
