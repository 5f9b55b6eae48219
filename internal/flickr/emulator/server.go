package emulator

import (
	"context"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/flickrsync/flickrsync/internal/exifdate"
)

// Config configures a Server. Zero values give a usable in-memory emulator.
type Config struct {
	APIKey    string // consumer key; default "0123456789abcdef0123456789abcdef"
	APISecret string // consumer secret; default "fedcba9876543210"
	Username  string // default "emulated"
	Fullname  string // default Username
	UserNSID  string // default "12345678@N00"
	// AutoApprove approves every authorize request at once (no HTML form).
	AutoApprove bool
	// StateDir persists photos (bytes in files), sets and tokens there; "" keeps all in memory.
	StateDir string
	// Clock gives "now" for upload/update dates; default time.Now.
	Clock func() time.Time
	// Location is the owner's time zone for datetaken of photos without EXIF; default UTC.
	Location *time.Location
	// Seed makes IDs, secrets and faults deterministic.
	Seed   int64
	Faults FaultConfig
	// MaxUploadBytes is the photo upload size limit (code 8), and people.getLimits' photos
	// maxupload; default 200 MB.
	MaxUploadBytes int64
	// VideoMaxUploadBytes and VideoMaxDuration limit video uploads (code 8, see
	// VideoTooLongFails) and are people.getLimits' videos maxupload and maxduration; default 1 GB and 180 s (MEDIA.md's published values for a free
	// account; Pro's duration limit is unknown, set it to model one).
	VideoMaxUploadBytes int64
	VideoMaxDuration    time.Duration
	// TicketDelay is how long an async upload ticket stays complete="0"; default 200ms.
	TicketDelay time.Duration
	// SearchCap is how many results photos.search can reach; default 4000.
	SearchCap int
	// MaxPhotos caps the account's photos (a free account holds 1,000): an upload beyond it
	// fails with code 6; 0 = unlimited.
	MaxPhotos int
	// MaxSets and MaxSetPhotos limit photosets (create: code 3) and photos per set
	// (addPhoto: code 10); 0 = unlimited (Flickr publishes no numbers).
	MaxSets, MaxSetPhotos int
	// TimestampWindow bounds |oauth_timestamp - wall clock| (timestamp_refused); default 1h,
	// negative disables the check.
	TimestampWindow time.Duration
	// Control serves GET /emulator/calls (the call counters as JSON) and
	// POST /emulator/calls/reset; off by default, since it is not part of Flickr.
	Control bool
	// Free makes the primary account a free one (Account.Free); Users adds accounts.
	Free  bool
	Users []Account
	// FreeOriginals lets free accounts see and download originals as before the 2022
	// change; by default (MEDIA.md) they get no originalsecret, url_o or Original size.
	FreeOriginals bool
	// FreeNonPublicRefused refuses (upload error 6) a free account's non-public upload past
	// 50 non-public items; by default it is accepted, as Flickr's help says only that such
	// content "is at risk of deletion" (MEDIA.md: at most 50 non-public items).
	FreeNonPublicRefused bool
	// RefusedFormats answer upload error 5 "Filetype was not recognised" instead of being
	// accepted: any of heic, heif, avif, webp, tiff (MEDIA.md [?]: Flickr's answer to
	// HEIC/HEIF/AVIF/WebP is undocumented), and video containers (mp4, mov...).
	RefusedFormats []string
	// VideoProcessing is how long an uploaded video stays pending (getInfo <video ready="0"
	// pending="1">, extras media_status="pending", no video sizes) before it is ready;
	// 0 = at once.
	VideoProcessing time.Duration
	// VideoUploadsDisabled answers every video upload with error 0 "Video uploads are
	// temporarily disabled".
	VideoUploadsDisabled bool
	// MaxVideos caps the videos one account holds (error 7 "User exceeded video upload
	// limit"); 0 = unlimited.
	MaxVideos int
	// VideoTooLongFails accepts a video longer than VideoMaxDuration and fails its
	// processing (failed="1", an async ticket complete="2") instead of refusing the upload
	// with error 8: Flickr's answer is undocumented.
	VideoTooLongFails bool
	// DefaultVideo gives duration (s) and size of videos whose container the emulator does
	// not read (AVI, MPEG, WMV, an MP4 without moov); default 10 s, 640x480.
	DefaultVideo struct{ Duration, Width, Height int64 }
	// VideoOriginalRefused answers the Video Original URL (/play/orig/) with 403, as
	// flickrmirrorer saw Flickr do for API clients from 2016 (MEDIA.md says it redirects).
	VideoOriginalRefused bool
	// ExifDate extracts DateTimeOriginal ("YYYY:MM:DD HH:MM:SS", "" when none) from an upload;
	// default exifdate.FromBytes (as ImageMagick shows it).
	ExifDate func(b []byte) (string, error)
}

