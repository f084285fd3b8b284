package ghapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/avast/retry-go/v4"
)

// Clock is ghapi's view of time, the same shape as runner.Clock: every
// retry wait goes through After, so a test's fake clock makes waits instant
// and can read them back.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Defaults of the retry options.
const (
	// DefaultRetryBudget bounds one call, retries and waits included, so a
	// GitHub that keeps refusing never holds the run for long.
	DefaultRetryBudget = 10 * time.Minute
	// DefaultRequestTimeout bounds one HTTP attempt, answer body included,
	// when the http.Client passed to New has no Timeout.
	DefaultRequestTimeout = 30 * time.Second
)

const (
	// maxFailureRetries is how often a 5xx or a lost connection is retried
	// (per request, and per create at the ghapi level).
	maxFailureRetries = 3
	// maxLimitRetries bounds rate-limit retries, besides the budget.
	maxLimitRetries = 30
	backoffBase     = time.Second
	backoffMax      = 30 * time.Second
	// secondaryWait is GitHub's advice for a secondary rate limit that says
	// neither Retry-After nor a reset: wait at least a minute, then back off
	// exponentially.
	secondaryWait = time.Minute
	// maxAnswer bounds what is buffered of one answer (a page of 100
	// comments of 65,536 characters is about 26 MB at worst).
	maxAnswer = 64 << 20
	// probeTimeout bounds the one attempt a request gets while GitHub is
	// unreachable: GitHub ends every REST request that takes over 10
	// seconds itself ("Troubleshooting the REST API", Timeouts), so a
	// GitHub that is up answers within it.
	probeTimeout = 10 * time.Second
)

// config holds the options of New.
type config struct {
	clock   Clock
	budget  time.Duration
	timeout time.Duration
	rand    func() float64
	logf    func(format string, args ...any)
}

// Option configures New.
type Option func(*config)

// WithClock sets the clock every retry wait goes through (default: the real
// clock). The per-attempt timeout is real time: it guards real I/O.
func WithClock(c Clock) Option { return func(o *config) { o.clock = c } }

// WithRetryBudget bounds one call, retries and waits included (default
// DefaultRetryBudget). A wait that would end past the budget is not
// started: the call fails at once with the last answer.
func WithRetryBudget(d time.Duration) Option { return func(o *config) { o.budget = d } }

// WithRequestTimeout bounds one HTTP attempt (default: the Timeout of the
// http.Client passed to New, or DefaultRequestTimeout).
func WithRequestTimeout(d time.Duration) Option { return func(o *config) { o.timeout = d } }

// WithRand sets the source of backoff jitter, a function returning values
// in [0, 1) (default math/rand/v2's Float64).
func WithRand(f func() float64) Option { return func(o *config) { o.rand = f } }

// WithLogf receives one line per retry: what GitHub answered and how long
// wizard-ci waits (default: nothing is logged).
func WithLogf(f func(format string, args ...any)) Option { return func(o *config) { o.logf = f } }

// LimitError is a GitHub rate limit that outlasted the retry budget or the
// caller's context. go-github never sees these answers, so its own
// rate-limit bookkeeping, which runs on the real clock and refuses requests
// by itself, stays out of the way.
type LimitError struct {
	StatusCode int    // 403 or 429
	Secondary  bool   // a secondary (abuse) limit rather than the hourly quota
	Message    string // GitHub's message
	// Wait is how long GitHub asked to wait when it last answered.
	Wait time.Duration
	// Reset is x-ratelimit-reset, zero when absent.
	Reset time.Time
}

