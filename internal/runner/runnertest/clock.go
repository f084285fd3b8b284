package runnertest

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/posthog/wizard-ci/internal/runner"
)

// Epoch is the time fake clocks start at unless told otherwise.
var Epoch = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

// InstantClock fires every After shorter than Horizon at once: it moves
// its time forward by the requested duration and records it. Waits cost
// nothing, and a test reads them back with Waits. An After of Horizon or
// more never fires: that is a watchdog (the app-timeout) the test does not
// want to expire. Concurrent callers all move the same time forward, so
// durations measured across goroutines include each other's waits.
type InstantClock struct {
	// Horizon is DefaultHorizon when zero.
	Horizon time.Duration

	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

// DefaultHorizon is longer than any retry wait and shorter than the default
// app-timeout.
const DefaultHorizon = 15 * time.Minute

var _ runner.Clock = (*InstantClock)(nil)

// NewInstantClock returns an InstantClock at start (Epoch if zero).
func NewInstantClock(start time.Time) *InstantClock {
	if start.IsZero() {
		start = Epoch
	}
	return &InstantClock{now: start}
}

// Now returns the clock's time.
func (c *InstantClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After records d, moves the time forward by d and returns a channel that
// is ready at once — or, from Horizon on, a channel that never is.
func (c *InstantClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.Horizon
	if h <= 0 {
		h = DefaultHorizon
	}
	if d >= h {
		return make(chan time.Time)
	}
	c.waits = append(c.waits, d)
	if d > 0 {
		c.now = c.now.Add(d)
	}
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// Advance moves the time forward by d without recording a wait, as time
// passing outside the code under test.
func (c *InstantClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Waits returns every duration passed to After below Horizon, in call
// order.
func (c *InstantClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

// ManualClock fires an After only when the test moves the time past it
// with Advance. BlockUntil lets the test wait, without sleeping, until the
// code under test is waiting on the clock.
type ManualClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	changed chan struct{} // closed and replaced when waiters change
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

var _ runner.Clock = (*ManualClock)(nil)

// NewManualClock returns a ManualClock at start (Epoch if zero).
func NewManualClock(start time.Time) *ManualClock {
	if start.IsZero() {
		start = Epoch
	}
	return &ManualClock{now: start, changed: make(chan struct{})}
}

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After returns a channel that receives the time once Advance has moved
// the clock d forward. A d of zero or less fires at once.
func (c *ManualClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{at: c.now.Add(d), ch: ch})
	c.notify()
	return ch
}

// Advance moves the clock forward by d and fires every After that is due.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
			continue
		}
		kept = append(kept, w)
	}
	clear(c.waiters[len(kept):])
	c.waiters = kept
	c.notify()
}

// Waiters is the number of pending Afters.
func (c *ManualClock) Waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// BlockUntil waits until at least n Afters are pending, or ctx ends.
func (c *ManualClock) BlockUntil(ctx context.Context, n int) error {
	for {
		c.mu.Lock()
		if len(c.waiters) >= n {
			c.mu.Unlock()
			return nil
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (c *ManualClock) notify() {
	close(c.changed)
	c.changed = make(chan struct{})
}
