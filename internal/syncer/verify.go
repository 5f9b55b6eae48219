package syncer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/flickrsync/flickrsync/internal/names"
)

// Verify compares the whole account with the library as the catalog last indexed it, and
// the catalog's view of Flickr with Flickr, reading only: it lists every photo and every
// album of flickrsync's, writes nothing to the catalog nor to the library, and changes
// nothing on Flickr. With ReadData it also downloads originals (into a temporary folder,
// removed) and signs them again where Flickr keeps the bytes uploaded (JPEG, PNG, GIF),
// like restic's check --read-data-subset.

// StepVerify and StepReadData name verify's steps, for the progress.
const (
	StepVerify   Step = "verify"
	StepReadData Step = "read data"
)

// VerifyOptions are the choices of one verify.
type VerifyOptions struct {
	// ReadData is the share of the tagged originals downloaded and signed again, from 0
	// (none) to 1 (all); the sample is random.
	ReadData float64
	// Transfers is how many downloads run at once (default 4).
	Transfers int
	// Reporter receives progress; nil means none.
	Reporter Reporter
	// NoDateMatch matches as sync --nodatematch does.
	NoDateMatch bool
}

// PhotoRef names a Flickr photo: its id and title (as Flickr has it: escape it).
type PhotoRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// SignatureTwice is a signature more than one photo carries.
type SignatureTwice struct {
	Signature string     `json:"signature"`
	Photos    []PhotoRef `json:"photos"`
}

// Problem is one thing verify found wrong about a subject (an album, a photo).
type Problem struct {
	Subject string `json:"subject"`
	Problem string `json:"problem"`
}

// Verification is what verify found.
type Verification struct {
	// Pictures and Photos count the library's distinct pictures (as last indexed) and the
	// account's photos (videos included); Albums flickrsync's albums on Flickr.
	Pictures int `json:"pictures"`
	Photos   int `json:"photos"`
	Albums   int `json:"albums"`
	// NotOnFlickr are the library's pictures no photo backs up (the copy sync uploads).
	NotOnFlickr []string `json:"not_on_flickr"`
	// NotSent are the library's pictures no photo backs up that sync does not send, and
	// why (the media rules: over the account's limits, refused by Flickr until the file
	// changes, a Live Photo's motion video whose still is not on Flickr either).
	NotSent []Problem `json:"not_sent"`
	// LiveMotions are the motion videos of Live Photos whose still is on Flickr: sync
	// sends them only with --live-videos, so they are no difference.
	LiveMotions []string `json:"live_motions"`
	// Untagged are the photos without a signature tag.
	Untagged []PhotoRef `json:"untagged"`
	// Twice are the signatures more than one photo carries.
	Twice []SignatureTwice `json:"signatures_twice"`
	// AlbumProblems are flickrsync's albums that differ from the folders.
	AlbumProblems []Problem `json:"album_problems"`
	// AlbumsKept are the titles of flickrsync's albums no folder uses that sync keeps,
	// as they hold pictures this library does not have (another computer's library, a
	// folder deleted here): no difference.
	AlbumsKept []string `json:"albums_kept"`
	// CatalogProblems are the catalog's photos that disagree with Flickr.
	CatalogProblems []Problem `json:"catalog_problems"`
	// Unidentified are the untagged photos whose original could not be signed.
	Unidentified []UnidentifiedPhoto `json:"unidentified"`
	// ReadData is the originals read again (nil without --read-data).
	ReadData *ReadData `json:"read_data,omitempty"`
}

// ReadData is what reading the originals again found.
type ReadData struct {
	// Eligible counts the tagged photos whose original Flickr keeps as uploaded; Checked
	// those of the sample read and signed.
	Eligible int `json:"eligible"`
	Checked  int `json:"checked"`
	// Problems are the originals that could not be read or do not give their tag's
	// signature.
	Problems []Problem `json:"problems"`
}

// Consistent reports whether verify found nothing wrong (the unidentified photos are
// among the untagged ones; the Live Photos' motions are by choice).
func (v *Verification) Consistent() bool {
	n := len(v.NotOnFlickr) + len(v.NotSent) + len(v.Untagged) + len(v.Twice) + len(v.AlbumProblems) + len(v.CatalogProblems)
	if v.ReadData != nil {
		n += len(v.ReadData.Problems)
	}
	return n == 0
}

