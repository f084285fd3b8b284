package report

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/results"
)

// Size limits of what GitHub accepts.
const (
	// DefaultMaxChars is GitHub's limit for a comment or issue body.
	DefaultMaxChars = 65536
	// MaxBytes bounds a body in bytes whatever MaxChars says.
	MaxBytes = 262144
	// MaxSummaryBytes is the limit of one step's job summary.
	MaxSummaryBytes = 1 << 20
)

// Limits on echoed text, so no single field can eat the size budget.
const (
	maxAppChars    = 300 // app path in a table cell
	maxReasonChars = 200 // Details column
	maxLineChars   = 300 // one line of a log excerpt or of the run error
	maxErrorLines  = 20  // lines of the run error
	maxTargets     = 10  // targets named in the header
	maxConfigChars = 200 // one configuration value
	maxExcerpt     = 50  // lines of a log excerpt (the last ones are kept)
)

// CommentOptions tunes Comment.
type CommentOptions struct {
	// MaxChars is the most Unicode code points the body may have; zero
	// means DefaultMaxChars. The body is also never over MaxBytes bytes.
	MaxChars int
	// Previous is the URL of the results comment that this run reruns the
	// failed apps of (rerun-failed), linked from the header.
	Previous string
	// Final marks the last update of the run: the title gives the verdict
	// even if some app never got an outcome. A body whose apps all have an
	// outcome is rendered as final anyway.
	Final bool
	// Config is shown, sorted by key, in the configuration table at the end.
	Config map[string]string
}

// Comment renders the results comment of SPEC §6: the results marker, the
// verdict and progress, run facts, one table row per app, a collapsed log
// excerpt per failed app, the configuration, and the embedded state.
//
// The body always fits o.MaxChars. When the whole does not fit, it degrades
// in this order, each step only when the one before was not enough, and says
// what it left out: drop log excerpts (from the last failed app backwards);
// collapse successful and pending rows into count rows; shorten failure rows
// to their outcome; drop the embedded state (rerun-failed then cannot work);
// count the remaining rows by outcome instead of listing them (from the
// last backwards).
func Comment(r *results.Results, o CommentOptions) string {
	maxChars := o.MaxChars
	if maxChars <= 0 {
		maxChars = DefaultMaxChars
	}
	d := newDoc(r, o.Final, o.Previous, o.Config)
	fits := func(p plan) bool {
		chars, size := d.measure(p)
		return chars <= maxChars && size <= MaxBytes
	}
	p, ok := d.fit(fits)
	body := d.assemble(p)
	if !ok {
		// Only a tiny MaxChars gets here: cut whole lines, keeping the marker.
		body = cutLines(body, maxChars, MaxBytes, "_The rest of this report did not fit the size limit._")
	}
	return body
}

// Summary renders the same report for the job summary and the tracking
// issue: no results marker and no state, nothing left out. A report over
// 1 MiB (the job summary limit) is cut at a line with a note.
func Summary(r *results.Results) string {
	d := newDoc(r, false, "", nil)
	d.marker, d.state = text{}, text{}
	body := d.assemble(d.fullPlan())
	if len(body) <= MaxSummaryBytes {
		return body
	}
	return cutLines(body, MaxSummaryBytes, MaxSummaryBytes, "_The report was cut here: it is over the 1 MiB limit of a job summary. `results.json` has every app._")
}

// rowKind groups apps for degradation.
type rowKind int

const (
	kindSuccess rowKind = iota
	kindPending
	kindRunning
	kindFailed
)

// row is one app's table row, rendered once in full and once shortened.
type row struct {
	kind        rowKind
	label       string // emoji and outcome, e.g. "❌ crashed"
	full, short text
	details     text // the <details> block, empty when there is nothing to show
}

// text is a defused piece of a body, whole lines, with its size in
// characters. Pieces are measured once, so trying a plan costs no rendering.
type text struct {
	s     string
	chars int
}

func newText(s string) text {
	s = defuse(s)
	return text{s, utf8.RuneCountInString(s)}
}

// doc holds the pieces of a report; assemble joins them according to a plan.
type doc struct {
	marker   text
	head     text
	rows     []row
	withDet  []int // indexes of rows with details, in table order
	others   []int // indexes of running and failed rows, in table order
	nSuccess int
	nPending int
	config   text
	state    text
}

