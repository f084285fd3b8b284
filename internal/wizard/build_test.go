package wizard

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const testSHA = "0123456789abcdef0123456789abcdef01234567"

// gitFake plays a git server with one ref, "main" → testSHA, and a build
// that writes dist/bin.js (or fails when buildExit is not 0).
func gitFake(buildExit int) *fakeRunner {
	return &fakeRunner{handle: func(c Cmd) *answer {
		switch {
		case len(c.Argv) > 2 && c.Argv[0] == "git" && c.Argv[1] == "fetch":
			if ref := c.Argv[len(c.Argv)-1]; ref != "main" && ref != testSHA {
				return &answer{res: Result{ExitCode: 128, Output: "fatal: couldn't find remote ref " + ref + "\n"}}
			}
		case len(c.Argv) > 1 && c.Argv[0] == "git" && c.Argv[1] == "rev-parse":
			return &answer{res: Result{Stdout: testSHA + "\n"}}
		case len(c.Argv) > 3 && c.Argv[0] == "git" && c.Argv[3] == "checkout":
			_ = os.WriteFile(filepath.Join(c.Dir, "package.json"), []byte(`{"name":"@posthog/wizard","version":"2.80.0"}`), 0o644)
		case c.Argv[0] == "sh":
			if buildExit != 0 {
				return &answer{res: Result{ExitCode: buildExit, Output: "line 1\nERR_PNPM_OUTDATED_LOCKFILE Cannot install with frozen-lockfile\n"}}
			}
			_ = os.MkdirAll(filepath.Join(c.Dir, "dist"), 0o755)
			_ = os.WriteFile(filepath.Join(c.Dir, "dist", "bin.js"), []byte("console.log('hi')\n"), 0o644)
		}
		return nil
	}}
}