func (e *LimitError) Error() string {
	kind := "rate limit"
	if e.Secondary {
		kind = "secondary rate limit"
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	return fmt.Sprintf("GitHub answered %d (%s, retry in %s): %s", e.StatusCode, kind, e.Wait.Round(time.Second), msg)
}

// kind is why an attempt may be tried again.
type kind int

const (
	kindFailure kind = iota + 1 // 5xx, lost connection, no answer in time
	kindLimit                   // a rate-limit answer
	kindPause                   // a limit seen earlier is still in force
)

// retryable is an attempt that may be tried again after wait. If it is not
// retried, resp (a 5xx answer, handed up as is) or err is the result.
type retryable struct {
	kind kind
	wait time.Duration
	resp *http.Response
	err  error
	// unreachable: the attempt got no answer at all.
	unreachable bool
}

func (r *retryable) Error() string { return r.err.Error() }
func (r *retryable) Unwrap() error { return r.err }

// ErrUnreachable matches (errors.Is) the error of a call that failed
// because GitHub could not be reached at all: no answer to any attempt
// (connection refused or reset, a failed name lookup, no answer within the
// per-attempt timeout). HTTP answers, 5xx and rate limits included, never
// match it.
//
// The first such call uses up its retries; from then on the client's
// breaker is open: every request is sent once, without retries or backoff,
// and fails at once with an error saying GitHub could not be reached
// earlier, until a request gets an answer.
var ErrUnreachable = errors.New("GitHub could not be reached")

// unreachableError is the error of a request that got no answer: after
// its last retry (earlier is nil, and the text is err's own), or at once
// because GitHub could not be reached earlier (the breaker was open).
type unreachableError struct {
	api     string  // the API's base URL
	earlier *outage // why the breaker is open; nil after the last retry
	err     error   // this request's last attempt
}

// outage is the request that opened the breaker and its last error.
type outage struct {
	req string // "GET /repos/…"
	err string
}

func (e *unreachableError) Error() string {
	if e.earlier == nil {
		return e.err.Error()
	}
	now := "now: " + e.err.Error()
	if e.err.Error() == e.earlier.err {
		now = "again now"
	}
	return fmt.Sprintf("GitHub at %s could not be reached (earlier %s: %s; %s); not retrying", e.api, e.earlier.req, e.earlier.err, now)
}

func (e *unreachableError) Unwrap() error        { return e.err }
func (e *unreachableError) Is(target error) bool { return target == ErrUnreachable }

// transport is an http.RoundTripper placed below go-github. It retries rate
// limits (waiting as GitHub asks), 5xx answers and lost connections of
// idempotent requests, so go-github only sees the final answer.
type transport struct {
	base http.RoundTripper
	cfg  *config
	api  string // the API's base URL, for messages; "" for the request's host

	mu       sync.Mutex
	pause    time.Time   // no request goes out before this
	pauseErr *LimitError // why
	// down is why GitHub could not be reached, set when a request ran out
	// of retries without any answer: the breaker is open while it is not
	// nil, and any answer closes it.
	down *outage
}

type ctxKey int

const (
	idempotentKey ctxKey = iota // the request may be sent twice (a reaction)
	deadlineKey                 // time.Time: the budget of an enclosing ghapi call
)

// withIdempotent marks a POST as safe to repeat: GitHub answers 200 with
// the existing object for a reaction that exists.
func withIdempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey, true)
}

func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete,
		// PATCH sets fields to given values on GitHub: sending it twice
		// leaves the same object.
		http.MethodPatch:
		return true
	}
	v, _ := req.Context().Value(idempotentKey).(bool)
	return v
}

// deadline is when the call of ctx must end: its enclosing ghapi call's
// budget, or the budget from now.
func (c *config) deadline(ctx context.Context) time.Time {
	d := c.clock.Now().Add(c.budget)
	if outer, ok := ctx.Value(deadlineKey).(time.Time); ok && outer.Before(d) {
		return outer
	}
	return d
}

// backoff is the wait before retry n (1, 2, …) of a failure: exponential
// from backoffBase with "equal jitter", so it is never shorter than half.
func (c *config) backoff(n int) time.Duration {
	d := min(backoffBase<<(n-1), backoffMax)
	return d/2 + time.Duration(c.rand()*float64(d/2))
}

// attempt is the retry state of one request.
type attempt struct {
	failures  int
	limits    int
	secondary int // secondary limits without Retry-After so far: the backoff exponent
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	getBody, err := replayable(req)
	if err != nil {
		return nil, err
	}
	ctx := req.Context()
	deadline := t.cfg.deadline(ctx)
	idem := idempotent(req)
	var st attempt
	resp, err := retry.DoWithData(
		func() (*http.Response, error) { return t.try(ctx, req, getBody, idem, &st) },
		retry.Attempts(0), // RetryIf counts
		retry.Context(ctx),
		retry.WithTimer(t.cfg.clock),
		retry.DelayType(func(_ uint, err error, _ *retry.Config) time.Duration {
			var r *retryable
			errors.As(err, &r)
			return r.wait
		}),
		retry.RetryIf(func(err error) bool { return t.again(err, &st, deadline) }),
		retry.OnRetry(func(_ uint, err error) {
			var r *retryable
			if errors.As(err, &r) && t.cfg.logf != nil {
				// The caller's logf says "GitHub" already.
				t.cfg.logf("%s %s: %v; retrying in %s", req.Method, req.URL.Path, r.err, r.wait.Round(time.Millisecond))
			}
		}),
	)
	if err == nil {
		return resp, nil
	}
	var r *retryable
	if errors.As(err, &r) {
		// Out of retries: hand up the last 5xx answer as it is, so the
		// caller sees GitHub's status, or the last error.
		if r.resp != nil {
			return r.resp, nil
		}
		if r.unreachable {
			t.trip(req, r.err)
			return nil, &unreachableError{api: t.baseURL(req), err: r.err}
		}
		return nil, r.err
	}
	return nil, err
}

