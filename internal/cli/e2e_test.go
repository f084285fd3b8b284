package cli

// End-to-end tests: build the real binary and run `wizard-ci action` exactly
// as the Actions runner does (environment, event file, working directory)
// against the fake GitHub, which checks every request against GitHub's
// OpenAPI description.

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/posthog/wizard-ci/internal/fakegh"
	"github.com/posthog/wizard-ci/internal/results"
)

var (
	buildMu  sync.Mutex
	binPaths = map[bool]string{}
)

// binary builds cmd/wizard-ci once per test process, with the race detector.
func binary(t *testing.T) string { return buildBinary(t, true) }

// buildBinary builds cmd/wizard-ci once per flavour. Tests that start
// hundreds of wizard processes use the plain build: a race-enabled binary
// is slow to start.
func buildBinary(t *testing.T, race bool) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := binPaths[race]; ok {
		return p
	}
	dir, err := os.MkdirTemp("", "wizard-ci-bin-")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "wizard-ci")
	args := []string{"build", "-o", p}
	if race {
		args = append(args, "-race")
	}
	out, err := exec.Command("go", append(args, "../../cmd/wizard-ci")...).CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	binPaths[race] = p
	return p
}

// removeBinaries deletes what buildBinary built, once the tests are done.
func removeBinaries() {
	buildMu.Lock()
	defer buildMu.Unlock()
	for _, p := range binPaths {
		_ = os.RemoveAll(filepath.Dir(p))
	}
}

const (
	e2eRepo  = "example-user/knative-route-demo"
	e2eToken = "ghs_e2eTokenValue0123456789abcdefABCDEF"
	e2eRunID = "987654321"
)

// e2e is one action invocation's world.
type e2e struct {
	t       *testing.T
	srv     *fakegh.Server
	rs      *fakegh.RepoState
	dir     string // working directory (the workspace)
	env     map[string]string
	stdout  string
	stderr  string
	code    int
	eventID int64

	nWorkbench int // workbench links made by useWorkbench
}

func newE2E(t *testing.T) *e2e {
	t.Helper()
	s, rs := fakegh.NewWithRepo(t, e2eRepo)
	dir := t.TempDir()
	wb, err := filepath.Abs(filepath.Join(repoRoot, "workbench"))
	if err != nil {
		t.Fatal(err)
	}
	e := &e2e{t: t, srv: s, rs: rs, dir: dir}
	e.env = map[string]string{
		"GITHUB_ACTIONS":        "true",
		"GITHUB_REPOSITORY":     e2eRepo,
		"GITHUB_API_URL":        s.URL(),
		"GITHUB_SERVER_URL":     "https://github.example.com",
		"GITHUB_RUN_ID":         e2eRunID,
		"GITHUB_STEP_SUMMARY":   filepath.Join(dir, "step_summary.md"),
		"GITHUB_OUTPUT":         filepath.Join(dir, "output.txt"),
		"RUNNER_TEMP":           t.TempDir(),
		"INPUT_GITHUB-TOKEN":    e2eToken,
		"INPUT_WIZARD-COMMAND":  "simulate",
		"INPUT_UPDATE-INTERVAL": "20ms",
		"INPUT_MIN-PERMISSION":  "",
		"INPUT_ALLOW-FORKS":     "",
		"INPUT_FAIL-ON":         "",
		"INPUT_OUTPUT-DIR":      "",
		"PATH":                  os.Getenv("PATH"),
		"HOME":                  os.Getenv("HOME"),
	}
	e.useWorkbench(wb)
	for _, f := range []string{"step_summary.md", "output.txt"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// useWorkbench makes the workbench at dir (anywhere) the workbench input:
// the action takes only a folder inside the workspace, so dir is linked
// into it under a name of its own.
func (e *e2e) useWorkbench(dir string) {
	e.t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		e.t.Fatal(err)
	}
	e.nWorkbench++
	name := fmt.Sprintf("workbench-%d", e.nWorkbench)
	if err := os.Symlink(abs, filepath.Join(e.dir, name)); err != nil {
		e.t.Fatal(err)
	}
	if e.env == nil {
		e.env = map[string]string{}
	}
	e.env["INPUT_WORKBENCH"] = name
}

// commentEvent writes an issue_comment event made from the real payload in
// the fixtures, with only the comment body, PR number and repository changed.
func (e *e2e) commentEvent(action string, number int, login, userType, body string) {
	e.t.Helper()
	var ev map[string]any
	raw, err := os.ReadFile(fixtures("github", "events", "issue_comment.pull-request-issue-comment.json"))
	if err != nil {
		e.t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &ev); err != nil {
		e.t.Fatal(err)
	}
	owner, name, _ := strings.Cut(e2eRepo, "/")
	ev["action"] = action
	issue := ev["issue"].(map[string]any)
	issue["number"] = number
	comment := ev["comment"].(map[string]any)
	comment["body"] = body
	user := comment["user"].(map[string]any)
	user["login"] = login
	user["type"] = userType
	repo := ev["repository"].(map[string]any)
	repo["full_name"] = e2eRepo
	repo["name"] = name
	repo["owner"].(map[string]any)["login"] = owner
	// The comment exists on the server too, so reactions have a target.
	c := e.rs.AddComment(number, login, userType, body)
	comment["id"] = c.ID
	e.eventID = c.ID
	e.writeEvent("issue_comment", ev)
}

func (e *e2e) writeEvent(name string, ev any) {
	e.t.Helper()
	b, err := json.Marshal(ev)
	if err != nil {
		e.t.Fatal(err)
	}
	p := filepath.Join(e.dir, "event.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		e.t.Fatal(err)
	}
	e.env["GITHUB_EVENT_NAME"] = name
	e.env["GITHUB_EVENT_PATH"] = p
}

// run starts `wizard-ci action` with exactly the environment set up.
func (e *e2e) run() { e.runWith(binary(e.t)) }

func (e *e2e) runWith(bin string) {
	e.t.Helper()
	cmd := exec.Command(bin, "action")
	cmd.Dir = e.dir
	for k, v := range e.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	e.stdout, e.stderr = out.String(), errb.String()
	e.code = 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		e.code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatal(err)
	}
}

