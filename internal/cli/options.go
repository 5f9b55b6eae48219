package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/flickrsync/flickrsync/internal/ui"
	"github.com/flickrsync/flickrsync/internal/words"
	"golang.org/x/term"
)

// GlobalOptions are the options every command accepts, spelled as the Python flickrsync
// spelled them, and flickrsync's own (-v, -q, --log-file, --memory, --version). Each can also be given
// as the environment variable FLICKRSYNC_<OPTION> (envName); the command line wins over
// the environment, which wins over the config file.
type GlobalOptions struct {
	Config    string // -c, --config: the INI file (default ~/.flickrsync/config.ini)
	Profile   string // -p, --profile: the INI section (default DEFAULT)
	Username  string // -u, --username: overrides the profile's username
	Database  string // -d, --database: overrides the profile's database
	Directory string // -l, --directory: overrides the profile's picture directory
	NoPrompt  bool   // --noprompt: answer yes to every question
	Debug     bool   // --debug: every step and every Flickr call
	DryRun    bool   // --dryrun, --dry-run: change nothing, print the plan
	Verbose   bool   // -v, --verbose: a line per file
	Quiet     bool   // -q, --quiet: only errors
	LogFile   string // --log-file: append the run's lines to FILE
	Memory    string // --memory: the size of the memory budget the decodes share
	Version   bool   // --version: print the version and exit

	fromEnv map[string]string // long name -> the environment variable that gave its value
}

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
	fs.BoolVar(&g.Debug, "debug", false, "also show every step and every Flickr call")
	fs.BoolVar(&g.DryRun, "dryrun", false, "change nothing anywhere; print what would be done")
	fs.BoolVar(&g.DryRun, "dry-run", false, "same as --dryrun")
	fs.BoolVar(&g.Verbose, "v", false, "verbose: also a line per file")
	fs.BoolVar(&g.Verbose, "verbose", false, "same as -v")
	fs.BoolVar(&g.Quiet, "q", false, "quiet: only errors (for cron)")
	fs.BoolVar(&g.Quiet, "quiet", false, "same as -q")
	fs.StringVar(&g.LogFile, "log-file", "", "also append every line of the run, with its time, to `FILE` (the lines of -v, and of --debug when given)")
	fs.StringVar(&g.Memory, "memory", "", "the pictures decoded at once share `SIZE` of memory (default 128M; 16M to 1T, such as 512M or 2G), overrides the config file; a picture that needs more fails alone")
	fs.BoolVar(&g.Version, "version", false, "print the version and exit")
	return fs
}

// envName is the environment variable of a global option: FLICKRSYNC_ and its long name
// in capitals, '-' as '_' (FLICKRSYNC_LOG_FILE); "" for --version, which has none.
func envName(o optionDoc) string {
	long := o.long()
	if long == "" || long == "version" {
		return ""
	}
	return "FLICKRSYNC_" + strings.ToUpper(strings.ReplaceAll(long, "-", "_"))
}

// applyEnv gives each global option not on the command line the value of its
// environment variable, when set.
func applyEnv(fs *flag.FlagSet, g *GlobalOptions, getenv func(string) string) error {
	g.fromEnv = map[string]string{}
	fromEnv := g.fromEnv
	given := map[flag.Value]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Value] = true })
	global := map[string]bool{}
	for _, o := range globalOptions() {
		global[o.long()] = true
	}
	for _, o := range options(fs) {
		name := envName(o)
		if name == "" || !global[o.long()] || given[o.value] {
			continue
		}
		v := getenv(name)
		if v == "" {
			continue
		}
		if err := fs.Set(o.names[0], v); err != nil {
			return Usagef("%s=%s: %s", name, quote(v), valueProblem(err))
		}
		fromEnv[o.long()] = name
	}
	return nil
}

// valueProblem is why a flag's value was refused, without the flag package's wording.
func valueProblem(err error) string {
	s := err.Error()
	if ne, ok := err.(*strconv.NumError); ok {
		s = ne.Err.Error()
	}
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	switch s {
	case strconv.ErrSyntax.Error(), "parse error":
		return "not a valid value"
	}
	return s
}

// flagProblem reads the flag package's error messages, to say them again with the option
// as the user typed it.
var flagProblem = regexp.MustCompile(`^(?:flag provided but not defined: -(\S+)|invalid (?:boolean )?value "(.*)" for (?:flag )?-([^:]+): (.*)|flag needs an argument: -(\S+)|bad flag syntax: (.*))$`)

