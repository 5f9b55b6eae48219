package wire

import (
	"testing"

	"github.com/flickrsync/flickrsync/internal/flickr"
	"github.com/flickrsync/flickrsync/internal/syncer"
)

// TestPartNamesAgree: the engine sweeps exactly the temporary files the client writes
// (the two packages share no code, so the rule is written twice and checked here).
func TestPartNamesAgree(t *testing.T) {
	names := []string{
		".flickrsync-0123456789abcdef.part", ".flickrsync-ffffffffffffffff.part",
		".flickrsync-0123456789ABCDEF.part", ".flickrsync-0123456789abcde.part",
		".flickrsync-0123456789abcdef0.part", "flickrsync-0123456789abcdef.part",
		".flickrsync-0123456789abcdef.part.jpg", ".flickrsync-0123456789abcdeg.part",
		".flickrsync-.part", ".part", "", "x.jpg", "..flickrsync-8d3dd4ff49e5e06c.part.part-293c8734feec",
	}
	for _, n := range names {
		if f, s := flickr.IsPartName(n), syncer.IsPartName(n); f != s {
			t.Errorf("%q: client %v, engine %v", n, f, s)
		}
	}
	if !syncer.IsPartName(flickr.PartPrefix + "0123456789abcdef" + flickr.PartSuffix) {
		t.Errorf("the client's prefix and suffix are not the engine's")
	}
}
