package cli

// End-to-end tests of what a user meets at the edges: exit statuses and their messages,
// the conventions of a command line (environment, verbosity, log file, completion, man
// page, config show), failed files that stay visible, and the wording of the summary. Each
// is named after what was wrong before.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/syncer"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
	"github.com/flickrsync/flickrsync/internal/ui"
)

// closedURL is a loopback URL nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func (e *e2e) writeConfig(extra string) {
	e.t.Helper()
	ini := fmt.Sprintf("[DEFAULT]\napi_key = 0123456789abcdef0123456789abcdef\napi_secret = fedcba9876543210\n"+
		"username = tester\ndirectory = %s\ndatabase = %s\n%s", e.lib, e.db, extra)
	if err := os.WriteFile(e.cfg, []byte(ini), 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// TestFailingRunsExitStatusAndOneCause: a run Flickr refuses, or cannot be reached, used
// to print "index flickr 0 photos, done" and "Summary: nothing to do", then the error,
// and exit 1 whatever the cause. Now each cause has its status and one line that says
// what to check, without HTML or a repeated prefix, and no summary that looks like success.
func TestFailingRunsExitStatusAndOneCause(t *testing.T) {
	tests := []struct {
		name  string
		setup func(e *e2e)
		args  []string
		code  int
		want  string
	}{
		{"wrong api_secret", func(e *e2e) { e.writeConfig(""); e.rewrite("fedcba9876543210", "0000000000000000") },
			[]string{"sync", "--noprompt"}, ExitUsage, "check api_secret in CONFIG [DEFAULT]"},
		{"wrong api_key", func(e *e2e) { e.rewrite("0123456789abcdef0123456789abcdef", "ffffffffffffffffffffffffffffffff") },
			[]string{"sync", "--noprompt"}, ExitUsage, "check api_key in CONFIG [DEFAULT]"},
		{"token revoked", func(e *e2e) {
			s, _ := config.Load(config.Options{ConfigPath: e.cfg, Getenv: func(string) string { return "" }})
			config.SaveToken(s.TokenPath(), &config.Token{Token: "72157626318069415-0000000000000000", Secret: "0000000000000000"})
		}, []string{"sync", "--noprompt"}, ExitUsage, "re-authorise with 'flickrsync auth'"},
		{"Flickr unreachable", func(e *e2e) { e.env = map[string]string{"FLICKRSYNC_FLICKR_URL": closedURL(e.t)} },
			[]string{"sync", "--noprompt"}, ExitUnreachable, "Flickr could not be reached: check the account: flickr.test.login: "},
		{"Flickr failing", func(e *e2e) { e.srv.SetFaults(emulator.FaultConfig{HTTPErrorRate: 1}) },
			[]string{"sync", "--noprompt"}, ExitUnreachable, "(gave up after 5 attempts)"},
		{"invalid Flickr URL", func(e *e2e) { e.env = map[string]string{"FLICKRSYNC_FLICKR_URL": "not-a-url"} },
			[]string{"sync", "--noprompt"}, ExitUsage, `FLICKRSYNC_FLICKR_URL: "not-a-url" is not an http:// or https:// URL`},
		{"invalid flickr_url in the profile", func(e *e2e) {
			e.writeConfig("flickr_url = 127.0.0.1:8383\n")
			e.env = map[string]string{"FLICKRSYNC_FLICKR_URL": ""}
		}, []string{"sync", "--noprompt"}, ExitUsage, `flickr_url in CONFIG [DEFAULT]: "127.0.0.1:8383" is not`},
		{"no catalog", func(e *e2e) {}, []string{"status"}, ExitUsage, "no catalog at DB: run 'flickrsync index' first"},
		{"not a catalog", func(e *e2e) { os.WriteFile(e.db, bytes.Repeat([]byte("not SQLite "), 500), 0o644) },
			[]string{"sync", "--noprompt"}, ExitUsage, "(check database in CONFIG [DEFAULT], or -d)"},
		{"not a catalog, -d", func(e *e2e) { os.WriteFile(e.db, bytes.Repeat([]byte("not SQLite "), 500), 0o644) },
			[]string{"-d", "DB", "index"}, ExitUsage, "(check -d, or FLICKRSYNC_DATABASE)"},
		{"--transfers 0", func(e *e2e) {}, []string{"sync", "--noprompt", "--transfers", "0"}, ExitUsage,
			`--transfers: must be a number from 1 to 64, got "0"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newE2E(t)
			e.pic("a.jpg", sample.Picture{Seed: 1})
			tt.setup(e)
			for i, a := range tt.args {
				tt.args[i] = strings.ReplaceAll(a, "DB", e.db)
			}
			start := time.Now()
			code, _, errs := e.run(tt.args...)
			want := strings.NewReplacer("CONFIG", e.cfg, "DB", e.db).Replace(tt.want)
			if code != tt.code || !strings.Contains(errs, want) {
				t.Errorf("exit %d, stderr:\n%s\nwant %d and %q", code, errs, tt.code, want)
			}
			for _, bad := range []string{"Summary", "nothing to do", "done in", "<html", "flickrsync: flickrsync:", "index flickr: index flickr"} {
				if strings.Contains(errs, bad) {
					t.Errorf("stderr holds %q:\n%s", bad, errs)
				}
			}
			if n := strings.Count(errs, "\nflickrsync: ") + strings.Count("\n"+errs, "\nflickrsync: "); n > 2 {
				t.Errorf("more than one error line:\n%s", errs)
			}
			if tt.name == "invalid Flickr URL" && time.Since(start) > 2*time.Second {
				t.Errorf("an invalid URL took %v: retried instead of refused", time.Since(start))
			}
			if len(e.srv.Photos()) != 0 {
				t.Errorf("something was uploaded")
			}
		})
	}
}

// rewrite replaces old with new in the config file.
func (e *e2e) rewrite(old, new string) {
	e.t.Helper()
	b, err := os.ReadFile(e.cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(e.cfg, bytes.ReplaceAll(b, []byte(old), []byte(new)), 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// TestWrongAuthCodeGivesAdvice: a mistyped code used to end with a bare
// "oauth refused (HTTP 401): verifier_invalid".
func TestWrongAuthCodeGivesAdvice(t *testing.T) {
	a := newAuthEnv(t)
	var errw bytes.Buffer
	code, _ := a.run(strings.NewReader("111-222-333\n"), &errw, "--no-browser")
	if code != ExitUsage || !strings.Contains(errw.String(), `Flickr refused the code "111-222-333"`) ||
		!strings.Contains(errw.String(), "run 'flickrsync auth' again") {
		t.Errorf("exit %d, stderr:\n%s", code, errw.String())
	}
}

// TestUnknownConfigKeyNamed: a mistyped key was ignored silently.
func TestUnknownConfigKeyNamed(t *testing.T) {
	e := newE2E(t)
	e.writeConfig("is_publik = 1\n")
	e.pic("a.jpg", sample.Picture{Seed: 2})
	_, _, errs := e.run("index")
	if want := `warning: config ` + e.cfg + ` [DEFAULT]: unknown key "is_publik", ignored (did you mean is_public?)`; !strings.Contains(errs, want) {
		t.Errorf("stderr lacks %q:\n%s", want, errs)
	}
}

// TestEnvironmentSetsGlobalOptions: FLICKRSYNC_CONFIG, FLICKRSYNC_PROFILE and
// FLICKRSYNC_<OPTION>, under the command line, over the config file.
func TestEnvironmentSetsGlobalOptions(t *testing.T) {
	e := newE2E(t)
	e.writeConfig("\n[other]\ndirectory = " + filepath.Join(e.work, "Other") + "\n")
	other := filepath.Join(e.work, "Other")
	os.MkdirAll(other, 0o755)
	var out, errw bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errw, IsTerminal: func() bool { return false },
		Getenv: func(k string) string {
			return map[string]string{"HOME": e.work, "FLICKRSYNC_CONFIG": e.cfg, "FLICKRSYNC_PROFILE": "other",
				"FLICKRSYNC_DATABASE": filepath.Join(e.work, "env.db")}[k]
		}}
	if code := Main(context.Background(), []string{"config", "show"}, env); code != 0 {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	for _, want := range []string{showRow("config", e.cfg), showRow("profile", "other"), showRow("directory", other+" "),
		showRow("database", filepath.Join(e.work, "env.db")+" "), "environment (FLICKRSYNC_DATABASE)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("config show lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := Main(context.Background(), []string{"-d", filepath.Join(e.work, "flag.db"), "config", "show"}, env); code != 0 {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	if !strings.Contains(out.String(), "flag.db") || !strings.Contains(out.String(), "command line") {
		t.Errorf("the command line does not win over the environment:\n%s", out.String())
	}
}

// TestConfigShowMasksSecrets: the effective settings, never a secret.
func TestConfigShowMasksSecrets(t *testing.T) {
	e := newE2E(t)
	s, err := config.Load(config.Options{ConfigPath: e.cfg, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := config.LoadToken(s.TokenPath())
	if err != nil {
		t.Fatal(err)
	}
	out := e.mustRun("config", "show")
	for _, secret := range []string{"fedcba9876543210", tok.Token, tok.Secret, "0123456789abcdef0123456789abcdef"} {
		if strings.Contains(out, secret) {
			t.Errorf("config show prints a secret %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{showRow("api_key", "0123…cdef"), showRow("api_secret", "******** (set)"), showRow("token", "******** (set)"),
		showRow("token user", "tester (12345678@N00), write access"), showRow("transfers", "4 "), "default"} {
		if !strings.Contains(out, want) {
			t.Errorf("config show lacks %q:\n%s", want, out)
		}
	}
}

// showRow is the start of config show's line of key: the key's column, then the value.
func showRow(key, value string) string { return fmt.Sprintf("%-18s %s", key, value) }

// TestConfigShowNewKeys: what is backed up and how (exclude, default_excludes,
// follow_symlinks, privacy, replace) is shown as a run reads it, with where it comes from.
func TestConfigShowNewKeys(t *testing.T) {
	e := newE2E(t)
	e.writeConfig("exclude = raw/\n  *.tmp\ndefault_excludes = no\nreplace = yes\n" +
		"privacy = ** private\n  family/ friends,family\n")
	out := e.mustRun("config", "show")
	for _, want := range []string{showRow("exclude", "raw/; *.tmp "), showRow("default_excludes", "no "),
		showRow("follow_symlinks", "yes "), showRow("replace", "yes "),
		showRow("privacy", "** private; family/ friends,family ")} {
		if !strings.Contains(out, want) {
			t.Errorf("config show lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`(?m)^replace .* config$`).MatchString(out) {
		t.Errorf("config show does not say replace comes from the config:\n%s", out)
	}
}

// TestVerbosityAndLogFile: -q prints only errors, -v a line per file, --log-file keeps
// the lines of -v with their time whatever the terminal shows.
func TestVerbosityAndLogFile(t *testing.T) {
	e := newE2E(t)
	e.pic("a/one.jpg", sample.Picture{Seed: 3})
	e.pic("a/two.jpg", sample.Picture{Seed: 4})
	os.WriteFile(filepath.Join(e.lib, "broken.jpg"), []byte("not a picture"), 0o644)
	log := filepath.Join(e.work, "run.log")
	code, out, errs := e.run("-q", "--log-file", log, "sync", "--noprompt")
	if code != ExitFailed || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "index local failed: broken.jpg") || lines[1] != "flickrsync: some files failed (each is named above)" {
		t.Errorf("-q printed more than the errors:\n%s", errs)
	}
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"upload done: a/one.jpg: uploaded as ", "upload done: a/two.jpg", "index local failed: broken.jpg",
		`photoset "a": created with 2 photos`, "Summary:", " flickrsync: some files failed"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("log lacks %q:\n%s", want, b)
		}
	}
	if !regexp.MustCompile(`(?m)^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d `).Match(b) {
		t.Errorf("log lines carry no time:\n%s", b)
	}
	e.pic("a/three.jpg", sample.Picture{Seed: 5})
	_, _, errs = e.run("-v", "sync", "--noprompt")
	if !strings.Contains(errs, "upload done: a/three.jpg: uploaded as ") || !strings.Contains(errs, `photoset "a": updated: 3 photos (was 2)`) {
		t.Errorf("-v shows no line per file:\n%s", errs)
	}
}

// TestEventsToStandardOutput: --events - wrote a file named "-".
func TestEventsToStandardOutput(t *testing.T) {
	e := newE2E(t)
	e.pic("a.jpg", sample.Picture{Seed: 6})
	for _, dry := range []bool{true, false} {
		args := []string{"sync", "--noprompt", "--events", "-"}
		if dry {
			args = append(args, "--dryrun")
		}
		code, out, errs := e.run(args...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		want := map[bool]string{true: "planned", false: "done"}[dry]
		var ev eventLine
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if err := json.Unmarshal([]byte(line), &ev); err != nil {
				t.Fatalf("stdout is not JSON lines: %q: %v", line, err)
			}
			if ev.Step == string(syncer.StepUpload) && (ev.Subject != "a.jpg" || ev.Outcome != want || ev.DryRun != dry) {
				t.Errorf("event %+v, want a.jpg %s", ev, want)
			}
		}
		if dry && !strings.Contains(errs, "upload: a.jpg: would upload") {
			t.Errorf("the plan is not on standard error:\n%s", errs)
		}
	}
	if _, err := os.Stat(filepath.Join(e.work, "-")); err == nil {
		t.Errorf("a file named - was written")
	}
}

// TestEventsWriteErrorReported: a full disk under --events was ignored.
func TestEventsWriteErrorReported(t *testing.T) {
	var errw bytes.Buffer
	inv := &Invocation{Env: Env{Stdout: &errw, Stderr: &errw, IsTerminal: func() bool { return false }},
		Global: &GlobalOptions{}, Out: ui.NewConsole(&errw, ui.LevelInfo)}
	er := &engineRun{inv: inv, rep: newReporter(inv), closeCat: func() error { return nil }}
	er.rep.events = &eventWriter{name: "events.jsonl", w: failingWriter{}}
	rep := syncer.NewReport()
	ev := syncer.Event{Step: syncer.StepUpload, Subject: "a.jpg", Outcome: syncer.Done, Detail: "uploaded as 1"}
	rep.Record(ev)
	er.rep.Event(ev)
	err := er.finish(context.Background(), rep, nil, false)
	if err == nil || !strings.Contains(err.Error(), "--events events.jsonl: no space left on device") {
		t.Errorf("finish = %v", err)
	}
	if code, _ := classify(context.Background(), err, inv); code != ExitFailed {
		t.Errorf("exit %d", code)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("no space left on device") }

// TestHostileNamesEscaped: a file name holding a newline and an escape sequence forged a
// line of the summary and drove the terminal; its exact bytes are in --events.
func TestHostileNamesEscaped(t *testing.T) {
	e := newE2E(t)
	name := "evil\nupload: fake.jpg: done\x1b[2J\xff.jpg"
	if err := os.WriteFile(filepath.Join(e.lib, name), []byte("not a picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	events := filepath.Join(e.work, "events.jsonl")
	code, out, errs := e.run("-v", "sync", "--noprompt", "--events", events)
	if code != ExitFailed {
		t.Fatalf("exit %d", code)
	}
	for _, line := range strings.Split(out+errs, "\n") {
		if strings.HasPrefix(line, "upload: fake.jpg") || strings.ContainsAny(line, "\x1b\xff") {
			t.Errorf("a name drives the output: %q", line)
		}
	}
	if !strings.Contains(errs, "evil?upload: fake.jpg: done?[2J?.jpg") {
		t.Errorf("the name is not shown escaped:\n%s", errs)
	}
	b, err := os.ReadFile(events)
	if err != nil {
		t.Fatal(err)
	}
	var ev eventLine
	if err := json.Unmarshal(bytes.TrimSpace(b), &ev); err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(ev.SubjectBytes)
	if string(raw) != name {
		t.Errorf("subject_bytes %q, want the name's bytes %q", raw, name)
	}
}

// TestWordingCountsAndPlurals: "1 new copies", "Upload 1 pictures", "would create (1
// photos)", "56 of 56 pictures are on Flickr" counting copies, "index flickr 16 photos"
// for an account of 8.
func TestWordingCountsAndPlurals(t *testing.T) {
	e := newE2E(t)
	e.pic("solo/a.jpg", sample.Picture{Seed: 7})
	e.pic("solo/copy of a.jpg", sample.Picture{Seed: 7})
	_, out, errs := e.run("sync", "--dryrun")
	for _, want := range []string{"photosets: solo: would create (1 photo)"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{"library: 2 media files; 1 new, 1 new copy,", "upload:               1 planned, 1 skipped",
		"on Flickr: 0 of 1 picture (in 2 files: 1 is a copy of another file, never uploaded)"} {
		if !strings.Contains(errs, want) {
			t.Errorf("summary lacks %q:\n%s", want, errs)
		}
	}
	var asked bytes.Buffer
	env := Env{Stdin: strings.NewReader("y\ny\n"), Stdout: &asked, Stderr: &asked, IsTerminal: func() bool { return true },
		Getenv: func(k string) string {
			return map[string]string{"FLICKRSYNC_FLICKR_URL": e.base, "FLICKRSYNC_PACING": "off", "HOME": e.work}[k]
		}}
	if code := Main(context.Background(), []string{"-c", e.cfg, "sync"}, env); code != 0 {
		t.Fatalf("exit %d: %s", code, asked.String())
	}
	for _, want := range []string{"Upload 1 picture to Flickr? [y/N]", "Create 1 photoset on Flickr? [y/N]",
		`photoset "solo": created with 1 photo`, "on Flickr: 1 of 1 picture (in 2 files"} {
		if !strings.Contains(asked.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, asked.String())
		}
	}
	// An account of 3 photos, all changed since the last listing: listed twice, counted once.
	e.seed("x", sample.Picture{Seed: 8}, true)
	e.seed("y", sample.Picture{Seed: 9}, true)
	_, _, errs = e.run("sync", "--noprompt", "--nophotosets")
	if !strings.Contains(errs, "index flickr 3 photos, done") {
		t.Errorf("index flickr counts listings, not photos:\n%s", errs)
	}
}

// TestFailedFilesStayVisible: corrupt files failed the first run (exit 1), then vanished
// from later summaries (exit 0) and no command listed them.
func TestFailedFilesStayVisible(t *testing.T) {
	e := newE2E(t)
	e.pic("good.jpg", sample.Picture{Seed: 10})
	for _, n := range []string{"bad1.jpg", "sub/bad2.jpg", "bad3.png"} {
		os.MkdirAll(filepath.Dir(filepath.Join(e.lib, n)), 0o755)
		os.WriteFile(filepath.Join(e.lib, n), []byte("truncated"), 0o644)
	}
	if code, _, _ := e.run("sync", "--noprompt"); code != ExitFailed {
		t.Fatalf("first run: exit %d, want 1", code)
	}
	code, _, errs := e.run("sync", "--noprompt")
	if code != 0 || !strings.Contains(errs, "Known failures: 3 files still fail to decode, as in earlier runs") ||
		!strings.Contains(errs, "flickrsync status --failed") {
		t.Errorf("second run: exit %d, stderr:\n%s", code, errs)
	}
	out := e.mustRun("status", "--failed")
	for _, want := range []string{"decode  bad1.jpg: ", "decode  bad3.png: ", "decode  sub/bad2.jpg: "} {
		if !strings.Contains(out, want) {
			t.Errorf("status --failed lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "good.jpg") {
		t.Errorf("status --failed lists a good file:\n%s", out)
	}
	var st struct {
		Failures []catalog.Failure `json:"failures"`
	}
	if err := json.Unmarshal([]byte(e.mustRun("status", "--json")), &st); err != nil || len(st.Failures) != 3 || st.Failures[0].Kind != catalog.ErrorDecode {
		t.Errorf("status --json failures %+v, %v", st.Failures, err)
	}
	// Fixed or deleted, a file leaves the list.
	os.Remove(filepath.Join(e.lib, "bad1.jpg"))
	e.pic("bad3.png", sample.Picture{Seed: 11, PNG: true})
	e.mustRun("sync", "--noprompt")
	if out := e.mustRun("status", "--failed"); strings.Contains(out, "bad1") || strings.Contains(out, "bad3") || !strings.Contains(out, "sub/bad2.jpg") {
		t.Errorf("after a fix and a deletion:\n%s", out)
	}
}

// TestPhotosetsWithoutTerminalNothingToChange: photosets with no terminal exited 2 even
// when nothing would change; it asks only when something would.
func TestPhotosetsWithoutTerminalNothingToChange(t *testing.T) {
	e := newE2E(t)
	e.pic("a/x.jpg", sample.Picture{Seed: 12})
	e.mustRun("sync", "--noprompt")
	if code, _, errs := e.run("photosets"); code != 0 {
		t.Errorf("nothing to change: exit %d: %s", code, errs)
	}
	os.Rename(filepath.Join(e.lib, "a"), filepath.Join(e.lib, "b"))
	e.mustRun("index")
	if code, _, errs := e.run("photosets"); code != ExitUsage || !strings.Contains(errs, "--noprompt") {
		t.Errorf("a change to ask about: exit %d: %s", code, errs)
	}
}

// TestOneLockPolicy: a second index waited for the catalog while a second sync refused
// at once; every command that writes the catalog now waits the same, then gives up.
func TestOneLockPolicy(t *testing.T) {
	e := newE2E(t)
	e.pic("a.jpg", sample.Picture{Seed: 13})
	holder, err := catalog.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	e.wait = 300 * time.Millisecond
	for _, args := range [][]string{{"index"}, {"sync", "--noprompt"}, {"rebase", "--noprompt"}} {
		start := time.Now()
		code, _, errs := e.run(args...)
		took := time.Since(start)
		want := fmt.Sprintf("is in use by another flickrsync (pid %d); waiting up to 300ms for it...", os.Getpid())
		if code != ExitFailed || !strings.Contains(errs, want) || !strings.Contains(errs, "(waited 300ms)") || took < 300*time.Millisecond {
			t.Errorf("%v: exit %d after %v, stderr:\n%s", args, code, took, errs)
		}
	}
}

// TestCompletionScripts: each shell's script knows every command and every option; the
// bash one completes as it should.
func TestCompletionScripts(t *testing.T) {
	for _, sh := range shells {
		out := mustMain(t, "completion", sh)
		for _, c := range builtins.sorted() {
			if !strings.Contains(out, c.Name) {
				t.Errorf("%s script lacks the command %s", sh, c.Name)
			}
			for _, o := range append(commandOptions(c), globalOptions()...) {
				for _, n := range o.names {
					if !strings.Contains(out, n) {
						t.Errorf("%s script lacks the option %s", sh, n)
					}
				}
			}
		}
	}
	script := filepath.Join(t.TempDir(), "flickrsync.bash")
	os.WriteFile(script, []byte(mustMain(t, "completion", "bash")), 0o644)
	complete := func(line string) string {
		words := strings.Fields(line)
		if strings.HasSuffix(line, " ") {
			words = append(words, "")
		}
		q := make([]string, len(words))
		for i, w := range words {
			q[i] = fmt.Sprintf("%q", w)
		}
		prog := fmt.Sprintf(`source %q; COMP_WORDS=(%s); COMP_CWORD=%d; _flickrsync; echo "${COMPREPLY[*]}"`,
			script, strings.Join(q, " "), len(words)-1)
		b, err := exec.Command("bash", "-c", prog).CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v: %s", err, b)
		}
		return strings.TrimSpace(string(b))
	}
	for line, want := range map[string]string{
		"flickrsync sy":                    "sync sync2",
		"flickrsync sync --trans":          "--transfers",
		"flickrsync -p work sync2 --nod":   "--nodatematch",
		"flickrsync completion ":           "bash zsh fish powershell",
		"flickrsync --log-":                "--log-file",
		"flickrsync status --fa":           "--failed",
		"flickrsync --dryrun photosets -q": "-q",
	} {
		if got := complete(line); got != want {
			t.Errorf("%q completes to %q, want %q", line, got, want)
		}
	}
}

// TestManPageCoversEverything: the man page is made from the help: every command, every
// option, every environment variable and exit status.
func TestManPageCoversEverything(t *testing.T) {
	man := mustMain(t, "man")
	unroff := strings.NewReplacer(`\-`, "-", `\fB`, "", `\fR`, "", `\fI`, "", `\e`, `\`, `\&`, "").Replace(man)
	for _, c := range builtins.sorted() {
		if !strings.Contains(unroff, ".B "+c.Name) || !strings.Contains(unroff, c.Summary) {
			t.Errorf("man page lacks the command %s", c.Name)
		}
		for _, o := range append(commandOptions(c), globalOptions()...) {
			if !strings.Contains(unroff, o.spelled()) || !strings.Contains(unroff, o.fullUsage()) {
				t.Errorf("man page lacks the option %s", o.spelled())
			}
			if name := envName(o); name != "" && commandOptions(c) == nil && !strings.Contains(unroff, name) {
				t.Errorf("man page lacks %s", name)
			}
		}
	}
	for _, want := range []string{".SH EXIT STATUS", ".B 130", ".B 143", ".B 3\n", "FLICKRSYNC_LOG_FILE", ".SH ENVIRONMENT"} {
		if !strings.Contains(unroff, want) {
			t.Errorf("man page lacks %q", want)
		}
	}
	if _, err := exec.LookPath("man"); err == nil {
		page := filepath.Join(t.TempDir(), "flickrsync.1")
		os.WriteFile(page, []byte(man), 0o644)
		cmd := exec.Command("man", "--warnings", "-l", page)
		cmd.Env = append(os.Environ(), "MANPAGER=cat", "MANWIDTH=100")
		if out, err := cmd.CombinedOutput(); err != nil || strings.Contains(string(out), "warning") {
			t.Errorf("man -l: %v\n%s", err, out)
		}
	}
}

func mustMain(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := run1(args...)
	if code != 0 {
		t.Fatalf("flickrsync %v: exit %d: %s", args, code, errs)
	}
	return out
}
