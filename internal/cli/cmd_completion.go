package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
)

// shells are the shells completion writes a script for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

func init() {
	register(func() *Command {
		return &Command{Name: "completion", Args: "SHELL", Words: shells,
			Summary: "print the completion script of a shell (bash, zsh, fish, powershell): e.g. source <(flickrsync completion bash)",
			Run: func(ctx context.Context, inv *Invocation) error {
				if len(inv.Args) != 1 {
					return Usagef("completion needs one SHELL: %s", strings.Join(shells, ", "))
				}
				return builtins.writeCompletion(inv.Stdout, inv.Args[0])
			}}
	})
}

// completionModel is what every script completes, read from the commands' own
// declarations (the ones --help shows).
type completionModel struct {
	commands []*Command
	global   []optionDoc
	own      map[string][]optionDoc // command -> its options
}

func (set commandSet) completionModel() completionModel {
	m := completionModel{commands: set.sorted(), global: globalOptions(), own: map[string][]optionDoc{}}
	for _, c := range m.commands {
		m.own[c.Name] = commandOptions(c)
	}
	return m
}

// valueKind is what an option's value is, for completion: "file", "dir" or "" (free).
func valueKind(o optionDoc) string {
	switch o.valueName {
	case "FILE":
		return "file"
	case "DIRECTORY":
		return "dir"
	}
	return ""
}

// spellings are an option's names with their dashes.
func spellings(o optionDoc) []string {
	var out []string
	for _, n := range o.sortedNames() {
		out = append(out, dashed(n))
	}
	return out
}

