package publish

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

type recordSink struct {
	mu     sync.Mutex
	bodies []string
}

func (s *recordSink) Publish(_ context.Context, body string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bodies = append(s.bodies, body)
	return nil
}

// TestCoalesce finishes 40 apps over 10 s with a 5 s interval: the sink sees
// at most one update per interval plus the final one, and the final body has
// every row.
func TestCoalesce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var done []string
		render := func() string {
			mu.Lock()
			defer mu.Unlock()
			return strings.Join(done, "\n")
		}
		sink := &recordSink{}
		p := New(sink, render, realClock{}, 5*time.Second)
		p.Start(t.Context())
		for i := range 40 {
			time.Sleep(250 * time.Millisecond)
			mu.Lock()
			done = append(done, fmt.Sprintf("app-%02d", i))
			mu.Unlock()
			p.Changed()
		}
		if err := p.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		// 10 s of changes at a 5 s interval: updates at 0.25 s, 5.25 s, (10.25 s
		// is after Close) → at most 3 intermediate plus the final one.
		if n := len(sink.bodies); n > 4 || n < 2 {
			t.Errorf("sink called %d times, want 2..4", n)
		}
		last := sink.bodies[len(sink.bodies)-1]
		if got := strings.Count(last, "app-"); got != 40 {
			t.Errorf("final body has %d rows, want 40", got)
		}
	})
}

// TestCloseWithoutChanges still publishes the final body exactly once.
func TestCloseWithoutChanges(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &recordSink{}
		p := New(sink, func() string { return "final" }, realClock{}, time.Second)
		p.Start(t.Context())
		if err := p.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(sink.bodies) != 1 || sink.bodies[0] != "final" {
			t.Errorf("bodies = %q, want [final]", sink.bodies)
		}
	})
}
