package flickr

import "testing"

// TestHTTPErrorSaysNoMarkup: a proxy's HTML error page is not repeated in messages; a
// text body still is.
func TestHTTPErrorSaysNoMarkup(t *testing.T) {
	for _, tt := range []struct {
		err  HTTPError
		want string
	}{
		{HTTPError{Status: 502, Method: "flickr.people.getPhotos", Snippet: "<html><body><h1>502 Bad Gateway</h1></body></html>"},
			"flickr.people.getPhotos: HTTP 502 Bad Gateway"},
		{HTTPError{Status: 404, Method: "download", Snippet: "no such photo"}, "download: HTTP 404 Not Found: no such photo"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
