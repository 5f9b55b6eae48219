package flickr

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// replayServer answers every request with one recorded response.
func replayServer(t *testing.T, it *interaction) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if it.ContentType != "" {
			w.Header().Set("Content-Type", it.ContentType)
		}
		w.WriteHeader(it.Status)
		w.Write([]byte(it.Body))
	}))
	t.Cleanup(srv.Close)
	return srv
}
