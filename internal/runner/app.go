package runner

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/avast/retry-go/v4"

	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/results"
	"github.com/posthog/wizard-ci/internal/workbench"
)

// AttemptError is a failed attempt as retry-go sees it. It carries the
// classified result, so the retry rule reads the outcome and RetryAfter
// with errors.As and never re-parses the wizard's text.
type AttemptError struct {
	Result  outcome.Result
	Attempt int // 1-based
	// Jitter is the random number drawn once for this attempt, so the
	// cooldown shared with other apps and this app's own wait agree.
	Jitter float64
}

func (e *AttemptError) Error() string {
	return fmt.Sprintf("attempt %d: %s: %s", e.Attempt, e.Result.Outcome, e.Result.Reason)
}

// Is matches the retry budget of the attempt's outcome, which is how
// retry.AttemptsForError counts attempts per outcome.
func (e *AttemptError) Is(target error) bool {
	b, ok := budgets[e.Result.Outcome]
	return ok && target == b
}

// budgets group the retried outcomes by the budget they spend (SPEC §5):
// provisioning has its own; rate-limited and overloaded share `retries`
// ("yes, like rate-limited"); mcp-missing and resource-missing are retried
// once each.
var (
	budgetProvisioning = errors.New("provisioning retry budget")
	budgetTransient    = errors.New("rate-limited/overloaded retry budget")
	budgetMCP          = errors.New("mcp-missing retry budget")
	budgetResource     = errors.New("resource-missing retry budget")

	budgets = map[outcome.Outcome]error{
		outcome.Provisioning:    budgetProvisioning,
		outcome.RateLimited:     budgetTransient,
		outcome.Overloaded:      budgetTransient,
		outcome.MCPMissing:      budgetMCP,
		outcome.ResourceMissing: budgetResource,
	}
	budgetOutcome = map[error]outcome.Outcome{
		budgetProvisioning: outcome.Provisioning,
		budgetTransient:    outcome.RateLimited,
		budgetMCP:          outcome.MCPMissing,
		budgetResource:     outcome.ResourceMissing,
	}
)

// errNotStarted ends the retry loop when the run stopped or was cancelled
// before the next wizard could start.
var errNotStarted = errors.New("no wizard started")

// appRun is the state of one app across its attempts. Only the app's own
// goroutine touches it.
type appRun struct {
	i       int
	app     workbench.App
	src     string
	log     *bufio.Writer
	logFile *os.File
	excerpt *ring
	wait    time.Duration // the wait before the next attempt so far
	last    outcome.Result
	tried   int
	spent   map[error]int // attempts per retry budget
	started func()        // called when the first wizard has started, or the first attempt ended
}

// retryOptions builds the retry-go options for one app: attempts are
// counted per budget with AttemptsForError (each budget allows
// Policy.MaxAttempts of its outcome in all), waits come from Policy.Delay
// for the classified result, and the injected Clock does the waiting.
func (r *run) retryOptions(st *appRun) []retry.Option {
	p := r.o.Policy
	total := uint(0)
	opts := []retry.Option{
		retry.Context(r.stopCtx),
		retry.WithTimer(r.o.Clock),
		retry.LastErrorOnly(true),
		retry.RetryIf(func(err error) bool {
			var ae *AttemptError
			if !errors.As(err, &ae) || r.stopCtx.Err() != nil {
				return false
			}
			return p.MaxAttempts(ae.Result.Outcome) > 1
		}),
		retry.DelayType(func(n uint, err error, _ *retry.Config) time.Duration {
			var ae *AttemptError
			if !errors.As(err, &ae) {
				return 0
			}
			// retry-go passes n = the number of attempts made so far,
			// which is Policy.Delay's "attempt n just ended".
			d := p.Delay(ae.Result, int(n), ae.Jitter)
			st.wait += d
			return d
		}),
	}
	for b, o := range budgetOutcome {
		m := p.MaxAttempts(o)
		total += uint(m)
		opts = append(opts, retry.AttemptsForError(uint(max(m, 1)), b))
	}
	return append(opts, retry.Attempts(max(total, 1)))
}