// plan says how much of the report to keep.
type plan struct {
	details  int  // rows of withDet whose details are kept (the first n)
	collapse bool // success and pending rows become count rows
	short    bool // running and failed rows lose attempts, time, checks, details
	state    bool
	listed   int // with collapse: rows of others listed (the first n); the rest are counted
}

func (d *doc) fullPlan() plan {
	return plan{details: len(d.withDet), state: d.state.s != "", listed: len(d.others)}
}

// fit finds the first plan, in degradation order, that fits. It reports
// false when not even the last one does.
func (d *doc) fit(fits func(plan) bool) (plan, bool) {
	p := d.fullPlan()
	if fits(p) {
		return p, true
	}
	// 1. Drop log excerpts, as few as needed.
	if n, ok := largest(len(d.withDet), func(n int) bool { p.details = n; return fits(p) }); ok {
		p.details = n
		return p, true
	}
	p.details = 0
	// 2–4. Collapse successful and pending rows, shorten failures, drop the state.
	for _, step := range []func(){
		func() { p.collapse = true },
		func() { p.short = true },
		func() { p.state = false },
	} {
		step()
		if fits(p) {
			return p, true
		}
	}
	// 5. Count the remaining rows instead of listing them, as few as needed.
	n, ok := largest(len(d.others), func(n int) bool { p.listed = n; return fits(p) })
	p.listed = n
	return p, ok
}

// largest returns the largest n in [0, hi) for which try holds, by binary
// search (the body grows with n). It reports false when even 0 fails.
func largest(hi int, try func(n int) bool) (int, bool) {
	lo, best, found := 0, 0, false
	hi--
	for lo <= hi {
		mid := (lo + hi) / 2
		if try(mid) {
			best, found = mid, true
			lo = mid + 1
		} else {
			hi = mid - 1
		}
	}
	return best, found
}

func newDoc(r *results.Results, final bool, previous string, config map[string]string) *doc {
	d := &doc{marker: newText(ResultsMarker(r.Run.ID) + "\n")}
	var failed []FailedApp
	done := 0
	for i := range r.Apps {
		a := &r.Apps[i]
		rw := newRow(a)
		switch rw.kind {
		case kindSuccess:
			d.nSuccess++
		case kindPending:
			d.nPending++
		default:
			d.others = append(d.others, i)
		}
		if rw.details.s != "" {
			d.withDet = append(d.withDet, i)
		}
		if a.Outcome != "" {
			done++
			if a.Outcome != outcome.Success {
				failed = append(failed, FailedApp{App: a.App, Outcome: a.Outcome})
			}
		}
		d.rows = append(d.rows, rw)
	}
	d.head = newText(renderHead(r, final || done == len(r.Apps), previous))
	if c := renderConfig(config); c != "" {
		d.config = newText("\n" + c)
	}
	d.state = newText("\n" + EncodeState(State{
		RunID: r.Run.ID, HeadSHA: r.Run.HeadSHA, Program: r.Run.Program, WizardRef: r.Run.WizardRef,
		Targets: r.Run.Targets, Failed: failed,
	}) + "\n")
	return d
}

var tableHeader = newText("\n| App | Result | Attempts | Time | Checks | Details |\n|---|---|---|---|---|---|\n")

// walk emits the pieces of the body for plan p, in order. assemble and
// measure share it, so what is measured is what is posted.
func (d *doc) walk(p plan, emit func(text)) {
	emit(d.marker)
	emit(d.head)
	if n := d.note(p); n != "" {
		emit(newText(n))
	}
	if len(d.rows) > 0 {
		emit(tableHeader)
		listed := make(map[int]bool, len(d.others))
		for _, i := range d.others[:min(p.listed, len(d.others))] {
			listed[i] = true
		}
		counts := map[string]int{}
		var order []string
		for i, rw := range d.rows {
			switch {
			case p.collapse && (rw.kind == kindSuccess || rw.kind == kindPending || !listed[i]):
				if counts[rw.label] == 0 {
					order = append(order, rw.label)
				}
				counts[rw.label]++
			case p.short && (rw.kind == kindFailed || rw.kind == kindRunning):
				emit(rw.short)
			default:
				emit(rw.full)
			}
		}
		slices.SortStableFunc(order, func(x, y string) int { return labelRank(x) - labelRank(y) })
		for _, l := range order {
			emit(newText(tableRow("*"+plural(counts[l], "app")+"*", l, "", "", "", "not listed: size limit")))
		}
	}
	for _, i := range d.withDet[:min(p.details, len(d.withDet))] {
		emit(d.rows[i].details)
	}
	emit(d.config)
	if p.state {
		emit(d.state)
	}
}

