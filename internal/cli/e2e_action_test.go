package cli

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posthog/wizard-ci/internal/fakegh"
	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/report"
	"github.com/posthog/wizard-ci/internal/results"
	"github.com/posthog/wizard-ci/internal/slash"
)

// TestActionCommandRuns is the main path: a maintainer's command on an open
// PR gets 👀, a pending results comment before the first wizard starts, a
// final table, 👍, outputs and files.
//
// "A wizard starts" (SPEC §6) means any process of the wizard command is
// started: the preflight's `<wizard> --version` (SPEC §4: it "checks that
// the wizard starts") as much as a run on an app. A wrapper around the test
// wizard records every exec, so the test holds the create request of the
// results comment in the fake GitHub, proves that nothing was started then
// and during a short hold after, and only then lets the run go on.
func TestActionCommandRuns(t *testing.T) {
	e := newE2E(t)
	pr := e.rs.AddPull(fakegh.PullRequest{Number: 7})
	e.rs.SetRole("maintainer-1", "write")
	execs, appStarts, _ := e.wrapWizard(false)
	e.commentEvent("created", 7, "maintainer-1", "User", "Let's check this.\r\n\r\n/wizard-ci basic-integration/flask revenue\r\n\r\nthanks")

	marker := report.ResultsMarker(e2eRunID)
	var (
		mu      sync.Mutex
		created []string
	)
	held := make(chan struct{})
	release := make(chan struct{})
	var releaseOnce sync.Once
	open := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(open) // never leave the binary stuck on a failed test
	e.rs.Intercept(func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/comments") {
			return false
		}
		var b struct{ Body string }
		_ = json.Unmarshal(body, &b)
		mu.Lock()
		created = append(created, b.Body)
		first := len(created) == 1
		mu.Unlock()
		if first && strings.HasPrefix(b.Body, marker) {
			close(held)
			<-release
		}
		return false
	})
	run := e.start()
	select {
	case <-held:
	case <-run.done:
		t.Fatalf("the run ended (exit %d) without creating the results comment\nstderr:\n%s", e.code, e.stderr)
	case <-time.After(time.Minute):
		t.Fatal("the results comment was not created within a minute")
	}
	noStart := func(when string) {
		t.Helper()
		if n := countLines(t, execs); n != 0 || e.wizardStarted() {
			t.Errorf("%s: %d wizard processes started (logs folder exists: %v); want none before the results comment exists",
				when, n, e.wizardStarted())
		}
	}
	noStart("when the results comment was sent")
	// A start racing with the create would show within the hold; this
	// bounds the hold, it does not time anything.
	time.Sleep(300 * time.Millisecond)
	noStart("after holding the results comment for 300ms")
	open()
	run.wait(t, 2*time.Minute)
	if e.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", e.code, e.stderr)
	}
	wantApps := []string{"basic-integration/flask/todo", "revenue/stripe/checkout-node"}
	// The run went on: the preflight and one run per app, after the hold.
	if got := readLines(t, execs); len(got) != 3 || got[0] != "--version" {
		t.Errorf("wizard execs = %q; want the preflight's --version, then one per app", got)
	}
	if n := wizardStarts(t, appStarts); n != len(wantApps) {
		t.Errorf("%d wizard runs on apps, want %d", n, len(wantApps))
	}

	// The pending comment came first, before any wizard started.
	mu.Lock()
	created = slices.Clone(created)
	mu.Unlock()
	if len(created) != 1 {
		t.Fatalf("created %d comments, want exactly 1 (the results comment)", len(created))
	}
	first := created[0]
	if !strings.HasPrefix(first, marker) {
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
	if r.Run.HeadSHA != pr.HeadSHA || r.Run.PR != 7 || r.Run.ID != e2eRunID || r.Run.Wizard.Source != "command" {
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
	if src := e.results().Run.Wizard.Source; src != "simulate" {
		t.Errorf("wizard source = %q, want simulate", src)
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
		{"absolute workbench", "INPUT_WORKBENCH", "/etc", `workbench: "/etc" must be a folder inside the workspace`},
		{"workbench outside the workspace", "INPUT_WORKBENCH", "../workbench", `workbench: "../workbench" must be a folder inside the workspace`},
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
		// A run without a PR would otherwise spend its time and post nothing.
		{"no token", "INPUT_GITHUB-TOKEN", "", "github-token: the input is required"},
		{"blank token", "INPUT_GITHUB-TOKEN", "  ", "github-token: the input is required"},
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
			if e.wizardStarted() {
				t.Error("a wizard started; a configuration error stops the run before any app")
			}
			// An input is named as an input, never as the command line's flag.
			if strings.Contains(e.stderr, " --") {
				t.Errorf("stderr names a command-line flag: %q", e.stderr)
			}
		})
	}
}

