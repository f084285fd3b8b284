package cli

// End-to-end tests of where the wizard comes from (SPEC §4): the real
// published wizard from the npm registry under Node.js 22 and 20, and a
// wizard built from a git ref of a local repository.

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/posthog/wizard-ci/internal/fakegh"
	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/results"
	"github.com/posthog/wizard-ci/internal/wizard"
)

// Environment variables .ci/run exports for TestRealPublishedWizard.
const (
	envRealWizard = "WIZARD_CI_TEST_WIZARD_PKG" // folder of the installed @posthog/wizard@2.77.0
	envNode22     = "WIZARD_CI_TEST_NODE22"     // a Node.js ≥ 22.22 binary
	envNode20     = "WIZARD_CI_TEST_NODE20"     // a Node.js 20 binary (else the machine's node, when it is older than 22.22)
)

// cliResult is one finished `wizard-ci run`.
type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLI runs the real binary's `run` sub-command in dir with exactly env.
func runCLI(t *testing.T, dir string, env []string, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"run"}, args...)...)
	cmd.Dir = dir
	cmd.Env = env
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := cliResult{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// nodeWorkbench writes a workbench with two small Node.js apps.
func nodeWorkbench(t *testing.T) string {
	t.Helper()
	wb := filepath.Join(t.TempDir(), "workbench")
	files := map[string]string{
		"wizard-ci.yml": "categories:\n  basic-integration:\n    label: Basic integration\n    command: []\n    ci: true\n",
	}
	for _, app := range []string{"express/todo", "node/cli-notes"} {
		base := "basic-integration/" + app + "/"
		files[base+"package.json"] = `{
  "name": "` + strings.ReplaceAll(app, "/", "-") + `",
  "version": "1.0.0",
  "private": true,
  "main": "index.js"
}
`
		files[base+"index.js"] = "const notes = [];\nnotes.push(\"hello\");\nconsole.log(notes.join(\"\\n\"));\n"
	}
	writeTree(t, wb, files)
	return wb
}

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readResults(t *testing.T, out string, r cliResult) (*results.Results, string) {
	t.Helper()
	res, err := results.Read(out)
	if err != nil {
		t.Fatalf("read results: %v\nexit %d\nstderr:\n%s", err, r.code, r.stderr)
	}
	comment, err := os.ReadFile(filepath.Join(out, results.CommentFile))
	if err != nil {
		t.Fatal(err)
	}
	return res, string(comment)
}

// requireEnv returns the value of each name, or skips the test outside CI
// (and fails it in CI) when one is missing.
func requireEnv(t *testing.T, names ...string) []string {
	t.Helper()
	var vals []string
	for _, n := range names {
		v := os.Getenv(n)
		if v == "" {
			msg := n + " is not set: .ci/run installs @posthog/wizard@2.77.0 and Node.js 22 from the npm registry and exports it"
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg + " (skipped outside CI; run bash .ci/run, or set it yourself)")
		}
		vals = append(vals, v)
	}
	return vals
}

// olderNode finds a Node.js older than 22.22 to show the preflight refusing
// it: WIZARD_CI_TEST_NODE20, else /usr/bin/node or node on PATH.
func olderNode(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv(envNode20), "/usr/bin/node"}
	if p, err := exec.LookPath("node"); err == nil {
		candidates = append(candidates, p)
	}
	min := wizard.MustRange(wizard.DefaultNodeRange)
	for _, c := range candidates {
		if c == "" {
			continue
		}
		out, err := exec.Command(c, "--version").Output()
		if err != nil {
			continue
		}
		if v, err := wizard.ParseVersion(string(out)); err == nil && !min.Contains(v) {
			return c
		}
	}
	msg := "no Node.js older than 22.22 found (" + envNode20 + ", /usr/bin/node, PATH)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// TestRealPublishedWizard runs the real published wizard (npm
