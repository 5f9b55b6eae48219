package sharedtest

import (
	"bytes"
	"os/exec"
	"testing"
)

// Tool returns the path of a reference tool (identify, djpeg, exiftool, python3...),
// skipping t when it is not installed, or failing it under CI's switch (Required): the
// tools are what .ci/run installs, so their absence there is a broken CI, not a skip.
// pkg names the Debian package that provides it, for the message.
func Tool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Absent(t, "reference tool %s absent (Debian package %s)", name, pkg)
	}
	return p
}

// Identify returns the path of ImageMagick 6.9.11's identify, the reference the Python
// flickrsync used (through Wand): absent or another version skips t, or fails it under
// CI's switch.
func Identify(t testing.TB) string {
	t.Helper()
	p := Tool(t, "identify", "imagemagick")
	out, _ := exec.Command(p, "-version").Output()
	if !bytes.Contains(out, []byte("ImageMagick 6.9.11")) {
		Absent(t, "identify is not ImageMagick 6.9.11, the reference: %s", bytes.SplitN(out, []byte("\n"), 2)[0])
	}
	return p
}
