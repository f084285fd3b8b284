package runner

import (
	"context"
	"fmt"
	"github.com/posthog/wizard-ci/internal/checks"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/results"
	"github.com/posthog/wizard-ci/internal/secrets"
)

// attempt runs the wizard once on a fresh copy of the app and classifies
// how it ended. wait is the time waited before it (retry delay and
// cooldown).
func (r *run) attempt(ctx context.Context, st *appRun, n int, wait time.Duration) (results.Attempt, outcome.Result) {
	r.update(st.i, true, func(a *results.App) { a.Running = true })
	st.excerpt.reset()
	started := r.o.Clock.Now()
	att := results.Attempt{StartedAt: started.UTC(), WaitMS: wait.Milliseconds(), ExitCode: -1}
	fmt.Fprintf(st.log, "=== attempt %d ===\n", n)

	end := func(res outcome.Result, code int) (results.Attempt, outcome.Result) {
		res.Reason = r.o.Masker.Mask(res.Reason)
		att.Outcome = res.Outcome
		att.ExitCode = code
		att.Reason = res.Reason
		att.DurationMS = max(r.o.Clock.Now().Sub(started), 0).Milliseconds()
		fmt.Fprintf(st.log, "=== attempt %d ended: %s (exit %d) ===\n", n, res.Outcome, code)
		_ = st.log.Flush()
		return att, res
	}

	prefix := r.o.Argv(st.app)
	if len(prefix) == 0 {
		return end(outcome.Result{Outcome: outcome.Config, Reason: "there is no wizard command to run"}, -1)
	}
	tmp, dir, err := copyApp(st.src, r.o.TempDir)
	if tmp != "" {
		defer os.RemoveAll(tmp)
	}
	if err != nil {
		// The wizard never ran: the app folder could not be read or
		// copied, a problem of the workbench (or the disk), not the wizard.
		return end(outcome.Result{Outcome: outcome.Precondition, Reason: "wizard-ci could not copy the app: " + err.Error()}, -1)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}

	t := newTranscript(st.log, outcome.NewClassifier(), st.excerpt)
	stdout := secrets.NewWriter(r.o.Masker, t.stream())
	stderr := secrets.NewWriter(r.o.Masker, t.stream())
	spec := Spec{
		Argv:   append(append([]string(nil), prefix...), "--ci", "--install-dir", abs, "--region", r.o.Region),
		Dir:    abs,
		Env:    r.env(st.app.Path, n),
		Stdout: stdout,
		Stderr: stderr,
	}
	p, err := r.o.Starter.Start(ctx, spec)
	if err != nil {
		_ = stdout.Close()
		_ = stderr.Close()
		t.close()
		// SPEC §5: a wizard command that cannot be started is config.
		return end(outcome.Result{Outcome: outcome.Config,
			Reason: fmt.Sprintf("the wizard command could not be started: %v", err)}, -1)
	}
	st.started()
	ex := r.wait(ctx, p)
	_ = stdout.Close() // flush a last line without a newline
	_ = stderr.Close()
	t.close()

	if ex.cancelled {
		return end(outcome.Result{Outcome: outcome.Cancelled, Reason: "the run was cancelled while the wizard ran"}, ex.code)
	}
	exit := outcome.Exit{Code: ex.code, TimedOut: ex.timedOut, Signaled: ex.signaled && !ex.timedOut}
	if ex.code == 0 && !ex.signaled && !ex.timedOut {
		changed, err := checks.AppChanged(st.src, abs)
		if err != nil {
			fmt.Fprintf(st.log, "wizard-ci: could not compare the app copy with the workbench: %v\n", err)
			changed = true // let the checks judge the copy
		}
		exit.Changed = changed
	}
	res := t.result(exit)
	if ex.err != nil && res.Reason == "" {
		res.Reason = ex.err.Error()
	}
	if res.Outcome == outcome.Timeout {
		res.Reason = fmt.Sprintf("the app-timeout of %s expired before the wizard finished", r.o.Timeout)
	}
	if res.Outcome == outcome.Success && r.o.Check != nil {
		if c := r.o.Check(ctx, st.app, abs); c != nil {
			r.update(st.i, false, func(a *results.App) { a.Checks = c })
			if len(c.Failures) > 0 || c.Passed < c.Total {
				res.Outcome = outcome.ChecksFailed
				res.Reason = checksReason(c)
			}
		}
	}
	return end(res, ex.code)
}

func checksReason(c *results.Checks) string {
	if len(c.Failures) == 0 {
		return fmt.Sprintf("%d of %d checks failed", c.Total-c.Passed, c.Total)
	}
	f := c.Failures[0]
	s := f.Check + ": " + f.Reason
	if f.File != "" {
		s = f.Check + " (" + f.File + "): " + f.Reason
	}
	if len(c.Failures) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(c.Failures)-1)
	}
	return s
}

// env is the child's environment: the base environment without the
// variables the runner sets, then the key and the app and attempt.
func (r *run) env(app string, n int) []string {
	env := make([]string, 0, len(r.o.Env)+3)
	for _, kv := range r.o.Env {
		k, _, _ := strings.Cut(kv, "=")
		if k == KeyEnv || k == AppEnv || k == AttemptEnv {
			continue
		}
		env = append(env, kv)
	}
	if r.o.APIKey != "" {
		env = append(env, KeyEnv+"="+r.o.APIKey)
	}
	return append(env, AppEnv+"="+app, AttemptEnv+"="+strconv.Itoa(n))
}

// exited is how a wizard process ended.
type exited struct {
	code      int
	signaled  bool
	timedOut  bool
	cancelled bool
	err       error
}

// wait waits for p within the time limit. On expiry, or when ctx is
// cancelled, the process group gets SIGTERM, then SIGKILL after the grace
// period (SPEC §4).
func (r *run) wait(ctx context.Context, p Process) exited {
	type waited struct {
		code     int
		signaled bool
		err      error
	}
	done := make(chan waited, 1)
	go func() {
		code, sig, err := p.Wait()
		done <- waited{code, sig, err}
	}()
	var ex exited
	timeout := r.o.Clock.After(r.o.Timeout)
	cancel := ctx.Done()
	var kill <-chan time.Time
	for {
		select {
		case w := <-done:
			ex.code, ex.signaled, ex.err = w.code, w.signaled, w.err
			return ex
		case <-timeout:
			timeout = nil
			ex.timedOut = true
			_ = p.Signal(SIGTERM)
			kill = r.o.Clock.After(r.o.KillGrace)
		case <-cancel:
			cancel = nil
			ex.cancelled = true
			_ = p.Signal(SIGTERM)
			// A shorter grace replaces a pending timeout grace: the
			// run has to end within seconds now.
			kill = r.o.Clock.After(CancelGrace)
		case <-kill:
			kill = nil
			_ = p.Signal(SIGKILL)
		}
	}
}
