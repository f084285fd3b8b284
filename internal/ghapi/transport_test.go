package ghapi_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/posthog/wizard-ci/internal/runner/runnertest"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"

	"github.com/posthog/wizard-ci/internal/fakegh"
	"github.com/posthog/wizard-ci/internal/ghapi"
	"github.com/posthog/wizard-ci/internal/publish"
)

var _ publish.Sink = (*ghapi.CommentSink)(nil)

var epoch = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

// instantClock fires every After at once, moving its time forward by the
// duration and recording it, so a test reads back every wait the client
// made without sleeping. No wait is a watchdog here, so none is held back.
type instantClock = runnertest.InstantClock

func newInstantClock(start time.Time) *instantClock {
	c := runnertest.NewInstantClock(start)
	c.Horizon = time.Duration(1<<63 - 1)
	return c
}

// faulty is a stateful fake whose faults fi decides on the client's clock.
func faulty(t *testing.T, clk *instantClock, seed uint64, opts ...ghapi.Option) (*fakegh.Server, *fakegh.RepoState, *fakegh.FaultInjector, *ghapi.Client) {
	t.Helper()
	s := fakegh.New(t, fakegh.StrictResponses())
	rs := fakegh.NewRepoState(repo.String())
	rs.Install(s)
	fi := fakegh.NewFaultInjector(seed, clk.Now)
	rs.Inject(fi)
	rs.AddPull(fakegh.PullRequest{Number: 5})
	c, _ := newClockedClient(t, s, clk, opts...)
	return s, rs, fi, c
}

func secondary(status int, retryAfter time.Duration) fakegh.Fault {
	return fakegh.Fault{Kind: fakegh.SecondaryLimit, Status: status, RetryAfter: retryAfter}
}

func primary(status int, reset time.Duration) fakegh.Fault {
	return fakegh.Fault{Kind: fakegh.PrimaryLimit, Status: status, Reset: reset}
}

var (
	badGateway = fakegh.Fault{Kind: fakegh.BadGateway}
	lost       = fakegh.Fault{Kind: fakegh.LostResponse}
)

