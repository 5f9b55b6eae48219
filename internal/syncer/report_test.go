package syncer

import (
	"fmt"
	"testing"

	"github.com/flickrsync/flickrsync/internal/names"
)

// TestCoverageCountsPicturesAndFilesApart: copies of a picture are one picture; a picture
// is on Flickr when any copy is matched; files that could not be read are not pictures.
func TestCoverageCountsPicturesAndFilesApart(t *testing.T) {
	locals := []Local{
		{Path: "a.jpg", Signature: "aa"}, {Path: "copy/a.jpg", Signature: "aa"},
		{Path: "b.jpg", Signature: "bb"}, {Path: "c.jpg", Signature: "cc"},
		{Path: "broken.jpg"},
	}
	remotes := []Remote{{ID: "1", MachineTags: names.CleanSignatureTag("aa")}, {ID: "2", MachineTags: names.CleanSignatureTag("bb")}}
	got := CoverageOf(Match(locals, remotes, MatchOptions{}))
	want := Coverage{Pictures: 3, OnFlickr: 2, Files: 4, Copies: 1}
	if got != want {
		t.Errorf("coverage %+v, want %+v", got, want)
	}
}

func TestReportKeepsNotesAndFiguresAsData(t *testing.T) {
	r := NewReport()
	r.Note("no Flickr photo has a tag containing %q", "x\nforged")
	r.SetFigures(func(f *Figures) { f.SetsKept = 2 })
	n := r.Notes()
	if len(n) != 1 || n[0].Args[0] != "x\nforged" {
		t.Errorf("notes %+v", n)
	}
	if f := r.Figures(); f.SetsKept != 2 || f.FlickrPhotos != -1 || f.Coverage != nil {
		t.Errorf("figures %+v", f)
	}
	// The lists filled as parallel work ends come in name order, whatever order it ended in
	// (the summary named the albums kept in a different order from run to run).
	for _, title := range []string{"2019, Rome", "2019"} {
		r.SetFigures(func(f *Figures) {
			f.SetsHeld = append(f.SetsHeld, title)
			f.SetsDeleted = append(f.SetsDeleted, title)
			f.Restored = append(f.Restored, title+"/a.jpg")
		})
	}
	if f := r.Figures(); fmt.Sprint(f.SetsHeld, f.SetsDeleted, f.Restored) != "[2019 2019, Rome] [2019 2019, Rome] [2019, Rome/a.jpg 2019/a.jpg]" {
		t.Errorf("lists %q %q %q", f.SetsHeld, f.SetsDeleted, f.Restored)
	}
	if Planned.String() != "planned" {
		t.Errorf("Planned is %q", Planned)
	}
}

func TestReportOneFinalStatePerSubject(t *testing.T) {
	r := NewReport()
	if err := r.Record(Event{Step: StepUpload, Subject: "a.jpg", Outcome: Failed}); err != nil {
		t.Fatal(err)
	}
	if err := r.Record(Event{Step: StepUpload, Subject: "a.jpg", Outcome: Done}); err == nil {
		t.Error("a second final state was accepted")
	}
	if err := r.Record(Event{Step: StepPhotosets, Subject: "a.jpg", Outcome: Done}); err != nil {
		t.Errorf("another step's event refused: %v", err)
	}
	if got := r.Count(StepUpload, Failed); got != 1 {
		t.Errorf("count %d", got)
	}
}
