package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// withTest is the builtin commands plus throwaway ones, for one test: the builtins are
// never changed, so tests run in parallel.
func withTest(extra ...func() *Command) commandSet {
	set := commandSet{}
	for n, c := range builtins {
		set[n] = c
	}
	for _, c := range extra {
		set[c().Name] = c
	}
	return set
}

// recorder is a test command that records how it was called.
func recorder(name string, legacy bool, runErr error, got *[]string) func() *Command {
	return func() *Command {
		var n int
		return &Command{Name: name, Args: "[ARG...]", Summary: "test command", Legacy: legacy,
			Flags: func(fs *flag.FlagSet) { fs.IntVar(&n, "level", 0, "a value flag") },
			Run: func(ctx context.Context, inv *Invocation) error {
				if got != nil {
					*got = append([]string{}, inv.Args...)
					*got = append(*got, "dryrun="+fmt.Sprint(inv.Global.DryRun), "profile="+inv.Global.Profile)
					if n != 0 {
						*got = append(*got, fmt.Sprintf("level=%d", n))
					}
				}
				return runErr
			}}
	}
}

func runSet(set commandSet, env map[string]string, args ...string) (int, string, string) {
	var out, errw bytes.Buffer
	code := set.main(context.Background(), args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errw,
		Getenv: func(k string) string { return env[k] }, IsTerminal: func() bool { return false }})
	return code, out.String(), errw.String()
}

func run1(args ...string) (int, string, string) { return runSet(builtins, nil, args...) }

func TestCommandLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"plain", []string{"xsync", "a", "b"}, nil, []string{"a", "b", "dryrun=false", "profile="}},
		{"legacy spelling", []string{"--xsync", "--dryrun"}, nil, []string{"dryrun=true", "profile="}},
		{"flags anywhere", []string{"-p", "work", "xsync", "a", "--dry-run", "b"}, nil, []string{"a", "b", "dryrun=true", "profile=work"}},
		{"value flag before command", []string{"--level", "3", "xsync"}, nil, []string{"dryrun=false", "profile=", "level=3"}},
		{"double dash", []string{"xsync", "--", "-file"}, nil, []string{"-file", "dryrun=false", "profile="}},
		{"environment", []string{"xsync"}, map[string]string{"FLICKRSYNC_PROFILE": "env", "FLICKRSYNC_DRYRUN": "1"},
			[]string{"dryrun=true", "profile=env"}},
		{"flag over environment", []string{"-p", "flag", "xsync"}, map[string]string{"FLICKRSYNC_PROFILE": "env"},
			[]string{"dryrun=false", "profile=flag"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			set := withTest(recorder("xsync", true, nil, &got))
			code, _, stderr := runSet(set, tt.env, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	set := withTest(recorder("xok", false, nil, nil), recorder("xpartial", false, ErrPartial, nil),
		recorder("xusage", false, Usagef("bad argument"), nil), recorder("xcanceled", false, context.Canceled, nil),
		func() *Command {
			return &Command{Name: "xnoargs", Summary: "takes no arguments",
				Run: func(context.Context, *Invocation) error { t.Error("Run called with a stray argument"); return nil }}
		})
	tests := []struct {
		args       []string
		code       int
		stderrPart string
	}{
		{[]string{"xok"}, 0, ""},
		{[]string{"xpartial"}, 1, ""},
		{[]string{"xusage"}, 2, "flickrsync: bad argument"},
		{[]string{"xcanceled"}, 130, "interrupted"},
		{[]string{"nosuch"}, 2, `unknown command "nosuch"`},
		{[]string{"sinc"}, 2, `unknown command "sinc"; did you mean sync?`},
		{[]string{"xok", "--nosuchflag"}, 2, `unknown option --nosuchflag for xok; see 'flickrsync help xok'`},
		{[]string{"xok", "-nosuchflag"}, 2, `unknown option -nosuchflag for xok`},
		{[]string{"xok", "--levle", "3"}, 2, `unknown option --levle for xok; did you mean --level?`},
		{[]string{"xok", "--level", "x"}, 2, `invalid value "x" for --level`},
		{[]string{"xok", "--level"}, 2, `--level needs a value`},
		{[]string{}, 2, "Usage: flickrsync"},
		{[]string{"--help"}, 0, ""},
		{[]string{"help", "xok"}, 0, ""},
		{[]string{"--xok"}, 2, "unknown option --xok; see 'flickrsync --help'"}, // not a legacy spelling
		{[]string{"--bogus", "-p", "x"}, 2, "unknown option --bogus"},           // not hidden behind "no command given"
		{[]string{"-p", "x"}, 2, "no command given"},
		{[]string{"xnoargs", "stray"}, 2, `xnoargs takes no arguments (got "stray")`},
		{[]string{"sync2", "--identifymissing"}, 2, "--identifymissing is for sync"},
		{[]string{"xok", "-q", "-v"}, 2, "-q cannot go with -v"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runSet(set, nil, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderrPart) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.stderrPart)
			}
		})
	}
}

