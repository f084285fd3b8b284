package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/posthog/wizard-ci/internal/fakegh"
	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/report"
	"github.com/posthog/wizard-ci/internal/results"
	"github.com/posthog/wizard-ci/internal/slash"
)

// TestActionCommandRuns is the main path: a maintainer's command on an open
// PR gets 👀, a pending results comment before the first wizard starts, a
// final table, 👍, outputs and files.
func TestActionCommandRuns(t *testing.T) {
	e := newE2E(t)
	pr := e.rs.AddPull(fakegh.PullRequest{Number: 7})
	e.rs.SetRole("maintainer-1", "write")
	e.commentEvent("created", 7, "maintainer-1", "User", "Let's check this.\r\n\r\n/wizard-ci basic-integration/flask revenue\r\n\r\nthanks")

	var created []string
	var startedBeforeCreate bool
	e.interceptCreate(func(body string) {
		created = append(created, body)
		startedBeforeCreate = startedBeforeCreate || e.wizardStarted()
	})
	e.run()
	if e.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", e.code, e.stderr)
	}
	wantApps := []string{"basic-integration/flask/todo", "revenue/stripe/checkout-node"}

	// The pending comment came first, before any wizard started.
	if len(created) != 1 {
		t.Fatalf("created %d comments, want exactly 1 (the results comment)", len(created))
	}
	if startedBeforeCreate {
		t.Error("a wizard started before the results comment was created")
	}
	first := created[0]
	if !strings.HasPrefix(first, report.ResultsMarker(e2eRunID)) {
		t.Errorf("results comment does not start with its marker:\n%s", first)
	}
	for _, app := range wantApps {
		if !rowHas(first, app, "pending") {
			t.Errorf("pending comment has no pending row for %s:\n%s", app, first)
		}
	}

	// The final comment: every app succeeded, with the head SHA and run link.
	bots := e.botComments(7)
	if len(bots) != 1 {
		t.Fatalf("bot comments = %d, want 1", len(bots))
	}
	final := bots[0].Body
	for _, app := range wantApps {
		if !rowHas(final, app, "success") {
			t.Errorf("final comment has no success row for %s:\n%s", app, final)
		}
	}
	if !strings.Contains(final, pr.HeadSHA[:7]) {
		t.Errorf("final comment lacks the head SHA %s", pr.HeadSHA[:7])
	}
	if !strings.Contains(final, "https://github.example.com/"+e2eRepo+"/actions/runs/"+e2eRunID) {
		t.Error("final comment lacks the workflow run link")
	}
	if got := slash.Parse(final).Kind; got != slash.Ignore {
		t.Errorf("the results comment parses as a command (%v)", got)
	}
	if got, want := e.reactions(), []string{"eyes", "+1"}; !slices.Equal(got, want) {
		t.Errorf("reactions = %v, want %v", got, want)
	}

	// Outputs and files.
	out := e.outputs()
	for k, want := range map[string]string{"total": "2", "succeeded": "2", "failed": "0"} {
		if out[k] != want {
			t.Errorf("output %s = %q, want %q", k, out[k], want)
		}
	}
	if !strings.Contains(out["comment-url"], "/pull/7#issuecomment-") {
		t.Errorf("comment-url = %q", out["comment-url"])
	}
	// Relative to the workspace: the container sees it elsewhere.
	if out["results-json"] != filepath.Join("wizard-ci-out", results.JSONFile) {
		t.Errorf("results-json = %q", out["results-json"])
	}
	r := e.results()
	if r.Run.HeadSHA != pr.HeadSHA || r.Run.PR != 7 || r.Run.ID != e2eRunID || r.Run.Wizard.Source != "simulate" {
		t.Errorf("run = %+v", r.Run)
	}
	var got []string
	for _, a := range r.Apps {
		got = append(got, a.App)
		if a.Outcome != outcome.Success || len(a.Attempts) != 1 {
			t.Errorf("%s: %s after %d attempts", a.App, a.Outcome, len(a.Attempts))
		}
		if _, err := os.Stat(filepath.Join(e.outDir(), a.Log)); err != nil {
			t.Errorf("%s: log: %v", a.App, err)
		}
	}
	if !slices.Equal(got, wantApps) {
		t.Errorf("apps = %v, want %v", got, wantApps)
	}
	for _, f := range []string{results.JUnitFile, results.CommentFile} {
		if _, err := os.Stat(filepath.Join(e.outDir(), f)); err != nil {
			t.Error(err)
		}
	}
	if b, _ := os.ReadFile(e.env["GITHUB_STEP_SUMMARY"]); !strings.Contains(string(b), "revenue/stripe/checkout-node") {
		t.Errorf("step summary lacks the table:\n%s", b)
	}
	// API use does not grow with apps: a handful of calls plus updates.
	if n := len(e.srv.Log()); n > 20 {
		t.Errorf("%d API requests for a 2-app run", n)
	}
}

