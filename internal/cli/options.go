package cli

import (
	"flag"
	"os"

	"golang.org/x/term"
)

// GlobalOptions are the options every command accepts, spelled as the Python flickrsync
// spelled them.
type GlobalOptions struct {
	Config    string // -c, --config: the INI file (default ~/.flickrsync/config.ini)
	Profile   string // -p, --profile: the INI section (default DEFAULT)
	Username  string // -u, --username: overrides the profile's username
	Database  string // -d, --database: overrides the profile's database
	Directory string // -l, --directory: overrides the profile's picture directory
	NoPrompt  bool   // --noprompt: answer yes to every question
	Debug     bool   // --debug: verbose logging
	DryRun    bool   // --dryrun, --dry-run: change nothing, print the plan

	set map[string]bool // the flags given on the command line
}

// IsSet reports whether the named flag was given on the command line.
func (g *GlobalOptions) IsSet(name string) bool { return g.set[name] }

func newFlagSet(name string, g *GlobalOptions) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(discard{})
	fs.StringVar(&g.Config, "c", "", "config `FILE` (default ~/.flickrsync/config.ini)")
	fs.StringVar(&g.Config, "config", "", "same as -c")
	fs.StringVar(&g.Profile, "p", "", "config profile: the INI section `NAME` (default DEFAULT)")
	fs.StringVar(&g.Profile, "profile", "", "same as -p")
	fs.StringVar(&g.Username, "u", "", "Flickr `USERNAME`, overrides the config file")
	fs.StringVar(&g.Username, "username", "", "same as -u")
	fs.StringVar(&g.Database, "d", "", "catalog database `FILE`, overrides the config file")
	fs.StringVar(&g.Database, "database", "", "same as -d")
	fs.StringVar(&g.Directory, "l", "", "local picture `DIRECTORY`, overrides the config file")
	fs.StringVar(&g.Directory, "directory", "", "same as -l")
	fs.BoolVar(&g.NoPrompt, "noprompt", false, "do not ask before changing anything")
	fs.BoolVar(&g.Debug, "debug", false, "log every step and every Flickr call")
	fs.BoolVar(&g.DryRun, "dryrun", false, "change nothing anywhere; print what would be done")
	fs.BoolVar(&g.DryRun, "dry-run", false, "same as --dryrun")
	return fs
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

func termWidth(f *os.File) int {
	w, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return w
}
