package faultsuite

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/cli"
	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/imagesig"
	"github.com/flickrsync/flickrsync/internal/names"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

const (
	apiKey    = "0123456789abcdef0123456789abcdef"
	apiSecret = "fedcba9876543210"
	sigPrefix = "flickrsync:signature="
)

// world is one account on the emulator, one library, one catalog and one config file, all in
// the test's temp folder. Every request to the emulator goes through a hook that knows
// which call it is, so tests can act at the right moment (delete a photo before its
// download, change a file while it is uploaded) and see which step a run is in.
type world struct {
	t    *testing.T
	srv  *emulator.Server
	hs   *httptest.Server
	base string
	work string
	cfg  string
	lib  string
	db   string

	mu       sync.Mutex
	hook     func(kind string, r *http.Request)
	last     string // kind of the last request seen
	lastAt   time.Time
	started  int // requests seen
	inflight int // requests being served
	faults   faultCount
}

// faultCount is what the account answered with a failure, seen on the wire.
type faultCount struct {
	HTTP5xx, Throttled, FlickrFail, Lost int
}

func (f faultCount) String() string {
	return fmt.Sprintf("%d HTTP 5xx, %d HTTP 429, %d Flickr stat=fail, %d answers lost", f.HTTP5xx, f.Throttled, f.FlickrFail, f.Lost)
}

// recorder notes a response's status and the start of its body; Hijack (the emulator's
// way to lose an answer) passes through.
type recorder struct {
	http.ResponseWriter
	status int
	head   []byte
	lost   bool
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if len(r.head) < 512 {
		r.head = append(r.head, b[:min(len(b), 512-len(r.head))]...)
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, fmt.Errorf("hijack: not supported")
	}
	r.lost = true
	return hj.Hijack()
}

