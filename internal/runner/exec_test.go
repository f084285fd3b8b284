package runner_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/results"
	"github.com/posthog/wizard-ci/internal/runner"
	"github.com/posthog/wizard-ci/internal/runner/runnertest"
	"github.com/posthog/wizard-ci/internal/wizard"
	"github.com/posthog/wizard-ci/internal/workbench"
)

// helperEnv makes the test binary act as a stand-in wizard (see TestMain).
const helperEnv = "WIZARD_CI_TEST_HELPER"

// TestMain lets the test binary stand in for the wizard: with
// WIZARD_CI_TEST_HELPER set it plays that part instead of running tests.
//
//	sleep         start a grandchild, print its pid and "ready", sleep
//	sleep-stubborn the same, ignoring SIGTERM
//	detached      sleep, with a grandchild in a session of its own (setsid)
//	              that ignores SIGTERM: out of reach of the process group
//	grandchild    sleep
//	grandchild-stubborn sleep, ignoring SIGTERM
//	echo          print the arguments, the key's presence and a secret, exit 3
//	simulate      the built-in wizard simulator (wizard.Simulate)
func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(helper(mode))
	}
	os.Exit(m.Run())
}

func helper(mode string) int {
	switch mode {
	case "grandchild", "grandchild-stubborn":
		if mode == "grandchild-stubborn" {
			signal.Ignore(syscall.SIGTERM)
		}
		time.Sleep(time.Hour)
		return 0
	case "sleep", "sleep-stubborn", "detached":
		if mode == "sleep-stubborn" {
			signal.Ignore(syscall.SIGTERM)
		}
		self, err := os.Executable()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		gc := exec.Command(self)
		gc.Env = append(os.Environ(), helperEnv+"=grandchild")
		if mode == "detached" {
			gc.Env = append(os.Environ(), helperEnv+"=grandchild-stubborn")
			gc.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		}
		if err := gc.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf("grandchild %d\n", gc.Process.Pid)
		fmt.Println("ready")
		time.Sleep(time.Hour)
		return 0
	case "simulate":
		return wizard.Simulate(os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	case "echo":
		fmt.Printf("args %s\n", strings.Join(os.Args[1:], " "))
		fmt.Printf("key set %v\n", os.Getenv(runner.KeyEnv) != "")
		fmt.Fprintf(os.Stderr, "leaking %s\n", os.Getenv(runner.KeyEnv))
		fmt.Fprint(os.Stderr, "Something went wrong: no newline")
		return 3
	}
	fmt.Fprintf(os.Stderr, "unknown helper mode %q\n", mode)
	return 2
}

// lineStarter is ExecStarter that also hands every stdout line to lines, so
// a test can wait for the helper to be ready.
type lineStarter struct {
	runner.ExecStarter
	lines chan string
}

func (s lineStarter) Start(ctx context.Context, spec runner.Spec) (runner.Process, error) {
	pr, pw := io.Pipe()
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	spec.Stdout = io.MultiWriter(spec.Stdout, pw)
	p, err := s.ExecStarter.Start(ctx, spec)
	if err != nil {
		pw.Close()
		return nil, err
	}
	return closer{p, pw}, nil
}

type closer struct {
	runner.Process
	w *io.PipeWriter
}

func (c closer) Wait() (int, bool, error) {
	code, sig, err := c.Process.Wait()
	c.w.Close()
	return code, sig, err
}

// helperOptions runs the test binary as the wizard in helper mode.
func helperOptions(t *testing.T, mode string, starter runner.Starter, clock runner.Clock) (runner.Options, []workbench.App) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root, apps := newWorkbench(t, "real/app")
	o := options(t, root, apps, starter, clock)
	o.Argv = func(workbench.App) []string { return []string{self} }
	o.Env = append(os.Environ(), helperEnv+"="+mode)
	return o, apps
}

// waitReady reads the helper's lines until "ready" and returns the
// grandchild's pid.
func waitReady(t *testing.T, lines <-chan string) int {
	t.Helper()
	pid := 0
	deadline := time.After(30 * time.Second) // a guard against a hung test, never reached when it passes
	for {
		select {
		case l := <-lines:
			if p, ok := strings.CutPrefix(l, "grandchild "); ok {
				pid, _ = strconv.Atoi(p)
			}
			if l == "ready" {
				if pid == 0 {
					t.Fatal("the helper did not report its grandchild")
				}
				return pid
			}
		case <-deadline:
			t.Fatal("the helper never became ready")
		}
	}
}

// gone waits until pid no longer runs (reaped, or a zombie nobody reaped
// yet). The kernel delivers SIGKILL asynchronously, so this polls briefly.
func gone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := syscall.Kill(pid, 0)
		if errors.Is(err, syscall.ESRCH) || zombie(pid) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("process %d still runs (kill: %v)", pid, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func zombie(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && (s[i+2] == 'Z' || s[i+2] == 'X')
}

// TestExecTimeout: a real wizard that outlives the app-timeout gets
// SIGTERM (then SIGKILL) on its whole process group, grandchild included.
func TestExecTimeout(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"sleep", "sleep-stubborn"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			clock := runnertest.NewManualClock(time.Time{})
			lines := make(chan string, 16)
			o, _ := helperOptions(t, mode, lineStarter{lines: lines}, clock)
			o.Timeout = 200 * time.Millisecond
			o.KillGrace = runner.DefaultKillGrace
			done := make(chan []results.App)
			go func() { done <- runner.Run(t.Context(), o) }()
			grandchild := waitReady(t, lines)
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			if err := clock.BlockUntil(ctx, 1); err != nil {
				t.Fatal(err)
			}
			clock.Advance(o.Timeout)
			if mode == "sleep-stubborn" {
				if err := clock.BlockUntil(ctx, 1); err != nil { // the kill grace
					t.Fatal(err)
				}
				clock.Advance(o.KillGrace)
			}
			got := <-done
			if got[0].Outcome != outcome.Timeout || len(got[0].Attempts) != 1 {
				t.Fatalf("got %+v, want one timeout attempt", got[0])
			}
			gone(t, grandchild)
		})
	}
}

