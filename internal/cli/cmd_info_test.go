package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInfo: info names the format as sniffed (not the extension), the kind of signature,
// the dimensions, a duration only when it is known, and says when there is no date to
// match by.
func TestInfo(t *testing.T) {
	dir := t.TempDir()
	pic := filepath.Join(dir, "pixels.heic") // a PNG under a misleading name
	pixels := writeTestPNG(t, pic, 7)
	avi := []byte("RIFF\x10\x00\x00\x00AVI LIST\x04\x00\x00\x00hdrl")
	clip := filepath.Join(dir, "clip.avi")
	if err := os.WriteFile(clip, avi, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errw bytes.Buffer
	code := Main(context.Background(), []string{"info", pic, clip}, Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errw,
		Getenv: func(string) string { return "" }, IsTerminal: func() bool { return false }})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	sum := sha256.Sum256(avi)
	text := out.String()
	for _, want := range []string{
		"format       PNG", "signature    " + pixels, "dimensions   5x3", "date taken   none (matched by signature only)",
		"format       AVI (video)", "signature    " + hex.EncodeToString(sum[:]), "whole file", "duration     unknown",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	if strings.Contains(text, "0 s") {
		t.Errorf("an unknown duration shown as 0 s:\n%s", text)
	}
}
