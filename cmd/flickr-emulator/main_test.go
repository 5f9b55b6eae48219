package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	state := t.TempDir()
	pr, pw := io.Pipe()
	stop := make(chan os.Signal, 1)
	done := make(chan int, 1)
	var stderr strings.Builder
	go func() {
		done <- run([]string{"--listen", "127.0.0.1:0", "--api-key", "0123456789abcdef0123456789abcdef",
			"--api-secret", "s", "--user", "demo", "--auto-approve", "--state", state}, pw, &stderr, stop)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("first line: %v (stderr %s)", err, stderr.String())
	}
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on http://")
	if !ok || strings.HasSuffix(base, ":0") {
		t.Fatalf("first line %q", line)
	}
	resp, err := http.Get("http://" + base + "/services/rest?method=flickr.test.echo&api_key=0123456789abcdef0123456789abcdef&foo=bar")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "<foo>bar</foo>") {
		t.Fatalf("echo: %s", b)
	}
	go io.Copy(io.Discard, pr)
	stop <- os.Interrupt
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(state, "state.json")); err != nil {
		t.Fatalf("state not written: %v", err)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"--nope"}, {"extra"}, {"--tz", "Nowhere/Void"}} {
		var out, errb strings.Builder
		if code := run(args, &out, &errb, nil); code != 2 || out.Len() != 0 {
			t.Fatalf("%v: exit %d, stdout %q", args, code, out.String())
		}
	}
}
