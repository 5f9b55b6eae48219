package emulator

import (
	"encoding/json"
	"net/http"
)

// handleCalls answers GET /emulator/calls with Calls() as a JSON object
// {"flickr.people.getPhotos": 3, "upload": 10, ...} (Config.Control only).
func (srv *Server) handleCalls(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	b, err := json.Marshal(srv.Calls())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(append(b, '\n'))
}

// handleCallsReset zeroes the counters on POST /emulator/calls/reset and answers 204.
func (srv *Server) handleCallsReset(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	srv.ResetCalls()
	w.WriteHeader(http.StatusNoContent)
}