func newWorld(t *testing.T, seed int64) *world {
	t.Helper()
	w := &world{t: t, work: t.TempDir()}
	w.srv = emulator.New(emulator.Config{APIKey: apiKey, APISecret: apiSecret, Username: "tester", Seed: seed,
		TicketDelay: 10 * time.Millisecond})
	w.hs = httptest.NewServer(http.HandlerFunc(w.serve))
	t.Cleanup(w.hs.Close)
	w.base = w.hs.URL
	w.cfg = filepath.Join(w.work, "config.ini")
	w.lib = filepath.Join(w.work, "Pictures")
	w.db = filepath.Join(w.work, "catalog", "flickrsync.db")
	for _, d := range []string{w.lib, filepath.Dir(w.db)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ini := fmt.Sprintf("[DEFAULT]\napi_key = %s\napi_secret = %s\nusername = tester\ndirectory = %s\ndatabase = %s\n",
		apiKey, apiSecret, w.lib, w.db)
	if err := os.WriteFile(w.cfg, []byte(ini), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := config.Load(config.Options{ConfigPath: w.cfg, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	tok, sec := w.srv.IssueToken("write")
	if err := config.SaveToken(s.TokenPath(), &config.Token{Token: tok, Secret: sec, UserNSID: "12345678@N00",
		Username: "tester", Perms: "write"}); err != nil {
		t.Fatal(err)
	}
	return w
}

// kindOf names a request as the emulator's call counters do: the REST method, or upload,
// replace, download, oauth.
func kindOf(r *http.Request) string {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/services/upload"):
		return "upload"
	case strings.HasPrefix(p, "/services/replace"):
		return "replace"
	case strings.HasPrefix(p, "/photos/"):
		return "download"
	case strings.HasPrefix(p, "/services/oauth"):
		return "oauth"
	}
	if m := r.URL.Query().Get("method"); m != "" {
		return m
	}
	if r.Method == http.MethodPost && r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(bytes.NewReader(b))
		if err == nil {
			if v, err := url.ParseQuery(string(b)); err == nil {
				return v.Get("method")
			}
		}
	}
	return "?"
}

func (w *world) serve(rw http.ResponseWriter, r *http.Request) {
	kind := kindOf(r)
	w.mu.Lock()
	w.last, w.lastAt = kind, time.Now()
	w.started++
	w.inflight++
	hook := w.hook
	w.mu.Unlock()
	rec := &recorder{ResponseWriter: rw}
	defer func() {
		// Counted out even if the hook or the handler panics, so that waitIdle does not
		// report a request that is no longer served.
		w.mu.Lock()
		w.inflight--
		w.mu.Unlock()
	}()
	if hook != nil {
		hook(kind, r)
	}
	w.srv.Handler().ServeHTTP(rec, r)
	w.mu.Lock()
	switch {
	case rec.lost:
		w.faults.Lost++
	case rec.status >= 500:
		w.faults.HTTP5xx++
	case rec.status == http.StatusTooManyRequests:
		w.faults.Throttled++
	case bytes.Contains(rec.head, []byte(`stat="fail"`)) || bytes.Contains(rec.head, []byte(`"stat":"fail"`)):
		w.faults.FlickrFail++
	}
	w.mu.Unlock()
}

// waitIdle waits (at most 10 s) until no request is being served: after a client was
// killed, whatever it had sent has landed or been dropped, so the next run cannot be
// overtaken by an upload of the killed one (what the engine's upload grace period is for;
// the tests set it to 1ms and wait here instead).
func (w *world) waitIdle(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		w.mu.Lock()
		n := w.inflight
		w.mu.Unlock()
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests still served 10 s after the client died", n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// uploadGrace is FLICKRSYNC_UPLOAD_GRACE in the tests: the emulator commits an upload
// before answering and the kill test waits for it to be idle, so no earlier run's upload
// can land late.
const uploadGrace = "1ms"

// injected is the failures answered so far.
func (w *world) injected() faultCount {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.faults
}

func (w *world) setHook(h func(kind string, r *http.Request)) {
	w.mu.Lock()
	w.hook = h
	w.mu.Unlock()
}

// lastRequest is the kind of the last request and how many came since the world began.
func (w *world) lastRequest() (string, int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last, w.started
}

func (w *world) getenv(k string) string {
	switch k {
	case "FLICKRSYNC_FLICKR_URL":
		return w.base
	case "FLICKRSYNC_PACING":
		return "off"
	case "HOME":
		return w.work
	case "FLICKRSYNC_UPLOAD_GRACE":
		return uploadGrace
	}
	return ""
}

// run runs the CLI in-process: flickrsync -c CONFIG args...
func (w *world) run(args ...string) (int, string, string) {
	w.t.Helper()
	var out, errw bytes.Buffer
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errw, Getenv: w.getenv,
		IsTerminal: func() bool { return false }}
	code := cli.Main(context.Background(), append([]string{"-c", w.cfg}, args...), env)
	return code, out.String(), errw.String()
}

// mustRun runs the CLI and fails the test unless it exits 0.
func (w *world) mustRun(args ...string) string {
	w.t.Helper()
	code, out, errs := w.run(args...)
	if code != 0 {
		w.t.Fatalf("flickrsync %s: exit %d\n%s", strings.Join(args, " "), code, errs)
	}
	return out
}

// command prepares the built binary against this world (a child process).
func (w *world) command(bin string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, append([]string{"-c", w.cfg}, args...)...)
	cmd.Env = append(os.Environ(), "FLICKRSYNC_FLICKR_URL="+w.base, "FLICKRSYNC_PACING=off", "HOME="+w.work, "FLICKRSYNC_UPLOAD_GRACE="+uploadGrace)
	return cmd
}

// put writes a picture into the library at rel (slash separated).
func (w *world) put(rel string, b []byte) string {
	w.t.Helper()
	full := filepath.Join(w.lib, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(full, b, 0o644); err != nil {
		w.t.Fatal(err)
	}
	return full
}

// seed adds a photo on Flickr as another tool would have, tagged with its signature when
// tagged is true; it returns the photo id.
func (w *world) seed(title string, b []byte, tagged bool, dateTaken string) string {
	w.t.Helper()
	sp := emulator.SeedPhoto{Title: title, Data: b, Private: true, DateTaken: dateTaken}
	if tagged {
		sp.Tags = names.SignatureTag(signature(w.t, b))
	}
	id, err := w.srv.AddPhoto(sp)
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

func gen(t *testing.T, p sample.Picture) []byte {
	t.Helper()
	b, err := p.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func signature(t *testing.T, b []byte) string {
	t.Helper()
	r, err := imagesig.Sign(context.Background(), bytes.NewReader(b), imagesig.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r.Signature
}

func isPicture(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".gif":
		return true
	}
	return false
}

// outcome is what verify found.
type outcome struct {
	Photos, LocalFiles, LocalSigs, Downloads int
	Duplicates, Missing, MissingHome         int // signatures twice on Flickr, local ones not on Flickr, Flickr ones not home
	Untagged, Partial, Damaged, Doubled      int // photos without signature; .part files; downloads not whole; photos downloaded twice
}

func (o outcome) String() string {
	return fmt.Sprintf("%d photos, %d local files (%d signatures), %d downloads; duplicates %d, missing %d, not home %d, untagged %d, partial files %d, damaged downloads %d, downloaded twice %d",
		o.Photos, o.LocalFiles, o.LocalSigs, o.Downloads, o.Duplicates, o.Missing, o.MissingHome, o.Untagged, o.Partial, o.Damaged, o.Doubled)
}

// verifyOpts says what a converged world must satisfy besides the upload side.
type verifyOpts struct {
	twoWay  bool            // every Flickr photo must be home
	skip    map[string]bool // library files (slash paths) left out (known unreadable)
	partial bool            // .part files are only counted, not failed (see the kill test)
}

// verify checks the converged state: every local signature on Flickr exactly once, every
// photo tagged, with twoWay every photo home exactly once and whole (the downloaded bytes'
// sha256 is the original's), no partial file in the library.
func (w *world) verify(t *testing.T, vo verifyOpts) outcome {
	t.Helper()
	ctx := context.Background()
	var o outcome
	photos := w.srv.Photos()
	o.Photos = len(photos)
	byID := map[string]emulator.PhotoView{}
	onFlickr := map[string]string{}
	for _, p := range photos {
		byID[p.ID] = p
		sig := ""
		for _, mt := range p.MachineTags {
			if v, ok := strings.CutPrefix(mt, sigPrefix); ok {
				sig = v
			}
		}
		if sig == "" {
			o.Untagged++
			t.Errorf("photo %s %q has no signature tag", p.ID, p.Title)
			continue
		}
		if prev, ok := onFlickr[sig]; ok {
			o.Duplicates++
			t.Errorf("signature %s on Flickr twice: photos %s and %s", sig[:12], prev, p.ID)
		}
		onFlickr[sig] = p.ID
	}
	local := map[string]string{}
	home := map[string]int{}
	err := filepath.WalkDir(w.lib, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(w.lib, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() || vo.skip[rel] {
			return nil
		}
		if strings.Contains(d.Name(), ".part") {
			o.Partial++
			if !vo.partial {
				t.Errorf("partial file left in the library: %s", rel)
			} else {
				t.Logf("partial file left in the library: %s (%d bytes)", rel, fileSize(p))
			}
			return nil
		}
		if !isPicture(d.Name()) {
			return nil
		}
		o.LocalFiles++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if id, ok := downloadedID(d.Name()); ok {
			o.Downloads++
			home[id]++
			if ph, ok := byID[id]; ok {
				sum := sha256.Sum256(b)
				if hex.EncodeToString(sum[:]) != ph.SHA256 {
					o.Damaged++
					t.Errorf("download %s is not photo %s's original (%d bytes, want %d)", rel, id, len(b), ph.Size)
				}
			}
		}
		r, err := imagesig.Sign(ctx, bytes.NewReader(b), imagesig.Options{})
		if err != nil {
			t.Errorf("sign %s: %v", rel, err)
			return nil
		}
		local[r.Signature] = rel
		return nil
	})
	if err != nil {
		t.Fatalf("walk library: %v", err)
	}
	o.LocalSigs = len(local)
	for sig, rel := range local {
		if _, ok := onFlickr[sig]; !ok {
			o.Missing++
			t.Errorf("%s (signature %s) is not on Flickr", rel, sig[:12])
		}
	}
	for id, n := range home {
		if n > 1 {
			o.Doubled++
			t.Errorf("photo %s downloaded %d times", id, n)
		}
	}
	if vo.twoWay {
		for sig, id := range onFlickr {
			if _, ok := local[sig]; !ok {
				o.MissingHome++
				t.Errorf("photo %s (signature %s) is not in the library", id, sig[:12])
			}
		}
	}
	return o
}

// downloadedID is the Flickr id in a name flickrsync gave a download
// (flickrsync_<id>_<originalsecret>_<title>.<ext>).
func downloadedID(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "flickrsync_")
	if !ok {
		return "", false
	}
	id, _, ok := strings.Cut(rest, "_")
	if _, err := strconv.ParseUint(id, 10, 64); !ok || err != nil {
		return "", false
	}
	return id, true
}

// status is `flickrsync status --json`.
type status struct {
	LocalPictures  int `json:"local_pictures"`
	Signatures     int `json:"signatures"`
	Duplicates     int `json:"duplicates"`
	DecodeFailures int `json:"decode_failures"`
	FlickrPhotos   int `json:"flickr_photos"`
	Matched        int `json:"matched"`
	ToUpload       int `json:"to_upload"`
	ToDownload     int `json:"to_download"`
	PendingUploads int `json:"pending_uploads"`
}

// checkStatus compares the catalog's figures with the account and the library.
func (w *world) checkStatus(t *testing.T, o outcome, twoWay bool) status {
	t.Helper()
	out := w.mustRun("status", "--json")
	var st status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	want := status{LocalPictures: o.LocalFiles, Signatures: o.LocalSigs, Duplicates: o.LocalFiles - o.LocalSigs,
		FlickrPhotos: o.Photos, Matched: o.LocalSigs}
	if !twoWay {
		want.ToDownload = st.ToDownload
	}
	if st != want {
		t.Errorf("status --json disagrees with the library and the account:\n got %+v\nwant %+v", st, want)
	}
	return st
}

// calls sums the emulator's call counters, with the detail sorted.
func calls(c map[string]int) (int, string) {
	n := 0
	var parts []string
	for k, v := range c {
		n += v
		parts = append(parts, fmt.Sprintf("%s=%d", k, v))
	}
	sort.Strings(parts)
	return n, strings.Join(parts, " ")
}

// goTool is the go command that runs this test (for building the real binary).
func goTool(t *testing.T) string {
	t.Helper()
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	p, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the flickrsync binary")
	}
	return p
}

// buildCLI builds cmd/flickrsync into a temp folder and returns the binary's path.
func buildCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "flickrsync")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command(goTool(t), "build", "-o", bin, "github.com/flickrsync/flickrsync/cmd/flickrsync")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return -1
	}
	return st.Size()
}

// signatureOrErr is the signature of b, or the reason it has none.
func signatureOrErr(b []byte) string {
	r, err := imagesig.Sign(context.Background(), bytes.NewReader(b), imagesig.Options{})
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return r.Signature
}