// @posthog/wizard@2.77.0) on two apps. Under Node.js 22 it starts, refuses
// --ci in its published build, and that is classified config on the first
// app with the second skipped. Under Node.js 20 the preflight stops the run
// with a clear message instead of the wizard's crash.
func TestRealPublishedWizard(t *testing.T) {
	t.Parallel()
	vals := requireEnv(t, envRealWizard, envNode22)
	pkg, node22 := vals[0], vals[1]
	entry := filepath.Join(pkg, "dist", "bin.js")
	if _, err := os.Stat(entry); err != nil {
		t.Fatalf("%s: %v", envRealWizard, err)
	}
	const key = "phx_fakePersonalKey0123456789abcdef"
	apps := []string{"basic-integration/express/todo", "basic-integration/node/cli-notes"}

	t.Run("Node.js 22: the published build refuses CI mode", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		wb := nodeWorkbench(t)
		out := filepath.Join(dir, "out")
		env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "POSTHOG_WIZARD_API_KEY=" + key, "TERM=dumb"}
		r := runCLI(t, dir, env, "basic-integration", "--workbench", wb, "--out", out, "--concurrency", "1",
			"--wizard-command", node22+" "+entry)
		if r.code != ExitFailed {
			t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, ExitFailed, r.stderr)
		}
		res, comment := readResults(t, out, r)
		if res.Run.Error != "" {
			t.Errorf("run error %q; the preflight should pass on Node.js 22", res.Run.Error)
		}
		if w := res.Run.Wizard; w.Source != "command" || w.Version != "2.77.0" {
			t.Errorf("wizard = %+v, want source command, version 2.77.0 (from its package.json)", w)
		}
		if len(res.Apps) != 2 || res.Apps[0].App != apps[0] || res.Apps[1].App != apps[1] {
			t.Fatalf("apps = %+v, want %v", res.Apps, apps)
		}
		first, second := res.Apps[0], res.Apps[1]
		if first.Outcome != outcome.Config || len(first.Attempts) != 1 {
			t.Errorf("first app: %s after %d attempts, want config after 1\n%+v", first.Outcome, len(first.Attempts), first)
		}
		if second.Outcome != outcome.Skipped || len(second.Attempts) != 0 {
			t.Errorf("second app: %s after %d attempts, want skipped after 0", second.Outcome, len(second.Attempts))
		}
		const refusal = "CI mode is not currently supported in published builds"
		details := first.Reason + "\n" + strings.Join(first.Excerpt, "\n")
		if !strings.Contains(details, refusal) {
			t.Errorf("results.json reason/excerpt lack %q:\nreason %q\nexcerpt %q", refusal, first.Reason, first.Excerpt)
		}
		if !strings.Contains(comment, refusal) {
			t.Errorf("comment.md lacks %q:\n%s", refusal, comment)
		}
		log, err := os.ReadFile(filepath.Join(out, first.Log))
		if err != nil || !strings.Contains(string(log), refusal) {
			t.Errorf("log %s lacks the refusal (%v):\n%s", first.Log, err, log)
		}
		for name, body := range map[string]string{"comment.md": comment, "stdout": r.stdout, "stderr": r.stderr, "log": string(log)} {
			if strings.Contains(body, key) {
				t.Errorf("%s holds the PostHog key", name)
			}
		}
	})

	t.Run("Node.js 20: the preflight stops the run", func(t *testing.T) {
		t.Parallel()
		node20 := olderNode(t)
		dir := t.TempDir()
		wb := nodeWorkbench(t)
		out := filepath.Join(dir, "out")
		env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "POSTHOG_WIZARD_API_KEY=" + key, "TERM=dumb"}
		r := runCLI(t, dir, env, "basic-integration", "--workbench", wb, "--out", out,
			"--wizard-command", node20+" "+entry)
		if r.code != ExitConfig {
			t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, ExitConfig, r.stderr)
		}
		res, comment := readResults(t, out, r)
		// The comment escapes ">" as "&gt;".
		comment = strings.ReplaceAll(comment, "&gt;", ">")
		for _, want := range []string{"the wizard needs Node.js >=22.22.0, but node (" + node20 + ") is v",
			"Install Node.js 22.22 or newer", "or try the flow with: wizard-ci run --wizard=simulate basic-integration"} {
			for name, body := range map[string]string{"run.error": res.Run.Error, "stdout": r.stdout, "comment.md": comment} {
				if !strings.Contains(body, want) {
					t.Errorf("%s lacks %q:\n%s", name, want, body)
				}
			}
		}
		for _, a := range res.Apps {
			if a.Outcome != outcome.Skipped || len(a.Attempts) != 0 {
				t.Errorf("%s: %s after %d attempts, want skipped, never attempted", a.App, a.Outcome, len(a.Attempts))
			}
		}
		if logs, _ := os.ReadDir(filepath.Join(out, results.LogsDir)); len(logs) != 0 {
			t.Errorf("%d app logs written; no app should have started", len(logs))
		}
		if strings.Contains(r.stderr+comment, "markAsUncloneable") {
			t.Error("the wizard's Node.js 20 crash reached the output; the preflight should have stopped it first")
		}
	})
}

