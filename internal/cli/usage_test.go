package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posthog/wizard-ci/internal/workbench"
)

// TestHelpExitsZero: -h and --help print the usage and exit 0 (a help
// request is not a usage error): the global usage names every sub-command,
// and each sub-command has its own, `action` and `version` included; run's
// names every flag it takes.
func TestHelpExitsZero(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, stdout, _ := runMain(t, args...)
		if code != ExitOK || stdout != usage {
			t.Errorf("%v: exit %d, %.80q; want the global usage", args, code, stdout)
		}
	}
	for sub, help := range subUsage {
		if !strings.HasPrefix(help, "Usage: wizard-ci "+sub) || !strings.Contains(usage, "  wizard-ci "+sub) {
			t.Errorf("%s: its help starts %.40q, or the global usage does not name it", sub, help)
		}
		for _, args := range [][]string{{sub, "--help"}, {sub, "-h"}, {"help", sub}} {
			code, stdout, stderr := runMain(t, args...)
			if code != ExitOK || stdout != help {
				t.Errorf("%v: exit %d, %.80q %q; want the help of %s", args, code, stdout, stderr, sub)
			}
		}
	}
	for _, name := range runFlags {
		if !strings.Contains(subUsage["run"], "--"+name) {
			t.Errorf("run --help does not name --%s", name)
		}
	}
	code, _, stderr := runMain(t, "run", "--concurency", "2", "all")
	if code != ExitConfig || !strings.Contains(stderr, "--concurency") || !strings.Contains(stderr, subUsage["run"]) {
		t.Errorf("unknown flag: exit %d, %q", code, stderr)
	}
}

// TestNoArgsSubcommands: sub-commands that take no arguments refuse them.
func TestNoArgsSubcommands(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"version", "extra"}, {"--version", "x"}, {"action", "extra"}, {"hint", "x"}, {"help", "run", "x"}, {"help", "nope"}} {
		code, stdout, stderr := runMain(t, args...)
		if code != ExitConfig || stdout != "" || !strings.Contains(stderr, "wizard-ci: ") {
			t.Errorf("%v: exit %d, stdout %.80q, stderr %.80q; want exit 2", args, code, stdout, stderr)
		}
	}
}

// TestREADMEListsEverySubcommand: README's command-line synopsis writes each
// sub-command as its help does (list [<target>...], version).
func TestREADMEListsEverySubcommand(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for sub, help := range subUsage {
		line, _, _ := strings.Cut(strings.TrimPrefix(help, "Usage: "), "\n")
		synopsis, _, _ := strings.Cut(line, " [--")
		synopsis, _, _ = strings.Cut(synopsis, " [flags]")
		if !strings.Contains(string(readme), "\n"+synopsis) {
			t.Errorf("README.md does not write %q (from %s --help)", synopsis, sub)
		}
	}
}

