package runner

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/results"
	"github.com/posthog/wizard-ci/internal/secrets"
	"github.com/posthog/wizard-ci/internal/wizard"
	"github.com/posthog/wizard-ci/internal/workbench"
)

// Defaults for the zero values of Options.
const (
	DefaultConcurrency  = 4
	DefaultTimeout      = 20 * time.Minute // SPEC §4 app-timeout
	DefaultKillGrace    = 10 * time.Second // SPEC §4: SIGKILL 10 s after SIGTERM
	DefaultExcerptLines = 30
	DefaultRegion       = "us"

	// CancelGrace is how long a wizard may take to exit after SIGTERM when
	// the run is cancelled (SPEC §4: GitHub kills us about 10 s after its
	// first signal, and the final comment still has to go out).
	CancelGrace = 3 * time.Second
)

// Options configure Run. Zero values take the defaults above.
type Options struct {
	Root string          // workbench folder on disk
	Apps []workbench.App // run in this order
	// Argv is the full argv prefix for app: the wizard command and the
	// category's sub-command words. The runner appends
	// --ci --install-dir <copy> --region <region>.
	Argv   func(app workbench.App) []string
	Region string
	APIKey string   // passed as POSTHOG_WIZARD_API_KEY, never on the command line
	Env    []string // base environment of the child

	Concurrency int
	Timeout     time.Duration // per attempt
	KillGrace   time.Duration // SIGTERM → SIGKILL on timeout
	Policy      outcome.Policy

	OutDir  string // logs go to OutDir/results.LogName(app); "" writes none
	TempDir string // app copies go here; "" is the system's temporary folder
	Masker  *secrets.Masker

	Starter Starter
	Clock   Clock
	Rand    func() float64 // jitter in [0,1)

	// Observe is called with a snapshot of an app whenever it starts
	// running, finishes an attempt, or ends. Calls are serialised. A
	// snapshot has an empty Outcome (and Running true) until the app ends;
	// the call with the final Outcome comes exactly once per app.
	Observe func(results.App)

	// Check, when set, runs the deterministic checks on the app copy after
	// an attempt the wizard finished with success (exit 0, app changed). A
	// result with a failure turns the attempt into checks-failed.
	Check func(ctx context.Context, app workbench.App, dir string) *results.Checks

	ExcerptLines int // log lines kept for a failed app's excerpt
}

// Environment variables the runner sets for every wizard it starts (the
// simulator reads them; package wizard names them).
const (
	KeyEnv     = wizard.KeyEnv
	AppEnv     = wizard.AppEnv
	AttemptEnv = wizard.AttemptEnv
)

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// After waits for d on the real clock.
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// run is one call of Run.
type run struct {
	o      Options
	cool   cooldown
	randMu sync.Mutex

	// stopCtx ends when ctx is cancelled or an auth/config outcome stops
	// the run; no wizard starts after it is done.
	stopCtx context.Context
	stop    context.CancelCauseFunc

	mu        sync.Mutex // guards apps and stopWhy
	apps      []results.App
	stopWhy   string
	observeMu sync.Mutex
}

// errStopped is the cause of stopCtx when an outcome stopped the run.
var errStopped = errors.New("the run was stopped")

