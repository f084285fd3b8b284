package runnertest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/posthog/wizard-ci/internal/runner"
)

// Script is what the fake wizard does in one attempt: write its output,
// optionally edit the app copy, and exit with Code — or hang until it is
// signalled.
type Script struct {
	Stdout, Stderr string
	// Write, when set, writes more output to stdout after Stdout (to make
	// a lot of output without holding it in memory).
	Write func(stdout io.Writer) error
	Code  int
	// Edit changes the app copy (the process's working folder), the way a
	// wizard that succeeded would.
	Edit func(dir string) error
	// Takes is how long the attempt runs on Starter.Clock before it exits.
	Takes time.Duration
	// Hang keeps the process running until a signal ends it; IgnoreTerm
	// makes it survive SIGTERM, so only SIGKILL ends it.
	Hang       bool
	IgnoreTerm bool
	// StartErr makes Start fail, like a wizard command that does not exist.
	StartErr error
}

// Starter is a runner.Starter that replays Scripts. The app and attempt
// come from the environment the runner sets (WIZARD_CI_APP,
// WIZARD_CI_ATTEMPT): attempt n of an app plays Scripts[app][n-1], the last
// one repeating; apps without scripts play Default.
type Starter struct {
	Scripts map[string][]Script
	Default Script
	Clock   runner.Clock // for Script.Takes
	// Gate, when set, makes every process take one value from it before it
	// exits, so a test decides when each wizard ends.
	Gate chan struct{}

	mu         sync.Mutex
	specs      []runner.Spec
	running    int
	maxRunning int
	changed    chan struct{}
}

var _ runner.Starter = (*Starter)(nil)

// Specs returns every Spec started so far, in start order.
func (s *Starter) Specs() []runner.Spec {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]runner.Spec(nil), s.specs...)
}

// Running is the number of fake wizards running now.
func (s *Starter) Running() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running
}

// MaxRunning is the most fake wizards that ran at the same time.
func (s *Starter) MaxRunning() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxRunning
}

// WaitRunning waits until exactly n fake wizards are running, or ctx ends.
func (s *Starter) WaitRunning(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		if s.running == n {
			s.mu.Unlock()
			return nil
		}
		ch := s.changedLocked()
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d running wizards (%d running): %w", n, s.Running(), ctx.Err())
		}
	}
}

func (s *Starter) changedLocked() chan struct{} {
	if s.changed == nil {
		s.changed = make(chan struct{})
	}
	return s.changed
}

func (s *Starter) notifyLocked() {
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
}

// SpecApp returns the app and attempt the runner set in spec's environment.
func SpecApp(spec runner.Spec) (app string, attempt int) {
	for _, kv := range spec.Env {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case runner.AppEnv:
			app = v
		case runner.AttemptEnv:
			attempt, _ = strconv.Atoi(v)
		}
	}
	return app, attempt
}

func (s *Starter) script(spec runner.Spec) Script {
	app, attempt := SpecApp(spec)
	list := s.Scripts[app]
	if len(list) == 0 {
		return s.Default
	}
	return list[min(max(attempt, 1), len(list))-1]
}

// Start plays the script for spec's app and attempt.
func (s *Starter) Start(ctx context.Context, spec runner.Spec) (runner.Process, error) {
	sc := s.script(spec)
	s.mu.Lock()
	s.specs = append(s.specs, spec)
	if sc.StartErr != nil {
		s.mu.Unlock()
		return nil, sc.StartErr
	}
	s.running++
	s.maxRunning = max(s.maxRunning, s.running)
	s.notifyLocked()
	s.mu.Unlock()

	p := &process{done: make(chan struct{}), sig: make(chan runner.Sig, 4)}
	// The running time starts now, so a test that advances its clock after
	// Start returned always finds the wait registered.
	var takes <-chan time.Time
	if sc.Takes > 0 && s.Clock != nil {
		takes = s.Clock.After(sc.Takes)
	}
	go s.play(p, sc, spec, takes)
	return p, nil
}

func (s *Starter) play(p *process, sc Script, spec runner.Spec, takes <-chan time.Time) {
	code, signaled := sc.Code, false
	defer func() {
		s.mu.Lock()
		s.running--
		s.notifyLocked()
		s.mu.Unlock()
		p.code, p.signaled = code, signaled
		close(p.done)
	}()
	out, errw := spec.Stdout, spec.Stderr
	if out == nil {
		out = io.Discard
	}
	if errw == nil {
		errw = io.Discard
	}
	_, _ = io.WriteString(out, sc.Stdout)
	_, _ = io.WriteString(errw, sc.Stderr)
	if sc.Write != nil {
		if err := sc.Write(out); err != nil {
			fmt.Fprintf(errw, "fake wizard: %v\n", err)
			code = 1
		}
	}
	if sc.Edit != nil {
		if err := sc.Edit(spec.Dir); err != nil {
			fmt.Fprintf(errw, "fake wizard: edit: %v\n", err)
			code = 1
		}
	}
	gate := s.Gate
	for sc.Hang || takes != nil || gate != nil {
		select {
		case <-takes:
			takes = nil
		case <-gate:
			gate = nil
		case sig := <-p.sig:
			if sig == runner.SIGKILL || !sc.IgnoreTerm {
				code, signaled = -1, true
				return
			}
		}
	}
}

type process struct {
	done     chan struct{}
	sig      chan runner.Sig
	code     int
	signaled bool
}

func (p *process) Wait() (int, bool, error) {
	<-p.done
	return p.code, p.signaled, nil
}

func (p *process) Signal(sig runner.Sig) error {
	select {
	case <-p.done:
		return nil
	case p.sig <- sig:
		return nil
	default:
		return errors.New("fake wizard: too many pending signals")
	}
}

// Transcript reads a synthetic wizard transcript (the format of
// fixtures/wizard/synthetic: `# exit-code: N` header, then `--- stdout ---`
// and `--- stderr ---` sections) as a Script.
func Transcript(path string) (Script, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Script{}, err
	}
	var sc Script
	var stdout, stderr strings.Builder
	var cur *strings.Builder
	for _, line := range strings.SplitAfter(string(b), "\n") {
		t := strings.TrimRight(line, "\r\n")
		switch {
		case cur == nil && strings.HasPrefix(t, "# exit-code:"):
			if sc.Code, err = strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(t, "# exit-code:"))); err != nil {
				return Script{}, fmt.Errorf("%s: exit-code: %w", path, err)
			}
		case t == "--- stdout ---":
			cur = &stdout
		case t == "--- stderr ---":
			cur = &stderr
		case cur != nil:
			cur.WriteString(line)
		}
	}
	if cur == nil {
		return Script{}, fmt.Errorf("%s: no --- stdout --- or --- stderr --- section", path)
	}
	sc.Stdout, sc.Stderr = stdout.String(), stderr.String()
	return sc, nil
}

// WriteFile returns an Edit that writes content to name (slash-separated,
// relative) in the app copy.
func WriteFile(name, content string) func(dir string) error {
	return func(dir string) error {
		return os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(content), 0o644)
	}
}
