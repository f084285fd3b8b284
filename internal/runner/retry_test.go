package runner

import (
	"errors"
	"testing"
	"time"

	"github.com/avast/retry-go/v4"
	"github.com/google/go-cmp/cmp"
)

// instant is a retry.Timer that records waits and fires at once.
type instant struct{ waits []time.Duration }

func (c *instant) After(d time.Duration) <-chan time.Time {
	c.waits = append(c.waits, d)
	ch := make(chan time.Time, 1)
	ch <- time.Time{}
	return ch
}

// TestRetryGoCounting pins how retry-go v4 counts, which the runner relies
// on: AttemptsForError(n, err) allows n calls in all for err; DelayType
// gets n = the number of calls made so far; the wait goes through the
// injected timer; RetryIf false stops at once; LastErrorOnly returns the
// last error itself.
func TestRetryGoCounting(t *testing.T) {
	t.Parallel()
	errA := errors.New("budget a")
	errB := errors.New("budget b")
	tests := []struct {
		name      string
		fails     []error // the i-th call fails with fails[i]; past the end it succeeds
		retryIf   func(error) bool
		wantCalls int
		wantNs    []uint
		wantErr   error
	}{
		{name: "budget of 3 allows 3 calls", fails: []error{errA, errA, errA, errA}, wantCalls: 3, wantNs: []uint{1, 2}, wantErr: errA},
		{name: "success ends the loop", fails: []error{errA, errA}, wantCalls: 3, wantNs: []uint{1, 2}},
		// The second failure of b spends b's budget of 2 and stops the
		// loop, while a still has one call left.
		{name: "budgets count apart", fails: []error{errA, errB, errA, errB, errA}, wantCalls: 4, wantNs: []uint{1, 2, 3}, wantErr: errB},
		{name: "budget of 2 for b", fails: []error{errB, errB, errB}, wantCalls: 2, wantNs: []uint{1}, wantErr: errB},
		{name: "retryIf false stops", fails: []error{errA}, retryIf: func(error) bool { return false }, wantCalls: 1, wantErr: errA},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			calls := 0
			var ns []uint
			timer := &instant{}
			retryIf := tc.retryIf
			if retryIf == nil {
				retryIf = func(error) bool { return true }
			}
			err := retry.Do(func() error {
				calls++
				if calls <= len(tc.fails) {
					return tc.fails[calls-1]
				}
				return nil
			},
				retry.Attempts(100),
				retry.AttemptsForError(3, errA),
				retry.AttemptsForError(2, errB),
				retry.RetryIf(retryIf),
				retry.DelayType(func(n uint, _ error, _ *retry.Config) time.Duration {
					ns = append(ns, n)
					return time.Duration(n) * time.Second
				}),
				retry.WithTimer(timer),
				retry.LastErrorOnly(true),
			)
			if calls != tc.wantCalls {
				t.Errorf("calls = %d, want %d", calls, tc.wantCalls)
			}
			if d := cmp.Diff(tc.wantNs, ns); d != "" {
				t.Errorf("DelayType n (-want +got):\n%s", d)
			}
			if len(timer.waits) != len(ns) {
				t.Errorf("timer waits %v, want one per delay %v", timer.waits, ns)
			}
			if err != tc.wantErr {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

// TestAttemptErrorBudgets pins that AttemptError matches its outcome's
// retry budget, so AttemptsForError counts it.
func TestAttemptErrorBudgets(t *testing.T) {
	t.Parallel()
	for o, b := range budgets {
		err := error(&AttemptError{})
		err.(*AttemptError).Result.Outcome = o
		if !errors.Is(err, b) {
			t.Errorf("%s does not match its budget", o)
		}
		for _, other := range budgets {
			if other != b && errors.Is(err, other) {
				t.Errorf("%s matches another budget %v", o, other)
			}
		}
	}
}
