package sharedtest

// The image corpus of ../shared/corpus: 417 real files in files/ and manifest.tsv, one
// tab-separated row per file with what ImageMagick 6 (and exiftool, and the Python
// flickrsync through Wand) made of it. Columns are described in corpus/README.md.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// ErrorExpect is the manifest's expect value for a file the project must refuse.
const ErrorExpect = "ERROR"

// CorpusRow is one row of corpus/manifest.tsv. Numeric columns left empty in the
// manifest (a file identify could not read) are 0; Alpha is false there.
type CorpusRow struct {
	File     string // name in corpus/files: <source>__<original name>
	Category string // what the file exercises: jpeg-420, png-16bit, gif-animated, jpeg-error, ...
	// Expect is the signature the project must give, or ErrorExpect where it must fail.
	Expect string

	// What identify reports.
	Bytes      int64
	Format     string // JPEG, PNG, GIF, JPG, ... ("" when identify failed)
	Width      int
	Height     int
	Depth      int
	Type       string // TrueColor, Palette, Grayscale, Bilevel, ...
	Colorspace string
	Sampling   string // JPEG sampling factors, e.g. 2x2,1x1,1x1
	Interlace  string // None, JPEG, PNG, GIF
	Alpha      bool

	DateTimeOriginal        string // exiftool -DateTimeOriginal (may come from XMP or maker notes)
	IM6ExifDateTimeOriginal string // ImageMagick 6's %[exif:DateTimeOriginal]: what the Python tool matched on
	Orientation             int    // EXIF orientation, 0 when absent

	IM6Signature       string // raw identify -format %# of the first frame (ERROR when it failed)
	WandSignature      string // raw Wand signature (last image read)
	IM6Exit            int    // identify's exit status
	IM6StderrFirstLine string

	Source  string // Debian package and version, npm package, or go-testdata
	Licence string

	dir string // the corpus directory (holding manifest.tsv and files/)
}

// Path is the file's path in corpus/files.
func (r CorpusRow) Path() string { return filepath.Join(r.dir, "files", r.File) }

// WantsError reports whether the project must fail on the file instead of signing it.
func (r CorpusRow) WantsError() bool { return r.Expect == ErrorExpect }

