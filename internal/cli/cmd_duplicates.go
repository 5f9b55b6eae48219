package cli

import (
	"context"
	"flag"
	"path/filepath"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/ui"
	"github.com/flickrsync/flickrsync/internal/words"
)

func init() {
	register(func() *Command {
		var asJSON bool
		return &Command{Name: "duplicates",
			Summary: "list the local pictures that share a signature, and which one is uploaded",
			Flags: func(fs *flag.FlagSet) {
				fs.BoolVar(&asJSON, "json", false, "print the groups as JSON")
			},
			Run: func(ctx context.Context, inv *Invocation) error { return runDuplicates(ctx, inv, asJSON) }}
	})
}

// duplicateGroupJSON is one group in `duplicates --json`: paths are relative to the library.
type duplicateGroupJSON struct {
	Signature string   `json:"signature"`
	Upload    string   `json:"upload"` // the representative: the one sync uploads
	Others    []string `json:"others"`
}

// runDuplicates prints, for every signature held by two or more live pictures of the
// catalog, the picture sync would upload and the others. It only reads the catalog.
func runDuplicates(ctx context.Context, inv *Invocation, asJSON bool) error {
	s, err := inv.Settings()
	if err != nil {
		return err
	}
	cat, err := openCatalogReadOnly(ctx, s.Database)
	if err != nil {
		return err
	}
	defer cat.Close()
	groups := []duplicateGroupJSON{}
	pictures, n := 0, 0
	err = cat.Duplicates(ctx, func(g catalog.DuplicateGroup) error {
		j := duplicateGroupJSON{Signature: g.Signature, Upload: g.Pictures[0].Path(), Others: []string{}}
		for _, p := range g.Pictures[1:] {
			j.Others = append(j.Others, p.Path())
		}
		pictures += len(g.Pictures)
		n++
		if asJSON {
			groups = append(groups, j)
			return nil
		}
		text := ui.Sprintf("%s\n  upload  %s\n", j.Signature, filepath.FromSlash(j.Upload))
		for _, o := range j.Others {
			text += ui.Sprintf("  same    %s\n", filepath.FromSlash(o))
		}
		return ui.Write(inv.Stdout, text)
	})
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(inv.Stdout, groups)
	}
	inv.Out.Infof("%s share %s", words.Count(pictures, "picture"), words.Count(n, "signature"))
	return nil
}
