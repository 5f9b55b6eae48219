package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
)

type authEnv struct {
	// browser is the desktop's browser, nil for none.
	browser func(url string) error
	t       *testing.T
	srv     *emulator.Server
	base    string
	cfg     string
	tok     string // the token file
}

func newAuthEnv(t *testing.T) *authEnv {
	t.Helper()
	srv := emulator.New(emulator.Config{Username: "tester", UserNSID: "12345678@N00", AutoApprove: true, Seed: 3})
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	work := t.TempDir()
	cfg := filepath.Join(work, "config.ini")
	ini := fmt.Sprintf("[DEFAULT]\napi_key = 0123456789abcdef0123456789abcdef\napi_secret = fedcba9876543210\n"+
		"username = tester\ndirectory = %s\ndatabase = %s\n", work, filepath.Join(work, "db"))
	if err := os.WriteFile(cfg, []byte(ini), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := config.Load(config.Options{ConfigPath: cfg, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	return &authEnv{t: t, srv: srv, base: base, cfg: cfg, tok: s.TokenPath()}
}

// run runs flickrsync -c CONFIG auth args... with stdin and a watcher of stderr.
func (a *authEnv) run(stdin io.Reader, stderr io.Writer, args ...string) (int, string) {
	a.t.Helper()
	var out bytes.Buffer
	env := Env{Stdin: stdin, Stdout: &out, Stderr: stderr, IsTerminal: func() bool { return false },
		OpenBrowser: a.browser,
		Getenv: func(k string) string {
			switch k {
			case "FLICKRSYNC_FLICKR_URL":
				return a.base
			case "FLICKRSYNC_PACING":
				return "off"
			case "DISPLAY":
				return ":0"
			}
			return ""
		}}
	code := Main(context.Background(), append([]string{"-c", a.cfg, "auth"}, args...), env)
	return code, out.String()
}

// browse plays the browser: it visits the authorize URL; the emulator approves at once
// and redirects to the callback (or shows the oob code, returned).
func browse(t *testing.T, u string) string {
	resp, err := http.Get(u)
	if err != nil {
		t.Errorf("browser: %v", err)
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := regexp.MustCompile(`<p id="verifier"><span>([0-9-]+)</span>`).FindSubmatch(b); m != nil {
		return string(m[1])
	}
	return ""
}

func (a *authEnv) token() *config.Token {
	a.t.Helper()
	tok, err := config.LoadToken(a.tok)
	if err != nil {
		a.t.Fatal(err)
	}
	return tok
}

func TestAuthBrowserFlowThenStoredToken(t *testing.T) {
	a := newAuthEnv(t)
	var opened []string
	var wg sync.WaitGroup
	a.browser = func(u string) error {
		opened = append(opened, u)
		wg.Add(1)
		go func() { defer wg.Done(); browse(t, u) }()
		return nil
	}
	var errw bytes.Buffer
	code, out := a.run(strings.NewReader(""), &errw)
	wg.Wait()
	if code != 0 || out != "logged in as tester (12345678@N00)\n" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out, errw.String())
	}
	if len(opened) != 1 || !strings.Contains(opened[0], "/services/oauth/authorize?") || !strings.Contains(opened[0], "perms=write") ||
		!strings.Contains(errw.String(), opened[0]) {
		t.Errorf("opened %v; stderr %s", opened, errw.String())
	}
	tok := a.token()
	if tok.UserNSID != "12345678@N00" || tok.Username != "tester" || tok.Perms != "write" || tok.Token == "" || tok.Secret == "" {
		t.Errorf("token %+v", tok)
	}
	if st, err := os.Stat(a.tok); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("token file %v, %v", st, err)
	}
	if strings.Contains(errw.String()+out, tok.Secret) {
		t.Errorf("the token secret was printed")
	}

	// A second run finds the token valid and does not authorise again.
	oauthBefore := a.srv.Calls()["oauth"]
	errw.Reset()
	code, out = a.run(strings.NewReader(""), &errw)
	if code != 0 || out != "logged in as tester (12345678@N00)\n" || a.srv.Calls()["oauth"] != oauthBefore || len(opened) != 1 {
		t.Errorf("second run: exit %d, stdout %q, stderr %s, oauth calls %d -> %d", code, out, errw.String(), oauthBefore, a.srv.Calls()["oauth"])
	}
	if a.token().Token != tok.Token {
		t.Errorf("a valid token was replaced")
	}
}

// stderrWatcher answers the --no-browser prompt: when the authorize URL is printed it
// fetches the page, reads the code and types it on stdin.
type stderrWatcher struct {
	t    *testing.T
	buf  bytes.Buffer
	in   *io.PipeWriter
	done bool
}

func (w *stderrWatcher) Write(p []byte) (int, error) {
	w.buf.Write(p)
	if m := regexp.MustCompile(`http://\S+/services/oauth/authorize\?\S+`).FindString(w.buf.String()); m != "" && !w.done {
		w.done = true
		code := browse(w.t, m)
		go fmt.Fprintf(w.in, "%s\n", code)
	}
	return len(p), nil
}

func TestAuthNoBrowser(t *testing.T) {
	for _, stored := range []string{"none", "rejected", "read"} {
		t.Run(stored, func(t *testing.T) {
			a := newAuthEnv(t)
			switch stored {
			case "rejected":
				config.SaveToken(a.tok, &config.Token{Token: "72157626318069415-0000000000000000", Secret: "0000000000000000", Username: "old"})
			case "read":
				tok, sec := a.srv.IssueToken("read")
				config.SaveToken(a.tok, &config.Token{Token: tok, Secret: sec, Username: "tester"})
			}
			a.browser = func(u string) error { t.Errorf("a browser was opened with --no-browser"); return nil }
			pr, pw := io.Pipe()
			w := &stderrWatcher{t: t, in: pw}
			code, out := a.run(pr, w, "--no-browser")
			if code != 0 || out != "logged in as tester (12345678@N00)\n" {
				t.Fatalf("exit %d, stdout %q, stderr %s", code, out, w.buf.String())
			}
			if !w.done || !strings.Contains(w.buf.String(), "enter the code") {
				t.Errorf("stderr %s", w.buf.String())
			}
			if tok := a.token(); tok.Perms != "write" || tok.Username != "tester" {
				t.Errorf("token %+v", tok)
			}
		})
	}
}

func TestAuthDryRunSavesNothing(t *testing.T) {
	a := newAuthEnv(t)
	a.browser = func(u string) error { t.Errorf("a browser was opened in a dry run"); return nil }
	var errw bytes.Buffer
	code, out := a.run(strings.NewReader(""), &errw, "--dryrun")
	if code != 0 || out != "" || !strings.Contains(errw.String(), "would authorise") || a.srv.Calls()["oauth"] != 0 {
		t.Errorf("exit %d, stdout %q, stderr %s, calls %v", code, out, errw.String(), a.srv.Calls())
	}
	if _, err := os.Stat(a.tok); !os.IsNotExist(err) {
		t.Errorf("a token file exists: %v", err)
	}
}

func TestAuthNeedsCredentials(t *testing.T) {
	a := newAuthEnv(t)
	os.WriteFile(a.cfg, []byte("[DEFAULT]\nusername = tester\n"), 0o600)
	var errw bytes.Buffer
	if code, _ := a.run(strings.NewReader(""), &errw); code != ExitUsage {
		t.Errorf("exit %d without api_key: %s", code, errw.String())
	}
	if code, _ := a.run(strings.NewReader(""), &errw, "extra"); code != ExitUsage {
		t.Errorf("exit %d with an argument", code)
	}
}
