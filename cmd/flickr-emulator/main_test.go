package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// start runs the command with args and returns its base URL and a function stopping it
// (which fails the test unless it exits 0).
func start(t *testing.T, args ...string) (base string, stopped func()) {
	t.Helper()
	pr, pw := io.Pipe()
	stop := make(chan os.Signal, 1)
	done := make(chan int, 1)
	var stderr strings.Builder
	go func() {
		done <- run(append([]string{"--listen", "127.0.0.1:0", "--api-key", "0123456789abcdef0123456789abcdef",
			"--api-secret", "s", "--user", "demo", "--auto-approve"}, args...), pw, &stderr, stop)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("first line: %v (stderr %s)", err, stderr.String())
	}
	host, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on http://")
	if !ok || strings.HasSuffix(host, ":0") {
		t.Fatalf("first line %q", line)
	}
	go io.Copy(io.Discard, pr)
	return "http://" + host, func() {
		stop <- os.Interrupt
		if code := <-done; code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
	}
}

func get(t *testing.T, method, u string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(b)
}

const echo = "/services/rest?method=flickr.test.echo&api_key=0123456789abcdef0123456789abcdef&foo=bar"

func TestRun(t *testing.T) {
	state := t.TempDir()
	base, stop := start(t, "--state", state)
	if _, b := get(t, "GET", base+echo); !strings.Contains(b, "<foo>bar</foo>") {
		t.Fatalf("echo: %s", b)
	}
	stop()
	if _, err := os.Stat(filepath.Join(state, "state.json")); err != nil {
		t.Fatalf("state not written: %v", err)
	}
}

// TestHelp: --help is answered on stdout with exit status 0 (it was 2, as for a mistake).
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}} {
		var out, errb strings.Builder
		if code := run(args, &out, &errb, nil); code != 0 || !strings.Contains(out.String(), "usage: flickr-emulator") ||
			!strings.Contains(out.String(), "-api-key") || errb.Len() != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out.String(), errb.String())
		}
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

func TestControl(t *testing.T) {
	t.Run("off by default", func(t *testing.T) {
		base, stop := start(t)
		defer stop()
		for _, p := range []string{"/emulator/calls", "/emulator/calls/reset"} {
			if code, _ := get(t, "GET", base+p); code != http.StatusNotFound {
				t.Fatalf("%s without --control: %d", p, code)
			}
		}
	})
	t.Run("--control", func(t *testing.T) {
		base, stop := start(t, "--control")
		defer stop()
		calls := func() map[string]int {
			code, b := get(t, "GET", base+"/emulator/calls")
			var m map[string]int
			if err := json.Unmarshal([]byte(b), &m); code != 200 || err != nil {
				t.Fatalf("calls: %d %q: %v", code, b, err)
			}
			return m
		}
		for i := 0; i < 3; i++ {
			get(t, "GET", base+echo)
		}
		get(t, "GET", base+"/photos/65535/1_abc_o.jpg")
		if got := calls(); !reflect.DeepEqual(got, map[string]int{"flickr.test.echo": 3, "download": 1}) {
			t.Fatalf("calls %v", got)
		}
		if code, _ := get(t, "GET", base+"/emulator/calls/reset"); code != http.StatusMethodNotAllowed {
			t.Fatalf("GET reset: %d", code)
		}
		if code, _ := get(t, "POST", base+"/emulator/calls/reset"); code != http.StatusNoContent {
			t.Fatalf("POST reset: %d", code)
		}
		get(t, "GET", base+echo)
		if got := calls(); !reflect.DeepEqual(got, map[string]int{"flickr.test.echo": 1}) {
			t.Fatalf("calls after reset %v", got)
		}
	})
}

func TestHelpDocumentsControl(t *testing.T) {
	var out, errb strings.Builder
	if code := run([]string{"--help"}, &out, &errb, nil); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"--control", "GET  /emulator/calls", "POST /emulator/calls/reset"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("help lacks %q:\n%s", want, out.String())
		}
	}
}
