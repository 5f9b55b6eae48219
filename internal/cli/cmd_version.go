package cli

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is the release this binary is, when the build said so
// (-ldflags "-X github.com/flickrsync/flickrsync/internal/cli.version=v1.2.3"); otherwise
// the module's version from the build information ("(devel)" in a checkout).
var version = ""

func init() {
	register(func() *Command {
		return &Command{Name: "version",
			Summary: "print the version, commit, Go version and OS/arch (what a bug report needs)",
			Run: func(ctx context.Context, inv *Invocation) error {
				return printVersion(inv.Stdout)
			}}
	})
}

// printVersion writes what a bug report needs: the version, the commit it was built
// from (and whether the tree had changes), the Go version and the OS and architecture.
func printVersion(w io.Writer) error {
	v, commit, when, modified := version, "", "", false
	info, ok := debug.ReadBuildInfo()
	if ok {
		if v == "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "(unknown)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "flickrsync %s\n", v)
	switch {
	case commit == "":
		fmt.Fprintf(&b, "- commit: unknown (built without version control information)\n")
	default:
		fmt.Fprintf(&b, "- commit: %s", commit)
		if when != "" {
			fmt.Fprintf(&b, " (%s)", when)
		}
		if modified {
			b.WriteString(", with uncommitted changes")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "- go: %s\n- os/arch: %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	_, err := io.WriteString(w, b.String())
	return err
}
