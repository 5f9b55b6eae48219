package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
)

func init() {
	register(func() *Command {
		return &Command{Name: "man",
			Summary: "print the manual page (roff), made from this help: flickrsync man > flickrsync.1",
			Run: func(ctx context.Context, inv *Invocation) error {
				return builtins.writeMan(inv.Stdout)
			}}
	})
}

// writeMan writes the manual page in roff (man(7)), from the text --help shows: the
// commands' summaries and options, the global options, the environment, the exit status.
func (set commandSet) writeMan(w io.Writer) error {
	var b strings.Builder
	b.WriteString(".TH FLICKRSYNC 1 \"\" \"flickrsync\" \"User Commands\"\n")
	b.WriteString(".SH NAME\nflickrsync \\- back a local photo library up to Flickr and keep the two in sync\n")
	b.WriteString(".SH SYNOPSIS\n.B flickrsync\n[\\fIoptions\\fR] \\fICOMMAND\\fR [\\fIarguments\\fR]\n")
	fmt.Fprintf(&b, ".SH DESCRIPTION\n%s\n.PP\n%s\n", roff(helpIntro), roff(helpLegacy))
	b.WriteString(".SH COMMANDS\n")
	for _, c := range set.sorted() {
		fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", roff(strings.TrimPrefix(usageLine(c), "flickrsync [options] ")), roff(c.Summary))
		if opts := commandOptions(c); len(opts) > 0 {
			b.WriteString(".RS\n")
			manOptions(&b, opts)
			b.WriteString(".RE\n")
		}
	}
	b.WriteString(".SH GLOBAL OPTIONS\n")
	manOptions(&b, globalOptions())
	fmt.Fprintf(&b, ".SH ENVIRONMENT\n%s\n", roff(helpEnvironment))
	for _, o := range globalOptions() {
		if name := envName(o); name != "" {
			fmt.Fprintf(&b, ".TP\n.B %s\nas %s\n", name, roff(strings.Join(spellings(o), ", ")))
		}
	}
	b.WriteString(".TP\n.B FLICKRSYNC_FLICKR_URL\nthe profile key flickr_url: every Flickr endpoint on one host (an emulator)\n")
	b.WriteString(".TP\n.B FLICKRSYNC_PACING\nthe profile key pacing: off calls an emulator as fast as it answers\n")
	b.WriteString(".TP\n.B FLICKRSYNC_UPLOAD_GRACE\nhow long an unconfirmed upload of an earlier run may still land on Flickr before its picture is sent again (a Go duration, default 10m)\n")
	exit := strings.SplitN(helpExit, "\n", 2)
	fmt.Fprintf(&b, ".SH EXIT STATUS\n")
	for _, line := range strings.Split(exit[1], "\n") {
		if code, text, ok := strings.Cut(strings.TrimSpace(line), " "); ok && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "     ") {
			fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", code, roff(strings.TrimSpace(text)))
		} else {
			fmt.Fprintf(&b, "%s\n", roff(strings.TrimSpace(line)))
		}
	}
	b.WriteString(".SH FILES\n.TP\n.I ~/.flickrsync/config.ini\nthe profiles (INI sections): api_key, api_secret, username, directory, database, and flickrsync's own keys\n")
	b.WriteString(".TP\n.I ~/.flickrsync/tokens/PROFILE.json\neach profile's access token, mode 0600\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func manOptions(b *strings.Builder, opts []optionDoc) {
	for _, o := range opts {
		var spell []string
		for _, s := range spellings(o) {
			spell = append(spell, `\fB`+roff(s)+`\fR`)
		}
		left := strings.Join(spell, ", ")
		if o.valueName != "" {
			left += ` \fI` + roff(o.valueName) + `\fR`
		}
		fmt.Fprintf(b, ".TP\n%s\n%s\n", left, roff(o.fullUsage()))
	}
}

// roff escapes text for a roff line: backslashes, dashes (so that options are not
// hyphenated), and a leading dot or quote that would start a request.
func roff(s string) string {
	s = strings.NewReplacer(`\`, `\e`, "-", `\-`).Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			lines[i] = `\&` + l
		}
	}
	return strings.Join(lines, "\n")
}
