package syncer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/flickrsync/flickrsync/internal/names"
	"github.com/flickrsync/flickrsync/internal/words"
)

// Media beyond photos (MEDIA.md): what the engine does with videos, Live Photos and the
// files Flickr will not take.
//
//   - Uploads: a video goes up on the photo endpoint like a photo; Flickr reads no date
//     from a video file, so its date taken is then set with photos.setDates (the date
//     matched on, so that name and date matching finds it as it finds photos).
//   - Limits: the account's limits are read at run time (people.getLimits); a picture over
//     one (photo or video size, video duration) is not sent, and is reported once a run
//     with its size and the limit, never retried in a loop.
//   - Refusals: a file Flickr refused for good (upload error 5, "Filetype was not
//     recognised", as with HEIC or WebP on an account that does not take them; error 8,
//     too large) is recorded with the hash of its bytes, and not sent again until the
//     file changes; each run reports it.
//   - Live Photos: a still and a video paired by Apple's content identifier (else by base
//     name, the video lasting at most liveMaxSeconds): the still is uploaded as any
//     picture; the motion video only with Options.LiveVideos, then tagged
//     flickrsync:livephoto="<the still's signature>" so the pair is recognisable.
//   - Downloads: a Flickr video's original is its getSizes "Video Original", offered to its
//     owner on a Pro account only; without it the video is skipped with why (a free
//     account gets the Medium transcodes only, never saved as the original).
//
// Flickr and Store may offer these abilities (MediaFlickr, RefusalStore); without them
// the engine works as for photos: no limits known, nothing remembered, no video original.

// MediaFlickr is what the media rules need of Flickr besides Flickr.
type MediaFlickr interface {
	// Limits reads the account's upload limits (0: Flickr did not say).
	Limits(ctx context.Context) (Limits, error)
	// SetDateTaken sets a photo's date taken ("YYYY-MM-DD HH:MM:SS").
	SetDateTaken(ctx context.Context, photoID, date string) error
	// VideoOriginal returns the URL of a video's original file, or an error wrapping
	// ErrNoOriginal when Flickr offers none to this account.
	VideoOriginal(ctx context.Context, photoID string) (string, error)
	// DownloadVideo is Download for a video original: the extension of dest is replaced
	// by the file's real one; it returns the path written.
	DownloadVideo(ctx context.Context, url, dest string, progress func(done, total int64)) (string, error)
}

// RefusalStore is what the media rules need of the store besides Store.
type RefusalStore interface {
	// RefuseUpload settles the upload of sig as refused by Flickr for good: the bytes of
	// content hash hash, and why.
	RefuseUpload(ctx context.Context, sig, hash, reason string) error
	// Refusals lists the refused uploads by signature.
	Refusals(ctx context.Context) (map[string]Refusal, error)
}

// Limits are the account's upload limits; 0 is unknown.
type Limits struct {
	PhotoMaxBytes, VideoMaxBytes int64
	VideoMaxDuration             time.Duration
}

// Refusal is an upload Flickr refused for good: the content hash of the bytes it refused
// and why.
type Refusal struct {
	Hash, Reason string
}

// ErrNotAccepted is what Flickr.Upload wraps when Flickr refuses the file itself (its
// type, its size): sending the same bytes again cannot succeed.
var ErrNotAccepted = errors.New("Flickr does not accept this file")

// ErrNoOriginal is what MediaFlickr.VideoOriginal wraps when Flickr offers no original
// of a video to this account.
var ErrNoOriginal = errors.New("Flickr offers no original of this video")

// The media values of Local.Media and Remote.Media (imagesig's).
const (
	MediaPhoto = "photo"
	MediaVideo = "video"
)

// MediaKnown is what a run knows of the account and of its earlier refusals, read once
// when it starts (Known.Media).
type MediaKnown struct {
	// Limits are read when the first upload is planned (withLimits): a sync that sends
	// nothing makes no call for them.
	Limits     Limits
	LimitsRead bool
	Refused    map[string]Refusal // by signature
	// LiveVideos uploads the motion videos of Live Photos (Options.LiveVideos).
	LiveVideos bool
}

// liveMaxSeconds bounds the duration of a video paired with a still by name only: a Live
// Photo's motion lasts about three seconds, and a longer video is a video.
const liveMaxSeconds = 5

