package sharedtest

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// A small manifest in the format of corpus/manifest.tsv, its columns in another order
// than the real one and with a column the reader does not know, to show they are found
// by name.
const testHeader = "category\tfile\texpect\tbytes\tformat\twidth\theight\tdepth\ttype\tcolorspace\t" +
	"sampling\tinterlace\talpha\tdatetimeoriginal\tim6_exif_datetimeoriginal\torientation\t" +
	"im6_signature\twand_signature\tim6_exit\tim6_stderr_first_line\tsource\tlicence\tnotes"

var testRows = []string{
	"jpeg-420\tcam__a.jpg\tabc123\t1234\tJPEG\t640\t480\t8\tTrueColor\tsRGB\t2x2,1x1,1x1\tNone\tFalse\t" +
		"2019:06:01 10:00:00\t2019:06:01 10:00:00\t6\tabc123\tabc123\t0\t\tdebian:x=1\tGPL-2+\tfirst",
	"png-error\tlib__b.png\tERROR\t77\t\t\t\t\t\t\t\t\t\t\t\t\tERROR\te3b0\t1\tidentify: bad `b.png'\tnpm:y\tMIT\t",
	"png-16bit-alpha\tgo-testdata__c d.png\tfeed\t99999999999\tPNG\t1\t2\t16\tTrueColorAlpha\tsRGB\t\tPNG\tTrue\t" +
		"\t\t\tfeed\tfeed\t0\t\tgo-testdata\tBSD-3-Clause\t",
}

func TestParseManifest(t *testing.T) {
	dir := filepath.Join("some", "corpus")
	rows, err := ParseManifest(strings.NewReader(testHeader+"\n"+strings.Join(testRows, "\n")+"\n"), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []CorpusRow{
		{File: "cam__a.jpg", Category: "jpeg-420", Expect: "abc123", Bytes: 1234, Format: "JPEG",
			Width: 640, Height: 480, Depth: 8, Type: "TrueColor", Colorspace: "sRGB", Sampling: "2x2,1x1,1x1",
			Interlace: "None", DateTimeOriginal: "2019:06:01 10:00:00", IM6ExifDateTimeOriginal: "2019:06:01 10:00:00",
			Orientation: 6, IM6Signature: "abc123", WandSignature: "abc123", Source: "debian:x=1", Licence: "GPL-2+", dir: dir},
		{File: "lib__b.png", Category: "png-error", Expect: "ERROR", Bytes: 77, IM6Signature: "ERROR",
			WandSignature: "e3b0", IM6Exit: 1, IM6StderrFirstLine: "identify: bad `b.png'", Source: "npm:y", Licence: "MIT", dir: dir},
		{File: "go-testdata__c d.png", Category: "png-16bit-alpha", Expect: "feed", Bytes: 99999999999, Format: "PNG",
			Width: 1, Height: 2, Depth: 16, Type: "TrueColorAlpha", Colorspace: "sRGB", Interlace: "PNG", Alpha: true,
			IM6Signature: "feed", WandSignature: "feed", Source: "go-testdata", Licence: "BSD-3-Clause", dir: dir},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(rows[i], want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, rows[i], want[i])
		}
	}
	for i, wantsError := range []bool{false, true, false} {
		if got := rows[i].WantsError(); got != wantsError {
			t.Errorf("row %d WantsError %v, want %v", i, got, wantsError)
		}
	}
	if got, want := rows[2].Path(), filepath.Join("some", "corpus", "files", "go-testdata__c d.png"); got != want {
		t.Errorf("Path %q, want %q", got, want)
	}
}

func TestParseManifestErrors(t *testing.T) {
	without := func(col string) string {
		var kept []string
		for _, c := range strings.Split(testHeader, "\t") {
			if c != col {
				kept = append(kept, c)
			}
		}
		return strings.Join(kept, "\t")
	}
	// replace sets column col of the first test row.
	replace := func(col, v string) string {
		names := strings.Split(testHeader, "\t")
		fields := strings.Split(testRows[0], "\t")
		for i, n := range names {
			if n == col {
				fields[i] = v
			}
		}
		return strings.Join(fields, "\t")
	}
	for _, tc := range []struct {
		name, input, want string
	}{
		{"empty", "", "no header line"},
		{"missing column", without("im6_exif_datetimeoriginal") + "\n", "lacks column(s) im6_exif_datetimeoriginal"},
		{"missing columns", strings.Replace(without("expect"), "licence", "license", 1) + "\n", "lacks column(s) expect, licence"},
		{"positional header", "c1\tc2\tc3\tc4\tc5\tc6\tc7\tc8\tc9\tc10\tc11\tc12\tc13\tc14\tc15\tc16\tc17\tc18\tc19\tc20\tc21\tc22\n", "lacks column(s) file, category, expect"},
		{"duplicate column", testHeader + "\tfile\n", `column "file" twice`},
		{"short row", testHeader + "\n" + testRows[1] + "\ncam__z.jpg\tjpeg\n", "line 3: 2 fields, header has 23"},
		{"long row", testHeader + "\n" + testRows[0] + "\textra\n", "line 2: 24 fields, header has 23"},
		{"bytes not a number", testHeader + "\n" + replace("bytes", "12k") + "\n", "line 2: column bytes"},
		{"bytes empty", testHeader + "\n" + replace("bytes", "") + "\n", "line 2: column bytes"},
		{"width not a number", testHeader + "\n" + replace("width", "wide") + "\n", "line 2: column width"},
		{"bad alpha", testHeader + "\n" + replace("alpha", "yes") + "\n", `column alpha: not True, False or empty: "yes"`},
		{"bad exit", testHeader + "\n" + replace("im6_exit", "") + "\n", "line 2: column im6_exit"},
		{"empty file", testHeader + "\n" + replace("file", "") + "\n", "line 2: empty file name"},
		{"duplicate file", testHeader + "\n" + testRows[0] + "\n" + testRows[1] + "\n" + testRows[0] + "\n", "line 4: cam__a.jpg already on line 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := ParseManifest(strings.NewReader(tc.input), "c")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("rows %d, error %v; want one containing %q", len(rows), err, tc.want)
			}
		})
	}
}

