package ui

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/flickrsync/flickrsync/internal/words"
)

// Progress shows the advance of one step. On a terminal it redraws one line at most ten
// times a second; elsewhere (logs, pipes, CI) it prints a plain line at most every
// plainEvery and a last line at Finish. It is safe for concurrent use.
type Progress struct {
	mu         sync.Mutex
	w          io.Writer
	tty        bool
	label      string
	unit       string // the singular: "file", "picture", "bytes" (shown in KB, MB...)
	total      int64  // 0 = unknown
	done       int64
	start      time.Time
	lastDraw   time.Time
	screen     *Screen
	detail     func() string // more to show on a terminal, nil for nothing
	finished   bool
	stopped    bool // finished without being done
	now        func() time.Time
	plainEvery time.Duration
}

// Screen is the terminal line progress displays redraw. Displays of steps that run at
// the same time share one: they take turns on the line, each covering all of what the
// other drew, and never write at the same moment.
type Screen struct {
	// Width is the terminal's width in columns (0: unknown): a longer line is cut, since
	// a line that wraps can no longer be redrawn in place.
	Width int
	mu    sync.Mutex
	width int // in characters, of what the line shows now
}

// Println prints s on a line of its own on a terminal where progress displays redraw a
// line: the line is cleared first, and the displays draw again below it.
func (sc *Screen) Println(w io.Writer, s string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.width > 0 {
		fmt.Fprintf(w, "\r%s\r", strings.Repeat(" ", sc.width))
		sc.width = 0
	}
	fmt.Fprintln(w, s)
}

// NewProgress starts a progress display for one step, counting unit (the singular:
// "file"); unit "bytes" is shown in KB/MB/GB.
func NewProgress(w io.Writer, tty bool, label, unit string) *Progress {
	return NewProgressOn(&Screen{}, w, tty, label, unit)
}

// NewProgressOn is NewProgress for a display sharing its terminal line with others.
func NewProgressOn(s *Screen, w io.Writer, tty bool, label, unit string) *Progress {
	p := &Progress{w: w, tty: tty, label: label, unit: unit, now: time.Now, plainEvery: 10 * time.Second, screen: s}
	p.start = p.now()
	p.lastDraw = p.start
	return p
}

// SetTotal sets (or corrects) how much work the step has.
func (p *Progress) SetTotal(n int64) {
	p.mu.Lock()
	p.total = n
	p.mu.Unlock()
}

// SetDetail gives what the line shows after the counts on a terminal (the transfers in
// flight, say); detail is called at every drawing, with the display's lock held.
func (p *Progress) SetDetail(detail func() string) {
	p.mu.Lock()
	p.detail = detail
	p.mu.Unlock()
}

// Add records n more units done (0 redraws a terminal's line when it is due, to show
// the detail move).
func (p *Progress) Add(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	now := p.now()
	switch {
	case p.finished:
	case p.tty && now.Sub(p.lastDraw) >= 100*time.Millisecond:
		p.draw(now)
	case !p.tty && now.Sub(p.lastDraw) >= p.plainEvery:
		p.lastDraw = now
		fmt.Fprintln(p.w, p.line(now))
	}
}

// Finish draws the final state, "done", and ends the line.
func (p *Progress) Finish() { p.end(false) }

// Stop draws the state the step stopped at, without saying it is done (the run failed
// or was interrupted), and ends the line.
func (p *Progress) Stop() { p.end(true) }

func (p *Progress) end(stopped bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.finished, p.stopped = true, stopped
	now := p.now()
	if p.tty {
		p.drawLine(p.line(now), true)
		return
	}
	fmt.Fprintln(p.w, p.line(now))
}

func (p *Progress) draw(now time.Time) {
	p.lastDraw = now
	p.drawLine(p.line(now), false)
}

// drawLine redraws the screen's line with s (ending it when end is set: the next
// drawing starts a new line).
func (p *Progress) drawLine(s string, end bool) {
	if p.detail != nil && !end {
		if d := p.detail(); d != "" {
			s += " · " + d
		}
	}
	p.screen.mu.Lock()
	defer p.screen.mu.Unlock()
	s = cut(s, p.screen.Width-1)
	cols := utf8.RuneCountInString(s)
	pad := ""
	if n := p.screen.width - cols; n > 0 {
		pad = strings.Repeat(" ", n)
	}
	p.screen.width = cols
	nl := ""
	if end {
		nl, p.screen.width = "\n", 0
	}
	fmt.Fprintf(p.w, "\r%s%s%s", s, pad, nl)
}

// line is the text of one progress report: label, bar, counts, rate and time left.
func (p *Progress) line(now time.Time) string {
	elapsed := now.Sub(p.start)
	var b strings.Builder
	b.WriteString(p.label)
	if p.total > 0 {
		frac := float64(p.done) / float64(p.total)
		if frac > 1 {
			frac = 1
		}
		if p.tty {
			const width = 24
			filled := int(frac * width)
			b.WriteString(" [")
			b.WriteString(strings.Repeat("=", filled))
			if filled < width {
				b.WriteString(">")
				b.WriteString(strings.Repeat(" ", width-filled-1))
			}
			b.WriteString("]")
		}
		fmt.Fprintf(&b, " %s/%s%s (%d%%)", p.amount(p.done), p.amount(p.total), p.unitName(), int(frac*100))
	} else {
		if p.unit == "bytes" {
			fmt.Fprintf(&b, " %s", p.amount(p.done))
		} else {
			fmt.Fprintf(&b, " %s", words.Count(int(p.done), p.unit))
		}
	}
	if secs := elapsed.Seconds(); secs >= 0.5 && p.done > 0 {
		rate := float64(p.done) / secs
		if p.unit != "bytes" && rate < 10 {
			fmt.Fprintf(&b, ", %.1f/s", rate) // a slow step would show 0/s
		} else {
			fmt.Fprintf(&b, ", %s/s", p.amount(int64(rate)))
		}
		if p.total > p.done && rate > 0 {
			left := time.Duration(float64(p.total-p.done) / rate * float64(time.Second))
			fmt.Fprintf(&b, ", %s left", Duration(left))
		}
	}
	switch {
	case p.stopped:
		fmt.Fprintf(&b, ", stopped after %s", Duration(elapsed))
	case p.finished:
		fmt.Fprintf(&b, ", done in %s", Duration(elapsed))
	}
	return b.String()
}

// cut shortens s to n characters (n < 1: no limit), marking the cut with "…".
func cut(s string, n int) string {
	if n < 1 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func (p *Progress) amount(n int64) string {
	if p.unit == "bytes" {
		return Bytes(n)
	}
	return fmt.Sprint(n)
}

// unitName is what follows a count of the total: " pictures" ("" for bytes).
func (p *Progress) unitName() string {
	if p.unit == "bytes" {
		return ""
	}
	return " " + words.Noun(int(p.total), p.unit)
}

// Bytes formats a byte count for people: 999 B, 1.5 KB, 12.0 MB (powers of 1000, as rclone
// and most file managers show transfer sizes).
func Bytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTP"[exp])
}

// Duration formats a duration as h:mm:ss, m:ss or 1.2s.
func Duration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	s := int64(d.Round(time.Second) / time.Second)
	if s < 3600 {
		return fmt.Sprintf("%d:%02d", s/60, s%60)
	}
	return fmt.Sprintf("%d:%02d:%02d", s/3600, (s/60)%60, s%60)
}
