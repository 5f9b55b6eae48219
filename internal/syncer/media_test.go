package syncer

import (
	"strings"
	"testing"
	"time"
)

func TestLivePairs(t *testing.T) {
	locals := []Local{
		{Path: "a/IMG_1.HEIC", Signature: "s1", Media: MediaPhoto, LiveID: "ID-1"},
		{Path: "a/IMG_1.MOV", Signature: "v1", Media: MediaVideo, LiveID: "ID-1", Duration: 2.5},
		// Paired by identifier across names and folders.
		{Path: "b/export.mov", Signature: "v2", Media: MediaVideo, LiveID: "ID-2", Duration: 3},
		{Path: "c/IMG_2.JPG", Signature: "s2", Media: MediaPhoto, LiveID: "ID-2"},
		// By name: icloudpd's _HEVC suffix, no identifiers.
		{Path: "d/IMG_3.HEIC", Signature: "s3", Media: MediaPhoto},
		{Path: "d/IMG_3_HEVC.MOV", Signature: "v3", Media: MediaVideo, Duration: 1.9},
		// A long video of the same name is a video, not a motion.
		{Path: "e/DSC_4.JPG", Signature: "s4", Media: MediaPhoto},
		{Path: "e/DSC_4.MOV", Signature: "v4", Media: MediaVideo, Duration: 95},
		// A name in another folder does not pair.
		{Path: "f/IMG_5.MOV", Signature: "v5", Media: MediaVideo, Duration: 2},
		{Path: "g/IMG_5.JPG", Signature: "s5", Media: MediaPhoto},
		// An identifier no still has: the name decides.
		{Path: "h/IMG_6.MOV", Signature: "v6", Media: MediaVideo, LiveID: "ID-6", Duration: 2},
		{Path: "h/IMG_6.JPG", Signature: "s6", Media: MediaPhoto},
	}
	ls := make([]*Local, len(locals))
	for i := range locals {
		ls[i] = &locals[i]
	}
	got := map[string]string{}
	for v, s := range livePairs(ls) {
		got[v] = s.Path
	}
	want := map[string]string{"a/IMG_1.MOV": "a/IMG_1.HEIC", "b/export.mov": "c/IMG_2.JPG",
		"d/IMG_3_HEVC.MOV": "d/IMG_3.HEIC", "h/IMG_6.MOV": "h/IMG_6.JPG"}
	if len(got) != len(want) {
		t.Errorf("pairs %v, want %v", got, want)
	}
	for v, s := range want {
		if got[v] != s {
			t.Errorf("%s paired with %q, want %q", v, got[v], s)
		}
	}
}

