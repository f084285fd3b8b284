package cli

// End-to-end tests of how the action reports problems of the repository's
// configuration and of its own reporting.

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/posthog/wizard-ci/internal/fakegh"
)

// pullRequestEvent writes a pull_request event for PR number from the real
// payload in the fixtures.
func (e *e2e) pullRequestEvent(action string, number int) {
	e.t.Helper()
	ev := map[string]any{}
	raw, err := os.ReadFile(fixtures("github", "events", "pull_request.opened.payload.json"))
	if err != nil {
		e.t.Fatal(err)
	}
	if err := jsonUnmarshal(raw, &ev); err != nil {
		e.t.Fatal(err)
	}
	ev["action"] = action
	ev["number"] = number
	ev["pull_request"].(map[string]any)["number"] = number
	e.writeEvent("pull_request", ev)
}

// TestActionWarnsAboutUnlistedFolders: a top-level folder wizard-ci.yml does
// not name is a warning annotation in action mode (SPEC §10: reported, not
// run); the hint is still posted.
func TestActionWarnsAboutUnlistedFolders(t *testing.T) {
	e := newE2E(t)
	wb := ciWorkbench(t)
	writeTree(t, wb, map[string]string{"stray/app/package.json": "{}"})
	e.useWorkbench(wb)
	e.rs.AddPull(fakegh.PullRequest{Number: 12})
	e.pullRequestEvent("opened", 12)
	e.run()
	if e.code != 0 {
		t.Fatalf("exit %d\n%s", e.code, e.stderr)
	}
	if !hasAnnotation(e.stdout, "warning", `the top-level folder "stray" is not a category in `) {
		t.Errorf("no warning annotation about stray/:\nstdout:\n%s\nstderr:\n%s", e.stdout, e.stderr)
	}
	if strings.Contains(e.stderr, "wizard-ci: warning:") {
		t.Errorf("a plain warning line in action mode:\n%s", e.stderr)
	}
	if bots := e.botComments(12); len(bots) != 1 || strings.Contains(bots[0].Body, "stray") {
		t.Errorf("hint comments: %+v", bots)
	}
}

// TestActionBrokenExpect: a broken expect.yml of a selected app is the
// repository's configuration problem, found before anything is posted or
// started and handled like a broken wizard-ci.yml: exit 2 naming every
// file and line, no results comment, no wizard.
func TestActionBrokenExpect(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"expect.yml", map[string]string{
			"basic-integration/express/todo/.wizard-ci/expect.yml":   "allow-project-token: maybe\n",
			"basic-integration/node/cli-notes/.wizard-ci/expect.yml": "sdk: posthog-node\nevnts: [a]\n",
		}, []string{
			"nothing was run: the expect.yml of 2 apps cannot be used",
			"express/todo/.wizard-ci/expect.yml:1: allow-project-token must be true or false",
			`node/cli-notes/.wizard-ci/expect.yml:2: unknown key "evnts"`,
		}},
		{"wizard-ci.yml, for comparison", map[string]string{
			"wizard-ci.yml": "categories:\n  basic-integration:\n    ci: yes\n",
		}, []string{"wizard-ci.yml:3: basic-integration.ci must be true or false"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newE2E(t)
			wb := nodeWorkbench(t)
			writeTree(t, wb, tc.files)
			e.useWorkbench(wb)
			e.rs.AddPull(fakegh.PullRequest{Number: 7})
			e.rs.SetRole("maintainer-1", "write")
			e.commentEvent("created", 7, "maintainer-1", "User", "/wizard-ci basic-integration")
			e.run()
			if e.code != ExitConfig {
				t.Errorf("exit %d, want %d\nstderr:\n%s", e.code, ExitConfig, e.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(e.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, e.stderr)
				}
			}
			if bots := e.botComments(7); len(bots) != 0 {
				t.Errorf("%d comments posted, want none: %q", len(bots), bots[0].Body)
			}
			if e.wizardStarted() {
				t.Error("a wizard started")
			}
		})
	}
}

