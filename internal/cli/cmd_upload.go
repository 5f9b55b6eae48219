package cli

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/flickr"
	"github.com/flickrsync/flickrsync/internal/privacy"
	"github.com/flickrsync/flickrsync/internal/scan"
	"github.com/flickrsync/flickrsync/internal/syncer/wire"
)

// uploadOptions are the options of one run of upload.
type uploadOptions struct {
	set        string
	transfers  string
	bwlimit    string
	liveVideos bool
	sel        selection
}

func init() {
	register(func() *Command {
		o := &uploadOptions{}
		return &Command{Name: "upload", Args: "FILE|DIR...",
			Summary: "upload the pictures given (files, and folders with what they hold) that Flickr lacks; no library needed",
			Flags: func(fs *flag.FlagSet) {
				fs.StringVar(&o.set, "set", "", "also put their photos (sent or on Flickr already) in the photoset `NAME`, created if there is none")
				fs.StringVar(&o.transfers, "transfers", "", "run `N` uploads at once, 1 to 64 (default: the profile's transfers, else 4)")
				fs.StringVar(&o.bwlimit, "bwlimit", "0", "cap the uploads together at `RATE` bytes/s like rclone's: 512k, 10M; 0: no limit")
				fs.BoolVar(&o.liveVideos, "live-videos", false, "also upload the motion videos of Live Photos given (tagged flickrsync:livephoto=<the still's signature>)")
				o.sel.declare(fs)
			},
			Run: func(ctx context.Context, inv *Invocation) error { return runUpload(ctx, inv, o) }}
	})
}

// runUpload uploads the files and folders given, as a sync uploads the library's new
// pictures: the same signature tag, the same dedupe against the account (the profile's
// catalog keeps its listing and the upload journal), without the library.
func runUpload(ctx context.Context, inv *Invocation, o *uploadOptions) error {
	if len(inv.Args) == 0 {
		return Usagef("upload needs at least one FILE or DIR; see 'flickrsync help upload'")
	}
	bw, err := flickr.ParseRate(o.bwlimit)
	if err != nil {
		return Usagef("--bwlimit: %v", err)
	}
	files, err := scan.NewArgsFS(inv.Args)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return Usagef("upload: %s: %v", pe.Path, pe.Err)
		}
		return Usagef("upload: %v", err)
	}
	// The files are read into a catalog of their own, thrown away after the run.
	tmp, err := os.MkdirTemp("", "flickrsync-upload-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	filesCat, err := catalog.Open(ctx, filepath.Join(tmp, "files.db"))
	if err != nil {
		return err
	}
	defer filesCat.Close()
	er, err := inv.openEngineWith(ctx, overrides{transfers: o.transfers, sel: &o.sel},
		wire.Config{BandwidthLimit: bw, Files: files, FilesCatalog: filesCat})
	if err != nil {
		return err
	}
	// The folder rules of the privacy key are the library's: the files get the default.
	er.opt.Privacy = &privacy.Rules{Default: er.opt.Privacy.Default}
	er.opt.Replace = false
	er.opt.LiveVideos = o.liveVideos
	er.files, er.rep.nameSkipped = true, true
	rep, err := er.eng.Upload(ctx, o.set, er.opt)
	return er.finish(ctx, rep, err, false)
}
