package runner_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/runner"
	"github.com/posthog/wizard-ci/internal/runner/runnertest"
)

// TestCooldownSchedule runs the real clock inside a synctest bubble, where
// time moves only when every goroutine waits: a billing failure at 10 s
// sets a 90 s cooldown; the app that starts at 60 s waits the 40 s left,
// and the failed app retries at 100 s.
func TestCooldownSchedule(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		root, apps := newWorkbench(t, "a/billing", "a/long", "a/late")
		billing := fixture(t, "bedrock-billing-403.txt")
		billing.Takes = 10 * time.Second
		long := success(t)
		long.Takes = time.Minute
		s := &runnertest.Starter{Clock: runner.SystemClock{}, Scripts: map[string][]runnertest.Script{
			"a/billing": {billing, success(t)},
			"a/long":    {long},
		}, Default: success(t)}
		o := options(t, root, apps, s, runner.SystemClock{})
		o.Concurrency = 2
		o.Policy.ProvisioningRetryDelay = 90 * time.Second
		start := time.Now()
		got := runner.Run(t.Context(), o)
		want := []summary{
			{App: "a/billing", Outcome: outcome.Success, Attempts: []attemptSummary{{outcome.Provisioning, 0}, {outcome.Success, 90000}}},
			{App: "a/long", Outcome: outcome.Success, Attempts: []attemptSummary{{outcome.Success, 0}}},
			{App: "a/late", Outcome: outcome.Success, Attempts: []attemptSummary{{outcome.Success, 40000}}},
		}
		if d := cmp.Diff(want, summarize(got)); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
		starts := map[string]time.Duration{}
		for _, a := range got {
			starts[a.App] = a.Attempts[len(a.Attempts)-1].StartedAt.Sub(start.UTC())
		}
		wantStarts := map[string]time.Duration{"a/billing": 100 * time.Second, "a/long": 0, "a/late": 100 * time.Second}
		if d := cmp.Diff(wantStarts, starts); d != "" {
			t.Errorf("last starts (-want +got):\n%s", d)
		}
		if d := got[1].Attempts[0].DurationMS; d != 60000 {
			t.Errorf("a/long took %d ms, want 60000", d)
		}
	})
}