// TestActionEmptyMeansUnset: an empty or blank GITHUB_* variable is unset
// (SPEC §7), so it gets the same clear answer as a missing one; before the
// fix an empty GITHUB_EVENT_NAME was "nothing to do for the \"\" event".
func TestActionEmptyMeansUnset(t *testing.T) {
	for _, tc := range []struct {
		name, key string
		unset     bool
		value     string
		code      int
		want      string
	}{
		{"event name unset", "GITHUB_EVENT_NAME", true, "", ExitConfig, "GITHUB_EVENT_NAME is not set"},
		{"event name empty", "GITHUB_EVENT_NAME", false, "", ExitConfig, "GITHUB_EVENT_NAME is not set"},
		{"event name blank", "GITHUB_EVENT_NAME", false, " \t", ExitConfig, "GITHUB_EVENT_NAME is not set"},
		{"event path empty", "GITHUB_EVENT_PATH", false, "", ExitConfig, "GITHUB_EVENT_PATH not set"},
		{"event path blank", "GITHUB_EVENT_PATH", false, "  ", ExitConfig, "GITHUB_EVENT_PATH not set"},
		// The repository then comes from the payload, as when it is unset.
		{"repository blank", "GITHUB_REPOSITORY", false, " ", 0, "not a new comment by a person"},
		{"API URL blank", "GITHUB_API_URL", false, " ", 0, "not a new comment by a person"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newE2E(t)
			e.rs.AddPull(fakegh.PullRequest{Number: 7})
			e.commentEvent("edited", 7, "maintainer-1", "User", "/wizard-ci all")
			if tc.unset {
				delete(e.env, tc.key)
			} else {
				e.env[tc.key] = tc.value
			}
			e.run()
			if e.code != tc.code || !strings.Contains(e.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", e.code, e.stderr, tc.code, tc.want)
			}
		})
	}
}

// TestActionHintProblems: a hint that cannot be posted is a warning and
// exit 0 (the reporter failing is not the run failing), unless the action
// is misconfigured; an event the hint does not answer says why nothing
// was done.
func TestActionHintProblems(t *testing.T) {
	for _, tc := range []struct {
		name    string
		action  string
		setup   func(e *e2e)
		code    int
		stderr  string // in stderr, when set
		warning string // in a warning annotation, when set
	}{
		{name: "GitHub refuses the comment", action: "opened", setup: func(e *e2e) {
			e.rs.Intercept(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
				if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/comments") {
					fakegh.Error(w, http.StatusForbidden, "Resource not accessible by integration")
					return true
				}
				return false
			})
		}, code: 0, warning: "could not post the hint comment on pull request #12: "},
		{name: "no token", action: "opened", setup: func(e *e2e) { e.env["INPUT_GITHUB-TOKEN"] = "" },
			code: ExitConfig, stderr: "github-token: the input is required"},
		{name: "another action", action: "synchronize",
			code: 0, stderr: `nothing to do: the hint is posted when a pull request is opened or reopened, and this pull_request event is "synchronize"`},
		{name: "no pull_request object", action: "opened", setup: func(e *e2e) {
			e.writeEvent("pull_request", map[string]any{"action": "opened", "repository": map[string]any{"full_name": e2eRepo}})
		}, code: ExitConfig, stderr: "the pull_request event payload (GITHUB_EVENT_PATH "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newE2E(t)
			e.rs.AddPull(fakegh.PullRequest{Number: 12})
			e.pullRequestEvent(tc.action, 12)
			if tc.setup != nil {
				tc.setup(e)
			}
			e.run()
			if e.code != tc.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", e.code, tc.code, e.stdout, e.stderr)
			}
			if tc.stderr != "" && !strings.Contains(e.stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, e.stderr)
			}
			if tc.warning != "" && !hasAnnotation(e.stdout, "warning", tc.warning) {
				t.Errorf("no warning annotation with %q:\nstdout:\n%s\nstderr:\n%s", tc.warning, e.stdout, e.stderr)
			}
			if e.code == 0 && tc.warning == "" && len(annotations(e.stdout, "warning")) > 0 {
				t.Errorf("unexpected warnings:\n%s", e.stdout)
			}
		})
	}
}

// TestActionMalformedEvent: an event file that is no webhook payload is a
// configuration error naming the file, in JSON's words.
func TestActionMalformedEvent(t *testing.T) {
	e := newE2E(t)
	e.writeEvent("issue_comment", []any{map[string]any{"action": "created"}})
	e.run()
	want := "wizard-ci: event file " + e.env["GITHUB_EVENT_PATH"] + " of the issue_comment event: not a GitHub webhook payload (expected a JSON object)\n"
	if e.code != ExitConfig || e.stderr != want {
		t.Errorf("exit %d, stderr %q; want exit 2 and %q", e.code, e.stderr, want)
	}
}
