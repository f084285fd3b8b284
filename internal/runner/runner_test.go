package runner_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/results"
	"github.com/posthog/wizard-ci/internal/runner"
	"github.com/posthog/wizard-ci/internal/runner/runnertest"
	"github.com/posthog/wizard-ci/internal/secrets"
	"github.com/posthog/wizard-ci/internal/workbench"
)

const testKey = "phx_TestKey0123456789abcdef"

// fixture reads a synthetic transcript of the shared fixtures.
func fixture(t *testing.T, name string) runnertest.Script {
	t.Helper()
	sc, err := runnertest.Transcript(filepath.Join("..", "..", "..", "shared", "fixtures", "wizard", "synthetic", name))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// success is a wizard that succeeds and edits the app.
func success(t *testing.T) runnertest.Script {
	sc := fixture(t, "success.txt")
	sc.Edit = runnertest.WriteFile("posthog.js", "// posthog\n")
	return sc
}

// newWorkbench makes a workbench folder with the apps (each a tiny Node app
// with a node_modules that must never be copied) and returns its root.
func newWorkbench(t *testing.T, apps ...string) (string, []workbench.App) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "workbench")
	var out []workbench.App
	for _, a := range apps {
		dir := filepath.Join(root, filepath.FromSlash(a))
		for name, content := range map[string]string{
			"package.json":                  `{"name":"app"}` + "\n",
			"index.js":                      "console.log('hi')\n",
			"node_modules/dep/index.js":     "module.exports = 1\n",
			"src/lib.js":                    "exports.x = 1\n",
			".wizard-ci/expect.yml":         "sdk: posthog-node\n",
			"node_modules/.bin/placeholder": "",
		} {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		cat, _, _ := strings.Cut(a, "/")
		out = append(out, workbench.App{Path: a, Category: cat})
	}
	return root, out
}

func options(t *testing.T, root string, apps []workbench.App, s runner.Starter, c runner.Clock) runner.Options {
	t.Helper()
	return runner.Options{
		Root:    root,
		Apps:    apps,
		Argv:    func(workbench.App) []string { return []string{"wizard"} },
		Region:  "us",
		APIKey:  testKey,
		Env:     []string{"PATH=/usr/bin:/bin", "HOME=/home/ci"},
		Policy:  outcome.DefaultPolicy,
		OutDir:  t.TempDir(),
		TempDir: t.TempDir(),
		Masker:  newMasker(),
		Starter: s,
		Clock:   c,
		Rand:    func() float64 { return 0 },
	}
}

func newMasker() *secrets.Masker { return secrets.NewMasker() }

// summary is what most tests compare: outcome and, per attempt, outcome
// and wait.
type summary struct {
	App      string
	Outcome  outcome.Outcome
	Attempts []attemptSummary
}

type attemptSummary struct {
	Outcome outcome.Outcome
	WaitMS  int64
}

func summarize(apps []results.App) []summary {
	var out []summary
	for _, a := range apps {
		s := summary{App: a.App, Outcome: a.Outcome}
		for _, at := range a.Attempts {
			s.Attempts = append(s.Attempts, attemptSummary{at.Outcome, at.WaitMS})
		}
		out = append(out, s)
	}
	return out
}

func ms(d time.Duration) int64 { return d.Milliseconds() }

// TestBillingRetriedThenSucceeds is the case wizard-ci exists for: the
// Bedrock billing 403 twice, then success, with the configured wait before
// each retry, while another app finishes normally.
func TestBillingRetriedThenSucceeds(t *testing.T) {
	t.Parallel()
	start := time.Now()
	root, apps := newWorkbench(t, "basic-integration/next-js/app-router-todo", "basic-integration/javascript-node/express-todo")
	billing := fixture(t, "bedrock-billing-403.txt")
	s := &runnertest.Starter{Scripts: map[string][]runnertest.Script{
		apps[0].Path: {billing, billing, success(t)},
		apps[1].Path: {success(t)},
	}}
	clock := runnertest.NewInstantClock(time.Time{})
	o := options(t, root, apps, s, clock)
	o.Concurrency = 2
	o.Policy.ProvisioningRetries = 2
	o.Policy.ProvisioningRetryDelay = 90 * time.Second

	got := runner.Run(t.Context(), o)

	want := []attemptSummary{{outcome.Provisioning, 0}, {outcome.Provisioning, 90000}, {outcome.Success, 90000}}
	if d := cmp.Diff(want, summarize(got)[0].Attempts); d != "" {
		t.Errorf("attempts of %s (-want +got):\n%s", apps[0].Path, d)
	}
	if got[0].Outcome != outcome.Success {
		t.Errorf("%s: outcome %q, want success", apps[0].Path, got[0].Outcome)
	}
	if got[1].Outcome != outcome.Success || len(got[1].Attempts) != 1 {
		t.Errorf("%s: %+v, want success in 1 attempt", apps[1].Path, summarize(got)[1])
	} else if len(got[0].Attempts) == 3 {
		// Meanwhile: the other app ran during the first wait (on the fake
		// clock), not after the retries.
		other, retry := got[1].Attempts[0].StartedAt, got[0].Attempts[1].StartedAt
		if !other.Before(retry) {
			t.Errorf("%s started at %v, not before %s's first retry at %v", apps[1].Path, other, apps[0].Path, retry)
		}
		if waited := got[0].Attempts[1].StartedAt.Sub(got[0].Attempts[0].StartedAt); waited < 90*time.Second {
			t.Errorf("the first retry started %v after the first attempt, want at least the 90s delay", waited)
		}
	}
	if got[0].Excerpt != nil {
		t.Errorf("a successful app has an excerpt: %q", got[0].Excerpt)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %v; the waits must not be real", el)
	}
	// The log keeps every attempt, with a header for each.
	log := readLog(t, o, apps[0])
	for n := 1; n <= 3; n++ {
		if !strings.Contains(log, fmt.Sprintf("=== attempt %d ===", n)) {
			t.Errorf("log lacks the header of attempt %d:\n%s", n, log)
		}
	}
	if !strings.Contains(log, "=== attempt 2 ended: provisioning (exit 1) ===") {
		t.Errorf("log lacks the end of attempt 2:\n%s", log)
	}
}

