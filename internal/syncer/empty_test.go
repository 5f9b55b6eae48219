package syncer

import (
	"context"
	"errors"
	"testing"
)

// checkedIndexer is a dirIndexer that refuses its library with err (EmptyChecker).
type checkedIndexer struct {
	*dirIndexer
	err    error
	checks int
}

func (x *checkedIndexer) CheckNotEmpty(context.Context) error { x.checks++; return x.err }

// TestEmptyCheckerAskedFirst: Sync and Photosets ask the Indexer's EmptyChecker before
// anything else, and stop on its refusal with nothing asked of Flickr nor written.
func TestEmptyCheckerAskedFirst(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	e.fl.add("beach", "", []byte(picture("b2", "")), "flickrsync:signature=b2")
	refused := errors.New("library is empty")
	ix := &checkedIndexer{dirIndexer: e.eng.Indexer.(*dirIndexer), err: refused}
	e.eng.Indexer = ix
	runs := map[string]func() error{
		"sync2":     func() error { _, err := e.eng.Sync(ctx, Options{TwoWay: true}); return err },
		"photosets": func() error { _, err := e.eng.Photosets(ctx, Options{}); return err },
	}
	for name, run := range runs {
		if err := run(); !errors.Is(err, refused) {
			t.Errorf("%s: %v, want the refusal", name, err)
		}
	}
	if ix.checks != 2 || e.fl.total() != 0 || len(e.store.meta) != 0 || len(e.tree()) != 0 {
		t.Errorf("refused runs: %d checks (want 2), Flickr calls %v, store meta %v, files %v: want nothing done",
			ix.checks, e.fl.calls, e.store.meta, e.tree())
	}
	ix.err = nil
	e.sync(Options{TwoWay: true})
	if got := e.tree(); ix.checks != 3 || len(got) != 1 {
		t.Errorf("sync2 let through: %d checks (want 3), files %v (want the photo downloaded)", ix.checks, got)
	}
}
