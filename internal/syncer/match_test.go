package syncer

import (
	"reflect"
	"testing"
)

func ids(rs []*Remote) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func paths(us []Upload) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Local.Path)
	}
	return out
}

func TestMatchAndPlan(t *testing.T) {
	sigTag := func(s string) string { return "flickrsync:signature=" + s }
	tests := []struct {
		name        string
		locals      []Local
		remotes     []Remote
		opt         MatchOptions
		uploads     []string
		tags        map[string]string // photo id -> signature
		identify    []string
		missing     []string
		duplicates  int
		linkHowByID map[string]How
	}{
		{
			name:        "signature",
			locals:      []Local{{Path: "a/x.jpg", Signature: "aa"}},
			remotes:     []Remote{{ID: "1", MachineTags: sigTag("aa")}},
			linkHowByID: map[string]How{"1": BySignature},
		},
		{
			name:        "name and date, tagged afterwards",
			locals:      []Local{{Path: "a/IMG_1.JPG", Signature: "aa", DateTaken: "2004:11:29 16:01:26"}},
			remotes:     []Remote{{ID: "1", Title: "img_1", DateTaken: "2004-11-29 16:01:26"}},
			tags:        map[string]string{"1": "aa"},
			linkHowByID: map[string]How{"1": ByNameDate},
		},
		{
			name:     "name and date off",
			locals:   []Local{{Path: "IMG_1.jpg", Signature: "aa", DateTaken: "2004:11:29 16:01:26"}},
			remotes:  []Remote{{ID: "1", Title: "IMG_1", DateTaken: "2004-11-29 16:01:26"}},
			opt:      MatchOptions{NoDateMatch: true},
			uploads:  []string{"IMG_1.jpg"},
			identify: []string{"1"},
			missing:  []string{"1"},
		},
		{
			name:     "date taken unknown does not match",
			locals:   []Local{{Path: "IMG_1.jpg", Signature: "aa", DateTaken: "2004:11:29 16:01:26"}},
			remotes:  []Remote{{ID: "1", Title: "IMG_1", DateTaken: "2004-11-29 16:01:26", DateTakenUnknown: true}},
			uploads:  []string{"IMG_1.jpg"},
			identify: []string{"1"},
			missing:  []string{"1"},
		},
		{
			name:    "empty title matches by original secret",
			locals:  []Local{{Path: "ab12cd.jpg", Signature: "aa", DateTaken: "2001:01:01 00:00:00"}},
			remotes: []Remote{{ID: "1", OriginalSecret: "ab12cd", DateTaken: "2001-01-01 00:00:00"}},
			tags:    map[string]string{"1": "aa"},
		},
		{
			name:    "tagged photo with same name and date is another picture",
			locals:  []Local{{Path: "IMG_1.jpg", Signature: "bb", DateTaken: "2004:11:29 16:01:26"}},
			remotes: []Remote{{ID: "1", Title: "IMG_1", DateTaken: "2004-11-29 16:01:26", MachineTags: sigTag("aa")}},
			uploads: []string{"IMG_1.jpg"},
			missing: []string{"1"},
		},
		{
			name:        "downloaded file",
			locals:      []Local{{Path: "flickrsync/flickrsync_7_ab_Sunset.jpg", Signature: "cc"}},
			remotes:     []Remote{{ID: "7", OriginalSecret: "ab", Title: "Sunset"}},
			tags:        map[string]string{"7": "cc"},
			linkHowByID: map[string]How{"7": ByDownloadName},
		},
		{
			name: "duplicates upload once, the shortest path",
			locals: []Local{
				{Path: "b/copy.jpg", Signature: "dd", DateTaken: "2010:01:01 00:00:00"},
				{Path: "aa/orig.jpg", Signature: "dd", DateTaken: "2009:01:01 00:00:00"},
				{Path: "c/nodate.jpg", Signature: "dd"},
				{Path: "z.jpg", Signature: "ee"},
			},
			uploads:    []string{"b/copy.jpg", "z.jpg"},
			duplicates: 2,
		},
		{
			name: "a duplicate matched means no upload",
			locals: []Local{
				{Path: "a.jpg", Signature: "dd"},
				{Path: "b.jpg", Signature: "dd"},
			},
			remotes:    []Remote{{ID: "1", MachineTags: sigTag("dd")}},
			duplicates: 1,
		},
		{
			name:    "undecodable files take no part",
			locals:  []Local{{Path: "broken.jpg"}},
			remotes: []Remote{{ID: "1", MachineTags: sigTag("aa")}},
			missing: []string{"1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Match(tt.locals, tt.remotes, tt.opt)
			p := MakePlan(m, Known{})
			if got := paths(p.Uploads); !reflect.DeepEqual(got, tt.uploads) {
				t.Errorf("uploads %v, want %v", got, tt.uploads)
			}
			tags := map[string]string{}
			for _, c := range p.Tags {
				tags[c.Remote.ID] = c.Signature
			}
			if tt.tags == nil {
				tt.tags = map[string]string{}
			}
			if !reflect.DeepEqual(tags, tt.tags) {
				t.Errorf("tags %v, want %v", tags, tt.tags)
			}
			if got := ids(p.Identify); !reflect.DeepEqual(got, tt.identify) {
				t.Errorf("identify %v, want %v", got, tt.identify)
			}
			if got := ids(p.Missing); !reflect.DeepEqual(got, tt.missing) {
				t.Errorf("missing %v, want %v", got, tt.missing)
			}
			if p.Duplicates != tt.duplicates {
				t.Errorf("duplicates %d, want %d", p.Duplicates, tt.duplicates)
			}
			for id, how := range tt.linkHowByID {
				links := m.ByRemote[id]
				if len(links) == 0 || links[0].How != how {
					t.Errorf("photo %s links %v, want %v", id, links, how)
				}
			}
		})
	}
}

