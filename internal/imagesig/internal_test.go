package imagesig

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bugWriter stands for a decoder bug: its Write, called by the decoders with each row,
// indexes past the end of a slice.
type bugWriter struct{ index []int }

func (w *bugWriter) Write(p []byte) (int, error) {
	return w.index[len(p)], nil
}

// TestDecoderBugIsInternal: a runtime panic inside a decode is an internal error that says
// where it happened, never a verdict on the file, never a crash of the caller, and the
// memory the decode reserved is given back.
func TestDecoderBugIsInternal(t *testing.T) {
	for _, name := range []string{"gray8-interlaced.png", "gray-alpha8.png", "animated.gif", filepath.Join("..", "jpeg", "testdata", "prog420.jpg"), filepath.Join("..", "jpeg", "testdata", "s420.jpg")} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		budget := NewBudget(64 << 20)
		_, err = signTo(context.Background(), bytes.NewReader(data), Options{Budget: budget}, &bugWriter{})
		switch {
		case !errors.Is(err, ErrInternal):
			t.Errorf("%s: %v, want an internal error", name, err)
		case Refused(err):
			t.Errorf("%s: a bug counts as a verdict on the file: %v", name, err)
		case !strings.Contains(err.Error(), "index out of range") || !strings.Contains(err.Error(), "internal_test.go"):
			t.Errorf("%s: %q does not say what and where", name, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		release, err := budget.Reserve(ctx, budget.Size())
		cancel()
		if err != nil {
			t.Errorf("%s: the budget was not given back after the bug: %v", name, err)
			continue
		}
		release()
	}
}
