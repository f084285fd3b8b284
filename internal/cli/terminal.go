package cli

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-runewidth"

	"github.com/posthog/wizard-ci/internal/ghaction"
	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/report"
	"github.com/posthog/wizard-ci/internal/results"
	"github.com/posthog/wizard-ci/internal/workbench"
)

// terminal prints progress on stderr: one plain line per started and
// finished app, which reads well both live and in a CI log.
type terminal struct {
	d      Deps
	policy outcome.Policy
	mu     sync.Mutex
	told   map[string]int // attempts already announced per app
}

func newTerminal(d Deps, p outcome.Policy) *terminal {
	return &terminal{d: d, policy: p, told: map[string]int{}}
}

func (t *terminal) app(a results.App, done, total int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if done < 0 {
		n := len(a.Attempts)
		if seen, ok := t.told[a.App]; ok && seen == n {
			return
		}
		t.told[a.App] = n
		switch {
		case !a.Running:
		case n == 0:
			fmt.Fprintf(t.d.Stderr, "  ▶ %s\n", a.App)
		case n < t.policy.MaxAttempts(a.Attempts[n-1].Outcome):
			last := a.Attempts[n-1]
			fmt.Fprintf(t.d.Stderr, "  ↻ %s: attempt %d ended %s; retrying\n", a.App, n, last.Outcome)
		}
		return
	}
	fmt.Fprintf(t.d.Stderr, "[%d/%d] %s %s: %s%s\n", done, total, a.Outcome.Emoji(), a.App, a.Outcome, attemptsNote(a))
}

// columns lays rows out in columns gap cells apart, measuring what a
// terminal draws (an emoji takes two cells; text/tabwriter counts code
// points, which misaligns them). No line ends in spaces.
func columns(rows [][]string, gap int) string {
	var width []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], runewidth.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", width[i]-runewidth.StringWidth(c)+gap))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

func attemptsNote(a results.App) string {
	if len(a.Attempts) <= 1 {
		if a.Reason != "" && a.Outcome != outcome.Success {
			return " — " + oneLine(a.Reason, 120)
		}
		return ""
	}
	return fmt.Sprintf(" after %d attempts (%s)", len(a.Attempts), retrySummary(a))
}

// retrySummary counts the outcomes of all attempts but the last: "2× provisioning".
func retrySummary(a results.App) string {
	counts := map[string]int{}
	for _, at := range a.Attempts[:len(a.Attempts)-1] {
		counts[string(at.Outcome)]++
	}
	var parts []string
	for _, k := range sortedKeys(counts) {
		parts = append(parts, fmt.Sprintf("%d× %s", counts[k], k))
	}
	return strings.Join(parts, ", ")
}

// oneLine is s on one line of at most n characters, with no escape
// sequence or control character left to reach the terminal.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(report.Plain(s)), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// textTable is the results table for a terminal.
func textTable(r *results.Results) string {
	var b strings.Builder
	if r.Run.Error != "" {
		fmt.Fprintf(&b, "❌ stopped before the first app: %s\n\n", report.PlainLines(r.Run.Error))
	}
	if ms := r.Run.MissingShards; len(ms) > 0 {
		what := "Their legs left no results, so their apps are"
		if len(ms) == 1 {
			what = "Its leg left no results, so its apps are"
		}
		fmt.Fprintf(&b, "❌ %s missing: %s. %s not in this table, and the run counts as failed.\n\n",
			countWord(len(ms), "shard"), strings.Join(ms, ", "), what)
	}
	rows := [][]string{{"APP", "RESULT", "ATTEMPTS", "TIME", "CHECKS", "DETAILS"}}
	for _, a := range r.Apps {
		res := string(a.Outcome)
		if res == "" {
			res = "pending"
		}
		att := fmt.Sprint(len(a.Attempts))
		if len(a.Attempts) > 1 {
			att += " (" + retrySummary(a) + ")"
		}
		detail := ""
		if a.Outcome != outcome.Success {
			detail = oneLine(a.Reason, 80)
		}
		checks := "—"
		if a.Checks != nil {
			checks = fmt.Sprintf("%d/%d", a.Checks.Passed, a.Checks.Total)
		}
		rows = append(rows, []string{a.App, a.Outcome.Emoji() + " " + res, att, roundDuration(a.Duration()).String(), checks, detail})
	}
	b.WriteString(columns(rows, 2))
	t := results.Tally(r.Apps)
	fmt.Fprintf(&b, "\n%d/%d succeeded", t[string(outcome.Success)], len(r.Apps))
	for _, k := range sortedKeys(t) {
		if k != string(outcome.Success) {
			fmt.Fprintf(&b, ", %d %s", t[k], k)
		}
	}
	if n := len(r.Run.MissingShards); n > 0 {
		fmt.Fprintf(&b, "; %s missing", countWord(n, "shard"))
	}
	// It goes to stdout too, where the runner of a workflow step reads
	// workflow commands: a wizard's words in it must not be one.
	return ghaction.InertLines(b.String())
}

// describeSelectError words a selection problem for the terminal or for a
// Markdown reply.
func describeSelectError(err error, style string) string {
	var se *workbench.SelectError
	if !errors.As(err, &se) {
		return err.Error()
	}
	var lines []string
	for _, p := range se.Problems {
		q := quoted(p.Target)
		if style == "markdown" {
			q = codeSpan(workbench.Clip(p.Target))
		}
		// Most messages name their target already ("x" is not a target…):
		// say it once, as a code span in Markdown.
		line := q + ": " + p.Msg
		if named := quoted(p.Target); p.Target != "" && strings.Contains(p.Msg, named) {
			line = strings.Replace(p.Msg, named, q, 1)
		} else if p.Target == "" {
			line = p.Msg
		}
		if len(p.Suggestions) > 0 {
			var s []string
			for _, x := range p.Suggestions {
				if style == "markdown" {
					s = append(s, codeSpan(x))
				} else {
					s = append(s, fmt.Sprintf("%q", x))
				}
			}
			line += ". Did you mean " + orList(s) + "?"
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func orList(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// roundDuration keeps durations short: 340ms, 12.3s, 2m5s.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond)
	case d < time.Minute:
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}