// assemble renders the body for plan p.
func (d *doc) assemble(p plan) string {
	var b strings.Builder
	_, size := d.measure(p)
	b.Grow(size)
	d.walk(p, func(t text) { b.WriteString(t.s) })
	return b.String()
}

// measure is the size of the body for plan p, in characters and bytes.
func (d *doc) measure(p plan) (chars, size int) {
	d.walk(p, func(t text) { chars, size = chars+t.chars, size+len(t.s) })
	return chars, size
}

// note says what the plan left out, or nothing for a full plan.
func (d *doc) note(p plan) string {
	var parts []string
	if n := len(d.withDet) - p.details; n > 0 {
		parts = append(parts, fmt.Sprintf("the log excerpts and failed checks of %s", plural(n, "app")))
	}
	if p.collapse && d.nSuccess+d.nPending > 0 {
		var c []string
		if d.nSuccess > 0 {
			c = append(c, fmt.Sprintf("%d successful", d.nSuccess))
		}
		if d.nPending > 0 {
			c = append(c, fmt.Sprintf("%d pending", d.nPending))
		}
		parts = append(parts, "the rows of "+strings.Join(c, " and ")+" apps (counted in the table)")
	}
	if p.short && len(d.others) > 0 {
		parts = append(parts, "the attempts, times, checks and details of apps that did not succeed (their outcome is shown)")
	}
	if !p.state && d.state.s != "" {
		parts = append(parts, "the embedded state, so `/wizard-ci rerun-failed` cannot rerun this run: name the apps in a new command instead")
	}
	if n := len(d.others) - p.listed; p.collapse && n > 0 {
		parts = append(parts, "the rows of "+plural(n, "more app")+" that did not succeed or are running (counted by outcome in the table)")
	}
	if len(parts) == 0 {
		return ""
	}
	return "\n> [!NOTE]\n> Shortened to fit the size limit of a GitHub comment. Left out: " + strings.Join(parts, "; ") +
		". `results.json` and the logs in the output folder have everything.\n"
}

// labelRank orders count rows: success, the failure outcomes in SPEC
// order, running, pending.
func labelRank(label string) int {
	for i, o := range outcome.All {
		if label == resultLabel(o, false) {
			return i
		}
	}
	if label == labelRunning {
		return len(outcome.All)
	}
	return len(outcome.All) + 1
}

const (
	labelPending = "⏸️ pending"
	labelRunning = "🔄 running"
)

func resultLabel(o outcome.Outcome, running bool) string {
	switch {
	case o != "":
		return o.Emoji() + " " + string(o)
	case running:
		return labelRunning
	default:
		return labelPending
	}
}

func newRow(a *results.App) row {
	rw := row{label: resultLabel(a.Outcome, a.Running)}
	switch {
	case a.Outcome == outcome.Success:
		rw.kind = kindSuccess
	case a.Outcome != "":
		rw.kind = kindFailed
	case a.Running:
		rw.kind = kindRunning
	default:
		rw.kind = kindPending
	}
	app := cellCode(a.App, maxAppChars)
	rw.full = newText(tableRow(app, rw.label, attemptsCell(a), timeCell(a), checksCell(a.Checks), detailsCell(a)))
	rw.short = newText(tableRow(app, rw.label, "", "", "", ""))
	if rw.kind == kindFailed {
		if det := renderDetails(a); det != "" {
			rw.details = newText("\n" + det)
		}
	}
	return rw
}

// tableRow joins escaped cells into one Markdown table row.
func tableRow(cells ...string) string {
	var b strings.Builder
	for _, c := range cells {
		b.WriteString("| ")
		if c != "" {
			b.WriteString(c + " ")
		}
	}
	b.WriteString("|\n")
	return b.String()
}