// Server is one emulated Flickr account holder plus the endpoints serving it.
type Server struct {
	cfg Config

	mu       sync.Mutex
	st       *state
	blobs    map[string][]byte // photo id -> original bytes (memory mode)
	rng      *rand.Rand        // ids and secrets
	calls    map[string]int
	nonces   map[string]time.Time
	authNum  string // the primary account's
	accounts []*account
	byNSID   map[string]*account
	loggedIn *account           // whose browser session approves authorize requests
	ticketOf map[string]*ticket // photo id -> its upload ticket; nil = rebuild
	photoIdx map[string]*photo  // photo id -> photo; nil = rebuild
	faults   *faultState
	j        *journal // nil in memory mode

	httpSrv  *http.Server
	listener net.Listener
	baseURL  string
}

// New builds a Server; with cfg.StateDir it loads any state saved there (an unreadable
// state dir panics, since every caller treats it as a setup error; use Open to get the error).
func New(cfg Config) *Server {
	srv, err := Open(cfg)
	if err != nil {
		panic(err)
	}
	return srv
}

// Open is New returning the state-loading error instead of panicking.
func Open(cfg Config) (*Server, error) {
	if cfg.APIKey == "" {
		cfg.APIKey = "0123456789abcdef0123456789abcdef"
	}
	if cfg.APISecret == "" {
		cfg.APISecret = "fedcba9876543210"
	}
	if cfg.Username == "" {
		cfg.Username = "emulated"
	}
	if cfg.Fullname == "" {
		cfg.Fullname = cfg.Username
	}
	if cfg.UserNSID == "" {
		cfg.UserNSID = "12345678@N00"
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = 200 << 20
	}
	if cfg.VideoMaxUploadBytes <= 0 {
		cfg.VideoMaxUploadBytes = 1 << 30
	}
	if cfg.VideoMaxDuration <= 0 {
		cfg.VideoMaxDuration = 180 * time.Second
	}
	if cfg.DefaultVideo.Duration <= 0 {
		cfg.DefaultVideo.Duration = 10
	}
	if cfg.DefaultVideo.Width <= 0 || cfg.DefaultVideo.Height <= 0 {
		cfg.DefaultVideo.Width, cfg.DefaultVideo.Height = 640, 480
	}
	if cfg.TicketDelay == 0 {
		cfg.TicketDelay = 200 * time.Millisecond
	}
	if cfg.SearchCap <= 0 {
		cfg.SearchCap = 4000
	}
	if cfg.TimestampWindow == 0 {
		cfg.TimestampWindow = time.Hour
	}
	if cfg.ExifDate == nil {
		cfg.ExifDate = exifdate.FromBytes
	}
	srv := &Server{
		cfg:    cfg,
		blobs:  map[string][]byte{},
		rng:    rand.New(rand.NewSource(cfg.Seed)),
		calls:  map[string]int{},
		nonces: map[string]time.Time{},
		faults: newFaultState(cfg.Faults, cfg.Seed),
	}
	if err := srv.initAccounts(); err != nil {
		return nil, fmt.Errorf("open emulator: %w", err)
	}
	srv.authNum = srv.primary().authNum
	st, err := loadState(cfg.StateDir)
	if err != nil {
		return nil, err
	}
	srv.st = st
	if cfg.StateDir != "" {
		// start from a fresh snapshot: it records this run's generation and drops a torn
		// journal tail before anything is appended after it
		srv.j = newJournal(st)
		if err := srv.compactLocked(); err != nil {
			return nil, err
		}
	}
	// a reloaded state must not mint the ids and tokens of the previous run again
	srv.rng = rand.New(rand.NewSource(cfg.Seed + st.Generation*1000003))
	return srv, nil
}

