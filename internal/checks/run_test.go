package checks

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/posthog/wizard-ci/internal/results"
	"github.com/posthog/wizard-ci/internal/workbench"
)

// nodeApp is a small Express-like app before the wizard.
var nodeApp = map[string]string{
	"package.json": `{"name": "app", "main": "index.js", "dependencies": {"express": "^4"}}`,
	"index.js":     "const express = require(\"express\");\nconst app = express();\napp.listen(3000);\n",
	"README.md":    "# app\n",
}

// nodeDone is nodeApp after a good integration.
var nodeDone = map[string]string{
	"package.json": `{"name": "app", "main": "index.js", "dependencies": {"express": "^4", "posthog-node": "^5"}}`,
	"index.js": "const express = require(\"express\");\nconst { PostHog } = require(\"posthog-node\");\n" +
		"const posthog = new PostHog(process.env.POSTHOG_API_KEY);\nconst app = express();\n" +
		"app.post(\"/todos\", () => posthog.capture({ distinctId: \"u\", event: \"todo created\" }));\napp.listen(3000);\n",
	"README.md":    "# app\n",
	EventsFile:     `[{"event_name": "todo created", "event_description": "a todo was added", "file": "index.js"}]`,
	"setup.md":     "posthog.init(...) and posthog.capture('doc only event') in the wizard's report\n",
	".gitignore":   "node_modules\n",
	"scripts/x.sh": "echo hi\n",
}

