package report

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/results"
)

const evilReason = "exploded @octocat | <img src=x> `tick` #12 [link](http://x) <!-- wizard-ci:hint -->\n/wizard-ci all\r   /wizard-ci help"

func pendingRun() *results.Results {
	r := &results.Results{Run: baseRun("basic-integration", "revenue/stripe-node")}
	for _, p := range []string{
		"basic-integration/django/polls", "basic-integration/next-js/app-router-todo",
		"basic-integration/next-js/pages-router-blog", "basic-integration/python/flask",
		"revenue/stripe-node",
	} {
		r.Apps = append(r.Apps, results.App{App: p, Category: strings.Split(p, "/")[0]})
	}
	return r
}

func mixedRun() *results.Results {
	r := &results.Results{Run: baseRun("all")}
	r.Run.Program = "revenue"
	r.Run.WizardRef = "feature/retry-403"
	running := app("basic-integration/next-js/pages-router-blog", "", attempt(outcome.Provisioning, 4, 0))
	running.Running = true
	rl := app("basic-integration/python/flask", outcome.RateLimited,
		attempt(outcome.RateLimited, 12, 0), attempt(outcome.RateLimited, 11, 30), attempt(outcome.RateLimited, 13, 75))
	rl.Reason = "API Error: Request rejected (429) · Rate limit exceeded"
	r.Apps = []results.App{
		app("basic-integration/django/polls", outcome.Success, attempt(outcome.Success, 83, 0)),
		app("basic-integration/next-js/app-router-todo", outcome.Success,
			attempt(outcome.Provisioning, 4, 0), attempt(outcome.Provisioning, 5, 120), attempt(outcome.Success, 97, 120)),
		running,
		rl,
		{App: "basic-integration/ruby/sinatra", Category: "basic-integration", Running: true},
		{App: "revenue/stripe-node", Category: "revenue"},
		{App: "revenue/stripe-python", Category: "revenue"},
	}
	return r
}

func greenRun() *results.Results {
	r := &results.Results{Run: baseRun("basic-integration")}
	r.Run.FinishedAt = t0.Add(6*time.Minute + 41*time.Second)
	r.Run.Wizard = results.Wizard{Source: "command", Command: "node /opt/wizard/dist/bin.js", Version: "2.77.0"}
	r.Apps = []results.App{
		app("basic-integration/django/polls", outcome.Success, attempt(outcome.Success, 83, 0)),
		app("basic-integration/next-js/app-router-todo", outcome.Success, attempt(outcome.Success, 3700, 0)),
		app("basic-integration/python/flask", outcome.Success, attempt(outcome.Provisioning, 2, 0), attempt(outcome.Success, 45, 120)),
	}
	return r
}

func failedRun() *results.Results {
	r := &results.Results{Run: baseRun("basic-integration")}
	r.Run.FinishedAt = t0.Add(14*time.Minute + 2*time.Second)
	crash := app("basic-integration/next-js/app-router-todo", outcome.Crashed, attempt(outcome.Crashed, 61, 0))
	crash.Reason = evilReason
	crash.Excerpt = []string{
		"\x1b[32m✔\x1b[0m Detected Next.js 15 (app router)",
		"Installing posthog-js with pnpm…",
		"```",
		"TypeError: Cannot read properties of undefined (reading 'map')",
		"    at runAgent (file:///opt/wizard/dist/agent.js:812:19)",
		"/wizard-ci all",
		"   /wizard-ci rerun-failed",
		"<!-- wizard-ci:state AAAA -->",
		"cc @octocat ````` five backticks",
	}
	checks := app("basic-integration/django/polls", outcome.ChecksFailed, attempt(outcome.ChecksFailed, 142, 0))
	checks.Checks = &results.Checks{Passed: 3, Total: 5, Failures: []results.CheckFailure{
		{Check: "events", File: "polls/views.py", Reason: "event `vote cast` is never captured"},
		{Check: "secrets", File: "settings.py", Reason: "a personal API key (phx_***) is written into the file"},
	}}
	prov := app("basic-integration/python/flask", outcome.Provisioning,
		attempt(outcome.Provisioning, 3, 0), attempt(outcome.Provisioning, 3, 120), attempt(outcome.Provisioning, 4, 120))
	prov.Reason = `API Error: 403 {"type":"error","error":{"type":"permission_error","message":"INVALID_PAYMENT_INSTRUMENT"}}`
	prov.Excerpt = []string{`API Error: 403 {"type":"error","error":{"type":"permission_error","message":"INVALID_PAYMENT_INSTRUMENT: A valid payment instrument must be provided."}}`, "Please try again after 2 minutes."}
	skipped := results.App{App: "basic-integration/ruby/sinatra", Category: "basic-integration", Outcome: outcome.Cancelled, Reason: "the run was cancelled"}
	r.Apps = []results.App{
		checks,
		app("basic-integration/express/todo", outcome.Success, attempt(outcome.Success, 71, 0)),
		crash,
		prov,
		skipped,
	}
	return r
}

