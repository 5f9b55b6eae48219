package catalog

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLockHelper holds a catalog open for TestLockReleasedByKill until it is killed.
func TestLockHelper(t *testing.T) {
	if os.Getenv("CATALOG_LOCK_HELPER") == "" {
		t.Skip("run by TestLockReleasedByKill")
	}
	c, err := Open(context.Background(), os.Getenv("CATALOG_LOCK_HELPER"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Println("locked")
	select {} // until killed
}

// TestLockReleasedByKill: a process killed with SIGKILL while holding the catalog leaves no
// stale lock behind.
func TestLockReleasedByKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "k.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelper$")
	cmd.Env = append(os.Environ(), "CATALOG_LOCK_HELPER="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.Contains(sc.Text(), "locked") {
	}
	_, err = Open(context.Background(), path)
	var le *LockedError
	if !errors.As(err, &le) || le.PID != cmd.Process.Pid {
		t.Fatalf("open while the child holds it: %v (child pid %d)", err, cmd.Process.Pid)
	}
	cmd.Process.Kill()
	cmd.Wait()
	c, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open after the holder was killed: %v", err)
	}
	c.Close()
}
