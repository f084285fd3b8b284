// Package publish is the single writer of a run's report: it coalesces
// updates to at most one per interval plus the final one and hands the
// rendered Markdown to a Sink (PR comment, job summary, terminal).
package publish

import (
	"context"
	"sync"
	"time"
)

// Sink receives a complete rendered body. Implementations replace what they
// published before (a comment edit, a rewritten file).
type Sink interface {
	Publish(ctx context.Context, body string) error
}

// Clock is the publisher's view of time.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// Publisher owns one Sink. Changed may be called from any goroutine; only the
// publisher's own goroutine ever calls the Sink, so updates never race.
type Publisher struct {
	sink     Sink
	render   func() string
	clock    Clock
	interval time.Duration

	dirty chan struct{}
	done  chan struct{}
	stop  chan struct{}

	mu      sync.Mutex
	lastErr error
	calls   int
}

// New returns a publisher that renders with render and publishes to sink at
// most once per interval. Call Start, then Changed as often as wanted, then
// Close for the final body.
func New(sink Sink, render func() string, clock Clock, interval time.Duration) *Publisher {
	return &Publisher{
		sink:     sink,
		render:   render,
		clock:    clock,
		interval: interval,
		dirty:    make(chan struct{}, 1),
		done:     make(chan struct{}),
		stop:     make(chan struct{}),
	}
}

// Start runs the writer goroutine until Close.
func (p *Publisher) Start(ctx context.Context) {
	go p.loop(ctx)
}

// Changed notes that the rendered body would differ now. It never blocks.
func (p *Publisher) Changed() {
	select {
	case p.dirty <- struct{}{}:
	default:
	}
}

func (p *Publisher) loop(ctx context.Context) {
	defer close(p.done)
	for {
		select {
		case <-p.stop:
			return
		case <-p.dirty:
		}
		p.publish(ctx)
		// Coalesce: whatever changes during the interval goes out in one update.
		select {
		case <-p.stop:
			return
		case <-p.clock.After(p.interval):
		}
	}
}

func (p *Publisher) publish(ctx context.Context) {
	err := p.sink.Publish(ctx, p.render())
	p.mu.Lock()
	p.calls++
	if err != nil {
		p.lastErr = err
	}
	p.mu.Unlock()
}

// Close stops the writer and publishes the final body, even when ctx is
// already cancelled for the run (the caller passes a context that still has
// time for the final update). It returns the final publish's error.
func (p *Publisher) Close(ctx context.Context) error {
	close(p.stop)
	<-p.done
	err := p.sink.Publish(ctx, p.render())
	p.mu.Lock()
	p.calls++
	p.mu.Unlock()
	return err
}

// Calls is how many times the sink was called, for tests and logs.
func (p *Publisher) Calls() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls
}

// Err is the last error of an intermediate update, if any.
func (p *Publisher) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastErr
}
