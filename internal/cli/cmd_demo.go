package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/imagesig"
	"github.com/flickrsync/flickrsync/internal/names"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
	"github.com/flickrsync/flickrsync/internal/ui"
	"github.com/flickrsync/flickrsync/internal/words"
)

func init() {
	register(func() *Command {
		var keep bool
		return &Command{Name: "demo",
			Summary: "try flickrsync with no account: a sample library synced with an emulated Flickr, then verified",
			Flags: func(fs *flag.FlagSet) {
				fs.BoolVar(&keep, "keep", false, "keep the demo's temporary folder and print its path")
			},
			Run: func(ctx context.Context, inv *Invocation) error { return runDemo(ctx, inv, keep) }}
	})
}

// demoLibrary is the sample library: folders, a duplicate copy, and one picture that is
// also on Flickr without a signature tag (matched by name and date taken).
var demoLibrary = []struct {
	path string
	pic  sample.Picture
}{
	{"2019/Rome/colosseum.jpg", sample.Picture{Seed: 1, DateTaken: "2019:05:01 10:00:00"}},
	{"2019/Rome/trevi.jpg", sample.Picture{Seed: 2, DateTaken: "2019:05:02 11:30:00"}},
	{"2019/Paris/eiffel.jpg", sample.Picture{Seed: 3, DateTaken: "2019:06:10 09:15:00"}},
	{"2019/Paris/copy of trevi.jpg", sample.Picture{Seed: 2, DateTaken: "2019:05:02 11:30:00"}},
	{"family/garden.png", sample.Picture{Seed: 4, PNG: true}},
	{"family/IMG_0042.jpg", sample.Picture{Seed: 5, DateTaken: "2018:12:24 18:00:00"}},
	{"sunset.jpg", sample.Picture{Seed: 6}},
}

func runDemo(ctx context.Context, inv *Invocation, keep bool) error {
	dir, err := os.MkdirTemp("", "flickrsync-demo-")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !keep {
		defer os.RemoveAll(dir)
	}
	w := inv.Out.Writer(ui.LevelInfo)
	lib := filepath.Join(dir, "Pictures")
	for _, f := range demoLibrary {
		b, err := f.pic.Bytes()
		if err != nil {
			return fmt.Errorf("demo: %s: %w", f.path, err)
		}
		if err := writeDemoFile(filepath.Join(lib, filepath.FromSlash(f.path)), b); err != nil {
			return err
		}
	}

	srv := emulator.New(emulator.Config{Username: "demo", AutoApprove: true, Seed: 1})
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("demo: start the emulator: %w", err)
	}
	defer srv.Close()
	if err := seedDemoFlickr(ctx, srv); err != nil {
		return err
	}

	cfg := filepath.Join(dir, "config.ini")
	ini := fmt.Sprintf("[DEFAULT]\napi_key = 0123456789abcdef0123456789abcdef\napi_secret = fedcba9876543210\n"+
		"username = demo\ndirectory = %s\ndatabase = %s\nflickr_url = %s\npacing = off\n", lib, filepath.Join(dir, "flickrsync.db"), base)
	if err := os.WriteFile(cfg, []byte(ini), 0o600); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	s, err := config.Load(config.Options{ConfigPath: cfg, Getenv: func(string) string { return "" }})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	tok, sec := srv.IssueToken("write")
	if err := config.SaveToken(s.TokenPath(), &config.Token{Token: tok, Secret: sec, UserNSID: "12345678@N00", Username: "demo", Perms: "write"}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}

	fmt.Fprintf(w, "flickrsync demo: an emulated Flickr at %s and a sample library:\n\n", base)
	printTree(w, lib)
	fmt.Fprintf(w, "\nOn the emulated Flickr before the sync:\n")
	printDemoFlickr(w, srv)
	fmt.Fprintf(w, "\n$ flickrsync -c %s sync2 --noprompt\n\n", cfg)
	// The sync and the verify run as command lines of their own, on the demo's profile
	// alone: the environment's flickrsync settings are not theirs; the outer run's output
	// options are.
	env := inv.Env
	env.Getenv = func(k string) string {
		if strings.HasPrefix(k, "FLICKRSYNC_") {
			return ""
		}
		return inv.Getenv(k)
	}
	// Their standard output is the demo's narration: the demo's own is the kept folder.
	env.Stdout = w
	run := func(cmd ...string) int {
		args := append([]string{"-c", cfg}, cmd...)
		for flagName, on := range map[string]bool{"-q": inv.Global.Quiet, "-v": inv.Global.Verbose, "--debug": inv.Global.Debug} {
			if on {
				args = append(args, flagName)
			}
		}
		if inv.Global.LogFile != "" {
			args = append(args, "--log-file", inv.Global.LogFile)
		}
		return Main(ctx, args, env)
	}
	code := run("sync2", "--noprompt")
	fmt.Fprintf(w, "\nThe library after the sync:\n\n")
	printTree(w, lib)
	fmt.Fprintf(w, "\nOn the emulated Flickr after the sync:\n")
	printDemoFlickr(w, srv)
	if code == ExitOK {
		// The backup checked as a user would after a sync: the whole account against the
		// library, every original read again.
		fmt.Fprintf(w, "\n$ flickrsync -c %s verify --read-data\n\n", cfg)
		code = run("verify", "--read-data")
	}
	if keep {
		fmt.Fprintf(inv.Stdout, "%s\n", dir)
		fmt.Fprintf(w, "\nThe demo's folder is kept: %s (the emulator stopped with the demo)\n", dir)
	}
	switch code {
	case ExitOK:
		return nil
	case ExitFailed:
		return ErrPartial
	case ExitInterrupted, ExitTerminated:
		return context.Canceled
	}
	return fmt.Errorf("demo: the sync ended with status %d", code)
}

