package emulator

import (
	"bytes"
	"net/http"
	"strings"
	"time"
)

var contentTypes = map[string]string{"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif"}

// handlePhotoFile serves originals at /photos/<server>/<id>_<originalsecret>_o.<fmt>, the
// same path live.staticflickr.com uses, with Content-Length and Range support.
func (srv *Server) handlePhotoFile(w http.ResponseWriter, r *http.Request) {
	srv.count("download")
	if srv.injectFault(w, r, "download", responder{}) {
		return
	}
	notFound := func() {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("<html><body><h1>404 Not Found</h1></body></html>\n"))
	}
	rest := strings.TrimPrefix(r.URL.Path, "/photos/")
	server, file, ok := strings.Cut(rest, "/")
	if !ok {
		notFound()
		return
	}
	stem, ext, ok := strings.Cut(file, ".")
	parts := strings.Split(stem, "_")
	if !ok || len(parts) != 3 || parts[2] != "o" {
		notFound()
		return
	}
	srv.mu.Lock()
	p := srv.photoLocked(parts[0])
	var data []byte
	var err error
	if p != nil && p.Server == server && p.OriginalSecret == parts[1] && p.Format == ext && srv.readyLocked(p, time.Now()) {
		data, err = srv.blobLocked(p)
	}
	srv.mu.Unlock()
	if p == nil || data == nil || err != nil {
		notFound()
		return
	}
	w.Header().Set("Content-Type", contentTypes[ext])
	http.ServeContent(srv.throttleWriter(w), r, "", time.Unix(p.DateUpload, 0), bytes.NewReader(data))
}
