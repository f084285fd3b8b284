package wizard

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/posthog/wizard-ci/internal/outcome"
)

// Environment variables the simulator reads. The runner sets AppEnv and
// AttemptEnv for every wizard it starts, real or simulated.
const (
	ScenarioEnv = "WIZARD_CI_SIMULATE" // comma list of glob=outcome[+outcome…]
	AppEnv      = "WIZARD_CI_APP"      // the app's workbench path
	AttemptEnv  = "WIZARD_CI_ATTEMPT"  // 1-based attempt number
	KeyEnv      = "POSTHOG_WIZARD_API_KEY"
)

// Sleep is the hidden scenario that prints nothing and waits to be killed;
// Timeout prints some progress first. Both end only by a signal.
const Sleep outcome.Outcome = "sleep"

// Misbehaviours are scenarios in which the simulated wizard exits 0 and
// reports success, like a real wizard that believes it did the job, but
// leaves the app in a state the checks must catch (the runner then reports
// checks-failed). Besides these, no-changes exits 0 without editing the app
// and checks-failed leaves the SDK out of the dependencies.
const (
	HardcodedKey    outcome.Outcome = "hardcoded-key"    // writes the PostHog key it was given into the app
	BrokenSyntax    outcome.Outcome = "broken-syntax"    // leaves a file the app's check command validates unparsable
	MissingInit     outcome.Outcome = "missing-init"     // adds the SDK and the captures but never initialises PostHog
	UncapturedEvent outcome.Outcome = "uncaptured-event" // plans an event in .posthog-events.json that nothing captures
)

// Misbehaviours lists the misbehaviour scenarios.
var Misbehaviours = []outcome.Outcome{HardcodedKey, BrokenSyntax, MissingInit, UncapturedEvent}

// Simulated lists the outcomes the simulator can play, besides Sleep and
// the Misbehaviours.
var Simulated = []outcome.Outcome{
	outcome.Success, outcome.NoChanges, outcome.ChecksFailed,
	outcome.Provisioning, outcome.RateLimited, outcome.Overloaded, outcome.QuotaExhausted,
	outcome.Auth, outcome.Config, outcome.Precondition,
	outcome.MCPMissing, outcome.ResourceMissing, outcome.SecurityBlocked,
	outcome.Aborted, outcome.Incomplete, outcome.Crashed, outcome.Timeout,
}

// Scenario says which outcome the simulator plays for each app and attempt.
type Scenario []Rule

// Rule is one glob=outcome[+outcome…] entry of WIZARD_CI_SIMULATE.
type Rule struct {
	Glob     string
	Outcomes []outcome.Outcome
}

// ParseScenario reads WIZARD_CI_SIMULATE: a comma list of
// `glob=outcome[+outcome…]`, e.g.
// `basic-integration/*=provisioning+provisioning+success,*=success`.
// A glob (path.Match syntax) applies to an app when it matches the app's path
// or one of its parent folders, so `basic-integration/*` covers every app of
// that category at any depth. An entry without `glob=` applies to every app.
// The first matching rule wins; attempt n plays the n-th outcome, the last
// one repeating. An empty value means success everywhere.
func ParseScenario(s string) (Scenario, error) {
	const scenarioForm = "each comma-separated rule is glob=outcome[+outcome…], " +
		"e.g. basic-integration/*=provisioning+success,*=success"
	var sc Scenario
	for _, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		glob, list, ok := strings.Cut(entry, "=")
		if !ok {
			glob, list = "*", entry
		}
		glob = strings.Trim(strings.TrimSpace(glob), "/")
		if _, err := path.Match(glob, ""); err != nil || glob == "" {
			return nil, fmt.Errorf("%s: %q is not a valid glob; %s", ScenarioEnv, glob, scenarioForm)
		}
		r := Rule{Glob: glob}
		for _, name := range strings.Split(list, "+") {
			o := outcome.Outcome(strings.TrimSpace(name))
			if !simulated(o) {
				return nil, fmt.Errorf("%s: %q is not an outcome the simulator can play; use one of %s (%s)",
					ScenarioEnv, string(o), simulatedNames(), scenarioForm)
			}
			r.Outcomes = append(r.Outcomes, o)
		}
		sc = append(sc, r)
	}
	return sc, nil
}

// Outcome is what attempt (1-based) on app plays.
func (sc Scenario) Outcome(app string, attempt int) outcome.Outcome {
	app = strings.Trim(app, "/")
	for _, r := range sc {
		if !r.matches(app) {
			continue
		}
		i := min(max(attempt, 1), len(r.Outcomes)) - 1
		return r.Outcomes[i]
	}
	return outcome.Success
}

// String is the rule as WIZARD_CI_SIMULATE writes it: glob=outcome[+outcome…].
func (r Rule) String() string {
	names := make([]string, len(r.Outcomes))
	for i, o := range r.Outcomes {
		names[i] = string(o)
	}
	return r.Glob + "=" + strings.Join(names, "+")
}

// Unused returns the rules that play for none of apps: unmatched ones match
// no app, shadowed ones match only apps an earlier rule already takes (the
// first matching rule wins).
func (sc Scenario) Unused(apps []string) (unmatched, shadowed []Rule) {
	taken := make([]bool, len(apps))
	for _, r := range sc {
		matched, plays := false, false
		for i, app := range apps {
			if !r.matches(strings.Trim(app, "/")) {
				continue
			}
			matched = true
			if !taken[i] {
				taken[i], plays = true, true
			}
		}
		switch {
		case !matched:
			unmatched = append(unmatched, r)
		case !plays:
			shadowed = append(shadowed, r)
		}
	}
	return unmatched, shadowed
}

func (r Rule) matches(app string) bool {
	p := app
	for {
		if ok, _ := path.Match(r.Glob, p); ok {
			return true
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}

func simulated(o outcome.Outcome) bool {
	return o == Sleep || slices.Contains(Simulated, o) || slices.Contains(Misbehaviours, o)
}

func simulatedNames() string {
	all := append(slices.Clone(Simulated), Misbehaviours...)
	names := make([]string, len(all))
	for i, o := range all {
		names[i] = fmt.Sprintf("%q", string(o))
	}
	return strings.Join(names, ", ")
}
