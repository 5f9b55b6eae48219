package cli

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/ui"
	"github.com/flickrsync/flickrsync/internal/words"
)

// Env is the outside world a command sees. Tests replace every field; nothing of a run
// lives in a package variable, so runs (and a run inside a run, as the demo's) never share
// state.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads an environment variable (os.Getenv outside tests).
	Getenv func(string) string
	// IsTerminal reports whether standard error is an interactive terminal: progress bars
	// and prompts need one.
	IsTerminal func() bool
	// TermWidth is standard error's width in columns when it is a terminal (0: unknown;
	// nil: never known).
	TermWidth func() int
	// OpenBrowser opens a URL in the desktop's browser (auth); nil: there is none.
	OpenBrowser func(url string) error
	// CatalogWait is how long a command waits for another flickrsync holding the catalog
	// before it gives up (StdEnv: a minute; 0: it gives up at once).
	CatalogWait time.Duration
}

// StdEnv is the process's own environment.
func StdEnv() Env {
	return Env{
		Stdin:       os.Stdin,
		Stdout:      os.Stdout,
		Stderr:      os.Stderr,
		Getenv:      os.Getenv,
		IsTerminal:  func() bool { return isTerminal(os.Stderr) && isTerminal(os.Stdin) },
		TermWidth:   func() int { return termWidth(os.Stderr) },
		OpenBrowser: desktopBrowser,
		CatalogWait: time.Minute,
	}
}

// Command is one flickrsync subcommand, built afresh for every run by its constructor
// (newSyncCommand...): its options are variables of that run, never package state.
type Command struct {
	Name string
	// Args names the positional arguments for the usage line, e.g. "FILE...". A command
	// without it takes none: Main refuses any before Run is called.
	Args string
	// Words are the values its first argument takes, for completion ("bash", "zsh"...).
	Words   []string
	Summary string // one line for the command list
	// Legacy is true for the commands the Python flickrsync also accepted as options
	// (--auth, --sync, --sync2, --photosets).
	Legacy bool
	// Refuses names options of a related command that this one does not take, with why
	// (sync2 and --identifymissing), for a clearer refusal than "unknown option".
	Refuses map[string]string
	// Flags declares the command's own options on fs, bound to this run's variables; the
	// global options are already there. nil: none.
	Flags func(fs *flag.FlagSet)
	// Run executes the command. It returns ErrPartial when some files failed but the run
	// completed, a UsageError for bad arguments, and any other error for a failed run.
	Run func(ctx context.Context, inv *Invocation) error
}

// Invocation is what a command's Run receives: the environment, the global options, its
// positional arguments and the console its human lines go through.
type Invocation struct {
	Env
	Global *GlobalOptions
	Args   []string
	// Out writes every human line (standard error and the log file), escaped, at the
	// level -q, -v and --debug choose.
	Out *ui.Console
	// settings is the profile once resolved, for the messages that name a key of it.
	settings *config.Settings
	// closeLog closes the log file (nil without one) and says whether every line reached it.
	closeLog func() error
}

// commandSet maps each command's name to its constructor.
type commandSet map[string]func() *Command

// builtins are flickrsync's commands; each cmd_*.go file registers its own from init,
// and nothing changes the set afterwards.
var builtins = commandSet{}

func register(newCmd func() *Command) {
	name := newCmd().Name
	if _, dup := builtins[name]; dup {
		panic("cli: command registered twice: " + name)
	}
	builtins[name] = newCmd
}

// helpOrder lists the commands in the order --help shows them; unlisted ones follow
// alphabetically.
var helpOrder = []string{"demo", "sync", "sync2", "photosets", "upload", "auth", "logout", "index", "status", "verify",
	"duplicates", "signature", "info", "deletetags", "rebase", "delete", "config", "version",
	"completion", "man"}

// Main runs flickrsync with args (without the program name) and returns the exit status.
// It may run again, or inside itself (the demo runs sync2 so), or in parallel.
func Main(ctx context.Context, args []string, env Env) int {
	return builtins.main(ctx, args, env)
}

func (set commandSet) main(ctx context.Context, args []string, env Env) int {
	inv, err := set.run(ctx, args, env)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	code, msg := classify(ctx, err, inv)
	if msg != "" {
		// Errors are shown whatever -q says, and logged.
		out := ui.NewConsole(env.Stderr, ui.LevelError)
		if inv != nil && inv.Out != nil {
			out = inv.Out
		}
		out.Errorf("flickrsync: %s", msg)
	}
	if inv != nil && inv.closeLog != nil {
		// Closed after the error line, which the log must have too.
		if lerr := inv.closeLog(); lerr != nil && code == ExitOK {
			ui.NewConsole(env.Stderr, ui.LevelError).Errorf("flickrsync: --log-file: %v", lerr)
			code = ExitFailed
		}
	}
	return code
}

