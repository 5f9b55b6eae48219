package imagesig

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// DefaultMemoryBudget is the size of the budget that decodes share when Options.Budget is
// nil: small enough that indexing a library on a 1 GB NAS box stays far from its memory,
// large enough that the images of cameras and phones (even a progressive 24 MP JPEG's
// coefficients, 72 MB) decode in one go; bigger ones decode in bands, or fail alone.
const DefaultMemoryBudget = 128 << 20

// ErrOverBudget matches the error of a file whose decode needs more memory at once than the
// whole budget: that file fails (errors.Is), the others go on. A larger budget decodes it.
var ErrOverBudget = errors.New("over the memory budget")

// Budget bounds the memory that the decodes running at once take for what grows with the
// image (rows, coefficients, frames). Before allocating such memory a decoder reserves it:
// a reservation waits while other decodes hold the room, and one larger than the whole
// budget fails at once. Decoders make one reservation at a time, released before the
// next, so that two decodes never wait on each other. Safe for concurrent use.
type Budget struct {
	size int64

	mu    sync.Mutex
	used  int64
	queue []*budgetWaiter // reservations waiting for room, served in order
}

type budgetWaiter struct {
	n     int64
	ready chan struct{} // closed once the room is granted
}

// NewBudget returns a budget of size bytes (at least 1 MB).
func NewBudget(size int64) *Budget {
	return &Budget{size: max(size, 1<<20)}
}

// defaultBudget is the process's budget, shared by every Sign without Options.Budget.
var defaultBudget = NewBudget(DefaultMemoryBudget)

// Size is the budget's total, in bytes.
func (b *Budget) Size() int64 { return b.size }

// Reserve takes n bytes of the budget, waiting for room while other decodes hold it, and
// returns the function that gives them back (call it once). It fails at once with
// ErrOverBudget when n exceeds the whole budget, and with ctx's error when ctx ends first.
// Its signature is the Reserve option of every decoder.
func (b *Budget) Reserve(ctx context.Context, n int64) (release func(), err error) {
	if n <= 0 {
		return func() {}, nil
	}
	if n > b.size {
		return nil, fmt.Errorf("%w: decoding needs %s at once, the budget is %s", ErrOverBudget, megabytes(n), megabytes(b.size))
	}
	b.mu.Lock()
	if len(b.queue) == 0 && b.used+n <= b.size {
		b.used += n
		b.mu.Unlock()
		return b.releaser(n), nil
	}
	w := &budgetWaiter{n: n, ready: make(chan struct{})}
	b.queue = append(b.queue, w)
	b.mu.Unlock()
	select {
	case <-w.ready:
		return b.releaser(n), nil
	case <-ctx.Done():
		b.mu.Lock()
		select {
		case <-w.ready: // granted meanwhile: give it back
			b.used -= n
			b.grant()
		default:
			for i, q := range b.queue {
				if q == w {
					b.queue = append(b.queue[:i], b.queue[i+1:]...)
					break
				}
			}
			b.grant() // the head may have changed
		}
		b.mu.Unlock()
		return nil, ctx.Err()
	}
}

func (b *Budget) releaser(n int64) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			b.used -= n
			b.grant()
			b.mu.Unlock()
		})
	}
}

// grant serves the waiting reservations in order while they fit. b.mu is held.
func (b *Budget) grant() {
	for len(b.queue) > 0 && b.used+b.queue[0].n <= b.size {
		w := b.queue[0]
		b.queue = b.queue[1:]
		b.used += w.n
		close(w.ready)
	}
}

// megabytes spells a byte count for people: "2.1 GB", "128 MB".
func megabytes(n int64) string {
	if n >= 1<<30 {
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%d MB", (n+1<<20-1)>>20)
}