func readLog(t *testing.T, o runner.Options, app workbench.App) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(o.OutDir, filepath.FromSlash(results.LogName(app.Path))))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRetryWaits checks the wait before each retry for the retried
// outcomes.
func TestRetryWaits(t *testing.T) {
	t.Parallel()
	rateLimited := fixture(t, "rate-limit-429.txt")
	tests := []struct {
		name   string
		script []runnertest.Script
		policy outcome.Policy
		jitter float64
		want   summary
	}{
		{
			name:   "billing: the advised wait when the input is unset",
			script: []runnertest.Script{fixture(t, "bedrock-billing-403.txt"), {Edit: runnertest.WriteFile("x", "y")}},
			policy: outcome.DefaultPolicy,
			want: summary{Outcome: outcome.Success, Attempts: []attemptSummary{
				{outcome.Provisioning, 0}, {outcome.Success, ms(2 * time.Minute)}}},
		},
		{
			name:   "billing: 5 minutes advised",
			script: []runnertest.Script{fixture(t, "bedrock-billing-403-no-phw.txt"), {Edit: runnertest.WriteFile("x", "y")}},
			policy: outcome.DefaultPolicy,
			want: summary{Outcome: outcome.Success, Attempts: []attemptSummary{
				{outcome.Provisioning, 0}, {outcome.Success, ms(5 * time.Minute)}}},
		},
		{
			name:   "billing: retries used up",
			script: []runnertest.Script{fixture(t, "bedrock-billing-403.txt")},
			policy: outcome.Policy{ProvisioningRetries: 1, ProvisioningRetryDelay: time.Minute},
			want: summary{Outcome: outcome.Provisioning, Attempts: []attemptSummary{
				{outcome.Provisioning, 0}, {outcome.Provisioning, ms(time.Minute)}}},
		},
		{
			name:   "rate limited: the backoff grows",
			script: []runnertest.Script{rateLimited, rateLimited, rateLimited},
			policy: outcome.Policy{Retries: 2, RetryDelay: 30 * time.Second},
			want: summary{Outcome: outcome.RateLimited, Attempts: []attemptSummary{
				{outcome.RateLimited, 0}, {outcome.RateLimited, 30000}, {outcome.RateLimited, 60000}}},
		},
		{
			name:   "rate limited: jitter adds up to half",
			script: []runnertest.Script{rateLimited, rateLimited, {Edit: runnertest.WriteFile("x", "y")}},
			policy: outcome.Policy{Retries: 2, RetryDelay: 30 * time.Second},
			jitter: 0.5,
			want: summary{Outcome: outcome.Success, Attempts: []attemptSummary{
				{outcome.RateLimited, 0}, {outcome.RateLimited, 37500}, {outcome.Success, 75000}}},
		},
		{
			name:   "overloaded shares the retries with rate-limited",
			script: []runnertest.Script{fixture(t, "overloaded-529.txt"), rateLimited, fixture(t, "overloaded-529.txt")},
			policy: outcome.Policy{Retries: 2, RetryDelay: 10 * time.Second},
			want: summary{Outcome: outcome.Overloaded, Attempts: []attemptSummary{
				{outcome.Overloaded, 0}, {outcome.RateLimited, 10000}, {outcome.Overloaded, 20000}}},
		},
		{
			name:   "mcp-missing is retried once",
			script: []runnertest.Script{fixture(t, "mcp-missing.txt"), fixture(t, "mcp-missing.txt"), success(t)},
			policy: outcome.DefaultPolicy,
			want: summary{Outcome: outcome.MCPMissing, Attempts: []attemptSummary{
				{outcome.MCPMissing, 0}, {outcome.MCPMissing, 0}}},
		},
		{
			name:   "resource-missing is retried once",
			script: []runnertest.Script{fixture(t, "resource-missing.txt"), success(t)},
			policy: outcome.DefaultPolicy,
			want: summary{Outcome: outcome.Success, Attempts: []attemptSummary{
				{outcome.ResourceMissing, 0}, {outcome.Success, 0}}},
		},
		{
			name:   "no retries configured",
			script: []runnertest.Script{rateLimited, success(t)},
			policy: outcome.Policy{Retries: 0, RetryDelay: time.Second},
			want: summary{Outcome: outcome.RateLimited, Attempts: []attemptSummary{
				{outcome.RateLimited, 0}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root, apps := newWorkbench(t, "cat/app")
			s := &runnertest.Starter{Scripts: map[string][]runnertest.Script{"cat/app": tc.script}}
			o := options(t, root, apps, s, runnertest.NewInstantClock(time.Time{}))
			o.Policy = tc.policy
			o.Rand = func() float64 { return tc.jitter }
			got := summarize(runner.Run(t.Context(), o))[0]
			tc.want.App = "cat/app"
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestPermanentOutcomesNotRetried: every outcome SPEC §5 does not retry
// ends the app after one attempt.
func TestPermanentOutcomesNotRetried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want outcome.Outcome
	}{
		{"quota-daily-mint-429.txt", outcome.QuotaExhausted},
		{"detect-no-framework.txt", outcome.Precondition},
		{"security-stop.txt", outcome.SecurityBlocked},
		{"agent-abort.txt", outcome.Aborted},
		{"incomplete-tasks.txt", outcome.Incomplete},
		{"no-progress.txt", outcome.Incomplete},
		{"crash-unhandled.txt", outcome.Crashed},
		{"success.txt", outcome.NoChanges}, // exit 0 without an edit
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			root, apps := newWorkbench(t, "cat/app", "cat/next")
			s := &runnertest.Starter{Scripts: map[string][]runnertest.Script{"cat/app": {fixture(t, tc.file), success(t)}}, Default: success(t)}
			o := options(t, root, apps, s, runnertest.NewInstantClock(time.Time{}))
			got := runner.Run(t.Context(), o)
			want := []summary{
				{App: "cat/app", Outcome: tc.want, Attempts: []attemptSummary{{tc.want, 0}}},
				{App: "cat/next", Outcome: outcome.Success, Attempts: []attemptSummary{{outcome.Success, 0}}},
			}
			if d := cmp.Diff(want, summarize(got)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			if got[0].Reason == "" || len(got[0].Excerpt) == 0 {
				t.Errorf("a failed app needs a reason and an excerpt: %q %q", got[0].Reason, got[0].Excerpt)
			}
		})
	}
}

// TestStopsRun: auth and config outcomes skip the apps not yet started.
func TestStopsRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		script runnertest.Script
		want   outcome.Outcome
	}{
		{"auth", fixture(t, "auth-401-gateway.txt"), outcome.Auth},
		{"config", fixture(t, "ci-flag-rejected.txt"), outcome.Config},
		{"not started", runnertest.Script{StartErr: fmt.Errorf(`exec: "wizard": executable file not found in $PATH`)}, outcome.Config},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root, apps := newWorkbench(t, "a/one", "a/two", "b/three")
			s := &runnertest.Starter{Scripts: map[string][]runnertest.Script{"a/one": {tc.script}}, Default: success(t)}
			o := options(t, root, apps, s, runnertest.NewInstantClock(time.Time{}))
			o.Concurrency = 1
			got := runner.Run(t.Context(), o)
			want := []summary{
				{App: "a/one", Outcome: tc.want, Attempts: []attemptSummary{{tc.want, 0}}},
				{App: "a/two", Outcome: outcome.Skipped},
				{App: "b/three", Outcome: outcome.Skipped},
			}
			if d := cmp.Diff(want, summarize(got)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			for _, a := range got[1:] {
				if r := "skipped after a/one: " + string(tc.want); a.Reason != r {
					t.Errorf("%s: reason %q, want %q", a.App, a.Reason, r)
				}
				if a.Attempts == nil || len(a.Attempts) != 0 || a.Excerpt != nil {
					t.Errorf("%s: a skipped app has no attempts and no excerpt: %+v", a.App, a)
				}
			}
			if n := len(s.Specs()); n != 1 && tc.name != "not started" {
				t.Errorf("%d wizards started, want 1", n)
			}
			if tc.name == "not started" && !strings.Contains(got[0].Reason, "could not be started") {
				t.Errorf("reason %q does not say the wizard could not be started", got[0].Reason)
			}
		})
	}
}