// fakeWizardSource is a tiny wizard repository: `npm run build` copies
// src/cli.js to dist/bin.js (and notes each build in
// $WIZARD_TEST_BUILD_TRACE); the CLI prints wizard-like output and adds
// PostHog to a Node.js app the way the wizard does.
func fakeWizardSource(label string) map[string]string {
	return map[string]string{
		"package.json": `{
  "name": "@posthog/wizard",
  "version": "2.99.0-test",
  "type": "commonjs",
  "bin": { "wizard": "dist/bin.js" },
  "engines": { "node": ">=18" },
  "scripts": { "build": "node build.js" }
}
`,
		"build.js": `const fs = require("fs");
fs.mkdirSync("dist", { recursive: true });
fs.copyFileSync("src/cli.js", "dist/bin.js");
fs.chmodSync("dist/bin.js", 0o755);
if (process.env.WIZARD_TEST_BUILD_TRACE) fs.appendFileSync(process.env.WIZARD_TEST_BUILD_TRACE, "built\n");
console.log("built dist/bin.js");
`,
		"src/cli.js": `#!/usr/bin/env node
const fs = require("fs");
const path = require("path");
const args = process.argv.slice(2);
if (args.includes("--version")) { console.log("0.0.0"); process.exit(0); }
const at = args.indexOf("--install-dir");
const dir = at >= 0 ? args[at + 1] : "";
if (!args.includes("--ci") || !dir) {
  console.error('phw-error: {"code":"PHW_CLI_BAD_ARGS","message":"--ci and --install-dir are required"}');
  process.exit(1);
}
if (!process.env.POSTHOG_WIZARD_API_KEY) {
  console.error('phw-error: {"code":"PHW_ARGS_MISSING_API_KEY","message":"requires --api-key"}');
  process.exit(1);
}
console.log("\n\x1b[1mPostHog Wizard\x1b[0m ` + label + `\n");
console.log("\u2714 Detected a Node.js project in " + dir);
const pkgFile = path.join(dir, "package.json");
const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
pkg.dependencies = Object.assign({}, pkg.dependencies, { "posthog-node": "^5.9.0" });
fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + "\n");
console.log("\u2714 Installed posthog-node");
const index = path.join(dir, "index.js");
const src = fs.readFileSync(index, "utf8");
fs.writeFileSync(index, 'const { PostHog } = require("posthog-node");\n\n' +
  '// PostHog: the key comes from the environment, never from the source.\n' +
  'const posthog = new PostHog(process.env.POSTHOG_API_KEY || "", { host: "https://us.i.posthog.com" });\n\n' +
  src + '\nposthog.capture({ distinctId: "server", event: "app started" });\n' +
  'process.on("beforeExit", () => posthog.shutdown());\n');
fs.writeFileSync(path.join(dir, ".posthog-events.json"), JSON.stringify([
  { event_name: "app started", event_description: "The app started", file: "index.js" }], null, 2) + "\n");
console.log("\u2714 Added PostHog to index.js");
console.log("\n\u2714 PostHog is set up! (` + label + `)");
`,
	}
}

// wizardServer makes GITHUB_SERVER_URL/<repo> a local git repository with
// the fake wizard on main and, one commit later, on feature/retry. It
// returns the server folder and the two commit SHAs.
func wizardServer(t *testing.T, repo string) (srv, mainSHA, featureSHA string) {
	t.Helper()
	for _, tool := range []string{"git", "node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed to build the test wizard: %v", tool, err)
		}
	}
	srv = t.TempDir()
	dir := filepath.Join(srv, filepath.FromSlash(repo))
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=wizard-ci test", "-c", "user.email=test@example.com",
			"-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	writeTree(t, dir, fakeWizardSource("built from main"))
	git("init", "-q", "-b", "main")
	git("add", ".")
	git("commit", "-q", "-m", "wizard")
	mainSHA = git("rev-parse", "HEAD")
	git("checkout", "-q", "-b", "feature/retry")
	writeTree(t, dir, fakeWizardSource("built from feature/retry"))
	git("commit", "-q", "-am", "feature")
	featureSHA = git("rev-parse", "HEAD")
	git("checkout", "-q", "main")
	return srv, mainSHA, featureSHA
}

