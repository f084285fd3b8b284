// Package cli holds wizard-ci's sub-commands: it turns flags and INPUT_*
// variables into options, runs the one code path they share, and maps the
// result to an exit code. It is the only package that touches the process
// environment, the real clock and os/exec.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/posthog/wizard-ci/internal/runner"
	"github.com/posthog/wizard-ci/internal/wizard"
)

// Exit codes (SPEC §7, §8).
const (
	ExitOK     = 0 // every app succeeded, fail-on never, or the event needed no run
	ExitFailed = 1 // some app did not succeed and fail-on is failure
	ExitConfig = 2 // usage or configuration error, a failed preflight included
)

// Deps are the only ways the sub-commands reach the outside world, so tests
// can pass fakes for every one.
type Deps struct {
	Getenv     func(string) string
	Environ    func() []string
	Stdout     io.Writer
	Stderr     io.Writer
	IsTTY      bool
	HTTPClient *http.Client
	Clock      runner.Clock
	Starter    runner.Starter
	// Exec runs the short commands that prepare the wizard (git, the
	// build, the preflight); nil is wizard.ExecRunner.
	Exec wizard.Runner
	Rand func() float64
	// Self is the path of the wizard-ci executable; the simulator runs as
	// its hidden sub-command so it takes the same exec path as a real wizard.
	Self string
	// NewID makes a run id for local runs (GITHUB_RUN_ID otherwise).
	NewID func() string
}

func (d Deps) wizardExec() wizard.Runner {
	if d.Exec != nil {
		return d.Exec
	}
	return wizard.ExecRunner{}
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// SystemDeps returns the production dependencies.
func SystemDeps() Deps {
	self, err := os.Executable()
	if err != nil {
		self = os.Args[0]
	}
	return Deps{
		Getenv:     os.Getenv,
		Environ:    os.Environ,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		IsTTY:      term.IsTerminal(int(os.Stderr.Fd())),
		HTTPClient: &http.Client{Timeout: 30 * time.Second},
		Clock:      realClock{},
		Starter:    runner.ExecStarter{},
		Exec:       wizard.ExecRunner{},
		Rand:       rand.Float64,
		Self:       self,
		NewID: func() string {
			return fmt.Sprintf("local-%s-%04x", time.Now().UTC().Format("20060102T150405"), rand.IntN(1<<16))
		},
	}
}

const usage = `wizard-ci runs the PostHog wizard on a workbench of example apps.

Usage:
  wizard-ci run <target>... [--wizard-ref REF | --wizard-command CMD | --wizard=simulate]
                            [--workbench DIR] [--concurrency N] [--out DIR]
                            [--shard i/n] [--fail-on failure|never]
                            [--region us|eu] [--app-timeout 20m] [--retries 2]
                            [--retry-delay 30s] [--provisioning-retries 2]
                            [--provisioning-retry-delay D] [--update-interval 5s]
                            [--wizard-repository OWNER/NAME] [--wizard-build-command CMD]
                            [--program CATEGORY]
  wizard-ci list [<target>...]   resolved apps, one per line
  wizard-ci hint                 the hint comment's Markdown
  wizard-ci plan <target>... --shards N [--workbench DIR]
                                 matrix JSON for a GitHub Actions matrix
  wizard-ci report <results-dir>... [--out DIR] [--fail-on failure|never]
                                 merge the legs' output folders and report
  wizard-ci action               GitHub Action mode (reads INPUT_* and GITHUB_*)

Targets: "all", a category, or any folder of the workbench down to one app;
every argument is a target. --program CATEGORY runs every selected app with
that category's wizard sub-command instead of its own (a comment's <program>).
The PostHog key is read from POSTHOG_WIZARD_API_KEY.

By default the wizard is built from source: --wizard-repository (PostHog/wizard)
at --wizard-ref (main), cloned through GITHUB_SERVER_URL (https://github.com) and
built with --wizard-build-command ("pnpm install --frozen-lockfile && pnpm build:ci"),
once per commit (kept in <out>/.wizard-cache). It needs git, pnpm and Node.js 22.22+.

Limits: --concurrency 1–64, retries 0–10, --shard i/n with n ≤ 256; durations
are Go durations (300ms, 30s, 2m).

Exit codes:
  0  every app succeeded (or --fail-on never), or nothing needed to run
  1  some app did not succeed
  2  usage or configuration error (a failed preflight included)
`

// errSilent exits non-zero without printing more: what needed saying was
// already said (the results table, a reply).
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// errHelp asks Main to print the usage and exit 0 (-h, --help).
var errHelp = errors.New("help requested")

// usageError makes Main print the usage after the message.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// configError is a configuration problem: exit 2 with the message.
type configError struct{ msg string }

func (e *configError) Error() string { return e.msg }

func configErrorf(format string, a ...any) error { return &configError{fmt.Sprintf(format, a...)} }

// Main runs one sub-command and returns its exit code.
func Main(ctx context.Context, args []string, d Deps) int {
	err := dispatch(ctx, args, d)
	var ee *exitError
	var ue *usageError
	var ce *configError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, errHelp):
		fmt.Fprint(d.Stdout, usage)
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(d.Stderr, "wizard-ci: %s\n\n%s", ue.msg, usage)
		return ExitConfig
	case errors.As(err, &ce):
		fmt.Fprintf(d.Stderr, "wizard-ci: %s\n", ce.msg)
		return ExitConfig
	default:
		fmt.Fprintf(d.Stderr, "wizard-ci: %s\n", err)
		return ExitConfig
	}
}

func dispatch(ctx context.Context, args []string, d Deps) error {
	if len(args) == 0 {
		return &usageError{"no sub-command given"}
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run":
		return runCmd(ctx, rest, d)
	case "list":
		return listCmd(rest, d)
	case "hint":
		return hintCmd(rest, d)
	case "plan":
		return planCmd(rest, d)
	case "report":
		return reportCmd(ctx, rest, d)
	case "action":
		return actionCmd(ctx, d)
	case "__simulate-wizard":
		code := wizard.Simulate(rest, d.Getenv, d.Stdout, d.Stderr)
		if code != 0 {
			return &exitError{code}
		}
		return nil
	case "version", "--version":
		fmt.Fprintln(d.Stdout, "wizard-ci", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(d.Stdout, usage)
		return nil
	default:
		return &usageError{fmt.Sprintf("unknown sub-command %s", quoted(cmd)) + suggestCmd(cmd)}
	}
}

// version is the module version and VCS revision the binary was built from.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}

func suggestCmd(cmd string) string {
	for _, c := range []string{"run", "list", "hint", "plan", "report", "action"} {
		if strings.HasPrefix(c, cmd) || strings.HasPrefix(cmd, c) {
			return fmt.Sprintf(" (did you mean %q?)", c)
		}
	}
	return ""
}
