package runner

import (
	"context"
	"sync"
	"time"
)

// cooldown is the provider cooldown of SPEC §5: after a provisioning or
// rate-limited attempt, no wizard of any app starts before until.
type cooldown struct {
	mu    sync.Mutex
	until time.Time
}

// extend moves the cooldown out to t, never in.
func (c *cooldown) extend(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.until) {
		c.until = t
	}
}

func (c *cooldown) get() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.until
}

// wait blocks until the cooldown is over, also when another app extends it
// meanwhile, and returns how long it waited.
func (c *cooldown) wait(ctx context.Context, clock Clock) (time.Duration, error) {
	var waited time.Duration
	for {
		d := c.get().Sub(clock.Now())
		if d <= 0 {
			return waited, ctx.Err()
		}
		select {
		case <-clock.After(d):
			waited += d
		case <-ctx.Done():
			return waited, ctx.Err()
		}
	}
}