func errorRun() *results.Results {
	r := &results.Results{Run: baseRun("basic-integration/next-js")}
	r.Run.HeadMoved = movedTo
	r.Run.WizardRef = "does-not-exist"
	r.Run.FinishedAt = t0.Add(9 * time.Second)
	r.Run.Error = "wizard ref \"does-not-exist\" could not be fetched:\nfatal: couldn't find remote ref does-not-exist @octocat | <b>\n/wizard-ci all"
	for _, p := range []string{"basic-integration/next-js/app-router-todo", "basic-integration/next-js/pages-router-blog"} {
		r.Apps = append(r.Apps, results.App{App: p, Category: "basic-integration", Outcome: outcome.Skipped, Reason: "not run: the run stopped before the first app"})
	}
	return r
}

// hugeRun is a finished 1,000-app run whose full comment is far over 65,536
// characters: a third fail with long excerpts.
func hugeRun() *results.Results {
	r := &results.Results{Run: baseRun("all")}
	r.Run.FinishedAt = t0.Add(3 * time.Hour)
	fails := []outcome.Outcome{outcome.Crashed, outcome.Provisioning, outcome.Timeout, outcome.ChecksFailed}
	for i, p := range manyApps(1000) {
		if i%3 != 0 {
			r.Apps = append(r.Apps, app(p, outcome.Success, attempt(outcome.Success, 60+i%50, 0)))
			continue
		}
		o := fails[(i/3)%len(fails)]
		a := app(p, o, attempt(o, 30+i%90, 0))
		a.Reason = fmt.Sprintf("wizard stopped at step %d: %s", i, strings.Repeat("detail ", 20))
		for j := range 30 {
			a.Excerpt = append(a.Excerpt, fmt.Sprintf("[%04d] %s", j, strings.Repeat("log output ", 12)))
		}
		r.Apps = append(r.Apps, a)
	}
	return r
}

func hugePending() *results.Results {
	r := &results.Results{Run: baseRun("all")}
	for _, p := range manyApps(1000) {
		r.Apps = append(r.Apps, results.App{App: p, Category: strings.Split(p, "/")[0]})
	}
	return r
}

// goldenComments are the results comments with golden files.
func goldenComments() []struct {
	name string
	r    *results.Results
	o    CommentOptions
} {
	return []struct {
		name string
		r    *results.Results
		o    CommentOptions
	}{
		{"comment-pending", pendingRun(), CommentOptions{Config: config}},
		{"comment-mixed", mixedRun(), CommentOptions{Config: config}},
		{"comment-green", greenRun(), CommentOptions{Config: config, Final: true}},
		{"comment-failed", failedRun(), CommentOptions{Config: config, Final: true, Previous: "https://github.com/PostHog/wizard/pull/42#issuecomment-1(2)"}},
		{"comment-error-head-moved", errorRun(), CommentOptions{Config: config, Final: true}},
		{"comment-huge", hugeRun(), CommentOptions{Config: config, Final: true}},
		{"comment-huge-pending", hugePending(), CommentOptions{Config: config}},
	}
}

func TestCommentGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range goldenComments() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Comment(tc.r, tc.o)
			golden(t, tc.name, got)
			checkBody(t, tc.name, got, DefaultMaxChars)
			if id, ok := ParseResultsMarker(got); !ok || id != runID {
				t.Errorf("ParseResultsMarker = %q, %v; want %q", id, ok, runID)
			}
		})
	}
}

