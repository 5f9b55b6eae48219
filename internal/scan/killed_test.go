package scan

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
)

// TestScanKilledHelper is the scan run in a child process by TestScanKilled: each decode
// appends a line to $SCAN_KILL_LOG, then waits a little so the parent can kill it midway.
func TestScanKilledHelper(t *testing.T) {
	if os.Getenv("SCAN_KILL_HELPER") != "1" {
		t.Skip("run by TestScanKilled")
	}
	cat, err := catalog.Open(context.Background(), os.Getenv("SCAN_KILL_DB"))
	if err != nil {
		t.Fatal(err)
	}
	log, err := os.OpenFile(os.Getenv("SCAN_KILL_LOG"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSigner{}
	signer := func(ctx context.Context, r io.ReaderAt, size int64, name string) (Signed, error) {
		s, err := f.sign(ctx, r, size, name)
		fmt.Fprintln(log, "decoded")
		time.Sleep(20 * time.Millisecond)
		return s, err
	}
	Run(context.Background(), Config{FS: DirFS(os.Getenv("SCAN_KILL_ROOT")), Catalog: cat, Signer: signer, BatchSize: 5})
	t.Fatal("the helper was not killed")
}

// TestScanKilled kills a scan (SIGKILL) midway, then scans again: the second scan decodes
// exactly the files whose results were not committed, and at most one batch plus the
// decodes in flight were lost.
func TestScanKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	e := newEnv(t)
	const n = 80
	for i := 0; i < n; i++ {
		e.write(fmt.Sprintf("d%d/p%03d.jpg", i%4, i), fmt.Sprintf("content %d", i))
	}
	dbPath := e.cat.Path()
	e.cat.Close()
	logPath := filepath.Join(t.TempDir(), "decodes.log")
	cmd := exec.Command(os.Args[0], "-test.run=^TestScanKilledHelper$", "-test.v")
	cmd.Env = append(os.Environ(), "SCAN_KILL_HELPER=1", "SCAN_KILL_DB="+dbPath,
		"SCAN_KILL_LOG="+logPath, "SCAN_KILL_ROOT="+e.root)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait for 30 decodes, then kill.
	for {
		b, _ := os.ReadFile(logPath)
		if strings.Count(string(b), "\n") >= 30 {
			break
		}
		if cmd.ProcessState != nil {
			t.Fatal("helper ended early")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	b, _ := os.ReadFile(logPath)
	childDecodes := strings.Count(string(b), "\n")

	cat, err := catalog.Open(context.Background(), dbPath) // takes over the dead child's lock
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	e.cat = cat
	committed := len(e.live())
	if committed == 0 || committed > childDecodes {
		t.Fatalf("%d rows committed after %d decodes", committed, childDecodes)
	}
	s := e.scan()
	if !s.Complete || s.Seen != n || s.Unchanged != committed || s.Decoded != n-committed {
		t.Errorf("after the kill: %d committed; second scan %+v", committed, s)
	}
	// Lost: the decodes not committed: at most one batch (5) plus the files in flight
	// (one being decoded per worker, two per worker queued for the writer).
	if lost := childDecodes - committed; lost > 5+3*e.workers() {
		t.Errorf("%d decodes lost by the kill", lost)
	}
	if len(e.live()) != n {
		t.Errorf("%d rows, want %d", len(e.live()), n)
	}
}
