package checks_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/posthog/wizard-ci/internal/checks"
	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/results"
	"github.com/posthog/wizard-ci/internal/wizard"
	"github.com/posthog/wizard-ci/internal/workbench"
)

// realWorkbench is the repository's own workbench, the one CI runs.
var realWorkbench = filepath.Join("..", "..", "workbench")

// simulatedKey is the key the simulator is given; hardcoded-key writes it.
const simulatedKey = "phx_workbenchLabelledTest0123456789abcdefXYZ"

// labels is the labelled set: what each simulator scenario must be judged.
// nil means every check passes; otherwise exactly these checks fail.
var labels = []struct {
	play outcome.Outcome
	fail []string
}{
	{outcome.Success, nil},
	{outcome.NoChanges, []string{checks.Changed}},
	{outcome.ChecksFailed, []string{checks.SDK}},
	{wizard.MissingInit, []string{checks.Init}},
	{wizard.UncapturedEvent, []string{checks.Events}},
	{wizard.HardcodedKey, []string{checks.Secrets}},
	{wizard.BrokenSyntax, []string{checks.Command}},
}

// TestWorkbenchLabelled runs the real simulator on every app of the
// workbench for the good integration and each misbehaviour, then the real
// checks (with the app's real check command): the good integration passes
// every check and each misbehaviour fails exactly the check that catches it.
// No app and no scenario is skipped.
func TestWorkbenchLabelled(t *testing.T) {
	t.Parallel()
	wb, err := workbench.Load(os.DirFS(realWorkbench))
	if err != nil {
		t.Fatal(err)
	}
	if len(wb.Apps) < 12 {
		t.Fatalf("the workbench has %d apps, want at least 12", len(wb.Apps))
	}
	// The checks run node and python3; CI installs both.
	for _, a := range wb.Apps {
		x, err := workbench.LoadExpect(filepath.Join(realWorkbench, filepath.FromSlash(a.Path)))
		if err != nil {
			t.Fatalf("%s: %v", a.Path, err)
		}
		if len(x.Check) > 0 {
			if _, err := exec.LookPath(x.Check[0]); err != nil {
				t.Fatalf("%s's check command needs %q, which is not on PATH: install it (CI installs node and python3): %v", a.Path, x.Check[0], err)
			}
		}
	}

	for _, a := range wb.Apps {
		cat, _ := wb.Category(a.Category)
		orig := filepath.Join(realWorkbench, filepath.FromSlash(a.Path))
		for _, l := range labels {
			t.Run(a.Path+"/"+string(l.play), func(t *testing.T) {
				t.Parallel()
				dir := copyDir(t, orig)
				args := append(append([]string{}, cat.Command...), "--ci", "--install-dir", dir, "--region", "us")
				env := map[string]string{
					wizard.KeyEnv:      simulatedKey,
					wizard.ScenarioEnv: "*=" + string(l.play),
					wizard.AppEnv:      a.Path,
					wizard.AttemptEnv:  "1",
				}
				var stdout, stderr bytes.Buffer
				if code := wizard.Simulate(args, func(k string) string { return env[k] }, &stdout, &stderr); code != 0 {
					t.Fatalf("simulator exit %d\n%s%s", code, stdout.String(), stderr.String())
				}
				hook := checks.Hook(realWorkbench, checks.Options{Secrets: []string{simulatedKey}})
				got := hook(context.Background(), a, dir)
				if got == nil {
					t.Fatal("no checks result")
				}
				if d := cmp.Diff(l.fail, failed(got)); d != "" {
					t.Errorf("failed checks (-want +got):\n%s\nresult: %+v", d, got)
				}
				if l.fail == nil && (got.Passed != got.Total || got.Total < 5) {
					t.Errorf("checks %d/%d, want all of at least 5 passed", got.Passed, got.Total)
				}
			})
		}
	}
}

// failed lists the names of the failed checks, sorted, nil when none.
func failed(c *results.Checks) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range c.Failures {
		if !seen[f.Check] {
			seen[f.Check] = true
			out = append(out, f.Check)
		}
	}
	sort.Strings(out)
	return out
}

// copyDir copies the app folder src into a fresh folder, as the runner does.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