// TestExecCancel: cancelling the run stops a real wizard and its children,
// a detached one that ignores SIGTERM included.
func TestExecCancel(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"sleep", "sleep-stubborn", "detached"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			clock := runnertest.NewManualClock(time.Time{})
			lines := make(chan string, 16)
			o, _ := helperOptions(t, mode, lineStarter{lines: lines}, clock)
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan []results.App)
			go func() { done <- runner.Run(ctx, o) }()
			grandchild := waitReady(t, lines)
			wctx, wcancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer wcancel()
			if err := clock.BlockUntil(wctx, 1); err != nil { // the app-timeout
				t.Fatal(err)
			}
			cancel()
			if mode == "sleep-stubborn" {
				if err := clock.BlockUntil(wctx, 2); err != nil { // + the cancel grace
					t.Fatal(err)
				}
				clock.Advance(runner.CancelGrace)
			}
			got := <-done
			if got[0].Outcome != outcome.Cancelled {
				t.Fatalf("got %+v, want cancelled", got[0])
			}
			gone(t, grandchild)
		})
	}
}

// TestExecOutput: a real process gets the arguments and the key, and its
// output is logged masked and classified.
func TestExecOutput(t *testing.T) {
	t.Parallel()
	o, apps := helperOptions(t, "echo", runner.ExecStarter{}, runnertest.NewInstantClock(time.Time{}))
	got := runner.Run(t.Context(), o)
	if got[0].Outcome != outcome.Crashed || got[0].Attempts[0].ExitCode != 3 {
		t.Errorf("got %+v, want crashed with exit 3", got[0])
	}
	log := readLog(t, o, apps[0])
	for _, want := range []string{"args --ci --install-dir ", " --region us\n", "key set true\n", "leaking ***\n", "Something went wrong: no newline"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, testKey) {
		t.Errorf("log holds the key:\n%s", log)
	}
}

// TestExecNotFound: a wizard command that does not exist is config and
// stops the run.
func TestExecNotFound(t *testing.T) {
	t.Parallel()
	root, apps := newWorkbench(t, "a/one", "a/two")
	o := options(t, root, apps, runner.ExecStarter{}, runnertest.NewInstantClock(time.Time{}))
	o.Argv = func(workbench.App) []string { return []string{"/nonexistent/wizard-ci-test-wizard"} }
	got := runner.Run(t.Context(), o)
	if got[0].Outcome != outcome.Config || !strings.Contains(got[0].Reason, "could not be started") {
		t.Errorf("got %+v, want config: could not be started", got[0])
	}
	if got[1].Outcome != outcome.Skipped {
		t.Errorf("got %+v, want skipped", got[1])
	}
}

// TestExecSimulator runs the built-in simulator as a real process, the way
// --wizard=simulate does: the scenario picks the outcome per app and
// attempt, the success edits the copy, and a hanging wizard honours the
// app-timeout's SIGTERM.
func TestExecSimulator(t *testing.T) {
	t.Parallel()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// misc/slow comes first, so its app-timeout is the only After pending
	// while it runs: the app-timeouts of earlier attempts would stay
	// pending on the ManualClock, since an After cannot be cancelled.
	root, apps := newWorkbench(t, "misc/slow", "basic-integration/node/one", "basic-integration/node/two", "misc/unchanged")
	clock := runnertest.NewManualClock(time.Time{})
	o := options(t, root, apps, runner.ExecStarter{}, clock)
	o.Argv = func(workbench.App) []string { return []string{self} }
	o.Env = append(os.Environ(), helperEnv+"=simulate",
		wizard.ScenarioEnv+"=basic-integration/node/one=mcp-missing+success,misc/slow=timeout,misc/unchanged=no-changes")
	o.Timeout = time.Minute
	o.Concurrency = 1
	done := make(chan []results.App)
	go func() { done <- runner.Run(t.Context(), o) }()
	// The simulator exits on the SIGTERM the app-timeout sends.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := clock.BlockUntil(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(o.Timeout)
	got := summarize(<-done)
	want := []summary{
		{App: "misc/slow", Outcome: outcome.Timeout, Attempts: []attemptSummary{{outcome.Timeout, 0}}},
		{App: "basic-integration/node/one", Outcome: outcome.Success, Attempts: []attemptSummary{{outcome.MCPMissing, 0}, {outcome.Success, 0}}},
		{App: "basic-integration/node/two", Outcome: outcome.Success, Attempts: []attemptSummary{{outcome.Success, 0}}},
		{App: "misc/unchanged", Outcome: outcome.NoChanges, Attempts: []attemptSummary{{outcome.NoChanges, 0}}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