// TestRunningAppsFinishAfterStop: an app already running when another
// stops the run finishes; it is not retried.
func TestRunningAppsFinishAfterStop(t *testing.T) {
	t.Parallel()
	root, apps := newWorkbench(t, "a/slow", "a/auth", "a/later")
	clock := runnertest.NewManualClock(time.Time{})
	billing := fixture(t, "bedrock-billing-403.txt")
	billing.Takes = time.Minute
	s := &runnertest.Starter{Clock: clock, Scripts: map[string][]runnertest.Script{
		"a/slow": {billing, success(t)},
		"a/auth": {fixture(t, "auth-401-gateway.txt")},
	}, Default: success(t)}
	o := options(t, root, apps, s, clock)
	o.Concurrency = 2
	authEnded := make(chan struct{})
	o.Observe = func(a results.App) {
		if a.App == "a/auth" && a.Outcome != "" {
			close(authEnded) // the final snapshot comes once
		}
	}
	done := make(chan []results.App)
	go func() { done <- runner.Run(t.Context(), o) }()
	// a/slow runs for a minute; a/auth fails at once and stops the run.
	<-authEnded
	clock.Advance(time.Minute)
	got := summarize(<-done)
	want := []summary{
		{App: "a/slow", Outcome: outcome.Provisioning, Attempts: []attemptSummary{{outcome.Provisioning, 0}}},
		{App: "a/auth", Outcome: outcome.Auth, Attempts: []attemptSummary{{outcome.Auth, 0}}},
		{App: "a/later", Outcome: outcome.Skipped},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestCooldownShared: after one app's provisioning failure, the next start
// of every app waits for the cooldown (SPEC §5).
func TestCooldownShared(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		want outcome.Outcome
		wait time.Duration
	}{
		{"provisioning", "bedrock-billing-403.txt", outcome.Provisioning, 90 * time.Second},
		{"rate-limited", "rate-limit-429.txt", outcome.RateLimited, 30 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root, apps := newWorkbench(t, "a/first", "a/second")
			s := &runnertest.Starter{Scripts: map[string][]runnertest.Script{"a/first": {fixture(t, tc.file)}}, Default: success(t)}
			o := options(t, root, apps, s, runnertest.NewInstantClock(time.Time{}))
			o.Concurrency = 1
			o.Policy = outcome.Policy{ProvisioningRetryDelay: 90 * time.Second, RetryDelay: 30 * time.Second} // no retries
			got := summarize(runner.Run(t.Context(), o))
			want := []summary{
				{App: "a/first", Outcome: tc.want, Attempts: []attemptSummary{{tc.want, 0}}},
				{App: "a/second", Outcome: outcome.Success, Attempts: []attemptSummary{{outcome.Success, ms(tc.wait)}}},
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestConcurrencyLimit: never more than Concurrency wizards at once, and
// the limit is reached.
func TestConcurrencyLimit(t *testing.T) {
	t.Parallel()
	names := []string{"c/1", "c/2", "c/3", "c/4", "c/5", "c/6", "c/7", "c/8"}
	root, apps := newWorkbench(t, names...)
	gate := make(chan struct{})
	s := &runnertest.Starter{Default: success(t), Gate: gate}
	o := options(t, root, apps, s, runnertest.NewManualClock(time.Time{}))
	o.Concurrency = 3
	done := make(chan []results.App)
	go func() { done <- runner.Run(t.Context(), o) }()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for finished := 0; finished < len(names); finished++ {
		if err := s.WaitRunning(ctx, min(3, len(names)-finished)); err != nil {
			t.Fatal(err)
		}
		gate <- struct{}{}
	}
	got := <-done
	if m := s.MaxRunning(); m != 3 {
		t.Errorf("at most %d wizards ran at once, want 3", m)
	}
	// Apps start in order.
	var order []string
	for _, sp := range s.Specs() {
		app, _ := runnertest.SpecApp(sp)
		order = append(order, app)
	}
	if d := cmp.Diff(names, order); d != "" {
		t.Errorf("start order (-want +got):\n%s", d)
	}
	for _, a := range got {
		if a.Outcome != outcome.Success {
			t.Errorf("%s: %s", a.App, a.Outcome)
		}
	}
}

// TestSpec pins what the wizard is started with: argv with the CI
// arguments, the copy as working folder, the key only in the environment.
func TestSpec(t *testing.T) {
	t.Parallel()
	root, apps := newWorkbench(t, "revenue/stripe/checkout")
	s := &runnertest.Starter{Scripts: map[string][]runnertest.Script{"revenue/stripe/checkout": {fixture(t, "mcp-missing.txt"), success(t)}}}
	o := options(t, root, apps, s, runnertest.NewInstantClock(time.Time{}))
	o.Argv = func(a workbench.App) []string {
		return []string{"node", "/opt/wizard/dist/bin.js", "revenue-analytics"}
	}
	o.Region = "eu"
	o.Env = append(o.Env, "POSTHOG_WIZARD_API_KEY=stale", "WIZARD_CI_ATTEMPT=9")
	runner.Run(t.Context(), o)
	specs := s.Specs()
	if len(specs) != 2 {
		t.Fatalf("%d starts, want 2", len(specs))
	}
	for i, sp := range specs {
		if !filepath.IsAbs(sp.Dir) || filepath.Base(sp.Dir) != "checkout" || strings.HasPrefix(sp.Dir, root) {
			t.Errorf("Dir %q: want an absolute copy outside the workbench named after the app", sp.Dir)
		}
		if i == 1 && sp.Dir == specs[0].Dir {
			t.Errorf("attempt 2 reused the copy of attempt 1")
		}
		wantArgv := []string{"node", "/opt/wizard/dist/bin.js", "revenue-analytics", "--ci", "--install-dir", sp.Dir, "--region", "eu"}
		if d := cmp.Diff(wantArgv, sp.Argv); d != "" {
			t.Errorf("argv (-want +got):\n%s", d)
		}
		for _, a := range sp.Argv {
			if strings.Contains(a, testKey) {
				t.Errorf("the key is on the command line: %q", sp.Argv)
			}
		}
		wantEnv := []string{"PATH=/usr/bin:/bin", "HOME=/home/ci", "POSTHOG_WIZARD_API_KEY=" + testKey,
			"WIZARD_CI_APP=revenue/stripe/checkout", fmt.Sprintf("WIZARD_CI_ATTEMPT=%d", i+1)}
		if d := cmp.Diff(wantEnv, sp.Env); d != "" {
			t.Errorf("env (-want +got):\n%s", d)
		}
	}
	// The copies are gone afterwards.
	entries, _ := os.ReadDir(o.TempDir)
	if len(entries) != 0 {
		t.Errorf("app copies left in TempDir: %v", entries)
	}
}

// TestWorkbenchUnchanged: the wizard edits only its copy.
func TestWorkbenchUnchanged(t *testing.T) {
	t.Parallel()
	root, apps := newWorkbench(t, "a/one", "a/two")
	before := hashTree(t, root)
	vandal := func(dir string) error {
		if err := os.WriteFile(filepath.Join(dir, "index.js"), []byte("changed\n"), 0o644); err != nil {
			return err
		}
		if err := os.RemoveAll(filepath.Join(dir, "src")); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, "new.js"), nil, 0o644)
	}
	s := &runnertest.Starter{Default: runnertest.Script{Edit: vandal}}
	o := options(t, root, apps, s, runnertest.NewInstantClock(time.Time{}))
	got := runner.Run(t.Context(), o)
	for _, a := range got {
		if a.Outcome != outcome.Success {
			t.Errorf("%s: %s", a.App, a.Outcome)
		}
	}
	if after := hashTree(t, root); after != before {
		t.Error("the workbench changed during the run")
	}
}

// TestChanged: what counts as the wizard changing the app.
func TestChanged(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(dir string) error
		want outcome.Outcome
	}{
		{"nothing", nil, outcome.NoChanges},
		{"a file added", runnertest.WriteFile("posthog.js", "x"), outcome.Success},
		{"a file edited", runnertest.WriteFile("index.js", "console.log('bye')\n"), outcome.Success},
		{"a file removed", func(d string) error { return os.Remove(filepath.Join(d, "src", "lib.js")) }, outcome.Success},
		// An empty folder is no change: git would not even record it.
		{"only an empty folder added", func(d string) error { return os.Mkdir(filepath.Join(d, "lib"), 0o755) }, outcome.NoChanges},
		{"mode changed", func(d string) error { return os.Chmod(filepath.Join(d, "index.js"), 0o755) }, outcome.Success},
		{"only node_modules", func(d string) error {
			return os.MkdirAll(filepath.Join(d, "node_modules", "posthog-node"), 0o755)
		}, outcome.NoChanges},
		{"only .git", func(d string) error { return os.MkdirAll(filepath.Join(d, ".git", "objects"), 0o755) }, outcome.NoChanges},
		{"only the wizard's log", runnertest.WriteFile("posthog-wizard.log", "log"), outcome.NoChanges},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root, apps := newWorkbench(t, "a/app")
			s := &runnertest.Starter{Default: runnertest.Script{Edit: tc.edit}}
			got := runner.Run(t.Context(), options(t, root, apps, s, runnertest.NewInstantClock(time.Time{})))
			if got[0].Outcome != tc.want {
				t.Errorf("outcome %q, want %q", got[0].Outcome, tc.want)
			}
		})
	}
}

