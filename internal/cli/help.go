package cli

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// The help text's parts that are no option's or command's: --help, the man page and the
// completion scripts are all made from these and from the commands' own declarations.
const (
	helpIntro = "flickrsync backs a local photo library up to Flickr and keeps the two in sync."

	helpLegacy = "The Python flickrsync's spellings --auth, --sync, --sync2 and --photosets also work."

	helpEnvironment = `Each global option can also be set in the environment, as FLICKRSYNC_ and its long
name in capitals (FLICKRSYNC_PROFILE=work, FLICKRSYNC_DRYRUN=1, FLICKRSYNC_LOG_FILE=...): the
command line wins over the environment, which wins over the config file.
FLICKRSYNC_FLICKR_URL and FLICKRSYNC_PACING set the profile keys flickr_url and pacing.`

	helpExit = `Exit status:
  0    all done (files that failed in earlier runs and are unchanged are counted, not failed again)
  1    the run failed: some files failed (each is named), or another error (said on the last line)
  2    usage or configuration error: a bad option, config key or value, credentials Flickr refused
       (the key to check is named; a revoked token: run flickrsync auth), a token of another account
       than username or -u, an invalid Flickr URL (where it came from is named), a missing catalog,
       a library folder missing, or empty while the catalog knows pictures there (a disk not
       mounted: index, sync, sync2 and photosets stop before changing anything;
       --allow-empty-library goes on)
  3    Flickr or the network could not be reached, after retries
  130  interrupted (Ctrl-C; a second Ctrl-C quits at once)
  143  terminated (SIGTERM)`
)

// optionDoc is one option as help shows it: its spellings (the first is the one declared
// first, the others its aliases), its value's name, its usage and its default.
type optionDoc struct {
	names     []string
	value     flag.Value
	valueName string
	usage     string
	def       string
	isBool    bool
}

// long is the option's first long name ("" if it has none).
func (o optionDoc) long() string {
	for _, n := range o.names {
		if len(n) > 1 {
			return n
		}
	}
	return ""
}

// spelled is "-c, --config FILE".
func (o optionDoc) spelled() string {
	var spell []string
	for _, n := range o.sortedNames() {
		spell = append(spell, dashed(n))
	}
	left := strings.Join(spell, ", ")
	if o.valueName != "" {
		left += " " + o.valueName
	}
	return left
}

func (o optionDoc) sortedNames() []string {
	names := append([]string(nil), o.names...)
	sort.SliceStable(names, func(i, j int) bool { return len(names[i]) < len(names[j]) })
	return names
}

// fullUsage is the usage with its default, when it has one worth saying.
func (o optionDoc) fullUsage() string {
	if o.def != "" && o.def != "false" && o.def != "0" && !strings.Contains(o.usage, "default") {
		return o.usage + fmt.Sprintf(" (default %s)", o.def)
	}
	return o.usage
}

func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// options lists a flag set's options. Spellings of one option share one flag.Value (they
// were declared on the same variable), which is how they are grouped; the alias whose
// usage says "same as ..." lends only its name.
func options(fs *flag.FlagSet) []optionDoc {
	var opts []*optionDoc
	byValue := map[flag.Value]*optionDoc{}
	var declared []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { declared = append(declared, f) })
	// The declaration's own spelling first: VisitAll goes in name order.
	sort.SliceStable(declared, func(i, j int) bool {
		return !strings.HasPrefix(declared[i].Usage, "same as") && strings.HasPrefix(declared[j].Usage, "same as")
	})
	for _, f := range declared {
		o := byValue[f.Value]
		if o == nil {
			o = &optionDoc{value: f.Value, isBool: isBoolFlag(f)}
			byValue[f.Value] = o
			opts = append(opts, o)
		}
		o.names = append(o.names, f.Name)
		if !strings.HasPrefix(f.Usage, "same as") {
			o.valueName, o.usage = flag.UnquoteUsage(f)
			o.def = f.DefValue
		}
	}
	out := make([]optionDoc, len(opts))
	for i, o := range opts {
		out[i] = *o
	}
	sort.Slice(out, func(i, j int) bool {
		return strings.TrimLeft(out[i].spelled(), "-") < strings.TrimLeft(out[j].spelled(), "-")
	})
	return out
}

// globalOptions are the options every command takes.
func globalOptions() []optionDoc { return options(newFlagSet("", &GlobalOptions{})) }

// commandOptions are a command's own options.
func commandOptions(c *Command) []optionDoc {
	if c.Flags == nil {
		return nil
	}
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	c.Flags(fs)
	return options(fs)
}

// printOptions lists options the way GNU tools do: one line per option, its spellings
// together ("-c, --config FILE"), the long ones with two dashes.
func printOptions(w io.Writer, opts []optionDoc) {
	width := 0
	for _, o := range opts {
		width = max(width, len(o.spelled()))
	}
	for _, o := range opts {
		fmt.Fprintf(w, "  %-*s  %s\n", width, o.spelled(), o.fullUsage())
	}
}

// usageLine is "flickrsync [options] sync" with the command's arguments.
func usageLine(c *Command) string {
	s := "flickrsync [options] " + c.Name
	if c.Args != "" {
		s += " " + c.Args
	}
	return s
}

func (set commandSet) usage(w io.Writer) {
	fmt.Fprintf(w, "%s\n\nUsage: flickrsync [options] COMMAND [arguments]\n\nCommands:\n", helpIntro)
	for _, c := range set.sorted() {
		fmt.Fprintf(w, "  %-11s %s\n", c.Name, c.Summary)
	}
	fmt.Fprint(w, "\nGlobal options:\n")
	printOptions(w, globalOptions())
	fmt.Fprintf(w, "\n%s\n\n%s\n\n%s\nRun 'flickrsync help COMMAND' for a command's own options.\n",
		helpEnvironment, helpExit, helpLegacy)
}

func commandHelp(w io.Writer, c *Command) error {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", usageLine(c), c.Summary)
	if opts := commandOptions(c); len(opts) > 0 {
		fmt.Fprint(w, "\nOptions:\n")
		printOptions(w, opts)
	}
	fmt.Fprint(w, "\nGlobal options: see 'flickrsync --help'.\n")
	return nil
}
