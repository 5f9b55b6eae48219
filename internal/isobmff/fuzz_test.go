package isobmff

import (
	"bytes"
	"context"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
)

// FuzzSign feeds arbitrary bytes to Sign, ReadMeta and ExifItems: they must not panic,
// and their answers must be consistent (a coded-data signature hashes some bytes, a
// whole-file one all of them, an error is a container error).
func FuzzSign(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join(fixtureDir, "*"))
	for _, n := range names {
		if filepath.Ext(n) == ".tsv" {
			continue
		}
		if b, err := os.ReadFile(n); err == nil {
			f.Add(b)
		}
	}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		f.Add(randomMovie(r))
		f.Add(randomHEIF(r))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx := context.Background()
		size := int64(len(b))
		res, err := Sign(ctx, bytes.NewReader(b), size)
		var fe *FormatError
		switch {
		case err != nil:
			if !errors.As(err, &fe) && !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrTooManyItems) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
		case res.Kind == KindCodedData:
			if res.HashedBytes <= 0 || len(res.Signature) != 64 {
				t.Fatalf("coded data with %d bytes hashed, signature %q", res.HashedBytes, res.Signature)
			}
		case res.Kind == KindWholeFile:
			if res.HashedBytes != size || len(res.Signature) != 64 {
				t.Fatalf("whole file with %d of %d bytes hashed", res.HashedBytes, size)
			}
		default:
			t.Fatalf("no error and no kind: %+v", res)
		}
		m, merr := ReadMeta(ctx, bytes.NewReader(b), size)
		if (merr == nil) != (err == nil || errors.As(err, &fe)) && !errors.Is(err, ErrEmpty) {
			t.Fatalf("ReadMeta error %v, Sign error %v", merr, err)
		}
		if merr == nil && m != res.Meta {
			t.Fatalf("ReadMeta %+v, Sign %+v", m, res.Meta)
		}
		if _, err := ExifItems(ctx, bytes.NewReader(b), size); err != nil && !errors.Is(err, ErrTooManyItems) {
			t.Fatalf("ExifItems: %v", err)
		}
	})
}

// TestEmptyExtents: an iloc box whose offset, length and index sizes are all 0 lists, in
// 8 bytes per item, 65535 empty extents per item; ExifTool reads them all (and hashes
// nothing). Found by FuzzSign as a tiny file that took minutes: such extents are read once.
func TestEmptyExtents(t *testing.T) {
	var entries [][]byte
	const items = 4000
	for id := 1; id <= items; id++ {
		entries = append(entries, be16(uint16(id)), be16(0), be16(0xffff))
	}
	iloc := mkfull("iloc", 0, 0, append([][]byte{be16(0), be16(items)}, entries...)...)
	var infes [][]byte
	for id := 1; id <= 3; id++ {
		infes = append(infes, mkfull("infe", 2, 0, be16(uint16(id)), be16(0), []byte("hvc1"), []byte{0}))
	}
	iinf := mkfull("iinf", 0, 0, append([][]byte{be16(3)}, infes...)...)
	hdlr := mkfull("hdlr", 0, 0, be32(0), []byte("pict"), make([]byte, 12), []byte{0})
	b := append(ftypBox("heic", "mif1", "heic"), mkfull("meta", 0, 0, hdlr, iloc, iinf)...)
	res, err := Sign(context.Background(), bytes.NewReader(b), int64(len(b)))
	if err != nil || res.Kind != KindWholeFile {
		t.Fatalf("got %s %v, want the whole file (nothing hashed)", res.Kind, err)
	}
}