func TestFetchAndBuild(t *testing.T) {
	t.Parallel()
	f := gitFake(0)
	cache := t.TempDir()
	token := "ghs_buildTestToken0123456789abcdef"
	b := &Builder{
		ServerURL:  "https://github.example.com/",
		Repository: "acme/wizard",
		Token:      token,
		CacheDir:   cache,
		Env:        []string{"PATH=/usr/bin", "GIT_CONFIG_COUNT=7", "GIT_CONFIG_KEY_0=core.sshCommand"},
		Runner:     f,
	}
	co, err := b.Fetch(context.Background(), "main")
	if err != nil {
		t.Fatal(err)
	}
	want := &Checkout{Dir: filepath.Join(cache, testSHA), SHA: testSHA, Ref: "main", URL: "https://github.example.com/acme/wizard"}
	if diff := cmp.Diff(want, co); diff != "" {
		t.Errorf("checkout (-want +got):\n%s", diff)
	}
	if err := b.Build(context.Background(), co); err != nil {
		t.Fatal(err)
	}
	wantArgv := []string{
		"git init -q",
		"git fetch --depth 1 --no-tags -- https://github.example.com/acme/wizard main",
		"git rev-parse --verify FETCH_HEAD^{commit}",
		"git -c advice.detachedHead=false checkout -q --detach " + testSHA,
		"sh -c " + DefaultBuildCommand,
	}
	if diff := cmp.Diff(wantArgv, f.argvs()); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	header := "AUTHORIZATION: basic " + GitAuthSecret(token)
	for _, c := range f.calls {
		if strings.Contains(strings.Join(c.Argv, " "), token) || strings.Contains(strings.Join(c.Argv, " "), GitAuthSecret(token)) {
			t.Errorf("the token is on a command line: %q", c.Argv)
		}
		if c.Argv[0] == "git" {
			for k, v := range map[string]string{
				"GIT_CONFIG_COUNT":    "1",
				"GIT_CONFIG_KEY_0":    "http.https://github.example.com/.extraheader",
				"GIT_CONFIG_VALUE_0":  header,
				"GIT_TERMINAL_PROMPT": "0",
			} {
				if got, _ := envValue(c.Env, k); got != v {
					t.Errorf("%q: %s=%q, want %q", c.Argv, k, got, v)
				}
			}
		} else if _, ok := envValue(c.Env, "GIT_CONFIG_VALUE_0"); ok {
			t.Errorf("the build command got the git credential in its environment")
		}
	}
	if c := f.calls[len(f.calls)-1]; c.Dir != co.Dir {
		t.Errorf("build ran in %q, want %q", c.Dir, co.Dir)
	}
	if _, err := os.Stat(filepath.Join(cache, testSHA, "dist", "bin.js")); err != nil {
		t.Errorf("no dist/bin.js: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(cache, ".fetch-*")); len(left) != 0 {
		t.Errorf("fetch folders left behind: %v", left)
	}
	if diff := cmp.Diff([]string{"node", filepath.Join(cache, testSHA, "dist", "bin.js")}, co.Argv("node")); diff != "" {
		t.Errorf("argv (-want +got):\n%s", diff)
	}

	// The same ref again: resolved, not checked out or built again.
	f2 := gitFake(0)
	b.Runner = f2
	co2, err := b.Fetch(context.Background(), "main")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Build(context.Background(), co2); err != nil {
		t.Fatal(err)
	}
	if !co2.Built {
		t.Error("second fetch of the same commit is not Built")
	}
	if diff := cmp.Diff(wantArgv[:3], f2.argvs()); diff != "" {
		t.Errorf("second run's commands (-want +got):\n%s", diff)
	}

	// A full SHA that is built needs no git at all.
	f3 := gitFake(0)
	b.Runner = f3
	co3, err := b.Fetch(context.Background(), testSHA)
	if err != nil || !co3.Built || len(f3.calls) != 0 {
		t.Errorf("fetch of a built SHA: err %v, built %v, commands %q; want cached, no commands", err, co3.Built, f3.argvs())
	}

	// Another build command builds again.
	f4 := gitFake(0)
	b.Runner, b.Command = f4, "npm ci && npm run build"
	co4, err := b.Fetch(context.Background(), "main")
	if err != nil || co4.Built {
		t.Fatalf("fetch with another build command: err %v, built %v; want a fresh checkout", err, co4.Built)
	}
	if err := b.Build(context.Background(), co4); err != nil {
		t.Fatal(err)
	}
	if got := f4.argvs(); got[len(got)-1] != "sh -c npm ci && npm run build" {
		t.Errorf("last command %q, want the new build command", got[len(got)-1])
	}
}

func TestFetchRefusesBadRefs(t *testing.T) {
	t.Parallel()
	for _, ref := range []string{"", "..", "feature/../main", "-x", "--upload-pack=touch /tmp/pwned", "/abs", "main/", "a b", "a;b", "$(id)"} {
		t.Run(ref, func(t *testing.T) {
			t.Parallel()
			f := gitFake(0)
			b := &Builder{CacheDir: t.TempDir(), Runner: f}
			_, err := b.Fetch(context.Background(), ref)
			if err == nil || !strings.Contains(err.Error(), "not a valid wizard ref") {
				t.Errorf("Fetch(%q) error = %v, want a refusal", ref, err)
			}
			if len(f.calls) != 0 {
				t.Errorf("Fetch(%q) ran %q; want nothing run", ref, f.argvs())
			}
		})
	}
}

func TestFetchUnknownRef(t *testing.T) {
	t.Parallel()
	f := gitFake(0)
	cache := t.TempDir()
	b := &Builder{Repository: "PostHog/wizard", CacheDir: cache, Runner: f}
	_, err := b.Fetch(context.Background(), "no-such-branch")
	var fe *FetchError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T), want *FetchError", err, err)
	}
	for _, want := range []string{`"no-such-branch"`, "https://github.com/PostHog/wizard", "couldn't find remote ref no-such-branch", "full 40-character commit SHA"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if left, _ := os.ReadDir(cache); len(left) != 0 {
		t.Errorf("cache holds %d entries after a failed fetch, want none", len(left))
	}
}

