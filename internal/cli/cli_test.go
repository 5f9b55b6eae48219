package cli

import (
	"bytes"
	"context"
	"flag"
	"reflect"
	"strings"
	"testing"
)

// testCommand registers a throwaway command that records how it was called.
func testCommand(t *testing.T, name string, legacy bool, runErr error) *[]string {
	t.Helper()
	var got []string
	var n int
	Register(&Command{Name: name, Args: "[ARG...]", Summary: "test command", Legacy: legacy,
		SetFlags: func(fs *flag.FlagSet) { fs.IntVar(&n, "level", 0, "a value flag") },
		Run: func(ctx context.Context, inv *Invocation) error {
			got = append([]string{}, inv.Args...)
			got = append(got, "dryrun="+boolString(inv.Global.DryRun), "profile="+inv.Global.Profile)
			if n != 0 {
				got = append(got, "level")
			}
			return runErr
		}})
	t.Cleanup(func() { delete(commands, name) })
	return &got
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func run1(args ...string) (int, string, string) {
	var out, errw bytes.Buffer
	code := Main(context.Background(), args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errw,
		Getenv: func(string) string { return "" }, IsTerminal: func() bool { return false }})
	return code, out.String(), errw.String()
}

func TestCommandLine(t *testing.T) {
	got := testCommand(t, "xsync", true, nil)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"plain", []string{"xsync", "a", "b"}, []string{"a", "b", "dryrun=false", "profile="}},
		{"legacy spelling", []string{"--xsync", "--dryrun"}, []string{"dryrun=true", "profile="}},
		{"flags anywhere", []string{"-p", "work", "xsync", "a", "--dry-run", "b"}, []string{"a", "b", "dryrun=true", "profile=work"}},
		{"value flag before command", []string{"--level", "3", "xsync"}, []string{"dryrun=false", "profile=", "level"}},
		{"double dash", []string{"xsync", "--", "-file"}, []string{"-file", "dryrun=false", "profile="}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			*got = nil
			code, _, stderr := run1(tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got %q, want %q", *got, tt.want)
			}
		})
	}
}

func TestExitCodes(t *testing.T) {
	testCommand(t, "xok", false, nil)
	testCommand(t, "xpartial", false, ErrPartial)
	testCommand(t, "xusage", false, Usagef("bad argument"))
	testCommand(t, "xcanceled", false, context.Canceled)
	Register(&Command{Name: "xnoargs", Summary: "takes no arguments",
		Run: func(context.Context, *Invocation) error { t.Error("Run called with a stray argument"); return nil }})
	t.Cleanup(func() { delete(commands, "xnoargs") })
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
		{[]string{"xok", "--nosuchflag"}, 2, "flag provided but not defined"},
		{[]string{}, 2, "Usage: flickrsync"},
		{[]string{"--help"}, 0, ""},
		{[]string{"help", "xok"}, 0, ""},
		{[]string{"--xok"}, 2, "no command given"}, // not a legacy spelling
		{[]string{"xnoargs", "stray"}, 2, `xnoargs takes no arguments (got "stray")`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := run1(tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderrPart) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.stderrPart)
			}
		})
	}
}

func TestHelpGroupsSpellings(t *testing.T) {
	code, out, _ := run1("--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"  -c, --config FILE ", "  --dryrun, --dry-run ", "  -l, --directory DIRECTORY "} {
		if !strings.Contains(out, want) {
			t.Errorf("--help lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "same as") {
		t.Errorf("aliases must be folded into their option's line:\n%s", out)
	}
}

// TestNestedMainKeepsOptions: a command that runs another through Main (as demo runs sync2)
// still sees its own options afterwards.
func TestNestedMainKeepsOptions(t *testing.T) {
	var keep bool
	var after bool
	Register(&Command{Name: "xinner", Summary: "inner", Run: func(context.Context, *Invocation) error { return nil }})
	Register(&Command{Name: "xouter", Summary: "outer",
		SetFlags: func(fs *flag.FlagSet) { fs.BoolVar(&keep, "keep", false, "keep") },
		Run: func(ctx context.Context, inv *Invocation) error {
			if code := Main(ctx, []string{"xinner"}, inv.Env); code != 0 {
				t.Errorf("nested run: exit %d", code)
			}
			after = keep
			return nil
		}})
	t.Cleanup(func() { delete(commands, "xinner"); delete(commands, "xouter") })
	if code, _, stderr := run1("xouter", "--keep"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !after {
		t.Error("the nested Main reset the outer command's --keep")
	}
}
