package results

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Merge joins the results of the legs of a sharded run into one (SPEC §8).
// Apps are concatenated and sorted by path; an app that appears in two legs
// is an error, because every app belongs to exactly one shard. Run fields
// come from the first leg, except that targets are unioned in first-seen
// order, started is the earliest start, finished the latest finish, distinct
// run errors are joined, and Shard is cleared. The inputs are not modified.
func Merge(rs []*Results) (*Results, error) {
	if len(rs) == 0 {
		return nil, errors.New("merge results: no legs")
	}
	for i, r := range rs {
		if r == nil {
			return nil, fmt.Errorf("merge results: leg %d is empty", i+1)
		}
	}
	m := &Results{Schema: Schema, Run: rs[0].Run}
	m.Run.Shard = ""
	m.Run.Targets = nil
	var errs []string
	from := map[string]int{}
	for i, r := range rs {
		for _, t := range r.Run.Targets {
			if !slices.Contains(m.Run.Targets, t) {
				m.Run.Targets = append(m.Run.Targets, t)
			}
		}
		if s := r.Run.StartedAt; !s.IsZero() && (m.Run.StartedAt.IsZero() || s.Before(m.Run.StartedAt)) {
			m.Run.StartedAt = s
		}
		if f := r.Run.FinishedAt; f.After(m.Run.FinishedAt) {
			m.Run.FinishedAt = f
		}
		if e := r.Run.Error; e != "" && !slices.Contains(errs, e) {
			errs = append(errs, e)
		}
		if m.Run.HeadMoved == "" {
			m.Run.HeadMoved = r.Run.HeadMoved
		}
		for _, a := range r.Apps {
			if j, dup := from[a.App]; dup {
				return nil, fmt.Errorf("merge results: app %q is in leg %d and leg %d; every app belongs to one shard", a.App, j+1, i+1)
			}
			from[a.App] = i
			m.Apps = append(m.Apps, a)
		}
	}
	m.Run.Error = strings.Join(errs, "\n")
	slices.SortStableFunc(m.Apps, func(a, b App) int { return strings.Compare(a.App, b.App) })
	m.Totals = Tally(m.Apps)
	return m, nil
}
