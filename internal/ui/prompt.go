package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrNoTerminal means a question had to be asked but nobody can answer it: standard input is
// not a terminal and --noprompt was not given. Callers stop rather than hang.
var ErrNoTerminal = errors.New("a question needs an answer but there is no terminal (use --noprompt to answer yes to every question)")

// Term is where questions are asked.
type Term struct {
	In       io.Reader
	Out      io.Writer
	IsTTY    bool // both ends are a terminal
	NoPrompt bool // --noprompt: every answer is yes
}

// Confirm asks a yes/no question, default no, as the Python flickrsync's query_yes_no did.
func Confirm(ctx context.Context, t Term, question string) (bool, error) {
	if t.NoPrompt {
		return true, nil
	}
	if !t.IsTTY {
		return false, fmt.Errorf("%s: %w", question, ErrNoTerminal)
	}
	fmt.Fprintf(t.Out, "%s [y/N] ", Printable(question))
	a, err := ReadLine(ctx, t.In)
	switch {
	case errors.Is(err, io.EOF):
		fmt.Fprintln(t.Out)
		return false, nil
	case err != nil:
		fmt.Fprintln(t.Out)
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(a)) {
	case "y", "yes":
		return true, nil
	default:
		return false, nil
	}
}

// ReadLine reads one line (without its end) from r, giving up when ctx ends. It reads one
// byte at a time and never past the line's end, so answers typed ahead, or piped in, are
// left for the next question instead of vanishing into a buffer. An empty input gives io.EOF.
func ReadLine(ctx context.Context, r io.Reader) (string, error) {
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		var line []byte
		b := make([]byte, 1)
		for {
			n, err := r.Read(b)
			if n == 1 {
				if b[0] == '\n' {
					break
				}
				line = append(line, b[0])
				if len(line) > 64<<10 {
					ch <- result{err: errors.New("read answer: line too long")}
					return
				}
			}
			if err != nil {
				if errors.Is(err, io.EOF) && len(line) > 0 {
					break
				}
				if !errors.Is(err, io.EOF) {
					err = fmt.Errorf("read answer: %w", err)
				}
				ch <- result{err: err}
				return
			}
		}
		ch <- result{line: strings.TrimSuffix(string(line), "\r")}
	}()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case res := <-ch:
		return res.line, res.err
	}
}
