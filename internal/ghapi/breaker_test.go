package ghapi_test

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/posthog/wizard-ci/internal/fakegh"
	"github.com/posthog/wizard-ci/internal/ghapi"
)

// countingTransport counts the attempts that reach the network.
type countingTransport struct {
	n    atomic.Int32
	base http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

// logLines collects what the client logs.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logLines) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// Once a call has used up its retries on a GitHub that refuses
// connections, every later call is tried once, without backoff, and says
// GitHub could not be reached earlier.
func TestBreakerConnectionRefused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	base := "http://" + addr + "/api/v3"
	rt := &countingTransport{base: http.DefaultTransport}
	clk := newInstantClock(epoch)
	var log logLines
	c, err := ghapi.New(&http.Client{Transport: rt}, base, "ghs_test", ghapi.WithClock(clk),
		ghapi.WithRand(func() float64 { return 0.5 }), ghapi.WithLogf(log.logf))
	if err != nil {
		t.Fatal(err)
	}

	_, err = c.PullRequest(t.Context(), repo, 7)
	if !errors.Is(err, ghapi.ErrUnreachable) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("PullRequest = %v, want a refused connection matching ErrUnreachable", err)
	}
	if strings.Contains(err.Error(), "not retrying") {
		t.Errorf("the call that used up its retries says it did not retry: %v", err)
	}
	if n := rt.n.Load(); n != 4 {
		t.Errorf("%d attempts, want 4", n)
	}
	ms := time.Millisecond
	wantWaits := []time.Duration{750 * ms, 1500 * ms, 3000 * ms}
	if d := cmp.Diff(wantWaits, clk.Waits()); d != "" {
		t.Errorf("waits (-want +got):\n%s", d)
	}
	lines := log.get()
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "GET /api/v3/repos/octo-org/octo-repo/pulls/7: dial tcp ") ||
		!strings.HasSuffix(lines[0], "; retrying in 750ms") {
		t.Errorf("log = %q, want retry lines starting with the method", lines)
	}

	calls := []struct {
		name string
		call func() error
	}{
		{"react", func() error { return c.React(t.Context(), repo, 1, ghapi.ReactionEyes) }},
		{"create", func() error { _, err := c.CreateComment(t.Context(), repo, 7, "reply"); return err }},
		{"upsert", func() error { _, err := c.UpsertComment(t.Context(), repo, 7, marker, marker); return err }},
		{"read", func() error { _, err := c.PullRequest(t.Context(), repo, 7); return err }},
	}
	for _, tc := range calls {
		before := rt.n.Load()
		err := tc.call()
		if !errors.Is(err, ghapi.ErrUnreachable) {
			t.Errorf("%s = %v, want ErrUnreachable", tc.name, err)
			continue
		}
		want := "GitHub at " + base + "/ could not be reached (earlier GET /api/v3/repos/octo-org/octo-repo/pulls/7: dial tcp "
		if msg := err.Error(); !strings.Contains(msg, want) || !strings.HasSuffix(msg, "); not retrying") {
			t.Errorf("%s = %v, want it to say %q … not retrying", tc.name, err, want)
		}
		if ghapi.StatusCode(err) != 0 {
			t.Errorf("%s: StatusCode = %d, want 0", tc.name, ghapi.StatusCode(err))
		}
		if n := rt.n.Load() - before; n != 1 {
			t.Errorf("%s: %d attempts, want 1", tc.name, n)
		}
	}
	if d := cmp.Diff(wantWaits, clk.Waits()); d != "" {
		t.Errorf("the later calls waited (-want +got):\n%s", d)
	}
	for _, l := range log.get() {
		if strings.HasPrefix(l, "GitHub") {
			t.Errorf("log line %q stutters after the caller's \"GitHub: \"", l)
		}
	}
}

// timeout is the per-attempt timeout of tests where GitHub hangs: long
// enough for the fake's answers under the race detector.
const timeout = 200 * time.Millisecond

// A GitHub that accepts connections but never answers costs one call's
// retries; later calls give up after one attempt, and an answer closes the
// breaker again.
func TestBreakerHang(t *testing.T) {
	t.Parallel()
	hang := fakegh.Fault{Kind: fakegh.Hang}
	clk := newInstantClock(epoch)
	_, rs, fi, c := faulty(t, clk, 1, ghapi.WithRequestTimeout(timeout))
	cm := rs.AddComment(5, "octocat", "User", "/wizard-ci all")
	fi.Script("GET", hang, hang, hang, hang)
	fi.Script("POST", hang)

	if _, err := c.PullRequest(t.Context(), repo, 5); !errors.Is(err, ghapi.ErrUnreachable) ||
		!strings.Contains(err.Error(), "did not answer within "+timeout.String()) {
		t.Fatalf("PullRequest = %v, want a timeout matching ErrUnreachable", err)
	}
	if n := fi.Count(fakegh.Hang); n != 4 {
		t.Errorf("%d attempts, want 4", n)
	}
	waits := len(clk.Waits())

	start := time.Now()
	err := c.React(t.Context(), repo, cm.ID, ghapi.ReactionEyes)
	if !errors.Is(err, ghapi.ErrUnreachable) || !strings.Contains(err.Error(), "could not be reached (earlier GET ") ||
		!strings.Contains(err.Error(), "; again now); not retrying") {
		t.Errorf("React = %v, want it to fail fast", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("React took %s", el)
	}
	if n := fi.Count(fakegh.Hang); n != 5 {
		t.Errorf("%d attempts in all, want 5 (one for React)", n)
	}
	if n := len(clk.Waits()); n != waits {
		t.Errorf("React waited: %v", clk.Waits()[waits:])
	}

	// GitHub is back: the first answer closes the breaker, and later
	// failures are retried again.
	if _, err := c.CreateComment(t.Context(), repo, 5, "reply"); err != nil {
		t.Fatalf("CreateComment = %v", err)
	}
	fi.Script("GET", hang, hang)
	if _, err := c.PullRequest(t.Context(), repo, 5); err != nil {
		t.Fatalf("PullRequest after GitHub answered again = %v, want the hangs retried", err)
	}
	if n := fi.Count(fakegh.Hang); n != 7 {
		t.Errorf("%d hangs, want 7 (4 + 1 + 2)", n)
	}
}

// A 5xx is an answer: GitHub was reached, so however often it comes, the
// breaker stays closed and the next call retries as usual.
func TestBreakerIgnoresServerErrors(t *testing.T) {
	t.Parallel()
	hang := fakegh.Fault{Kind: fakegh.Hang}
	clk := newInstantClock(epoch)
	s, _, fi, c := faulty(t, clk, 1, ghapi.WithRequestTimeout(timeout))
	fi.Script("GET", badGateway, badGateway, badGateway, badGateway, hang, hang)
	_, err := c.PullRequest(t.Context(), repo, 5)
	if ghapi.StatusCode(err) != 502 || errors.Is(err, ghapi.ErrUnreachable) {
		t.Fatalf("PullRequest = %v, want a 502 not matching ErrUnreachable", err)
	}
	if _, err := c.PullRequest(t.Context(), repo, 5); err != nil {
		t.Fatalf("second PullRequest = %v, want the hangs retried", err)
	}
	if n, h := s.Count("GET", fakegh.RoutePull), fi.Count(fakegh.Hang); n < 7 || h != 2 {
		t.Errorf("%d reads with %d hangs, want 7 (4 + 3) with 2", n, h)
	}
}
