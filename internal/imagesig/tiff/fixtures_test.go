package tiff

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFixtures signs the small TIFFs of testdata against the values identify gave for
// them (testdata/expect.tsv), without ../shared or any tool.
func TestFixtures(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "expect.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		name, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		n++
		t.Run(name, func(t *testing.T) {
			got, _, err := signFile(t, filepath.Join("testdata", name))
			if want == "ERROR" {
				var fe FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("got %s, %v; want a FormatError", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("got %s, want %s", got, want)
			}
		})
	}
	if n < 10 {
		t.Fatalf("only %d fixtures", n)
	}
}
