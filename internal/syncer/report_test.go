package syncer

import (
	"bytes"
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	tests := []struct {
		name   string
		dry    bool
		events []Event
		want   []string
	}{
		{
			name: "counts and failures",
			events: []Event{
				{Step: StepUpload, Subject: "a.jpg", Outcome: Done},
				{Step: StepUpload, Subject: "b.jpg", Outcome: Failed, Detail: "filetype was not recognised"},
				{Step: StepUpload, Subject: "c.jpg", Outcome: Skipped, Detail: "duplicate of a.jpg"},
				{Step: StepIndexLocal, Subject: "d.jpg", Outcome: Failed, Detail: "truncated"},
			},
			want: []string{
				"index local:          0 done, 0 skipped, 1 failed",
				"upload:               1 done, 1 skipped, 1 failed",
				"Failures:\n  index local: d.jpg: truncated\n  upload: b.jpg: filetype was not recognised",
			},
		},
		{
			name:   "dry run counts plans",
			dry:    true,
			events: []Event{{Step: StepTag, Subject: "1", Outcome: Skipped, Detail: "dry run: would tag"}},
			want:   []string{"Summary (dry run: nothing was changed):", "tag:                  1 planned, 0 skipped, 0 failed"},
		},
		{
			name: "nothing",
			want: []string{"nothing to do"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReport()
			r.DryRun = tt.dry
			for _, e := range tt.events {
				if err := r.Record(e); err != nil {
					t.Fatal(err)
				}
			}
			var b bytes.Buffer
			r.WriteSummary(&b)
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("summary lacks %q:\n%s", w, b.String())
				}
			}
		})
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
