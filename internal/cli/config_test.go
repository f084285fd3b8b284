package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posthog/wizard-ci/internal/ghaction"
	"github.com/posthog/wizard-ci/internal/results"
)

// runSystem runs one sub-command in-process with the production
// dependencies, an empty environment and buffers for its streams. The
// simulator's executable does not exist: the test binary would run every
// test again if a regression let a wizard start.
func runSystem(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	d := SystemDeps()
	d.Self = filepath.Join(t.TempDir(), "no-wizard-ci")
	d.Getenv = func(string) string { return "" }
	d.Environ = func() []string { return nil }
	d.Stdout, d.Stderr = &out, &errb
	code = Main(context.Background(), args, d)
	return code, out.String(), errb.String()
}

// TestCategoryWithoutFolder: a category of wizard-ci.yml without its folder
// (a typo) is a configuration error naming the file, the line and the
// folder it was meant to name, for every sub-command that loads the
// workbench; before the fix `list all` dropped the category's apps in
// silence.
func TestCategoryWithoutFolder(t *testing.T) {
	t.Parallel()
	wb := ciWorkbench(t)
	cfg := filepath.Join(wb, "wizard-ci.yml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, bytes.Replace(b, []byte("basic-integration:"), []byte("basic-integraton:"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	want := cfg + `:2: category "basic-integraton" has no folder: there is no folder basic-integraton/ in the workbench (did you mean "basic-integration"?)`
	for _, args := range [][]string{
		{"list", "all"},
		{"list", "basic-integraton"},
		{"hint"},
		{"plan", "all", "--shards", "2"},
		{"run", "all", "--wizard=simulate", "--out", out},
	} {
		code, stdout, stderr := runSystem(t, append(args, "--workbench", wb)...)
		if code != ExitConfig || stdout != "" || !strings.HasPrefix(stderr, "wizard-ci: "+want) {
			t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s\nwant exit 2 and: wizard-ci: %s…", args, code, stdout, stderr, want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("run wrote its output folder; nothing should have run")
	}
}

// TestUnlistedFolderWarning: a top-level folder wizard-ci.yml does not
// name is reported on stderr and never run (SPEC §10); stdout keeps the
// bare app paths. An empty category folder is fine and says nothing.
func TestUnlistedFolderWarning(t *testing.T) {
	t.Parallel()
	wb := ciWorkbench(t)
	writeTree(t, wb, map[string]string{"stray/app/package.json": "{}"})
	code, stdout, stderr := runSystem(t, "list", "all", "--workbench", wb)
	want := `wizard-ci: warning: the top-level folder "stray" is not a category in ` + filepath.Join(wb, "wizard-ci.yml") +
		", so nothing in it is run; name it under categories: there, or move it out of the workbench\n"
	if code != ExitOK || stderr != want || strings.Count(stdout, "\n") != 2 || strings.Contains(stdout, "stray") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant stderr:\n%s", code, stdout, stderr, want)
	}

	// An empty category folder: no apps yet, no warning.
	empty := ciWorkbench(t)
	cfg := filepath.Join(empty, "wizard-ci.yml")
	b, _ := os.ReadFile(cfg)
	writeTree(t, empty, map[string]string{
		"wizard-ci.yml":   string(b) + "  later:\n    label: Later\n    ci: true\n",
		"later/README.md": "apps come later\n",
	})
	code, stdout, stderr = runSystem(t, "list", "all", "--workbench", empty)
	if code != ExitOK || stderr != "" || strings.Count(stdout, "\n") != 2 {
		t.Errorf("empty category: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestBrokenExpectStopsTheRun: a broken expect.yml is found before any
// wizard starts: exit 2, every broken file named with its line, no app run
// (before the fix each such app ran and came out checks-failed).
func TestBrokenExpectStopsTheRun(t *testing.T) {
	t.Parallel()
	wb := nodeWorkbench(t)
	writeTree(t, wb, map[string]string{
		"basic-integration/express/todo/.wizard-ci/expect.yml":   "sdk: posthog-node\ninit: server.js\n",
		"basic-integration/node/cli-notes/.wizard-ci/expect.yml": "sdk: posthog-node\n\tevents: [a]\n",
	})
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runSystem(t, "run", "all", "--wizard=simulate", "--workbench", wb, "--out", out)
	want := "wizard-ci: nothing was run: the expect.yml of 2 apps cannot be used; fix these files:\n" +
		"  " + filepath.Join(wb, "basic-integration/express/todo/.wizard-ci/expect.yml") + `:2: init must be a list such as [index.js], got the string "server.js"` + "\n" +
		"  " + filepath.Join(wb, "basic-integration/node/cli-notes/.wizard-ci/expect.yml") + ":2: invalid YAML"
	if code != ExitConfig || stdout != "" || !strings.HasPrefix(stderr, want) {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant exit 2 and:\n%s…", code, stdout, stderr, want)
	}
	if _, err := os.Stat(filepath.Join(out, results.JSONFile)); err == nil {
		t.Error("results.json was written; no app should have run")
	}
}

// TestBooleanSetting: boolean inputs accept what core.getBooleanInput of
// actions/toolkit accepts, and nothing else (yes was taken as true).
func TestBooleanSetting(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]bool{"": false, "true": true, "True": true, "TRUE": true, "false": false, "False": false, "FALSE": false} {
		if got, err := (setting{"allow-forks", raw}).boolean(false); err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", raw, got, err, want)
		}
	}
	for _, raw := range []string{"yes", "no", "1", "0", "on", "tRUE", "ture", "y"} {
		_, err := (setting{"allow-forks", raw}).boolean(false)
		want := `allow-forks: "` + raw + `" is not a boolean; use true or false (accepted: true, True, TRUE, false, False, FALSE)`
		if err == nil || err.Error() != want {
			t.Errorf("%q: error %v, want %q", raw, err, want)
		}
	}
}

// TestActionWarnf: a warning in action mode is one ::warning:: annotation,
// with secrets masked and its text escaped, so a newline in it cannot
// start a workflow command of its own.
func TestActionWarnf(t *testing.T) {
	t.Parallel()
	const token, key = "ghs_warnTokenValue0123456789", "phx_warnKeyValue0123456789"
	env := map[string]string{"INPUT_POSTHOG-API-KEY": key}
	var out bytes.Buffer
	a := &actionCtx{act: ghaction.New(func(k string) string { return env[k] }, &out), token: token}
	a.warnf("could not react: %s %s\n::error::planted", token, key)
	got := out.String()
	if !strings.HasPrefix(got, "::warning::could not react: ") || strings.Count(got, "\n") != 1 {
		t.Errorf("not one warning annotation: %q", got)
	}
	if strings.Contains(got, token) || strings.Contains(got, key) {
		t.Errorf("a secret is shown: %q", got)
	}
}