// The waits follow what GitHub's headers ask (fixtures/github/README.md,
// "Exceeding limits"): Retry-After seconds; else the reset when the quota is
// used up; else a minute, doubling. Failures back off with jitter (fixed
// at 0.5 here: 1s·2ⁿ⁻¹·0.75).
func TestWaitsFollowHeaders(t *testing.T) {
	t.Parallel()
	const s = time.Second
	for _, tc := range []struct {
		name     string
		call     string // "get", "patch", "react", "create"
		faults   []fakegh.Fault
		want     []time.Duration
		requests int
	}{
		{name: "secondary 403 retry-after 7", call: "get", faults: []fakegh.Fault{secondary(403, 7*s)}, want: []time.Duration{7 * s}, requests: 2},
		{name: "secondary 429 retry-after 3", call: "get", faults: []fakegh.Fault{secondary(429, 3*s)}, want: []time.Duration{3 * s}, requests: 2},
		{name: "secondary 403 without retry-after", call: "get", faults: []fakegh.Fault{secondary(403, 0)}, want: []time.Duration{60 * s}, requests: 2},
		{name: "secondary 429 without retry-after", call: "get", faults: []fakegh.Fault{secondary(429, 0)}, want: []time.Duration{60 * s}, requests: 2},
		{name: "secondary twice backs off", call: "get", faults: []fakegh.Fault{secondary(403, 0), secondary(403, 0), secondary(403, 0)},
			want: []time.Duration{60 * s, 120 * s, 240 * s}, requests: 4},
		{name: "primary 403 until reset", call: "get", faults: []fakegh.Fault{primary(403, 42*s)}, want: []time.Duration{42 * s}, requests: 2},
		{name: "primary 429 until reset", call: "get", faults: []fakegh.Fault{primary(429, 90*s)}, want: []time.Duration{90 * s}, requests: 2},
		{name: "502s on a read", call: "get", faults: []fakegh.Fault{badGateway, badGateway}, want: []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond}, requests: 3},
		{name: "lost PATCH is repeated", call: "patch", faults: []fakegh.Fault{lost}, want: []time.Duration{750 * time.Millisecond}, requests: 2},
		{name: "lost reaction is repeated", call: "react", faults: []fakegh.Fault{lost}, want: []time.Duration{750 * time.Millisecond}, requests: 2},
		{name: "secondary limit on a create is repeated", call: "create", faults: []fakegh.Fault{secondary(403, 7*s)}, want: []time.Duration{7 * s}, requests: 2},
		{name: "primary limit on a create is repeated", call: "create", faults: []fakegh.Fault{primary(403, 42*s)}, want: []time.Duration{42 * s}, requests: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clk := newInstantClock(epoch)
			srv, rs, fi, c := faulty(t, clk, 1)
			cm := rs.AddComment(5, fakegh.DefaultBot, "Bot", "old "+marker)
			method, route := "", ""
			var err error
			switch tc.call {
			case "get":
				method, route = "GET", fakegh.RoutePull
				fi.Script(method, tc.faults...)
				_, err = c.PullRequest(t.Context(), repo, 5)
			case "patch":
				method, route = "PATCH", fakegh.RouteComment
				fi.Script(method, tc.faults...)
				_, err = c.UpdateComment(t.Context(), repo, cm.ID, "new "+marker)
			case "react":
				method, route = "POST", fakegh.RouteReactions
				fi.Script(method, tc.faults...)
				err = c.React(t.Context(), repo, cm.ID, ghapi.ReactionEyes)
			case "create":
				method, route = "POST", fakegh.RouteIssueComments
				fi.Script(method, tc.faults...)
				_, err = c.CreateComment(t.Context(), repo, 5, "reply")
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, clk.Waits()); d != "" {
				t.Errorf("waits (-want +got):\n%s", d)
			}
			if n := srv.Count(method, route); n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
			for _, in := range fi.Injected() {
				if in.Blocked {
					t.Errorf("a request went out while a limit was in force: %+v", in)
				}
			}
			got, _ := rs.Comment(cm.ID)
			switch tc.call {
			case "patch":
				if got.Body != "new "+marker {
					t.Errorf("body = %q", got.Body)
				}
			case "react":
				if d := cmp.Diff([]string{"eyes"}, got.Reactions); d != "" {
					t.Errorf("reactions (-want +got):\n%s", d)
				}
			case "create":
				// The body went out again with the repeated request.
				if cs := rs.Comments(5); len(cs) != 2 || cs[1].Body != "reply" {
					t.Errorf("comments = %+v, want the reply stored once", cs)
				}
			}
		})
	}
}

// A failed create is not repeated by the transport: it may have reached
// GitHub, and only a caller with a marker can tell.
func TestCreateNotRepeatedBlindly(t *testing.T) {
	t.Parallel()
	for _, f := range []fakegh.Fault{badGateway, lost} {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			clk := newInstantClock(epoch)
			s, rs, fi, c := faulty(t, clk, 1)
			fi.Script("POST", f)
			_, err := c.CreateComment(t.Context(), repo, 5, "reply")
			if ghapi.StatusCode(err) != 502 {
				t.Errorf("CreateComment = %v, want a 502", err)
			}
			if n := s.Count("POST", fakegh.RouteIssueComments); n != 1 || len(clk.Waits()) != 0 {
				t.Errorf("%d POSTs, waits %v; want 1 and none", n, clk.Waits())
			}
			if _, ok := ghapi.RetryAfter(err, clk.Now()); ok {
				t.Error("a 502 is taken for a rate limit")
			}
			stored := 0
			if f.Kind == fakegh.LostResponse {
				stored = 1
			}
			if n := len(rs.Comments(5)); n != stored {
				t.Errorf("%d comments stored, want %d", n, stored)
			}
		})
	}
}

// Answers that are not limits or server errors are handed up at once.
func TestNoRetryForAnswers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status int
		msg    string
	}{
		{403, "Resource not accessible by integration"},
		{404, "Not Found"},
		{401, "Bad credentials"},
	} {
		t.Run(tc.msg, func(t *testing.T) {
			t.Parallel()
			s := fakegh.New(t)
			s.Handle("GET", fakegh.RoutePermission, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				fakegh.Error(w, tc.status, tc.msg)
			})
			clk := newInstantClock(epoch)
			c, _ := newClockedClient(t, s, clk)
			_, err := c.Permission(t.Context(), repo, "octocat")
			if ghapi.StatusCode(err) != tc.status || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Permission = %v, want %d %s", err, tc.status, tc.msg)
			}
			if len(s.Log()) != 1 || len(clk.Waits()) != 0 {
				t.Errorf("%d requests, waits %v; want 1 and none", len(s.Log()), clk.Waits())
			}
		})
	}
}

