package cli

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/posthog/wizard-ci/internal/fakegh"
	"github.com/posthog/wizard-ci/internal/ghaction"
	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/report"
	"github.com/posthog/wizard-ci/internal/results"
)

func appsOf(e *e2e) []string {
	var got []string
	for _, a := range e.results().Apps {
		got = append(got, a.App)
	}
	return got
}

// TestRerunFailed: a run fails 2 of 5 apps; `/wizard-ci rerun-failed` runs
// exactly those 2 as a new run whose comment links the previous one.
func TestRerunFailed(t *testing.T) {
	e := newE2E(t)
	e.rs.AddPull(fakegh.PullRequest{Number: 31})
	e.rs.SetRole("contributor-1", "write")
	e.env["WIZARD_CI_SIMULATE"] = "basic-integration/flask/*=aborted,basic-integration/django/*=incomplete,*=success"
	e.commentEvent("created", 31, "contributor-1", "User", "/wizard-ci basic-integration/flask basic-integration/django basic-integration/fastapi basic-integration/python misc")
	e.run()
	if e.code != 1 {
		t.Fatalf("first run: exit %d\n%s", e.code, e.stderr)
	}
	if got := len(e.results().Apps); got != 5 {
		t.Fatalf("first run ran %d apps, want 5", got)
	}
	first := e.botComments(31)[0]

	// The second run: a new workflow run, everything succeeds now.
	e.env["GITHUB_RUN_ID"] = "987654322"
	e.env["WIZARD_CI_SIMULATE"] = "*=success"
	e.commentEvent("created", 31, "contributor-1", "User", "/wizard-ci rerun-failed")
	e.run()
	if e.code != 0 {
		t.Fatalf("rerun: exit %d\n%s", e.code, e.stderr)
	}
	want := []string{"basic-integration/django/polls", "basic-integration/flask/todo"}
	if got := appsOf(e); !slices.Equal(got, want) {
		t.Errorf("rerun ran %v, want %v", got, want)
	}
	bots := e.botComments(31)
	if len(bots) != 2 {
		t.Fatalf("%d bot comments, want 2 results comments", len(bots))
	}
	second := bots[1].Body
	if !strings.HasPrefix(second, report.ResultsMarker("987654322")) {
		t.Errorf("rerun comment marker:\n%s", second)
	}
	c, _ := e.rs.Comment(first.ID)
	if c.Body != first.Body {
		t.Error("the rerun changed the earlier results comment")
	}
	if !strings.Contains(second, "#issuecomment-"+fmt.Sprint(first.ID)) {
		t.Errorf("rerun comment does not link the previous one (%d):\n%s", first.ID, second)
	}
}

// TestRerunFailedRefusals: nothing to rerun, no previous run, and tampered
// state all get a reply and run nothing.
func TestRerunFailedRefusals(t *testing.T) {
	stateOf := func(s string) string {
		return report.ResultsMarker("111") + "\n### results\n<!-- wizard-ci:state " + s + " -->"
	}
	enc := func(json string) string { return base64.StdEncoding.EncodeToString([]byte(json)) }
	cases := []struct {
		name     string
		previous string // body of a bot results comment, "" for none
		want     string
	}{
		{"no previous run", "", "no earlier wizard-ci run"},
		{"all succeeded", stateOf(enc(`{"id":"111"}`)), "Nothing to rerun"},
		{"broken base64", stateOf("!!!not-base64!!!"), "cannot be read"},
		{"unknown app path", stateOf(enc(`{"id":"111","f":[{"a":"basic-integration/../../etc","o":"crashed"}]}`)), "not valid here"},
		{"folder instead of app", stateOf(enc(`{"id":"111","f":[{"a":"basic-integration","o":"crashed"}]}`)), "not an app of the earlier run"},
		{"unknown outcome", stateOf(enc(`{"id":"111","f":[{"a":"misc/skills/node-worker","o":"exploded"}]}`)), "cannot be read"},
		{"state dropped", report.ResultsMarker("111") + "\nno state here", "no longer holds its run state"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newE2E(t)
			trace := e.useTestWizard("phx_rerunTestKey0123456789")
			e.rs.AddPull(fakegh.PullRequest{Number: 32})
			e.rs.SetRole("contributor-1", "write")
			if tc.previous != "" {
				e.rs.AddComment(32, fakegh.DefaultBot, "Bot", tc.previous)
				// A person's planted results comment is never read.
				e.rs.AddComment(32, "mallory", "User", stateOf(enc(`{"id":"1","f":[{"a":"misc/skills/node-worker","o":"crashed"}]}`)))
			}
			e.commentEvent("created", 32, "contributor-1", "User", "/wizard-ci rerun-failed")
			e.run()
			if e.code != 0 {
				t.Fatalf("exit %d\n%s", e.code, e.stderr)
			}
			if n := wizardStarts(t, trace); n != 0 {
				t.Fatalf("%d wizards started", n)
			}
			bots := e.botComments(32)
			last := bots[len(bots)-1].Body
			if !strings.Contains(last, tc.want) {
				t.Errorf("reply lacks %q:\n%s", tc.want, last)
			}
		})
	}
}

