package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/results"
)

// runBinary runs the real wizard-ci binary on the repository's workbench
// with the simulator and returns its exit code, stdout and results.
func runBinary(t *testing.T, scenario string, targets ...string) (int, string, *results.Results, string) {
	t.Helper()
	wb, err := filepath.Abs(filepath.Join(repoRoot, "workbench"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	args := append([]string{"run"}, targets...)
	cmd := exec.Command(binary(t), append(args, "--wizard=simulate", "--workbench", wb, "--out", out)...)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "WIZARD_CI_SIMULATE=" + scenario}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	r, err := results.Read(out)
	if err != nil {
		t.Fatalf("results: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	md, _ := os.ReadFile(filepath.Join(out, results.CommentFile))
	return code, stdout.String(), r, string(md)
}

// TestRunSimulateAllChecksPass: `wizard-ci run all --wizard=simulate` ends
// with every app success, every check passed (n/n in results.json, in the
// terminal table and in the comment's Checks column), exit 0.
func TestRunSimulateAllChecksPass(t *testing.T) {
	t.Parallel()
	code, stdout, r, md := runBinary(t, "", "all")
	if code != ExitOK {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	if len(r.Apps) < 12 {
		t.Errorf("%d apps ran, want the whole workbench", len(r.Apps))
	}
	for _, a := range r.Apps {
		if a.Outcome != outcome.Success {
			t.Errorf("%s: %s (%s)", a.App, a.Outcome, a.Reason)
		}
		if a.Checks == nil || a.Checks.Total < 5 || a.Checks.Passed != a.Checks.Total || len(a.Checks.Failures) != 0 {
			t.Errorf("%s: checks %+v, want all of at least 5 passed", a.App, a.Checks)
			continue
		}
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(a.App) + `\s+✅ success\s+1\s+\S+\s+6/6\s*$`).MatchString(stdout) {
			t.Errorf("%s: the terminal table does not show 6/6 checks:\n%s", a.App, stdout)
		}
		row := "| `" + a.App + "` | ✅ success | 1 | "
		if i := strings.Index(md, row); i < 0 || !strings.Contains(md[i:i+len(row)+40], " | 6/6 |") {
			t.Errorf("%s: the comment's row does not show 6/6 checks:\n%s", a.App, md)
		}
	}
}

// TestRunSimulateMisbehaviours: each misbehaviour of the simulated wizard
// exits 0, yet the run reports it: checks-failed naming the check that
// caught it, or no-changes; exit 1.
func TestRunSimulateMisbehaviours(t *testing.T) {
	t.Parallel()
	want := map[string]struct {
		play  string
		out   outcome.Outcome
		check string
	}{
		"basic-integration/flask/todo":                   {"hardcoded-key", outcome.ChecksFailed, "secrets"},
		"basic-integration/django/polls":                 {"broken-syntax", outcome.ChecksFailed, "command"},
		"misc/skills/node-worker":                        {"missing-init", outcome.ChecksFailed, "init"},
		"revenue/stripe/checkout-node":                   {"uncaptured-event", outcome.ChecksFailed, "events"},
		"basic-integration/python/cli-tool":              {"checks-failed", outcome.ChecksFailed, "sdk"},
		"basic-integration/fastapi/items":                {"no-changes", outcome.NoChanges, ""},
		"basic-integration/javascript-node/express-todo": {"success", outcome.Success, ""},
	}
	var scenario, targets []string
	for app, w := range want {
		scenario = append(scenario, app+"="+w.play)
		targets = append(targets, app)
	}
	code, stdout, r, md := runBinary(t, strings.Join(scenario, ","), targets...)
	if code != ExitFailed {
		t.Errorf("exit %d, want %d\n%s", code, ExitFailed, stdout)
	}
	if len(r.Apps) != len(want) {
		t.Fatalf("%d apps in results.json, want %d", len(r.Apps), len(want))
	}
	for _, a := range r.Apps {
		w := want[a.App]
		if a.Outcome != w.out {
			t.Errorf("%s (%s): %s (%s), want %s", a.App, w.play, a.Outcome, a.Reason, w.out)
			continue
		}
		switch {
		case w.out == outcome.NoChanges:
			if a.Checks != nil {
				t.Errorf("%s: checks ran on an unchanged app: %+v", a.App, a.Checks)
			}
		case w.check == "":
			if a.Checks == nil || a.Checks.Passed != a.Checks.Total {
				t.Errorf("%s: checks %+v", a.App, a.Checks)
			}
		default:
			if a.Checks == nil || len(a.Checks.Failures) != 1 || a.Checks.Failures[0].Check != w.check || a.Checks.Passed != a.Checks.Total-1 {
				t.Errorf("%s (%s): checks %+v, want exactly %s to fail", a.App, w.play, a.Checks, w.check)
			}
			if !strings.HasPrefix(a.Reason, w.check) {
				t.Errorf("%s: reason %q does not start with the failed check %s", a.App, a.Reason, w.check)
			}
		}
	}
	// The simulator's key never reaches the report.
	if strings.Contains(md, simulatorKey) {
		t.Error("comment.md shows the PostHog key")
	}
}

// TestRunProgram: every argument of `run` is a target, so `run revenue misc`
// runs both categories with their own sub-commands; --program NAME runs every
// selected app with that category's sub-command instead (SPEC §2).
func TestRunProgram(t *testing.T) {
	t.Parallel()
	wb, err := filepath.Abs(filepath.Join(repoRoot, "workbench"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, program string
		args          []string
		want          map[string]string // app → sub-command its log shows
	}{
		{"categories", "", []string{"revenue", "misc"},
			map[string]string{"revenue/stripe/checkout-node": "Running revenue-analytics", "misc/skills/node-worker": "Running posthog-integration"}},
		{"program", "revenue", []string{"misc", "--program", "revenue"},
			map[string]string{"misc/skills/node-worker": "Running revenue-analytics"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{"run", "--wizard=simulate", "--workbench", wb, "--out", out}, tc.args...)
			code, stdout, stderr := cliRun(t, t.TempDir(), nil, args...)
			r, err := results.Read(out)
			if code != ExitOK || err != nil {
				t.Fatalf("exit %d, %v\n%s%s", code, err, stdout, stderr)
			}
			if len(r.Apps) != len(tc.want) || r.Run.Program != tc.program {
				t.Errorf("%d apps, program %q; want %d, %q", len(r.Apps), r.Run.Program, len(tc.want), tc.program)
			}
			for _, a := range r.Apps {
				log, _ := os.ReadFile(filepath.Join(out, a.Log))
				if w, ok := tc.want[a.App]; !ok || !strings.Contains(string(log), w) {
					t.Errorf("%s: log lacks %q:\n%s", a.App, w, log)
				}
			}
		})
	}
}

// TestRunWarnsUnusedScenarioRules: a WIZARD_CI_SIMULATE rule that plays for
// no selected app gets one warning before the run, naming it; rules that
// play get none, also in a shard that does not hold their app.
func TestRunWarnsUnusedScenarioRules(t *testing.T) {
	t.Parallel()
	wb, err := filepath.Abs(filepath.Join(repoRoot, "workbench"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, scenario string
		args           []string
		want           []string
	}{
		{"typo", "revenu/*=crashed,*=success", []string{"revenue", "misc"}, []string{`rule "revenu/*=crashed" matches no selected app`}},
		{"shadowed", "*=success,misc=auth", []string{"misc"}, []string{`rule "misc=auth" never plays: an earlier rule`}},
		{"all used", "revenue=no-changes,*=success", []string{"revenue", "misc", "--shard", "1/2"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"run", "--wizard=simulate", "--workbench", wb, "--out", filepath.Join(t.TempDir(), "out")}, tc.args...)
			_, stdout, stderr := cliRun(t, t.TempDir(), map[string]string{"WIZARD_CI_SIMULATE": tc.scenario}, args...)
			if got := strings.Count(stderr, "warning: the WIZARD_CI_SIMULATE rule"); got != len(tc.want) {
				t.Errorf("%d scenario warnings, want %d:\n%s%s", got, len(tc.want), stdout, stderr)
			}
			for _, w := range tc.want {
				if strings.Count(stderr, w) != 1 || strings.Index(stderr, w) > strings.Index(stderr, "▶") && strings.Contains(stderr, "▶") {
					t.Errorf("stderr does not say %q once, before the run:\n%s", w, stderr)
				}
			}
		})
	}
}