// TestBadSimulatorScenario: a mistyped WIZARD_CI_SIMULATE is one
// configuration error before any app, not one failure per app.
func TestBadSimulatorScenario(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	outDir := t.TempDir()
	d := SystemDeps()
	d.Getenv = func(k string) string {
		if k == "WIZARD_CI_SIMULATE" {
			return "garbage"
		}
		return ""
	}
	d.Stdout, d.Stderr = &out, &errb
	code := Main(context.Background(), []string{"run", "misc", "--wizard=simulate",
		"--workbench", filepath.Join(repoRoot, "workbench"), "--out", outDir}, d)
	if code != ExitConfig || !strings.Contains(out.String()+errb.String(), `"garbage" is not an outcome`) {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
	if entries, _ := os.ReadDir(filepath.Join(outDir, "logs")); len(entries) != 0 {
		t.Errorf("%d logs written; no wizard should have started", len(entries))
	}
}

// TestHintSkipsEmptyCategories: a CI category without apps is never
// advertised.
func TestHintSkipsEmptyCategories(t *testing.T) {
	t.Parallel()
	wb := &workbench.Workbench{
		Categories: []workbench.Category{{Name: "full", Label: "Full", CI: true}, {Name: "empty", Label: "Empty", CI: true}},
		Apps:       []workbench.App{{Path: "full/app", Category: "full"}},
	}
	cats := hintCategories(wb)
	if len(cats) != 1 || cats[0].Name != "full" {
		t.Errorf("hint categories = %+v, want only full", cats)
	}
}

// TestVersion prints a version line.
func TestVersion(t *testing.T) {
	t.Parallel()
	code, stdout, _ := runMain(t, "--version")
	if code != ExitOK || !strings.HasPrefix(stdout, "wizard-ci ") {
		t.Errorf("exit %d, %q", code, stdout)
	}
}

// TestCLITargetsUseTheGrammar: positional targets get the comment grammar's
// token checks, so a look-alike letter is named instead of "did you mean"
// the identical-looking target, but the messages speak the command line:
// no comment syntax (`/wizard-ci`, code spans, wizard:<ref>), and a huge
// argument is echoed clipped.
func TestCLITargetsUseTheGrammar(t *testing.T) {
	t.Parallel()
	wb := filepath.Join(repoRoot, "workbench")
	long := strings.Repeat("a", 100000)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"list", "b\u0430sic-integration"}, "which no target has"},
		{[]string{"list", "wizard:main"}, "--wizard-ref"},
		{[]string{"list", "basic integration"}, "without spaces"},
		{[]string{"list", "../etc"}, `has a ".." path segment; usage: wizard-ci list <target>...`},
		{[]string{"list", ""}, `usage: wizard-ci list <target>...; "wizard-ci list all" lists every app`},
		{[]string{"plan", "a:b", "--shards", "2"}, `"a:b": contains ":", which no target has; usage: wizard-ci plan <target>...`},
		{[]string{"list", "--", "-x"}, `flags go before "--"`},
		{[]string{"list", "/wizard-ci"}, "comment"},
		{[]string{"list", "help"}, `"help" is not a target in the workbench`},
		{[]string{"list", long}, `"` + strings.Repeat("a", 60) + `…": is 100000 characters long`},
		{[]string{"list", "--" + long}, "unknown option --" + strings.Repeat("a", 50)},
		{[]string{"run", "all", "--wizard-ref", "a..b"}, `--wizard-ref: "a..b" is not a valid wizard ref: it contains ".."`},
		{[]string{"run", "all", "--wizard-ref", long}, "for example --wizard-ref main"},
		{[]string{"run", "all", "--concurrency", long}, `"` + strings.Repeat("a", 60) + `…" is not a whole number`},
	} {
		code, _, stderr := runMain(t, append(tc.args, "--workbench", wb)...)
		if code != ExitConfig || !strings.Contains(stderr, tc.want) {
			t.Errorf("%.40q: exit %d, %.400q; want exit 2 naming %q", tc.args, code, stderr, tc.want)
		}
		first, _, _ := strings.Cut(stderr, "\n\n") // the usage may follow
		if strings.ContainsAny(first, "`") || strings.Contains(first, "/wizard-ci help") || strings.Contains(first, "wizard:<ref>") || len(first) > 600 {
			t.Errorf("%.40q: the message is not worded for the command line: %.800q", tc.args, first)
		}
	}
}

// TestRunChecksTheKeyLast: without a PostHog key, bad targets, a bad
// workbench and bad flags are reported first, and the suggested simulator
// command is rebuilt from the validated arguments, so it works as given.
func TestRunChecksTheKeyLast(t *testing.T) {
	t.Parallel()
	wb := filepath.Join(repoRoot, "workbench")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown target", []string{"run", "revenu", "--workbench", wb}, `"revenu" is not a target`},
		{"flag-like target", []string{"run", "--workbench", wb, "--", "--x"}, `"--x"`},
		{"no workbench", []string{"run", "all", "--workbench", filepath.Join(t.TempDir(), "nowhere")}, "is not a folder"},
		{"unknown program", []string{"run", "misc", "--program", "revenu", "--workbench", wb}, "--program"},
		{"valid", []string{"run", "revenue", "misc/", "--program", "misc", "--workbench", wb, "--out", t.TempDir()},
			"To try the flow without a key: wizard-ci run --wizard=simulate revenue misc --program misc --workbench " + wb + "\n"},
	} {
		code, _, stderr := runMain(t, tc.args...)
		if code != ExitConfig || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, %q; want exit 2 naming %q", tc.name, code, stderr, tc.want)
		}
		if tc.name != "valid" && strings.Contains(stderr, "POSTHOG_WIZARD_API_KEY") {
			t.Errorf("%s: the key was checked before the arguments: %q", tc.name, stderr)
		}
	}
}

