package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/results"
)

// writeLeg writes the output folder of one leg: results.json with apps (all
// successful) and a log per app. shard is "" for a leg that ran its apps by
// name.
func writeLeg(t *testing.T, dir, shard string, selected int, apps ...string) {
	t.Helper()
	t0 := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	r := &results.Results{Run: results.Run{
		ID: "42", Targets: []string{"all"}, Shard: shard, Selected: selected,
		Wizard: results.Wizard{Source: "simulate"}, StartedAt: t0, FinishedAt: t0.Add(time.Minute),
	}}
	for _, a := range apps {
		r.Apps = append(r.Apps, results.App{App: a, Outcome: outcome.Success, Log: results.LogName(a),
			Attempts: []results.Attempt{{Outcome: outcome.Success, StartedAt: t0, DurationMS: 1000}}})
		p := filepath.Join(dir, filepath.FromSlash(results.LogName(a)))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("log of "+a+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := results.Write(dir, r, ""); err != nil {
		t.Fatal(err)
	}
}

// snapshot maps every file under dir to its content, to show that a
// refused command changed nothing.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		if e.Type()&os.ModeSymlink != 0 {
			to, err := os.Readlink(p)
			files[p] = "-> " + to
			return err
		}
		b, err := os.ReadFile(p)
		files[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestReportRefusesOutInsideLegs: report never writes where it reads. An
// output folder that is a leg, holds one, or is inside a folder given (also
// through a link) is refused with exit 2, and no leg changes.
func TestReportRefusesOutInsideLegs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args func(root string) []string
		want string
	}{
		{"out is a leg", func(r string) []string {
			return []string{filepath.Join(r, "legs", "leg-1"), filepath.Join(r, "legs", "leg-2"), "--out", filepath.Join(r, "legs", "leg-1")}
		}, `is the results folder`},
		{"out is a leg of a folder given", func(r string) []string {
			return []string{filepath.Join(r, "legs"), "--out", filepath.Join(r, "legs", "leg-1")}
		}, `is the results folder`},
		{"out is a new folder among the legs", func(r string) []string {
			return []string{filepath.Join(r, "legs"), "--out", filepath.Join(r, "legs", "merged")}
		}, `is inside the results folder`},
		{"out holds the legs", func(r string) []string {
			return []string{filepath.Join(r, "legs", "leg-1"), filepath.Join(r, "legs", "leg-2"), "--out", r}
		}, `holds the results folder`},
		{"out inside a leg", func(r string) []string {
			return []string{filepath.Join(r, "legs", "leg-1"), filepath.Join(r, "legs", "leg-2"), "--out", filepath.Join(r, "legs", "leg-2", "x")}
		}, `is inside the results folder`},
		{"out is a link to a leg", func(r string) []string {
			return []string{filepath.Join(r, "legs"), "--out", filepath.Join(r, "link")}
		}, `is the results folder`},
		{"out is inside a link to the legs", func(r string) []string {
			return []string{filepath.Join(r, "legs"), "--out", filepath.Join(r, "legs-link", "new")}
		}, `is inside the results folder`},
		{"out written through a path with ..", func(r string) []string {
			return []string{filepath.Join(r, "legs"), "--out", filepath.Join(r, "legs", "leg-1", "..", "leg-2")}
		}, `is the results folder`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			writeLeg(t, filepath.Join(root, "legs", "leg-1"), "1/2", 3, "a/one", "c/three")
			writeLeg(t, filepath.Join(root, "legs", "leg-2"), "2/2", 3, "b/two")
			if err := os.Symlink(filepath.Join(root, "legs", "leg-1"), filepath.Join(root, "link")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(root, "legs"), filepath.Join(root, "legs-link")); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, root)
			code, stdout, stderr := runMain(t, append([]string{"report"}, tc.args(root)...)...)
			if code != ExitConfig || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "--out") {
				t.Errorf("exit %d, want %d and a message with %q and the fix:\n%s%s", code, ExitConfig, tc.want, stdout, stderr)
			}
			if d := cmp.Diff(before, snapshot(t, root)); d != "" {
				t.Errorf("a refused report changed files (-before +after):\n%s", d)
			}
		})
	}
}

