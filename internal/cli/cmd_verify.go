package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/syncer"
	"github.com/flickrsync/flickrsync/internal/syncer/wire"
	"github.com/flickrsync/flickrsync/internal/ui"
	"github.com/flickrsync/flickrsync/internal/words"
)

// verifyOptions are the options of one run of verify.
type verifyOptions struct {
	json        bool
	noDateMatch bool
	readData    readDataFlag
}

// readDataFlag is --read-data (every original) or --read-data=N% (a random N percent).
type readDataFlag struct{ share float64 }

func (f *readDataFlag) String() string {
	if f == nil || f.share == 0 {
		return ""
	}
	return strconv.FormatFloat(f.share*100, 'f', -1, 64) + "%"
}

// IsBoolFlag lets --read-data stand alone (every original).
func (f *readDataFlag) IsBoolFlag() bool { return true }

func (f *readDataFlag) Set(v string) error {
	switch v {
	case "true":
		f.share = 1
		return nil
	case "false":
		f.share = 0
		return nil
	}
	p, ok := strings.CutSuffix(v, "%")
	n, err := strconv.ParseFloat(p, 64)
	if !ok || err != nil || n <= 0 || n > 100 {
		return fmt.Errorf("want a percentage above 0 and at most 100, such as 10%%, got %q", v)
	}
	f.share = n / 100
	return nil
}

func init() {
	register(func() *Command {
		o := &verifyOptions{}
		return &Command{Name: "verify",
			Summary: "compare the whole Flickr account with the library, reading only; exit 1 when they differ",
			Flags: func(fs *flag.FlagSet) {
				fs.BoolVar(&o.json, "json", false, "print what was found as JSON")
				fs.BoolVar(&o.noDateMatch, "nodatematch", false, "match as sync --nodatematch does")
				fs.Var(&o.readData, "read-data", "also download every original (or, as --read-data=N%, a random N percent of them) and check its signature where Flickr keeps the bytes uploaded (JPEG, PNG, GIF)")
			},
			Run: func(ctx context.Context, inv *Invocation) error { return runVerify(ctx, inv, o) }}
	})
}

// errInconsistent is verify's result when it found something wrong (exit status 1).
var errInconsistent = errors.New("the library and the Flickr account differ (see above)")

// verifyJSON is `verify --json`.
type verifyJSON struct {
	Library    string `json:"library"`
	Database   string `json:"database"`
	Indexed    int64  `json:"indexed,omitempty"` // unix seconds of the catalog's last index
	Consistent bool   `json:"consistent"`
	*syncer.Verification
}

// runVerify compares the account with the library as the catalog last indexed it. It
// opens the catalog read-only (it runs beside a sync, on read-only media, on a
// snapshot) and changes nothing on Flickr.
func runVerify(ctx context.Context, inv *Invocation, o *verifyOptions) error {
	s, err := inv.FlickrSettings()
	if err != nil {
		return err
	}
	cat, err := openCatalogReadOnly(ctx, s.Database)
	if err != nil {
		return err
	}
	defer cat.Close()
	cfg := wire.Config{Settings: s, Catalog: cat, Budget: inv.budget(s)}
	if inv.Out.Logs(ui.LevelDebug) {
		cfg.Debug = inv.Out.Writer(ui.LevelDebug)
	}
	eng, err := wire.Open(ctx, cfg)
	if err != nil {
		var ce *wire.ConfigError
		if errors.As(err, &ce) {
			return Usagef("%v", err)
		}
		return err
	}
	rep := newReporter(inv)
	rep.stopping = func() bool { return ctx.Err() != nil }
	v, err := eng.Verify(ctx, syncer.VerifyOptions{ReadData: o.readData.share, Transfers: s.Transfers, Reporter: rep, NoDateMatch: o.noDateMatch})
	rep.end(err)
	if err != nil {
		return err
	}
	n, err := cat.Counts(ctx)
	if err != nil {
		return err
	}
	library, err := cat.Meta(ctx, catalog.MetaLibraryRoot)
	if err != nil {
		return err
	}
	if o.json {
		if err := writeJSON(inv.Stdout, verifyJSON{Library: library, Database: cat.Path(), Indexed: n.LastIndex,
			Consistent: v.Consistent(), Verification: v}); err != nil {
			return err
		}
	} else if err := ui.Write(inv.Stdout, verifyText(v, library, n.LastIndex)); err != nil {
		return err
	}
	if !v.Consistent() {
		return errInconsistent
	}
	inv.Out.Infof("the library and the Flickr account agree")
	return nil
}