// A 5xx that does not go away is handed up after the last retry, so the
// caller can say what GitHub answered.
func TestPersistentServerError(t *testing.T) {
	t.Parallel()
	s := fakegh.New(t)
	s.Handle("GET", fakegh.RoutePermission, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		fakegh.Error(w, 500, "Server Error")
	})
	clk := newInstantClock(epoch)
	c, _ := newClockedClient(t, s, clk)
	_, err := c.Permission(t.Context(), repo, "octocat")
	if ghapi.StatusCode(err) != 500 {
		t.Errorf("Permission = %v, want a 500", err)
	}
	ms := time.Millisecond
	if d := cmp.Diff([]time.Duration{750 * ms, 1500 * ms, 3000 * ms}, clk.Waits()); d != "" {
		t.Errorf("waits (-want +got):\n%s", d)
	}
	if n := len(s.Log()); n != 4 {
		t.Errorf("%d requests, want 4", n)
	}
}

// A limit that outlasts the budget ends the call, with what GitHub asked;
// a wait that would end past the budget is not started.
func TestRetryBudget(t *testing.T) {
	t.Parallel()
	t.Run("secondary backoff", func(t *testing.T) {
		t.Parallel()
		clk := newInstantClock(epoch)
		s, _, fi, c := faulty(t, clk, 1, ghapi.WithRetryBudget(5*time.Minute))
		fi.Script("GET", secondary(403, 0), secondary(403, 0), secondary(403, 0))
		_, err := c.PullRequest(t.Context(), repo, 5)
		var le *ghapi.LimitError
		if !errors.As(err, &le) || !le.Secondary || le.StatusCode != 403 || le.Wait != 4*time.Minute {
			t.Fatalf("PullRequest = %v (%+v), want a secondary *LimitError asking 4m", err, le)
		}
		if d := cmp.Diff([]time.Duration{time.Minute, 2 * time.Minute}, clk.Waits()); d != "" {
			t.Errorf("waits (-want +got):\n%s", d)
		}
		if n := s.Count("GET", fakegh.RoutePull); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
		if ghapi.StatusCode(err) != 403 {
			t.Errorf("StatusCode = %d", ghapi.StatusCode(err))
		}
	})
	t.Run("reset after the budget", func(t *testing.T) {
		t.Parallel()
		clk := newInstantClock(epoch)
		s, _, fi, c := faulty(t, clk, 1)
		fi.Script("GET", primary(429, time.Hour))
		_, err := c.PullRequest(t.Context(), repo, 5)
		var le *ghapi.LimitError
		if !errors.As(err, &le) || le.Secondary || le.StatusCode != 429 || !le.Reset.Equal(epoch.Add(time.Hour)) {
			t.Fatalf("PullRequest = %v, want a primary *LimitError", err)
		}
		if wait, ok := ghapi.RetryAfter(err, clk.Now()); !ok || wait != time.Hour {
			t.Errorf("RetryAfter = %v, %v; want 1h", wait, ok)
		}
		if len(clk.Waits()) != 0 || s.Count("GET", fakegh.RoutePull) != 1 {
			t.Errorf("waits %v, %d requests; want none and 1", clk.Waits(), s.Count("GET", fakegh.RoutePull))
		}
		// The limit holds for the next call too, on our clock: it fails
		// without a request, until the reset has passed.
		if _, err := c.PullRequest(t.Context(), repo, 5); !errors.As(err, &le) {
			t.Errorf("second call = %v, want a *LimitError", err)
		}
		if n := s.Count("GET", fakegh.RoutePull); n != 1 {
			t.Errorf("%d requests, want still 1", n)
		}
		clk.Advance(time.Hour)
		if _, err := c.PullRequest(t.Context(), repo, 5); err != nil {
			t.Errorf("after the reset: %v", err)
		}
	})
}

