package results

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Merge joins the results of the legs of a sharded run into one (SPEC §8).
// Apps are concatenated and sorted by path; an app that appears in two legs
// is an error, because every app belongs to exactly one shard. Run fields
// come from the first leg, except that targets are unioned in first-seen
// order, started is the earliest start, finished the latest finish, distinct
// run errors are joined, missing shards recorded by earlier merges are
// unioned, and Shard and Selected are cleared. The inputs are not modified.
// Whether a leg is missing is CheckShards' question.
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
	m.Run.Shard, m.Run.Selected = "", 0
	m.Run.Targets, m.Run.MissingShards = nil, nil
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
		for _, s := range r.Run.MissingShards {
			if !slices.Contains(m.Run.MissingShards, s) {
				m.Run.MissingShards = append(m.Run.MissingShards, s)
			}
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

// CheckShards checks that the legs of a sharded run are all there (SPEC
// §8) and returns the shards, as "i/n" in order, of which no leg was given.
// Legs that ran `run --shard i/n` must split the run alike (one n, one
// selection) and each shard may come once; names[k] names rs[k] in the
// errors. A shard that had no app (more shards than apps: plan leaves it
// out of the matrix) is not missing; without Selected (a leg of an older
// wizard-ci) every shard 1..n is expected. Legs without a shard (`run
// <apps…>`) cannot be checked this way and are left out.
func CheckShards(rs []*Results, names []string) ([]string, error) {
	n, selected := 0, 0
	first, firstSel := -1, -1
	leg := map[int]int{} // shard number → index of its leg
	for k, r := range rs {
		if r == nil || r.Run.Shard == "" {
			continue
		}
		i, m, err := parseShard(r.Run.Shard)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", names[k], err)
		}
		if first < 0 {
			n, first = m, k
		} else if m != n {
			return nil, fmt.Errorf("the legs %s (shard %s) and %s (shard %s) are not shards of one run: "+
				"merge only the legs of one sharded run", names[first], rs[first].Run.Shard, names[k], r.Run.Shard)
		}
		if j, dup := leg[i]; dup {
			return nil, fmt.Errorf("the legs %s and %s are both shard %s: "+
				"give each leg of the run once", names[j], names[k], r.Run.Shard)
		}
		leg[i] = k
		if s := r.Run.Selected; s > 0 {
			if firstSel >= 0 && s != selected {
				return nil, fmt.Errorf("the legs %s and %s split different selections (%d and %d apps): "+
					"merge only the legs of one sharded run", names[firstSel], names[k], selected, s)
			}
			selected, firstSel = s, k
		}
	}
	if first < 0 {
		return nil, nil
	}
	last := n
	if firstSel >= 0 {
		last = max(1, min(n, selected))
	} else if k, ok := leg[1]; ok && len(rs[k].Apps) == 0 {
		// Shard 1 is empty only when nothing was selected.
		last = 1
	}
	var missing []string
	for i := 1; i <= last; i++ {
		if _, ok := leg[i]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", i, n))
		}
	}
	return missing, nil
}

// parseShard reads "i/n" with 1 ≤ i ≤ n.
func parseShard(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	i, e1 := strconv.Atoi(a)
	n, e2 := strconv.Atoi(b)
	if !ok || e1 != nil || e2 != nil || i < 1 || i > n {
		return 0, 0, fmt.Errorf("run.shard %q is not i/n with 1 ≤ i ≤ n", s)
	}
	return i, n, nil
}
