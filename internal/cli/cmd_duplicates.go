package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/flickrsync/flickrsync/internal/catalog"
)

// The duplicates command's own options.
var duplicatesFlags struct {
	json bool
}

func init() {
	Register(&Command{Name: "duplicates",
		Summary: "list the local pictures that share a signature, and which one is uploaded",
		SetFlags: func(fs *flag.FlagSet) {
			fs.BoolVar(&duplicatesFlags.json, "json", false, "print the groups as JSON")
		},
		Run: runDuplicates})
}

// duplicateGroupJSON is one group in `duplicates --json`: paths are relative to the library.
type duplicateGroupJSON struct {
	Signature string   `json:"signature"`
	Upload    string   `json:"upload"` // the representative: the one sync uploads
	Others    []string `json:"others"`
}

// runDuplicates prints, for every signature held by two or more live pictures of the
// catalog, the picture sync would upload and the others. It only reads the catalog.
func runDuplicates(ctx context.Context, inv *Invocation) error {
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
		if duplicatesFlags.json {
			groups = append(groups, j)
			return nil
		}
		fmt.Fprintf(inv.Stdout, "%s\n  upload  %s\n", j.Signature, filepath.FromSlash(j.Upload))
		for _, o := range j.Others {
			fmt.Fprintf(inv.Stdout, "  same    %s\n", filepath.FromSlash(o))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if duplicatesFlags.json {
		return writeJSON(inv.Stdout, groups)
	}
	fmt.Fprintf(inv.Stderr, "%d pictures share %d signatures\n", pictures, n)
	return nil
}