// Verify runs the comparison (see above). The error is for a verification that could not
// be made (Flickr or the catalog could not be read); what it finds is in the Verification.
func (e *Engine) Verify(ctx context.Context, opt VerifyOptions) (*Verification, error) {
	out := opt.Reporter
	if out == nil {
		out = nopReporter{}
	}
	if opt.Transfers <= 0 {
		opt.Transfers = 4
	}
	locals, err := e.Store.Locals(ctx)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	known, err := e.Store.Remotes(ctx)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	var remotes []Remote
	out.StepStart(StepIndexFlickr, 0)
	_, err = e.Flickr.ListPhotos(ctx, 0, func(page []Remote) error {
		remotes = append(remotes, page...)
		out.StepAdd(StepIndexFlickr, len(page))
		return nil
	})
	out.StepEnd(StepIndexFlickr)
	if err != nil {
		return nil, fmt.Errorf("list flickr: %w", err)
	}
	remotes = dedupeRemotes(remotes)
	v := &Verification{NotOnFlickr: []string{}, NotSent: []Problem{}, LiveMotions: []string{}, Untagged: []PhotoRef{},
		Twice: []SignatureTwice{}, AlbumProblems: []Problem{}, AlbumsKept: []string{}, CatalogProblems: []Problem{}}
	m := Match(locals, remotes, MatchOptions{NoDateMatch: opt.NoDateMatch})
	v.Photos = len(m.Remotes)
	refused, err := refusalsOf(ctx, e.Store)
	if err != nil {
		return nil, err
	}
	media, stills := MediaKnown{Refused: refused}, livePairs(m.Locals)
	var missing []DuplicateGroup
	for _, g := range Duplicates(m.Locals) {
		v.Pictures++
		if !slices.ContainsFunc(append([]*Local{g.Keep}, g.Copies...), func(l *Local) bool { return m.Best(l) != nil }) {
			missing = append(missing, g)
		}
	}
	if mf, ok := e.Flickr.(MediaFlickr); ok && len(missing) > 0 {
		// A file over the account's limits is one sync does not send; limits Flickr
		// cannot tell now are unknown, as for sync.
		lim, err := mf.Limits(ctx)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err == nil {
			media.Limits = lim
		}
	}
	for _, g := range missing {
		still := stills[g.Keep.Path]
		switch why := media.hold(g.Keep, still); {
		case media.onlyLive(g.Keep, still) && m.Best(still) != nil:
			v.LiveMotions = append(v.LiveMotions, g.Keep.Path)
		case why != "":
			v.NotSent = append(v.NotSent, Problem{g.Keep.Path, why})
		default:
			v.NotOnFlickr = append(v.NotOnFlickr, g.Keep.Path)
		}
	}
	bySig := map[string][]PhotoRef{}
	for _, r := range m.Remotes {
		if sig := r.Signature(); sig == "" {
			v.Untagged = append(v.Untagged, PhotoRef{r.ID, r.Title})
		} else {
			bySig[sig] = append(bySig[sig], PhotoRef{r.ID, r.Title})
		}
	}
	for sig, ps := range bySig {
		if len(ps) > 1 {
			v.Twice = append(v.Twice, SignatureTwice{Signature: sig, Photos: ps})
		}
	}
	sort.Slice(v.Twice, func(i, j int) bool { return v.Twice[i].Signature < v.Twice[j].Signature })
	v.CatalogProblems = catalogProblems(known, remotes)
	if v.AlbumProblems, v.AlbumsKept, v.Albums, err = e.albumProblems(ctx, m); err != nil {
		return nil, err
	}
	if v.Unidentified, err = UnidentifiedPhotos(ctx, e.Store); err != nil {
		return nil, err
	}
	if opt.ReadData > 0 {
		if v.ReadData, err = e.readData(ctx, m, opt, out); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func dedupeRemotes(rs []Remote) []Remote {
	seen := map[string]bool{}
	out := rs[:0]
	for _, r := range rs {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	return out
}

// catalogProblems compares the catalog's photos with the account's.
func catalogProblems(known, remotes []Remote) []Problem {
	onFlickr := map[string]Remote{}
	for _, r := range remotes {
		onFlickr[r.ID] = r
	}
	inCatalog := map[string]bool{}
	out := []Problem{}
	for _, k := range known {
		inCatalog[k.ID] = true
		r, ok := onFlickr[k.ID]
		switch {
		case !ok:
			out = append(out, Problem{"photo " + k.ID, "in the catalog, no longer on Flickr (the next sync notices it)"})
		case r.Signature() != k.Signature():
			out = append(out, Problem{"photo " + k.ID, fmt.Sprintf("signature tag %q on Flickr, %q in the catalog", r.Signature(), k.Signature())})
		case r.OriginalSecret != k.OriginalSecret:
			out = append(out, Problem{"photo " + k.ID, "its original was replaced on Flickr since the catalog listed it"})
		}
	}
	for _, r := range remotes {
		if !inCatalog[r.ID] {
			out = append(out, Problem{"photo " + r.ID, "on Flickr, not in the catalog (the next sync lists it)"})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return lessID(strings.TrimPrefix(out[i].Subject, "photo "), strings.TrimPrefix(out[j].Subject, "photo "))
	})
	return out
}

// albumProblems compares flickrsync's albums, photo by photo and in order, with the
// albums the folders want.
func (e *Engine) albumProblems(ctx context.Context, m *Matching) ([]Problem, []string, int, error) {
	sets, err := e.Flickr.Photosets(ctx)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("list photosets: %w", err)
	}
	ours := map[string][]Photoset{}
	n := 0
	for _, s := range sets {
		if s.Ours() {
			ours[s.Title] = append(ours[s.Title], s)
			n++
		}
	}
	ex, err := e.Store.ExcludedSignatures(ctx)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("read catalog: %w", err)
	}
	excluded, sigOf := map[string]bool{}, map[string]string{}
	for _, sig := range ex {
		excluded[sig] = true
	}
	for _, r := range m.Remotes {
		sigOf[r.ID] = r.Signature()
	}
	superseded, err := supersededPhotos(ctx, e.Store)
	if err != nil {
		return nil, nil, 0, err
	}
	others := othersOf{excluded, superseded}
	out := []Problem{}
	wanted := map[string]bool{}
	for _, w := range WantedSets(m) {
		wanted[w.Title] = true
		cands := ours[w.Title]
		switch len(cands) {
		case 0:
			out = append(out, Problem{w.Title, fmt.Sprintf("no album of flickrsync's (its folder has %s on Flickr)", countPhotos(len(w.Photos)))})
			continue
		case 1:
		default:
			out = append(out, Problem{w.Title, fmt.Sprintf("%d albums of flickrsync's of this title", len(cands))})
		}
		sort.Slice(cands, func(i, j int) bool { return lessID(cands[j].ID, cands[i].ID) })
		photos, err := e.Flickr.PhotosetPhotos(ctx, cands[0].ID)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("list photoset %s: %w", cands[0].ID, err)
		}
		// As sync: another library's photos stay in the album, after the folder's.
		want := append(slices.Clip(w.Photos), others.in(m, photos, w.Photos)...)
		if p := compareAlbum(photos, cands[0].Primary, want); p != "" {
			out = append(out, Problem{w.Title, p})
		}
	}
	kept := []string{}
	for title, cands := range ours {
		if wanted[title] {
			continue
		}
		// As sync: kept while it holds a picture this library does not have.
		photos, err := e.Flickr.PhotosetPhotos(ctx, cands[0].ID)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("list photoset %s: %w", cands[0].ID, err)
		}
		if holdsUnseen(photos, m, sigOf, excluded) {
			kept = append(kept, title)
			continue
		}
		out = append(out, Problem{title, fmt.Sprintf("no folder uses it (%s)", countPhotos(cands[0].Count))})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Subject < out[j].Subject })
	slices.Sort(kept)
	return out, kept, n, nil
}