// TestReportRelativeOut is the tester's case: shard 1 in the default
// wizard-ci-out, shard 2 in leg2, `report wizard-ci-out leg2` with the
// default --out. It must not merge one leg into the other's folder.
func TestReportRelativeOut(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeLeg(t, filepath.Join(dir, "wizard-ci-out"), "1/2", 3, "a/one", "c/three")
	writeLeg(t, filepath.Join(dir, "leg2"), "2/2", 3, "b/two")
	before := snapshot(t, dir)
	code, stdout, stderr := cliRun(t, dir, nil, "report", "wizard-ci-out", "leg2")
	if code != ExitConfig || !strings.Contains(stderr, `the output folder "wizard-ci-out" is the results folder "wizard-ci-out"`) {
		t.Errorf("exit %d, want %d and a message naming the folder:\n%s%s", code, ExitConfig, stdout, stderr)
	}
	if d := cmp.Diff(before, snapshot(t, dir)); d != "" {
		t.Errorf("a refused report changed files (-before +after):\n%s", d)
	}
	code, _, stderr = cliRun(t, dir, nil, "report", "wizard-ci-out", "leg2", "--out", "merged")
	if code != ExitOK {
		t.Fatalf("report --out merged: exit %d\n%s", code, stderr)
	}
	r, err := results.Read(filepath.Join(dir, "merged"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Apps) != 3 {
		t.Errorf("merged %d apps, want 3", len(r.Apps))
	}
}

// TestReportMissingShards: legs of `run --shard i/n` must all be there. A
// missing one is named in the terminal, comment.md and results.json, and
// fails the report (exit 1) with every file still written; shards of
// different n, or one shard twice, are refused naming the legs.
func TestReportMissingShards(t *testing.T) {
	t.Parallel()
	type leg struct {
		name, shard string
		selected    int
		apps        []string
	}
	tests := []struct {
		name    string
		legs    []leg
		args    []string
		code    int
		missing []string
		want    string // in stdout (or stderr for refusals)
	}{
		{name: "all there", legs: []leg{{"leg-1", "1/2", 3, []string{"a/one", "c/three"}}, {"leg-2", "2/2", 3, []string{"b/two"}}}, code: ExitOK},
		{name: "one missing", legs: []leg{{"leg-1", "1/2", 3, []string{"a/one", "c/three"}}},
			code: ExitFailed, missing: []string{"2/2"}, want: "1 shard missing: 2/2"},
		{name: "one missing, fail-on never", legs: []leg{{"leg-1", "1/2", 3, []string{"a/one", "c/three"}}}, args: []string{"--fail-on", "never"},
			code: ExitOK, missing: []string{"2/2"}, want: "1 shard missing: 2/2"},
		{name: "two of three missing", legs: []leg{{"leg-2", "2/3", 3, []string{"b/two"}}},
			code: ExitFailed, missing: []string{"1/3", "3/3"}, want: "2 shards missing: 1/3, 3/3"},
		{name: "empty shards left out by plan", legs: []leg{{"leg-1", "1/4", 2, []string{"a/one"}}, {"leg-2", "2/4", 2, []string{"b/two"}}}, code: ExitOK},
		{name: "legs by name are not checked", legs: []leg{{"leg-1", "", 0, []string{"a/one"}}}, code: ExitOK},
		{name: "different n", legs: []leg{{"leg-1", "1/2", 3, []string{"a/one"}}, {"leg-2", "2/3", 3, []string{"b/two"}}},
			code: ExitConfig, want: "leg-1 (shard 1/2) and"},
		{name: "a shard twice", legs: []leg{{"leg-1", "1/2", 3, []string{"a/one"}}, {"leg-1-again", "1/2", 3, []string{"a/one"}}},
			code: ExitConfig, want: "are both shard 1/2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			for _, l := range tc.legs {
				writeLeg(t, filepath.Join(root, "legs", l.name), l.shard, l.selected, l.apps...)
			}
			out := filepath.Join(root, "out")
			code, stdout, stderr := runMain(t, append([]string{"report", filepath.Join(root, "legs"), "--out", out}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
			if tc.code == ExitConfig {
				if !strings.Contains(stderr, tc.want) {
					t.Errorf("stderr lacks %q:\n%s", tc.want, stderr)
				}
				if _, err := os.Stat(out); err == nil {
					t.Errorf("a refused report made its output folder")
				}
				return
			}
			if !strings.Contains(stdout, tc.want) {
				t.Errorf("stdout lacks %q:\n%s", tc.want, stdout)
			}
			r, err := results.Read(out)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.missing, r.Run.MissingShards); d != "" {
				t.Errorf("results.json missing_shards (-want +got):\n%s", d)
			}
			md, err := os.ReadFile(filepath.Join(out, results.CommentFile))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(string(md), "missing:**"); got != (len(tc.missing) > 0) {
				t.Errorf("comment.md says shards are missing: %v, want %v\n%s", got, len(tc.missing) > 0, md)
			}
			for _, m := range tc.missing {
				if !strings.Contains(string(md), "`"+m+"`") {
					t.Errorf("comment.md does not name %s:\n%s", m, md)
				}
			}
		})
	}
}