// TestCopySkipsNodeModules: the copy holds the app's files and folders
// with their permissions, without node_modules or symlinks.
func TestCopySkipsNodeModules(t *testing.T) {
	t.Parallel()
	root, apps := newWorkbench(t, "a/app")
	if err := os.Chmod(filepath.Join(root, "a", "app", "index.js"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "a", "app", "package.json"), 0o400); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("index.js", filepath.Join(root, "a", "app", "link.js")); err != nil {
		t.Fatal(err)
	}
	var seen []string
	modes := map[string]fs.FileMode{}
	s := &runnertest.Starter{Default: runnertest.Script{Edit: func(dir string) error {
		for _, f := range []string{"index.js", "package.json"} {
			st, err := os.Stat(filepath.Join(dir, f))
			if err != nil {
				return err
			}
			modes[f] = st.Mode().Perm()
		}
		return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			rel, _ := filepath.Rel(dir, p)
			seen = append(seen, filepath.ToSlash(rel))
			return err
		})
	}}}
	runner.Run(t.Context(), options(t, root, apps, s, runnertest.NewInstantClock(time.Time{})))
	slices.Sort(seen)
	want := []string{".", ".wizard-ci", ".wizard-ci/expect.yml", "index.js", "package.json", "src", "src/lib.js"}
	if d := cmp.Diff(want, seen); d != "" {
		t.Errorf("copy (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]fs.FileMode{"index.js": 0o755, "package.json": 0o400}, modes); d != "" {
		t.Errorf("modes (-want +got):\n%s", d)
	}
}

