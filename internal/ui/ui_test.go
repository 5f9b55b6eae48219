package ui

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestBytesAndDuration(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{{0, "0 B"}, {999, "999 B"}, {1500, "1.5 KB"}, {12_000_000, "12.0 MB"}, {3_200_000_000, "3.2 GB"}} {
		if got := Bytes(tt.n); got != tt.want {
			t.Errorf("Bytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{{1200 * time.Millisecond, "1.2s"}, {75 * time.Second, "1:15"}, {3723 * time.Second, "1:02:03"}} {
		if got := Duration(tt.d); got != tt.want {
			t.Errorf("Duration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// fakeClock advances by step at every reading.
func fakeClock(step time.Duration) func() time.Time {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(step); return t }
}

func TestProgressPlain(t *testing.T) {
	var out bytes.Buffer
	p := NewProgress(&out, false, "indexing", "file")
	p.now = fakeClock(4 * time.Second)
	p.start = p.now()
	p.lastDraw = p.start
	p.SetTotal(10)
	for i := 0; i < 10; i++ {
		p.Add(1)
	}
	p.Finish()
	p.Finish() // idempotent
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 2 || len(lines) > 6 {
		t.Fatalf("want a few plain lines, got %d:\n%s", len(lines), out.String())
	}
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "indexing 10/10 files (100%)") || !strings.Contains(last, "done in") {
		t.Errorf("last line = %q", last)
	}
	if strings.Contains(out.String(), "\r") {
		t.Error("plain output must not redraw with \\r")
	}
}

func TestProgressTerminal(t *testing.T) {
	var out bytes.Buffer
	p := NewProgress(&out, true, "uploading", "bytes")
	p.now = fakeClock(200 * time.Millisecond)
	p.start = p.now()
	p.SetTotal(2_000_000)
	p.Add(1_000_000)
	p.Add(1_000_000)
	p.Finish()
	s := out.String()
	if !strings.Contains(s, "\ruploading [") || !strings.Contains(s, "2.0 MB/2.0 MB") || !strings.HasSuffix(s, "\n") {
		t.Errorf("terminal output = %q", s)
	}
}

func TestConfirm(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		term  Term
		want  bool
		isErr error
	}{
		{"noprompt", Term{NoPrompt: true}, true, nil},
		{"yes", Term{In: strings.NewReader("y\n"), IsTTY: true}, true, nil},
		{"YES", Term{In: strings.NewReader("YES\n"), IsTTY: true}, true, nil},
		{"default no", Term{In: strings.NewReader("\n"), IsTTY: true}, false, nil},
		{"eof is no", Term{In: strings.NewReader(""), IsTTY: true}, false, nil},
		{"no terminal", Term{In: strings.NewReader("y\n")}, false, ErrNoTerminal},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			tt.term.Out = &out
			got, err := Confirm(ctx, tt.term, "Upload 3 pictures to Flickr?")
			if !errors.Is(err, tt.isErr) || (tt.isErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.isErr)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestConfirmTypedAhead: answers typed ahead (or piped) are one per question, none lost.
func TestConfirmTypedAhead(t *testing.T) {
	in := strings.NewReader("y\nn\r\nyes\n")
	term := Term{In: in, Out: &bytes.Buffer{}, IsTTY: true}
	var got []bool
	for i := 0; i < 4; i++ {
		ok, err := Confirm(context.Background(), term, "again?")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ok)
	}
	if want := []bool{true, false, true, false}; !reflect.DeepEqual(got, want) {
		t.Errorf("answers = %v, want %v", got, want)
	}
}

// TestProgressSharedScreen: two steps running at once take turns on one terminal line;
// each drawing covers all of the other's, and a finished step's line stays.
func TestProgressSharedScreen(t *testing.T) {
	var out bytes.Buffer
	var sc Screen
	long := NewProgressOn(&sc, &out, true, "index local with a long label", "file")
	short := NewProgressOn(&sc, &out, true, "upload", "picture")
	for _, p := range []*Progress{long, short} {
		p.now = fakeClock(200 * time.Millisecond)
		p.start = p.now()
		p.lastDraw = p.start
	}
	long.Add(1)
	short.Add(1)
	draws := strings.Split(out.String(), "\r")
	if len(draws) != 3 {
		t.Fatalf("output %q, want two drawings", out.String())
	}
	if len(draws[2]) < len(draws[1]) {
		t.Errorf("the second drawing %q does not cover the first %q", draws[2], draws[1])
	}
	long.Finish()
	short.Add(1)
	s := out.String()
	last := s[strings.LastIndex(s, "\r")+1:]
	if !strings.Contains(s, "done in") || !strings.Contains(s[:strings.LastIndex(s, "\r")], "\n") || strings.TrimRight(last, " ") != last {
		t.Errorf("after one step ended: %q", s)
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"IMG_0042.jpg":        "IMG_0042.jpg",
		"été à Paris.jpg":     "été à Paris.jpg",
		"evil\x1b[2J\r\n.jpg": "evil?[2J??.jpg",
		"c1\u009b31m.jpg":     "c1?31m.jpg",
		"bad\xffutf8.jpg":     "bad?utf8.jpg",
		"tab\there\x7f":       "tab?here?",
		"":                    "",
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestProgressCutToWidth: on a terminal of known width a line is cut to fit, so that it
// never wraps (a wrapped line cannot be redrawn in place).
func TestProgressCutToWidth(t *testing.T) {
	var out bytes.Buffer
	sc := Screen{Width: 30}
	p := NewProgressOn(&sc, &out, true, "upload", "picture")
	p.now = fakeClock(200 * time.Millisecond)
	p.start = p.now()
	p.lastDraw = p.start
	p.SetDetail(func() string { return "9.8 MB/s · a very long file name indeed.jpg 1.2 MB/3.4 MB" })
	p.Add(1)
	line := strings.TrimPrefix(out.String(), "\r")
	if n := len([]rune(line)); n != 29 || !strings.HasSuffix(line, "…") {
		t.Errorf("line %q (%d characters), want 29 ending with …", line, n)
	}
}
