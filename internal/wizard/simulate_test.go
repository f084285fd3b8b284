package wizard

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/posthog/wizard-ci/internal/outcome"
)

// run plays the simulator in dir with env and returns its exit status and
// streams. The timeout scenarios return at once as if SIGTERM had come.
func run(t *testing.T, args []string, env map[string]string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := simulate(args, func(k string) string { return env[k] }, &stdout, &stderr, func() int { return 143 })
	return code, stdout.String(), stderr.String()
}

// copyApp copies testdata/apps/<name> to a fresh folder.
func copyApp(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("testdata", "apps", name)
	dst := filepath.Join(t.TempDir(), name)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// digest hashes every file under dir, so a test can tell whether it changed.
func digest(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		fmt.Fprintf(h, "%s\x00%x\x00", p, sha256.Sum256(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func ciArgs(dir string, words ...string) []string {
	return append(words, "--ci", "--install-dir", dir, "--region", "us")
}

// TestSimulateClassified pins that every scenario is classified by
// outcome.Classify as the outcome it plays.
func TestSimulateClassified(t *testing.T) {
	t.Parallel()
	plays := append(append(slices.Clone(Simulated), Misbehaviours...), Sleep)
	for _, play := range plays {
		for _, words := range [][]string{nil, {"revenue-analytics"}} {
			name := string(play)
			if words != nil {
				name += "/" + words[0]
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				dir := copyApp(t, "node-cjs")
				before := digest(t, dir)
				env := map[string]string{
					KeyEnv:      "phx_simulated",
					ScenarioEnv: "basic-integration/*=" + string(play),
					AppEnv:      "basic-integration/node/app",
					AttemptEnv:  "1",
				}
				code, stdout, stderr := run(t, ciArgs(dir, words...), env)
				exit := outcome.Exit{Code: code, Changed: digest(t, dir) != before}
				if play == outcome.Timeout || play == Sleep {
					exit.TimedOut = true // the runner killed it at app-timeout
				}
				got := outcome.Classify(exit, stdout+stderr)

				want := play
				switch play {
				case outcome.ChecksFailed, HardcodedKey, BrokenSyntax, MissingInit, UncapturedEvent:
					want = outcome.Success // the wizard succeeded; the checks fail later
				case Sleep:
					want = outcome.Timeout
				}
				if got.Outcome != want {
					t.Fatalf("Classify = %+v, want %q\nexit %+v\n--- stdout\n%s--- stderr\n%s", got, want, exit, stdout, stderr)
				}
				if wantChanged := want == outcome.Success; exit.Changed != wantChanged {
					t.Errorf("app changed = %v, want %v", exit.Changed, wantChanged)
				}
				if play == outcome.Provisioning && got.RetryAfter.Minutes() != 2 {
					t.Errorf("RetryAfter = %v, want 2m (the advised wait)", got.RetryAfter)
				}
				if play == Sleep && stdout+stderr != "" && strings.Contains(stdout, "Simulated") {
					t.Errorf("sleep scenario printed %q", stdout)
				}
			})
		}
	}
}

func TestSimulateAttempts(t *testing.T) {
	t.Parallel()
	dir := copyApp(t, "node-cjs")
	env := map[string]string{KeyEnv: "phx_k", ScenarioEnv: "*=provisioning+success", AppEnv: "a/b"}
	for attempt, want := range map[string]outcome.Outcome{"1": outcome.Provisioning, "2": outcome.Success, "3": outcome.Success} {
		env := maps(env, AttemptEnv, attempt)
		code, stdout, stderr := run(t, ciArgs(dir), env)
		if got := outcome.Classify(outcome.Exit{Code: code, Changed: true}, stdout+stderr).Outcome; got != want {
			t.Errorf("attempt %s: %q, want %q", attempt, got, want)
		}
	}
}

func maps(m map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func TestSimulateArgs(t *testing.T) {
	t.Parallel()
	dir := copyApp(t, "node-cjs")
	key := map[string]string{KeyEnv: "phx_k"}
	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		wantCode   int
		wantOut    string // substring of stdout+stderr
		wantResult outcome.Outcome
		changed    bool // the run edits the app
	}{
		{name: "version", args: []string{"--version"}, wantOut: Version + "\n"},
		{name: "short version", args: []string{"-v"}, wantOut: Version + "\n"},
		{name: "help", args: []string{"--help"}, wantOut: "--install-dir"},
		{name: "no key", args: ciArgs(dir), env: map[string]string{}, wantCode: 1,
			wantOut: `phw-error: {"code":"PHW_ARGS_MISSING_API_KEY"`, wantResult: outcome.Config},
		{name: "no key says requires --api-key", args: ciArgs(dir), env: map[string]string{}, wantCode: 1,
			wantOut: "requires --api-key", wantResult: outcome.Config},
		{name: "key as flag", args: append(ciArgs(dir), "--api-key", "phx_flag"), env: map[string]string{},
			wantOut: "PostHog integration complete", wantResult: outcome.Success, changed: true},
		{name: "no --ci", args: []string{"--install-dir", dir}, env: key, wantCode: 1,
			wantOut: "PHW_CLI_INTERACTIVE_REQUIRED", wantResult: outcome.Config},
		{name: "unknown flag", args: append(ciArgs(dir), "--integration", "nextjs"), env: key, wantCode: 1,
			wantOut: "Unknown arguments: integration", wantResult: outcome.Config},
		{name: "unknown command", args: ciArgs(dir, "frobnicate"), env: key, wantCode: 1,
			wantOut: "Unknown command: frobnicate", wantResult: outcome.Config},
		{name: "no install dir", args: []string{"--ci", "--region", "us"}, env: key, wantCode: 1,
			wantOut: "PHW_ARGS_MISSING_INSTALL_DIR", wantResult: outcome.Config},
		{name: "missing install dir", args: ciArgs(filepath.Join(dir, "nope")), env: key, wantCode: 1,
			wantOut: "PHW_DETECT_NO_FRAMEWORK", wantResult: outcome.Precondition},
		{name: "bad region", args: []string{"--ci", "--install-dir", dir, "--region", "mars"}, env: key, wantCode: 1,
			wantOut: "Choices", wantResult: outcome.Config},
		{name: "flag without value", args: []string{"--ci", "--install-dir"}, env: key, wantCode: 1,
			wantOut: "Not enough arguments", wantResult: outcome.Config},
		{name: "bad scenario", args: ciArgs(dir), env: maps(key, ScenarioEnv, "*=sucess"), wantCode: 1,
			wantOut: "WIZARD_CI_SIMULATE", wantResult: outcome.Config},
		{name: "equals form and sub-command", args: []string{"revenue-analytics", "--ci", "--install-dir=" + dir, "--region=eu"},
			env: maps(key, ScenarioEnv, "*=no-changes"), wantOut: "Running revenue-analytics-setup in CI mode", wantResult: outcome.NoChanges},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := run(t, tc.args, tc.env)
			if code != tc.wantCode {
				t.Errorf("exit %d, want %d", code, tc.wantCode)
			}
			if !strings.Contains(stdout+stderr, tc.wantOut) {
				t.Errorf("output lacks %q:\n%s%s", tc.wantOut, stdout, stderr)
			}
			if tc.wantResult != "" {
				if got := outcome.Classify(outcome.Exit{Code: code, Changed: tc.changed}, stdout+stderr); got.Outcome != tc.wantResult {
					t.Errorf("Classify = %+v, want %q", got, tc.wantResult)
				}
			}
		})
	}
}

func TestSimulatorArgv(t *testing.T) {
	t.Parallel()
	if d := cmp.Diff([]string{"/bin/wizard-ci", "__simulate-wizard"}, SimulatorArgv("/bin/wizard-ci")); d != "" {
		t.Error(d)
	}
}

// TestSimulateEdits checks the success edits by language: the SDK becomes
// a dependency, the expected events are captured and listed in
// .posthog-events.json, no key is written into the app, and every file stays
// valid for node --check / python3's parser.
func TestSimulateEdits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		app        string
		words      []string
		depFile    string // where the SDK must appear
		sdk        string
		initIn     string // file that must initialise the SDK
		initMarker string
		events     []string
		eventsIn   string
	}{
		{app: "node-cjs", depFile: "package.json", sdk: "posthog-node", initIn: "index.js", initMarker: "new PostHog(process.env.POSTHOG_API_KEY",
			events: []string{"todo created", "todo completed"}, eventsIn: "index.js"},
		{app: "node-esm", depFile: "package.json", sdk: "posthog-node", initIn: "server.js", initMarker: `import { PostHog } from "posthog-node"`,
			events: []string{"server started"}, eventsIn: "server.js"},
		{app: "next-app", depFile: "package.json", sdk: "posthog-js", initIn: "instrumentation-client.ts", initMarker: "process.env.NEXT_PUBLIC_POSTHOG_KEY",
			events: []string{"page viewed"}, eventsIn: "app/page.tsx"},
		{app: "next-pages", depFile: "package.json", sdk: "posthog-js", initIn: "instrumentation-client.js", initMarker: "posthog.init(",
			events: []string{"page viewed"}, eventsIn: "pages/index.jsx"},
		{app: "static-pkg", depFile: "package.json", sdk: "posthog-js", initIn: "index.html", initMarker: `meta[name="posthog-project-token"]`,
			events: []string{"product added to cart"}, eventsIn: "app.js"},
		{app: "static-plain", initIn: "index.html", initMarker: "window.POSTHOG_PROJECT_TOKEN",
			events: []string{"page viewed"}, eventsIn: "index.html"},
		{app: "python-req", depFile: "requirements.txt", sdk: "posthog", initIn: "app.py", initMarker: `os.environ.get("POSTHOG_API_KEY"`,
			events: []string{"app started"}, eventsIn: "app.py"},
		{app: "python-pyproject", depFile: "pyproject.toml", sdk: "posthog", initIn: "main.py", initMarker: "Posthog(",
			events: []string{"app started"}, eventsIn: "main.py"},
		{app: "python-poetry", depFile: "pyproject.toml", sdk: "posthog", initIn: "service.py", initMarker: "Posthog(",
			events: []string{"app started"}, eventsIn: "service.py"},
		{app: "node-cjs", words: []string{"upload-source-maps"}, depFile: "package.json", sdk: "@posthog/cli",
			initIn: "package.json", initMarker: "posthog-cli sourcemap upload"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(append([]string{tc.app}, tc.words...), "/"), func(t *testing.T) {
			t.Parallel()
			dir := copyApp(t, tc.app)
			env := map[string]string{KeyEnv: "phx_secret_key_value", AppEnv: "basic-integration/" + tc.app}
			code, stdout, stderr := run(t, ciArgs(dir, tc.words...), env)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			read := func(rel string) string {
				t.Helper()
				b, err := os.ReadFile(filepath.Join(dir, rel))
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
			if tc.depFile != "" && !strings.Contains(read(tc.depFile), `"`+tc.sdk) && !strings.Contains(read(tc.depFile), "\n"+tc.sdk) {
				t.Errorf("%s does not list %s:\n%s", tc.depFile, tc.sdk, read(tc.depFile))
			}
			if !strings.Contains(read(tc.initIn), tc.initMarker) {
				t.Errorf("%s lacks %q:\n%s", tc.initIn, tc.initMarker, read(tc.initIn))
			}
			for _, ev := range tc.events {
				if !strings.Contains(read(tc.eventsIn), fmt.Sprintf("%q", ev)) {
					t.Errorf("%s does not capture %q:\n%s", tc.eventsIn, ev, read(tc.eventsIn))
				}
			}
			var planned []plannedEvent
			if err := json.Unmarshal([]byte(read(EventsFile)), &planned); err != nil {
				t.Fatalf("%s: %v", EventsFile, err)
			}
			var names []string
			for _, p := range planned {
				names = append(names, p.Name)
				if p.File != tc.eventsIn {
					t.Errorf("%s: event %q in %q, want %q", EventsFile, p.Name, p.File, tc.eventsIn)
				}
			}
			if d := cmp.Diff(tc.events, names); d != "" {
				t.Errorf("%s events (-want +got):\n%s", EventsFile, d)
			}
			validate(t, dir)
		})
	}
}

