package ui

import (
	"bufio"
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
	answers := make(chan string, 1)
	errs := make(chan error, 1)
	fmt.Fprintf(t.Out, "%s [y/N] ", question)
	go func() {
		line, err := bufio.NewReader(t.In).ReadString('\n')
		if err != nil && line == "" {
			errs <- err
			return
		}
		answers <- line
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(t.Out)
		return false, ctx.Err()
	case err := <-errs:
		fmt.Fprintln(t.Out)
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		return false, fmt.Errorf("read answer: %w", err)
	case a := <-answers:
		switch strings.ToLower(strings.TrimSpace(a)) {
		case "y", "yes":
			return true, nil
		default:
			return false, nil
		}
	}
}