// app runs every attempt of app i and records its end. It calls started
// once the app's first wizard has been started (or failed to start).
func (r *run) app(ctx context.Context, i int, started func()) {
	defer started()
	st := &appRun{i: i, app: r.o.Apps[i], excerpt: newRing(r.o.ExcerptLines), spent: map[error]int{}, started: started}
	logName := ""
	if r.o.OutDir != "" {
		p := filepath.Join(r.o.OutDir, filepath.FromSlash(results.LogName(st.app.Path)))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
			if f, err := os.OpenFile(p, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644); err == nil {
				st.logFile = f
				logName = results.LogName(st.app.Path)
			}
		}
	}
	var w io.Writer = io.Discard
	if st.logFile != nil {
		w = st.logFile
		defer st.logFile.Close()
	}
	st.log = bufio.NewWriterSize(w, 32<<10)
	defer st.log.Flush()
	r.update(i, false, func(a *results.App) { a.Log = logName })

	src, err := r.appDir(st.app)
	st.src = src
	if err != nil {
		r.record(st, results.Attempt{Outcome: outcome.Precondition, ExitCode: -1, StartedAt: r.o.Clock.Now().UTC()},
			outcome.Result{Outcome: outcome.Precondition, Reason: err.Error()})
		r.finish(ctx, st)
		return
	}

	_ = retry.Do(func() error { return r.try(ctx, st) }, r.retryOptions(st)...)
	r.finish(ctx, st)
}

// try is one turn of the retry loop: wait for the cooldown, run one
// attempt, and say whether it failed in a way the retry rule may retry.
func (r *run) try(ctx context.Context, st *appRun) error {
	// Wait on the shared cooldown before every start, so a provider outage
	// costs one wait, not one per app (SPEC §5).
	waited, err := r.cool.wait(r.stopCtx, r.o.Clock)
	st.wait += waited
	if err != nil || ctx.Err() != nil {
		return retry.Unrecoverable(errNotStarted)
	}
	n := st.tried + 1
	att, res := r.attempt(ctx, st, n, st.wait)
	st.wait = 0
	r.record(st, att, res)

	jitter := r.jitter()
	if res.Outcome.Cooldown() {
		r.cool.extend(r.o.Clock.Now().Add(r.o.Policy.Delay(res, n, jitter)))
	}
	if res.Outcome.StopsRun() {
		r.stopRun(st.app.Path, res.Outcome)
	}
	// Only now may the next app be dispatched when this attempt never
	// started a wizard: a wizard command that cannot start stops the run
	// before a second app tries it.
	st.started()
	switch res.Outcome {
	case outcome.Success, outcome.NoChanges, outcome.ChecksFailed:
		return nil
	}
	return &AttemptError{Result: res, Attempt: n, Jitter: jitter}
}

// record adds a finished attempt to the app and tells the observer.
func (r *run) record(st *appRun, att results.Attempt, res outcome.Result) {
	st.tried++
	st.last = res
	if b, ok := budgets[res.Outcome]; ok {
		st.spent[b]++
	}
	r.update(st.i, true, func(a *results.App) {
		a.Attempts = append(a.Attempts, att)
		a.Running = true
	})
}

// finish sets the app's final outcome from its last attempt, or cancelled
// or skipped when it did not get to run to its end.
func (r *run) finish(ctx context.Context, st *appRun) {
	r.mu.Lock()
	stopWhy := r.stopWhy
	r.mu.Unlock()
	o, reason := st.last.Outcome, r.o.Masker.Mask(st.last.Reason)
	switch {
	case st.tried == 0 && ctx.Err() != nil:
		o, reason = outcome.Cancelled, "the run was cancelled before this app started"
	case st.tried == 0:
		o, reason = outcome.Skipped, stopWhy
	case ctx.Err() != nil && r.wanted(st):
		// The run was cancelled while this app waited for its next
		// attempt: it did not finish.
		o = outcome.Cancelled
		reason = fmt.Sprintf("the run was cancelled while waiting to retry after %s", st.last.Outcome)
	}
	var excerpt []string
	if o != outcome.Success && o != outcome.Skipped {
		excerpt = st.excerpt.lines()
	}
	r.update(st.i, true, func(a *results.App) {
		a.Running = false
		a.Outcome = o
		a.Reason = reason
		a.Excerpt = excerpt
	})
}

// wanted reports whether the retry rule would have started another
// attempt after the last one.
func (r *run) wanted(st *appRun) bool {
	o := st.last.Outcome
	b, ok := budgets[o]
	return ok && st.spent[b] < r.o.Policy.MaxAttempts(o)
}