// trip opens the breaker: no attempt of req got an answer, so later
// requests are sent once only, until one is answered.
func (t *transport) trip(req *http.Request, err error) {
	why := &outage{req: req.Method + " " + req.URL.Path, err: err.Error()}
	t.mu.Lock()
	opened := t.down == nil
	t.down = why
	t.mu.Unlock()
	if opened && t.cfg.logf != nil {
		t.cfg.logf("%s: %s; giving up: %s could not be reached, so until it answers every request is sent once, without retries",
			why.req, why.err, t.baseURL(req))
	}
}

// unreachable returns why the breaker is open, or nil when it is closed.
func (t *transport) unreachable() *outage {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.down
}

// reached closes the breaker: GitHub answered.
func (t *transport) reached() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.down = nil
}

// baseURL is the API's base URL, or the scheme and host of req.
func (t *transport) baseURL(req *http.Request) string {
	if t.api != "" {
		return t.api
	}
	return req.URL.Scheme + "://" + req.URL.Host + "/"
}

// again reports whether r may be retried: within its kind's count, and with
// its wait ending within the budget.
func (t *transport) again(err error, st *attempt, deadline time.Time) bool {
	var r *retryable
	if !errors.As(err, &r) {
		return false
	}
	switch r.kind {
	case kindFailure:
		if st.failures > maxFailureRetries {
			return false
		}
	case kindLimit:
		if st.limits > maxLimitRetries {
			return false
		}
	}
	return !t.cfg.clock.Now().Add(r.wait).After(deadline)
}

// try sends req once.
func (t *transport) try(ctx context.Context, req *http.Request, getBody func() io.ReadCloser, idem bool, st *attempt) (*http.Response, error) {
	if wait, why := t.paused(); wait > 0 {
		return nil, &retryable{kind: kindPause, wait: wait, err: why}
	}
	down := t.unreachable()
	timeout := t.cfg.timeout
	if down != nil {
		timeout = min(timeout, probeTimeout)
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r := req.Clone(actx)
	if getBody != nil {
		r.Body = getBody()
		r.GetBody = func() (io.ReadCloser, error) { return getBody(), nil }
	}
	resp, err := t.base.RoundTrip(r)
	answered := err == nil
	if err == nil {
		// Read the whole answer within the attempt's deadline: a body that
		// stalls halfway is a stuck request too.
		err = buffer(resp)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		if actx.Err() != nil {
			err = fmt.Errorf("GitHub did not answer within %s: %w", timeout, err)
		}
		if !answered && down != nil {
			// GitHub could not be reached earlier and still cannot: fail
			// now rather than spend retries on it.
			return nil, &unreachableError{api: t.baseURL(req), earlier: down, err: err}
		}
		// A request that never left may be sent again, even a POST; one
		// that may have reached GitHub only when repeating it is harmless.
		if idem || notSent(err) {
			st.failures++
			return nil, &retryable{kind: kindFailure, unreachable: !answered, wait: t.cfg.backoff(st.failures), err: err}
		}
		return nil, err
	}
	t.reached()
	now := t.cfg.clock.Now()
	if le, wait := limit(resp, now, st); le != nil {
		// GitHub refused the request without acting on it: repeating it is
		// safe for every method.
		st.limits++
		t.hold(now.Add(wait), le)
		return nil, &retryable{kind: kindLimit, wait: wait, err: le}
	}
	if resp.StatusCode >= 500 && idem {
		st.failures++
		wait := t.cfg.backoff(st.failures)
		if ra, ok := retryAfter(resp.Header, now); ok {
			wait = ra
		}
		return nil, &retryable{kind: kindFailure, wait: wait, resp: resp,
			err: fmt.Errorf("GitHub answered %d", resp.StatusCode)}
	}
	t.observe(resp, now)
	return resp, nil
}

// paused returns how long a limit seen earlier still holds.
func (t *transport) paused() (time.Duration, *LimitError) {
	now := t.cfg.clock.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if now.Before(t.pause) {
		return t.pause.Sub(now), t.pauseErr
	}
	return 0, nil
}

// hold keeps every request of the client back until until: GitHub counts
// limits per token, so a limit one request met applies to the next.
func (t *transport) hold(until time.Time, why *LimitError) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if until.After(t.pause) {
		t.pause, t.pauseErr = until, why
	}
}

