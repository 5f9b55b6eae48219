package cli

import (
	"errors"
	"flag"
	"strings"

	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/imagesig"
	"github.com/flickrsync/flickrsync/internal/scan"
)

// Settings resolves the profile named on the command line (or DEFAULT) against the config file,
// the environment and the global options, and warns about what the profile holds that
// flickrsync does not read. A missing config file is an error only for a -c or -p that names
// it; commands that talk to Flickr call FlickrSettings.
func (inv *Invocation) Settings() (*config.Settings, error) {
	return inv.settingsWith(overrides{})
}

// overrides are a command's own options that change the profile's settings.
type overrides struct {
	transfers string // sync's --transfers, "" when not given
	replace   bool   // sync's --replace
	sel       *selection
}

// selection is the options that choose the library's files, --exclude and
// --exclude-from (rclone's spellings), on the commands that index it or use its folders.
type selection struct {
	exclude, excludeFrom listFlag
}

func (o *selection) declare(fs *flag.FlagSet) {
	fs.Var(&o.exclude, "exclude", "leave out the library paths `PATTERN` matches (gitignore's syntax, anchored at the library; wins over the .flickrsyncignore files); repeatable")
	fs.Var(&o.excludeFrom, "exclude-from", "leave out the paths the patterns of `FILE` match, one a line as in a .flickrsyncignore; repeatable")
}

// allowEmptyFlag is --allow-empty-library, on the commands that index the library or use
// its folders (index, sync, sync2, photosets): without it, they stop before changing
// anything when the library holds no media file while the catalog knows pictures
// (scan.Config.AllowEmptyLibrary, scan.CheckNotEmpty).
type allowEmptyFlag bool

func (a *allowEmptyFlag) declare(fs *flag.FlagSet) {
	fs.BoolVar((*bool)(a), "allow-empty-library", false, "go on with a library that holds no media file while the catalog knows pictures there (by default the run stops first, exit status 2: a disk not mounted is not every picture deleted)")
}

// emptyLibraryUsage makes scan.CheckNotEmpty's refusal a usage error that names the
// option to go on with.
func emptyLibraryUsage(err error) error {
	var e *scan.EmptyLibraryError
	if errors.As(err, &e) {
		return Usagef("%v (--allow-empty-library to go on)", e)
	}
	return err
}

// debugExcluded shows, with --debug, each path the ignore rules left out and the rule
// ("source:line:pattern"; a folder once, with its slash: nothing under it is read).
func (inv *Invocation) debugExcluded(e scan.Exclusion) {
	path := e.Path
	if e.Dir {
		path += "/"
	}
	inv.Out.Debugf("excluded %s by %s", path, e.Rule)
}

// listFlag is a repeatable option's values, in order.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// settingsWith is Settings with a command's own options.
func (inv *Invocation) settingsWith(o overrides) (*config.Settings, error) {
	g := inv.Global
	opt := config.Options{
		ConfigPath: g.Config,
		Profile:    g.Profile,
		Username:   g.Username,
		Database:   g.Database,
		Directory:  g.Directory,
		Transfers:  o.transfers,
		Replace:    o.replace,
		Memory:     g.Memory,
		EnvSources: g.fromEnv,
		Getenv:     inv.Getenv,
	}
	if o.sel != nil {
		opt.Exclude, opt.ExcludeFrom = o.sel.exclude, o.sel.excludeFrom
	}
	s, err := config.Load(opt)
	if err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	if inv.settings == nil {
		for _, w := range s.Warnings {
			inv.Out.Errorf("flickrsync: warning: %s", w)
		}
	}
	inv.settings = s
	return s, nil
}

// budget is the memory budget the decodes of this run share: the profile's (memory, --memory,
// FLICKRSYNC_MEMORY), else nil, the process's default (imagesig.DefaultMemoryBudget).
// Made once per run, so that every decode of the run draws on the same one.
func (inv *Invocation) budget(s *config.Settings) *imagesig.Budget {
	if inv.decodeBudget == nil && s.Memory > 0 {
		inv.decodeBudget = imagesig.NewBudget(s.Memory)
	}
	return inv.decodeBudget
}

// FlickrSettings is Settings for commands that talk to Flickr: it also requires the profile's
// api_key and api_secret. Both failures are configuration errors (exit status 2).
func (inv *Invocation) FlickrSettings() (*config.Settings, error) {
	return inv.flickrSettingsWith(overrides{})
}

func (inv *Invocation) flickrSettingsWith(o overrides) (*config.Settings, error) {
	s, err := inv.settingsWith(o)
	if err != nil {
		return nil, err
	}
	if err := s.RequireCredentials(); err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	return s, nil
}