// TestDurationSettings: each duration says what it accepts, in the words
// of the flag or the input, and accepts exactly that.
func TestDurationSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, value, want string // want "" means accepted
	}{
		{"app-timeout", "-5s", `--app-timeout: "-5s" is too short; use a duration of more than 0, such as 20m`},
		{"app-timeout", "0", `--app-timeout: "0" is too short; use a duration of more than 0, such as 20m`},
		{"app-timeout", "twenty", `--app-timeout: "twenty" is not a duration; use a duration of more than 0`},
		{"app-timeout", "1ns", ""},
		{"retry-delay", "-1s", `--retry-delay: "-1s" is too short; use a duration of 0 or more, such as 30s`},
		{"retry-delay", "0", ""},
		{"provisioning-retry-delay", "-1m", "use a duration of 0 or more, such as 2m"},
		{"provisioning-retry-delay", "0s", ""},
		{"update-interval", "-5s", "use a duration of 0 or more, such as 5s"},
		{"update-interval", "0", ""},
		{"shard", "0/2", `--shard: "0/2" is not i/n`},
	} {
		get := func(name string) string {
			if name == tc.name {
				return tc.value
			}
			return ""
		}
		err := (&RunOptions{}).settings(get, flagName)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s %q: %v; want %q", tc.name, tc.value, err, tc.want)
		}
	}
}

// TestFlagMistakes: a mistyped sub-command or option gets a "did you mean",
// a flag without its value and a flag given twice say so in the command
// line's words (--name, never the flag package's -name), exit 2.
func TestFlagMistakes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"rnu", "all"}, `unknown sub-command "rnu" (did you mean "run"?)`},
		{[]string{"lsit"}, `unknown sub-command "lsit" (did you mean "list"?)`},
		{[]string{"hnit"}, `(did you mean "hint"?)`},
		{[]string{"deploy"}, `unknown sub-command "deploy"`},
		{[]string{"list", "--workbnech", "x"}, "unknown option --workbnech (did you mean --workbench?)"},
		{[]string{"run", "all", "--concurency", "2"}, "unknown option --concurency (did you mean --concurrency?)"},
		{[]string{"run", "all", "--zzz"}, "unknown option --zzz"},
		{[]string{"list", "--workbench"}, "--workbench needs a value: --workbench VALUE or --workbench=VALUE"},
		{[]string{"run", "all", "--program", "revenue", "--program", "misc"}, "--program is given twice; give it once"},
		{[]string{"plan", "all", "--shards=3", "--shards=4"}, "--shards is given twice; give it once"},
		{[]string{"report", "x", "--out", "a", "--out=b"}, "--out is given twice; give it once"},
		{[]string{"run", "all", "--wizard=simulate", "--out", ""}, "--out is given an empty value; give a value, or leave --out out for its default"},
		{[]string{"list", "all", "--workbench= "}, "--workbench is given an empty value"},
	} {
		code, _, stderr := runMain(t, tc.args...)
		first, _, _ := strings.Cut(stderr, "\n")
		if code != ExitConfig || !strings.Contains(first, tc.want) {
			t.Errorf("%q: exit %d, %q; want exit 2 and %q", tc.args, code, first, tc.want)
		}
		if strings.Contains(first, " -") && !strings.Contains(first, " --") {
			t.Errorf("%q: names a flag the flag package's way: %q", tc.args, first)
		}
		if strings.Contains(tc.want, "did you mean") != strings.Contains(first, "did you mean") {
			t.Errorf("%q: %q", tc.args, first)
		}
	}
}