func TestMediaHold(t *testing.T) {
	lim := Limits{PhotoMaxBytes: 200 << 20, VideoMaxBytes: 1 << 30, VideoMaxDuration: 3 * time.Minute}
	still := &Local{Path: "IMG_1.HEIC"}
	tests := []struct {
		name  string
		m     MediaKnown
		l     Local
		still *Local
		want  string // a part of the reason, "" when sent
	}{
		{"photo within limits", MediaKnown{Limits: lim}, Local{Media: MediaPhoto, Size: 10 << 20}, nil, ""},
		{"photo too large", MediaKnown{Limits: lim}, Local{Media: MediaPhoto, Size: 300 << 20}, nil, "too large for Flickr: 300 MB, limit 200 MB"},
		{"video too large", MediaKnown{Limits: lim}, Local{Media: MediaVideo, Size: 1395864371}, nil, "too large for Flickr: 1.3 GB, limit 1 GB"},
		{"video too long", MediaKnown{Limits: lim}, Local{Media: MediaVideo, Size: 1 << 20, Duration: 250}, nil, "too long for Flickr: 4m10s, limit 3m0s"},
		{"limits unknown", MediaKnown{}, Local{Media: MediaVideo, Size: 50 << 30, Duration: 9999}, nil, ""},
		{"refused, same bytes", MediaKnown{Refused: map[string]Refusal{"s": {Hash: "h1", Reason: "error 5"}}},
			Local{Signature: "s", Hash: "h1"}, nil, "refused by Flickr earlier (error 5)"},
		{"refused, bytes changed", MediaKnown{Refused: map[string]Refusal{"s": {Hash: "h1", Reason: "error 5"}}},
			Local{Signature: "s", Hash: "h2"}, nil, ""},
		{"live motion", MediaKnown{}, Local{Media: MediaVideo}, still, "the motion video of the Live Photo IMG_1.HEIC: uploaded only with --live-videos"},
		{"live motion with --live-videos", MediaKnown{LiveVideos: true}, Local{Media: MediaVideo}, still, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.m.hold(&tt.l, tt.still)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("hold = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestMakePlanMedia: the media rules hold pictures the plan would send, never the ones
// already on Flickr; the motion of a Live Photo carries its still.
func TestMakePlanMedia(t *testing.T) {
	locals := []Local{
		{Path: "IMG_1.JPG", Signature: "a1", Media: MediaPhoto, LiveID: "L"},
		{Path: "IMG_1.MOV", Signature: "b1", Media: MediaVideo, LiveID: "L", Duration: 2},
		{Path: "big.mp4", Signature: "b2", Media: MediaVideo, Size: 2 << 30},
		{Path: "old.mp4", Signature: "b3", Media: MediaVideo, Size: 2 << 30},
	}
	remotes := []Remote{{ID: "9", MachineTags: "flickrsync:signature=b3", Media: MediaVideo}}
	m := Match(locals, remotes, MatchOptions{})
	k := Known{Media: MediaKnown{Limits: Limits{VideoMaxBytes: 1 << 30}}}
	p := MakePlan(m, k)
	if len(p.Uploads) != 1 || p.Uploads[0].Local.Path != "IMG_1.JPG" {
		t.Errorf("uploads %v, want IMG_1.JPG only", p.Uploads)
	}
	held := map[string]string{}
	for _, h := range p.NotSent {
		held[h.Local.Path] = h.Reason
	}
	if len(held) != 2 || !strings.Contains(held["IMG_1.MOV"], "Live Photo") || !strings.Contains(held["big.mp4"], "too large") {
		t.Errorf("held %v", held)
	}
	k.Media.LiveVideos = true
	p = MakePlan(m, k)
	for _, u := range p.Uploads {
		if u.Local.Path == "IMG_1.MOV" && (u.Still == nil || u.Still.Path != "IMG_1.JPG") {
			t.Errorf("the motion's still: %v", u.Still)
		}
	}
	if len(p.Uploads) != 2 {
		t.Errorf("with --live-videos: uploads %v, want the still and its motion", p.Uploads)
	}
	if got := uploadTags(&locals[1], &locals[0]); got != `flickrsync:signature="b1" flickrsync:livephoto="a1"` {
		t.Errorf("tags %q", got)
	}
}

func TestNameDateMatchKeepsMedia(t *testing.T) {
	locals := []Local{
		{Path: "IMG_1.JPG", Signature: "s1", Media: MediaPhoto, DateTaken: "2019:07:01 09:00:00"},
		{Path: "IMG_1.MOV", Signature: "v1", Media: MediaVideo, DateTaken: "2019:07:01 09:00:00"},
	}
	remotes := []Remote{{ID: "5", Title: "IMG_1", DateTaken: "2019-07-01 09:00:00", Media: MediaVideo}}
	m := Match(locals, remotes, MatchOptions{})
	if links := m.ByRemote["5"]; len(links) != 1 || links[0].Local.Path != "IMG_1.MOV" {
		t.Errorf("the Flickr video matches %v, want the local video only", links)
	}
}

func TestFlickrDateAndSizes(t *testing.T) {
	if got := flickrDate("2019:07:24 11:25:40"); got != "2019-07-24 11:25:40" {
		t.Errorf("flickrDate = %q", got)
	}
	if got := flickrDate("2019:07:24"); got != "" {
		t.Errorf("flickrDate of a partial date = %q", got)
	}
	for n, want := range map[int64]string{512: "512 bytes", 64 << 10: "64 KB", 1395864371: "1.3 GB", 200 << 20: "200 MB"} {
		if got := sizeText(n); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
	}
}