// TestSimulateChecksFailed pins that the checks-failed scenario edits the
// app but leaves the SDK out of its dependencies.
func TestSimulateChecksFailed(t *testing.T) {
	t.Parallel()
	dir := copyApp(t, "node-cjs")
	env := map[string]string{KeyEnv: "phx_k", ScenarioEnv: "*=checks-failed"}
	if code, stdout, stderr := run(t, ciArgs(dir), env); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "package.json"))
	if strings.Contains(string(b), "posthog-node") {
		t.Errorf("package.json lists the SDK:\n%s", b)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "index.js"))
	if !strings.Contains(string(b), "posthog.capture(") {
		t.Errorf("index.js was not edited:\n%s", b)
	}
}

func TestSimulateUnknownLanguage(t *testing.T) {
	t.Parallel()
	dir := copyApp(t, "unknown")
	before := digest(t, dir)
	code, stdout, stderr := run(t, ciArgs(dir), map[string]string{KeyEnv: "phx_k"})
	if got := outcome.Classify(outcome.Exit{Code: code}, stdout+stderr); got.Outcome != outcome.Precondition {
		t.Errorf("Classify = %+v, want precondition", got)
	}
	if digest(t, dir) != before {
		t.Error("the app changed")
	}
}

// validate checks every file of dir: JSON parses, JS passes node --check,
// Python parses, and no key or token was written.
func validate(t *testing.T, dir string) {
	t.Helper()
	node, _ := exec.LookPath("node")
	python, _ := exec.LookPath("python3")
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.Contains(string(b), "phx_") || strings.Contains(string(b), "phc_") {
			t.Errorf("%s holds a key or token:\n%s", rel, b)
		}
		var cmd *exec.Cmd
		switch filepath.Ext(p) {
		case ".json":
			if !json.Valid(b) {
				t.Errorf("%s is not valid JSON:\n%s", rel, b)
			}
		case ".js", ".mjs", ".cjs":
			if node != "" {
				cmd = exec.Command(node, "--check", p)
			}
		case ".py":
			if python != "" {
				cmd = exec.Command(python, "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])", p)
			}
		case ".html":
			if n := strings.Count(string(b), "<script"); n != strings.Count(string(b), "</script>") {
				t.Errorf("%s: unbalanced script tags", rel)
			}
		}
		if cmd != nil {
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: %v\n%s\n--- file\n%s", rel, err, out, b)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSimulateMisbehaviours pins what each misbehaviour leaves in the app,
// for every test app the simulator can edit: the checks package's labelled
// workbench test then proves the checks catch each one.
func TestSimulateMisbehaviours(t *testing.T) {
	t.Parallel()
	const key = "phx_misbehaviourKey0123456789abcdefgh"
	apps := []string{"next-app", "next-pages", "node-cjs", "node-esm", "python-poetry", "python-pyproject", "python-req", "static-pkg", "static-plain"}
	for _, app := range apps {
		for _, play := range Misbehaviours {
			t.Run(app+"/"+string(play), func(t *testing.T) {
				t.Parallel()
				dir := copyApp(t, app)
				env := map[string]string{KeyEnv: key, ScenarioEnv: "*=" + string(play), AppEnv: "basic-integration/" + app}
				code, stdout, stderr := run(t, ciArgs(dir), env)
				if code != 0 {
					t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
				}
				all := readAll(t, dir)
				var planned []plannedEvent
				if err := json.Unmarshal([]byte(all[EventsFile]), &planned); err != nil {
					t.Fatalf("%s: %v", EventsFile, err)
				}
				hasKey, hasInit, hasUncaptured := false, false, false
				for name, body := range all {
					hasKey = hasKey || strings.Contains(body, key)
					if name != ReportFile && name != EventsFile {
						hasInit = hasInit || strings.Contains(body, "posthog.init(") || strings.Contains(body, "new PostHog(") || strings.Contains(body, "Posthog(")
						hasUncaptured = hasUncaptured || strings.Contains(body, UncapturedEventName)
					}
				}
				if hasKey != (play == HardcodedKey) {
					t.Errorf("the key is in the app: %v", hasKey)
				}
				if hasInit != (play != MissingInit) {
					t.Errorf("PostHog is initialised: %v", hasInit)
				}
				if hasUncaptured {
					t.Errorf("%q is in a source file", UncapturedEventName)
				}
				last := planned[len(planned)-1]
				if (last.Name == UncapturedEventName) != (play == UncapturedEvent) {
					t.Errorf("%s ends with %+v", EventsFile, last)
				}
				if play == BrokenSyntax {
					broken := false
					for _, body := range all {
						broken = broken || strings.Contains(body, "const posthogOptions = {;") || strings.Contains(body, "def posthog_shutdown(:")
					}
					if !broken {
						t.Error("no file was broken")
					}
				}
			})
		}
	}
}

// readAll reads every file under dir, by slash path.
func readAll(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
