package syncer

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/flickrsync/flickrsync/internal/words"
)

// RawTagger is an optional ability of a Flickr client: a photo's tags as typed (the raw
// form, photos.getInfo), not the normalised form the listing gives. DeleteTags uses it to
// write back the remaining tags unchanged; without it, it writes their normalised form.
type RawTagger interface {
	RawTags(ctx context.Context, photoID string) ([]string, error)
}

// DeleteTags removes, from every photo of the account, each tag containing match (case
// insensitive); the photos themselves are never touched otherwise.
func (e *Engine) DeleteTags(ctx context.Context, match string, opt Options) (*Report, error) {
	r := e.newRun(opt)
	if match == "" {
		return r.rep, fmt.Errorf("delete tags: empty string matches every tag")
	}
	if _, err := r.indexFlickr(ctx, false); err != nil {
		return r.rep, err
	}
	remotes, err := r.Store.Remotes(ctx)
	if err != nil {
		return r.rep, fmt.Errorf("read catalog: %w", err)
	}
	var hits []Remote
	for _, x := range remotes {
		if len(matchingTags(strings.Fields(x.Tags), match)) > 0 {
			hits = append(hits, x)
		}
	}
	if len(hits) == 0 {
		r.rep.Note("no Flickr photo has a tag containing %q", match)
		return r.rep, nil
	}
	ok, err := r.ask(ctx, fmt.Sprintf("Delete the tags containing %q from %s?", match, words.Count(len(hits), "Flickr photo")))
	if err != nil {
		return r.rep, err
	}
	if !ok {
		for _, x := range hits {
			outcome, reason := Skipped, "declined"
			if r.opt.DryRun {
				outcome, reason = Planned, "would remove "+strings.Join(matchingTags(strings.Fields(x.Tags), match), " ")
			}
			r.record(Event{Step: StepDeleteTags, Subject: x.ID, Outcome: outcome, Detail: reason})
		}
		return r.rep, nil
	}
	raw, _ := r.Flickr.(RawTagger)
	r.out.StepStart(StepDeleteTags, len(hits))
	defer r.out.StepEnd(StepDeleteTags)
	err = parallel(ctx, r.opt.Transfers, hits, func(ctx context.Context, x Remote) {
		defer r.out.StepAdd(StepDeleteTags, 1)
		tags := strings.Fields(x.Tags)
		if raw != nil {
			t, err := raw.RawTags(ctx, x.ID)
			if err != nil {
				r.record(Event{Step: StepDeleteTags, Subject: x.ID, Outcome: Failed, Detail: "read tags: " + err.Error()})
				return
			}
			tags = t
		}
		removed := matchingTags(tags, match)
		keep := withoutTags(tags, match)
		if err := r.Flickr.SetTags(ctx, x.ID, JoinTags(keep)); err != nil {
			r.record(Event{Step: StepDeleteTags, Subject: x.ID, Outcome: Failed, Detail: err.Error()})
			return
		}
		x.Tags = strings.Join(withoutTags(strings.Fields(x.Tags), match), " ")
		x.MachineTags = strings.Join(withoutTags(strings.Fields(x.MachineTags), match), " ")
		if err := r.Store.PutRemotes(context.WithoutCancel(ctx), []Remote{x}); err != nil {
			r.record(Event{Step: StepDeleteTags, Subject: x.ID, Outcome: Failed, Detail: "tags removed, but the catalog write failed: " + err.Error()})
			return
		}
		r.record(Event{Step: StepDeleteTags, Subject: x.ID, Outcome: Done, Detail: "removed " + strings.Join(removed, " ")})
	}, func(x Remote) {
		r.record(Event{Step: StepDeleteTags, Subject: x.ID, Outcome: Skipped, Detail: "interrupted"})
	})
	return r.rep, err
}

func tagHas(tag, match string) bool {
	return strings.Contains(strings.ToLower(tag), strings.ToLower(match))
}

func matchingTags(tags []string, match string) []string {
	var out []string
	for _, t := range tags {
		if tagHas(t, match) {
			out = append(out, t)
		}
	}
	return out
}

func withoutTags(tags []string, match string) []string {
	var out []string
	for _, t := range tags {
		if !tagHas(t, match) {
			out = append(out, t)
		}
	}
	return out
}

var machineTagRE = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_]*:[A-Za-z][A-Za-z0-9_]*=)(.*)$`)

// JoinTags writes tags in Flickr's tags argument syntax: space separated, a tag with
// spaces double-quoted (a machine tag's value quoted after the '=').
func JoinTags(tags []string) string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.ReplaceAll(t, `"`, "")
		if t == "" {
			continue
		}
		if strings.ContainsAny(t, " \t") {
			if m := machineTagRE.FindStringSubmatch(t); m != nil {
				t = m[1] + `"` + m[2] + `"`
			} else {
				t = `"` + t + `"`
			}
		}
		out = append(out, t)
	}
	return strings.Join(out, " ")
}