// with returns base with files changed (a "" value removes the file).
func with(base map[string]string, changes map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range changes {
		if v == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// fakeExec records the check commands and answers with out and err.
type fakeExec struct {
	mu    sync.Mutex
	calls [][]string
	dirs  []string
	out   string
	err   error
	block bool // wait for the context to end, as a hung command would
}

func (f *fakeExec) run(ctx context.Context, dir string, argv []string) (string, error) {
	f.mu.Lock()
	f.calls = append(f.calls, argv)
	f.dirs = append(f.dirs, dir)
	f.mu.Unlock()
	if f.block {
		<-ctx.Done()
		return f.out, ctx.Err()
	}
	return f.out, f.err
}

func pair(t *testing.T, orig, copy map[string]string) (string, string) {
	t.Helper()
	root := t.TempDir()
	o, c := filepath.Join(root, "orig", "app"), filepath.Join(root, "copy", "app")
	for _, d := range []string{o, c} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFiles(t, o, orig)
	writeFiles(t, c, copy)
	return o, c
}

// TestRun runs every check on synthetic app pairs: the original app and the
// copy a wizard left behind.
func TestRun(t *testing.T) {
	t.Parallel()
	const key = "phx_configuredKey0123456789abcdefghijk"
	tests := []struct {
		name      string
		orig      map[string]string
		copy      map[string]string
		expect    workbench.Expect
		exec      *fakeExec
		want      []results.CheckFailure // Reason: a substring
		wantTotal int
	}{
		{name: "good integration", orig: nodeApp, copy: nodeDone, wantTotal: 5},
		{name: "good integration with check command", orig: nodeApp, copy: nodeDone,
			expect: workbench.Expect{SDK: "posthog-node", Init: []string{"index.js"}, Events: []string{"todo created"}, Check: []string{"node", "--check", "index.js"}},
			exec:   &fakeExec{}, wantTotal: 6},
		{name: "unchanged", orig: nodeApp, copy: nodeApp, wantTotal: 1,
			want: []results.CheckFailure{{Check: Changed, Reason: "changed nothing"}}},
		{name: "only node_modules changed", orig: nodeApp, copy: with(nodeApp, map[string]string{"node_modules/posthog-node/index.js": "x"}), wantTotal: 1,
			want: []results.CheckFailure{{Check: Changed, Reason: "changed nothing"}}},
		{name: "only the wizard log changed", orig: nodeApp, copy: with(nodeApp, map[string]string{"posthog-wizard.log": "x"}), wantTotal: 1,
			want: []results.CheckFailure{{Check: Changed, Reason: "changed nothing"}}},

		// sdk
		{name: "sdk missing", orig: nodeApp, copy: with(nodeDone, map[string]string{"package.json": nodeApp["package.json"]}), wantTotal: 5,
			want: []results.CheckFailure{{Check: SDK, File: "package.json", Reason: "a PostHog SDK (posthog-js or posthog-node) is not a dependency in package.json"}}},
		{name: "other posthog sdk than expected", orig: nodeApp,
			copy:   with(nodeDone, map[string]string{"package.json": `{"dependencies": {"posthog-js": "^1"}}`}),
			expect: workbench.Expect{SDK: "posthog-node"}, wantTotal: 5,
			want: []results.CheckFailure{{Check: SDK, File: "package.json", Reason: "posthog-node is not a dependency in package.json"}}},
		{name: "any posthog package by default", orig: nodeApp,
			copy: with(nodeDone, map[string]string{"package.json": `{"devDependencies": {"@posthog/react": "^1"}}`}), wantTotal: 5},
		{name: "sdk only in node_modules", orig: nodeApp,
			copy:      with(nodeDone, map[string]string{"package.json": nodeApp["package.json"], "node_modules/x/package.json": `{"dependencies": {"posthog-node": "1"}}`}),
			wantTotal: 5, want: []results.CheckFailure{{Check: SDK, File: "package.json", Reason: "is not a dependency in package.json"}}},
		{name: "broken package.json", orig: nodeApp,
			copy: with(nodeDone, map[string]string{"package.json": `{"dependencies": {"posthog-node": "^5",}}`}), wantTotal: 5,
			want: []results.CheckFailure{{Check: SDK, File: "package.json", Reason: "left the manifest broken"}, {Check: SDK, File: "package.json", Reason: "is not a dependency"}}},
		{name: "no manifest at all", orig: map[string]string{"index.html": "<p>hi</p>"},
			copy: map[string]string{"index.html": "<script>posthog.init(t)</script>"}, wantTotal: 5,
			want: []results.CheckFailure{{Check: SDK, Reason: "no dependency manifest"}}},

		// init
		{name: "init missing", orig: nodeApp,
			copy: with(nodeDone, map[string]string{"index.js": strings.Replace(nodeDone["index.js"], "new PostHog(", "makeClient(", 1)}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Init, Reason: "in any source file"}}},
		{name: "init only in the report", orig: nodeApp,
			copy: with(nodeDone, map[string]string{"index.js": strings.Replace(nodeDone["index.js"], "new PostHog(", "makeClient(", 1),
				"posthog-setup-report.md": "posthog.init('phc')\nconst posthog = new PostHog(key)\n"}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Init, Reason: "in any source file"}}},
		{name: "init commented out", orig: nodeApp,
			copy:      with(nodeDone, map[string]string{"index.js": strings.Replace(nodeDone["index.js"], "const posthog = new PostHog(", "// const posthog = new PostHog(", 1)}),
			wantTotal: 5, want: []results.CheckFailure{{Check: Init, Reason: "in any source file"}}},
		{name: "init outside the globs", orig: nodeApp, copy: with(nodeDone, map[string]string{"lib/extra.js": "// helpers\n"}),
			expect: workbench.Expect{Init: []string{"lib/*.js"}}, wantTotal: 5,
			want: []results.CheckFailure{{Check: Init, File: "lib/extra.js", Reason: "no PostHog initialisation"}}},
		{name: "init glob matches nothing", orig: nodeApp, copy: nodeDone, expect: workbench.Expect{Init: []string{"instrumentation-client.ts"}}, wantTotal: 5,
			want: []results.CheckFailure{{Check: Init, Reason: "no file matches the init globs instrumentation-client.ts"}}},
		{name: "init in a glob with **", orig: nodeApp,
			copy:   with(nodeDone, map[string]string{"src/app/deep/ph.tsx": `posthog.init(process.env.KEY)`}),
			expect: workbench.Expect{Init: []string{"src/**/*.tsx"}}, wantTotal: 5},

		// events
		{name: "planned event captured elsewhere", orig: nodeApp,
			copy: with(nodeDone, map[string]string{EventsFile: `[{"event_name": "todo created", "file": "other.js"}]`, "other.js": "// nothing\n"}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Events, File: "other.js", Reason: `"todo created" is planned in .posthog-events.json for this file, but no capture call`}}},
		{name: "planned event file missing", orig: nodeApp,
			copy: with(nodeDone, map[string]string{EventsFile: `[{"name": "todo created", "file": "src/gone.js"}]`}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Events, File: "src/gone.js", Reason: "does not exist"}}},
		{name: "planned event outside the app", orig: nodeApp,
			copy: with(nodeDone, map[string]string{EventsFile: `[{"name": "todo created", "file": "../elsewhere.js"}]`}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Events, File: EventsFile, Reason: "outside the app"}}},
		{name: "planned event without a file", orig: nodeApp,
			copy: with(nodeDone, map[string]string{EventsFile: `[{"event": "todo created"}]`}), wantTotal: 5},
		{name: "planned event without a file, not captured", orig: nodeApp,
			copy: with(nodeDone, map[string]string{EventsFile: `[{"event": "doc only event"}]`}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Events, File: EventsFile, Reason: `"doc only event" is planned`}}},
		{name: "no events file", orig: nodeApp, copy: with(nodeDone, map[string]string{EventsFile: ""}), wantTotal: 5},
		{name: "events file broken", orig: nodeApp, copy: with(nodeDone, map[string]string{EventsFile: `{"events": []}`}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Events, File: EventsFile, Reason: "not a JSON array"}}},
		{name: "expected event missing", orig: nodeApp, copy: nodeDone, expect: workbench.Expect{Events: []string{"todo created", "todo completed"}}, wantTotal: 5,
			want: []results.CheckFailure{{Check: Events, Reason: `"todo completed" (expected by .wizard-ci/expect.yml) is not captured`}}},

		// secrets
		{name: "personal key in source", orig: nodeApp,
			copy: with(nodeDone, map[string]string{"index.js": nodeDone["index.js"] + "const k = \"phx_Ab3dEf5hIj7lMn9pQr1tUv3xYz5\";\n"}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Secrets, File: "index.js", Reason: "line 7 holds a PostHog personal API key (phx_…)"}}},
		{name: "configured key in a dot file", orig: nodeApp, copy: with(nodeDone, map[string]string{".env": "POSTHOG_KEY=" + key + "\n"}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Secrets, File: ".env", Reason: "line 1 holds a PostHog personal API key"}}},
		{name: "configured value of any shape", orig: nodeApp,
			copy: with(nodeDone, map[string]string{"config.json": `{"token": "my-configured-secret-value"}`}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Secrets, File: "config.json", Reason: "another secret wizard-ci was given"}}},
		{name: "key in node_modules is ignored", orig: nodeApp,
			copy: with(nodeDone, map[string]string{"node_modules/posthog-node/README.md": "phx_Ab3dEf5hIj7lMn9pQr1tUv3xYz5 " + key}), wantTotal: 5},
		{name: "key the original already held", orig: with(nodeApp, map[string]string{"docs.txt": "phx_Ab3dEf5hIj7lMn9pQr1tUv3xYz5"}),
			copy: with(nodeDone, map[string]string{"docs.txt": "phx_Ab3dEf5hIj7lMn9pQr1tUv3xYz5\nmore\n"}), wantTotal: 5},
		{name: "project token refused", orig: nodeApp,
			copy: with(nodeDone, map[string]string{"index.html": `<script>posthog.init("phc_Ab3dEf5hIj7lMn9pQr1tUv3xYz5")</script>`}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Secrets, File: "index.html", Reason: "project token (phc_…); keys belong in the environment, never in the app's files (a local .env file is fine; set allow-project-token: true"}}},
		{name: "project token allowed", orig: nodeApp, expect: workbench.Expect{AllowProjectToken: true},
			copy: with(nodeDone, map[string]string{"index.html": `<script>posthog.init("phc_Ab3dEf5hIj7lMn9pQr1tUv3xYz5")</script>`}), wantTotal: 5},
		{name: "personal key refused even where project tokens are allowed", orig: nodeApp, expect: workbench.Expect{AllowProjectToken: true},
			copy: with(nodeDone, map[string]string{"index.html": `<meta content="phc_Ab3dEf5hIj7lMn9pQr1tUv3xYz5"><meta content="phx_Ab3dEf5hIj7lMn9pQr1tUv3xYz5">`}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Secrets, File: "index.html", Reason: "personal API key"}}},
		{name: "several secrets in one file", orig: nodeApp,
			copy: with(nodeDone, map[string]string{"keys.py": "A = 'ghp_Ab3dEf5hIj7lMn9pQr1tUv3xYz5Ab3dEf5hI'\nB = 'AKIAIOSFODNN7EXAMPLE'\n"}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Secrets, File: "keys.py", Reason: "line 1 holds a GitHub token (ghp_…); keys belong in the environment, never in the app's files, and 1 more"}}},
		{name: "project token in a local env file is where it belongs", orig: nodeApp,
			copy: with(nodeDone, map[string]string{".env.local": "NEXT_PUBLIC_POSTHOG_KEY=phc_Ab3dEf5hIj7lMn9pQr1tUv3xYz5\n", "web/.env": "POSTHOG_KEY=phc_Ab3dEf5hIj7lMn9pQr1tUv3xYz5\n"}), wantTotal: 5},
		{name: "project token in a committed env template is source", orig: nodeApp,
			copy: with(nodeDone, map[string]string{".env.example": "NEXT_PUBLIC_POSTHOG_KEY=phc_Ab3dEf5hIj7lMn9pQr1tUv3xYz5\n"}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Secrets, File: ".env.example", Reason: "line 1 holds a PostHog project token"}}},
		{name: "personal key refused in a local env file too", orig: nodeApp,
			copy: with(nodeDone, map[string]string{".env.local": "NEXT_PUBLIC_POSTHOG_KEY=phc_Ab3dEf5hIj7lMn9pQr1tUv3xYz5\nPOSTHOG_PERSONAL=phx_Ab3dEf5hIj7lMn9pQr1tUv3xYz5\n"}), wantTotal: 5,
			want: []results.CheckFailure{{Check: Secrets, File: ".env.local", Reason: "line 2 holds a PostHog personal API key"}}},
		{name: "placeholders are not keys", orig: nodeApp,
			copy: with(nodeDone, map[string]string{".env.example": "POSTHOG_KEY=phc_your_project_token\nPERSONAL=phx_...\n"}), wantTotal: 5},

		// command
		{name: "check command fails", orig: nodeApp, copy: nodeDone, expect: workbench.Expect{Check: []string{"node", "--check", "index.js"}},
			exec: &fakeExec{out: "index.js:3\nconst x = {;\n          ^\nSyntaxError: Unexpected token ';'\n", err: errors.New("exit status 1")}, wantTotal: 6,
			want: []results.CheckFailure{{Check: Command, Reason: "`node --check index.js` failed (exit status 1): index.js:3 | const x = {; | ^ | SyntaxError: Unexpected token ';'"}}},
		{name: "check output is masked", orig: nodeApp, copy: nodeDone, expect: workbench.Expect{Check: []string{"python3", "-m", "py_compile", "app.py"}},
			exec: &fakeExec{out: "  KEY = \"" + key + "\"\nSyntaxError\n", err: errors.New("exit status 1")}, wantTotal: 6,
			want: []results.CheckFailure{{Check: Command, Reason: `KEY = "***" | SyntaxError`}}},
		{name: "check command hangs", orig: nodeApp, copy: nodeDone, expect: workbench.Expect{Check: []string{"node", "server.js"}},
			exec: &fakeExec{block: true}, wantTotal: 6,
			want: []results.CheckFailure{{Check: Command, Reason: "`node server.js` did not finish within 1ms"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			orig, copy := pair(t, tc.orig, tc.copy)
			o := Options{Original: orig, Copy: copy, Expect: tc.expect,
				Secrets: []string{key, "my-configured-secret-value", "short"}}
			if tc.exec != nil {
				o.Exec = tc.exec.run
				if tc.exec.block {
					o.Timeout = time.Millisecond
				}
			} else {
				o.Exec = func(context.Context, string, []string) (string, error) {
					t.Error("the check command ran, but expect.yml declares none")
					return "", nil
				}
			}
			got := Run(t.Context(), o)
			if got.Total != tc.wantTotal {
				t.Errorf("Total = %d, want %d", got.Total, tc.wantTotal)
			}
			failedChecks := map[string]bool{}
			for _, f := range got.Failures {
				failedChecks[f.Check] = true
			}
			if got.Passed != got.Total-len(failedChecks) {
				t.Errorf("Passed = %d of %d with %d checks failed", got.Passed, got.Total, len(failedChecks))
			}
			if got.Failures == nil {
				t.Error("Failures is nil; results.json wants []")
			}
			if len(got.Failures) != len(tc.want) {
				t.Fatalf("failures:\n%s\nwant %d: %+v", show(got.Failures), len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				g := got.Failures[i]
				if g.Check != w.Check || g.File != w.File || !strings.Contains(g.Reason, w.Reason) {
					t.Errorf("failure %d = %+v, want %+v (reason a substring)", i, g, w)
				}
			}
			for _, f := range got.Failures {
				if strings.Contains(f.Reason, key) || strings.Contains(f.Reason, "phx_Ab3d") || strings.Contains(f.Reason, "my-configured") {
					t.Errorf("a failure shows a secret: %+v", f)
				}
			}
			if tc.exec != nil && len(tc.expect.Check) > 0 {
				if d := cmp.Diff([][]string{tc.expect.Check}, tc.exec.calls); d != "" {
					t.Errorf("check commands (-want +got):\n%s", d)
				}
				if len(tc.exec.dirs) > 0 && tc.exec.dirs[0] != copy {
					t.Errorf("check ran in %s, want the copy %s", tc.exec.dirs[0], copy)
				}
			}
		})
	}
}