// rowHas reports whether a table row for app mentions word.
func rowHas(body, app, word string) bool {
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "|") && strings.Contains(line, app) && strings.Contains(line, word) {
			return true
		}
	}
	return false
}

// TestActionFailedAppsExit1 runs a command where the simulator fails one app:
// the step fails (fail-on: failure), 👎, and the reason is in the comment.
func TestActionFailedAppsExit1(t *testing.T) {
	e := newE2E(t)
	e.rs.AddPull(fakegh.PullRequest{Number: 8})
	e.rs.SetRole("maintainer-1", "admin")
	e.env["WIZARD_CI_SIMULATE"] = "basic-integration/flask/*=security-blocked,*=success"
	e.commentEvent("created", 8, "maintainer-1", "User", "/wizard-ci basic-integration/flask basic-integration/fastapi")
	e.run()
	if e.code != 1 {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", e.code, e.stderr)
	}
	final := e.botComments(8)[0].Body
	if !rowHas(final, "basic-integration/flask/todo", "security-blocked") || !rowHas(final, "basic-integration/fastapi/items", "success") {
		t.Errorf("final comment:\n%s", final)
	}
	if got := e.reactions(); !slices.Equal(got, []string{"eyes", "-1"}) {
		t.Errorf("reactions = %v", got)
	}
	if out := e.outputs(); out["failed"] != "1" || out["succeeded"] != "1" {
		t.Errorf("outputs = %v", out)
	}
}

// TestActionRefusals: invalid commands get one reply and 😕, and nothing runs.
func TestActionRefusals(t *testing.T) {
	cases := []struct {
		name string
		body string
		want []string // substrings of the reply
	}{
		{"bare", "/wizard-ci", []string{"Nothing ran"}},
		{"unknown target", "/wizard-ci basic-integraton", []string{"Nothing ran", "basic-integraton", "basic-integration"}},
		{"one bad of two", "/wizard-ci basic-integration nope-nope", []string{"nope-nope"}},
		{"bad ref", "/wizard-ci all wizard:feature/..", []string{"Nothing ran", ".."}},
		{"help mixed", "/wizard-ci help all", []string{"Nothing ran"}},
		{"bad ref and bad targets", "/wizard-ci basic-integraton revenu wizard:..bad", []string{"..bad", "basic-integraton", "revenu", "basic-integration"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newE2E(t)
			e.rs.AddPull(fakegh.PullRequest{Number: 9})
			e.rs.SetRole("maintainer-1", "write")
			e.commentEvent("created", 9, "maintainer-1", "User", tc.body)
			e.run()
			if e.code != 0 {
				t.Fatalf("exit %d\nstderr:\n%s", e.code, e.stderr)
			}
			bots := e.botComments(9)
			if len(bots) != 1 {
				t.Fatalf("%d bot comments, want 1 reply", len(bots))
			}
			for _, w := range tc.want {
				if !strings.Contains(bots[0].Body, w) {
					t.Errorf("reply lacks %q:\n%s", w, bots[0].Body)
				}
			}
			if strings.Contains(bots[0].Body, "wizard-ci:results") {
				t.Error("a results comment was posted")
			}
			if e.wizardStarted() {
				t.Error("a wizard ran")
			}
			if got := e.reactions(); !slices.Equal(got, []string{"confused"}) {
				t.Errorf("reactions = %v, want [confused]", got)
			}
			if got := slash.Parse(bots[0].Body).Kind; got != slash.Ignore {
				t.Errorf("the reply parses as a command (%v)", got)
			}
			if n := strings.Count(bots[0].Body, "Usage:"); n != 1 {
				t.Errorf("the reply shows the usage %d times, want once:\n%s", n, bots[0].Body)
			}
			// The log says why nothing ran, without the reply's marker.
			if !strings.Contains(e.stderr, "wizard-ci: Nothing ran") || strings.Contains(e.stderr, "<!--") {
				t.Errorf("stderr:\n%s", e.stderr)
			}
		})
	}
}

