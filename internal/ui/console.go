package ui

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Level is how much a line matters: -q shows only LevelError, the default up to
// LevelInfo, -v up to LevelVerbose, --debug everything.
type Level int

const (
	LevelError   Level = iota // failures and warnings: always shown
	LevelInfo                 // progress, summaries
	LevelVerbose              // a line per file
	LevelDebug                // every step and every Flickr call
)

// Console is the one writer of human lines (standard error and the log file). Every
// argument of a line is escaped (Sprintf), so a file name or a Flickr title is shown and
// never obeyed, and cannot forge a line of its own. The terminal gets the lines up to its
// level; the log file, when there is one, gets every line up to LogLevel with its time,
// whatever -q says. Lines share the terminal with the progress displays of Screen. A
// Console is safe for concurrent use.
type Console struct {
	out      io.Writer // standard error
	level    Level
	log      io.Writer // nil: no log file
	logLevel Level
	now      func() time.Time
	// Screen is the terminal line the progress displays redraw: a line clears it first.
	Screen *Screen

	mu     sync.Mutex
	logErr error // the first write error of the log file
}

// NewConsole writes to out the lines up to level.
func NewConsole(out io.Writer, level Level) *Console {
	return &Console{out: out, level: level, now: time.Now, Screen: &Screen{}}
}

// SetLog also writes every line up to level to log, each line after its time.
func (c *Console) SetLog(log io.Writer, level Level) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.log, c.logLevel = log, level
}

// Shows reports whether the terminal shows lines of level l.
func (c *Console) Shows(l Level) bool { return l <= c.level }

// Logs reports whether lines of level l go anywhere (the terminal or the log file).
func (c *Console) Logs(l Level) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return l <= c.level || (c.log != nil && l <= c.logLevel)
}

// Errorf writes a failure or a warning; -q shows it too.
func (c *Console) Errorf(format string, args ...any) { c.Printf(LevelError, format, args...) }

// Infof writes a line of the default output.
func (c *Console) Infof(format string, args ...any) { c.Printf(LevelInfo, format, args...) }

// Verbosef writes a line -v shows.
func (c *Console) Verbosef(format string, args ...any) { c.Printf(LevelVerbose, format, args...) }

// Debugf writes a line --debug shows.
func (c *Console) Debugf(format string, args ...any) { c.Printf(LevelDebug, format, args...) }

// Printf writes the lines of Sprintf(format, args...) at level l.
func (c *Console) Printf(l Level, format string, args ...any) {
	c.write(l, Sprintf(format, args...))
}

func (c *Console) write(l Level, text string) {
	text = strings.TrimSuffix(text, "\n")
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.log != nil && l <= c.logLevel && c.logErr == nil {
		stamp := c.now().Format("2006/01/02 15:04:05 ")
		var b strings.Builder
		for _, line := range strings.Split(text, "\n") {
			b.WriteString(stamp + line + "\n")
		}
		if _, err := io.WriteString(c.log, b.String()); err != nil {
			c.logErr = err
		}
	}
	if l <= c.level {
		c.Screen.Println(c.out, text)
	}
}

// LogErr is the first error writing the log file, nil when all went well.
func (c *Console) LogErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.logErr
}

// Writer is an io.Writer whose lines go to the console at level l, escaped as a whole
// (for the Flickr client's debug lines).
func (c *Console) Writer(l Level) io.Writer { return lineWriter{c, l} }

type lineWriter struct {
	c *Console
	l Level
}

func (w lineWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimSuffix(string(p), "\n"), "\n") {
		w.c.write(w.l, Printable(line))
	}
	return len(p), nil
}

// Sprintf is fmt.Sprintf with every string, error and Stringer argument made Printable
// first: the format is flickrsync's own text, the arguments may come from a file name or
// from Flickr. It is the one place human output is escaped.
func Sprintf(format string, args ...any) string {
	safe := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			safe[i] = Printable(v)
		case error:
			safe[i] = Printable(v.Error())
		case fmt.Stringer:
			safe[i] = Printable(v.String())
		case []string:
			s := make([]string, len(v))
			for j, x := range v {
				s[j] = Printable(x)
			}
			safe[i] = s
		default:
			safe[i] = a
		}
	}
	return fmt.Sprintf(format, safe...)
}

// Fprintf writes Sprintf(format, args...) to w (standard output's results).
func Fprintf(w io.Writer, format string, args ...any) error {
	return Write(w, Sprintf(format, args...))
}

// Write writes text made by Sprintf (so already escaped) to w in one write.
func Write(w io.Writer, text string) error {
	if _, err := io.WriteString(w, text); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// Printable replaces the control characters of s (C0, DEL, C1: what could move a
// terminal's cursor or change its state) and invalid UTF-8 with '?', so that a file name
// or a Flickr title is shown, never obeyed.
func Printable(s string) string {
	ok := true
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == utf8.RuneError {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == utf8.RuneError {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}