func show(fs []results.CheckFailure) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.Check + " [" + f.File + "] " + f.Reason + "\n")
	}
	return b.String()
}

// TestRunBounds: the number of failures per check is bounded, and big or
// binary files are not read whole.
func TestRunBounds(t *testing.T) {
	t.Parallel()
	files := map[string]string{}
	for i := range 30 {
		files["k"+string(rune('a'+i%26))+string(rune('a'+i/26))+".js"] = "const k = \"phx_Ab3dEf5hIj7lMn9pQr1tUv3xYz5\";\n"
	}
	big := strings.Repeat("a", MaxFileBytes) + "phx_Ab3dEf5hIj7lMn9pQr1tUv3xYz5"
	files["big.js"] = big
	files["bin.dat"] = "\x00phx_Ab3dEf5hIj7lMn9pQr1tUv3xYz5"
	orig, copy := pair(t, nodeApp, with(nodeDone, files))
	got := Run(t.Context(), Options{Original: orig, Copy: copy})
	var n int
	for _, f := range got.Failures {
		if f.Check == Secrets {
			n++
			if f.File == "big.js" || f.File == "bin.dat" {
				t.Errorf("%s was read beyond the bounds: %+v", f.File, f)
			}
		}
	}
	if n != maxFailuresPerCheck || !strings.Contains(got.Failures[len(got.Failures)-1].Reason, "and 21 more") {
		t.Errorf("%d secrets failures, want %d ending with a count:\n%s", n, maxFailuresPerCheck, show(got.Failures))
	}
}

