package cli

// End-to-end tests of the output folder: a run writes only into a folder
// that is (or becomes) its own, never into the workbench, and announces
// only the files it wrote.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/posthog/wizard-ci/internal/results"
)

// smallWorkbench writes a two-app workbench into dir/workbench.
func smallWorkbench(t *testing.T, dir string) string {
	t.Helper()
	wb := filepath.Join(dir, "workbench")
	files := map[string]string{
		"wizard-ci.yml": "categories:\n  basic-integration:\n    label: Basic integration\n    command: []\n    ci: true\n",
		"basic-integration/node/app/package.json":      "{}",
		"basic-integration/flask/app/requirements.txt": "flask\n",
	}
	for rel, body := range files {
		p := filepath.Join(wb, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return wb
}

// TestRunRefusesOutFolder: `run --out` never writes into the workbench (the
// folder itself, an app, or a folder holding it, given relative or through
// a link) nor into a non-empty folder wizard-ci did not make; nothing
// changes and nothing runs.
func TestRunRefusesOutFolder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, out, want string
	}{
		{"the workbench", "workbench", `the output folder "workbench" is the workbench`},
		{"an app", "workbench/basic-integration/node/app", `is inside the workbench`},
		{"a new folder in the workbench", "workbench/out", `is inside the workbench`},
		{"the folder holding the workbench", ".", `holds the workbench`},
		{"a link to the workbench", "wb-link", `is the workbench`},
		{"a folder of the user's", "userdir", `the output folder "userdir" is not empty and was not made by wizard-ci`},
		{"a file", "userdir/logs/important.txt", `is a file`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			smallWorkbench(t, dir)
			if err := os.Symlink("workbench", filepath.Join(dir, "wb-link")); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(dir, "userdir", "logs"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "userdir", "logs", "important.txt"), []byte("keep me\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dir)
			code, stdout, stderr := cliRun(t, dir, nil, "run", "all", "--wizard=simulate", "--out", tc.out)
			if code != ExitConfig || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, want %d and %q:\n%s%s", code, ExitConfig, tc.want, stdout, stderr)
			}
			if !strings.Contains(stderr, "Choose") {
				t.Errorf("the message does not say what to do:\n%s", stderr)
			}
			if d := cmp.Diff(before, snapshot(t, dir)); d != "" {
				t.Errorf("a refused run changed files (-before +after):\n%s", d)
			}
		})
	}
}

