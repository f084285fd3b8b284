package cli

// End-to-end tests of scaling out and of runs without a PR: the real binary
// plans a matrix, runs each leg, merges the legs with `report`, and keeps
// the tracking issue of scheduled runs on the fake GitHub.

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/posthog/wizard-ci/internal/fakegh"
	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/report"
	"github.com/posthog/wizard-ci/internal/results"
)

// cli runs the real binary with args in dir and env, and returns its exit
// code, stdout and stderr.
func cliRun(t *testing.T, dir string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String(), errb.String()
	case err != nil:
		t.Fatal(err)
	}
	return 0, out.String(), errb.String()
}

// TestPlanShardsReport: plan 3 shards, run each leg with `run --shard`,
// then `report` merges the legs into one results.json, junit.xml and
// comment.md with every log, and exits like run.
func TestPlanShardsReport(t *testing.T) {
	t.Parallel()
	wb, err := filepath.Abs(filepath.Join(repoRoot, "workbench"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	code, stdout, stderr := cliRun(t, dir, nil, "plan", "all", "--shards", "3", "--workbench", wb)
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s", code, stderr)
	}
	var m Matrix
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatalf("plan printed %q: %v", stdout, err)
	}
	if len(m.Include) != 3 {
		t.Fatalf("plan: %d legs, want 3: %s", len(m.Include), stdout)
	}
	_, listed, _ := cliRun(t, dir, nil, "list", "all", "--workbench", wb)
	all := strings.Fields(listed)

	env := map[string]string{"WIZARD_CI_SIMULATE": "basic-integration/python/*=crashed,*=success"}
	var planned []string
	for i, leg := range m.Include {
		out := filepath.Join(dir, "legs", leg.Shard[:1])
		code, _, stderr := cliRun(t, dir, env, "run", "all", "--shard", leg.Shard, "--wizard=simulate", "--workbench", wb, "--out", out)
		if code != 0 && code != 1 {
			t.Fatalf("leg %d: exit %d\n%s", i+1, code, stderr)
		}
		r, err := results.Read(out)
		if err != nil {
			t.Fatal(err)
		}
		var ran []string
		for _, a := range r.Apps {
			ran = append(ran, a.App)
		}
		if diff := cmp.Diff(leg.Apps, ran); diff != "" {
			t.Errorf("leg %s ran other apps than planned (-plan +ran):\n%s", leg.Shard, diff)
		}
		planned = append(planned, leg.Apps...)
	}
	slices.Sort(planned)
	if diff := cmp.Diff(all, planned); diff != "" {
		t.Errorf("the plan does not hold every app once (-list +plan):\n%s", diff)
	}

	merged := filepath.Join(dir, "merged")
	code, stdout, stderr = cliRun(t, dir, nil, "report", filepath.Join(dir, "legs"), "--out", merged)
	if code != 1 {
		t.Fatalf("report: exit %d, want 1 (python apps crashed)\n%s\n%s", code, stdout, stderr)
	}
	r, err := results.Read(merged)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range r.Apps {
		got = append(got, a.App)
		if a.Log == "" {
			t.Errorf("%s has no log", a.App)
		} else if _, err := os.Stat(filepath.Join(merged, filepath.FromSlash(a.Log))); err != nil {
			t.Errorf("%s: log not copied: %v", a.App, err)
		}
		if want := outcome.Success; strings.HasPrefix(a.App, "basic-integration/python/") {
			if a.Outcome != outcome.Crashed {
				t.Errorf("%s = %s, want crashed", a.App, a.Outcome)
			}
		} else if a.Outcome != want {
			t.Errorf("%s = %s, want success", a.App, a.Outcome)
		}
	}
	if diff := cmp.Diff(all, got); diff != "" {
		t.Errorf("merged apps (-list +merged):\n%s", diff)
	}
	if r.Run.Shard != "" {
		t.Errorf("merged shard = %q", r.Run.Shard)
	}
	for _, f := range []string{results.JUnitFile, results.CommentFile} {
		b, err := os.ReadFile(filepath.Join(merged, f))
		if err != nil || !strings.Contains(string(b), "basic-integration/python/") {
			t.Errorf("%s: %v (%d bytes)", f, err, len(b))
		}
	}
	if !strings.Contains(stdout, "succeeded") || !strings.Contains(stdout, "crashed") {
		t.Errorf("report printed no table:\n%s", stdout)
	}

	// --fail-on never exits 0, and the report may be made again into its
	// own output folder; but never into a folder it reads.
	code, _, stderr = cliRun(t, dir, nil, "report", filepath.Join(dir, "legs"), "--out", merged, "--fail-on", "never")
	if code != 0 {
		t.Errorf("report --fail-on never: exit %d\n%s", code, stderr)
	}
	code, _, stderr = cliRun(t, dir, nil, "report", filepath.Join(dir, "legs"), merged, "--out", merged)
	if code != 2 || !strings.Contains(stderr, "is the results folder") {
		t.Errorf("report into a folder it reads: exit %d, %s", code, stderr)
	}
	// An app in two legs (a leg and the merged folder), or a folder without
	// results, is a configuration error.
	code, _, stderr = cliRun(t, dir, nil, "report", filepath.Join(dir, "legs", "1"), merged, "--out", filepath.Join(dir, "twice"))
	if code != 2 || !strings.Contains(stderr, "in leg") {
		t.Errorf("report with an app twice: exit %d, %s", code, stderr)
	}
	code, _, stderr = cliRun(t, dir, nil, "report", t.TempDir(), "--out", filepath.Join(dir, "none"))
	if code != 2 || !strings.Contains(stderr, results.JSONFile) {
		t.Errorf("report of an empty folder: exit %d, %s", code, stderr)
	}
}