// TestCancelMidRun sends SIGTERM while wizards run: no row stays pending or
// running, the files are written, the final comment is posted and no child
// process survives.
func TestCancelMidRun(t *testing.T) {
	e := newE2E(t)
	trace := e.useTestWizard("phx_cancelTestKey0123456789")
	e.env["WIZARD_CI_SIMULATE"] = "*=sleep"
	e.env["INPUT_CONCURRENCY"] = "2"
	e.rs.AddPull(fakegh.PullRequest{Number: 33})
	e.rs.SetRole("contributor-1", "write")
	e.commentEvent("created", 33, "contributor-1", "User", "/wizard-ci basic-integration")

	run := e.start()
	deadline := time.Now().Add(30 * time.Second)
	for wizardStarts(t, trace) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("wizards did not start within 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	sent := time.Now()
	if err := run.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// How fast it stops is not asserted here (no timed assertions); the log
	// says it, and the 20 s guard only catches a hang.
	run.wait(t, 20*time.Second)
	t.Logf("stopped %s after SIGTERM", time.Since(sent).Round(time.Millisecond))
	r := e.results()
	if len(r.Apps) == 0 {
		t.Fatal("no apps in results.json")
	}
	var apps []string
	for _, a := range r.Apps {
		apps = append(apps, a.App)
		if a.Outcome != outcome.Cancelled {
			t.Errorf("%s: %s, want cancelled", a.App, a.Outcome)
		}
	}
	if r.Totals[string(outcome.Cancelled)] != len(r.Apps) {
		t.Errorf("results.json totals = %v, want %d cancelled", r.Totals, len(r.Apps))
	}

	// junit.xml: one skipped (cancelled) case per app, in results.json's order.
	checkCancelledJUnit(t, e.outDir(), apps)

	// comment.md and the final comment on the PR: a cancelled row for every
	// app, no pending or running row.
	md, err := os.ReadFile(filepath.Join(e.outDir(), results.CommentFile))
	if err != nil {
		t.Fatalf("comment.md: %v", err)
	}
	bots := e.botComments(33)
	if len(bots) != 1 {
		t.Fatalf("%d bot comments, want the one results comment", len(bots))
	}
	final := bots[0].Body
	summary, err := os.ReadFile(e.env["GITHUB_STEP_SUMMARY"])
	if err != nil || len(summary) == 0 {
		t.Fatalf("the step summary was not written (%v)", err)
	}
	for _, doc := range []struct{ name, body string }{
		{"comment.md", string(md)},
		{"final comment", final},
		{"step summary", string(summary)},
	} {
		checkNoUnfinishedRows(t, doc.name, doc.body)
		for _, app := range apps {
			if !cancelledRow(doc.body, app) {
				t.Errorf("%s has no cancelled row for %s:\n%s", doc.name, app, doc.body)
			}
		}
	}
	if !strings.HasPrefix(string(md), report.ResultsMarker(e2eRunID)) {
		t.Errorf("comment.md is not the results comment:\n%s", md)
	}

	// logs/: every log file belongs to an app of results.json that names it,
	// and every app that started has its log.
	checkCancelledLogs(t, e.outDir(), r.Apps)

	// GITHUB_OUTPUT: the outputs of SPEC §7, consistent with results.json.
	out := e.outputs()
	n := strconv.Itoa(len(r.Apps))
	want := map[string]string{
		"total":        n,
		"succeeded":    "0",
		"failed":       n, // cancelled counts as not succeeded
		"results-json": filepath.Join("wizard-ci-out", results.JSONFile),
	}
	for k, v := range want {
		if got, ok := out[k]; !ok || got != v {
			t.Errorf("output %s = %q (set: %v), want %q", k, got, ok, v)
		}
	}
	if u := out["comment-url"]; !strings.HasSuffix(u, "/pull/33#issuecomment-"+strconv.FormatInt(bots[0].ID, 10)) {
		t.Errorf("output comment-url = %q, want the results comment %d", u, bots[0].ID)
	}

	for _, pid := range wizardPIDs(t, trace) {
		if alive(pid) {
			t.Errorf("wizard process %d survived", pid)
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// cancelledRow reports whether body has a table row for app whose Result
// cell is cancelled.
func cancelledRow(body, app string) bool {
	for _, line := range strings.Split(body, "\n") {
		cells := strings.Split(line, "|")
		if strings.HasPrefix(line, "|") && len(cells) > 3 && strings.Contains(cells[1], app) &&
			strings.Contains(cells[2], string(outcome.Cancelled)) {
			return true
		}
	}
	return false
}

// checkNoUnfinishedRows fails for any table row of body that says pending
// or running.
func checkNoUnfinishedRows(t *testing.T, name, body string) {
	t.Helper()
	for _, line := range strings.Split(body, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		for _, word := range []string{"pending", "running"} {
			if strings.Contains(line, word) {
				t.Errorf("%s still has a %s row: %s", name, word, line)
			}
		}
	}
}

// checkCancelledJUnit reads junit.xml: one skipped case per app, in order,
// each saying cancelled, and no failure.
func checkCancelledJUnit(t *testing.T, outDir string, apps []string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(outDir, results.JUnitFile))
	if err != nil {
		t.Fatalf("junit.xml: %v", err)
	}
	var s results.JUnitSuite
	if err := xml.Unmarshal(b, &s); err != nil {
		t.Fatalf("junit.xml: %v\n%s", err, b)
	}
	if s.Tests != len(apps) || s.Skipped != len(apps) || s.Failures != 0 || s.Errors != 0 {
		t.Errorf("junit.xml: tests=%d skipped=%d failures=%d errors=%d, want %d skipped", s.Tests, s.Skipped, s.Failures, s.Errors, len(apps))
	}
	var names []string
	for _, c := range s.Cases {
		names = append(names, c.Name)
		if c.Failure != nil || c.Skipped == nil || !strings.HasPrefix(c.Skipped.Message, string(outcome.Cancelled)) {
			t.Errorf("junit.xml case %s: failure=%+v skipped=%+v, want skipped as cancelled", c.Name, c.Failure, c.Skipped)
		}
	}
	if !slices.Equal(names, apps) {
		t.Errorf("junit.xml cases %v, want %v", names, apps)
	}
}

// checkCancelledLogs: the logs folder holds only logs that results.json
// names, and every app that started has its log.
func checkCancelledLogs(t *testing.T, outDir string, apps []results.App) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(outDir, results.LogsDir))
	if err != nil {
		t.Fatalf("logs folder: %v", err)
	}
	named := map[string]bool{}
	started := 0
	for _, a := range apps {
		if a.Log != "" {
			if a.Log != results.LogName(a.App) {
				t.Errorf("%s: log %q, want %q", a.App, a.Log, results.LogName(a.App))
			}
			named[a.Log] = true
		}
		if len(a.Attempts) > 0 {
			started++
			if a.Log == "" {
				t.Errorf("%s started but results.json names no log", a.App)
			} else if _, err := os.Stat(filepath.Join(outDir, a.Log)); err != nil {
				t.Errorf("%s: %v", a.App, err)
			}
		}
	}
	if started == 0 {
		t.Error("results.json records no attempt, though wizards were running")
	}
	for _, en := range entries {
		rel := results.LogsDir + "/" + en.Name()
		if !named[rel] {
			t.Errorf("%s is in the logs folder but no app of results.json names it", rel)
		}
	}
	if len(entries) == 0 {
		t.Error("the logs folder is empty")
	}
}

// wizardPIDs reads the pids the test wizard recorded.
func wizardPIDs(t *testing.T, trace string) []int {
	b, _ := os.ReadFile(trace)
	var pids []int
	for _, line := range strings.Split(string(b), "\n") {
		var pid int
		if _, err := fmt.Sscanf(line, "pid %d", &pid); err == nil {
			pids = append(pids, pid)
		}
	}
	if len(pids) == 0 {
		t.Fatal("the test wizard recorded no pid")
	}
	return pids
}

// alive reports whether pid runs (a zombie waiting for PID 1 counts as gone).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z")
}