// livePairs maps the path of each Live Photo's motion video to its still: the photo with
// the same content identifier (the first in names.KeepOrder); for a video no identifier
// pairs, a photo of the same folder and base name (IMG_1234.MOV, or icloudpd's
// IMG_1234_HEVC.MOV, with IMG_1234.HEIC), when the video lasts at most liveMaxSeconds.
func livePairs(locals []*Local) map[string]*Local {
	byID := map[string]*Local{}
	byName := map[string]*Local{}
	for _, l := range locals {
		if l.Media == MediaVideo || l.Signature == "" {
			continue
		}
		if l.LiveID != "" {
			if s := byID[l.LiveID]; s == nil || names.KeepOrder(l.Path, s.Path) < 0 {
				byID[l.LiveID] = l
			}
		}
		k := l.Dir() + "/" + l.ShortName()
		if s := byName[k]; s == nil || names.KeepOrder(l.Path, s.Path) < 0 {
			byName[k] = l
		}
	}
	pairs := map[string]*Local{}
	for _, l := range locals {
		if l.Media != MediaVideo {
			continue
		}
		if s := byID[l.LiveID]; l.LiveID != "" && s != nil {
			pairs[l.Path] = s
			continue
		}
		base := strings.TrimSuffix(l.ShortName(), "_hevc")
		if s := byName[l.Dir()+"/"+base]; s != nil && l.Duration > 0 && l.Duration <= liveMaxSeconds {
			pairs[l.Path] = s
		}
	}
	return pairs
}

// mediaVerdict is verdict with the media rules: a picture the plan would send is held
// (notSent) when Flickr cannot take it or the run must not send it (hold).
func (k Known) mediaVerdict(g DuplicateGroup, matched func(*Local) bool, stills map[string]*Local) (verdict, string) {
	v, why := k.verdict(g, matched)
	if v != sendNow && v != waiting {
		return v, why
	}
	if hold := k.Media.hold(g.Keep, stills[g.Keep.Path]); hold != "" {
		return notSent, hold
	}
	return v, why
}

// hold says why the picture l (still: the still of which it is the Live Photo motion) is
// not sent in this run, "" when it may be.
func (m MediaKnown) hold(l *Local, still *Local) string {
	lim := m.Limits
	max := lim.PhotoMaxBytes
	if l.Media == MediaVideo {
		max = lim.VideoMaxBytes
	}
	switch {
	case max > 0 && l.Size > max:
		return fmt.Sprintf("too large for Flickr: %s, limit %s", sizeText(l.Size), sizeText(max))
	case l.Media == MediaVideo && lim.VideoMaxDuration > 0 && l.Duration > lim.VideoMaxDuration.Seconds():
		return fmt.Sprintf("too long for Flickr: %s, limit %s",
			(time.Duration(l.Duration) * time.Second).Round(time.Second), lim.VideoMaxDuration)
	}
	if r, ok := m.Refused[l.Signature]; ok && r.Hash != "" && r.Hash == l.Hash {
		return fmt.Sprintf("refused by Flickr earlier (%s): not sent again until the file changes", r.Reason)
	}
	if still != nil && !m.LiveVideos {
		return "the motion video of the Live Photo " + still.Path + ": uploaded only with --live-videos"
	}
	return ""
}

// onlyLive reports whether the picture l is held only for being a Live Photo's motion
// video (still: its still), which --live-videos would send.
func (m MediaKnown) onlyLive(l, still *Local) bool {
	return still != nil && !m.LiveVideos && m.hold(l, nil) == ""
}

// sizeText is a size as people read it: "1.3 GB", "200 MB", "512 KB" (binary units).
func sizeText(n int64) string {
	units := []string{"bytes", "KB", "MB", "GB", "TB"}
	v, u := float64(n), 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	if u == 0 {
		return fmt.Sprintf("%d bytes", n)
	}
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0") + " " + units[u]
}

// loadMedia reads what the media rules need from the store once a run: the refusals of
// earlier runs.
func (r *run) loadMedia(ctx context.Context) (MediaKnown, error) {
	m := MediaKnown{LiveVideos: r.opt.LiveVideos}
	refused, err := refusalsOf(ctx, r.Store)
	m.Refused = refused
	return m, err
}

// refusalsOf reads the uploads Flickr refused for good from a store that remembers them
// (RefusalStore); nil from one that does not.
func refusalsOf(ctx context.Context, s Store) (map[string]Refusal, error) {
	rs, ok := s.(RefusalStore)
	if !ok {
		return nil, nil
	}
	refused, err := rs.Refusals(ctx)
	if err != nil {
		return nil, fmt.Errorf("read upload journal: %w", err)
	}
	return refused, nil
}

// withLimits reads the account's upload limits into the state, once a run, and reports
// whether they changed what it knows (the plan is then computed again). Limits Flickr
// cannot tell now are unknown (a note says so): Flickr refuses what is over them.
func (r *run) withLimits(ctx context.Context, st *state) bool {
	if st.known.Media.LimitsRead {
		return false
	}
	st.known.Media.LimitsRead = true
	st.m, st.p = nil, nil
	mf, ok := r.Flickr.(MediaFlickr)
	if !ok {
		return true
	}
	lim, err := mf.Limits(ctx)
	if err != nil && ctx.Err() == nil {
		r.rep.Note("Flickr's upload limits are unknown (%v): Flickr itself refuses what is over them", err)
	}
	st.known.Media.Limits = lim
	return true
}

