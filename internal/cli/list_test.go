package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runMain runs one sub-command in-process with buffers for its streams.
func runMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	d := Deps{
		Getenv:  func(string) string { return "" },
		Environ: func() []string { return nil },
		Stdout:  &out,
		Stderr:  &errb,
		NewID:   func() string { return "local-test" },
	}
	code = Main(context.Background(), args, d)
	return code, out.String(), errb.String()
}

// TestListRealWorkbench: `wizard-ci list all` on the repository's workbench
// lists at least 12 apps in at least 4 categories, one bare path a line.
func TestListRealWorkbench(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runMain(t, "list", "all", "--workbench", filepath.Join(repoRoot, "workbench"))
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	cats := map[string]bool{}
	for _, l := range lines {
		if l != strings.TrimSpace(l) || strings.Contains(l, " ") || l == "" {
			t.Errorf("line %q is not a bare app path", l)
		}
		if _, err := os.Stat(filepath.Join(repoRoot, "workbench", filepath.FromSlash(l), ".wizard-ci", "expect.yml")); err != nil {
			t.Errorf("listed app %s: %v", l, err)
		}
		cats[strings.SplitN(l, "/", 2)[0]] = true
	}
	if len(lines) < 12 || len(cats) < 4 {
		t.Errorf("list all: %d apps in %d categories, want at least 12 in at least 4:\n%s", len(lines), len(cats), stdout)
	}

	// A narrower target lists a subset.
	code, sub, stderr := runMain(t, "list", "basic-integration/next-js", "--workbench", filepath.Join(repoRoot, "workbench"))
	if code != ExitOK || strings.Count(sub, "\n") != 2 || !strings.Contains(stdout, sub) {
		t.Errorf("list basic-integration/next-js: exit %d, %q (stderr %s)", code, sub, stderr)
	}
}

// ciWorkbench is a workbench with one category CI may not run.
func ciWorkbench(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"wizard-ci.yml": "categories:\n" +
			"  basic-integration:\n    label: Basic integration\n    command: []\n    ci: true\n" +
			"  manual-only:\n    label: Needs a human\n    command: [mcp]\n    ci: false\n",
		"basic-integration/node/app/package.json":      "{}",
		"basic-integration/flask/app/requirements.txt": "flask\n",
		"manual-only/secret-app/package.json":          "{}",
	}
	for rel, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestHintShowsOnlyCITargets: the hint lists the CI-capable categories and
// their targets, and nothing of a category with ci: false; `list all`
// leaves that category out too.
func TestHintShowsOnlyCITargets(t *testing.T) {
	t.Parallel()
	wb := ciWorkbench(t)
	code, stdout, stderr := runMain(t, "hint", "--workbench", wb)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"Basic integration", "basic-integration/node/app", "basic-integration/flask", "/wizard-ci"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("hint lacks %q:\n%s", want, stdout)
		}
	}
	for _, bad := range []string{"manual-only", "Needs a human", "secret-app"} {
		if strings.Contains(stdout, bad) {
			t.Errorf("hint shows %q, which CI may not run:\n%s", bad, stdout)
		}
	}

	code, stdout, stderr = runMain(t, "list", "all", "--workbench", wb)
	if code != ExitOK || strings.Contains(stdout, "manual-only") || strings.Count(stdout, "\n") != 2 {
		t.Errorf("list all: exit %d\n%s%s", code, stdout, stderr)
	}
	// Named explicitly, the CLI lists it (SPEC §8).
	code, stdout, _ = runMain(t, "list", "manual-only", "--workbench", wb)
	if code != ExitOK || strings.TrimSpace(stdout) != "manual-only/secret-app" {
		t.Errorf("list manual-only: exit %d, %q", code, stdout)
	}
}

// TestHintRealWorkbench: the repository's hint names every category and
// no category CI may not run.
func TestHintRealWorkbench(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runMain(t, "hint", "--workbench", filepath.Join(repoRoot, "workbench"))
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, cat := range []string{"basic-integration", "revenue", "error-tracking-upload-source-maps", "misc"} {
		if !strings.Contains(stdout, cat) {
			t.Errorf("hint lacks %s:\n%s", cat, stdout)
		}
	}
}

// TestEveryArgumentIsATarget: on the command line a leading category is a
// target like any other, never the comment grammar's <program> (SPEC §8).
func TestEveryArgumentIsATarget(t *testing.T) {
	t.Parallel()
	wb := filepath.Join(repoRoot, "workbench")
	want := "misc/skills/node-worker\nrevenue/stripe/checkout-node\n"
	code, stdout, stderr := runMain(t, "list", "revenue", "misc", "--workbench", wb)
	if code != ExitOK || stdout != want {
		t.Errorf("list revenue misc: exit %d, %q (stderr %s); want %q", code, stdout, stderr, want)
	}
	code, stdout, stderr = runMain(t, "plan", "revenue", "misc", "--shards", "1", "--workbench", wb)
	if code != ExitOK || !strings.Contains(stdout, `"apps":["misc/skills/node-worker","revenue/stripe/checkout-node"]`) {
		t.Errorf("plan revenue misc: exit %d, %q (stderr %s)", code, stdout, stderr)
	}
}

// TestRunProgramFlag: --program must be a category of the workbench; a
// typo is refused with the closest category and the list of them.
func TestRunProgramFlag(t *testing.T) {
	t.Parallel()
	wb := filepath.Join(repoRoot, "workbench")
	code, _, stderr := runMain(t, "run", "misc", "--program", "revenu", "--wizard=simulate", "--workbench", wb, "--out", t.TempDir())
	for _, want := range []string{`--program: "revenu" is not a category`, `did you mean "revenue"?`, "basic-integration, revenue, error-tracking-upload-source-maps, misc"} {
		if code != ExitConfig || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, %q; want exit 2 naming %q", code, stderr, want)
		}
	}
}