// TestLogMasked: secrets never reach the log, the reason or the excerpt.
func TestLogMasked(t *testing.T) {
	t.Parallel()
	root, apps := newWorkbench(t, "a/app")
	leak := runnertest.Script{
		Stdout: "┌  Welcome\n│  key " + testKey + " and another phx_LeakedPersonalKey12345678\n",
		Stderr: "phw-error: {\"code\":\"PHW_INTERNAL_UNHANDLED\",\"message\":\"Something went wrong: bad key " + testKey + "\"}\n" +
			"no newline at the end " + testKey,
		Code: 1,
	}
	s := &runnertest.Starter{Default: leak}
	o := options(t, root, apps, s, runnertest.NewInstantClock(time.Time{}))
	got := runner.Run(t.Context(), o)
	log := readLog(t, o, apps[0])
	for _, secret := range []string{testKey, "phx_LeakedPersonalKey12345678"} {
		if strings.Contains(log, secret) {
			t.Errorf("log holds %q:\n%s", secret, log)
		}
		if strings.Contains(got[0].Reason, secret) || strings.Contains(strings.Join(got[0].Excerpt, "\n"), secret) {
			t.Errorf("reason or excerpt holds %q: %q %q", secret, got[0].Reason, got[0].Excerpt)
		}
	}
	if !strings.Contains(log, "***") || !strings.Contains(log, "no newline at the end") {
		t.Errorf("log lacks the masked output:\n%s", log)
	}
	if got[0].Log != results.LogName("a/app") {
		t.Errorf("Log = %q", got[0].Log)
	}
}