// Corpus reads the manifest of ../shared/corpus, skipping t when the shared material or
// the corpus is absent and failing it when the manifest cannot be parsed.
func Corpus(t testing.TB) []CorpusRow {
	t.Helper()
	dir := Path(t, "corpus")
	rows, err := ReadCorpus(dir)
	if errors.Is(err, fs.ErrNotExist) {
		Absent(t, "image corpus absent: %v (set %s)", err, EnvVar)
	}
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// CorpusIfPresent is Corpus without the skip: nil when the shared material or the corpus
// is absent, for tests that only add corpus files to fixtures of their own (fuzz seeds).
func CorpusIfPresent(t testing.TB) []CorpusRow {
	t.Helper()
	shared, ok := Lookup()
	if !ok {
		return nil
	}
	rows, err := ReadCorpus(filepath.Join(shared, "corpus"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// CorpusFile returns the path of one corpus file, skipping t when the corpus is absent
// and failing it when the file is not there.
func CorpusFile(t testing.TB, name string) string {
	t.Helper()
	p := Path(t, "corpus", "files", name)
	if _, err := os.Stat(filepath.Dir(p)); errors.Is(err, fs.ErrNotExist) {
		Absent(t, "image corpus absent: %v (set %s)", err, EnvVar)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("corpus file: %v", err)
	}
	return p
}

// ReadCorpus reads dir/manifest.tsv; the rows' Path is under dir/files. A missing
// manifest gives an error wrapping fs.ErrNotExist.
func ReadCorpus(dir string) ([]CorpusRow, error) {
	f, err := os.Open(filepath.Join(dir, "manifest.tsv"))
	if err != nil {
		return nil, fmt.Errorf("read corpus manifest: %w", err)
	}
	defer f.Close()
	rows, err := ParseManifest(f, dir)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", f.Name(), err)
	}
	return rows, nil
}

// manifestColumns maps each header name of manifest.tsv to the row field it fills. All
// of them must be present; other columns are ignored.
var manifestColumns = []struct {
	name string
	set  func(r *CorpusRow, v string) error
}{
	{"file", func(r *CorpusRow, v string) error { r.File = v; return nil }},
	{"category", func(r *CorpusRow, v string) error { r.Category = v; return nil }},
	{"expect", func(r *CorpusRow, v string) error { r.Expect = v; return nil }},
	{"bytes", func(r *CorpusRow, v string) (err error) { r.Bytes, err = strconv.ParseInt(v, 10, 64); return err }},
	{"format", func(r *CorpusRow, v string) error { r.Format = v; return nil }},
	{"width", intField(func(r *CorpusRow) *int { return &r.Width })},
	{"height", intField(func(r *CorpusRow) *int { return &r.Height })},
	{"depth", intField(func(r *CorpusRow) *int { return &r.Depth })},
	{"type", func(r *CorpusRow, v string) error { r.Type = v; return nil }},
	{"colorspace", func(r *CorpusRow, v string) error { r.Colorspace = v; return nil }},
	{"sampling", func(r *CorpusRow, v string) error { r.Sampling = v; return nil }},
	{"interlace", func(r *CorpusRow, v string) error { r.Interlace = v; return nil }},
	{"alpha", func(r *CorpusRow, v string) error {
		switch v {
		case "True":
			r.Alpha = true
		case "False", "":
			r.Alpha = false
		default:
			return fmt.Errorf("not True, False or empty: %q", v)
		}
		return nil
	}},
	{"datetimeoriginal", func(r *CorpusRow, v string) error { r.DateTimeOriginal = v; return nil }},
	{"im6_exif_datetimeoriginal", func(r *CorpusRow, v string) error { r.IM6ExifDateTimeOriginal = v; return nil }},
	{"orientation", intField(func(r *CorpusRow) *int { return &r.Orientation })},
	{"im6_signature", func(r *CorpusRow, v string) error { r.IM6Signature = v; return nil }},
	{"wand_signature", func(r *CorpusRow, v string) error { r.WandSignature = v; return nil }},
	{"im6_exit", func(r *CorpusRow, v string) (err error) { r.IM6Exit, err = strconv.Atoi(v); return err }},
	{"im6_stderr_first_line", func(r *CorpusRow, v string) error { r.IM6StderrFirstLine = v; return nil }},
	{"source", func(r *CorpusRow, v string) error { r.Source = v; return nil }},
	{"licence", func(r *CorpusRow, v string) error { r.Licence = v; return nil }},
}

// intField sets an integer column that may be empty (0).
func intField(field func(*CorpusRow) *int) func(*CorpusRow, string) error {
	return func(r *CorpusRow, v string) error {
		if v == "" {
			*field(r) = 0
			return nil
		}
		n, err := strconv.Atoi(v)
		*field(r) = n
		return err
	}
}

// ParseManifest reads a manifest in the format of corpus/manifest.tsv: a header line
// naming the columns, then one tab-separated row per file, each with as many fields as
// the header. Columns are found by name; a missing one is an error. dir is the corpus
// directory the rows' Path is relative to.
func ParseManifest(r io.Reader, dir string) ([]CorpusRow, error) {
	names := make([]string, len(manifestColumns))
	for i, c := range manifestColumns {
		names[i] = c.name
	}
	var rows []CorpusRow
	err := readTSV(r, names, func(field func(string) string) error {
		row := CorpusRow{dir: dir}
		for _, c := range manifestColumns {
			if err := c.set(&row, field(c.name)); err != nil {
				return fmt.Errorf("column %s: %w", c.name, err)
			}
		}
		rows = append(rows, row)
		return nil
	})
	return rows, err
}

// readTSV reads a manifest of ../shared: a header line naming the columns (each of want
// must be there), then one tab-separated row per file, each with as many fields as the
// header and a unique, non-empty "file" column. row is called once per row with a
// function giving a column's value by name.
func readTSV(r io.Reader, want []string, row func(field func(name string) string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return fmt.Errorf("header: %w", err)
		}
		return errors.New("empty manifest: no header line")
	}
	header := strings.Split(sc.Text(), "\t")
	index := map[string]int{}
	for i, name := range header {
		if _, dup := index[name]; dup {
			return fmt.Errorf("header: column %q twice", name)
		}
		index[name] = i
	}
	var missing []string
	if !slices.Contains(want, "file") {
		want = append([]string{"file"}, want...)
	}
	for _, name := range want {
		if _, ok := index[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("header lacks column(s) %s", strings.Join(missing, ", "))
	}
	seen := map[string]int{}
	line := 2
	for ; sc.Scan(); line++ {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != len(header) {
			return fmt.Errorf("line %d: %d fields, header has %d", line, len(fields), len(header))
		}
		field := func(name string) string { return fields[index[name]] }
		file := field("file")
		if file == "" {
			return fmt.Errorf("line %d: empty file name", line)
		}
		if prev, dup := seen[file]; dup {
			return fmt.Errorf("line %d: %s already on line %d", line, file, prev)
		}
		seen[file] = line
		if err := row(field); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", line, err)
	}
	return nil
}
