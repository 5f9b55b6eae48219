package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runSignatureCmd(args ...string) (int, string, string) {
	var out, errw bytes.Buffer
	code := Main(context.Background(), append([]string{"signature"}, args...), Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errw,
		Getenv: func(string) string { return "" }, IsTerminal: func() bool { return false }})
	return code, out.String(), errw.String()
}

// writeTestPNG writes a small RGBA PNG (it has a transparent pixel, so it stays RGBA) and
// returns the SHA-256 of its pixels as ImageMagick exports them: the NRGBA bytes.
func writeTestPNG(t *testing.T, path string, seed uint8) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 5, 3))
	for y := 0; y < 3; y++ {
		for x := 0; x < 5; x++ {
			img.SetNRGBA(x, y, color.NRGBA{R: seed + uint8(x*40), G: uint8(y * 70), B: seed ^ 0x5a, A: uint8(255 - x*60)})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(img.Pix)
	return hex.EncodeToString(sum[:])
}

func TestSignatureCommand(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.png"), filepath.Join(dir, "b.png")
	sigA, sigB := writeTestPNG(t, a, 1), writeTestPNG(t, b, 2)
	bad := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(bad, []byte("not a picture at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.png")
	sub := filepath.Join(dir, "folder")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string // substrings, one per stderr line, in order
	}{
		{"all good, argument order", []string{b, a, b}, 0,
			[]string{sigB + "  " + b, sigA + "  " + a, sigB + "  " + b}, nil},
		{"failures are reported and skipped", []string{bad, a, sub, missing, b}, 1,
			[]string{sigA + "  " + a, sigB + "  " + b},
			[]string{"flickrsync: " + bad + ": unknown format",
				"flickrsync: " + sub + ": is a directory",
				"flickrsync: " + missing + ": open: no such file",
				"flickrsync: some files failed"}},
		{"pixel limit", []string{"--max-pixels", "14", a}, 1, nil,
			[]string{"flickrsync: " + a + ": png: image is 5x3, over the 14 pixel limit", "flickrsync: some files failed"}},
		{"pixel limit met", []string{a, "--max-pixels=15"}, 0, []string{sigA + "  " + a}, nil},
		{"no file", nil, 2, nil, []string{"flickrsync: signature: no FILE given"}},
		{"negative limit", []string{"--max-pixels", "-1", a}, 2, nil, []string{"must not be negative"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runSignatureCmd(tt.args...)
			if code != tt.code {
				t.Errorf("exit status %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			var gotOut []string
			if stdout != "" {
				gotOut = strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			}
			if strings.Join(gotOut, "\n") != strings.Join(tt.stdout, "\n") {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, strings.Join(tt.stdout, "\n"))
			}
			errLines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if len(tt.stderr) == 0 && stderr != "" {
				t.Errorf("unexpected stderr %q", stderr)
			}
			if len(tt.stderr) > 0 && len(errLines) != len(tt.stderr) {
				t.Fatalf("stderr has %d lines, want %d:\n%s", len(errLines), len(tt.stderr), stderr)
			}
			for i, want := range tt.stderr {
				if !strings.Contains(errLines[i], want) {
					t.Errorf("stderr line %d = %q, want it to contain %q", i+1, errLines[i], want)
				}
			}
		})
	}
}