// TestObserve: snapshots are serialised, the final one comes once per app,
// and the running ones have no outcome.
func TestObserve(t *testing.T) {
	t.Parallel()
	root, apps := newWorkbench(t, "o/1", "o/2", "o/3", "o/4", "o/5")
	s := &runnertest.Starter{Scripts: map[string][]runnertest.Script{
		"o/1": {fixture(t, "bedrock-billing-403.txt"), success(t)},
		"o/2": {fixture(t, "auth-401-gateway.txt")},
	}, Default: success(t)}
	o := options(t, root, apps, s, runnertest.NewInstantClock(time.Time{}))
	o.Concurrency = 2
	var mu sync.Mutex
	var inside atomic.Int32
	finals := map[string]int{}
	running := map[string]bool{}
	o.Observe = func(a results.App) {
		if inside.Add(1) != 1 {
			t.Error("Observe called concurrently")
		}
		defer inside.Add(-1)
		mu.Lock()
		defer mu.Unlock()
		if a.Outcome != "" {
			finals[a.App]++
			if a.Running {
				t.Errorf("%s: final snapshot still running", a.App)
			}
		} else if a.Running {
			running[a.App] = true
		}
	}
	got := runner.Run(t.Context(), o)
	for _, a := range got {
		if finals[a.App] != 1 {
			t.Errorf("%s: %d final snapshots, want 1", a.App, finals[a.App])
		}
		if len(a.Attempts) > 0 && !running[a.App] {
			t.Errorf("%s: no running snapshot", a.App)
		}
	}
}