// bgRun is `wizard-ci action` running in the background (e.start).
type bgRun struct {
	e    *e2e
	cmd  *exec.Cmd
	done chan struct{} // closed once it has exited and e's results are set
	err  error         // of starting or waiting, other than an exit status
}

// start starts `wizard-ci action` as run does, without waiting for it:
// e.stdout, e.stderr and e.code are set once done is closed. The process
// is killed when the test ends.
func (e *e2e) start() *bgRun {
	e.t.Helper()
	cmd := exec.Command(binary(e.t), "action")
	cmd.Dir = e.dir
	for k, v := range e.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	b := &bgRun{e: e, cmd: cmd, done: make(chan struct{})}
	go func() {
		defer close(b.done)
		err := cmd.Wait()
		e.stdout, e.stderr, e.code = out.String(), errb.String(), 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			e.code = ee.ExitCode()
		} else {
			b.err = err
		}
	}()
	e.t.Cleanup(func() {
		select {
		case <-b.done:
		default:
			_ = cmd.Process.Kill()
			<-b.done
		}
	})
	return b
}

// wait waits for the run to end; limit only guards against a hang.
func (b *bgRun) wait(t *testing.T, limit time.Duration) {
	t.Helper()
	select {
	case <-b.done:
	case <-time.After(limit):
		_ = b.cmd.Process.Kill()
		<-b.done
		t.Fatalf("wizard-ci did not finish within %s\nstderr:\n%s", limit, b.e.stderr)
	}
	if b.err != nil {
		t.Fatal(b.err)
	}
}

// wrapWizard makes the wizard-command a shell script that records every
// exec of the wizard (one line of its arguments in execs: the preflight's
// `--version` too) before it runs the test wizard of useTestWizard, whose
// trace (appStarts) records the runs on apps only. When gated, a run on an
// app waits until the file named after the app (its path with / as _)
// exists in gates, or gates/all does (removed with the test, and given up
// after about 30 s anyway, so no wrapper outlives a failed test for long).
func (e *e2e) wrapWizard(gated bool) (execs, appStarts, gates string) {
	e.t.Helper()
	appStarts = e.useTestWizard("phx_wrappedWizardKey0123456789")
	self := e.env["INPUT_WIZARD-COMMAND"]
	execs = filepath.Join(e.dir, "wizard-execs.txt")
	gates = filepath.Join(e.t.TempDir(), "gates")
	if err := os.Mkdir(gates, 0o755); err != nil {
		e.t.Fatal(err)
	}
	q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
	script := "#!/bin/sh\nprintf '%s\\n' \"$*\" >> " + q(execs) + "\n"
	if gated {
		script += `if [ "$1" != --version ]; then
	g=` + q(gates) + `/$(printf %s "$WIZARD_CI_APP" | tr / _)
	i=0
	while [ ! -e "$g" ] && [ ! -e ` + q(filepath.Join(gates, "all")) + ` ] && [ $i -lt 3000 ]; do
		sleep 0.01
		i=$((i+1))
	done
fi
`
		e.t.Cleanup(func() { _ = os.WriteFile(filepath.Join(gates, "all"), nil, 0o644) })
	}
	script += "exec " + q(self) + ` "$@"` + "\n"
	p := filepath.Join(e.t.TempDir(), "wizard")
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		e.t.Fatal(err)
	}
	e.env["INPUT_WIZARD-COMMAND"] = p
	return execs, appStarts, gates
}

// openGate lets the gated wizard run on app (wrapWizard).
func openGate(t *testing.T, gates, app string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(gates, strings.ReplaceAll(app, "/", "_")), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// readLines returns the lines of file, none when it does not exist.
func readLines(t *testing.T, file string) []string {
	t.Helper()
	b, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func countLines(t *testing.T, file string) int {
	t.Helper()
	return len(readLines(t, file))
}
