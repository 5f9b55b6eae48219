package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestSecondSignalExitsAtOnce: the first SIGINT cancels the run's context, the second
// calls exit with 130 without waiting for the run (a second Ctrl-C was swallowed).
func TestSecondSignalExitsAtOnce(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a process cannot send itself SIGINT on Windows")
	}
	exited := make(chan int, 1)
	ctx, stop := signalContext(io.Discard, func(code int) { exited <- code })
	defer stop()
	self, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if err := self.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the first SIGINT did not cancel the run")
	}
	var se *signalError
	if !errors.As(context.Cause(ctx), &se) {
		t.Fatalf("cause %v, want the signal", context.Cause(ctx))
	}
	select {
	case code := <-exited:
		t.Fatalf("exit(%d) after the first signal", code)
	default:
	}
	if err := self.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-exited:
		if code != ExitInterrupted {
			t.Errorf("exit(%d), want %d", code, ExitInterrupted)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second SIGINT did not exit")
	}
}