func TestWantedSets(t *testing.T) {
	locals := []Local{
		{Path: "root.jpg", Signature: "f0"},
		{Path: "flickrsync/flickrsync_9_ab_x.jpg", Signature: "d"},
		{Path: "2019/Rome/b.jpg", Signature: "b"},
		{Path: "2019/Rome/a.jpg", Signature: "a"},
		{Path: "2019/Rome/a copy.jpg", Signature: "a"},
		{Path: "2019/Paris/new.jpg", Signature: "e1"}, // not on Flickr yet
	}
	sig := func(s string) string { return "flickrsync:signature=" + s }
	remotes := []Remote{
		{ID: "1", MachineTags: sig("f0")},
		{ID: "9", OriginalSecret: "ab", MachineTags: sig("d")},
		{ID: "3", MachineTags: sig("a")},
		{ID: "2", MachineTags: sig("b")},
	}
	got := WantedSets(Match(locals, remotes, MatchOptions{}))
	want := []WantedSet{
		{Title: "2019, Rome", Dirs: []string{"2019/Rome"}, Photos: []string{"3", "2"}},
		{Title: "flickrsync", Dirs: []string{"flickrsync", ""}, Photos: []string{"9", "1"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestPlanSets(t *testing.T) {
	wanted := []WantedSet{{Title: "A", Photos: []string{"1", "2"}}, {Title: "B", Photos: []string{"3"}}}
	tests := []struct {
		name     string
		wanted   []WantedSet
		existing []Photoset
		known    map[string]SetMemory
		want     []SetChange
	}{
		{
			name:   "create all",
			wanted: wanted,
			want: []SetChange{
				{Action: SetCreate, Title: "A", Photos: []string{"1", "2"}},
				{Action: SetCreate, Title: "B", Photos: []string{"3"}},
			},
		},
		{
			name:   "keep, edit, delete ours, ignore others'",
			wanted: wanted,
			existing: []Photoset{
				{ID: "10", Title: "A", Description: SetDescription, Primary: "1", Count: 2},
				{ID: "11", Title: "B", Description: SetDescription, Primary: "3", Count: 2},
				{ID: "12", Title: "Old", Description: SetDescription, Primary: "5", Count: 1},
				{ID: "13", Title: "Mine", Description: "my own", Primary: "5", Count: 1},
				{ID: "14", Title: "A", Description: "user's set with our name", Primary: "9", Count: 1},
			},
			known: map[string]SetMemory{"10": {Photos: []string{"1", "2"}}, "11": {Photos: []string{"3", "4"}}},
			want: []SetChange{
				{Action: SetKeep, ID: "10", Title: "A", Photos: []string{"1", "2"}, Old: 2},
				{Action: SetEdit, ID: "11", Title: "B", Photos: []string{"3"}, Old: 2},
				{Action: SetDelete, ID: "12", Title: "Old", Old: 1},
			},
		},
		{
			name:   "unknown membership means edit",
			wanted: wanted[:1],
			existing: []Photoset{
				{ID: "10", Title: "A", Description: SetDescription, Primary: "1", Count: 2},
			},
			want: []SetChange{{Action: SetEdit, ID: "10", Title: "A", Photos: []string{"1", "2"}, Old: 2}},
		},
		{
			name:   "two of ours with one title: newest kept, other deleted",
			wanted: wanted[:1],
			existing: []Photoset{
				{ID: "9", Title: "A", Description: SetDescription, Primary: "1", Count: 2},
				{ID: "100", Title: "A", Description: SetDescription, Primary: "1", Count: 2},
			},
			known: map[string]SetMemory{"9": {Photos: []string{"1", "2"}}, "100": {Photos: []string{"1", "2"}, Updated: 7}},
			want: []SetChange{
				{Action: SetKeep, ID: "100", Title: "A", Photos: []string{"1", "2"}, Old: 2},
				{Action: SetDelete, ID: "9", Title: "A", Old: 2},
			},
		},
		{
			name:   "changed on Flickr since (reordered): edited back",
			wanted: wanted[:1],
			existing: []Photoset{
				{ID: "10", Title: "A", Description: SetDescription, Primary: "1", Count: 2, Updated: 8},
			},
			known: map[string]SetMemory{"10": {Photos: []string{"1", "2"}, Updated: 7}},
			want:  []SetChange{{Action: SetEdit, ID: "10", Title: "A", Photos: []string{"1", "2"}, Old: 2}},
		},
		{
			name:     "nothing wanted deletes nothing",
			existing: []Photoset{{ID: "12", Title: "Old", Description: SetDescription, Count: 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PlanSets(tt.wanted, tt.existing, tt.known)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestOutlookOf: status's figures are the sync's own matching: a picture matched by name
// and date is not to upload but to tag, copies count once, a picture uploaded twice is
// downloaded once, and an untagged photo nothing matches is to download.
func TestOutlookOf(t *testing.T) {
	tag := func(s string) string { return "flickrsync:signature=" + s }
	locals := []Local{
		{Path: "IMG_1.jpg", Signature: "a1", DateTaken: "2019:05:01 10:00:00"},
		{Path: "b.jpg", Signature: "b2"},
		{Path: "copies/b.jpg", Signature: "b2"},
		{Path: "c.jpg", Signature: "c3"},
		{Path: "broken.jpg"},
	}
	remotes := []Remote{
		{ID: "1", Title: "IMG_1", DateTaken: "2019-05-01 10:00:00"},
		{ID: "2", MachineTags: tag("b2")},
		{ID: "3", MachineTags: tag("d4"), DateUpload: 1},
		{ID: "4", MachineTags: tag("d4"), DateUpload: 2},
		{ID: "5", Title: "unknown"},
	}
	got := OutlookOf(locals, remotes, Known{})
	want := Outlook{Matched: 2, ToUpload: 1, ToTag: 1, ToDownload: 2}
	if got != want {
		t.Errorf("outlook %+v, want %+v", got, want)
	}
}