func (set commandSet) writeCompletion(w io.Writer, shell string) error {
	m := set.completionModel()
	var b strings.Builder
	switch shell {
	case "bash":
		m.bash(&b)
	case "zsh":
		// zsh runs the bash script through its bash completion layer.
		b.WriteString("#compdef flickrsync\n# zsh completion for flickrsync: flickrsync completion zsh > \"${fpath[1]}/_flickrsync\"\n")
		b.WriteString("autoload -U +X bashcompinit && bashcompinit\n")
		m.bash(&b)
	case "fish":
		m.fish(&b)
	case "powershell":
		m.powershell(&b)
	default:
		return Usagef("completion: unknown shell %q (want one of %s)", shell, strings.Join(shells, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (m completionModel) bash(b *strings.Builder) {
	var valueOpts, fileOpts, dirOpts []string
	collect := func(opts []optionDoc) {
		for _, o := range opts {
			if o.isBool {
				continue
			}
			valueOpts = append(valueOpts, spellings(o)...)
			switch valueKind(o) {
			case "file":
				fileOpts = append(fileOpts, spellings(o)...)
			case "dir":
				dirOpts = append(dirOpts, spellings(o)...)
			}
		}
	}
	collect(m.global)
	for _, c := range m.commands {
		collect(m.own[c.Name])
	}
	var globals, names []string
	for _, o := range m.global {
		globals = append(globals, spellings(o)...)
	}
	for _, c := range m.commands {
		names = append(names, c.Name)
	}
	fmt.Fprintf(b, `# bash completion for flickrsync: source <(flickrsync completion bash)
_flickrsync() {
    local cur prev cmd i
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    cmd=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${COMP_WORDS[i]}" in
        %s) ((i++)) ;;
        -*) ;;
        *) cmd="${COMP_WORDS[i]}"; break ;;
        esac
    done
    case "$prev" in
    %s) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    %s) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    %s) return ;;
    esac
    local global=%q opts="" words=""
    case "$cmd" in
    "") words=%q ;;
`, strings.Join(uniq(valueOpts), "|"), strings.Join(uniq(fileOpts), "|"), strings.Join(uniq(dirOpts), "|"),
		strings.Join(uniq(valueOpts), "|"), strings.Join(globals, " "), strings.Join(names, " "))
	for _, c := range m.commands {
		var own []string
		for _, o := range m.own[c.Name] {
			own = append(own, spellings(o)...)
		}
		files := ""
		if strings.Contains(c.Args, "FILE") {
			files = "; COMPREPLY=($(compgen -f -- \"$cur\"))"
		}
		fmt.Fprintf(b, "    %s) opts=%q; words=%q%s ;;\n", c.Name, strings.Join(own, " "), strings.Join(c.Words, " "), files)
	}
	// An option where the word starts with a dash, else a command or an argument.
	b.WriteString(`    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$opts $global" -- "$cur"))
    elif [[ -n "$words" ]]; then
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    fi
}
complete -F _flickrsync flickrsync
`)
}

func (m completionModel) fish(b *strings.Builder) {
	b.WriteString("# fish completion for flickrsync: flickrsync completion fish > ~/.config/fish/completions/flickrsync.fish\n")
	b.WriteString("complete -c flickrsync -f\n")
	var names []string
	for _, c := range m.commands {
		names = append(names, c.Name)
	}
	option := func(cond string, o optionDoc) {
		fmt.Fprintf(b, "complete -c flickrsync")
		if cond != "" {
			fmt.Fprintf(b, " -n %s", fishQuote(cond))
		}
		for _, n := range o.names {
			if len(n) == 1 {
				fmt.Fprintf(b, " -s %s", n)
			} else {
				fmt.Fprintf(b, " -l %s", n)
			}
		}
		switch {
		case o.isBool:
		case valueKind(o) == "file":
			b.WriteString(" -r -F")
		case valueKind(o) == "dir":
			b.WriteString(" -r -a '(__fish_complete_directories)'")
		default:
			b.WriteString(" -r")
		}
		fmt.Fprintf(b, " -d %s\n", fishQuote(o.usage))
	}
	for _, c := range m.commands {
		fmt.Fprintf(b, "complete -c flickrsync -n %s -a %s -d %s\n", fishQuote("not __fish_seen_subcommand_from "+strings.Join(names, " ")),
			c.Name, fishQuote(c.Summary))
	}
	for _, o := range m.global {
		option("", o)
	}
	for _, c := range m.commands {
		cond := "__fish_seen_subcommand_from " + c.Name
		for _, o := range m.own[c.Name] {
			option(cond, o)
		}
		if len(c.Words) > 0 {
			fmt.Fprintf(b, "complete -c flickrsync -n %s -a %s\n", fishQuote(cond), fishQuote(strings.Join(c.Words, " ")))
		}
		if strings.Contains(c.Args, "FILE") {
			fmt.Fprintf(b, "complete -c flickrsync -n %s -F\n", fishQuote(cond))
		}
	}
}

func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func (m completionModel) powershell(b *strings.Builder) {
	b.WriteString("# PowerShell completion for flickrsync: flickrsync completion powershell | Out-String | Invoke-Expression\n")
	b.WriteString("Register-ArgumentCompleter -Native -CommandName flickrsync -ScriptBlock {\n")
	b.WriteString("    param($wordToComplete, $commandAst, $cursorPosition)\n")
	var globals []string
	for _, o := range m.global {
		globals = append(globals, spellings(o)...)
	}
	fmt.Fprintf(b, "    $global = @(%s)\n", psList(globals))
	b.WriteString("    $commands = [ordered]@{\n")
	for _, c := range m.commands {
		var own []string
		for _, o := range m.own[c.Name] {
			own = append(own, spellings(o)...)
		}
		fmt.Fprintf(b, "        %s = @(%s)\n", psQuote(c.Name), psList(append(own, c.Words...)))
	}
	b.WriteString("    }\n")
	b.WriteString(`    $command = $null
    foreach ($e in $commandAst.CommandElements | Select-Object -Skip 1) {
        $t = $e.ToString()
        if ($commands.Contains($t)) { $command = $t; break }
    }
    if ($command) { $candidates = $commands[$command] + $global } else { $candidates = @($commands.Keys) + $global }
    $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`)
}

func psQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func psList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = psQuote(s)
	}
	return strings.Join(q, ", ")
}

func uniq(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