// run parses the command line and runs the command. The Invocation it returns (nil
// before the command is known) says where the error's message goes.
func (set commandSet) run(ctx context.Context, args []string, env Env) (*Invocation, error) {
	name, rest, err := set.findCommand(args)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, set.noCommand(env, rest)
	}
	if name == "help" {
		if len(rest) == 0 {
			set.usage(env.Stdout)
			return nil, nil
		}
		newCmd, ok := set[rest[0]]
		if !ok {
			return nil, set.unknownCommand(rest[0])
		}
		return nil, commandHelp(env.Stdout, newCmd())
	}
	newCmd, ok := set[name]
	if !ok {
		return nil, set.unknownCommand(name)
	}
	cmd := newCmd()
	g := &GlobalOptions{}
	fs := newFlagSet(cmd.Name, g)
	if cmd.Flags != nil {
		cmd.Flags(fs)
	}
	positional, err := parseInterspersed(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		return nil, commandHelp(env.Stdout, cmd)
	}
	if err != nil {
		return nil, flagError(err, rest, cmd)
	}
	if err := applyEnv(fs, g, env.Getenv); err != nil {
		return nil, err
	}
	if g.Version {
		return nil, printVersion(env.Stdout)
	}
	if cmd.Args == "" && len(positional) > 0 {
		return nil, Usagef("%s takes no arguments (got %q); see 'flickrsync help %s'", cmd.Name, positional[0], cmd.Name)
	}
	inv := &Invocation{Env: env, Global: g, Args: positional}
	if err := inv.openConsole(); err != nil {
		return nil, err
	}
	return inv, cmd.Run(ctx, inv)
}

// noCommand handles a command line without a command: --help, --version, or a mistake.
func (set commandSet) noCommand(env Env, rest []string) error {
	g := &GlobalOptions{}
	fs := newFlagSet("flickrsync", g)
	positional, err := parseInterspersed(fs, rest)
	switch {
	case errors.Is(err, flag.ErrHelp):
		set.usage(env.Stdout)
		return nil
	case err != nil:
		return flagError(err, rest, nil)
	case g.Version:
		return printVersion(env.Stdout)
	case len(rest) == 0 && len(positional) == 0:
		set.usage(env.Stderr)
	}
	return Usagef("no command given")
}

func (set commandSet) unknownCommand(name string) error {
	msg := "unknown command " + quote(name)
	if near := words.Closest(name, set.names()); near != "" {
		msg += "; did you mean " + near + "?"
	}
	return Usagef("%s", msg)
}

func (set commandSet) names() []string {
	var names []string
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// findCommand picks the command out of args: the first positional argument, or one of the
// Python tool's option spellings (--sync). It returns the remaining arguments in order.
func (set commandSet) findCommand(args []string) (string, []string, error) {
	valueFlags := set.flagsTakingValues()
	var rest []string
	name := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			if name == "" && i+1 < len(args) {
				name = args[i+1]
				rest = append(rest, args[i+2:]...)
			} else {
				rest = append(rest, args[i:]...)
			}
			break
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			flagName := strings.TrimLeft(a, "-")
			if newCmd, ok := set[flagName]; ok && newCmd().Legacy && !strings.Contains(flagName, "=") {
				if name != "" && name != flagName {
					return "", nil, Usagef("two commands given: %s and %s", name, flagName)
				}
				name = flagName
				continue
			}
			rest = append(rest, a)
			if !strings.Contains(flagName, "=") && valueFlags[flagName] && i+1 < len(args) {
				i++
				rest = append(rest, args[i])
			}
			continue
		}
		if name == "" {
			name = a
			continue
		}
		rest = append(rest, a)
	}
	return name, rest, nil
}

// flagsTakingValues names every flag, global or of any command, that takes a value, so that
// findCommand does not mistake a flag's value for the command.
func (set commandSet) flagsTakingValues() map[string]bool {
	m := map[string]bool{}
	collect := func(fs *flag.FlagSet) {
		fs.VisitAll(func(f *flag.Flag) {
			if !isBoolFlag(f) {
				m[f.Name] = true
			}
		})
	}
	collect(newFlagSet("", &GlobalOptions{}))
	for _, newCmd := range set {
		if c := newCmd(); c.Flags != nil {
			fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
			c.Flags(fs)
			collect(fs)
		}
	}
	return m
}

func isBoolFlag(f *flag.Flag) bool {
	bf, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && bf.IsBoolFlag()
}

// parseInterspersed parses flags wherever they stand among the positional arguments, as
// the Python tool's argparse did, and returns the positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// sorted lists the commands in helpOrder.
func (set commandSet) sorted() []*Command {
	rank := map[string]int{}
	for i, n := range helpOrder {
		rank[n] = i + 1
	}
	var list []*Command
	for _, newCmd := range set {
		list = append(list, newCmd())
	}
	sort.Slice(list, func(i, j int) bool {
		ri, rj := rank[list[i].Name], rank[list[j].Name]
		if ri == 0 {
			ri = len(helpOrder) + 1
		}
		if rj == 0 {
			rj = len(helpOrder) + 1
		}
		if ri != rj {
			return ri < rj
		}
		return list[i].Name < list[j].Name
	})
	return list
}