// TestRunReusesItsOutFolder: a new or empty folder becomes an output folder
// (marked); a later run may use it again, replacing the logs of the earlier
// run and keeping the wizard's build cache.
func TestRunReusesItsOutFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	smallWorkbench(t, dir)
	out := filepath.Join(dir, "empty")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := cliRun(t, dir, nil, "run", "all", "--wizard=simulate", "--out", "empty")
	if code != ExitOK && code != ExitFailed {
		t.Fatalf("run 1 in an empty folder: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, results.MarkerFile)); err != nil {
		t.Fatalf("the output folder is not marked: %v", err)
	}
	stale := filepath.Join(out, results.LogsDir, "basic-integration__gone.log")
	cached := filepath.Join(out, ".wizard-cache", "0123456789abcdef0123456789abcdef01234567", "kept")
	for _, p := range []string{stale, cached} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := cliRun(t, dir, nil, "run", "basic-integration/node", "--wizard=simulate", "--out", "empty")
	if code != ExitOK && code != ExitFailed {
		t.Fatalf("run 2 in its own folder: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "results: "+filepath.Join("empty", results.JSONFile)) {
		t.Errorf("run 2 does not name its results:\n%s", stdout)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Errorf("a log of the earlier run is left among this run's logs")
	}
	if _, err := os.Stat(cached); err != nil {
		t.Errorf("the wizard's build cache is gone: %v", err)
	}
	if r, err := results.Read(out); err != nil || len(r.Apps) != 1 {
		t.Errorf("results of run 2: %v, %v", r, err)
	}
}

// TestRunAnnouncesOnlyWrittenFiles: when results.json cannot be written (a
// folder is in its way), run does not announce it, still writes junit.xml
// and comment.md, names what failed, and exits 2.
func TestRunAnnouncesOnlyWrittenFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	smallWorkbench(t, dir)
	code, _, stderr := cliRun(t, dir, nil, "run", "all", "--wizard=simulate")
	if code != ExitOK && code != ExitFailed {
		t.Fatalf("run 1: exit %d\n%s", code, stderr)
	}
	out := filepath.Join(dir, "wizard-ci-out")
	for _, f := range []string{results.JSONFile, results.JUnitFile, results.CommentFile} {
		if err := os.Remove(filepath.Join(out, f)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(out, results.JSONFile), 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cliRun(t, dir, nil, "run", "all", "--wizard=simulate")
	if code != ExitConfig {
		t.Errorf("exit %d, want %d", code, ExitConfig)
	}
	if strings.Contains(stdout, "results:") {
		t.Errorf("run announced a results.json it did not write:\n%s", stdout)
	}
	if !strings.Contains(stdout, "basic-integration/node/app") {
		t.Errorf("no results table:\n%s", stdout)
	}
	if want := filepath.Join("wizard-ci-out", results.JSONFile) + ": a folder of that name is in the way"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	for _, f := range []string{results.JUnitFile, results.CommentFile} {
		if b, err := os.ReadFile(filepath.Join(out, f)); err != nil || !strings.Contains(string(b), "basic-integration/node/app") {
			t.Errorf("%s was not written: %v", f, err)
		}
	}
}

// TestActionRefusesOutFolder: the action's output-dir gets the same
// protection as --out, and the step ends before anything runs or is posted.
func TestActionRefusesOutFolder(t *testing.T) {
	for _, tc := range []struct{ name, out, want string }{
		{"inside the workbench", "workbench/out", "is inside the workbench"},
		{"a folder of the user's", "userdir", "is not empty and was not made by wizard-ci"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := scheduleE2E(t)
			smallWorkbench(t, e.dir)
			if err := os.MkdirAll(filepath.Join(e.dir, "userdir"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(e.dir, "userdir", "notes.txt"), []byte("keep me\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			e.env["INPUT_WORKBENCH"] = "workbench"
			e.env["INPUT_TARGET"] = "all"
			e.env["INPUT_OUTPUT-DIR"] = tc.out
			before := snapshot(t, filepath.Join(e.dir, "workbench"))
			e.run()
			if e.code != ExitConfig || !strings.Contains(e.stderr, tc.want) {
				t.Errorf("exit %d, want %d and %q:\n%s", e.code, ExitConfig, tc.want, e.stderr)
			}
			if d := cmp.Diff(before, snapshot(t, filepath.Join(e.dir, "workbench"))); d != "" {
				t.Errorf("the workbench changed (-before +after):\n%s", d)
			}
			if b, err := os.ReadFile(filepath.Join(e.dir, "userdir", "notes.txt")); err != nil || string(b) != "keep me\n" {
				t.Errorf("userdir/notes.txt = %q, %v", b, err)
			}
			if n := len(e.trackingIssues()); n != 0 {
				t.Errorf("%d tracking issues were written", n)
			}
		})
	}
}

// TestActionOutputsOnlyWrittenFiles: when results.json cannot be written,
// the action sets no results-json output (a later step would read a file
// that is not there) and fails the step.
func TestActionOutputsOnlyWrittenFiles(t *testing.T) {
	e := scheduleE2E(t)
	e.run()
	if e.code != ExitOK {
		t.Fatalf("run 1: exit %d\n%s", e.code, e.stderr)
	}
	if err := os.Remove(filepath.Join(e.outDir(), results.JSONFile)); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(e.outDir(), results.JSONFile), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.env["GITHUB_OUTPUT"], nil, 0o644); err != nil {
		t.Fatal(err)
	}
	e.run()
	if e.code != ExitConfig || !strings.Contains(e.stderr, "a folder of that name is in the way") {
		t.Errorf("exit %d, want %d and the reason:\n%s", e.code, ExitConfig, e.stderr)
	}
	out := e.outputs()
	if _, ok := out["results-json"]; ok {
		t.Errorf("results-json is set to %q, but results.json was not written", out["results-json"])
	}
	if out["total"] == "" {
		t.Errorf("the other outputs are not set: %v", out)
	}
}