// scheduleE2E is a scheduled run of the action on the fake GitHub.
func scheduleE2E(t *testing.T) *e2e {
	t.Helper()
	e := newE2E(t)
	raw, err := os.ReadFile(fixtures("github", "events", "schedule.minimal-from-peter-evans-create-pull-request-issue-29.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(e.dir, "event.json")
	if err := os.WriteFile(p, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	e.env["GITHUB_EVENT_NAME"] = "schedule"
	e.env["GITHUB_EVENT_PATH"] = p
	e.env["INPUT_TARGET"] = "basic-integration/python"
	return e
}

func (e *e2e) trackingIssues() []fakegh.Issue {
	var out []fakegh.Issue
	for _, is := range e.rs.Issues() {
		if strings.Contains(is.Body, report.ReportMarker) {
			out = append(out, is)
		}
	}
	return out
}

// TestScheduleTrackingIssue: scheduled runs keep one bot issue up to date,
// listing regressions and fixes against the run before; a planted issue
// with the marker is not ours; a tampered state is a warning.
func TestScheduleTrackingIssue(t *testing.T) {
	e := scheduleE2E(t)
	planted := e.rs.AddIssue("wizard-ci: scheduled runs", report.ReportMarker+"\nplanted", "mallory", "User")

	e.run()
	if e.code != 0 {
		t.Fatalf("run 1: exit %d\n%s", e.code, e.stderr)
	}
	issues := e.trackingIssues()
	if len(issues) != 2 {
		t.Fatalf("run 1: %d marked issues, want the planted one and ours", len(issues))
	}
	ours := issues[1]
	if ours.Number == planted || ours.AuthorType != "Bot" || ours.Title != DefaultReportIssue {
		t.Fatalf("run 1: issue %+v", ours)
	}
	if !strings.Contains(ours.Body, "first run") || !strings.Contains(ours.Body, "basic-integration/python/cli-tool") {
		t.Errorf("run 1 body:\n%s", ours.Body)
	}

	// Run 2: one app breaks, with a custom title.
	e.env["WIZARD_CI_SIMULATE"] = "basic-integration/python/cli-tool=crashed,*=success"
	e.env["INPUT_REPORT-ISSUE"] = "Nightly wizard runs"
	e.run()
	if e.code != 1 {
		t.Fatalf("run 2: exit %d, want 1\n%s", e.code, e.stderr)
	}
	issues = e.trackingIssues()
	if len(issues) != 2 || issues[1].Number != ours.Number {
		t.Fatalf("run 2: issues %+v; want ours updated", issues)
	}
	body := issues[1].Body
	if issues[1].Title != "Nightly wizard runs" || !strings.Contains(body, "1 regression") ||
		!strings.Contains(body, "`basic-integration/python/cli-tool`: ✅ success → ") {
		t.Errorf("run 2: title %q body:\n%s", issues[1].Title, body)
	}
	summary, _ := os.ReadFile(e.env["GITHUB_STEP_SUMMARY"])
	if !strings.Contains(string(summary), "1 regression") {
		t.Errorf("the job summary does not flag the regression:\n%s", summary)
	}

	// Run 3: fixed again.
	e.env["WIZARD_CI_SIMULATE"] = "*=success"
	e.run()
	if e.code != 0 {
		t.Fatalf("run 3: exit %d\n%s", e.code, e.stderr)
	}
	if body := e.trackingIssues()[1].Body; !strings.Contains(body, "1 fix") || strings.Contains(body, "regression (") {
		t.Errorf("run 3 body:\n%s", body)
	}
	if is := e.rs.Issues()[planted-1]; !strings.HasSuffix(is.Body, "planted") {
		t.Errorf("the planted issue was changed: %q", is.Body)
	}
}

// TestScheduleTrackingIssueFailure: an issue that cannot be written is a
// warning; the run's exit code, summary and outputs stand.
func TestScheduleTrackingIssueFailure(t *testing.T) {
	e := scheduleE2E(t)
	e.rs.Intercept(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/issues") {
			fakegh.Error(w, http.StatusForbidden, "Resource not accessible by integration")
			return true
		}
		return false
	})
	e.run()
	if e.code != 0 {
		t.Fatalf("exit %d, want 0\n%s", e.code, e.stderr)
	}
	if !hasAnnotation(e.stdout, "warning", "tracking issue") {
		t.Errorf("stdout lacks the ::warning:: annotation:\n%s", e.stdout)
	}
	if out := e.outputs(); out["total"] == "" || out["succeeded"] != out["total"] {
		t.Errorf("outputs = %v", out)
	}
	if len(e.trackingIssues()) != 0 {
		t.Error("an issue was created")
	}
}

// TestShardedScheduleReport: legs of a scheduled run leave the issue alone;
// `report` in the final job merges them and updates the issue once.
func TestShardedScheduleReport(t *testing.T) {
	e := scheduleE2E(t)
	e.env["INPUT_TARGET"] = "basic-integration"
	for _, shard := range []string{"1/2", "2/2"} {
		e.env["INPUT_SHARD"] = shard
		e.env["INPUT_OUTPUT-DIR"] = filepath.Join("legs", shard[:1])
		e.run()
		if e.code != 0 {
			t.Fatalf("leg %s: exit %d\n%s", shard, e.code, e.stderr)
		}
	}
	if n := len(e.trackingIssues()); n != 0 {
		t.Fatalf("legs created %d tracking issues, want 0", n)
	}
	delete(e.env, "INPUT_SHARD")
	delete(e.env, "INPUT_OUTPUT-DIR")
	if err := os.WriteFile(e.env["GITHUB_STEP_SUMMARY"], nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.env["GITHUB_OUTPUT"], nil, 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for k, v := range e.env {
		env[k] = v
	}
	code, stdout, stderr := cliRun(t, e.dir, env, "report", "legs")
	if code != 0 {
		t.Fatalf("report: exit %d\n%s\n%s", code, stdout, stderr)
	}
	issues := e.trackingIssues()
	if len(issues) != 1 {
		t.Fatalf("%d tracking issues, want 1\n%s", len(issues), stderr)
	}
	r, err := results.Read(filepath.Join(e.dir, "wizard-ci-out"))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range r.Apps {
		if !strings.Contains(issues[0].Body, a.App) {
			t.Errorf("the issue lacks %s", a.App)
		}
	}
	summary, _ := os.ReadFile(e.env["GITHUB_STEP_SUMMARY"])
	if !strings.Contains(string(summary), "first run") || !strings.Contains(string(summary), r.Apps[0].App) {
		t.Errorf("summary:\n%s", summary)
	}
	if out := e.outputs(); out["total"] != strconv.Itoa(len(r.Apps)) || out["succeeded"] != out["total"] {
		t.Errorf("outputs = %v", out)
	}
}