// checkBody asserts what holds for every posted body.
func checkBody(t *testing.T, name, body string, maxChars int) {
	t.Helper()
	if n := utf8.RuneCountInString(body); n > maxChars {
		t.Errorf("%s: %d characters, over %d", name, n, maxChars)
	}
	if len(body) > MaxBytes {
		t.Errorf("%s: %d bytes, over %d", name, len(body), MaxBytes)
	}
	if !utf8.ValidString(body) {
		t.Errorf("%s: not valid UTF-8", name)
	}
	assertNoCommands(t, name, body)
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "|") && !strings.HasPrefix(l, "|---") {
			// Outside code, a mention or an unescaped pipe would break the table.
			l := stripCodeSpans(l)
			if strings.Contains(l, "@octocat") || strings.Contains(l, "<img") || strings.Contains(l, "#12") {
				t.Errorf("%s: table row echoes unsafe text: %q", name, l)
			}
		}
	}
	if c := strings.Count(body, HintMarker); c > 0 && !strings.HasPrefix(body, HintMarker) {
		t.Errorf("%s: holds the hint marker", name)
	}
}

// stripCodeSpans removes inline code spans (text in them mentions no one),
// skipping backslash-escaped backticks.
func stripCodeSpans(l string) string {
	var b strings.Builder
	for i := 0; i < len(l); {
		switch {
		case l[i] == '\\' && i+1 < len(l):
			b.WriteString(l[i : i+2])
			i += 2
		case l[i] == '`':
			n := 0
			for i+n < len(l) && l[i+n] == '`' {
				n++
			}
			fence := strings.Repeat("`", n)
			end := -1
			for j := i + n; j < len(l); {
				k := strings.Index(l[j:], fence)
				if k < 0 {
					break
				}
				k += j
				m := 0
				for k+m < len(l) && l[k+m] == '`' {
					m++
				}
				if m == n {
					end = k
					break
				}
				j = k + m
			}
			if end < 0 {
				b.WriteString(fence)
				i += n
			} else {
				i = end + n
			}
		default:
			b.WriteByte(l[i])
			i++
		}
	}
	return b.String()
}

func TestCommentFacts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    *results.Results
		o    CommentOptions
		want []string
		not  []string
	}{
		{"pending title", pendingRun(), CommentOptions{}, []string{"### 🧙 wizard-ci: ⏳ running — 0/5 done", "| ⏸️ pending | — | — | — |"}, nil},
		{"pending but final", pendingRun(), CommentOptions{Final: true}, []string{"❌ 5 of 5 apps did not succeed"}, nil},
		{"mixed progress", mixedRun(), CommentOptions{}, []string{
			"⏳ running — 3/7 done", "| 🔄 running | 2 (1× provisioning) |", "| 3 (2× provisioning) | 1m46s (+4m wait) | 5/5 |",
			"| 3 (2× rate-limited) |", "**Program:** `revenue`", "**Wizard ref:** `feature/retry-403`",
		}, []string{"**Took:**"}},
		{"green", greenRun(), CommentOptions{}, []string{"✅ all 3 apps succeeded", "**Took:** 6m41s", "1h1m40s", "command `node /opt/wizard/dist/bin.js`"}, []string{"<details><summary>basic"}},
		{"one app", &results.Results{Run: baseRun("x"), Apps: []results.App{app("x/y", outcome.Success)}}, CommentOptions{}, []string{"✅ 1 app succeeded"}, nil},
		{"no apps", &results.Results{Run: baseRun("x")}, CommentOptions{Final: true}, []string{"⚪ no apps were selected"}, []string{"| App |"}},
		{"head moved", errorRun(), CommentOptions{}, []string{"> [!WARNING]", "these results are for `0123456`, the PR head is now `fedcba9`", "> [!CAUTION]", "**The run reported an error:**"}, nil},
		{"previous link", failedRun(), CommentOptions{Previous: "https://github.com/o/r/pull/1#issuecomment-9"}, []string{"[the previous results](https://github.com/o/r/pull/1#issuecomment-9)"}, nil},
		{"unsafe links dropped", func() *results.Results { r := greenRun(); r.Run.URL = "javascript:alert(1)"; return r }(),
			CommentOptions{Previous: "https://x.test/a b"}, nil, []string{"javascript", "x.test", "[Workflow run]"}},
		{"state of failed apps only", failedRun(), CommentOptions{}, []string{"\n<!-- wizard-ci:state "}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Comment(tc.r, tc.o)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("body lacks %q:\n%s", w, got)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("body holds %q:\n%s", n, got)
				}
			}
			checkBody(t, tc.name, got, DefaultMaxChars)
		})
	}
}

