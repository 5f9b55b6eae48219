package wire

import (
	"context"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/syncer"
)

// TestPacingIsStated: the client is paced unless the profile says otherwise, whatever
// host it calls (a loopback URL no longer turns pacing off by itself).
func TestPacingIsStated(t *testing.T) {
	for _, tt := range []struct {
		url    string
		pacing bool
		want   float64
	}{
		{"http://127.0.0.1:8383", true, 0}, // 0: the client's default rate limit
		{"", true, 0},
		{"http://127.0.0.1:8383", false, -1},
	} {
		fc := ClientConfig(&config.Settings{FlickrURL: tt.url, Pacing: tt.pacing})
		if fc.RateLimit != tt.want {
			t.Errorf("%s pacing %v: rate limit %v, want %v", tt.url, tt.pacing, fc.RateLimit, tt.want)
		}
	}
}

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	cat, err := catalog.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	s := &Store{C: cat}
	rs := []syncer.Remote{
		{ID: "1", Title: "a", OriginalSecret: "ab", OriginalFormat: "jpg", DateUpload: 10, DateTaken: "2001-01-01 00:00:00",
			URLOriginal: "http://x/1_ab_o.jpg", Tags: "beach flickrsync:signature=0f", MachineTags: "flickrsync:signature=0f", Media: "photo"},
		{ID: "2", Title: "b", DateTakenUnknown: true, Media: "video"},
	}
	if err := s.PutRemotes(ctx, rs); err != nil {
		t.Fatal(err)
	}
	got, err := s.Remotes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(got, func(i, j int) bool { return got[i].ID < got[j].ID })
	if !reflect.DeepEqual(got, rs) {
		t.Errorf("remotes\n got %+v\nwant %+v", got, rs)
	}
	if err := s.ForgetRemotes(ctx, []string{"2"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Remotes(ctx); len(got) != 1 || got[0].Signature() != "0f" {
		t.Errorf("after forget: %+v", got)
	}

	if err := s.BeginUpload(ctx, "0f", "a.jpg"); err != nil {
		t.Fatal(err)
	}
	if err := s.BeginUpload(ctx, "1e", "b.jpg"); err != nil {
		t.Fatal(err)
	}
	if err := s.EndUpload(ctx, "0f", "1"); err != nil {
		t.Fatal(err)
	}
	p, err := s.PendingUploads(ctx)
	if err != nil || len(p) != 1 || p[0].Signature != "1e" || p[0].File != "b.jpg" || time.Since(time.Unix(p[0].StartedAt, 0)) > time.Hour {
		t.Errorf("pending %+v, %v", p, err)
	}
	if err := s.EndUpload(ctx, "1e", ""); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.PendingUploads(ctx); len(p) != 0 {
		t.Errorf("pending after a failure: %+v", p)
	}
	if err := s.SetMeta(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Meta(ctx, "k"); v != "v" {
		t.Errorf("meta %q", v)
	}
}