// verifyText renders a verification: the figures, then each finding by name (escaped:
// names and titles may hold anything).
func verifyText(v *syncer.Verification, library string, indexed int64) string {
	var b strings.Builder
	line := func(format string, args ...any) { b.WriteString(ui.Sprintf(format, args...) + "\n") }
	when := "never indexed"
	if indexed > 0 {
		when = "as indexed " + time.Unix(indexed, 0).Format("2006-01-02 15:04:05")
	}
	line("library                     %s (%s)", library, when)
	line("pictures in the library     %d", v.Pictures)
	line("photos on Flickr            %d", v.Photos)
	line("flickrsync's albums         %d", v.Albums)
	line("not on Flickr               %s", words.Count(len(v.NotOnFlickr), "picture"))
	if len(v.NotSent) > 0 {
		line("not sent by sync            %s (why below)", words.Count(len(v.NotSent), "picture"))
	}
	if len(v.LiveMotions) > 0 {
		line("Live Photo motions          %d not on Flickr, their stills are (no difference: sync --live-videos sends them)", len(v.LiveMotions))
	}
	line("without a signature tag     %s", words.Count(len(v.Untagged), "photo"))
	line("signatures on Flickr twice  %d", len(v.Twice))
	line("albums that differ          %d", len(v.AlbumProblems))
	if len(v.AlbumsKept) > 0 {
		line("albums no folder uses       %d, kept by sync: they hold pictures this library does not have (no difference)", len(v.AlbumsKept))
	}
	line("catalog disagreeing         %s", words.Count(len(v.CatalogProblems), "photo"))
	if len(v.Unidentified) > 0 {
		line("could not be identified     %s (among those without a tag)", words.Count(len(v.Unidentified), "photo"))
	}
	if rd := v.ReadData; rd != nil {
		line("originals read again        %d of %d: %s", rd.Checked, rd.Eligible, words.Count(len(rd.Problems), "problem"))
	}
	section := func(title string, n int, item func(i int)) {
		if n == 0 {
			return
		}
		line("%s:", title)
		for i := 0; i < n; i++ {
			item(i)
		}
	}
	section("Not on Flickr (sync uploads them)", len(v.NotOnFlickr), func(i int) { line("  %s", v.NotOnFlickr[i]) })
	section("Not on Flickr, not sent by sync", len(v.NotSent), func(i int) { line("  %s: %s", v.NotSent[i].Subject, v.NotSent[i].Problem) })
	section("Live Photo motion videos not on Flickr (their stills are; sync --live-videos sends them)", len(v.LiveMotions), func(i int) {
		line("  %s", v.LiveMotions[i])
	})
	section("Without a signature tag (sync identifies and tags them)", len(v.Untagged), func(i int) {
		line("  photo %s %q", v.Untagged[i].ID, v.Untagged[i].Title)
	})
	section("Signatures on Flickr twice (the same picture uploaded twice)", len(v.Twice), func(i int) {
		var ids []string
		for _, p := range v.Twice[i].Photos {
			ids = append(ids, p.ID)
		}
		line("  %s: photos %s", v.Twice[i].Signature, strings.Join(ids, ", "))
	})
	section("Albums that differ from the folders (sync repairs them)", len(v.AlbumProblems), func(i int) {
		line("  %q: %s", v.AlbumProblems[i].Subject, v.AlbumProblems[i].Problem)
	})
	section("Albums no folder uses, kept by sync (another computer's library, a disk not mounted, a folder deleted here?)", len(v.AlbumsKept), func(i int) {
		line("  %q", v.AlbumsKept[i])
	})
	section("Catalog entries that disagree with Flickr", len(v.CatalogProblems), func(i int) {
		line("  %s: %s", v.CatalogProblems[i].Subject, v.CatalogProblems[i].Problem)
	})
	section("Could not be identified", len(v.Unidentified), func(i int) {
		u := v.Unidentified[i]
		line("  photo %s %q: %s", u.ID, u.Title, unidentifiedWhy(u))
	})
	if rd := v.ReadData; rd != nil {
		section("Originals that fail their check", len(rd.Problems), func(i int) {
			line("  %s: %s", rd.Problems[i].Subject, rd.Problems[i].Problem)
		})
	}
	return b.String()
}
