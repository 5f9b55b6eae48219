// Command flickrsync backs a local photo library up to Flickr and keeps the two in sync.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/flickrsync/flickrsync/internal/cli"
)

func main() {
	// The one context of the run: Ctrl-C or SIGTERM cancels it, every I/O path honours it,
	// and cli.Main maps the cancellation to exit status 130.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.StdEnv())
	stop()
	os.Exit(code)
}