// TestWizardBuiltFromRef builds the wizard from a git ref of a local
// repository (GITHUB_SERVER_URL is a folder), runs it on two apps, shows
// the commit in results.json and comment.md, reuses the build on a second
// run, and refuses bad refs clearly.
func TestWizardBuiltFromRef(t *testing.T) {
	t.Parallel()
	srv, mainSHA, featureSHA := wizardServer(t, "acme/wizard")
	wb := nodeWorkbench(t)
	dir := t.TempDir()
	trace := filepath.Join(dir, "builds.txt")
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GITHUB_SERVER_URL=" + srv,
		"POSTHOG_WIZARD_API_KEY=phx_fakePersonalKey0123456789abcdef", "WIZARD_TEST_BUILD_TRACE=" + trace}
	build := []string{"--wizard-repository", "acme/wizard", "--wizard-build-command", "npm run build"}
	out := filepath.Join(dir, "out")
	run := func(args ...string) cliResult {
		return runCLI(t, dir, env, append(append([]string{"basic-integration", "--workbench", wb}, build...), args...)...)
	}

	r := run("--out", out, "--wizard-ref", "feature/retry")
	if r.code != ExitOK {
		t.Fatalf("exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	res, comment := readResults(t, out, r)
	want := results.Wizard{Source: "build", Version: "2.99.0-test", SHA: featureSHA}
	if res.Run.Wizard != want {
		t.Errorf("wizard = %+v, want %+v", res.Run.Wizard, want)
	}
	if res.Run.WizardRef != "feature/retry" {
		t.Errorf("wizard ref = %q, want feature/retry", res.Run.WizardRef)
	}
	for _, a := range res.Apps {
		if a.Outcome != outcome.Success || len(a.Attempts) != 1 {
			t.Errorf("%s: %s after %d attempts (%s), want success after 1", a.App, a.Outcome, len(a.Attempts), a.Reason)
		}
		log, _ := os.ReadFile(filepath.Join(out, a.Log))
		if !strings.Contains(string(log), "PostHog is set up! (built from feature/retry)") {
			t.Errorf("%s: the log is not from the feature/retry build:\n%s", a.App, log)
		}
	}
	for _, w := range []string{"built from source", "version `2.99.0-test`", "commit `" + featureSHA[:7] + "`", "feature/retry"} {
		if !strings.Contains(comment, w) {
			t.Errorf("comment.md lacks %q:\n%s", w, comment)
		}
	}
	if _, err := os.Stat(filepath.Join(out, wizard.CacheDir, featureSHA, "dist", "bin.js")); err != nil {
		t.Errorf("no cached build: %v", err)
	}

	// The same commit again: the build is reused.
	r = run("--out", out, "--wizard-ref", featureSHA)
	if r.code != ExitOK || !strings.Contains(r.stderr, "using the wizard already built for "+featureSHA) {
		t.Errorf("second run: exit %d, want 0 with the cached build\nstderr:\n%s", r.code, r.stderr)
	}
	// The default ref is main.
	outMain := filepath.Join(dir, "out-main")
	r = run("--out", outMain)
	if res, _ := readResults(t, outMain, r); r.code != ExitOK || res.Run.Wizard.SHA != mainSHA {
		t.Errorf("default ref: exit %d, sha %s; want 0 and main's %s\nstderr:\n%s", r.code, res.Run.Wizard.SHA, mainSHA, r.stderr)
	}
	b, _ := os.ReadFile(trace)
	if n := strings.Count(string(b), "built"); n != 2 {
		t.Errorf("the wizard was built %d times, want 2 (feature/retry once, main once)", n)
	}

	t.Run("refused refs", func(t *testing.T) {
		for _, tc := range []struct{ ref, want string }{
			// The command line quotes, as a terminal does (no code spans).
			{"..", `contains ".."`},
			{"feature/../main", `contains ".."`},
			{"-x", `starts with "-"`},
			{"--upload-pack", `starts with "-"`},
			{"--upload-pack=touch", `contains "="`},
			{"a;b", `contains ";"`},
		} {
			out := filepath.Join(t.TempDir(), "out")
			r := run("--out", out, "--wizard-ref="+tc.ref)
			if r.code != ExitConfig || !strings.Contains(r.stderr, "--wizard-ref") || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("--wizard-ref=%s: exit %d, want %d and %q\nstderr:\n%s", tc.ref, r.code, ExitConfig, tc.want, r.stderr)
			}
			if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine") {
				t.Errorf("--wizard-ref=%s crashed:\n%s", tc.ref, r.stderr)
			}
		}
	})

	t.Run("unknown ref", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		r := run("--out", out, "--wizard-ref", "no-such-branch")
		if r.code != ExitConfig {
			t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, ExitConfig, r.stderr)
		}
		res, comment := readResults(t, out, r)
		for name, body := range map[string]string{"run.error": res.Run.Error, "comment.md": comment, "stdout": r.stdout} {
			if !strings.Contains(body, `the wizard ref "no-such-branch" could not be fetched`) || !strings.Contains(body, "couldn't find remote ref no-such-branch") {
				t.Errorf("%s lacks the fetch error:\n%s", name, body)
			}
		}
		for _, a := range res.Apps {
			if a.Outcome != outcome.Skipped || len(a.Attempts) != 0 {
				t.Errorf("%s: %s after %d attempts, want skipped", a.App, a.Outcome, len(a.Attempts))
			}
		}
	})
}

