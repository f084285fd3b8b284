package fakegh

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var epoch = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

func faultState(t *testing.T, fi *FaultInjector) (*Server, *RepoState, *tbRecorder, string) {
	t.Helper()
	s, rs, rec := newState(t)
	rs.Inject(fi)
	rs.AddPull(PullRequest{Number: 4})
	return s, rs, rec, s.URL() + "/repos/octo-org/octo-repo/issues/4/comments"
}

// The limit answers carry GitHub's documented headers and bodies, pass the
// OpenAPI checks, and block later requests until they are over.
func TestLimitAnswers(t *testing.T) {
	t.Parallel()
	clk := &testClock{now: epoch}
	fi := NewFaultInjector(1, clk.Now).Script("",
		Fault{Kind: SecondaryLimit, RetryAfter: 7 * time.Second},
		Fault{Kind: SecondaryLimit, Status: 429},
		Fault{Kind: PrimaryLimit, Reset: 42 * time.Second},
	)
	_, _, rec, list := faultState(t, fi)

	type answer struct {
		Status                int
		RetryAfter, Remaining string
		Reset                 int64
		Message, Docs         string
	}
	get := func() answer {
		t.Helper()
		resp, body := do(t, "GET", list, "")
		var b struct {
			Message string `json:"message"`
			Docs    string `json:"documentation_url"`
		}
		_ = json.Unmarshal([]byte(body), &b)
		reset, _ := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64)
		if resp.StatusCode != 200 {
			if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
		}
		return answer{resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("X-RateLimit-Remaining"), reset, b.Message, b.Docs}
	}
	sec := func(status int, ra string) answer {
		return answer{Status: status, RetryAfter: ra, Message: SecondaryLimitMessage, Docs: SecondaryLimitDocs}
	}
	var got []answer
	ignoreQuota := func(a answer) answer {
		if a.Status != 200 && a.Remaining != "0" {
			a.Remaining, a.Reset = "", 0 // the server's ordinary quota headers
		}
		if a.Status == 200 {
			a = answer{Status: 200}
		}
		return a
	}
	got = append(got, ignoreQuota(get())) // secondary, retry-after 7
	clk.advance(3 * time.Second)
	got = append(got, ignoreQuota(get())) // still blocked: 4 seconds left
	clk.advance(4 * time.Second)
	got = append(got, ignoreQuota(get())) // secondary 429, no retry-after
	clk.advance(59 * time.Second)
	got = append(got, ignoreQuota(get())) // blocked for a minute
	clk.advance(time.Second)
	got = append(got, ignoreQuota(get())) // primary
	reset := clk.Now().Add(42 * time.Second).Unix()
	clk.advance(41 * time.Second)
	got = append(got, ignoreQuota(get())) // still before the reset
	clk.advance(time.Second)
	got = append(got, ignoreQuota(get())) // through
	prim := answer{Status: 403, Remaining: "0", Reset: reset, Message: PrimaryLimitMessage, Docs: PrimaryLimitDocs}
	want := []answer{sec(403, "7"), sec(403, "4"), sec(429, ""), sec(429, ""), prim, prim, {Status: 200}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("answers (-want +got):\n%s", d)
	}
	var blocked []bool
	for _, in := range fi.Injected() {
		blocked = append(blocked, in.Blocked)
	}
	if d := cmp.Diff([]bool{false, true, false, true, false, true}, blocked); d != "" {
		t.Errorf("Injected blocked flags (-want +got):\n%s", d)
	}
	rec.expect(t)
}

// A lost response changes the state and answers 502; a bad gateway does
// not change it.
func TestLostResponse(t *testing.T) {
	t.Parallel()
	fi := NewFaultInjector(1, nil).Script("POST", Fault{Kind: LostResponse}, Fault{Kind: BadGateway})
	_, rs, rec, list := faultState(t, fi)
	for i, want := range []int{502, 502, 201} {
		if resp, _ := do(t, "POST", list, `{"body":"hello"}`); resp.StatusCode != want {
			t.Errorf("POST %d: status %d, want %d", i, resp.StatusCode, want)
		}
	}
	if n := len(rs.Comments(4)); n != 2 {
		t.Errorf("%d comments, want 2 (lost response, then the last POST)", n)
	}
	if fi.Count(LostResponse) != 1 || fi.Count(BadGateway) != 1 {
		t.Errorf("injected %v", fi.Injected())
	}
	rec.expect(t)
}

// The same seed gives the same faults, at about the rate asked; reads are
// never failed by FailWrites.
func TestFailWritesDeterministic(t *testing.T) {
	t.Parallel()
	run := func() []Injection {
		fi := NewFaultInjector(42, nil).FailWrites(0.2, Fault{Kind: BadGateway}, Fault{Kind: LostResponse})
		_, _, rec, list := faultState(t, fi)
		for range 100 {
			do(t, "POST", list, `{"body":"x"}`)
			do(t, "GET", list, "")
		}
		rec.expect(t)
		return fi.Injected()
	}
	a, b := run(), run()
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("two runs with one seed differ (-first +second):\n%s", d)
	}
	if len(a) < 10 || len(a) > 30 {
		t.Errorf("%d faults in 100 writes at rate 0.2", len(a))
	}
	kinds := map[FaultKind]int{}
	for _, in := range a {
		if in.Method != "POST" {
			t.Errorf("fault on a read: %+v", in)
		}
		kinds[in.Fault.Kind]++
	}
	if kinds[BadGateway] == 0 || kinds[LostResponse] == 0 {
		t.Errorf("kinds = %v, want both", kinds)
	}
}

// LastOfQuota answers normally with remaining 0; the next request before
// the reset meets the primary limit.
func TestLastOfQuota(t *testing.T) {
	t.Parallel()
	clk := &testClock{now: epoch}
	fi := NewFaultInjector(1, clk.Now).Script("GET", Fault{Kind: LastOfQuota, Reset: 5 * time.Minute})
	_, _, rec, list := faultState(t, fi)
	resp, _ := do(t, "GET", list, "")
	if resp.StatusCode != 200 || resp.Header.Get("X-RateLimit-Remaining") != "0" ||
		resp.Header.Get("X-RateLimit-Reset") != strconv.FormatInt(epoch.Add(5*time.Minute).Unix(), 10) {
		t.Errorf("last of quota: %d remaining=%q reset=%q", resp.StatusCode, resp.Header.Get("X-RateLimit-Remaining"), resp.Header.Get("X-RateLimit-Reset"))
	}
	if resp, _ := do(t, "GET", list, ""); resp.StatusCode != 403 || resp.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("after the last of the quota: %d", resp.StatusCode)
	}
	clk.advance(5 * time.Minute)
	if resp, _ := do(t, "GET", list, ""); resp.StatusCode != 200 {
		t.Errorf("after the reset: %d", resp.StatusCode)
	}
	rec.expect(t)
}

// Hang holds the request until the client gives up.
func TestHang(t *testing.T) {
	t.Parallel()
	fi := NewFaultInjector(1, nil).Script("GET", Fault{Kind: Hang})
	_, rs, rec, list := faultState(t, fi)
	arrived := make(chan struct{})
	rs.Intercept(func(http.ResponseWriter, *http.Request, []byte) bool {
		close(arrived)
		return false
	})
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, "GET", list, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		resp, err := testClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	select {
	case <-arrived:
	case err := <-done:
		t.Fatalf("answered before the server got the request: %v", err)
	}
	select {
	case err := <-done:
		t.Fatalf("answered before the client gave up: %v", err)
	default:
	}
	cancel()
	if err := <-done; err == nil {
		t.Error("the hung request succeeded")
	}
	rec.expect(t)
}