func TestBuildFailure(t *testing.T) {
	t.Parallel()
	cache := t.TempDir()
	b := &Builder{CacheDir: cache, Runner: gitFake(1)}
	co, err := b.Fetch(context.Background(), "main")
	if err != nil {
		t.Fatal(err)
	}
	err = b.Build(context.Background(), co)
	var be *BuildError
	if !errors.As(err, &be) {
		t.Fatalf("error %v, want *BuildError", err)
	}
	for _, want := range []string{"pnpm install --frozen-lockfile && pnpm build:ci", "exit 1", "ERR_PNPM_OUTDATED_LOCKFILE"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	// The next run does not trust the unfinished folder.
	f := gitFake(0)
	b.Runner = f
	co, err = b.Fetch(context.Background(), "main")
	if err != nil || co.Built {
		t.Fatalf("after a failed build: err %v, built %v; want a fresh checkout", err, co.Built)
	}
	if err := b.Build(context.Background(), co); err != nil {
		t.Fatal(err)
	}
}

func TestBuildWithoutEntry(t *testing.T) {
	t.Parallel()
	f := gitFake(0)
	inner := f.handle
	f.handle = func(c Cmd) *answer {
		if c.Argv[0] == "sh" {
			return nil // "builds" nothing
		}
		return inner(c)
	}
	b := &Builder{CacheDir: t.TempDir(), Runner: f, Command: "true"}
	co, err := b.Fetch(context.Background(), "main")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Build(context.Background(), co); err == nil || !strings.Contains(err.Error(), "dist/bin.js") {
		t.Errorf("error = %v, want one naming dist/bin.js", err)
	}
}

func TestDefaultRef(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                  string
		wizardRepo, run, head string
		want                  string
	}{
		{"PR in the wizard's repository", "PostHog/wizard", "PostHog/wizard", "abc123", "abc123"},
		{"default repository, case differs", "", "posthog/Wizard", "abc123", "abc123"},
		{"another repository", "PostHog/wizard", "PostHog/examples", "abc123", "main"},
		{"no PR", "PostHog/wizard", "PostHog/wizard", "", "main"},
		{"local run", "", "", "", "main"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := DefaultRef(tc.wizardRepo, tc.run, tc.head); got != tc.want {
				t.Errorf("DefaultRef = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRepoURL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := []struct {
		server, repo string
		want         string
		wantErr      bool
	}{
		{"", "PostHog/wizard", "https://github.com/PostHog/wizard", false},
		{"https://ghe.example.com/", "acme/wizard", "https://ghe.example.com/acme/wizard", false},
		{"file://" + dir, "acme/wizard", "file://" + dir + "/acme/wizard", false},
		{dir, "acme/wizard", filepath.Join(dir, "acme", "wizard"), false},
		{"", "acme", "", true},
		{"", "acme/wizard/extra", "", true},
		{"", "../etc", "", true},
		{"", "-x/y", "", true},
		{"", "acme/wiz ard", "", true},
		{"--upload-pack=x", "acme/wizard", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.server+"|"+tc.repo, func(t *testing.T) {
			t.Parallel()
			got, err := RepoURL(tc.server, tc.repo)
			if (err != nil) != tc.wantErr {
				t.Fatalf("RepoURL error = %v, want error %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("RepoURL = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestGitAuthEnv(t *testing.T) {
	t.Parallel()
	if env := GitAuthEnv("", ""); env != nil {
		t.Errorf("no token: %q, want none", env)
	}
	if env := GitAuthEnv("/srv/git", "tok"); env != nil {
		t.Errorf("local server: %q, want none", env)
	}
	want := []string{
		"GIT_CONFIG_COUNT=1",
		"GIT_CONFIG_KEY_0=http.https://github.com/.extraheader",
		"GIT_CONFIG_VALUE_0=AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46dG9r", // x-access-token:tok
	}
	if diff := cmp.Diff(want, GitAuthEnv("", "tok")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestBuildFromLocalGit fetches and builds a real repository with real git.
func TestBuildFromLocalGit(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"git", "node"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	srv := t.TempDir()
	repo := filepath.Join(srv, "acme", "wizard")
	writeFiles(t, repo, map[string]string{
		"package.json": `{"name":"@posthog/wizard","version":"9.9.9","engines":{"node":">=18"}}`,
		"build.js":     `require("fs").mkdirSync("dist",{recursive:true}); require("fs").writeFileSync("dist/bin.js","console.log('0.0.0')\n");`,
	})
	gitIn(t, repo, "init", "-q", "-b", "main")
	gitIn(t, repo, "add", ".")
	gitIn(t, repo, "commit", "-q", "-m", "first")
	gitIn(t, repo, "branch", "feature/x")
	sha := strings.TrimSpace(gitIn(t, repo, "rev-parse", "HEAD"))

	b := &Builder{
		ServerURL: srv, Repository: "acme/wizard", Command: "node build.js",
		CacheDir: filepath.Join(t.TempDir(), CacheDir), Env: os.Environ(), Runner: ExecRunner{},
	}
	for _, ref := range []string{"feature/x", sha} {
		co, err := b.Fetch(context.Background(), ref)
		if err != nil {
			t.Fatalf("Fetch(%q): %v", ref, err)
		}
		if co.SHA != sha {
			t.Errorf("Fetch(%q).SHA = %s, want %s", ref, co.SHA, sha)
		}
		if err := b.Build(context.Background(), co); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(co.Argv("node")[1]); err != nil {
			t.Error(err)
		}
	}
	_, err := b.Fetch(context.Background(), "nope")
	var fe *FetchError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "couldn't find remote ref nope") || !strings.Contains(err.Error(), "full 40-character commit SHA") {
		t.Errorf("unknown ref: %v, want a FetchError with git's message and what refs work", err)
	}
	b.Repository = "acme/missing"
	_, err = b.Fetch(context.Background(), "main")
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "acme/missing") || !strings.Contains(err.Error(), "a repository this runner can reach") {
		t.Errorf("missing repository: %v, want a FetchError saying the repository cannot be reached", err)
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
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

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=wizard-ci test", "-c", "user.email=test@example.com"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}