// go-github keeps the quota it last saw and, while it reads 0 with a reset
// in the (real) future, refuses requests by itself with a made-up 403. The
// transport takes the quota over: it waits for the reset on its own clock,
// and go-github never sees the 0.
func TestGoGitHubNeverShortCircuits(t *testing.T) {
	t.Parallel()
	// go-github compares the reset with the real time: start there.
	start := time.Now().Truncate(time.Second)
	clk := newInstantClock(start)
	s, _, fi, c := faulty(t, clk, 1)
	last := fakegh.Fault{Kind: fakegh.LastOfQuota, Reset: 5 * time.Minute}

	// The hazard: plain go-github on the same fake.
	fi.Script("GET", last)
	plain := github.NewClient(s.Client())
	plain.BaseURL, _ = url.Parse(s.URL() + "/")
	if _, _, err := plain.PullRequests.Get(t.Context(), repo.Owner, repo.Name, 5); err != nil {
		t.Fatal(err)
	}
	_, _, err := plain.PullRequests.Get(t.Context(), repo.Owner, repo.Name, 5)
	var rl *github.RateLimitError
	if !errors.As(err, &rl) || len(s.Log()) != 1 {
		t.Fatalf("plain go-github: %v after %d requests; the test no longer shows the hazard", err, len(s.Log()))
	}

	clk.Advance(5 * time.Minute) // past the fake's block
	fi.Script("GET", last)
	for i := range 2 {
		if _, err := c.PullRequest(t.Context(), repo, 5); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	if d := cmp.Diff([]time.Duration{5 * time.Minute}, clk.Waits()); d != "" {
		t.Errorf("waits (-want +got):\n%s", d)
	}
	if n := len(s.Log()); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	for _, in := range fi.Injected() {
		if in.Blocked {
			t.Errorf("a request went out before the reset: %+v", in)
		}
	}
}

// After giving up on a secondary limit, the next call goes out as soon as
// the limit is over on our clock: go-github never saw the 403, so its own
// real-time block never starts.
func TestAfterGivingUp(t *testing.T) {
	t.Parallel()
	clk := newInstantClock(epoch)
	s, _, fi, c := faulty(t, clk, 1, ghapi.WithRetryBudget(10*time.Second))
	fi.Script("GET", secondary(403, 30*time.Second))
	var le *ghapi.LimitError
	if _, err := c.PullRequest(t.Context(), repo, 5); !errors.As(err, &le) {
		t.Fatalf("PullRequest = %v, want a *LimitError", err)
	}
	clk.Advance(30 * time.Second)
	if _, err := c.PullRequest(t.Context(), repo, 5); err != nil {
		t.Fatalf("after the limit: %v", err)
	}
	if n := len(s.Log()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// neverClock never fires; each After cancels the call instead.
type neverClock struct{ cancel func() }

func (neverClock) Now() time.Time { return epoch }
func (c neverClock) After(time.Duration) <-chan time.Time {
	c.cancel()
	return make(chan time.Time)
}

// A call cancelled while it waits out a limit ends at once with the
// context's error.
func TestCancelDuringWait(t *testing.T) {
	t.Parallel()
	s, rs := fakegh.NewWithRepo(t, repo.String())
	rs.AddPull(fakegh.PullRequest{Number: 5})
	fi := fakegh.NewFaultInjector(1, func() time.Time { return epoch }).Script("GET", secondary(403, time.Minute))
	rs.Inject(fi)
	ctx, cancel := context.WithCancel(t.Context())
	c, err := ghapi.New(s.Client(), s.URL(), "ghs_test", ghapi.WithClock(neverClock{cancel}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PullRequest(ctx, repo, 5); !errors.Is(err, context.Canceled) {
		t.Errorf("PullRequest = %v, want context.Canceled", err)
	}
	if n := len(s.Log()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// A server that never answers costs a few per-attempt timeouts, not a hang.
func TestStuckServer(t *testing.T) {
	t.Parallel()
	hang := fakegh.Fault{Kind: fakegh.Hang}
	t.Run("read", func(t *testing.T) {
		t.Parallel()
		clk := newInstantClock(epoch)
		_, _, fi, c := faulty(t, clk, 1, ghapi.WithRequestTimeout(50*time.Millisecond))
		fi.Script("GET", hang, hang, hang, hang, hang)
		start := time.Now()
		_, err := c.PullRequest(t.Context(), repo, 5)
		if err == nil || !strings.Contains(err.Error(), "did not answer within 50ms") {
			t.Errorf("PullRequest = %v, want a timeout", err)
		}
		if el := time.Since(start); el > 10*time.Second {
			t.Errorf("took %s", el)
		}
		if n := fi.Count(fakegh.Hang); n != 4 {
			t.Errorf("%d attempts, want 4", n)
		}
		if ghapi.StatusCode(err) != 0 {
			t.Errorf("StatusCode = %d, want 0 (no answer)", ghapi.StatusCode(err))
		}
	})
	t.Run("create", func(t *testing.T) {
		t.Parallel()
		// The create may have landed: the comment is looked up before it
		// is created again.
		clk := newInstantClock(epoch)
		s, rs, fi, c := faulty(t, clk, 1, ghapi.WithRequestTimeout(50*time.Millisecond))
		fi.Script("POST", hang)
		got, err := c.UpsertComment(t.Context(), repo, 5, marker, marker+" v1")
		if err != nil {
			t.Fatal(err)
		}
		if cs := rs.Comments(5); len(cs) != 1 || cs[0].ID != got.ID {
			t.Errorf("comments = %+v", cs)
		}
		if n := s.Count("GET", fakegh.RouteIssueComments); n != 2 {
			t.Errorf("%d lookups, want 2 (before the create and after it hung)", n)
		}
	})
}

// The ISSUE-4 scenario: 30 publications of one results comment through 20%
// failed writes (half of them after GitHub stored the change), secondary
// limits with and without Retry-After, and a primary limit, end with exactly
// one comment holding the last body, and never a second one.
func TestResultsCommentNeverDuplicated(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		seed uint64
		// existing: the results comment of an earlier attempt of this run,
		// on page 3 of 250 comments.
		existing bool
		// deleteAfter: someone deletes the comment after this many
		// publications.
		deleteAfter int
	}{
		{name: "new comment", seed: 1},
		{name: "found on page 3 of 250", seed: 2, existing: true},
		{name: "deleted after two updates", seed: 4, deleteAfter: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clk := newInstantClock(epoch)
			s, rs, fi, c := faulty(t, clk, tc.seed)
			var seeded int64
			if tc.existing {
				for i := range 250 {
					switch i {
					case 230:
						seeded = rs.AddComment(5, fakegh.DefaultBot, "Bot", marker+"\nattempt 1").ID
					case 240:
						rs.AddComment(5, "mallory", "User", "planted "+marker)
					default:
						rs.AddComment(5, "octocat", "User", fmt.Sprintf("comment %d", i))
					}
				}
			}
			fi.FailWrites(0.2, badGateway, lost)
			fi.Script("POST", lost)
			fi.Script("PATCH", fakegh.Fault{}, secondary(403, 7*time.Second), fakegh.Fault{}, secondary(403, 0),
				fakegh.Fault{}, lost, fakegh.Fault{}, primary(403, 90*time.Second), secondary(429, 0))
			sink := c.CommentSink(repo, 5, marker)
			var ids []int64
			for i := range 30 {
				body := fmt.Sprintf("%s\n%d/30 done", marker, i+1)
				if err := sink.Publish(t.Context(), body); err != nil {
					t.Fatalf("publish %d: %v", i+1, err)
				}
				ours := ourComments(rs)
				if len(ours) != 1 || ours[0].Body != body || ours[0].ID != sink.ID() {
					t.Fatalf("after publish %d: our comments = %+v, want one with %q", i+1, ours, body)
				}
				if !strings.HasSuffix(sink.URL(), fmt.Sprintf("#issuecomment-%d", sink.ID())) {
					t.Errorf("URL = %q", sink.URL())
				}
				if len(ids) == 0 || ids[len(ids)-1] != sink.ID() {
					ids = append(ids, sink.ID())
				}
				if i+1 == tc.deleteAfter {
					if !rs.DeleteComment(sink.ID()) {
						t.Fatal("delete failed")
					}
				}
			}

			wantIDs := 1
			if tc.deleteAfter > 0 {
				wantIDs = 2
			}
			if len(ids) != wantIDs {
				t.Errorf("comment ids over the run %v, want %d", ids, wantIDs)
			}
			if tc.existing {
				if ids[0] != seeded {
					t.Errorf("updated comment %d, want the one on page 3 (%d)", ids[0], seeded)
				}
				if n := s.Count("POST", fakegh.RouteIssueComments); n != 0 {
					t.Errorf("%d creates, want none", n)
				}
				if n := s.Count("GET", fakegh.RouteIssueComments); n != 3 {
					t.Errorf("%d list requests, want 3 (pages 1–3, once)", n)
				}
			}
			for _, k := range []fakegh.FaultKind{fakegh.BadGateway, fakegh.LostResponse, fakegh.SecondaryLimit, fakegh.PrimaryLimit} {
				if fi.Count(k) == 0 {
					t.Errorf("no %v was injected; the test proves less than it says", k)
				}
			}
			if !tc.existing {
				lostCreate := false
				for _, in := range fi.Injected() {
					lostCreate = lostCreate || in.Method == "POST" && in.Fault.Kind == fakegh.LostResponse
				}
				if !lostCreate {
					t.Error("no create lost its answer")
				}
			}
			for _, in := range fi.Injected() {
				if in.Blocked {
					t.Errorf("a request went out while a limit was in force: %+v", in)
				}
			}
			waits := clk.Waits()
			for _, want := range []time.Duration{7 * time.Second, time.Minute} {
				if !slices.Contains(waits, want) {
					t.Errorf("waits %v lack %s", waits, want)
				}
			}
			if !slices.ContainsFunc(waits, func(d time.Duration) bool { return d > 89*time.Second && d <= 90*time.Second }) {
				t.Errorf("waits %v lack the wait for the primary reset (90s)", waits)
			}
			t.Logf("%d requests, %d faults, waits %v", len(s.Log()), len(fi.Injected()), waits)
		})
	}
}

// ourComments are the bot's comments holding the marker.
func ourComments(rs *fakegh.RepoState) []fakegh.Comment {
	var out []fakegh.Comment
	for _, cm := range rs.Comments(5) {
		if cm.AuthorType == "Bot" && strings.Contains(cm.Body, marker) {
			out = append(out, cm)
		}
	}
	return out
}

// The tracking issue is opened once even when the answer to the create is
// lost.
func TestUpsertIssueLostCreate(t *testing.T) {
	t.Parallel()
	const mark = "<!-- wizard-ci:report -->"
	clk := newInstantClock(epoch)
	s, rs, fi, c := faulty(t, clk, 1)
	fi.Script("POST", lost, lost)
	is, err := c.UpsertIssue(t.Context(), repo, "wizard-ci: scheduled runs", mark, mark+"\nrun 1")
	if err != nil {
		t.Fatal(err)
	}
	if iss := rs.Issues(); len(iss) != 1 || iss[0].Number != is.Number || iss[0].Body != mark+"\nrun 1" {
		t.Errorf("issues = %+v", iss)
	}
	if n := s.Count("POST", fakegh.RouteIssues); n != 1 {
		t.Errorf("%d creates, want 1", n)
	}
}

// A create that fails before GitHub stored anything is made again, once.
func TestUpsertCommentBadGatewayCreate(t *testing.T) {
	t.Parallel()
	clk := newInstantClock(epoch)
	s, rs, fi, c := faulty(t, clk, 1)
	fi.Script("POST", badGateway, badGateway)
	if _, err := c.UpsertComment(t.Context(), repo, 5, marker, marker+" v1"); err != nil {
		t.Fatal(err)
	}
	if n := len(rs.Comments(5)); n != 1 {
		t.Errorf("%d comments, want 1", n)
	}
	if n := s.Count("POST", fakegh.RouteIssueComments); n != 3 {
		t.Errorf("%d creates, want 3", n)
	}
	ms := time.Millisecond
	if d := cmp.Diff([]time.Duration{750 * ms, 1500 * ms}, clk.Waits()); d != "" {
		t.Errorf("waits (-want +got):\n%s", d)
	}
}

func TestUpsertNeedsMarkerInBody(t *testing.T) {
	t.Parallel()
	s := fakegh.New(t)
	c := newClient(t, s)
	if _, err := c.UpsertComment(t.Context(), repo, 5, marker, "no marker"); err == nil {
		t.Error("UpsertComment without the marker in the body = nil error")
	}
	if _, err := c.UpsertIssue(t.Context(), repo, "t", marker, "no marker"); err == nil {
		t.Error("UpsertIssue without the marker in the body = nil error")
	}
}
