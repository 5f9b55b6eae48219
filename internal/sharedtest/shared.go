package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvVar names the environment variable that overrides where the shared material is.
const EnvVar = "FLICKRSYNC_SHARED"

// RequireVar names CI's switch: when it is "1", a test that would skip because the shared
// material or a reference tool is absent fails instead, so that CI cannot pass without
// proving what the README claims. A clone elsewhere leaves it unset and its tests skip.
const RequireVar = "FLICKRSYNC_REQUIRE_SHARED"

// Required reports whether CI's switch is on.
func Required() bool { return os.Getenv(RequireVar) == "1" }

// Absent skips t with the message, or fails it when CI's switch is on: the one place a
// test gives up for want of ../shared or a reference tool.
func Absent(t testing.TB, format string, args ...any) {
	t.Helper()
	if Required() {
		t.Fatalf(format+" (%s=1: required)", append(args, RequireVar)...)
	}
	t.Skipf(format, args...)
}

// Lookup finds the shared material: $FLICKRSYNC_SHARED when set, else "shared" beside the
// directory holding go.mod (found by walking up from the working directory). ok reports
// whether that directory exists; dir is the place looked at (for messages), "" when no
// go.mod was found above the working directory.
func Lookup() (dir string, ok bool) {
	if d := os.Getenv(EnvVar); d != "" {
		return d, isDir(d)
	}
	root := moduleRoot()
	if root == "" {
		return "", false
	}
	s := filepath.Join(filepath.Dir(root), "shared")
	return s, isDir(s)
}

// moduleRoot is the directory holding go.mod at or above the working directory, "" when
// there is none.
func moduleRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Dir returns the shared directory, or skips the test with a message saying where it
// was looked for.
func Dir(t testing.TB) string {
	t.Helper()
	d, ok := Lookup()
	switch {
	case ok:
		return d
	case os.Getenv(EnvVar) != "":
		Absent(t, "shared material absent: %s=%s is not a directory", EnvVar, d)
	case d == "":
		Absent(t, "shared material absent: no go.mod above the working directory (set %s)", EnvVar)
	default:
		Absent(t, "shared material absent at %s (set %s)", d, EnvVar)
	}
	return ""
}

// Path joins elem to the shared directory (skipping t when it is absent). It does not
// check that the file exists: callers decide whether a missing file skips or fails.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{Dir(t)}, elem...)...)
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
