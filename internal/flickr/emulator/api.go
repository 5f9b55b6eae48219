package emulator

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"sort"
	"time"
)

// TagView is one tag of a photo as Flickr stores it.
type TagView struct {
	ID      string // <authornum>-<photoid>-<tagid>, as getInfo shows
	Raw     string
	Clean   string
	Machine bool
}

// PhotoView is a photo as tests inspect it.
type PhotoView struct {
	ID, Title, Description       string
	Secret, OriginalSecret       string
	Tags                         []TagView
	RawTags, CleanTags           []string
	MachineTags                  []string // clean machine tags
	DateTaken                    string   // "YYYY-MM-DD HH:MM:SS"
	DateTakenUnknown             bool
	DateUpload, LastUpdate       int64
	SHA256                       string // of the original bytes
	Format                       string // jpg, png, gif
	Size                         int64
	Width, Height                int64
	IsPublic, IsFriend, IsFamily bool
	Sets                         []string // ids of the photosets holding it
	Pending                      bool     // an async upload whose ticket has not completed
	Owner                        string   // the owner's NSID
	Media                        string   // photo or video
	VideoFormat                  string   // a video's container: mp4, mov...
	Duration                     int64    // a video's seconds
	VideoReady, VideoFailed      bool     // a video's processing state now
	DateTakenGranularity         int64
	SafetyLevel                  int64 // as Flickr shows it: 0 safe, 1 moderate, 2 restricted
	ContentType                  int64 // 1 photo, 2 screenshot, 3 other
	Hidden                       bool
	PermComment, PermAddMeta     int64
	UploadSHA256                 string // of the bytes uploaded (differs from SHA256 for a TIFF)
}

// PhotosetView is a photoset as tests inspect it.
type PhotosetView struct {
	ID, Title, Description, Primary string
	Photos                          []string
	Owner                           string // the owner's NSID
}

// Photos lists every stored photo in upload order.
func (srv *Server) Photos() []PhotoView {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	now := time.Now()
	out := make([]PhotoView, 0, len(srv.st.Photos))
	for _, p := range srv.st.Photos {
		v := PhotoView{
			ID: p.ID, Title: p.Title, Description: p.Description, Secret: p.Secret, OriginalSecret: p.OriginalSecret,
			DateTaken: p.DateTaken, DateTakenUnknown: p.TakenUnknown == 1, DateUpload: p.DateUpload,
			LastUpdate: p.LastUpdate, SHA256: p.SHA256, Format: p.Format, Size: p.Size, Width: p.Width,
			Height: p.Height, IsPublic: p.IsPublic == 1, IsFriend: p.IsFriend == 1, IsFamily: p.IsFamily == 1,
			Pending: !srv.readyLocked(p, now), Owner: srv.owner(p.Owner).NSID, Media: "photo",
			VideoFormat: p.VideoFormat, Duration: p.Duration, DateTakenGranularity: p.TakenGranularity,
			SafetyLevel: p.SafetyLevel, ContentType: max(p.ContentType, 1), Hidden: p.Hidden, UploadSHA256: p.uploadSum(),
		}
		v.PermComment, v.PermAddMeta = p.perms()
		if p.isVideo() {
			v.Media, v.VideoReady, v.VideoFailed = "video", p.videoReady(now), p.VideoFailed
		}
		for _, t := range p.Tags {
			v.Tags = append(v.Tags, TagView{ID: srv.tagID(p, t), Raw: t.Raw, Clean: t.Clean, Machine: t.Machine})
			v.RawTags = append(v.RawTags, t.Raw)
			v.CleanTags = append(v.CleanTags, t.Clean)
			if t.Machine {
				v.MachineTags = append(v.MachineTags, t.Clean)
			}
		}
		for _, ps := range srv.st.Sets {
			for _, id := range ps.Photos {
				if id == p.ID {
					v.Sets = append(v.Sets, ps.ID)
				}
			}
		}
		out = append(out, v)
	}
	return out
}

// PhotoBytes returns a photo's original bytes.
func (srv *Server) PhotoBytes(id string) ([]byte, error) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	p := srv.photoLocked(id)
	if p == nil {
		return nil, fmt.Errorf("photo %s: not found", id)
	}
	return srv.blobLocked(p)
}

// Photosets lists the sets in the account's order (newest first unless reordered).
func (srv *Server) Photosets() []PhotosetView {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	out := make([]PhotosetView, 0, len(srv.st.Sets))
	for _, ps := range srv.st.Sets {
		out = append(out, PhotosetView{ID: ps.ID, Title: ps.Title, Description: ps.Description,
			Primary: ps.Primary, Photos: append([]string(nil), ps.Photos...), Owner: srv.owner(ps.Owner).NSID})
	}
	return out
}

// SeedPhoto describes a photo added as if another tool had uploaded it.
type SeedPhoto struct {
	Title       string
	Description string
	Tags        string // a Flickr tags argument: space-separated, "double quoted" multi-word
	// DateTaken "YYYY-MM-DD HH:MM:SS"; "" = from the data's EXIF, else the upload time
	// (datetakenunknown=1).
	DateTaken string
	// DateUpload (whole seconds); zero = now (never before the previous upload's).
	DateUpload time.Time
	// Data is the original file, any type an upload takes (a video too); nil = a small
	// generated JPEG.
	Data    []byte
	Private bool   // is_public=0 (friends/family 0)
	Owner   string // the account's username or NSID; "" = the primary account
}

// AddPhoto stores a photo and returns its id.
func (srv *Server) AddPhoto(sp SeedPhoto) (string, error) {
	data := sp.Data
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if data == nil {
		var err error
		if data, err = tinyJPEG(srv.st.NextPhotoID); err != nil {
			return "", err
		}
	}
	u, e := srv.prepareUpload(data, sp.Title)
	if e != nil {
		return "", fmt.Errorf("add photo %q: %s", sp.Title, e.msg)
	}
	if sp.Owner != "" {
		a := srv.byName(sp.Owner)
		if a == nil {
			return "", fmt.Errorf("add photo %q: no account %q", sp.Title, sp.Owner)
		}
		u.owner = srv.ownerKey(a)
	}
	u.title, u.description, u.tags, u.public, u.dateTaken = sp.Title, sp.Description, sp.Tags, b2i(!sp.Private), sp.DateTaken
	u.contentType = 1
	if !sp.DateUpload.IsZero() {
		u.dateUpload = sp.DateUpload.Unix()
	}
	p, err := srv.addPhotoLocked(u)
	if err == nil {
		err = srv.saveLocked()
	}
	if err != nil {
		return "", fmt.Errorf("add photo %q: %w", sp.Title, err)
	}
	return p.ID, nil
}

// DeletePhoto removes a photo (and its place in sets) as if deleted on Flickr's site.
func (srv *Server) DeletePhoto(id string) bool {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	p := srv.photoLocked(id)
	if p == nil {
		return false
	}
	srv.deletePhotoLocked(p)
	_ = srv.saveLocked()
	return true
}

// tinyJPEG makes a distinct 8x8 JPEG for seeded photos.
func tinyJPEG(seed int64) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = byte(seed >> (8 * (i % 5)) * int64(i+1))
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	img.Set(0, 0, color.RGBA{byte(seed), byte(seed >> 8), byte(seed >> 16), 255})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		return nil, fmt.Errorf("encode seed jpeg: %w", err)
	}
	return b.Bytes(), nil
}

func sortNodes(ns []*node) {
	sort.Slice(ns, func(i, j int) bool { return ns[i].name < ns[j].name })
}
