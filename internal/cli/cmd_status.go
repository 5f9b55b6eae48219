package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/syncer"
	"github.com/flickrsync/flickrsync/internal/syncer/wire"
)

// The status command's own options.
var statusFlags struct {
	json bool
}

func init() {
	Register(&Command{Name: "status",
		Summary: "show what the catalog knows: pictures, duplicates, Flickr photos, what is left to sync",
		SetFlags: func(fs *flag.FlagSet) {
			fs.BoolVar(&statusFlags.json, "json", false, "print the figures as JSON")
		},
		Run: runStatus})
}

// statusJSON is `status --json`.
type statusJSON struct {
	Database string `json:"database"`
	Library  string `json:"library"`
	catalog.Counts
	syncer.Outlook
}

// runStatus prints the catalog's figures. It only reads the catalog (no Flickr access):
// run index, and sync for the Flickr side, to refresh them.
func runStatus(ctx context.Context, inv *Invocation) error {
	s, err := inv.Settings()
	if err != nil {
		return err
	}
	cat, err := openCatalogReadOnly(ctx, s.Database)
	if err != nil {
		return err
	}
	defer cat.Close()
	n, err := cat.Counts(ctx)
	if err != nil {
		return err
	}
	// What is left to sync is what the sync's own matching leaves.
	store := &wire.Store{C: cat}
	locals, err := store.Locals(ctx)
	if err != nil {
		return err
	}
	remotes, err := store.Remotes(ctx)
	if err != nil {
		return err
	}
	o := syncer.OutlookOf(locals, remotes)
	library, err := cat.Meta(ctx, catalog.MetaLibraryRoot)
	if err != nil {
		return err
	}
	if statusFlags.json {
		return writeJSON(inv.Stdout, statusJSON{Database: cat.Path(), Library: library, Counts: n, Outlook: o})
	}
	w := inv.Stdout
	indexed := "never"
	if n.LastIndex > 0 {
		indexed = time.Unix(n.LastIndex, 0).Format("2006-01-02 15:04:05")
	}
	fmt.Fprintf(w, "catalog            %s\n", cat.Path())
	fmt.Fprintf(w, "library            %s (indexed %s)\n", library, indexed)
	fmt.Fprintf(w, "local pictures     %d\n", n.LocalPictures)
	fmt.Fprintf(w, "  signatures       %d\n", n.Signatures)
	fmt.Fprintf(w, "  duplicates       %d (in %d groups)\n", n.Duplicates, n.DuplicateGroups)
	fmt.Fprintf(w, "  decode failures  %d\n", n.DecodeFailures)
	fmt.Fprintf(w, "  deleted          %d\n", n.Deleted)
	fmt.Fprintf(w, "flickr photos      %d\n", n.FlickrPhotos)
	fmt.Fprintf(w, "matched            %d\n", o.Matched)
	fmt.Fprintf(w, "to upload          %d\n", o.ToUpload)
	if o.ToTag > 0 {
		fmt.Fprintf(w, "to tag             %d (matched by name and date, or by download name)\n", o.ToTag)
	}
	fmt.Fprintf(w, "to download        %d (by sync2)\n", o.ToDownload)
	if n.PendingUploads > 0 {
		fmt.Fprintf(w, "unsettled uploads  %d (checked on Flickr by the next sync)\n", n.PendingUploads)
	}
	return nil
}
