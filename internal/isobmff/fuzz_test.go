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