// Run runs the wizard on every app of o.Apps and returns one results.App per
// app, in the same order. It returns when every started wizard has ended.
// When ctx is cancelled it starts no new wizard, stops the running ones
// (SIGTERM to the process group, SIGKILL after CancelGrace) and marks every
// unfinished app cancelled.
func Run(ctx context.Context, o Options) []results.App {
	r := &run{o: withDefaults(o)}
	r.stopCtx, r.stop = context.WithCancelCause(ctx)
	defer r.stop(nil)
	if r.o.APIKey != "" {
		r.o.Masker.Add(r.o.APIKey)
	}
	r.apps = make([]results.App, len(o.Apps))
	for i, a := range o.Apps {
		r.apps[i] = results.App{App: a.Path, Category: a.Category, Attempts: []results.Attempt{}}
	}

	sem := make(chan struct{}, r.o.Concurrency)
	var wg sync.WaitGroup
	for i := range o.Apps {
		// Apps start in order; each holds its slot until it ends, waits
		// between attempts included.
		acquired := false
		select {
		case sem <- struct{}{}:
			acquired = true
		case <-r.stopCtx.Done():
		}
		if r.stopCtx.Err() != nil {
			if acquired {
				<-sem
			}
			for j := i; j < len(o.Apps); j++ {
				r.notStarted(ctx, j)
			}
			break
		}
		wg.Add(1)
		started := make(chan struct{})
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			r.app(ctx, i, sync.OnceFunc(func() { close(started) }))
		}()
		// Apps start in order: the next is dispatched once this one has
		// started its wizard, or ended without starting one.
		<-started
	}
	wg.Wait()

	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]results.App, len(r.apps))
	for i := range r.apps {
		out[i] = clone(r.apps[i])
	}
	return out
}

func withDefaults(o Options) Options {
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.KillGrace <= 0 {
		o.KillGrace = DefaultKillGrace
	}
	if o.ExcerptLines <= 0 {
		o.ExcerptLines = DefaultExcerptLines
	}
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if o.Masker == nil {
		o.Masker = secrets.NewMasker()
	}
	if o.Starter == nil {
		o.Starter = ExecStarter{}
	}
	if o.Clock == nil {
		o.Clock = SystemClock{}
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.Argv == nil {
		o.Argv = func(workbench.App) []string { return nil }
	}
	if o.TempDir == "" {
		o.TempDir = os.TempDir()
	}
	return o
}

// jitter draws one number from o.Rand, which need not be safe for
// concurrent use.
func (r *run) jitter() float64 {
	r.randMu.Lock()
	defer r.randMu.Unlock()
	return r.o.Rand()
}

// stopRun stops the run after app ended in o (SPEC §5: auth and config
// would fail every remaining app the same way). Running wizards finish.
func (r *run) stopRun(app string, o outcome.Outcome) {
	r.mu.Lock()
	if r.stopWhy == "" {
		r.stopWhy = fmt.Sprintf("skipped after %s: %s", app, o)
	}
	r.mu.Unlock()
	r.stop(errStopped)
}

// notStarted ends app i, which never started: cancelled when ctx was
// cancelled, else skipped because an outcome stopped the run.
func (r *run) notStarted(ctx context.Context, i int) {
	r.update(i, true, func(a *results.App) {
		if ctx.Err() != nil {
			a.Outcome = outcome.Cancelled
			a.Reason = "the run was cancelled before this app started"
			return
		}
		a.Outcome = outcome.Skipped
		a.Reason = r.stopWhy
	})
}

// update changes app i under the lock and, if notify, hands a snapshot to
// Observe. Observe calls are serialised by their own lock, so a slow
// observer never holds up the bookkeeping of other apps.
func (r *run) update(i int, notify bool, f func(a *results.App)) {
	r.mu.Lock()
	f(&r.apps[i])
	snap := clone(r.apps[i])
	r.mu.Unlock()
	if notify && r.o.Observe != nil {
		r.observeMu.Lock()
		defer r.observeMu.Unlock()
		r.o.Observe(snap)
	}
}

func clone(a results.App) results.App {
	a.Attempts = slices.Clone(a.Attempts)
	if a.Attempts == nil {
		a.Attempts = []results.Attempt{}
	}
	a.Excerpt = slices.Clone(a.Excerpt)
	if a.Checks != nil {
		c := *a.Checks
		c.Failures = slices.Clone(c.Failures)
		a.Checks = &c
	}
	return a
}

// appDir is app's folder in the workbench.
func (r *run) appDir(app workbench.App) (string, error) {
	if !filepath.IsLocal(filepath.FromSlash(app.Path)) {
		return "", fmt.Errorf("app path %q is not inside the workbench", app.Path)
	}
	return filepath.Join(r.o.Root, filepath.FromSlash(app.Path)), nil
}
