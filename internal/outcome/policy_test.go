package outcome

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPolicyMaxAttempts(t *testing.T) {
	t.Parallel()
	custom := Policy{Retries: 5, ProvisioningRetries: 3}
	negative := Policy{Retries: -1, ProvisioningRetries: -4}
	want := map[Outcome][3]int{ // DefaultPolicy, custom, negative
		Provisioning:    {3, 4, 1},
		RateLimited:     {3, 6, 1},
		Overloaded:      {3, 6, 1},
		MCPMissing:      {2, 2, 2},
		ResourceMissing: {2, 2, 2},
	}
	for _, o := range All {
		exp, ok := want[o]
		if !ok {
			exp = [3]int{1, 1, 1} // never retried
		}
		got := [3]int{DefaultPolicy.MaxAttempts(o), custom.MaxAttempts(o), negative.MaxAttempts(o)}
		if got != exp {
			t.Errorf("MaxAttempts(%s) = %v, want %v (default, custom, negative)", o, got, exp)
		}
	}
}

func TestPolicyDelayProvisioning(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		policy Policy
		advice time.Duration
		want   time.Duration
	}{
		{"input set wins over advice", Policy{ProvisioningRetryDelay: 7 * time.Minute}, 2 * time.Minute, 7 * time.Minute},
		{"advised wait", Policy{}, 5 * time.Minute, 5 * time.Minute},
		{"default 2m", Policy{}, 0, DefaultProvisioningDelay},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for n := 1; n <= 3; n++ { // the same wait every attempt: no backoff
				r := Result{Outcome: Provisioning, RetryAfter: tc.advice}
				if got := tc.policy.Delay(r, n, 0.9); got != tc.want {
					t.Errorf("attempt %d: Delay = %s, want %s", n, got, tc.want)
				}
			}
		})
	}
	if DefaultProvisioningDelay != 2*time.Minute {
		t.Errorf("DefaultProvisioningDelay = %s, SPEC §5 says 2m", DefaultProvisioningDelay)
	}
}

func TestPolicyDelayBackoff(t *testing.T) {
	t.Parallel()
	p := Policy{RetryDelay: 10 * time.Second}
	for _, o := range []Outcome{RateLimited, Overloaded} {
		var got []time.Duration
		for n := 1; n <= 4; n++ {
			got = append(got, p.Delay(Result{Outcome: o}, n, 0))
		}
		want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s backoff without jitter (-want +got):\n%s", o, d)
		}
		// Jitter adds up to half the step, never less than the step.
		for n := 1; n <= 4; n++ {
			lo, hi := p.Delay(Result{Outcome: o}, n, 0), p.Delay(Result{Outcome: o}, n, 0.999999)
			if hi <= lo || hi > lo+lo/2 {
				t.Errorf("%s attempt %d: jitter range [%s, %s], want (lo, 1.5×lo]", o, n, lo, hi)
			}
		}
	}
	// Zero base: the SPEC default (30s).
	if got := (Policy{}).Delay(Result{Outcome: RateLimited}, 1, 0); got != 30*time.Second {
		t.Errorf("default base = %s, want 30s", got)
	}
	// Huge attempt numbers do not overflow.
	if got := p.Delay(Result{Outcome: Overloaded}, 1000, 0.5); got <= 0 {
		t.Errorf("attempt 1000: Delay = %s, want positive", got)
	}
}

func TestPolicyDelayHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	p := Policy{RetryDelay: 10 * time.Second}
	// A stated wait longer than the backoff step is honoured …
	if got := p.Delay(Result{Outcome: RateLimited, RetryAfter: 2 * time.Minute}, 1, 0.5); got != 2*time.Minute {
		t.Errorf("Delay = %s, want the advised 2m", got)
	}
	// … a shorter one does not shorten the backoff.
	if got := p.Delay(Result{Outcome: Overloaded, RetryAfter: time.Second}, 2, 0); got != 20*time.Second {
		t.Errorf("Delay = %s, want the 20s backoff step", got)
	}
}

func TestPolicyDelayNotRetried(t *testing.T) {
	t.Parallel()
	for _, o := range []Outcome{Auth, Config, QuotaExhausted, Crashed, Timeout, MCPMissing, Success} {
		if got := DefaultPolicy.Delay(Result{Outcome: o, RetryAfter: time.Minute}, 1, 0.5); got != 0 {
			t.Errorf("Delay(%s) = %s, want 0", o, got)
		}
	}
}