func countPhotos(n int) string {
	if n == 1 {
		return "1 photo"
	}
	return fmt.Sprintf("%d photos", n)
}

// compareAlbum says how an album's photos (and primary) differ from the wanted ones, ""
// when they do not.
func compareAlbum(have []string, primary string, want []string) string {
	if slices.Equal(have, want) && primary == want[0] {
		return ""
	}
	in := map[string]bool{}
	for _, id := range have {
		in[id] = true
	}
	var missing, extra int
	wanted := map[string]bool{}
	for _, id := range want {
		wanted[id] = true
		if !in[id] {
			missing++
		}
	}
	for _, id := range have {
		if !wanted[id] {
			extra++
		}
	}
	var parts []string
	if missing > 0 {
		parts = append(parts, countPhotos(missing)+" of the folder missing")
	}
	if extra > 0 {
		parts = append(parts, countPhotos(extra)+" not of the folder")
	}
	if len(parts) == 0 && !slices.Equal(have, want) {
		parts = append(parts, "the photos in another order")
	}
	if primary != want[0] {
		parts = append(parts, "another primary photo")
	}
	return strings.Join(parts, ", ")
}

// keptAsUploaded reports whether Flickr keeps an original's bytes as uploaded, so that
// its signature can be computed again (it converts TIFF to JPEG, for one).
func keptAsUploaded(format string) bool {
	switch strings.ToLower(format) {
	case "jpg", "jpeg", "png", "gif":
		return true
	}
	return false
}

