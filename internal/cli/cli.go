package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Env is the outside world a command sees. Tests replace every field.
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
}

// StdEnv is the process's own environment.
func StdEnv() Env {
	return Env{
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		Getenv:     os.Getenv,
		IsTerminal: func() bool { return isTerminal(os.Stderr) && isTerminal(os.Stdin) },
		TermWidth:  func() int { return termWidth(os.Stderr) },
	}
}

// Command is one flickrsync subcommand.
type Command struct {
	Name string
	// Args names the positional arguments for the usage line, e.g. "FILE...". A command
	// without it takes none: Main refuses any before Run is called.
	Args    string
	Summary string // one line for the command list
	// Legacy is true for the commands the Python flickrsync also accepted as options
	// (--auth, --sync, --sync2, --photosets).
	Legacy bool
	// SetFlags declares the command's own options on fs; the global options are already there.
	SetFlags func(fs *flag.FlagSet)
	// Run executes the command. It returns ErrPartial when some files failed but the run
	// completed, a UsageError for bad arguments, and any other error for a failed run.
	Run func(ctx context.Context, inv *Invocation) error
}

// Invocation is what a command's Run receives: the environment, the global options and its
// positional arguments.
type Invocation struct {
	Env
	Global *GlobalOptions
	Args   []string
}

var commands = map[string]*Command{}

// valueFlags caches flagsTakingValues; Register clears it. Computing it calls every
// command's SetFlags, which sets each command's option variables to their defaults: done
// once, a nested Main (the demo runs sync2) leaves the other commands' options alone.
var valueFlags map[string]bool

// Register adds a command; each cmd_*.go file calls it from init.
func Register(c *Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: command registered twice: " + c.Name)
	}
	valueFlags = nil
	commands[c.Name] = c
}

// helpOrder lists the commands in the order --help shows them; unlisted ones follow
// alphabetically.
var helpOrder = []string{"demo", "sync", "sync2", "photosets", "auth", "index", "status",
	"duplicates", "signature", "deletetags", "rebase", "delete"}

// ErrPartial means the command ran to its end but some files failed; each failure was
// already reported. It maps to exit status 1.
var ErrPartial = errors.New("some files failed")

// UsageError is a mistake in the command line or the configuration: exit status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef builds a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Exit statuses.
const (
	ExitOK          = 0
	ExitFailed      = 1
	ExitUsage       = 2
	ExitInterrupted = 130
)

// ExitCode maps a command's error to the process exit status.
func ExitCode(ctx context.Context, err error) int {
	var usage *UsageError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return ExitInterrupted
	case errors.As(err, &usage):
		return ExitUsage
	default:
		return ExitFailed
	}
}

// Main runs flickrsync with args (without the program name) and returns the exit status.
func Main(ctx context.Context, args []string, env Env) int {
	err := run(ctx, args, env)
	code := ExitCode(ctx, err)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return ExitOK
	case code == ExitInterrupted:
		fmt.Fprintln(env.Stderr, "flickrsync: interrupted")
	case errors.Is(err, ErrPartial):
		// The failures were reported one by one and in the summary.
	default:
		fmt.Fprintf(env.Stderr, "flickrsync: %v\n", err)
		var usage *UsageError
		if errors.As(err, &usage) {
			fmt.Fprintln(env.Stderr, "Run 'flickrsync --help' for usage.")
		}
	}
	return code
}

func run(ctx context.Context, args []string, env Env) error {
	name, rest, err := findCommand(args)
	if err != nil {
		return err
	}
	if name == "" || name == "help" {
		if name == "help" && len(rest) > 0 {
			if c, ok := commands[rest[0]]; ok {
				return commandHelp(env.Stdout, c)
			}
			return Usagef("unknown command %q", rest[0])
		}
		if name == "" && !hasHelpFlag(rest) {
			if len(rest) > 0 {
				return Usagef("no command given")
			}
			usage(env.Stderr)
			return &UsageError{Msg: "no command given"}
		}
		usage(env.Stdout)
		return nil
	}
	cmd, ok := commands[name]
	if !ok {
		return Usagef("unknown command %q", name)
	}
	g := &GlobalOptions{}
	fs := newFlagSet(cmd.Name, g)
	if cmd.SetFlags != nil {
		cmd.SetFlags(fs)
	}
	positional, err := parseInterspersed(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		return commandHelp(env.Stdout, cmd)
	}
	if err != nil {
		return &UsageError{Msg: err.Error()}
	}
	if cmd.Args == "" && len(positional) > 0 {
		return Usagef("%s takes no arguments (got %q)", cmd.Name, positional[0])
	}
	g.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { g.set[f.Name] = true })
	return cmd.Run(ctx, &Invocation{Env: env, Global: g, Args: positional})
}

// findCommand picks the command out of args: the first positional argument, or one of the
// Python tool's option spellings (--sync). It returns the remaining arguments in order.
func findCommand(args []string) (string, []string, error) {
	if valueFlags == nil {
		valueFlags = flagsTakingValues()
	}
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
			if c, ok := commands[flagName]; ok && c.Legacy && !strings.Contains(flagName, "=") {
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
func flagsTakingValues() map[string]bool {
	m := map[string]bool{}
	collect := func(fs *flag.FlagSet) {
		fs.VisitAll(func(f *flag.Flag) {
			if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
				return
			}
			m[f.Name] = true
		})
	}
	collect(newFlagSet("", &GlobalOptions{}))
	for _, c := range commands {
		if c.SetFlags != nil {
			fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
			c.SetFlags(fs)
			collect(fs)
		}
	}
	return m
}

func hasHelpFlag(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			return true
		}
	}
	return false
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

func sortedCommands() []*Command {
	rank := map[string]int{}
	for i, n := range helpOrder {
		rank[n] = i + 1
	}
	var list []*Command
	for _, c := range commands {
		list = append(list, c)
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

func usage(w io.Writer) {
	fmt.Fprint(w, `flickrsync backs a local photo library up to Flickr and keeps the two in sync.

Usage: flickrsync [options] COMMAND [arguments]

Commands:
`)
	for _, c := range sortedCommands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.Name, c.Summary)
	}
	fmt.Fprint(w, "\nGlobal options:\n")
	printFlags(w, newFlagSet("flickrsync", &GlobalOptions{}))
	fmt.Fprint(w, `
The Python flickrsync's spellings --auth, --sync, --sync2 and --photosets also work.
Run 'flickrsync help COMMAND' for a command's own options.
`)
}

func commandHelp(w io.Writer, c *Command) error {
	fmt.Fprintf(w, "Usage: flickrsync [options] %s", c.Name)
	if c.Args != "" {
		fmt.Fprintf(w, " %s", c.Args)
	}
	fmt.Fprintf(w, "\n\n%s\n", c.Summary)
	if c.SetFlags != nil {
		fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
		c.SetFlags(fs)
		fmt.Fprint(w, "\nOptions:\n")
		printFlags(w, fs)
	}
	fmt.Fprint(w, "\nGlobal options: see 'flickrsync --help'.\n")
	return nil
}
