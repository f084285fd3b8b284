package runnertest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTranscript(t *testing.T) {
	t.Parallel()
	sc, err := Transcript(filepath.Join("..", "..", "..", "..", "shared", "fixtures", "wizard", "synthetic", "bedrock-billing-403.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Code != 1 {
		t.Errorf("Code = %d, want 1", sc.Code)
	}
	if !strings.HasPrefix(sc.Stdout, "┌  Welcome") || !strings.Contains(sc.Stdout, "INVALID_PAYMENT_INSTRUMENT") || strings.Contains(sc.Stdout, "phw-error") {
		t.Errorf("Stdout = %q", sc.Stdout)
	}
	if !strings.HasPrefix(sc.Stderr, "phw-error: ") {
		t.Errorf("Stderr = %q", sc.Stderr)
	}
}

func TestManualClock(t *testing.T) {
	t.Parallel()
	c := NewManualClock(time.Time{})
	a := c.After(time.Second)
	b := c.After(time.Minute)
	select {
	case <-c.After(0):
	default:
		t.Error("After(0) did not fire at once")
	}
	if err := c.BlockUntil(context.Background(), 2); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Second)
	select {
	case got := <-a:
		if !got.Equal(Epoch.Add(time.Second)) {
			t.Errorf("fired at %v", got)
		}
	default:
		t.Error("the 1 s After did not fire")
	}
	select {
	case <-b:
		t.Error("the 1 min After fired early")
	default:
	}
	if c.Waiters() != 1 {
		t.Errorf("Waiters = %d, want 1", c.Waiters())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.BlockUntil(ctx, 2); err == nil {
		t.Error("BlockUntil did not end with its context")
	}
}

func TestInstantClock(t *testing.T) {
	t.Parallel()
	c := NewInstantClock(time.Time{})
	<-c.After(2 * time.Minute)
	<-c.After(30 * time.Second)
	select {
	case <-c.After(20 * time.Minute):
		t.Error("an After past the horizon fired")
	default:
	}
	if d := cmp.Diff([]time.Duration{2 * time.Minute, 30 * time.Second}, c.Waits()); d != "" {
		t.Errorf("Waits (-want +got):\n%s", d)
	}
	if got := c.Now().Sub(Epoch); got != 150*time.Second {
		t.Errorf("Now moved %v, want 2m30s", got)
	}
}
