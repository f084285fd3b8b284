package workbench

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/agnivade/levenshtein"
)

// All is the target that selects every app of every category CI may run (SPEC §2).
const All = "all"

// maxSuggestions is how many "did you mean" targets a problem carries (SPEC §2).
const maxSuggestions = 5

// Problem is one target that cannot be run.
type Problem struct {
	Target      string
	Msg         string   // a sentence saying what is wrong, naming the target
	Suggestions []string // closest valid targets, best first; only for unknown targets
	NotCI       bool     // the target exists but is in a category CI may not run
}

// SelectError lists every target of a command that cannot be run; when there is
// one, nothing runs (SPEC §2).
type SelectError struct {
	Problems []Problem
}

func (e *SelectError) Error() string {
	msgs := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		m := p.Msg
		if len(p.Suggestions) > 0 {
			m += fmt.Sprintf(" (did you mean %s?)", quoteList(p.Suggestions))
		}
		msgs = append(msgs, m)
	}
	return strings.Join(msgs, "; ")
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// Select resolves targets to apps: the union of every target's apps, without
// duplicates, sorted by path. A target is "all", or a path relative to the root
// that is an app or a folder above apps, matched on whole path segments; a
// trailing "/" is ignored. "all" never includes a category whose ci is false. With
// ciOnly, naming such a category (or anything in it) is a problem too; without,
// naming it explicitly selects it (SPEC §8). Every problem is reported in one
// *SelectError, and then no apps are returned.
func (w *Workbench) Select(targets []string, ciOnly bool) ([]App, error) {
	if len(targets) == 0 {
		return nil, &SelectError{Problems: []Problem{{Msg: "no target given; name a target, or all for every app CI may run"}}}
	}
	var problems []Problem
	picked := map[string]App{}
	reported := map[string]bool{}
	for _, raw := range targets {
		apps, p := w.resolve(raw, ciOnly)
		if p != nil {
			if !reported[raw] {
				reported[raw] = true
				problems = append(problems, *p)
			}
			continue
		}
		for _, a := range apps {
			picked[a.Path] = a
		}
	}
	if len(problems) > 0 {
		return nil, &SelectError{Problems: problems}
	}
	out := make([]App, 0, len(picked))
	for _, a := range picked {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// resolve returns the apps of one target, or the problem with it.
func (w *Workbench) resolve(raw string, ciOnly bool) ([]App, *Problem) {
	t := strings.TrimRight(raw, "/")
	if t == All {
		apps := w.ciApps()
		if len(apps) == 0 {
			return nil, &Problem{Target: raw, Msg: "all selects no apps: no category with ci: true in wizard-ci.yml has an app"}
		}
		return apps, nil
	}
	var apps []App
	if t != "" {
		for _, a := range w.Apps {
			if a.Path == t || strings.HasPrefix(a.Path, t+"/") {
				apps = append(apps, a)
			}
		}
	}
	first, _, _ := strings.Cut(t, "/")
	cat, isCat := w.Category(first)
	switch {
	case len(apps) > 0 && ciOnly && !cat.CI:
		return nil, &Problem{Target: raw, NotCI: true, Msg: fmt.Sprintf(
			"%q is in the category %q, which CI may not run (ci: false in wizard-ci.yml); run it with the wizard-ci command line instead", t, first)}
	case len(apps) > 0:
		return apps, nil
	case isCat && t == first:
		return nil, &Problem{Target: raw, Msg: fmt.Sprintf("the category %q has no apps yet (no app folder under %s/)", t, t)}
	case !isCat && first != "" && contains(w.Unlisted, first):
		return nil, &Problem{Target: raw, Msg: fmt.Sprintf(
			"the folder %q is not a category in wizard-ci.yml, so its apps are never run; add it under categories: to run them", first)}
	}
	p := &Problem{Target: raw, Msg: fmt.Sprintf("%q is not a target in the workbench", Clip(t))}
	for _, c := range w.targets(false) {
		if strings.HasPrefix(c, t) && t != "" {
			p.Msg += "; targets match whole folder names"
			break
		}
	}
	p.Suggestions = w.suggest(t, maxSuggestions, ciOnly)
	return nil, p
}

// MaxEcho bounds how many characters of a user's token a message echoes.
const MaxEcho = 60

// Clip shortens s to MaxEcho characters and "…", so a huge token cannot
// flood a message.
func Clip(s string) string {
	n := 0
	for i := range s {
		if n == MaxEcho {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// ciApps returns the apps of every category CI may run: what "all" selects.
func (w *Workbench) ciApps() []App {
	var apps []App
	for _, a := range w.Apps {
		if c, ok := w.Category(a.Category); ok && c.CI {
			apps = append(apps, a)
		}
	}
	return apps
}

// Targets returns every valid target, sorted, with "all" first: "all" (when it
// selects any app), every category with apps, every folder above apps and every
// app. With ciOnly, targets in categories CI may not run are left out.
func (w *Workbench) Targets(ciOnly bool) []string {
	return w.targets(ciOnly)
}

func (w *Workbench) targets(ciOnly bool) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range w.Apps {
		if c, ok := w.Category(a.Category); !ok || (ciOnly && !c.CI) {
			continue
		}
		// Every prefix of whole segments is a target: the category, each folder, the app.
		for i := 0; i <= len(a.Path); i++ {
			if i < len(a.Path) && a.Path[i] != '/' {
				continue
			}
			if p := a.Path[:i]; !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	if len(w.ciApps()) > 0 {
		out = append([]string{All}, out...)
	}
	return out
}

// Suggest returns up to n valid targets (of Targets(false)) close to token, best
// first, ties by name: targets within a small edit distance of token (whole path, or
// last folder name against last folder name), targets whose last folder name contains
// token's (at least 3 letters; so "next-js" suggests "basic-integration/next-js"), or,
// when none is, the deepest valid folder that token lies inside.
func (w *Workbench) Suggest(token string, n int) []string {
	return w.suggest(token, n, false)
}

func (w *Workbench) suggest(token string, n int, ciOnly bool) []string {
	tok := strings.ToLower(strings.TrimRight(token, "/"))
	if n <= 0 || tok == "" {
		return nil
	}
	tokLast := lastSegment(tok)
	// The allowed distance grows with the last folder name, not the whole path:
	// a long parent path must not make every sibling look close.
	limit := max(2, len([]rune(tokLast))/3)
	type cand struct {
		target string
		score  int
	}
	var cands []cand
	ancestor := ""
	// When the folder above the last one is a real target, the user got
	// the path right up to there: look-alike names elsewhere in the
	// workbench ("misc/nope" → ".../notes") are no help.
	parent := ""
	if i := strings.LastIndex(tok, "/"); i > 0 && slices.ContainsFunc(w.targets(false), func(t string) bool { return strings.EqualFold(t, tok[:i]) }) {
		parent = tok[:i]
	}
	for _, t := range w.targets(ciOnly) {
		if t == All && strings.Contains(tok, "/") {
			continue // a path is never a typo of "all"
		}
		lt := strings.ToLower(t)
		last := lastSegment(lt)
		score := levenshtein.ComputeDistance(tok, lt)
		if parent == "" || lt == parent || strings.HasPrefix(lt, parent+"/") {
			score = min(score, levenshtein.ComputeDistance(tokLast, last))
			// Containment needs a few letters, or every target would contain a one-letter token.
			if len([]rune(tokLast)) >= 3 && strings.Contains(last, tokLast) {
				score = min(score, 1)
			}
		}
		// A distance as long as the token means nothing is shared ("al" is not "api").
		if score <= limit && score < len([]rune(tokLast)) {
			cands = append(cands, cand{t, score})
		} else if strings.HasPrefix(tok, lt+"/") && len(lt) > len(ancestor) {
			ancestor = t
		}
	}
	if len(cands) == 0 && ancestor != "" {
		cands = append(cands, cand{ancestor, limit + 1})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score < cands[j].score
		}
		return cands[i].target < cands[j].target
	})
	out := []string{}
	for _, c := range cands {
		if len(out) == n {
			break
		}
		out = append(out, c.target)
	}
	return out
}

func lastSegment(p string) string {
	return p[strings.LastIndex(p, "/")+1:]
}