// TestBoundedMemory: 50 MB of output go to the log; the runner keeps only
// ExcerptLines short lines.
func TestBoundedMemory(t *testing.T) {
	t.Parallel()
	root, apps := newWorkbench(t, "big/app")
	const total = 50 << 20
	line := strings.Repeat("x", 1023) + "\n"
	huge := runnertest.Script{Code: 1, Write: func(w io.Writer) error {
		chunk := strings.Repeat(line, 64)
		for n := 0; n < total; n += len(chunk) {
			if _, err := io.WriteString(w, chunk); err != nil {
				return err
			}
		}
		// One line far longer than any buffer, then the failure.
		if _, err := io.WriteString(w, strings.Repeat("y", 1<<20)+"\n"); err != nil {
			return err
		}
		_, err := io.WriteString(w, "API Error: 529 Overloaded\n")
		return err
	}}
	s := &runnertest.Starter{Default: huge}
	o := options(t, root, apps, s, runnertest.NewInstantClock(time.Time{}))
	o.ExcerptLines = 5
	o.Policy.Retries = 0
	got := runner.Run(t.Context(), o)
	if n := len(got[0].Excerpt); n == 0 || n > o.ExcerptLines {
		t.Errorf("excerpt has %d lines, want 1..%d", n, o.ExcerptLines)
	}
	for _, l := range got[0].Excerpt {
		if len(l) > 1000 {
			t.Errorf("excerpt line of %d bytes", len(l))
		}
	}
	if got[0].Outcome != outcome.Overloaded {
		t.Errorf("outcome %q, want overloaded", got[0].Outcome)
	}
	st, err := os.Stat(filepath.Join(o.OutDir, filepath.FromSlash(got[0].Log)))
	if err != nil || st.Size() < total {
		t.Errorf("log: %v, %d bytes, want at least %d", err, st.Size(), total)
	}
}

