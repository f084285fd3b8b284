package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/report"
	"github.com/posthog/wizard-ci/internal/results"
)

func runOf(id string, apps map[string]outcome.Outcome) *results.Results {
	r := &results.Results{Schema: results.Schema, Run: results.Run{ID: id, Targets: []string{"all"}}}
	for _, app := range slices.Sorted(maps.Keys(apps)) {
		r.Apps = append(r.Apps, results.App{App: app, Outcome: apps[app],
			Attempts: []results.Attempt{{Outcome: apps[app], DurationMS: 1000}}})
	}
	return r
}

func TestOutcomesRoundTrip(t *testing.T) {
	t.Parallel()
	s := trackState{RunID: "42", Apps: map[string]outcome.Outcome{"a/x": outcome.Success, "a/y": outcome.Crashed}}
	body := "text\n" + encodeOutcomes(s) + "\nmore"
	got, err := decodeOutcomes(body)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&s, got); diff != "" {
		t.Error(diff)
	}
	if strings.Contains(strings.TrimSuffix(strings.TrimPrefix(encodeOutcomes(s), outcomesPrefix), outcomesSuffix), "--") {
		t.Error("payload holds --, which would end the HTML comment")
	}
}

// TestOutcomesUntrusted: an edited issue body is refused, never trusted.
func TestOutcomesUntrusted(t *testing.T) {
	t.Parallel()
	gz := func(raw []byte) string {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		_, _ = w.Write(raw)
		_ = w.Close()
		return outcomesPrefix + base64.StdEncoding.EncodeToString(b.Bytes()) + outcomesSuffix
	}
	cases := map[string]string{
		"none":            "just text",
		"not closed":      outcomesPrefix + "abc",
		"bad base64":      outcomesPrefix + "!!!" + outcomesSuffix,
		"not gzip":        outcomesPrefix + base64.StdEncoding.EncodeToString([]byte("{}")) + outcomesSuffix,
		"bad json":        gz([]byte("{")),
		"unknown outcome": gz([]byte(`{"o":{"a/x":"great"}}`)),
		"empty app":       gz([]byte(`{"o":{"":"success"}}`)),
		"bomb":            gz(bytes.Repeat([]byte(" "), maxOutcomesJSON+10)),
		"huge payload":    outcomesPrefix + strings.Repeat("A", maxOutcomesPayload+4) + outcomesSuffix,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if s, err := decodeOutcomes(body); err == nil {
				t.Errorf("decoded %+v, want an error", s)
			}
		})
	}
}

func TestCompareRuns(t *testing.T) {
	t.Parallel()
	prev := &trackState{Apps: map[string]outcome.Outcome{
		"a/ok-ok": outcome.Success, "a/ok-bad": outcome.Success, "a/bad-ok": outcome.Crashed,
		"a/bad-bad": outcome.Timeout, "a/ok-cancelled": outcome.Success, "a/skipped-ok": outcome.Skipped,
	}}
	cur := runOf("2", map[string]outcome.Outcome{
		"a/ok-ok": outcome.Success, "a/ok-bad": outcome.Provisioning, "a/bad-ok": outcome.Success,
		"a/bad-bad": outcome.Crashed, "a/ok-cancelled": outcome.Cancelled, "a/skipped-ok": outcome.Success,
		"a/new": outcome.Crashed,
	})
	reg, fix := compareRuns(prev, cur)
	if diff := cmp.Diff([]change{{"a/ok-bad", outcome.Success, outcome.Provisioning}}, reg); diff != "" {
		t.Errorf("regressions:\n%s", diff)
	}
	if diff := cmp.Diff([]change{{"a/bad-ok", outcome.Crashed, outcome.Success}}, fix); diff != "" {
		t.Errorf("fixes:\n%s", diff)
	}

	// A partial previous state counts unlisted apps as successes.
	partial := &trackState{Apps: map[string]outcome.Outcome{"a/bad-ok": outcome.Crashed}, Partial: true}
	reg, _ = compareRuns(partial, cur)
	var got []string
	for _, c := range reg {
		got = append(got, c.App)
	}
	if diff := cmp.Diff([]string{"a/bad-bad", "a/new", "a/ok-bad"}, got); diff != "" {
		t.Errorf("partial regressions:\n%s", diff)
	}

	next := nextState(prev, cur)
	if next.Apps["a/ok-cancelled"] != outcome.Success || next.Apps["a/ok-bad"] != outcome.Provisioning || next.Apps["a/new"] != outcome.Crashed {
		t.Errorf("next state = %v", next.Apps)
	}
	// A run that stopped before its first app changes nothing.
	stopped := runOf("3", map[string]outcome.Outcome{"a/ok-ok": outcome.Skipped})
	stopped.Run.Error = "the wizard could not be started"
	if n := nextState(prev, stopped); !cmp.Equal(n.Apps, prev.Apps) {
		t.Errorf("a stopped run changed the state: %v", n.Apps)
	}
}