func writeDemoFile(p string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// seedDemoFlickr puts on the emulated account what another tool (or an earlier life)
// left there: IMG_0042 without a signature tag (the library has it: matched by name and
// date taken, then tagged), a scan without a tag nothing matches (downloaded to be
// identified) and a tagged photo the library lacks (sync2 brings it home).
func seedDemoFlickr(ctx context.Context, srv *emulator.Server) error {
	same, err := demoLibrary[5].pic.Bytes()
	if err != nil {
		return err
	}
	if _, err := srv.AddPhoto(emulator.SeedPhoto{Title: "IMG_0042", DateTaken: "2018-12-24 18:00:00", Data: same, Private: true}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	scan, err := sample.Picture{Seed: 7, DateTaken: "1987:07:14 12:00:00"}.Bytes()
	if err != nil {
		return err
	}
	if _, err := srv.AddPhoto(emulator.SeedPhoto{Title: "grandma's kitchen (scan)", Data: scan, Private: true}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	beach, err := sample.Picture{Seed: 8, DateTaken: "2020:08:01 16:45:00"}.Bytes()
	if err != nil {
		return err
	}
	sig, err := imagesig.Sign(ctx, bytes.NewReader(beach), imagesig.Options{})
	if err != nil {
		return fmt.Errorf("demo: sign: %w", err)
	}
	if _, err := srv.AddPhoto(emulator.SeedPhoto{Title: "beach from the phone", Tags: names.SignatureTag(sig.Signature), Data: beach, Private: true}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

func printTree(w interface{ Write([]byte) (int, error) }, root string) {
	var lines []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		depth := strings.Count(rel, string(filepath.Separator))
		name := d.Name()
		if d.IsDir() {
			name += "/"
		}
		lines = append(lines, strings.Repeat("    ", depth)+name)
		return nil
	})
	fmt.Fprintf(w, "  %s/\n", filepath.Base(root))
	for _, l := range lines {
		fmt.Fprintf(w, "    %s\n", l)
	}
}

func printDemoFlickr(w interface{ Write([]byte) (int, error) }, srv *emulator.Server) {
	photos := srv.Photos()
	titles := map[string]string{}
	fmt.Fprintf(w, "  %s:\n", words.Count(len(photos), "photo"))
	for _, p := range photos {
		titles[p.ID] = p.Title
		sig := "no signature tag"
		for _, t := range p.MachineTags {
			if v, ok := names.SignatureIn(t); ok {
				sig = "signature " + v[:min(12, len(v))] + "…"
			}
		}
		fmt.Fprintf(w, "    %s  %-28q %s\n", p.ID, p.Title, sig)
	}
	sets := srv.Photosets()
	sort.Slice(sets, func(i, j int) bool { return sets[i].Title < sets[j].Title })
	fmt.Fprintf(w, "  %s:\n", words.Count(len(sets), "photoset"))
	for _, s := range sets {
		var names []string
		for _, id := range s.Photos {
			names = append(names, titles[id])
		}
		fmt.Fprintf(w, "    %-16q %s\n", s.Title, strings.Join(names, ", "))
	}
}