// TestCancelled: after ctx is cancelled no wizard starts, running ones get
// SIGTERM and unfinished apps are cancelled.
func TestCancelled(t *testing.T) {
	t.Parallel()
	root, apps := newWorkbench(t, "x/done", "x/running", "x/waiting", "x/pending")
	clock := runnertest.NewManualClock(time.Time{})
	s := &runnertest.Starter{Clock: clock, Scripts: map[string][]runnertest.Script{
		"x/done":    {fixture(t, "agent-abort.txt")},
		"x/running": {{Hang: true, Stdout: "◌  working\n"}},
		"x/waiting": {fixture(t, "bedrock-billing-403.txt"), success(t)},
	}, Default: success(t)}
	o := options(t, root, apps, s, clock)
	o.Concurrency = 2
	o.Policy.ProvisioningRetryDelay = time.Hour
	ctx, cancel := context.WithCancel(t.Context())
	waiting := make(chan struct{})
	closeWaiting := sync.OnceFunc(func() { close(waiting) })
	o.Observe = func(a results.App) {
		if a.App == "x/waiting" && len(a.Attempts) == 1 {
			closeWaiting()
		}
	}
	done := make(chan []results.App)
	go func() { done <- runner.Run(ctx, o) }()
	wctx, wcancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer wcancel()
	// x/done ended, x/running runs, x/waiting waits an hour to retry and
	// holds the second slot, so x/pending has not started. Pending Afters:
	// the two app-timeouts of x/running and x/waiting, and the hour.
	<-waiting
	if err := clock.BlockUntil(wctx, 3); err != nil {
		t.Fatal(err)
	}
	cancel()
	got := summarize(<-done)
	want := []summary{
		{App: "x/done", Outcome: outcome.Aborted, Attempts: []attemptSummary{{outcome.Aborted, 0}}},
		{App: "x/running", Outcome: outcome.Cancelled, Attempts: []attemptSummary{{outcome.Cancelled, 0}}},
		{App: "x/waiting", Outcome: outcome.Cancelled, Attempts: []attemptSummary{{outcome.Provisioning, 0}}},
		{App: "x/pending", Outcome: outcome.Cancelled},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if n := len(s.Specs()); n != 3 {
		t.Errorf("%d wizards started, want 3", n)
	}
	if s.Running() != 0 {
		t.Errorf("%d wizards still running", s.Running())
	}
}

// TestCancelKillsAfterGrace: a wizard that ignores SIGTERM gets SIGKILL
// CancelGrace later.
func TestCancelKillsAfterGrace(t *testing.T) {
	t.Parallel()
	root, apps := newWorkbench(t, "x/stubborn")
	clock := runnertest.NewManualClock(time.Time{})
	s := &runnertest.Starter{Default: runnertest.Script{Hang: true, IgnoreTerm: true}}
	o := options(t, root, apps, s, clock)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan []results.App)
	go func() { done <- runner.Run(ctx, o) }()
	wctx, wcancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer wcancel()
	if err := s.WaitRunning(wctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := clock.BlockUntil(wctx, 1); err != nil { // the app-timeout
		t.Fatal(err)
	}
	cancel()
	if err := clock.BlockUntil(wctx, 2); err != nil { // + the kill grace
		t.Fatal(err)
	}
	select {
	case <-done:
		t.Fatal("Run returned before the stubborn wizard was killed")
	default:
	}
	clock.Advance(runner.CancelGrace)
	got := <-done
	if got[0].Outcome != outcome.Cancelled {
		t.Errorf("outcome %q, want cancelled", got[0].Outcome)
	}
}

// TestTimeout: the app-timeout sends SIGTERM, then SIGKILL after KillGrace.
func TestTimeout(t *testing.T) {
	t.Parallel()
	for _, ignoreTerm := range []bool{false, true} {
		t.Run(fmt.Sprintf("ignore SIGTERM %v", ignoreTerm), func(t *testing.T) {
			t.Parallel()
			root, apps := newWorkbench(t, "x/slow")
			clock := runnertest.NewManualClock(time.Time{})
			s := &runnertest.Starter{Default: runnertest.Script{Hang: true, IgnoreTerm: ignoreTerm, Stdout: "◌  [1/4] Installing posthog-node\n"}}
			o := options(t, root, apps, s, clock)
			o.Timeout = 200 * time.Millisecond
			o.KillGrace = 10 * time.Second
			done := make(chan []results.App)
			go func() { done <- runner.Run(t.Context(), o) }()
			wctx, wcancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer wcancel()
			if err := clock.BlockUntil(wctx, 1); err != nil {
				t.Fatal(err)
			}
			clock.Advance(o.Timeout)
			if ignoreTerm {
				if err := clock.BlockUntil(wctx, 1); err != nil {
					t.Fatal(err)
				}
				clock.Advance(o.KillGrace)
			}
			got := <-done
			want := []summary{{App: "x/slow", Outcome: outcome.Timeout, Attempts: []attemptSummary{{outcome.Timeout, 0}}}}
			if d := cmp.Diff(want, summarize(got)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			if got[0].Attempts[0].ExitCode != -1 {
				t.Errorf("exit code %d, want -1", got[0].Attempts[0].ExitCode)
			}
		})
	}
}

// TestChecks: failed checks turn a success into checks-failed.
func TestChecks(t *testing.T) {
	t.Parallel()
	root, apps := newWorkbench(t, "a/good", "a/bad")
	s := &runnertest.Starter{Default: success(t)}
	o := options(t, root, apps, s, runnertest.NewInstantClock(time.Time{}))
	o.Check = func(_ context.Context, app workbench.App, dir string) *results.Checks {
		if _, err := os.Stat(filepath.Join(dir, "posthog.js")); err != nil {
			t.Errorf("Check did not get the edited copy: %v", err)
		}
		if app.Path == "a/bad" {
			return &results.Checks{Passed: 2, Total: 3, Failures: []results.CheckFailure{{Check: "sdk", File: "package.json", Reason: "posthog-node is not a dependency"}}}
		}
		return &results.Checks{Passed: 3, Total: 3, Failures: []results.CheckFailure{}}
	}
	got := runner.Run(t.Context(), o)
	if got[0].Outcome != outcome.Success || got[0].Checks == nil || got[0].Checks.Passed != 3 {
		t.Errorf("a/good: %+v", got[0])
	}
	if got[1].Outcome != outcome.ChecksFailed || got[1].Checks == nil || len(got[1].Checks.Failures) != 1 {
		t.Errorf("a/bad: %+v", got[1])
	}
	if want := "sdk (package.json): posthog-node is not a dependency"; got[1].Reason != want {
		t.Errorf("reason %q, want %q", got[1].Reason, want)
	}
}

// TestMissingApp: an app folder that is not there fails that app only.
func TestMissingApp(t *testing.T) {
	t.Parallel()
	root, apps := newWorkbench(t, "a/here")
	apps = append(apps, workbench.App{Path: "a/gone", Category: "a"}, workbench.App{Path: "../escape", Category: "a"})
	s := &runnertest.Starter{Default: success(t)}
	got := summarize(runner.Run(t.Context(), options(t, root, apps, s, runnertest.NewInstantClock(time.Time{}))))
	want := []summary{
		{App: "a/here", Outcome: outcome.Success, Attempts: []attemptSummary{{outcome.Success, 0}}},
		{App: "a/gone", Outcome: outcome.Precondition, Attempts: []attemptSummary{{outcome.Precondition, 0}}},
		{App: "../escape", Outcome: outcome.Precondition, Attempts: []attemptSummary{{outcome.Precondition, 0}}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func hashTree(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %v\n", p, info.Mode())
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%x\n", sha256.Sum256(b))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