// Handler serves every Flickr host's paths from one mux.
func (srv *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/services/rest/", srv.handleREST)
	mux.HandleFunc("/services/rest", srv.handleREST)
	mux.HandleFunc("/services/upload/", srv.handleUpload)
	mux.HandleFunc("/services/upload", srv.handleUpload)
	mux.HandleFunc("/services/replace/", srv.handleUpload)
	mux.HandleFunc("/services/replace", srv.handleUpload)
	mux.HandleFunc("/services/oauth/request_token", srv.handleRequestToken)
	mux.HandleFunc("/services/oauth/authorize", srv.handleAuthorize)
	mux.HandleFunc("/services/oauth/access_token", srv.handleAccessToken)
	mux.HandleFunc("/photos/", srv.handlePhotoFile)
	mux.HandleFunc("/video/", srv.handleVideoFile)
	if srv.cfg.Control {
		mux.HandleFunc("/emulator/calls", srv.handleCalls)
		mux.HandleFunc("/emulator/calls/reset", srv.handleCallsReset)
	}
	// The Date header is Flickr's clock, the one its photo dates are taken from (Clock
	// here, which tests may set apart from this machine's): clients read it to compare
	// with those dates. It is taken before the request is handled, so it is never later
	// than what the answer holds.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", srv.now().UTC().Format(http.TimeFormat))
		mux.ServeHTTP(w, r)
	})
}

// Start listens on addr (port 0 picks one) and serves in the background; it returns the
// base URL, e.g. http://127.0.0.1:8383.
func (srv *Server) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen %s: %w", addr, err)
	}
	srv.listener = ln
	srv.baseURL = "http://" + ln.Addr().String()
	srv.httpSrv = &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = srv.httpSrv.Serve(ln) }() // returns ErrServerClosed once Close runs
	return srv.baseURL, nil
}

// Close stops a server started with Start (waiting briefly for requests in flight) and
// writes the state snapshot (emptying the journal).
func (srv *Server) Close() error {
	var err error
	if srv.httpSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if e := srv.httpSrv.Shutdown(ctx); e != nil {
			err = srv.httpSrv.Close()
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if e := srv.closeJournalLocked(); e != nil && err == nil {
		err = e
	}
	return err
}

func (srv *Server) now() time.Time { return srv.cfg.Clock() }

func (srv *Server) count(name string) {
	srv.mu.Lock()
	srv.calls[name]++
	srv.mu.Unlock()
}

// Calls returns how many requests each REST method got, plus "upload", "replace",
// "download" and "oauth".
func (srv *Server) Calls() map[string]int {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	out := make(map[string]int, len(srv.calls))
	for k, v := range srv.calls {
		out[k] = v
	}
	return out
}

// ResetCalls zeroes the call counters.
func (srv *Server) ResetCalls() {
	srv.mu.Lock()
	srv.calls = map[string]int{}
	srv.mu.Unlock()
}

// randDigits and randHex draw from the seeded generator; callers hold srv.mu.
func (srv *Server) randHex(n int) string {
	const hexd = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(hexd[srv.rng.Intn(16)])
	}
	return b.String()
}

func (srv *Server) randDigits(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(byte('0' + srv.rng.Intn(10)))
	}
	return b.String()
}
