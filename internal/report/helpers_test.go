package report

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/results"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.md")

// golden compares got with testdata/<name>.golden.md (STYLE §3).
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name+".golden.md")
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s (-want +got):\n%s", name, d)
	}
}

// Fixed inputs of every golden test.
var (
	t0      = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	runID   = "8123456789"
	headSHA = "0123456789abcdef0123456789abcdef01234567"
	movedTo = "fedcba9876543210fedcba9876543210fedcba98"
	runURL  = "https://github.com/PostHog/wizard/actions/runs/8123456789"
	config  = map[string]string{
		"concurrency":  "4",
		"app-timeout":  "20m0s",
		"retries":      "2 (delay 30s)",
		"provisioning": "2 retries (advised delay, else 2m)",
		"region":       "us",
		"workbench":    "workbench",
		"fail-on":      "failure",
	}
)

func baseRun(targets ...string) results.Run {
	return results.Run{
		ID: runID, Targets: targets, PR: 42, HeadSHA: headSHA,
		Wizard:    results.Wizard{Source: "build", Version: "2.77.0", SHA: "89abcdef0123456789abcdef0123456789abcdef"},
		StartedAt: t0, URL: runURL,
	}
}

func attempt(o outcome.Outcome, sec, waitSec int) results.Attempt {
	code := 1
	if o == outcome.Success || o == outcome.NoChanges || o == outcome.ChecksFailed {
		code = 0
	}
	return results.Attempt{Outcome: o, ExitCode: code, StartedAt: t0, DurationMS: int64(sec) * 1000, WaitMS: int64(waitSec) * 1000}
}

func app(path string, o outcome.Outcome, attempts ...results.Attempt) results.App {
	a := results.App{App: path, Category: strings.Split(path, "/")[0], Outcome: o, Attempts: attempts, Log: results.LogName(path)}
	if o == outcome.Success {
		a.Checks = &results.Checks{Passed: 5, Total: 5}
	}
	return a
}

// manyApps makes n app paths spread over two categories.
func manyApps(n int) []string {
	out := make([]string, n)
	for i := range out {
		cat := "basic-integration"
		if i%3 == 2 {
			cat = "revenue"
		}
		out[i] = fmt.Sprintf("%s/framework-%02d/example-app-%04d", cat, i%17, i)
	}
	return out
}

// commandLines returns the lines of body that would parse as a command:
// the first non-space text is /wizard-ci. It is a deliberately simple,
// stricter-than-SPEC check (fences and quotes are not excused).
func commandLines(body string) []string {
	var bad []string
	for _, l := range strings.FieldsFunc(body, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.HasPrefix(strings.ToLower(strings.TrimLeftFunc(l, unicode.IsSpace)), "/wizard-ci") {
			bad = append(bad, l)
		}
	}
	return bad
}

func assertNoCommands(t *testing.T, name, body string) {
	t.Helper()
	if bad := commandLines(body); len(bad) > 0 {
		t.Errorf("%s: %d line(s) parse as a command, e.g. %q", name, len(bad), bad[0])
	}
}