// flagError rewrites a parse error of the command line: the option named as typed,
// and where to read about the options.
func flagError(err error, args []string, cmd *Command) error {
	see, command := "see 'flickrsync --help'", ""
	if cmd != nil {
		command = cmd.Name
		see = fmt.Sprintf("see 'flickrsync help %s'", command)
	}
	m := flagProblem.FindStringSubmatch(err.Error())
	switch {
	case m == nil:
		return Usagef("%v; %s", err, see)
	case m[1] != "" && cmd != nil && cmd.Refuses[m[1]] != "":
		return Usagef("%s %s; %s", typedAs(args, m[1]), cmd.Refuses[m[1]], see)
	case m[1] != "":
		typed := typedAs(args, m[1])
		msg := "unknown option " + typed
		if command != "" {
			msg += " for " + command
		}
		if near := nearestOption(m[1], cmd); near != "" {
			msg += "; did you mean " + near + "?"
		}
		return Usagef("%s; %s", msg, see)
	case m[3] != "":
		return Usagef("invalid value %s for %s: %s; %s", quote(m[2]), typedAs(args, m[3]), m[4], see)
	case m[5] != "":
		return Usagef("%s needs a value; %s", typedAs(args, m[5]), see)
	default:
		return Usagef("bad option syntax %s; %s", quote(m[6]), see)
	}
}

// typedAs finds how the user spelled the flag name (-x, --x, --x=value) in args.
func typedAs(args []string, name string) string {
	for _, a := range args {
		trimmed := strings.TrimLeft(a, "-")
		if k, _, _ := strings.Cut(trimmed, "="); k == name && strings.HasPrefix(a, "-") {
			return a[:len(a)-len(trimmed)] + name
		}
	}
	return "--" + name
}

// nearestOption is the option nearest to a mistyped one, spelled with its dashes.
func nearestOption(name string, cmd *Command) string {
	var names []string
	fs := newFlagSet("", &GlobalOptions{})
	if cmd != nil && cmd.Flags != nil {
		cmd.Flags(fs)
	}
	fs.VisitAll(func(f *flag.Flag) {
		if len(f.Name) > 1 {
			names = append(names, f.Name)
		}
	})
	if near := words.Closest(name, names); near != "" {
		return "--" + near
	}
	return ""
}

// quote shows a user's word in a message: quoted, escaped.
func quote(s string) string { return strconv.Quote(s) }

// source names where a global option's value came from, for messages: its environment
// variable, else --long.
func (g *GlobalOptions) source(long string) string {
	if env := g.fromEnv[long]; env != "" {
		return env
	}
	return "--" + long
}

// level is the console level the options choose.
func (g *GlobalOptions) level() ui.Level {
	switch {
	case g.Debug:
		return ui.LevelDebug
	case g.Verbose:
		return ui.LevelVerbose
	case g.Quiet:
		return ui.LevelError
	}
	return ui.LevelInfo
}

// openConsole sets up the invocation's console: its level, and the log file (closed by
// inv.closeLog).
func (inv *Invocation) openConsole() error {
	g := inv.Global
	if g.Quiet && (g.Verbose || g.Debug) {
		return Usagef("-q cannot go with -v or --debug")
	}
	// The goroutines of a run (progress, failures as they happen, the client's debug
	// lines) share the outputs: each write is whole.
	inv.Stdout = &lockedWriter{w: inv.Stdout}
	inv.Stderr = &lockedWriter{w: inv.Stderr}
	inv.Out = ui.NewConsole(inv.Stderr, g.level())
	if inv.TermWidth != nil && inv.IsTerminal() {
		inv.Out.Screen.Width = inv.TermWidth()
	}
	if g.LogFile == "" {
		return nil
	}
	f, err := os.OpenFile(g.LogFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return Usagef("--log-file: %v", err)
	}
	logLevel := ui.LevelVerbose
	if g.Debug {
		logLevel = ui.LevelDebug
	}
	inv.Out.SetLog(f, logLevel)
	inv.closeLog = func() error {
		inv.Out.SetLog(nil, logLevel)
		err := inv.Out.LogErr()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return nil
}

// lockedWriter serialises the writes of the goroutines that share an output.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
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
