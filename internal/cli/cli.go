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

	"github.com/posthog/wizard-ci/internal/ghaction"
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

// warnf reports, on the command line, a problem that does not stop the
// command. (The action writes warning annotations instead: actionCtx.warnf.)
func (d Deps) warnf(format string, args ...any) {
	fmt.Fprintf(d.Stderr, "wizard-ci: warning: "+format+"\n", args...)
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

// errSilent exits non-zero without printing more: what needed saying was
// already said (the results table, a reply).
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// helpError asks Main to print the help of sub-command cmd (the global
// usage when cmd is "") and exit 0 (-h, --help).
type helpError struct{ cmd string }

func (e *helpError) Error() string { return "help requested" }

// usageError makes Main print the usage of sub-command cmd (the global
// usage when cmd is "") after the message.
type usageError struct{ msg, cmd string }

func (e *usageError) Error() string { return e.msg }

// helpFor is the help of sub-command cmd, or the global usage.
func helpFor(cmd string) string {
	if h, ok := subUsage[cmd]; ok {
		return h
	}
	return usage
}

// configError is a configuration problem: exit 2 with the message.
type configError struct{ msg string }

func (e *configError) Error() string { return e.msg }

func configErrorf(format string, a ...any) error { return &configError{fmt.Sprintf(format, a...)} }

// Main runs one sub-command and returns its exit code.
func Main(ctx context.Context, args []string, d Deps) int {
	// In a workflow step the runner reads workflow commands in stderr too;
	// wizard-ci writes its own to stdout only, so nothing on stderr (a
	// wizard's message, a comment's token, a build log) may be one. The
	// simulator is a wizard: its output goes to a log file, untouched.
	if len(args) > 0 && args[0] != "__simulate-wizard" && (args[0] == "action" || d.Getenv != nil && d.Getenv("GITHUB_ACTIONS") == "true") {
		d.Stderr = ghaction.NewInertWriter(d.Stderr)
	}
	err := dispatch(ctx, args, d)
	var ee *exitError
	var ue *usageError
	var he *helpError
	var ce *configError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &he):
		fmt.Fprint(d.Stdout, helpFor(he.cmd))
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(d.Stderr, "wizard-ci: %s\n\n%s", ue.msg, helpFor(ue.cmd))
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
		return &usageError{msg: "no sub-command given"}
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
		if err := noArgs("action", rest); err != nil {
			return err
		}
		return actionCmd(ctx, d)
	case "__simulate-wizard":
		code := wizard.Simulate(rest, d.Getenv, d.Stdout, d.Stderr)
		if code != 0 {
			return &exitError{code}
		}
		return nil
	case "version", "--version":
		if err := noArgs("version", rest); err != nil {
			return err
		}
		fmt.Fprintln(d.Stdout, "wizard-ci", version())
		return nil
	case "help", "-h", "--help":
		switch {
		case len(rest) == 0:
			return &helpError{}
		case len(rest) > 1:
			return &usageError{msg: fmt.Sprintf("help takes one sub-command, but was given %s", quoted(strings.Join(rest, " ")))}
		case subUsage[rest[0]] != "":
			return &helpError{rest[0]}
		}
		return &usageError{msg: fmt.Sprintf("help: %s is not a sub-command", quoted(rest[0])) + suggestCmd(rest[0])}
	default:
		return &usageError{msg: fmt.Sprintf("unknown sub-command %s", quoted(cmd)) + suggestCmd(cmd)}
	}
}

// noArgs refuses arguments to a sub-command that takes none, besides a
// help request.
func noArgs(cmd string, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		return &helpError{cmd}
	}
	return &usageError{msg: fmt.Sprintf("%s takes no arguments, but was given %s", cmd, quoted(strings.Join(args, " "))), cmd: cmd}
}

// version is the module version and VCS revision the binary was built from.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v, commit, dirty := bi.Main.Version, "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value[:min(12, len(s.Value))]
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	switch {
	case commit == "":
		// A build without VCS stamping (outside a git checkout, or with
		// -buildvcs=false) has nothing to tell.
		commit = "commit unknown"
	case dirty:
		commit += " (modified)"
	}
	return v + " " + commit
}

// suggestCmd is a "did you mean" for a mistyped sub-command, or "".
func suggestCmd(cmd string) string {
	if c := closest(cmd, []string{"run", "list", "hint", "plan", "report", "action", "version"}); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}
