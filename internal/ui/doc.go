// Package ui renders what the core reports: progress (a redrawn bar on a terminal, plain
// lines elsewhere), yes/no prompts, and byte and rate formatting. Nothing else in flickrsync
// writes to the terminal on its own.
package ui
