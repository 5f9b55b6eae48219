package emulator

import (
	"bytes"
	"image"
	"net/http"
	"strings"
	"time"
)

var contentTypes = map[string]string{"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif",
	"heic": "image/heic", "heif": "image/heif", "avif": "image/avif", "webp": "image/webp"}

func fileNotFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte("<html><body><h1>404 Not Found</h1></body></html>\n"))
}

// serveFile answers with data as a CDN does: Content-Length, Range, the bandwidth cap.
func serveFile(srv *Server, w http.ResponseWriter, r *http.Request, ctype string, modified int64, data []byte) {
	w.Header().Set("Content-Type", ctype)
	http.ServeContent(srv.throttleWriter(w), r, "", time.Unix(modified, 0), bytes.NewReader(data))
}

// handlePhotoFile serves what live.staticflickr.com serves under /photos/: originals at
// /photos/<server>/<id>_<originalsecret>_o.<fmt> (a video's: its poster, jpg), derived
// sizes at /photos/<server>/<id>_<secret>[_<suffix>].jpg; and www.flickr.com's video
// pages /photos/<nsid>/<id>/play/<kind>/<secret>/.
func (srv *Server) handlePhotoFile(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/photos/")
	if parts := strings.Split(strings.TrimSuffix(rest, "/"), "/"); len(parts) == 5 && parts[2] == "play" {
		srv.count("download")
		if srv.injectFault(w, r, "download", responder{}) {
			return
		}
		srv.handlePlay(w, r, parts[0], parts[1], parts[3], parts[4])
		return
	}
	srv.count("download")
	if srv.injectFault(w, r, "download", responder{}) {
		return
	}
	server, file, ok := strings.Cut(rest, "/")
	if !ok {
		fileNotFound(w)
		return
	}
	stem, ext, ok := strings.Cut(file, ".")
	parts := strings.Split(stem, "_")
	if !ok || len(parts) < 2 || len(parts) > 3 {
		fileNotFound(w)
		return
	}
	suffix := ""
	if len(parts) == 3 {
		suffix = parts[2]
	}
	srv.mu.Lock()
	p := srv.photoLocked(parts[0])
	var data []byte
	var err error
	now := time.Now()
	if p != nil && p.Server == server && srv.readyLocked(p, now) {
		switch {
		case suffix == "o":
			if p.OriginalSecret == parts[1] && p.Format == ext && srv.mayOriginal(p) {
				data, err = srv.originalLocked(p)
			}
		case p.Secret == parts[1] && ext == "jpg":
			for _, d := range sizeDefs {
				if d.suffix == suffix {
					data, err = srv.derivedLocked(p, d)
				}
			}
		}
	}
	srv.mu.Unlock()
	if p == nil || data == nil || err != nil {
		fileNotFound(w)
		return
	}
	serveFile(srv, w, r, contentTypes[ext], p.DateUpload, data)
}

// originalLocked is what url_o serves: the stored original, or a video's poster frame.
func (srv *Server) originalLocked(p *photo) ([]byte, error) {
	if p.isVideo() {
		return encodeJPEG(pattern(hash32(p.ID), int(p.Width), int(p.Height)))
	}
	return srv.blobLocked(p)
}

// derivedLocked makes size d of p: the original scaled (JPEG, PNG, GIF originals, which Go
// decodes), else a pattern of the size's dimensions.
func (srv *Server) derivedLocked(p *photo, d sizeDef) ([]byte, error) {
	w, h, ok := d.dims(p.Width, p.Height)
	if !ok {
		return nil, nil
	}
	if !p.isVideo() && (p.Format == "jpg" || p.Format == "png" || p.Format == "gif") {
		b, err := srv.blobLocked(p)
		if err != nil {
			return nil, err
		}
		if src, _, err := image.Decode(bytes.NewReader(b)); err == nil {
			return encodeJPEG(scaled(src, int(w), int(h), d.square))
		}
	}
	return encodeJPEG(pattern(hash32(p.ID), int(w), int(h)))
}