// bigWorkbench makes a workbench of n tiny apps in two categories.
func bigWorkbench(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	cfg := "categories:\n  alpha:\n    label: Alpha\n    ci: true\n  beta:\n    label: Beta\n    ci: true\n"
	if err := os.WriteFile(filepath.Join(dir, "wizard-ci.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		cat := "alpha"
		if i%2 == 1 {
			cat = "beta"
		}
		app := filepath.Join(dir, cat, fmt.Sprintf("group-%02d", i%20), fmt.Sprintf("app-%04d", i))
		if err := os.MkdirAll(app, 0o755); err != nil {
			t.Fatal(err)
		}
		files := map[string]string{
			"package.json": `{"name":"app","version":"1.0.0","main":"index.js","dependencies":{}}`,
			"index.js":     "console.log('hello');\n",
		}
		for name, body := range files {
			if err := os.WriteFile(filepath.Join(app, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// TestBigRunStaysWithinLimits runs 1,000 apps, some failing with long
// output: every comment body sent fits GitHub's limits, the comment states
// totals and what it collapsed, API requests grow with time, not apps, and
// the step summary fits 1 MiB (saying so when it was cut).
func TestBigRunStaysWithinLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 wizard processes")
	}
	e := newE2E(t)
	e.useWorkbench(bigWorkbench(t, 1000))
	e.env["INPUT_CONCURRENCY"] = "16"
	e.env["INPUT_UPDATE-INTERVAL"] = "1s"
	e.env["WIZARD_CI_SIMULATE"] = "beta/group-03/*=crashed,*=success"
	e.rs.AddPull(fakegh.PullRequest{Number: 34})
	e.rs.SetRole("contributor-1", "write")
	e.commentEvent("created", 34, "contributor-1", "User", "/wizard-ci all")
	start := time.Now()
	e.runWith(buildBinary(t, false))
	took := time.Since(start)
	if e.code != 1 {
		t.Fatalf("exit %d\n%s", e.code, e.stderr)
	}
	r := e.results()
	if len(r.Apps) != 1000 {
		t.Fatalf("%d apps in results.json", len(r.Apps))
	}
	final := e.botComments(34)[0].Body
	if n := utf8.RuneCountInString(final); n > 65536 {
		t.Errorf("final comment has %d characters", n)
	}
	for _, want := range []string{"50 of 1000 apps did not succeed", "950 success", "50 crashed", "Left out"} {
		if !strings.Contains(final, want) {
			t.Errorf("final comment does not say %q:\n%.3000s", want, final)
		}
	}
	// Fixed calls (PR twice, permission, reactions, find, create) plus at
	// most one update per interval and the final one.
	limit := int64(12 + took/time.Second + 1)
	if n := int64(len(e.srv.Log())); n > limit {
		t.Errorf("%d API requests in %s for 1,000 apps; want at most %d", n, took.Round(time.Second), limit)
	}
	md, _ := os.ReadFile(filepath.Join(e.outDir(), "comment.md"))
	if !strings.Contains(string(md), "beta/group-03/app-0003") {
		t.Error("comment.md lacks a failed app")
	}

	// Every comment body sent, each update and the final one, fits GitHub's
	// limits exactly (SPEC §6): 65,536 code points and 262,144 bytes.
	bodies, most := 0, 0
	for _, req := range e.srv.Log() {
		if !isCommentWrite(req) {
			continue
		}
		var b struct {
			Body *string `json:"body"`
		}
		if err := json.Unmarshal([]byte(req.Body), &b); err != nil || b.Body == nil {
			t.Errorf("%s %s: no JSON body field (%v): %.200s", req.Method, req.Path, err, req.Body)
			continue
		}
		bodies++
		most = max(most, len(*b.Body))
		if n := utf8.RuneCountInString(*b.Body); n > report.DefaultMaxChars {
			t.Errorf("%s %s: comment body has %d code points, over %d", req.Method, req.Path, n, report.DefaultMaxChars)
		}
		if n := len(*b.Body); n > report.MaxBytes {
			t.Errorf("%s %s: comment body has %d bytes, over %d", req.Method, req.Path, n, report.MaxBytes)
		}
	}
	if bodies < 2 {
		t.Errorf("%d comment bodies sent; want at least the pending one and the final one", bodies)
	}
	t.Logf("%d comment bodies sent, the largest %d bytes", bodies, most)

	// The step summary fits GitHub's 1 MiB; when it could not list every
	// app it says it was cut.
	summary, err := os.ReadFile(e.env["GITHUB_STEP_SUMMARY"])
	if err != nil || len(summary) == 0 {
		t.Fatalf("the step summary was not written (%v)", err)
	}
	if len(summary) > ghaction.MaxSummary {
		t.Errorf("step summary is %d bytes, over %d", len(summary), ghaction.MaxSummary)
	}
	missing := 0
	for _, a := range r.Apps {
		if !strings.Contains(string(summary), a.App) {
			missing++
		}
	}
	cut := strings.Contains(string(summary), summaryReportCutNote) || strings.Contains(string(summary), ghaction.SummaryCutNote)
	if missing > 0 && !cut {
		t.Errorf("the step summary leaves out %d apps and does not say it was cut", missing)
	}
	t.Logf("step summary: %d bytes, %d apps left out, cut note: %v", len(summary), missing, cut)
}

// summaryReportCutNote is how report.Summary ends a report it cut at 1 MiB.
const summaryReportCutNote = "_The report was cut here: it is over the 1 MiB limit of a job summary. `results.json` has every app._"

// isCommentWrite reports whether req creates or updates an issue comment.
func isCommentWrite(req fakegh.Request) bool {
	switch req.Method {
	case http.MethodPost:
		return strings.HasPrefix(req.Path, "/repos/") && strings.Contains(req.Path, "/issues/") && strings.HasSuffix(req.Path, "/comments")
	case http.MethodPatch:
		return strings.Contains(req.Path, "/issues/comments/")
	}
	return false
}

// TestReporterFailureKeepsResults: when GitHub refuses the results comment
// (a read-only fork token), the run still finishes, writes its files and
// the summary, and exits non-zero naming what could not be posted.
func TestReporterFailureKeepsResults(t *testing.T) {
	e := newE2E(t)
	e.rs.AddPull(fakegh.PullRequest{Number: 35})
	e.rs.SetRole("contributor-1", "write")
	e.rs.Intercept(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/comments") || r.Method == http.MethodPatch {
			fakegh.Error(w, http.StatusForbidden, "Resource not accessible by integration")
			return true
		}
		return false
	})
	e.commentEvent("created", 35, "contributor-1", "User", "/wizard-ci misc")
	e.run()
	if e.code == 0 {
		t.Fatalf("exit 0; want a failure naming the comment\n%s", e.stderr)
	}
	if !strings.Contains(e.stderr, "could not be posted") {
		t.Errorf("stderr does not say what could not be posted:\n%s", e.stderr)
	}
	if r := e.results(); len(r.Apps) != 1 || r.Apps[0].Outcome != outcome.Success {
		t.Errorf("results: %+v", r.Apps)
	}
	if b, _ := os.ReadFile(e.env["GITHUB_STEP_SUMMARY"]); !strings.Contains(string(b), "misc/skills/node-worker") {
		t.Error("step summary lacks the results")
	}
}

// TestReRunOfSameWorkflowRun: a re-run of the same workflow run (same
// GITHUB_RUN_ID) updates its results comment instead of adding one.
func TestReRunOfSameWorkflowRun(t *testing.T) {
	e := newE2E(t)
	e.rs.AddPull(fakegh.PullRequest{Number: 37})
	e.rs.SetRole("contributor-1", "write")
	e.env["WIZARD_CI_SIMULATE"] = "*=aborted"
	e.commentEvent("created", 37, "contributor-1", "User", "/wizard-ci misc")
	e.run()
	if e.code != 1 {
		t.Fatalf("first attempt: exit %d\n%s", e.code, e.stderr)
	}
	first := e.botComments(37)
	e.env["WIZARD_CI_SIMULATE"] = "*=success"
	e.run() // the same event and run id: GitHub's "Re-run jobs"
	if e.code != 0 {
		t.Fatalf("second attempt: exit %d\n%s", e.code, e.stderr)
	}
	bots := e.botComments(37)
	if len(first) != 1 || len(bots) != 1 || bots[0].ID != first[0].ID {
		t.Fatalf("results comments: %d then %d (ids %v → %v); want the same one", len(first), len(bots), first, bots)
	}
	if !rowHas(bots[0].Body, "misc/skills/node-worker", "success") {
		t.Errorf("comment not updated:\n%s", bots[0].Body)
	}
}
