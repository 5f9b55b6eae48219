package syncer

import (
	"fmt"
	"testing"
)

// BenchmarkMatchPlan100k matches and plans a library of 100,000 pictures (10% copies, in
// 1,000 folders) against an account of 90,000 photos (half of them untagged, matched by
// name and date).
func BenchmarkMatchPlan100k(b *testing.B) {
	var locals []Local
	var remotes []Remote
	for i := 0; i < 100_000; i++ {
		sig := fmt.Sprintf("%064x", i%90_000+1)
		date := fmt.Sprintf("2019:%02d:%02d 10:%02d:%02d", i%12+1, i%28+1, i%60, i/60%60)
		locals = append(locals, Local{Path: fmt.Sprintf("d%03d/IMG_%06d.jpg", i%1000, i), Signature: sig, DateTaken: date})
		if i < 90_000 {
			r := Remote{ID: fmt.Sprint(50_000_000_000 + i), Title: fmt.Sprintf("IMG_%06d", i), OriginalSecret: "ab",
				DateTaken: fmt.Sprintf("2019-%02d-%02d 10:%02d:%02d", i%12+1, i%28+1, i%60, i/60%60), DateUpload: int64(i)}
			if i%2 == 0 {
				r.MachineTags = "flickrsync:signature=" + sig
			}
			remotes = append(remotes, r)
		}
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		m := Match(locals, remotes, MatchOptions{})
		p := MakePlan(m, Known{})
		sets := WantedSets(m)
		if len(sets) != 1000 || len(p.Uploads) != 0 {
			b.Fatalf("%d sets, %d uploads", len(sets), len(p.Uploads))
		}
	}
}
