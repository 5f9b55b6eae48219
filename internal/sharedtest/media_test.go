package sharedtest

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"
)

// TestMediaManifest reads the media corpus's manifest: every row names a file of that
// size and SHA-256, and its kind is one the README defines.
func TestMediaManifest(t *testing.T) {
	rows := Media(t)
	if len(rows) < 300 {
		t.Fatalf("only %d rows", len(rows))
	}
	kinds := map[string]int{}
	for _, r := range rows {
		kinds[r.Kind]++
		b, err := os.ReadFile(r.Path())
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if int64(len(b)) != r.Bytes || hex.EncodeToString(sum[:]) != r.SHA256 {
			t.Errorf("%s: %d bytes, sha256 %x; manifest says %d, %s", r.File, len(b), sum, r.Bytes, r.SHA256)
		}
	}
	for k := range kinds {
		switch k {
		case "heif", "avif", "video", "tiff", "webp":
		default:
			t.Errorf("unknown kind %q", k)
		}
	}
	t.Logf("%d rows: %v", len(rows), kinds)
}