// endNotSent ends, in the upload step, the pictures the media rules hold back (skipped,
// with why: a condition of the file, not a failure of the run), and sums them up in the
// summary: every file too large or refused by name, the Live Photos' motions in one line.
func (r *run) endNotSent(p *Plan) {
	live := 0
	for _, h := range p.NotSent {
		r.record(Event{Step: StepUpload, Subject: h.Local.Path, Outcome: Skipped, Detail: h.Reason})
		if h.Still != nil && !r.opt.LiveVideos && strings.HasPrefix(h.Reason, "the motion video") {
			live++
			continue
		}
		r.rep.Note("not uploaded: %s: %s", h.Local.Path, h.Reason)
	}
	if live > 0 {
		r.rep.Note("%s not uploaded (--live-videos uploads %s)", words.Count(live, "Live Photo motion video"), words.Noun(live, "it", "them"))
	}
}

// uploadTags are the tags an upload carries: its signature tag, and for a Live Photo's
// motion video the still's signature.
func uploadTags(l, still *Local) string {
	tags := names.SignatureTag(l.Signature)
	if still != nil {
		tags += " " + names.LivePhotoTag(still.Signature)
	}
	return tags
}

// afterUpload finishes the upload of l as photo id: a video's date taken is set (Flickr
// reads none from the file). It returns what to add to the upload's event.
func (r *run) afterUpload(ctx context.Context, l *Local, id string) string {
	mf, ok := r.Flickr.(MediaFlickr)
	if !ok || l.Media != MediaVideo || l.DateTaken == "" {
		return ""
	}
	date := flickrDate(l.DateTaken)
	if date == "" {
		return ""
	}
	if err := mf.SetDateTaken(ctx, id, date); err != nil {
		return fmt.Sprintf("; its date taken could not be set (%v): it matches by its signature tag only", err)
	}
	return ", date taken set to " + date
}

// flickrDate turns a date taken as matched on ("2019:07:24 11:25:40") into Flickr's
// ("2019-07-24 11:25:40"), "" when it is not one.
func flickrDate(d string) string {
	t, err := time.Parse("2006:01:02 15:04:05", d)
	if err != nil {
		return ""
	}
	return t.Format("2006-01-02 15:04:05")
}

// refused records that Flickr refused l's bytes for good (err wraps ErrNotAccepted) and
// gives the failure's text.
func (r *run) refused(ctx context.Context, l *Local, err error) string {
	reason := strings.TrimPrefix(err.Error(), ErrNotAccepted.Error()+": ")
	rs, ok := r.Store.(RefusalStore)
	if !ok || l.Hash == "" {
		if jerr := r.Store.EndUpload(ctx, l.Signature, ""); jerr != nil {
			return fmt.Sprintf("%v (and the journal write failed: %v)", err, jerr)
		}
		return err.Error()
	}
	if jerr := rs.RefuseUpload(ctx, l.Signature, l.Hash, reason); jerr != nil {
		return fmt.Sprintf("%v (and the journal write failed: %v)", err, jerr)
	}
	return fmt.Sprintf("refused by Flickr: %s; not sent again until the file changes", reason)
}

// originalOf is the URL of p's original: url_o for a photo, getSizes' Video Original for
// a video. skip says why there is none (a condition of the photo, not a failure).
func (r *run) originalOf(ctx context.Context, p *Remote) (url, skip string, err error) {
	if p.Media != MediaVideo {
		if p.URLOriginal == "" {
			return "", "Flickr gives no original (url_o)", nil
		}
		return p.URLOriginal, "", nil
	}
	mf, ok := r.Flickr.(MediaFlickr)
	if !ok {
		return "", "a video: this Flickr client cannot fetch video originals", nil
	}
	url, err = mf.VideoOriginal(ctx, p.ID)
	if errors.Is(err, ErrNoOriginal) {
		return "", "Flickr offers a video's original to the owner of a Pro account only (a free account gets Medium transcodes, never saved as the original)", nil
	}
	return url, "", err
}

// fetch downloads p's original from url into dest (a video's extension is its file's) and
// returns the path written.
func (r *run) fetch(ctx context.Context, step Step, p *Remote, url, dest string) (string, error) {
	if mf, ok := r.Flickr.(MediaFlickr); ok && p.Media == MediaVideo {
		return mf.DownloadVideo(ctx, url, dest, r.transferProgress(step, p.ID))
	}
	return dest, r.Flickr.Download(ctx, url, dest, r.transferProgress(step, p.ID))
}

// downloadFormat is the extension a photo's download is named with before its bytes
// arrive: a video's comes from its file (fetch), "mov" stands in until then.
func downloadFormat(p *Remote) string {
	if p.Media == MediaVideo {
		return "mov"
	}
	return p.OriginalFormat
}
