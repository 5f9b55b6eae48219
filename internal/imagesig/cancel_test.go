package imagesig

import (
	"context"
	"errors"
	"math/rand"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestCancelPanoramaDecode: Ctrl-C must stop a decode within 2 seconds, even of the corpus
// gigapixel panoramas (a 22500x33300 progressive JPEG decoded in bands, a 25200x33300 PNG).
// The decode is cancelled at a random point and must return ctx's error in time.
func TestCancelPanoramaDecode(t *testing.T) {
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewSource(seed))
	// Within the first part of each decode (its whole takes about 10 s and 4 s of CPU).
	for _, f := range []struct {
		name   string
		within int // milliseconds
	}{{"gdk-pixbuf__large.jpg", 5000}, {"gdk-pixbuf__large.png", 2000}} {
		name := f.name
		path := sharedtest.CorpusFile(t, name)
		for i := 0; i < 2; i++ {
			delay := time.Duration(50+rng.Intn(f.within)) * time.Millisecond
			ctx, cancel := context.WithCancel(context.Background())
			timer := time.AfterFunc(delay, cancel)
			start := time.Now()
			_, err := SignFile(ctx, path, Options{})
			took := time.Since(start)
			timer.Stop()
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("%s cancelled after %v (seed %d): %v after %v, want ctx's error", name, delay, seed, err, took)
			}
			if late := took - delay; late > 2*time.Second {
				t.Errorf("%s cancelled after %v (seed %d): returned %v later", name, delay, seed, late)
			} else {
				t.Logf("%s: cancelled after %v, returned %v later", name, delay, late)
			}
		}
	}
}
