package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Process is the flickrsync program: Main with the process's environment and its
// signals. The first SIGINT or SIGTERM cancels the run, which stops promptly and exits
// 130 or 143; a second one exits at once with that status.
func Process(args []string) int {
	return builtins.process(args)
}

func (set commandSet) process(args []string) int {
	ctx, stop := signalContext(os.Stderr, os.Exit)
	defer stop()
	return set.main(ctx, args, StdEnv())
}

// signalContext is a context canceled by the first SIGINT or SIGTERM, its cause the
// signal (a *signalError); the second signal calls exit with its status, without
// waiting for the run to stop.
func signalContext(stderr io.Writer, exit func(int)) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		first := true
		for {
			select {
			case <-done:
				return
			case sig := <-ch:
				if !first {
					exit(exitStatusOf(sig))
					return
				}
				first = false
				fmt.Fprintln(stderr, "flickrsync: stopping (press Ctrl-C again to quit at once)")
				cancel(&signalError{sig})
			}
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}