// TestActionHelp replies with the hint text.
func TestActionHelp(t *testing.T) {
	e := newE2E(t)
	e.rs.AddPull(fakegh.PullRequest{Number: 10})
	e.rs.SetRole("maintainer-1", "write")
	e.commentEvent("created", 10, "maintainer-1", "User", "/wizard-ci help")
	e.run()
	if e.code != 0 {
		t.Fatalf("exit %d\n%s", e.code, e.stderr)
	}
	bots := e.botComments(10)
	if len(bots) != 1 || !strings.Contains(bots[0].Body, "basic-integration/next-js") {
		t.Fatalf("help reply: %+v", bots)
	}
	if e.wizardStarted() {
		t.Error("a wizard ran")
	}
}

// TestActionIgnored: events that are not commands get no reply and no run.
func TestActionIgnored(t *testing.T) {
	cases := []struct {
		name, action, login, userType, body string
	}{
		{"edited", "edited", "maintainer-1", "User", "/wizard-ci all"},
		{"bot", "created", "github-actions[bot]", "Bot", "/wizard-ci all"},
		{"no command", "created", "maintainer-1", "User", "looks good to me"},
		{"quoted", "created", "maintainer-1", "User", "> /wizard-ci all\n\nwhy did this fail?"},
		{"fenced", "created", "maintainer-1", "User", "```\n/wizard-ci all\n```"},
		{"inline code", "created", "maintainer-1", "User", "run `/wizard-ci all` later"},
		{"prefix only", "created", "maintainer-1", "User", "/wizard-cifoo all"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newE2E(t)
			e.rs.AddPull(fakegh.PullRequest{Number: 11})
			e.rs.SetRole("maintainer-1", "admin")
			e.commentEvent(tc.action, 11, tc.login, tc.userType, tc.body)
			e.run()
			if e.code != 0 {
				t.Fatalf("exit %d\n%s", e.code, e.stderr)
			}
			if len(e.srv.Log()) != 0 {
				t.Errorf("made %d API requests, want none: %+v", len(e.srv.Log()), e.srv.Log())
			}
			if e.wizardStarted() {
				t.Error("a wizard ran")
			}
		})
	}
}

