package emulator

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Videos are "a funny type of photo" (MEDIA.md "Video in the API"): every photo method
// returns them; getInfo adds <video ready failed pending duration width height/>;
// originalformat is the poster frame's (jpg), whose JPEG sizes and _o.jpg the emulator
// draws (images.go); getSizes adds the player, the MP4s and, for the owner of a Pro
// account, "Video Original" at /photos/<nsid>/<id>/play/orig/<originalsecret>/, which
// redirects to the file under a name carrying its real extension (orig.mov ...).

// videoReady reports whether p's processing has ended well.
func (p *photo) videoReady(now time.Time) bool {
	return !p.VideoFailed && !now.Before(p.VideoReadyAt)
}

// videoNode is getInfo's <video> element [V-rec photo 4960396261].
func (srv *Server) videoNode(p *photo, now time.Time) *node {
	pending := !p.VideoFailed && now.Before(p.VideoReadyAt)
	return el("video", n("ready", b2i(p.videoReady(now))), n("failed", b2i(p.VideoFailed)), n("pending", b2i(pending)),
		s("duration", strconv.FormatInt(p.Duration, 10)), s("width", strconv.FormatInt(p.Width, 10)),
		s("height", strconv.FormatInt(p.Height, 10)))
}

type videoSize struct {
	label  string
	w, h   int64
	source string
}

// fit scales w x h to fit within mw x mh, never up.
func fit(w, h, mw, mh int64) (int64, int64) {
	if w <= 0 || h <= 0 || w <= mw && h <= mh {
		return w, h
	}
	if w*mh > h*mw {
		return mw, max(1, h*mw/w)
	}
	return max(1, w*mh/h), mh
}

// videoSizes lists a ready video's entries after the poster sizes, as "Videos in the Flickr
// API: Part Deux" shows them: Video Player, Site MP4 (640 wide), Mobile MP4 (480x360),
// HD MP4 (1280x720, only from an HD source), Video Original (owner of a Pro account only).
func (c *call) videoSizes(p *photo, now time.Time) []videoSize {
	if !p.videoReady(now) {
		return nil
	}
	o := c.srv.owner(p.Owner)
	play := c.base + "/photos/" + o.NSID + "/" + p.ID + "/play/"
	out := []videoSize{}
	w, h := fit(p.Width, p.Height, 640, 640)
	out = append(out, videoSize{"Video Player", w, h, c.base + "/apps/video/stewart.swf?v=1&photo_id=" + p.ID + "&photo_secret=" + p.Secret})
	out = append(out, videoSize{"Site MP4", w, h, play + "site/" + p.Secret + "/"})
	w, h = fit(p.Width, p.Height, 480, 360)
	out = append(out, videoSize{"Mobile MP4", w, h, play + "mobile/" + p.Secret + "/"})
	if min(p.Width, p.Height) >= 720 {
		w, h = fit(p.Width, p.Height, 1280, 720)
		out = append(out, videoSize{"HD MP4", w, h, play + "hd/" + p.Secret + "/"})
	}
	if c.owns(p) && !o.Free {
		out = append(out, videoSize{"Video Original", p.Width, p.Height, play + "orig/" + p.OriginalSecret + "/"})
	}
	return out
}

// handlePlay serves /photos/<nsid>/<id>/play/<kind>/<secret>/: "orig" redirects (302) to
// /video/<id>/<originalsecret>/orig.<ext>, the file; the transcodes (site, mobile, hd) are
// not made by the emulator and answer 404.
func (srv *Server) handlePlay(w http.ResponseWriter, r *http.Request, nsid, id, kind, secret string) {
	srv.mu.Lock()
	p := srv.photoLocked(id)
	ok := p != nil && p.isVideo() && srv.owner(p.Owner) != nil && srv.owner(p.Owner).NSID == nsid &&
		kind == "orig" && secret == p.OriginalSecret && p.videoReady(time.Now()) && srv.readyLocked(p, time.Now()) &&
		!srv.owner(p.Owner).Free
	var target string
	if ok {
		target = "/video/" + p.ID + "/" + p.OriginalSecret + "/orig." + p.VideoFormat + "?s=" + srv.randHex(24)
	}
	srv.mu.Unlock()
	switch {
	case !ok:
		fileNotFound(w)
	case srv.cfg.VideoOriginalRefused:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte("<html><body><h1>403 Forbidden</h1></body></html>\n"))
	default:
		http.Redirect(w, r, target, http.StatusFound)
	}
}

// handleVideoFile serves /video/<id>/<originalsecret>/orig.<ext>, a video's original bytes.
func (srv *Server) handleVideoFile(w http.ResponseWriter, r *http.Request) {
	srv.count("download")
	if srv.injectFault(w, r, "download", responder{}) {
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/video/"), "/")
	if len(parts) != 3 {
		fileNotFound(w)
		return
	}
	srv.mu.Lock()
	p := srv.photoLocked(parts[0])
	var data []byte
	var err error
	if p != nil && p.isVideo() && p.OriginalSecret == parts[1] && parts[2] == "orig."+p.VideoFormat &&
		p.videoReady(time.Now()) && srv.owner(p.Owner) != nil && !srv.owner(p.Owner).Free {
		data, err = srv.blobLocked(p)
	}
	srv.mu.Unlock()
	if data == nil || err != nil {
		fileNotFound(w)
		return
	}
	serveFile(srv, w, r, videoTypes[p.VideoFormat], p.DateUpload, data)
}

var videoTypes = map[string]string{"mp4": "video/mp4", "mov": "video/quicktime", "m4v": "video/x-m4v",
	"3gp": "video/3gpp", "3g2": "video/3gpp2", "avi": "video/x-msvideo", "mpg": "video/mpeg",
	"mts": "video/mp2t", "m2ts": "video/mp2t", "wmv": "video/x-ms-wmv"}
