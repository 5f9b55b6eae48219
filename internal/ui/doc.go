// Package ui renders what the core reports: the Console every human line goes through (its
// arguments escaped by Sprintf, the one home of that rule; levels for -q, -v and --debug; the
// log file), progress (a redrawn bar on a terminal, plain lines elsewhere), yes/no prompts,
// and byte and duration formatting. Nothing else in flickrsync writes to the terminal on its
// own.
package ui
