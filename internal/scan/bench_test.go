package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/flickrsync/flickrsync/internal/catalog"
)

// benchTree makes files hard links to 4 distinct small files in dirs folders.
func benchTree(b *testing.B, files, dirs int) string {
	b.Helper()
	root := b.TempDir()
	src := filepath.Join(root, "src")
	os.MkdirAll(src, 0o755)
	var sources []string
	for i := 0; i < 4; i++ {
		p := filepath.Join(src, fmt.Sprintf("s%d", i))
		os.WriteFile(p, make([]byte, 30000+i), 0o644)
		sources = append(sources, p)
	}
	lib := filepath.Join(root, "lib")
	for d := 0; d < dirs; d++ {
		dir := filepath.Join(lib, fmt.Sprintf("d%04d", d))
		os.MkdirAll(dir, 0o755)
		for i := 0; i < files/dirs; i++ {
			if err := os.Link(sources[(d+i)%4], filepath.Join(dir, fmt.Sprintf("f%05d.jpg", i))); err != nil {
				b.Fatal(err)
			}
		}
	}
	return lib
}

// BenchmarkIndex measures a first index and a re-index of an unchanged tree of 20,000
// files with 4 distinct contents (go test -bench Index -run XXX ./internal/scan).
func BenchmarkIndex(b *testing.B) {
	lib := benchTree(b, 20000, 200)
	signer := &fakeSigner{}
	for _, tc := range []string{"first", "unchanged"} {
		b.Run(tc, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := filepath.Join(b.TempDir(), "c.db")
				cat, err := catalog.Open(context.Background(), db)
				if err != nil {
					b.Fatal(err)
				}
				cfg := Config{FS: DirFS(lib), Catalog: cat, Signer: signer.sign}
				if tc == "unchanged" {
					if _, err := Run(context.Background(), cfg); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				s, err := Run(context.Background(), cfg)
				if err != nil || s.Seen != 20000 {
					b.Fatal(err, s.Seen)
				}
				b.StopTimer()
				cat.Close()
			}
		})
	}
}
