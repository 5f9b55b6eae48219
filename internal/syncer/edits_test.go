package syncer

import (
	"fmt"
	"testing"
)

// TestPlanEdits: the photos of an edited picture's earlier versions and of excluded
// pictures are kept (not missing), the earlier versions superseded (once), and an edit's
// upload knows the photo it would replace: the nearest earlier version's, of the same
// date taken, each photo for one upload.
func TestPlanEdits(t *testing.T) {
	const d = "2020:01:01 10:00:00"
	tagged := func(id, sig string) Remote {
		return Remote{ID: id, MachineTags: "flickrsync:signature=" + sig, DateUpload: 1}
	}
	edits := []Edit{
		{Path: "a.jpg", Old: "aa", New: "bb", OldDate: d, NewDate: d},
		{Path: "a.jpg", Old: "bb", New: "cc", OldDate: d, NewDate: d},
		{Path: "b.jpg", Old: "dd", New: "ee", OldDate: d, NewDate: "2022:02:02 10:00:00"}, // another shot
		{Path: "c.jpg", Old: "ff", New: "12", OldDate: d, NewDate: d},                     // ff still in the library
	}
	locals := []Local{{Path: "a.jpg", Signature: "cc", DateTaken: d}, {Path: "b.jpg", Signature: "ee", DateTaken: "2022:02:02 10:00:00"},
		{Path: "c.jpg", Signature: "12", DateTaken: d}, {Path: "copy of c.jpg", Signature: "ff", DateTaken: d}}
	tests := []struct {
		name    string
		remotes []Remote
		marked  map[string]bool
		earlier string // the photo a.jpg's upload would replace
		kept    string
		sup     string
		missing string
	}{
		{"nearest version", []Remote{tagged("1", "aa"), tagged("2", "bb"), tagged("3", "dd"), tagged("4", "34"), tagged("5", "56"), tagged("6", "ff")},
			nil, "2", "[1 2 3 5]", "[1:a.jpg 2:a.jpg 3:b.jpg]", "[4]"},
		{"version without a photo", []Remote{tagged("1", "aa"), tagged("3", "dd")}, map[string]bool{"3": true}, "1", "[1 3]", "[1:a.jpg]", "[]"},
		{"nothing to replace", []Remote{tagged("3", "dd")}, nil, "", "[3]", "[3:b.jpg]", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Match(locals, tt.remotes, MatchOptions{})
			p := MakePlan(m, Known{Edits: edits, Excluded: map[string]bool{"56": true}, Marked: tt.marked})
			var kept, sup, missing []string
			for _, k := range p.Kept {
				kept = append(kept, k.Remote.ID)
			}
			for _, s := range p.Supersede {
				sup = append(sup, s.PhotoID+":"+s.Path)
			}
			for _, r := range p.Missing {
				missing = append(missing, r.ID)
			}
			earlier := map[string]string{}
			for _, u := range p.Uploads {
				if u.Earlier != nil {
					earlier[u.Local.Path] = u.Earlier.ID
				}
			}
			if fmt.Sprint(kept) != tt.kept || fmt.Sprint(sup) != tt.sup || fmt.Sprint(missing) != tt.missing && !(tt.missing == "[]" && missing == nil) {
				t.Errorf("kept %v, superseded %v, missing %v; want %s, %s, %s", kept, sup, missing, tt.kept, tt.sup, tt.missing)
			}
			if earlier["a.jpg"] != tt.earlier || earlier["b.jpg"] != "" || len(earlier) > 1 {
				t.Errorf("earlier %v, want a.jpg -> %q only", earlier, tt.earlier)
			}
		})
	}
}
