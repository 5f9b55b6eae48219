package emulator

import (
	"strings"
	"testing"
	"time"
)

// TestPeopleGetLimits: the account's limits as MEDIA.md lists them (photos maxupload,
// videos maxupload and maxduration), configurable, and only to a signed call with a token.
func TestPeopleGetLimits(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		cfg                    Config
		photo, video, duration string
	}{
		{"defaults", Config{}, "209715200", "1073741824", "180"},
		{"configured", Config{MaxUploadBytes: 5000, VideoMaxUploadBytes: 7000, VideoMaxDuration: 90 * time.Second}, "5000", "7000", "90"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, base := newTestServer(t, tc.cfg)
			p := newClient(t, base, srv, "read").ok("flickr.people.getLimits", nil)
			if p.XMLName.Local != "person" || p.attr("nsid") != "12345678@N00" || p.one("photos").attr("maxupload") != tc.photo ||
				p.one("videos").attr("maxupload") != tc.video || p.one("videos").attr("maxduration") != tc.duration {
				t.Errorf("got %+v", p)
			}
			_, body := newClient(t, base, srv, "read").rest("flickr.people.getLimits", map[string]string{"format": "json", "nojsoncallback": "1"})
			want := `{"person":{"nsid":"12345678@N00", "photos":{"maxupload":"` + tc.photo + `"}, "videos":{"maxduration":"` + tc.duration + `", "maxupload":"` + tc.video + `"}}, "stat":"ok"}`
			if strings.TrimSpace(body) != want {
				t.Errorf("json\n got %s\nwant %s", body, want)
			}
		})
	}
	srv, base := newTestServer(t, Config{})
	if status, body := newClient(t, base, srv, "").rest("flickr.people.getLimits", nil); status != 400 || !strings.Contains(body, "oauth_problem=parameter_absent") {
		t.Errorf("without a token: %d %s", status, body)
	}
}