// attemptsCell shows how many attempts an app had and why earlier ones were
// retried: "3 (2× provisioning)".
func attemptsCell(a *results.App) string {
	n := len(a.Attempts)
	prior := a.Attempts
	switch {
	case a.Outcome != "":
		if n > 0 {
			prior = a.Attempts[:n-1]
		}
	case a.Running:
		// The attempt in progress may or may not be recorded yet.
		if n > 0 && a.Attempts[n-1].Outcome == "" {
			prior = a.Attempts[:n-1]
		} else {
			n++
		}
	}
	if n == 0 {
		return "—"
	}
	var order []outcome.Outcome
	counts := map[outcome.Outcome]int{}
	for _, at := range prior {
		if at.Outcome == "" {
			continue
		}
		if counts[at.Outcome] == 0 {
			order = append(order, at.Outcome)
		}
		counts[at.Outcome]++
	}
	if len(order) == 0 {
		return fmt.Sprint(n)
	}
	var parts []string
	for _, o := range order {
		parts = append(parts, fmt.Sprintf("%d× %s", counts[o], o))
	}
	return fmt.Sprintf("%d (%s)", n, strings.Join(parts, ", "))
}

func timeCell(a *results.App) string {
	if len(a.Attempts) == 0 {
		return "—"
	}
	var wait int64
	for _, at := range a.Attempts {
		wait += at.WaitMS
	}
	s := duration(a.Duration())
	if wait > 0 {
		s += " (+" + duration(time.Duration(wait)*time.Millisecond) + " wait)"
	}
	return s
}

func checksCell(c *results.Checks) string {
	if c == nil {
		return "—"
	}
	return fmt.Sprintf("%d/%d", c.Passed, c.Total)
}

func detailsCell(a *results.App) string {
	reason := a.Reason
	if reason == "" && a.Checks != nil && len(a.Checks.Failures) > 0 {
		f := a.Checks.Failures[0]
		reason = f.Check + ": " + f.Reason
	}
	return EscapeCell(cleanLine(reason, false, maxReasonChars))
}

// renderDetails is the collapsed block under the table for a failed app:
// its failed checks and the last lines of its log.
func renderDetails(a *results.App) string {
	var failures []results.CheckFailure
	if a.Checks != nil {
		failures = a.Checks.Failures
	}
	if len(failures) == 0 && len(a.Excerpt) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<details><summary>%s — %s</summary>\n\n", escapeHTML(truncate(a.App, maxAppChars)), a.Outcome)
	for _, f := range failures {
		b.WriteString("- " + EscapeCell(truncate(f.Check, maxReasonChars)))
		if f.File != "" {
			b.WriteString(" in " + cellCode(f.File, maxReasonChars))
		}
		b.WriteString(": " + EscapeCell(truncate(f.Reason, maxReasonChars)) + "\n")
	}
	if len(a.Excerpt) > 0 {
		if len(failures) > 0 {
			b.WriteString("\n")
		}
		excerpt := a.Excerpt[max(0, len(a.Excerpt)-maxExcerpt):]
		lines := make([]string, len(excerpt))
		for i, l := range excerpt {
			lines[i] = breakComments(strings.TrimRight(cleanLine(l, true, maxLineChars), " \t"))
		}
		f := fence(lines)
		b.WriteString(f + "text\n" + strings.Join(lines, "\n") + "\n" + f + "\n")
	}
	if a.Log != "" {
		b.WriteString("\nFull log: " + Code(a.Log) + "\n")
	}
	b.WriteString("\n</details>\n")
	return b.String()
}

