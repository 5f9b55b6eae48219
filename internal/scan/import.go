package scan

import (
	"context"
	"fmt"
	"io"
	"path"
	"sort"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/exifdate"
	"github.com/flickrsync/flickrsync/internal/imagesig"
)

// ImportSample is how many of the Python tool's signatures are checked against this
// scanner's own decoder before any is trusted.
const ImportSample = 5

// Import is what the first index took from the Python flickrsync's database.
type Import struct {
	Database string `json:"database"`
	Rows     int    `json:"rows"`     // its signed pictures under the library root
	Checked  int    `json:"checked"`  // of them, decoded here to check its signatures
	Imported int    `json:"imported"` // pictures whose signature came from it, not decoded
	// Refused says why nothing was imported ("" when its signatures were used).
	Refused string `json:"refused,omitempty"`
}

// hint is a signature the Python tool computed for the file at a path, trusted for the
// file's bytes if it was not modified since (mtime before IndexedAt).
type hint struct {
	catalog.LegacyPicture
	checked *Signed // decoded here for the sample: the content itself
}

// usable reports whether a file with this mtime can have the hint's pixels.
func (h *hint) usable(mtimeNS int64) bool { return mtimeNS < h.IndexedAt*1e9 }

// legacyPictures are the Python tool's signed pictures under cfg.Root when its database
// stands for the library: the catalog was opened in its place (Catalog.Legacy) and has
// never completed an index (legacy is false otherwise).
func legacyPictures(ctx context.Context, cfg Config) (rows []catalog.LegacyPicture, legacy bool, err error) {
	if cfg.Catalog.Legacy() == "" || cfg.Root == "" {
		return nil, false, nil
	}
	last, err := cfg.Catalog.Meta(ctx, catalog.MetaLastIndex)
	if err != nil || last != "" {
		return nil, false, err
	}
	rows, err = cfg.Catalog.LegacyPictures(ctx, cfg.Root)
	return rows, err == nil, err
}

// loadHints prepares the import of the Python tool's signatures: only when the catalog
// was opened in place of its database (Catalog.Legacy) and has never completed an index.
// A sample of the files still at their path, not modified since, is decoded here; one
// signature that differs from ours (or a sample that cannot be checked at all) imports
// nothing.
func (s *scanner) loadHints(ctx context.Context) (*Import, error) {
	rows, legacy, err := legacyPictures(ctx, s.cfg)
	if err != nil || !legacy {
		return nil, err
	}
	imp := &Import{Database: s.cfg.Catalog.Legacy(), Rows: len(rows)}
	if len(rows) == 0 {
		return imp, nil
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Path < rows[j].Path })
	hints := make(map[string]*hint, len(rows))
	for _, r := range rows {
		hints[r.Path] = &hint{LegacyPicture: r}
	}
	// The sample: rows spread over the library, as many as can be checked.
	step := max(1, len(rows)/ImportSample)
	for start := 0; start < step && imp.Checked < ImportSample; start++ {
		for i := start; i < len(rows) && imp.Checked < ImportSample; i += step {
			h := hints[rows[i].Path]
			if h.checked != nil {
				continue
			}
			signed, refused, ok, err := s.check(ctx, h)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			imp.Checked++
			if refused != nil {
				imp.Refused = fmt.Sprintf("%s: it has a signature, our decoder refuses the file (%v): nothing imported",
					h.Path, refused)
				return imp, nil
			}
			if signed.Signature != h.Signature {
				imp.Refused = fmt.Sprintf("%s: its signature %.12s... differs from ours %.12s...: nothing imported",
					h.Path, h.Signature, signed.Signature)
				return imp, nil
			}
			h.checked = &signed
		}
	}
	if imp.Checked == 0 {
		imp.Refused = "no file of its signed pictures is unchanged at its path: nothing imported"
		return imp, nil
	}
	s.hints = hints
	return imp, nil
}

// check decodes the file of a hint when it is still there, unmodified since the Python
// tool read it: refused is our decoder's error; ok is false when it cannot tell (gone,
// changed, unreadable).
func (s *scanner) check(ctx context.Context, h *hint) (signed Signed, refused error, ok bool, err error) {
	st, err := s.cfg.FS.Stat(h.Path)
	if err != nil || !st.Mode().IsRegular() || !h.usable(st.ModTime().UnixNano()) {
		return Signed{}, nil, false, nil
	}
	f, err := s.cfg.FS.Open(h.Path)
	if err != nil {
		return Signed{}, nil, false, nil
	}
	defer f.Close()
	signed, err = s.cfg.Signer(ctx, f, st.Size(), path.Base(h.Path))
	if ctx.Err() != nil {
		return Signed{}, nil, false, ctx.Err()
	}
	s.bytes.Add(st.Size())
	return signed, err, true, nil
}

// imported is the content of a file from its hint, without decoding its pixels: the
// format from its first bytes and the date from its metadata, as the decoder would
// report them; the size in pixels stays unknown (0). A file of the sample has the
// content decoded then (origin fromDecode). ok is false without a usable hint.
func (s *scanner) imported(ctx context.Context, rel string, mtimeNS int64, r io.ReaderAt, size int64) (c content, o origin, ok bool, err error) {
	h := s.hints[rel]
	if h == nil || !h.usable(mtimeNS) {
		return content{}, 0, false, nil
	}
	if d := h.checked; d != nil {
		return content{signature: d.Signature, kind: d.Kind, format: d.Format, media: d.Media, dateTaken: d.DateTaken,
			liveID: d.LiveID, width: d.Width, height: d.Height, duration: d.Duration}, fromDecode, true, nil
	}
	head := make([]byte, imagesig.SniffLen)
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return content{}, 0, false, err
	}
	taken, err := exifdate.DateTaken(ctx, r, size)
	if err != nil {
		return content{}, 0, false, err
	}
	live, err := exifdate.ContentIdentifier(ctx, r, size)
	if err != nil {
		return content{}, 0, false, err
	}
	// The Python tool signed JPEG, PNG and GIF pictures only: their pixels.
	format := imagesig.Sniff(head[:n], path.Base(rel))
	return content{signature: h.Signature, kind: string(imagesig.KindPixels), format: string(format),
		media: string(imagesig.MediaOf(format)), dateTaken: taken.Date, liveID: live}, fromImport, true, nil
}
