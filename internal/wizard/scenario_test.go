package wizard

import (
	"strings"
	"testing"

	"github.com/posthog/wizard-ci/internal/outcome"
)

func TestScenario(t *testing.T) {
	t.Parallel()
	const spec = "basic-integration/*=provisioning+provisioning+success, revenue/stripe/checkout-node=auth, misc=timeout+crashed, *=no-changes"
	sc, err := ParseScenario(spec)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		app     string
		attempt int
		want    outcome.Outcome
	}{
		{"basic-integration/next-js/app-router-todo", 1, outcome.Provisioning},
		{"basic-integration/next-js/app-router-todo", 2, outcome.Provisioning},
		{"basic-integration/next-js/app-router-todo", 3, outcome.Success},
		{"basic-integration/next-js/app-router-todo", 9, outcome.Success},
		{"basic-integration/flask/todo", 0, outcome.Provisioning}, // a missing attempt counts as the first
		{"revenue/stripe/checkout-node", 1, outcome.Auth},
		{"revenue/stripe/other", 1, outcome.NoChanges},
		{"misc/skills/node-worker", 1, outcome.Timeout},
		{"misc/skills/node-worker", 2, outcome.Crashed},
		{"elsewhere/app", 1, outcome.NoChanges},
	}
	for _, tc := range tests {
		if got := sc.Outcome(tc.app, tc.attempt); got != tc.want {
			t.Errorf("Outcome(%q, %d) = %q, want %q", tc.app, tc.attempt, got, tc.want)
		}
	}
}

func TestScenarioDefaults(t *testing.T) {
	t.Parallel()
	for _, spec := range []string{"", " , "} {
		sc, err := ParseScenario(spec)
		if err != nil {
			t.Fatalf("ParseScenario(%q): %v", spec, err)
		}
		if got := sc.Outcome("a/b", 1); got != outcome.Success {
			t.Errorf("ParseScenario(%q).Outcome = %q, want success", spec, got)
		}
	}
	sc, err := ParseScenario("rate-limited+success")
	if err != nil {
		t.Fatal(err)
	}
	if got := sc.Outcome("any/app", 1); got != outcome.RateLimited {
		t.Errorf("entry without a glob: got %q, want rate-limited", got)
	}
}

func TestScenarioErrors(t *testing.T) {
	t.Parallel()
	for _, spec := range []string{"*=sucess", "a/[=success", "*=success+", "*=cancelled", "=success"} {
		if _, err := ParseScenario(spec); err == nil {
			t.Errorf("ParseScenario(%q): want an error", spec)
		}
	}
}

// TestScenarioMisbehaviours: every misbehaviour is a scenario name, alone or
// in a sequence, and the error for a typo lists them.
func TestScenarioMisbehaviours(t *testing.T) {
	t.Parallel()
	for _, m := range append(Misbehaviours, outcome.NoChanges, outcome.ChecksFailed) {
		sc, err := ParseScenario("misc/*=provisioning+" + string(m) + ",*=" + string(m))
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if got := sc.Outcome("misc/skills/node-worker", 2); got != m {
			t.Errorf("%s: attempt 2 plays %q", m, got)
		}
		if got := sc.Outcome("revenue/a", 1); got != m {
			t.Errorf("%s: other apps play %q", m, got)
		}
	}
	_, err := ParseScenario("*=hardcoded-keys")
	if err == nil || !strings.Contains(err.Error(), `"hardcoded-key"`) || !strings.Contains(err.Error(), `"uncaptured-event"`) {
		t.Errorf("error %v does not list the misbehaviours", err)
	}
}

// TestScenarioUnused: a rule that matches no app, or only apps an earlier
// rule takes, never plays and is reported, written as it was given.
func TestScenarioUnused(t *testing.T) {
	t.Parallel()
	sc, err := ParseScenario("revenu/*=crashed, misc=timeout+success, *=success, basic-integration/*=auth")
	if err != nil {
		t.Fatal(err)
	}
	unmatched, shadowed := sc.Unused([]string{"misc/skills/node-worker", "revenue/stripe/checkout-node"})
	if len(unmatched) != 2 || unmatched[0].String() != "revenu/*=crashed" || unmatched[1].String() != "basic-integration/*=auth" {
		t.Errorf("unmatched = %v, want [revenu/*=crashed basic-integration/*=auth]", unmatched)
	}
	if len(shadowed) != 0 {
		t.Errorf("shadowed = %v, want none", shadowed)
	}
	_, shadowed = sc.Unused([]string{"basic-integration/flask/todo"})
	if len(shadowed) != 1 || shadowed[0].String() != "basic-integration/*=auth" {
		t.Errorf("shadowed = %v, want [basic-integration/*=auth]", shadowed)
	}
	if u, s := sc.Unused([]string{"revenu/x", "misc/y", "basic-integration/z"}); len(u)+len(s) != 1 {
		t.Errorf("unused = %v %v, want only basic-integration/*=auth shadowed by *", u, s)
	}
}