// TestActionHintOnPullRequest upserts one hint comment per PR.
func TestActionHintOnPullRequest(t *testing.T) {
	e := newE2E(t)
	e.rs.AddPull(fakegh.PullRequest{Number: 12})
	ev := map[string]any{}
	raw, err := os.ReadFile(fixtures("github", "events", "pull_request.opened.payload.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := jsonUnmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	ev["number"] = 12
	ev["pull_request"].(map[string]any)["number"] = 12
	e.writeEvent("pull_request", ev)
	for range 2 {
		e.run()
		if e.code != 0 {
			t.Fatalf("exit %d\n%s", e.code, e.stderr)
		}
	}
	bots := e.botComments(12)
	if len(bots) != 1 {
		t.Fatalf("%d hint comments after two runs, want 1", len(bots))
	}
	body := bots[0].Body
	if !strings.HasPrefix(body, report.HintMarker) || !strings.Contains(body, "basic-integration") {
		t.Errorf("hint:\n%s", body)
	}
	if got := slash.Parse(body).Kind; got != slash.Ignore {
		t.Errorf("the hint parses as a command (%v)", got)
	}
}

// TestActionSchedule runs the target input with no PR: summary, outputs, files.
func TestActionSchedule(t *testing.T) {
	e := scheduleE2E(t)
	// A leading category is a target too, never a program (SPEC §8).
	e.env["INPUT_TARGET"] = "revenue basic-integration/python misc"
	e.run()
	if e.code != 0 {
		t.Fatalf("exit %d\n%s", e.code, e.stderr)
	}
	// No comment anywhere: the only API use is the tracking issue (SPEC §6).
	for _, r := range e.srv.Log() {
		if !strings.HasSuffix(r.Path, "/issues") {
			t.Errorf("scheduled run sent %s %s; want only the tracking issue", r.Method, r.Path)
		}
	}
	summary, _ := os.ReadFile(e.env["GITHUB_STEP_SUMMARY"])
	for _, app := range []string{"revenue/stripe/checkout-node", "basic-integration/python/cli-tool", "misc/skills/node-worker"} {
		if !strings.Contains(string(summary), app) {
			t.Errorf("summary lacks %s", app)
		}
	}
	if out := e.outputs(); out["total"] != "3" || out["succeeded"] != "3" {
		t.Errorf("outputs = %v", out)
	}
}

// TestActionConfigErrors exits 2 with a clear message.
func TestActionConfigErrors(t *testing.T) {
	cases := []struct {
		name, key, value, want string
	}{
		{"bad duration", "INPUT_APP-TIMEOUT", "twenty", "app-timeout"},
		{"bad count", "INPUT_CONCURRENCY", "-1", "concurrency"},
		{"bad fail-on", "INPUT_FAIL-ON", "sometimes", "fail-on"},
		{"output outside the workspace", "INPUT_OUTPUT-DIR", "../elsewhere", "output-dir"},
		{"absolute output", "INPUT_OUTPUT-DIR", "/etc/wizard", "output-dir"},
		{"bad min-permission", "INPUT_MIN-PERMISSION", "owner", "min-permission"},
		{"bad allow-forks", "INPUT_ALLOW-FORKS", "ture", "allow-forks"},
		{"allow-forks yes", "INPUT_ALLOW-FORKS", "yes", `allow-forks: "yes" is not a boolean`},
		{"negative delay", "INPUT_RETRY-DELAY", "-5s", `retry-delay: "-5s" is too short; use a duration of 0 or more`},
		{"zero timeout", "INPUT_APP-TIMEOUT", "0", `app-timeout: "0" is too short; use a duration of more than 0`},
		{"bad shard", "INPUT_SHARD", "3/2", `shard: "3/2" is not i/n`},
		{"missing workbench", "INPUT_WORKBENCH", "nowhere", "set the workbench input (INPUT_WORKBENCH)"},
		{"ref with a ready wizard", "INPUT_WIZARD-REF", "main", "wizard-ref"},
		{"flag-like target", "INPUT_TARGET", "all -x", `"-x": starts with "-"; no target does, and the target input takes no flags`},
		{"ref as a target", "INPUT_TARGET", "wizard:main", "the wizard-ref input"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newE2E(t)
			raw, _ := os.ReadFile(fixtures("github", "events", "workflow_dispatch.payload.json"))
			var ev map[string]any
			if err := jsonUnmarshal(raw, &ev); err != nil {
				t.Fatal(err)
			}
			e.writeEvent("workflow_dispatch", ev)
			e.env[tc.key] = tc.value
			e.run()
			if e.code != 2 || !strings.Contains(e.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 naming %s", e.code, e.stderr, tc.want)
			}
			// An input is named as an input, never as the command line's flag.
			if strings.Contains(e.stderr, " --") {
				t.Errorf("stderr names a command-line flag: %q", e.stderr)
			}
		})
	}
}