// TestReportRefusesUntrustedLegs: a leg's results.json is untrusted. An
// app path that is not a clean workbench path refuses the leg (naming the
// file and the app) before anything is written; a log that leads out of
// its leg through a link is not copied.
func TestReportRefusesUntrustedLegs(t *testing.T) {
	t.Parallel()
	for _, app := range []string{"../../evil", "/etc/passwd", "a//b", "a/./b", "a/b\x1b[2J"} {
		t.Run(app, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			leg := filepath.Join(root, "leg")
			if err := os.MkdirAll(leg, 0o755); err != nil {
				t.Fatal(err)
			}
			name, err := json.Marshal(app)
			if err != nil {
				t.Fatal(err)
			}
			body := `{"schema":"wizard-ci/results@1","run":{"id":"1"},"apps":[{"app":"ok/app","outcome":"success"},` +
				`{"app":` + string(name) + `,"outcome":"success"}]}`
			if err := os.WriteFile(filepath.Join(leg, results.JSONFile), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(root, "out")
			code, stdout, stderr := runMain(t, "report", leg, "--out", out)
			if code != ExitConfig || !strings.Contains(stderr, filepath.Join(leg, results.JSONFile)) || !strings.Contains(stderr, "app ") {
				t.Errorf("exit %d, want %d and a message naming the file and the app:\n%s%s", code, ExitConfig, stdout, stderr)
			}
			if strings.Contains(stdout, "evil") {
				t.Errorf("the bad app reached the table:\n%s", stdout)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a refused report made its output folder")
			}
		})
	}

	t.Run("log link out of the leg", func(t *testing.T) {
		t.Parallel()
		root := t.TempDir()
		leg := filepath.Join(root, "leg")
		writeLeg(t, leg, "", 0, "a/one", "b/two")
		secret := filepath.Join(root, "secret.txt")
		if err := os.WriteFile(secret, []byte("not for the artifact\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		log := filepath.Join(leg, filepath.FromSlash(results.LogName("a/one")))
		if err := os.Remove(log); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(secret, log); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(root, "out")
		code, stdout, stderr := runMain(t, "report", leg, "--out", out)
		if code != ExitOK {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		if !strings.Contains(stderr, "a/one") || !strings.Contains(stderr, "its log is left out") {
			t.Errorf("no warning about the log:\n%s", stderr)
		}
		if b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(results.LogName("a/one")))); err == nil {
			t.Errorf("the linked file was copied: %q", b)
		}
		r, err := results.Read(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range r.Apps {
			if want := map[string]string{"a/one": "", "b/two": results.LogName("b/two")}[a.App]; a.Log != want {
				t.Errorf("%s: log %q, want %q", a.App, a.Log, want)
			}
		}
	})
}

// TestReportWarnsAsAnnotations: inside Actions, report's warnings are
// masked ::warning:: annotations like the action's, and a log that cannot
// be copied leaves the merged files standing.
func TestReportWarnsAsAnnotations(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	leg := filepath.Join(root, "leg")
	writeLeg(t, leg, "", 0, "cat/app-a", "cat/app-b")
	if err := os.Remove(filepath.Join(leg, filepath.FromSlash(results.LogName("cat/app-b")))); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "schedule",
		"GITHUB_TOKEN": "", "GITHUB_REPOSITORY": "example-user/demo",
	}
	var out, errb bytes.Buffer
	d := Deps{
		Getenv: func(k string) string { return env[k] }, Environ: func() []string { return nil },
		Stdout: &out, Stderr: &errb, NewID: func() string { return "local-test" },
	}
	code := Main(context.Background(), []string{"report", leg, "--out", filepath.Join(root, "merged")}, d)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	for _, want := range []string{
		"::warning::cat/app-b: ",
		"::warning::the merged report was not posted: no github-token input and no GITHUB_TOKEN",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(errb.String(), "wizard-ci: warning:") {
		t.Errorf("a plain warning inside Actions:\n%s", errb.String())
	}
}
