package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/results"
)

// The README's quick start, as issue #2 words it: the first command runs
// every app of the workbench with the simulator, the second runs all tests.
const (
	quickStartRun  = "go run ./cmd/wizard-ci run all --wizard=simulate"
	quickStartTest = "go test -race ./..."
)

// TestReadmeQuickStart keeps the README's quick start, .ci/run and the
// product in step: the quick start's first two shell blocks are the run and
// the test command, .ci/run runs that same test command, and the run
// command, from a folder laid out like this repository (workbench/ and no
// flags), prints progress for and a table row of every app `list all`
// names, and writes results.json with every app a success.
func TestReadmeQuickStart(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Quick start\n")
	if !ok {
		t.Fatal(`README.md has no "## Quick start" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := regexp.MustCompile("(?s)```sh\n(.*?)\n```").FindAllStringSubmatch(section, 2)
	if len(blocks) < 2 || blocks[0][1] != quickStartRun || blocks[1][1] != quickStartTest {
		t.Fatalf("the quick start's first two sh blocks are %q, want %q then %q", blocks, quickStartRun, quickStartTest)
	}
	ci, err := os.ReadFile(filepath.Join(repoRoot, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(quickStartTest) + `$`).Match(ci) {
		t.Errorf(".ci/run does not run the README's test command %q on a line of its own", quickStartTest)
	}

	// The run command, as `go run` would start it from the repository root.
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "workbench"), os.DirFS(filepath.Join(repoRoot, "workbench"))); err != nil {
		t.Fatal(err)
	}
	list := exec.Command(binary(t), "list", "all")
	list.Dir = dir
	listed, err := list.Output()
	if err != nil {
		t.Fatalf("list all: %v", err)
	}
	apps := strings.Fields(string(listed))
	if len(apps) < 12 {
		t.Fatalf("list all names %d apps, want the whole workbench (at least 12)", len(apps))
	}
	args := strings.Fields(quickStartRun)[3:] // after "go run ./cmd/wizard-ci"
	cmd := exec.Command(binary(t), args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\nstderr:\n%s", quickStartRun, err, stderr.String())
	}
	r, err := results.Read(filepath.Join(dir, "wizard-ci-out"))
	if err != nil {
		t.Fatalf("results.json: %v", err)
	}
	got := map[string]outcome.Outcome{}
	for _, a := range r.Apps {
		got[a.App] = a.Outcome
	}
	for _, app := range apps {
		if !strings.Contains(stderr.String(), "▶ "+app+"\n") {
			t.Errorf("no progress line for %s on stderr", app)
		}
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(app) + `\s+✅ success\s`).MatchString(stdout.String()) {
			t.Errorf("no success row for %s in the table", app)
		}
		if got[app] != outcome.Success {
			t.Errorf("results.json: %s is %q, want success", app, got[app])
		}
	}
	if len(r.Apps) != len(apps) {
		t.Errorf("results.json holds %d apps, list all names %d", len(r.Apps), len(apps))
	}
	if t.Failed() {
		t.Logf("stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	}
}
