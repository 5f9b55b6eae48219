package cli

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// printFlags lists a flag set the way GNU tools do: one line per option, its spellings
// together ("-c, --config FILE"), the long ones with two dashes. Spellings of one option share
// one flag.Value (they were declared on the same variable), which is how they are grouped; the
// alias whose usage says "same as ..." lends only its name.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	type option struct {
		names []string
		usage string
		value string
		def   string
	}
	var opts []*option
	byValue := map[flag.Value]*option{}
	fs.VisitAll(func(f *flag.Flag) {
		o := byValue[f.Value]
		if o == nil {
			o = &option{}
			byValue[f.Value] = o
			opts = append(opts, o)
		}
		o.names = append(o.names, f.Name)
		if !strings.HasPrefix(f.Usage, "same as") {
			o.value, o.usage = flag.UnquoteUsage(f)
			o.def = f.DefValue
		}
	})
	var lines [][2]string
	width := 0
	for _, o := range opts {
		sort.Slice(o.names, func(i, j int) bool { return len(o.names[i]) < len(o.names[j]) })
		var spell []string
		for _, n := range o.names {
			if len(n) == 1 {
				spell = append(spell, "-"+n)
			} else {
				spell = append(spell, "--"+n)
			}
		}
		left := strings.Join(spell, ", ")
		if o.value != "" {
			left += " " + o.value
		}
		usage := o.usage
		if o.def != "" && o.def != "false" && o.def != "0" && !strings.Contains(usage, "default") {
			usage += fmt.Sprintf(" (default %s)", o.def)
		}
		lines = append(lines, [2]string{left, usage})
		if len(left) > width {
			width = len(left)
		}
	}
	sort.Slice(lines, func(i, j int) bool {
		return strings.TrimLeft(lines[i][0], "-") < strings.TrimLeft(lines[j][0], "-")
	})
	for _, l := range lines {
		fmt.Fprintf(w, "  %-*s  %s\n", width, l[0], l[1])
	}
}
