// Package outcome names the outcomes of a wizard attempt (SPEC §5), classifies
// a wizard transcript into exactly one of them, and holds the retry rule for
// each. It performs no I/O.
package outcome

import (
	"fmt"
	"time"
)

// Outcome is the result of one wizard attempt, or of an app (its last attempt).
// The string values are fixed by SPEC §5.
type Outcome string

// The outcomes of SPEC §5, in the order of its table.
const (
	Success         Outcome = "success"
	NoChanges       Outcome = "no-changes"
	ChecksFailed    Outcome = "checks-failed"
	Provisioning    Outcome = "provisioning"
	RateLimited     Outcome = "rate-limited"
	Overloaded      Outcome = "overloaded"
	QuotaExhausted  Outcome = "quota-exhausted"
	Auth            Outcome = "auth"
	Config          Outcome = "config"
	Precondition    Outcome = "precondition"
	MCPMissing      Outcome = "mcp-missing"
	ResourceMissing Outcome = "resource-missing"
	SecurityBlocked Outcome = "security-blocked"
	Aborted         Outcome = "aborted"
	Incomplete      Outcome = "incomplete"
	Timeout         Outcome = "timeout"
	Crashed         Outcome = "crashed"
	Cancelled       Outcome = "cancelled"
	Skipped         Outcome = "skipped"
)

// All lists every outcome in SPEC order.
var All = []Outcome{
	Success, NoChanges, ChecksFailed, Provisioning, RateLimited, Overloaded,
	QuotaExhausted, Auth, Config, Precondition, MCPMissing, ResourceMissing,
	SecurityBlocked, Aborted, Incomplete, Timeout, Crashed, Cancelled, Skipped,
}

func (o Outcome) String() string { return string(o) }

// Valid reports whether o is one of the outcomes of SPEC §5.
func (o Outcome) Valid() bool {
	for _, a := range All {
		if a == o {
			return true
		}
	}
	return false
}

// UnmarshalText accepts only the names of SPEC §5, so state read back from a
// comment cannot smuggle in an unknown outcome.
func (o *Outcome) UnmarshalText(b []byte) error {
	v := Outcome(b)
	if !v.Valid() {
		return fmt.Errorf("unknown outcome %q", string(b))
	}
	*o = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o), nil }

// Emoji is the symbol shown next to the outcome name in tables. Each is one
// code point that terminals draw two cells wide (no variation selector), so
// text tables line up whatever the outcome.
func (o Outcome) Emoji() string {
	switch o {
	case Success:
		return "✅"
	case NoChanges:
		return "⚪"
	case ChecksFailed:
		return "🟠"
	case Provisioning, RateLimited, Overloaded, QuotaExhausted:
		return "⏳"
	case Auth:
		return "🔑"
	case Config:
		return "🔧"
	case Precondition:
		return "🧩"
	case Timeout:
		return "⏰"
	case Cancelled:
		return "🛑"
	case Skipped:
		return "⏩"
	default:
		return "❌"
	}
}

// StopsRun reports whether this outcome means every remaining app would fail
// the same way, so they are marked skipped instead of run (SPEC §5).
func (o Outcome) StopsRun() bool { return o == Auth || o == Config }

// Result is one classified attempt. Callers branch on Outcome and read
// RetryAfter; they never re-parse the transcript.
type Result struct {
	Outcome Outcome
	// RetryAfter is the wait the wizard's output advised ("try again after 2
	// minutes", "retry after 30 seconds"), or zero when it named none.
	RetryAfter time.Duration
	// Code is the PHW_… code of the structured phw-error line, if any.
	Code string
	// Reason is one short line saying why (the deciding line of output,
	// trimmed), for the details column. It may contain secrets: mask it.
	Reason string
}

// Exit describes how a wizard process ended.
type Exit struct {
	Code     int  // exit status; -1 when killed by a signal
	TimedOut bool // the app-timeout expired and the process was killed
	Signaled bool // ended by a signal not sent for a timeout
	// Changed reports whether the app copy differs from the original. It is
	// only consulted when Code == 0.
	Changed bool
}

// Policy holds the retry settings of SPEC §5 / §7.
type Policy struct {
	Retries                int           // extra attempts for rate-limited / overloaded
	RetryDelay             time.Duration // base of the exponential backoff
	ProvisioningRetries    int           // extra attempts for provisioning
	ProvisioningRetryDelay time.Duration // zero: use the advised delay, else 2m
}

// DefaultPolicy is SPEC §7's defaults.
var DefaultPolicy = Policy{Retries: 2, RetryDelay: 30 * time.Second, ProvisioningRetries: 2}

// DefaultProvisioningDelay is the wait when neither the input nor the
// wizard's message names one (SPEC §5).
const DefaultProvisioningDelay = 2 * time.Minute

// MaxAttempts is how many attempts in all an app may have when every one
// ends in o.
func (p Policy) MaxAttempts(o Outcome) int {
	switch o {
	case Provisioning:
		return 1 + max(p.ProvisioningRetries, 0)
	case RateLimited, Overloaded:
		return 1 + max(p.Retries, 0)
	case MCPMissing, ResourceMissing:
		return 2
	default:
		return 1
	}
}

// Delay is the wait before the next attempt after r, when attempt n (1-based)
// just ended in r. jitter is a number in [0,1) from the injected randomness.
func (p Policy) Delay(r Result, n int, jitter float64) time.Duration {
	switch r.Outcome {
	case Provisioning:
		if p.ProvisioningRetryDelay > 0 {
			return p.ProvisioningRetryDelay
		}
		if r.RetryAfter > 0 {
			return r.RetryAfter
		}
		return DefaultProvisioningDelay
	case RateLimited, Overloaded:
		base := p.RetryDelay
		if base <= 0 {
			base = DefaultPolicy.RetryDelay
		}
		// Exponential backoff: base, 2×base, 4×base … plus up to 50% jitter.
		d := base << min(max(n-1, 0), 10)
		d += time.Duration(float64(d) / 2 * jitter)
		if r.RetryAfter > d {
			d = r.RetryAfter
		}
		return d
	default:
		return 0
	}
}

// Cooldown reports whether every app must wait after this outcome before its
// next wizard start (SPEC §5, provider cooldown).
func (o Outcome) Cooldown() bool { return o == Provisioning || o == RateLimited }
