package emulator

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkUploadWithState measures sync uploads over HTTP with StateDir (blob write and
// journal entry, each fsynced) into an account already holding `existing` photos.
func BenchmarkUploadWithState(b *testing.B) {
	for _, existing := range []int{0, 10000} {
		b.Run(fmt.Sprintf("existing=%d", existing), func(b *testing.B) {
			dir := b.TempDir()
			if existing > 0 {
				seedSnapshot(b, dir, existing)
			}
			srv, err := Open(Config{StateDir: dir, APIKey: testKey, APISecret: testSecret})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			hs := httptest.NewServer(srv.Handler())
			defer hs.Close()
			c := newClient(b, hs.URL, srv, "write")
			data := testJPEG(b, 1)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c.uploadOK(map[string]string{"tags": "bench t" + strconv.Itoa(i)}, "p.jpg", data)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "uploads/s")
		})
	}
}

// seedSnapshot writes a state.json holding n photos (about 900 bytes each, as a real
// library's), without their files.
func seedSnapshot(b *testing.B, dir string, n int) {
	st := &state{NextPhotoID: 53000000000, NextSetID: 72157700000000000, NextTagID: 100000,
		TagIDs: map[string]int64{}, Tokens: map[string]*token{}, Tickets: map[string]*ticket{}}
	for i := 0; i < n; i++ {
		st.NextPhotoID += 50
		st.Photos = append(st.Photos, &photo{ID: strconv.FormatInt(st.NextPhotoID, 10), Secret: "0123456789",
			OriginalSecret: "9876543210", Server: "65535", Farm: 66, Title: "IMG_" + strconv.Itoa(i), IsPublic: 1,
			DateUpload: 1700000000, LastUpdate: 1700000000, DateTaken: "2019-05-04 10:11:12", Format: "jpg",
			SHA256: "b7bd1ad4f327381af43b428ebf2a1865df6e46f74430ac3fd3aab361ead4800c", Size: 4000000,
			Width: 4000, Height: 3000, Tags: []photoTag{{GlobalID: 100001, Raw: "flickrsync:signature=" + strconv.Itoa(i),
				Clean: "flickrsync:signature=" + strconv.Itoa(i), Machine: true}}})
	}
	if err := os.MkdirAll(filepath.Join(dir, "photos"), 0o755); err != nil {
		b.Fatal(err)
	}
	buf, err := jsonIndent(st)
	if err != nil {
		b.Fatal(err)
	}
	if err := writeAtomic(filepath.Join(dir, stateFile), buf); err != nil {
		b.Fatal(err)
	}
}