// TestIssueBodyFits: whatever the run, the issue body fits GitHub's limit,
// starts with the report marker and keeps the outcomes for the next run.
func TestIssueBodyFits(t *testing.T) {
	t.Parallel()
	cases := []int{1, 40, 2000}
	for _, n := range cases {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			prevApps, curApps := map[string]outcome.Outcome{}, map[string]outcome.Outcome{}
			for i := range n {
				app := fmt.Sprintf("basic-integration/framework-%04d/some-rather-long-app-name-%04d", i, i)
				prevApps[app] = outcome.Success
				curApps[app] = outcome.Crashed
			}
			cur := runOf("9", curApps)
			for i := range cur.Apps {
				cur.Apps[i].Reason = strings.Repeat("boom ", 40)
				cur.Apps[i].Excerpt = []string{strings.Repeat("x", 300), strings.Repeat("é", 300)}
			}
			prev := &trackState{Apps: prevApps}
			body := issueBody(prev, cur, map[string]string{"concurrency": "4"})
			if c := utf8.RuneCountInString(body); c > report.DefaultMaxChars {
				t.Errorf("%d characters, over %d", c, report.DefaultMaxChars)
			}
			if !strings.HasPrefix(body, report.ReportMarker+"\n") {
				t.Errorf("body starts %q", body[:80])
			}
			if strings.Contains(body, "wizard-ci:results") {
				t.Error("the issue holds a results marker")
			}
			want := fmt.Sprintf("%d regressions", n)
			if n == 1 {
				want = "1 regression"
			}
			if !strings.Contains(body, want) {
				t.Errorf("body lacks %q", want)
			}
			st, err := decodeOutcomes(body)
			if err != nil {
				t.Fatalf("outcomes: %v", err)
			}
			if len(st.Apps) != n {
				t.Errorf("outcomes hold %d apps, want %d", len(st.Apps), n)
			}
		})
	}
}

func TestChangesSectionFirstRun(t *testing.T) {
	t.Parallel()
	got := changesSection(nil, runOf("1", map[string]outcome.Outcome{"a/x": outcome.Success}))
	if !strings.Contains(got, "first run") {
		t.Errorf("first run: %q", got)
	}
	got = changesSection(&trackState{Apps: map[string]outcome.Outcome{"a/x": outcome.Success}},
		runOf("1", map[string]outcome.Outcome{"a/x": outcome.Success}))
	if !strings.Contains(got, "No regressions") {
		t.Errorf("no change: %q", got)
	}
}

// TestFitOutcomesDegrades: too many apps keep only the failed ones.
func TestFitOutcomesDegrades(t *testing.T) {
	t.Parallel()
	s := trackState{Apps: map[string]outcome.Outcome{}}
	for i := range 20000 {
		// Random-looking names compress badly.
		s.Apps[fmt.Sprintf("c/%x", uint64(i)*0x9E3779B97F4A7C15)] = outcome.Success
	}
	s.Apps["c/broken"] = outcome.Crashed
	enc := fitOutcomes(s)
	if enc == "" || len(enc) > maxOutcomesChars {
		t.Fatalf("encoded %d chars", len(enc))
	}
	got, err := decodeOutcomes(enc)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Partial || len(got.Apps) != 1 || got.Apps["c/broken"] != outcome.Crashed {
		t.Errorf("got partial=%v with %d apps", got.Partial, len(got.Apps))
	}
}