// TestRunReadsOnly: the checks never change the original or the copy (the
// fake check command does nothing).
func TestRunReadsOnly(t *testing.T) {
	t.Parallel()
	orig, copy := pair(t, nodeApp, nodeDone)
	before := snapshot(t, orig) + snapshot(t, copy)
	Run(t.Context(), Options{Original: orig, Copy: copy, Expect: workbench.Expect{Check: []string{"x"}},
		Exec: func(context.Context, string, []string) (string, error) { return "", nil }})
	if after := snapshot(t, orig) + snapshot(t, copy); after != before {
		t.Error("Run changed the app folders")
	}
}

func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		b.WriteString(p + " " + info.Mode().String() + " " + info.ModTime().String() + "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestHook: the hook reads expect.yml from the workbench, not from the copy
// the wizard could have edited, and reports an unusable expect.yml as a
// workbench problem.
func TestHook(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	app := workbench.App{Path: "basic-integration/node/app", Category: "basic-integration"}
	orig := filepath.Join(root, filepath.FromSlash(app.Path))
	writeFiles(t, orig, with(nodeApp, map[string]string{workbench.ExpectFile: "events: [todo completed]\n"}))
	copyRoot := t.TempDir()
	writeFiles(t, copyRoot, with(nodeDone, map[string]string{workbench.ExpectFile: "events: []\n"}))

	got := Hook(root, Options{})(t.Context(), app, copyRoot)
	if len(got.Failures) != 1 || got.Failures[0].Check != Events || !strings.Contains(got.Failures[0].Reason, "todo completed") {
		t.Errorf("the copy's expect.yml was used:\n%s", show(got.Failures))
	}

	writeFiles(t, orig, map[string]string{workbench.ExpectFile: "evnts: [x]\n"})
	got = Hook(root, Options{})(t.Context(), app, copyRoot)
	want := &results.Checks{Total: 1, Failures: []results.CheckFailure{{Check: ExpectCheck, File: workbench.ExpectFile,
		Reason: "the workbench's expect.yml cannot be used, so nothing was checked: .wizard-ci/expect.yml:1: unknown key \"evnts\" (known: \"allow-project-token\", \"check\", \"events\", \"init\", \"sdk\")"}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestExec runs real processes: success, failure with output, a timeout
// that kills the process group, and a program that does not exist.
func TestExec(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := Exec(t.Context(), dir, []string{"true"}); err != nil {
		t.Errorf("true: %v", err)
	}
	if _, err := Exec(t.Context(), dir, []string{"false"}); err == nil {
		t.Error("false: no error")
	}
	out, err := Exec(t.Context(), dir, []string{"ls", "-d", "no-such-file"})
	if err == nil || !strings.Contains(out, "no-such-file") {
		t.Errorf("ls: %q, %v; want the error output", out, err)
	}
	if _, err := Exec(t.Context(), dir, []string{"wizard-ci-no-such-program"}); err == nil {
		t.Error("missing program: no error")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := Exec(ctx, dir, []string{"sleep", "30"}); err == nil {
		t.Error("sleep: no error after the timeout")
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the timed-out command took %s to stop", took)
	}
}

func TestCheckEnv(t *testing.T) {
	t.Parallel()
	got := checkEnv([]string{"PATH=/bin", "POSTHOG_WIZARD_API_KEY=phx", "GITHUB_TOKEN=ghs", "INPUT_GITHUB-TOKEN=ghs",
		"ACTIONS_RUNTIME_TOKEN=x", "ACTIONS_ID_TOKEN_REQUEST_URL=y", "HOME=/root"})
	if d := cmp.Diff([]string{"PATH=/bin", "HOME=/root"}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
