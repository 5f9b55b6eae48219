package syncer

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/flickrsync/flickrsync/internal/privacy"
	"github.com/flickrsync/flickrsync/internal/words"
)

// Privacy per folder (package privacy has the rules). An upload gets the whole setting of
// its picture's path (the profile's default, then the rules covering it). Afterwards,
// the rules' part applies to the photos already on Flickr: the store remembers what
// flickrsync last gave each photo a rule covers (PrivacyStore), and the privacy step
// changes a photo (photos.setPerms, setSafetyLevel, setContentType) when its picture's
// rules now say otherwise: a rule changed, or the picture moved under another rule.
// A photo never remembered counts as having what uploads got then (the default, or what
// this run uploaded it with); a photo no rule covers is left as it is, so a change made by
// hand on Flickr stays until a rule covering the photo changes.

// PrivacyStore is a Store that remembers the privacy flickrsync gave each photo: an
// optional ability (without it, the rules apply to uploads only).
type PrivacyStore interface {
	// PhotoPrivacy returns, by photo id, the setting last given (privacy's text form).
	PhotoPrivacy(ctx context.Context) (map[string]string, error)
	// SetPhotoPrivacy records settings by photo id; "" forgets a photo's.
	SetPhotoPrivacy(ctx context.Context, settings map[string]string) error
}

// PrivacySetter is an optional ability of a Flickr client: it gives a photo the aspects a
// setting sets (visibility, safety level and hidden, content type), leaving the others.
type PrivacySetter interface {
	SetPrivacy(ctx context.Context, photoID string, s privacy.Setting) error
}

// setPrivacy puts a setting into an upload's arguments.
func setPrivacy(m *UploadMeta, s privacy.Setting) {
	m.IsPublic, m.IsFriend, m.IsFamily = s.Visibility.Public, s.Visibility.Friend, s.Visibility.Family
	m.SafetyLevel, m.ContentType, m.Hidden = s.Safety, s.Content, s.Hidden
}

// PrivacyChange is a photo whose rules say otherwise than what it has: To holds the
// aspects to set, From what it had of them.
type PrivacyChange struct {
	Remote   *Remote
	Path     string // the picture whose rules decide
	From, To privacy.Setting
}

// PlanPrivacy compares, for each photo matched by a picture (the picture kept first
// among copies), what the rules covering the picture's path set with what the photo has
// (remembered; else what this run uploaded it with, sent; else the default). It returns
// the changes, and the store's memory after them (the settings of the photos the rules
// cover, "" for a photo no longer covered).
func PlanPrivacy(m *Matching, rules *privacy.Rules, remembered map[string]string, sent map[string]string) ([]PrivacyChange, map[string]string) {
	var changes []PrivacyChange
	memory := map[string]string{}
	seen := map[string]bool{}
	sentBy := map[string]string{}
	for sig, path := range sent {
		sentBy[sig] = path
	}
	for _, g := range Duplicates(m.Locals) {
		for _, l := range append([]*Local{g.Keep}, g.Copies...) {
			r := m.Best(l)
			if r == nil || seen[r.ID] {
				continue
			}
			seen[r.ID] = true
			want := rules.Covered(l.Path)
			old, known := remembered[r.ID]
			if want.IsZero() {
				if known {
					memory[r.ID] = ""
				}
				continue
			}
			have := rules.Default // what uploads got
			switch {
			case known:
				have, _ = privacy.Parse(old)
			case sentBy[r.Signature()] != "":
				have = rules.For(sentBy[r.Signature()])
			}
			to, from := differing(have, want)
			if !to.IsZero() {
				changes = append(changes, PrivacyChange{Remote: r, Path: l.Path, From: from, To: to})
			}
			if s := want.String(); s != old {
				memory[r.ID] = s
			}
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes, memory
}

// differing are the aspects want sets that have does not have (to), and what have has
// of them (from).
func differing(have, want privacy.Setting) (to, from privacy.Setting) {
	if want.Visibility.Set && want.Visibility != have.Visibility {
		to.Visibility, from.Visibility = want.Visibility, have.Visibility
	}
	if want.Safety != 0 && want.Safety != have.Safety {
		to.Safety, from.Safety = want.Safety, have.Safety
	}
	if want.Content != 0 && want.Content != have.Content {
		to.Content, from.Content = want.Content, have.Content
	}
	if want.Hidden != 0 && want.Hidden != have.Hidden {
		to.Hidden, from.Hidden = want.Hidden, have.Hidden
	}
	return to, from
}

// applyPrivacy makes the privacy changes the rules call for, and records what the
// photos have then. It returns what it changed: the memory written.
func (r *run) applyPrivacy(ctx context.Context, m *Matching, k Known) (change, error) {
	var c change
	ps, okStore := r.Store.(PrivacyStore)
	setter, okFlickr := r.Flickr.(PrivacySetter)
	if !okStore || !okFlickr || r.opt.Privacy == nil || len(r.opt.Privacy.Rules)+len(k.Privacy) == 0 {
		return c, nil
	}
	changes, memory := PlanPrivacy(m, r.opt.Privacy, k.Privacy, k.Sent)
	describe := func(pc PrivacyChange) string {
		was := pc.From.String()
		if was == "" {
			was = "the account's default"
		}
		return fmt.Sprintf("photo %s: %s (was %s)", pc.Remote.ID, pc.To, was)
	}
	if len(changes) > 0 {
		ok, err := r.ask(ctx, fmt.Sprintf("Change who may see %s (or how Flickr classes %s), as the privacy rules say?", words.Count(len(changes), "Flickr photo"), words.Noun(len(changes), "it", "them")))
		if err != nil {
			return c, err
		}
		if !ok {
			for _, pc := range changes {
				r.skipAll(StepPrivacy, []string{pc.Path}, "set "+describe(pc))
				delete(memory, pc.Remote.ID) // not given: the next run asks again
			}
			changes = nil
		}
	}
	if r.opt.DryRun {
		return c, nil
	}
	var mu sync.Mutex
	var err error
	if len(changes) > 0 {
		r.out.StepStart(StepPrivacy, len(changes))
		err = parallel(ctx, r.opt.Transfers, changes, func(ctx context.Context, pc PrivacyChange) {
			defer r.out.StepAdd(StepPrivacy, 1)
			if err := setter.SetPrivacy(ctx, pc.Remote.ID, pc.To); err != nil {
				mu.Lock()
				delete(memory, pc.Remote.ID) // tried again by the next run
				mu.Unlock()
				r.record(Event{Step: StepPrivacy, Subject: pc.Path, Outcome: Failed, Detail: fmt.Sprintf("photo %s: %v", pc.Remote.ID, err)})
				return
			}
			r.record(Event{Step: StepPrivacy, Subject: pc.Path, Outcome: Done, Detail: describe(pc)})
		}, func(pc PrivacyChange) {
			mu.Lock()
			delete(memory, pc.Remote.ID)
			mu.Unlock()
			r.record(Event{Step: StepPrivacy, Subject: pc.Path, Outcome: Skipped, Detail: "interrupted"})
		})
		r.out.StepEnd(StepPrivacy)
	}
	if len(memory) > 0 {
		if werr := ps.SetPhotoPrivacy(context.WithoutCancel(ctx), memory); werr != nil {
			return c, fmt.Errorf("write catalog: %w", werr)
		}
		c.privacy = memory
	}
	return c, err
}