func (e *e2e) outDir() string { return filepath.Join(e.dir, "wizard-ci-out") }

// outputs parses GITHUB_OUTPUT (name<<DELIM … DELIM blocks).
func (e *e2e) outputs() map[string]string {
	e.t.Helper()
	f, err := os.Open(e.env["GITHUB_OUTPUT"])
	if err != nil {
		e.t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, delim, ok := strings.Cut(sc.Text(), "<<")
		if !ok {
			e.t.Fatalf("GITHUB_OUTPUT line %q is not name<<delimiter", sc.Text())
		}
		var val []string
		for sc.Scan() && sc.Text() != delim {
			val = append(val, sc.Text())
		}
		out[name] = strings.Join(val, "\n")
	}
	return out
}

func (e *e2e) results() *results.Results {
	e.t.Helper()
	r, err := results.Read(e.outDir())
	if err != nil {
		e.t.Fatalf("read results: %v\nstderr:\n%s", err, e.stderr)
	}
	return r
}

// botComments are the comments on the PR written by the action (not the
// command itself, which a bot may have written).
func (e *e2e) botComments(number int) []fakegh.Comment {
	var out []fakegh.Comment
	for _, c := range e.rs.Comments(number) {
		if c.AuthorType == "Bot" && c.ID != e.eventID {
			out = append(out, c)
		}
	}
	return out
}

func (e *e2e) reactions() []string {
	c, ok := e.rs.Comment(e.eventID)
	if !ok {
		e.t.Fatalf("command comment %d is gone", e.eventID)
	}
	return c.Reactions
}

// wizardStarted reports whether any wizard attempt has begun: the runner
// opens an app's log file before it starts the wizard.
func (e *e2e) wizardStarted() bool {
	entries, _ := os.ReadDir(filepath.Join(e.outDir(), results.LogsDir))
	return len(entries) > 0
}

// interceptCreate calls f for every comment the action creates, before the
// fake GitHub stores it.
func (e *e2e) interceptCreate(f func(body string)) {
	e.rs.Intercept(func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/comments") {
			var b struct{ Body string }
			_ = json.Unmarshal(body, &b)
			f(b.Body)
		}
		return false
	})
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// annotations returns the messages of the level (warning, error, …)
// annotations in a step's stdout, unescaped.
func annotations(stdout, level string) []string {
	var out []string
	for _, l := range strings.Split(stdout, "\n") {
		rest, ok := strings.CutPrefix(l, "::"+level)
		if !ok || rest == "" || (rest[0] != ':' && rest[0] != ' ') {
			continue
		}
		_, msg, ok := strings.Cut(rest, "::")
		if !ok {
			continue
		}
		out = append(out, strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace(msg))
	}
	return out
}

// hasAnnotation reports whether stdout holds a level annotation whose
// message contains text.
func hasAnnotation(stdout, level, text string) bool {
	for _, m := range annotations(stdout, level) {
		if strings.Contains(m, text) {
			return true
		}
	}
	return false
}
