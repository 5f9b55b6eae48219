// Command flickrsync backs a local photo library up to Flickr and keeps the two in sync.
package main

import (
	"os"

	"github.com/flickrsync/flickrsync/internal/cli"
)

func main() {
	// cli.Process owns the run's context (the first Ctrl-C or SIGTERM cancels it, a second
	// quits at once) and maps the run's end to the exit status.
	os.Exit(cli.Process(os.Args[1:]))
}