// TestActionBuildsWizardFromPR: the action in the wizard's own repository
// builds the PR head by default, a comment's wizard:<ref> overrides it, and
// a ref that does not exist ends the run as a config error in the comment.
func TestActionBuildsWizardFromPR(t *testing.T) {
	t.Parallel()
	srv, _, featureSHA := wizardServer(t, e2eRepo)
	wb := nodeWorkbench(t)
	cases := []struct {
		name    string
		body    string
		head    string // PR head SHA
		code    int
		wantSHA string
		want    []string
	}{
		{name: "PR head by default", body: "/wizard-ci basic-integration", head: featureSHA, code: 0, wantSHA: featureSHA,
			want: []string{"built from source", "commit `" + featureSHA[:7] + "`"}},
		{name: "wizard:<ref> overrides", body: "/wizard-ci basic-integration wizard:feature/retry", code: 0, wantSHA: featureSHA,
			want: []string{"commit `" + featureSHA[:7] + "`", "**Wizard ref:** `feature/retry`"}},
		{name: "unknown ref", body: "/wizard-ci basic-integration wizard:no-such-branch", code: ExitConfig,
			want: []string{"could not be fetched", "couldn't find remote ref no-such-branch", "skipped"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newE2E(t)
			e.env["GITHUB_SERVER_URL"] = srv
			e.useWorkbench(wb)
			e.env["INPUT_WIZARD-COMMAND"] = ""
			e.env["INPUT_WIZARD-REPOSITORY"] = e2eRepo
			e.env["INPUT_WIZARD-BUILD-COMMAND"] = "npm run build"
			e.env["INPUT_POSTHOG-API-KEY"] = "phx_fakePersonalKey0123456789abcdef"
			e.rs.AddPull(fakegh.PullRequest{Number: 41, HeadSHA: tc.head})
			e.rs.SetRole("maintainer-1", "write")
			e.commentEvent("created", 41, "maintainer-1", "User", tc.body)
			e.run()
			if e.code != tc.code {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", e.code, tc.code, e.stderr)
			}
			bots := e.botComments(41)
			if len(bots) != 1 {
				t.Fatalf("%d bot comments, want the results comment", len(bots))
			}
			for _, w := range tc.want {
				if !strings.Contains(bots[0].Body, w) {
					t.Errorf("results comment lacks %q:\n%s", w, bots[0].Body)
				}
			}
			res := e.results()
			if res.Run.Wizard.Source != "build" || res.Run.Wizard.SHA != tc.wantSHA {
				t.Errorf("wizard = %+v, want built at %q", res.Run.Wizard, tc.wantSHA)
			}
			var outcomes []outcome.Outcome
			for _, a := range res.Apps {
				outcomes = append(outcomes, a.Outcome)
			}
			want := []outcome.Outcome{outcome.Success, outcome.Success}
			if tc.code != 0 {
				want = []outcome.Outcome{outcome.Skipped, outcome.Skipped}
			}
			if !slices.Equal(outcomes, want) {
				t.Errorf("outcomes %v, want %v", outcomes, want)
			}
			if strings.Contains(bots[0].Body, e2eToken) || strings.Contains(e.stderr, e2eToken) {
				t.Error("the GitHub token leaked")
			}
		})
	}
}

// TestActionRefWithWizardCommand: a comment asking for wizard:<ref> in a
// workflow that runs a ready wizard-command gets one clear config error,
// not a run of a different wizard than asked for.
func TestActionRefWithWizardCommand(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	trace := e.useTestWizard("phx_refWithCommandKey0123456789")
	e.rs.AddPull(fakegh.PullRequest{Number: 42})
	e.rs.SetRole("maintainer-1", "write")
	e.commentEvent("created", 42, "maintainer-1", "User", "/wizard-ci misc wizard:feature/retry")
	e.run()
	if e.code != ExitConfig {
		t.Fatalf("exit %d, want %d\nstderr:\n%s", e.code, ExitConfig, e.stderr)
	}
	if n := wizardStarts(t, trace); n != 0 {
		t.Errorf("%d wizard starts, want none", n)
	}
	bots := e.botComments(42)
	if len(bots) != 1 || !strings.Contains(bots[0].Body, "wizard:feature/retry asks for the wizard built from source") {
		t.Fatalf("want one results comment explaining the conflict, got %d:\n%v", len(bots), bots)
	}
}