// observe notes a quota used up by an answer that is not itself a limit
// (the last request of the hour answers 200 with remaining 0), so the next
// request waits for the reset here, on our clock. It then removes the reset
// from the answer: go-github would otherwise refuse every request until the
// reset by itself, on the real clock, with a made-up 403.
func (t *transport) observe(resp *http.Response, now time.Time) {
	if resp.Header.Get("X-RateLimit-Remaining") != "0" {
		return
	}
	if reset := resetTime(resp.Header); reset.After(now) {
		t.hold(reset, &LimitError{StatusCode: http.StatusForbidden, Message: "the rate limit quota is used up until its reset",
			Wait: reset.Sub(now), Reset: reset})
	}
	resp.Header.Del("X-RateLimit-Reset")
}

// limit returns the rate limit an answer reports, if any, and how long to
// wait, as GitHub's docs say: Retry-After when given; else the reset when
// the quota is used up; else a minute, doubling with every such answer.
func limit(resp *http.Response, now time.Time, st *attempt) (*LimitError, time.Duration) {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return nil, 0
	}
	var body struct {
		Message          string `json:"message"`
		DocumentationURL string `json:"documentation_url"`
	}
	if b, err := io.ReadAll(resp.Body); err == nil {
		_ = json.Unmarshal(b, &body)
		resp.Body = io.NopCloser(bytes.NewReader(b))
	}
	msg := strings.ToLower(body.Message)
	secondary := strings.Contains(msg, "secondary rate limit") || strings.Contains(msg, "abuse") ||
		strings.HasSuffix(body.DocumentationURL, "secondary-rate-limits") || strings.HasSuffix(body.DocumentationURL, "abuse-rate-limits")
	exhausted := resp.Header.Get("X-RateLimit-Remaining") == "0"
	// Any 429 is a limit; a 403 only when it says so. Other 403s (a token
	// without access) are answers.
	if resp.StatusCode == http.StatusForbidden && !exhausted && !secondary && !strings.Contains(msg, "rate limit") {
		return nil, 0
	}
	le := &LimitError{StatusCode: resp.StatusCode, Secondary: secondary || !exhausted, Message: body.Message, Reset: resetTime(resp.Header)}
	ra, hasRA := retryAfter(resp.Header, now)
	switch {
	case hasRA:
		le.Wait = ra
	case exhausted && !le.Reset.IsZero():
		le.Wait = max(le.Reset.Sub(now), time.Second)
	default:
		le.Wait = secondaryWait << min(st.secondary, 10)
		st.secondary++
	}
	return le, le.Wait
}

// retryAfter reads Retry-After: seconds, or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil && s >= 0 {
		return max(time.Duration(s)*time.Second, time.Second), true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), time.Second), true
	}
	return 0, false
}

// resetTime reads x-ratelimit-reset (UTC epoch seconds).
func resetTime(h http.Header) time.Time {
	s, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64)
	if err != nil || s <= 0 {
		return time.Time{}
	}
	return time.Unix(s, 0)
}

// notSent reports whether err happened before the request left: a failed
// dial or name lookup.
func notSent(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &op) && op.Op == "dial" || errors.As(err, &dns)
}

// replayable buffers the request body, so every attempt can send it again,
// and closes the original, as a RoundTripper must.
func replayable(req *http.Request) (func() io.ReadCloser, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read the request body: %w", err)
	}
	return func() io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }, nil
}

// buffer reads the whole answer into memory and closes the connection's
// body.
func buffer(resp *http.Response) error {
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return fmt.Errorf("read GitHub's answer: %w", err)
	}
	if len(b) > maxAnswer {
		return fmt.Errorf("GitHub's answer is over %d MiB", maxAnswer>>20)
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return nil
}

// newConfig applies opts over the defaults; timeout is the Timeout of the
// caller's http.Client.
func newConfig(timeout time.Duration, opts []Option) *config {
	c := &config{clock: realClock{}, budget: DefaultRetryBudget, timeout: timeout, rand: rand.Float64}
	if c.timeout <= 0 {
		c.timeout = DefaultRequestTimeout
	}
	for _, o := range opts {
		o(c)
	}
	if c.clock == nil {
		c.clock = realClock{}
	}
	if c.rand == nil {
		c.rand = rand.Float64
	}
	if c.budget <= 0 {
		c.budget = DefaultRetryBudget
	}
	if c.timeout <= 0 {
		c.timeout = DefaultRequestTimeout
	}
	return c
}

// wrapClient returns a client whose transport is ours over hc's. hc's
// Timeout becomes the per-attempt timeout: as a Client.Timeout it would
// cover all retries and cut a rate-limit wait short.
func wrapClient(hc *http.Client, cfg *config, api string) *http.Client {
	base := http.DefaultTransport
	out := &http.Client{}
	if hc != nil {
		if hc.Transport != nil {
			base = hc.Transport
		}
		out.CheckRedirect, out.Jar = hc.CheckRedirect, hc.Jar
	}
	out.Transport = &transport{base: base, cfg: cfg, api: api}
	return out
}