func TestCommentState(t *testing.T) {
	t.Parallel()
	r := failedRun()
	r.Run.Program, r.Run.WizardRef = "revenue", "main"
	s, err := DecodeState(Comment(r, CommentOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	want := &State{
		RunID: runID, HeadSHA: headSHA, Program: "revenue", WizardRef: "main", Targets: []string{"basic-integration"},
		Failed: []FailedApp{
			{"basic-integration/django/polls", outcome.ChecksFailed},
			{"basic-integration/next-js/app-router-todo", outcome.Crashed},
			{"basic-integration/python/flask", outcome.Provisioning},
			{"basic-integration/ruby/sinatra", outcome.Cancelled},
		},
	}
	if d := cmp.Diff(want, s); d != "" {
		t.Errorf("state (-want +got):\n%s", d)
	}
}

// degradeRun is built so that every degradation step saves a lot.
func degradeRun() *results.Results {
	r := &results.Results{Run: baseRun("all")}
	for i, p := range manyApps(120) {
		switch {
		case i%4 == 0:
			a := app(p, outcome.Crashed, attempt(outcome.Provisioning, 3, 0), attempt(outcome.Crashed, 40, 120))
			a.Reason = strings.Repeat("a long reason ", 12)
			for j := range 10 {
				a.Excerpt = append(a.Excerpt, fmt.Sprintf("line %d %s", j, strings.Repeat("x", 80)))
			}
			r.Apps = append(r.Apps, a)
		case i%4 == 1:
			r.Apps = append(r.Apps, results.App{App: p})
		default:
			r.Apps = append(r.Apps, app(p, outcome.Success, attempt(outcome.Success, 50, 0)))
		}
	}
	r.Apps[1].Running = true
	return r
}

func TestCommentDegradationOrder(t *testing.T) {
	t.Parallel()
	r := degradeRun()
	d := newDoc(r, false, "", config)
	full := d.fullPlan()
	type level struct {
		name string
		p    plan
		note []string // parts of the note that must be there
		not  []string // ... and must not
	}
	const (
		noteExcerpts = "log excerpts and failed checks of"
		noteRows     = "successful and 29 pending apps (counted in the table)"
		noteShort    = "details of apps that did not succeed"
		noteState    = "`/wizard-ci rerun-failed` cannot rerun this run"
		noteCounted  = "counted by outcome"
	)
	levels := []level{
		{"full", full, nil, []string{"[!NOTE]"}},
		{"some excerpts dropped", plan{details: 12, state: true, listed: full.listed}, []string{"of 18 apps"}, []string{noteRows}},
		{"all excerpts dropped", plan{details: 0, state: true, listed: full.listed}, []string{"of 30 apps"}, []string{noteRows}},
		{"rows collapsed", plan{collapse: true, state: true, listed: full.listed}, []string{noteExcerpts, noteRows}, []string{noteShort}},
		{"failures shortened", plan{collapse: true, short: true, state: true, listed: full.listed}, []string{noteExcerpts, noteRows, noteShort}, []string{noteState}},
		{"state dropped", plan{collapse: true, short: true, listed: full.listed}, []string{noteShort, noteState}, []string{noteCounted}},
		{"some failures counted", plan{collapse: true, short: true, listed: 7}, []string{noteState, "24 more apps", noteCounted}, nil},
		{"all failures counted", plan{collapse: true, short: true, listed: 0}, []string{noteState, "31 more apps", noteCounted}, nil},
	}
	prev := 1 << 30
	for _, lv := range levels {
		want := d.assemble(lv.p)
		size := utf8.RuneCountInString(want)
		if size >= prev {
			t.Fatalf("%s: %d characters, not smaller than the level before (%d): the fixture does not exercise the order", lv.name, size, prev)
		}
		prev = size
		lv := lv
		t.Run(lv.name, func(t *testing.T) {
			t.Parallel()
			got := Comment(r, CommentOptions{MaxChars: size, Config: config})
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("MaxChars %d: not the expected level (-want +got):\n%s", size, d)
			}
			for _, n := range lv.note {
				if !strings.Contains(got, n) {
					t.Errorf("note lacks %q", n)
				}
			}
			for _, n := range lv.not {
				if strings.Contains(got, n) {
					t.Errorf("note holds %q", n)
				}
			}
			if _, err := DecodeState(got); (err == nil) != lv.p.state {
				t.Errorf("DecodeState err = %v, state kept = %v", err, lv.p.state)
			}
			// One character less must degrade further.
			if less := Comment(r, CommentOptions{MaxChars: size - 1, Config: config}); less == got || utf8.RuneCountInString(less) > size-1 {
				t.Errorf("MaxChars %d did not degrade further", size-1)
			}
			checkBody(t, lv.name, got, size)
		})
	}
}

func TestCommentTinyLimit(t *testing.T) {
	t.Parallel()
	for _, max := range []int{1, 40, 200, 1000} {
		got := Comment(failedRun(), CommentOptions{MaxChars: max, Config: config})
		checkBody(t, fmt.Sprint(max), got, max)
		if max >= 200 && !strings.HasPrefix(got, ResultsMarker(runID)+"\n") {
			t.Errorf("MaxChars %d: the marker is gone:\n%s", max, got)
		}
	}
}

func TestCommentBytesLimit(t *testing.T) {
	t.Parallel()
	// 4-byte characters: 65,536 of them would be 262,144 bytes and more.
	r := hugeRun()
	for i := range r.Apps {
		r.Apps[i].Reason = strings.Repeat("𝔵", 150)
		for j := range r.Apps[i].Excerpt {
			r.Apps[i].Excerpt[j] = strings.Repeat("𝔵", 250)
		}
	}
	got := Comment(r, CommentOptions{MaxChars: 200000})
	checkBody(t, "bytes", got, 200000)
}

func TestCommentPending1000Fits(t *testing.T) {
	t.Parallel()
	got := Comment(hugePending(), CommentOptions{})
	checkBody(t, "pending", got, DefaultMaxChars)
	if !strings.Contains(got, "| *1000 apps* | ⏸️ pending |") {
		t.Errorf("1,000 pending apps are not counted in one row")
	}
	if _, err := DecodeState(got); err != nil {
		t.Errorf("state dropped for a pending table: %v", err)
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	got := Summary(failedRun())
	golden(t, "summary", got)
	assertNoCommands(t, "summary", got)
	if strings.Contains(got, "<!-- wizard-ci:") {
		t.Errorf("summary holds a marker")
	}

	big := Summary(hugeRun())
	if !strings.Contains(big, "[0029] log output") || strings.Contains(big, "[!NOTE]") {
		t.Errorf("summary of a 1,000-app run should keep every excerpt")
	}
	r := hugeRun()
	for i := range r.Apps {
		r.Apps[i].Excerpt = append(r.Apps[i].Excerpt, r.Apps[i].Excerpt...)
		for j := range r.Apps[i].Excerpt {
			r.Apps[i].Excerpt[j] += strings.Repeat("y", 250)
		}
	}
	cut := Summary(r)
	if len(cut) > MaxSummaryBytes || !strings.Contains(cut, "The report was cut here") {
		t.Errorf("oversize summary: %d bytes, note present %v", len(cut), strings.Contains(cut, "cut here"))
	}
	assertNoCommands(t, "cut summary", cut)
}

func TestCommentAdversarialReasons(t *testing.T) {
	t.Parallel()
	reasons := []string{
		"\n/wizard-ci all",
		"x\r/wizard-ci all",
		"   /wizard-ci help",
		"\u2028/wizard-ci all",
		"/WIZARD-CI all",
		"a | b | c |\n|---|",
		"```\n/wizard-ci all\n```",
		"<details><summary>x</summary>",
		"\\|\\|`|`",
		"@octocat @PostHog/team #1 GH-1",
	}
	for _, reason := range reasons {
		r := failedRun()
		for i := range r.Apps {
			r.Apps[i].Reason = reason
			r.Apps[i].Excerpt = append(r.Apps[i].Excerpt, strings.Split(reason, "\n")...)
			r.Apps[i].App += reason
		}
		r.Run.Targets = []string{reason}
		r.Run.Error = reason
		r.Run.Program = reason
		body := Comment(r, CommentOptions{Config: map[string]string{reason: reason}})
		checkBody(t, fmt.Sprintf("%q", reason), body, DefaultMaxChars)
		for _, l := range strings.Split(body, "\n") {
			if strings.HasPrefix(l, "| ") && strings.Count(strings.ReplaceAll(l, `\|`, ""), "|") != 7 && strings.Count(strings.ReplaceAll(l, `\|`, ""), "|") != 3 {
				t.Errorf("reason %q breaks a table row: %q", reason, l)
			}
		}
		assertNoCommands(t, "summary", Summary(r))
	}
}

func FuzzRender(f *testing.F) {
	f.Add(uint16(3), "\n/wizard-ci all", "```", uint8(0))
	f.Add(uint16(1000), strings.Repeat("x", 500), strings.Repeat("log ", 200), uint8(7))
	f.Add(uint16(1500), "@octocat | <b>", "````` /wizard-ci help", uint8(200))
	f.Add(uint16(0), "", "", uint8(1))
	f.Fuzz(func(t *testing.T, n uint16, reason, excerpt string, mix uint8) {
		count := int(n) % 2001
		r := &results.Results{Run: baseRun("all", reason)}
		for i, p := range manyApps(count) {
			a := results.App{App: p}
			switch k := (i + int(mix)) % 5; {
			case k == 0 || mix%7 == 0:
				a.Outcome = outcome.All[(i+int(mix))%len(outcome.All)]
				a.Reason = reason
				a.Excerpt = strings.Split(excerpt, "\n")
				a.Attempts = []results.Attempt{attempt(a.Outcome, i%100, i%3)}
			case k == 1:
				a.Running = true
			case k == 2:
			default:
				a.Outcome = outcome.Success
			}
			if mix%11 == 0 {
				a.App += reason
			}
			r.Apps = append(r.Apps, a)
		}
		body := Comment(r, CommentOptions{Config: map[string]string{"k": reason}})
		if c := utf8.RuneCountInString(body); c > DefaultMaxChars || len(body) > MaxBytes {
			t.Fatalf("%d apps: %d characters, %d bytes", count, c, len(body))
		}
		if bad := commandLines(body); len(bad) > 0 {
			t.Fatalf("command line in body: %q", bad[0])
		}
		if !strings.HasPrefix(body, ResultsMarker(runID)+"\n") {
			t.Fatalf("body does not start with the marker")
		}
		if strings.Contains(body, "wizard-ci:state") {
			if _, err := DecodeState(body); err != nil {
				t.Fatalf("state present but unreadable: %v", err)
			}
		}
	})
}

func BenchmarkComment(b *testing.B) {
	for _, bc := range []struct {
		name string
		r    *results.Results
	}{{"pending", hugePending()}, {"finished", hugeRun()}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Comment(bc.r, CommentOptions{Config: config})
			}
		})
	}
}

// TestMissingShards: a merged report whose legs did not all arrive says
// which shards are missing, in the title and above the table, in the
// comment and in the summary, and is not green.
func TestMissingShards(t *testing.T) {
	t.Parallel()
	r := greenRun()
	r.Run.MissingShards = []string{"2/3", "3/3"}
	for name, body := range map[string]string{
		"comment": Comment(r, CommentOptions{Final: true}),
		"summary": Summary(r),
	} {
		for _, want := range []string{
			"❌ 2 shards missing; 3 of 3 apps succeeded",
			"> **2 shards missing:** `2/3`, `3/3`. No results came from those legs",
			"the run counts as failed",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q:\n%s", name, want, body)
			}
		}
		if strings.Contains(body, "✅ all") {
			t.Errorf("%s is green:\n%s", name, body)
		}
	}
}