func renderConfig(c map[string]string) string {
	if len(c) == 0 {
		return ""
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString("<details><summary>Configuration</summary>\n\n| Setting | Value |\n|---|---|\n")
	for _, k := range keys {
		b.WriteString(tableRow(cellCode(k, maxConfigChars), EscapeCell(truncate(clean(c[k], false), maxConfigChars))))
	}
	b.WriteString("\n</details>\n")
	return b.String()
}

// renderHead is the title, totals and run facts above the table.
func renderHead(r *results.Results, final bool, previous string) string {
	var b strings.Builder
	b.WriteString("### 🧙 wizard-ci: " + title(r, final) + "\n")
	if t := totalsLine(r.Apps); t != "" {
		b.WriteString("\n" + t + "\n")
	}
	b.WriteString("\n")
	var facts []string
	if ts := r.Run.Targets; len(ts) > 0 {
		name := "Target"
		if len(ts) > 1 {
			name = "Targets"
		}
		var cs []string
		for _, t := range ts[:min(len(ts), maxTargets)] {
			cs = append(cs, Code(t))
		}
		s := "**" + name + ":** " + strings.Join(cs, ", ")
		if len(ts) > maxTargets {
			s += fmt.Sprintf(" and %d more", len(ts)-maxTargets)
		}
		facts = append(facts, s)
	}
	if r.Run.Program != "" {
		facts = append(facts, "**Program:** "+Code(r.Run.Program))
	}
	if r.Run.WizardRef != "" {
		facts = append(facts, "**Wizard ref:** "+Code(r.Run.WizardRef))
	}
	if r.Run.Shard != "" {
		facts = append(facts, "**Shard:** "+Code(r.Run.Shard))
	}
	if len(facts) > 0 {
		b.WriteString(strings.Join(facts, " · ") + "\n")
	}
	facts = facts[:0]
	if r.Run.HeadSHA != "" {
		facts = append(facts, "**PR head:** "+Code(shortSHA(r.Run.HeadSHA, r.Run.HeadMoved)))
	}
	if w := wizardFact(r.Run.Wizard); w != "" {
		facts = append(facts, "**Wizard:** "+w)
	}
	if final && !r.Run.StartedAt.IsZero() && r.Run.FinishedAt.After(r.Run.StartedAt) {
		facts = append(facts, "**Took:** "+duration(r.Run.FinishedAt.Sub(r.Run.StartedAt)))
	}
	if u, ok := safeURL(r.Run.URL); ok {
		facts = append(facts, "[Workflow run]("+u+")")
	}
	if len(facts) > 0 {
		b.WriteString(strings.Join(facts, " · ") + "\n")
	}
	if u, ok := safeURL(previous); ok {
		b.WriteString("Reruns the apps that did not succeed in [the previous results](" + u + ").\n")
	}
	if moved := r.Run.HeadMoved; moved != "" && moved != r.Run.HeadSHA {
		fmt.Fprintf(&b, "\n> [!WARNING]\n> The PR head moved while this ran: these results are for %s, the PR head is now %s.\n",
			Code(shortSHA(r.Run.HeadSHA, moved)), Code(shortSHA(moved, r.Run.HeadSHA)))
	}
	if ms := r.Run.MissingShards; len(ms) > 0 {
		var cs []string
		for _, m := range ms[:min(len(ms), maxTargets)] {
			cs = append(cs, Code(m))
		}
		list := strings.Join(cs, ", ")
		if len(ms) > maxTargets {
			list += fmt.Sprintf(" and %d more", len(ms)-maxTargets)
		}
		legs, their := "those legs", "their"
		if len(ms) == 1 {
			legs, their = "that leg", "its"
		}
		fmt.Fprintf(&b, "\n> [!CAUTION]\n> **%s missing:** %s. No results came from %s (did a leg fail before it uploaded them?), "+
			"so %s apps are not in this report, and the run counts as failed.\n", plural(len(ms), "shard"), list, legs, their)
	}
	if e := strings.TrimSpace(r.Run.Error); e != "" {
		b.WriteString("\n> [!CAUTION]\n")
		lines := strings.Split(strings.ReplaceAll(e, "\r\n", "\n"), "\n")
		for i, l := range lines[:min(len(lines), maxErrorLines)] {
			l = EscapeCell(cleanLine(l, false, maxLineChars))
			if i == 0 {
				l = "**The run reported an error:** " + l
			}
			b.WriteString("> " + l + "\n")
		}
		if len(lines) > maxErrorLines {
			fmt.Fprintf(&b, "> … %d more lines\n", len(lines)-maxErrorLines)
		}
	}
	return b.String()
}

// title is the verdict and progress of the run.
func title(r *results.Results, final bool) string {
	total, done, ok, cancelled := len(r.Apps), 0, 0, 0
	for _, a := range r.Apps {
		if a.Outcome != "" {
			done++
		}
		switch a.Outcome {
		case outcome.Success:
			ok++
		case outcome.Cancelled:
			cancelled++
		}
	}
	switch {
	case !final:
		return fmt.Sprintf("⏳ running — %d/%d done", done, total)
	case cancelled > 0:
		return fmt.Sprintf("🛑 cancelled — %d of %s had finished, %d succeeded", total-cancelled, plural(total, "app"), ok)
	case len(r.Run.MissingShards) > 0:
		return fmt.Sprintf("❌ %s missing; %d of %s succeeded", plural(len(r.Run.MissingShards), "shard"), ok, plural(total, "app"))
	case total == 0 && r.Run.Error != "":
		return "❌ the run stopped before any app ran"
	case total == 0:
		return "⚪ no apps were selected"
	case ok < total:
		return fmt.Sprintf("❌ %d of %s did not succeed", total-ok, plural(total, "app"))
	case r.Run.Error != "":
		return fmt.Sprintf("❌ the run reported an error; %s succeeded", plural(total, "app"))
	case total == 1:
		return "✅ 1 app succeeded"
	default:
		return fmt.Sprintf("✅ all %d apps succeeded", total)
	}
}

// totalsLine counts apps per result: "✅ 37 success · ❌ 2 crashed · ⏸️ 1 pending".
func totalsLine(apps []results.App) string {
	counts := map[string]int{}
	for i := range apps {
		counts[resultLabel(apps[i].Outcome, apps[i].Running)]++
	}
	labels := make([]string, 0, len(counts))
	for l := range counts {
		labels = append(labels, l)
	}
	slices.SortFunc(labels, func(x, y string) int { return labelRank(x) - labelRank(y) })
	var parts []string
	for _, l := range labels {
		emoji, name, _ := strings.Cut(l, " ")
		parts = append(parts, fmt.Sprintf("%s %d %s", emoji, counts[l], name))
	}
	return strings.Join(parts, " · ")
}

func wizardFact(w results.Wizard) string {
	var parts []string
	switch w.Source {
	case "":
	case "build":
		parts = append(parts, "built from source")
	case "simulate":
		parts = append(parts, "built-in simulator")
	case "command":
		if w.Command != "" {
			parts = append(parts, "command "+Code(w.Command))
		} else {
			parts = append(parts, "command")
		}
	default:
		parts = append(parts, Code(w.Source))
	}
	if w.Version != "" {
		parts = append(parts, "version "+Code(w.Version))
	}
	if w.SHA != "" {
		parts = append(parts, "commit "+Code(shortSHA(w.SHA, "")))
	}
	return strings.Join(parts, ", ")
}

// shortSHA shortens sha to 7 characters, or more while it is needed to tell
// it from other (SPEC §3: both SHAs shown with at least 7 characters).
func shortSHA(sha, other string) string {
	n := 7
	for n < len(sha) && n < len(other) && sha[:n] == other[:n] {
		n++
	}
	if len(sha) <= n {
		return sha
	}
	return sha[:n]
}

// safeURL returns u for use as a Markdown link destination when it is a
// plain http(s) URL; parentheses are percent-encoded so they cannot end the
// link.
func safeURL(u string) (string, bool) {
	if u == "" || len(u) > 500 || strings.ContainsFunc(u, func(r rune) bool {
		return r <= ' ' || r == 0x7f || r == '<' || r == '>' || r == '`' || r == '"' || r == '\\' || r > 0x7e
	}) {
		return "", false
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		return "", false
	}
	return strings.NewReplacer("(", "%28", ")", "%29").Replace(u), true
}

// duration formats d to the second without zero tails: 1m23s, 2m, 1h5s.
func duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Second:
		// Sub-second attempts (a refused start, the simulator) still show.
		return d.Round(time.Millisecond).String()
	}
	d = d.Round(time.Second)
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// cutLines keeps the leading whole lines of body that, with note, fit
// maxChars code points and maxBytes bytes.
func cutLines(body string, maxChars, maxBytes int, note string) string {
	tail := "\n\n" + note + "\n"
	chars, size := utf8.RuneCountInString(tail), len(tail)
	end := 0
	for end < len(body) {
		nl := strings.IndexByte(body[end:], '\n')
		next := len(body)
		if nl >= 0 {
			next = end + nl + 1
		}
		line := body[end:next]
		c := utf8.RuneCountInString(line)
		if chars+c > maxChars || size+len(line) > maxBytes {
			break
		}
		chars, size, end = chars+c, size+len(line), next
	}
	out := strings.TrimRight(body[:end], "\n") + tail
	if utf8.RuneCountInString(out) > maxChars || len(out) > maxBytes {
		// Not even the note fits.
		return truncate(out, maxChars)
	}
	return out
}