// TestEnvironmentValuesChecked: a bad value in a FLICKRSYNC_ variable is refused, naming
// the variable.
func TestEnvironmentValuesChecked(t *testing.T) {
	t.Parallel()
	code, _, stderr := runSet(withTest(recorder("xok", false, nil, nil)), map[string]string{"FLICKRSYNC_DEBUG": "sometimes"}, "xok")
	if code != ExitUsage || !strings.Contains(stderr, `FLICKRSYNC_DEBUG="sometimes": not a valid value`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestHelpGroupsSpellings(t *testing.T) {
	t.Parallel()
	code, out, _ := run1("--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"  -c, --config FILE ", "  --dryrun, --dry-run ", "  -l, --directory DIRECTORY ",
		"  -v, --verbose ", "  -q, --quiet ", "  --log-file FILE ", "  --version ",
		"FLICKRSYNC_PROFILE=work", "Exit status:\n  0 ", "\n  3    Flickr or the network", "\n  143  terminated"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "same as") {
		t.Errorf("aliases must be folded into their option's line:\n%s", out)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"version"}, {"--version"}, {"sync", "--version"}} {
		code, out, stderr := run1(args...)
		if code != 0 || !strings.HasPrefix(out, "flickrsync ") || !strings.Contains(out, "- go: go1.") ||
			!strings.Contains(out, "- os/arch: ") || !strings.Contains(out, "- commit: ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, stderr)
		}
	}
}

// TestNestedMainKeepsOptions: a command that runs another through Main (as demo runs sync2)
// still sees its own options afterwards.
func TestNestedMainKeepsOptions(t *testing.T) {
	t.Parallel()
	var after bool
	var set commandSet
	set = withTest(recorder("xinner", false, nil, nil), func() *Command {
		var keep bool
		return &Command{Name: "xouter", Summary: "outer",
			Flags: func(fs *flag.FlagSet) { fs.BoolVar(&keep, "keep", false, "keep") },
			Run: func(ctx context.Context, inv *Invocation) error {
				if code := set.main(ctx, []string{"xinner", "--level", "2"}, inv.Env); code != 0 {
					t.Errorf("nested run: exit %d", code)
				}
				after = keep
				return nil
			}}
	})
	if code, _, stderr := runSet(set, nil, "xouter", "--keep"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !after {
		t.Error("the nested Main reset the outer command's --keep")
	}
}

// TestMainIsReentrant: runs at the same time keep their options apart.
func TestMainIsReentrant(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]string{}
	set := withTest(func() *Command {
		var n int
		return &Command{Name: "xlevel", Args: "ID", Summary: "records its level",
			Flags: func(fs *flag.FlagSet) { fs.IntVar(&n, "level", 0, "a value flag") },
			Run: func(ctx context.Context, inv *Invocation) error {
				mu.Lock()
				defer mu.Unlock()
				seen[inv.Args[0]] = fmt.Sprint(n)
				return nil
			}}
	})
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runSet(set, nil, "xlevel", fmt.Sprint(i), "--level", fmt.Sprint(i))
		}()
	}
	wg.Wait()
	for i := 0; i < 20; i++ {
		if got := seen[fmt.Sprint(i)]; got != fmt.Sprint(i) {
			t.Errorf("run %d saw level %q", i, got)
		}
	}
}