// checkable reports whether photo r's original can be signed again to its tag's
// signature: a photo (a video's url_o is its poster frame, its originalformat the
// frame's) that Flickr keeps as uploaded, uploaded from such a file: a TIFF is kept as a
// JPEG, with originalformat jpg, and the library's files of its signature tell it (a
// format unknown to the catalog counts as one kept).
func checkable(r *Remote, formats map[string][]string) bool {
	if r.Signature() == "" || r.URLOriginal == "" || r.IsVideo() || !keptAsUploaded(r.OriginalFormat) {
		return false
	}
	fs, ok := formats[r.Signature()]
	return !ok || slices.ContainsFunc(fs, func(f string) bool { return f == "" || keptAsUploaded(f) })
}

// readData downloads a random share of the tagged originals Flickr keeps as uploaded
// into a temporary folder and checks that each gives its tag's signature.
func (e *Engine) readData(ctx context.Context, m *Matching, opt VerifyOptions, out Reporter) (*ReadData, error) {
	formats := map[string][]string{} // the formats of the library's files, by signature
	for _, l := range m.Locals {
		if l.Signature != "" {
			formats[l.Signature] = append(formats[l.Signature], l.Format)
		}
	}
	var eligible []*Remote
	for _, r := range m.Remotes {
		if checkable(r, formats) {
			eligible = append(eligible, r)
		}
	}
	rd := &ReadData{Eligible: len(eligible), Problems: []Problem{}}
	sample := eligible
	if opt.ReadData < 1 {
		n := int(float64(len(eligible))*opt.ReadData + 0.999999)
		sample = randomSample(eligible, n)
	}
	if len(sample) == 0 {
		return rd, nil
	}
	if e.Signer == nil {
		return nil, fmt.Errorf("read data: no signer")
	}
	dir, err := os.MkdirTemp("", names.App+"-verify-")
	if err != nil {
		return nil, fmt.Errorf("read data: %w", err)
	}
	defer os.RemoveAll(dir)
	var mu sync.Mutex
	out.StepStart(StepReadData, len(sample))
	err = parallel(ctx, opt.Transfers, sample, func(ctx context.Context, r *Remote) {
		defer out.StepAdd(StepReadData, 1)
		problem := ""
		file := filepath.Join(dir, r.ID)
		if err := e.Flickr.Download(ctx, r.URLOriginal, file, nil); err != nil {
			problem = "could not be downloaded: " + err.Error()
		} else if sig, err := e.Signer.Sign(ctx, file); err != nil {
			problem = "cannot be signed: " + err.Error()
		} else if sig != r.Signature() {
			problem = fmt.Sprintf("its original gives the signature %s, its tag says %s", sig, r.Signature())
		}
		os.Remove(file)
		mu.Lock()
		defer mu.Unlock()
		rd.Checked++
		if problem != "" {
			rd.Problems = append(rd.Problems, Problem{"photo " + r.ID, problem})
		}
	}, func(*Remote) {})
	out.StepEnd(StepReadData)
	if err != nil {
		return nil, err
	}
	sort.Slice(rd.Problems, func(i, j int) bool { return rd.Problems[i].Subject < rd.Problems[j].Subject })
	return rd, nil
}

// randomSample picks n of list at random (a partial Fisher-Yates shuffle of a copy).
func randomSample[T any](list []T, n int) []T {
	c := slices.Clone(list)
	n = min(n, len(c))
	for i := 0; i < n; i++ {
		k := i + rand.N(len(c)-i)
		c[i], c[k] = c[k], c[i]
	}
	return c[:n]
}