// fakeTB records a skip or a failure and ends the goroutine, as testing.T does.
type fakeTB struct {
	testing.TB
	skipped, failed string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (f *fakeTB) Fatal(args ...any) { f.failed = fmt.Sprint(args...); runtime.Goexit() }
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// call runs fn with a fakeTB in its own goroutine.
func call(fn func(tb testing.TB)) *fakeTB {
	f := &fakeTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f
}

func TestCorpusAbsentOrBroken(t *testing.T) {
	empty := t.TempDir()
	broken := t.TempDir()
	if err := os.MkdirAll(filepath.Join(broken, "corpus", "files"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "corpus", "manifest.tsv"), []byte("file\tcategory\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, shared  string
		fn            func(tb testing.TB)
		skip, fail    string
		wantNilResult bool
	}{
		{name: "Corpus without shared", shared: filepath.Join(empty, "nowhere"), fn: func(tb testing.TB) { Corpus(tb) }, skip: "is not a directory"},
		{name: "Corpus without corpus", shared: empty, fn: func(tb testing.TB) { Corpus(tb) }, skip: "image corpus absent"},
		{name: "Corpus broken", shared: broken, fn: func(tb testing.TB) { Corpus(tb) }, fail: "lacks column(s) expect"},
		{name: "CorpusFile without corpus", shared: empty, fn: func(tb testing.TB) { CorpusFile(tb, "x.png") }, skip: "image corpus absent"},
		{name: "CorpusFile missing file", shared: broken, fn: func(tb testing.TB) { CorpusFile(tb, "x.png") }, fail: "x.png"},
		{name: "CorpusIfPresent without corpus", shared: empty, fn: func(tb testing.TB) {
			if rows := CorpusIfPresent(tb); rows != nil {
				tb.Fatalf("%d rows", len(rows))
			}
		}},
		{name: "CorpusIfPresent broken", shared: broken, fn: func(tb testing.TB) { CorpusIfPresent(tb) }, fail: "lacks column(s)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvVar, tc.shared)
			t.Setenv(RequireVar, "")
			f := call(tc.fn)
			if tc.skip == "" && f.skipped != "" || !strings.Contains(f.skipped, tc.skip) {
				t.Errorf("skipped %q, want %q", f.skipped, tc.skip)
			}
			if tc.fail == "" && f.failed != "" || !strings.Contains(f.failed, tc.fail) {
				t.Errorf("failed %q, want %q", f.failed, tc.fail)
			}
		})
	}
}

// TestRealCorpus reads ../shared/corpus/manifest.tsv: 417 rows, one per file in files/,
// each of the size the manifest says.
func TestRealCorpus(t *testing.T) {
	rows := Corpus(t)
	if len(rows) != 417 {
		t.Errorf("%d rows, want 417", len(rows))
	}
	listed := map[string]bool{}
	errs := 0
	for _, r := range rows {
		listed[r.File] = true
		st, err := os.Stat(r.Path())
		switch {
		case err != nil:
			t.Errorf("%s: %v", r.File, err)
		case st.Size() != r.Bytes:
			t.Errorf("%s: %d bytes, manifest says %d", r.File, st.Size(), r.Bytes)
		}
		if r.WantsError() {
			errs++
		}
		if r.WantsError() != (r.Expect == "ERROR") || (!r.WantsError() && len(r.Expect) != 64) {
			t.Errorf("%s: expect %q", r.File, r.Expect)
		}
	}
	entries, err := os.ReadDir(filepath.Join(Path(t, "corpus"), "files"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !listed[e.Name()] {
			t.Errorf("%s is in files/ but not in the manifest", e.Name())
		}
	}
	if len(entries) != len(rows) {
		t.Errorf("%d files, %d rows", len(entries), len(rows))
	}
	if p := CorpusFile(t, rows[0].File); p != rows[0].Path() {
		t.Errorf("CorpusFile %q, row Path %q", p, rows[0].Path())
	}
	if again := CorpusIfPresent(t); !reflect.DeepEqual(again, rows) {
		t.Errorf("CorpusIfPresent differs from Corpus")
	}
	t.Logf("%d rows, %d expecting an error", len(rows), errs)
}
