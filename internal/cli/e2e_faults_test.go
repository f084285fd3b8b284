package cli

// End-to-end tests of the results comment when GitHub misbehaves: failed
// and lost writes, secondary rate limits, a comment deleted mid-run.

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posthog/wizard-ci/internal/fakegh"
	"github.com/posthog/wizard-ci/internal/report"
	"github.com/posthog/wizard-ci/internal/results"
)

// faultSeed makes the random write faults of TestResultsCommentUnderFaults
// the same on every run: the unscripted writes draw, in order, a lost
// answer, nothing, a 502, nothing, a secondary limit, then nothing for at
// least five more (which write gets which draw depends only on how many
// intermediate updates the run makes). No request meets two drawn faults
// in a row, so the test stays fast however the draws fall (the final update
// of a run that was not cancelled may take minutes: finalUpdateWait).
const faultSeed = 39164

// TestResultsCommentUnderFaults runs a command on four apps while the fake
// GitHub fails about 20% of writes (POST, PATCH): 502s that did nothing,
// 502s whose write was applied but whose answer was lost, and secondary
// rate limits with `retry-after: 1`. The first writes are scripted, so each
// kind surely hits the results comment's create and update; the rest are
// drawn with a fixed seed. However the faults fall, the PR ends with exactly
// one results comment, its final body is comment.md, no reply or reaction
// is doubled, and the exit code is the run's (0: every app succeeded).
//
// Secondary limits without Retry-After are left out here: GitHub asks to
// wait at least a minute then, and ghapi does (secondaryWait, doubling), so
// they are tested with a fake clock at the ghapi level (TestRetryBudget,
// TestSecondaryRateLimit in internal/ghapi).
func TestResultsCommentUnderFaults(t *testing.T) {
	e := newE2E(t)
	e.rs.AddPull(fakegh.PullRequest{Number: 41})
	e.rs.SetRole("maintainer-1", "write")
	e.commentEvent("created", 41, "maintainer-1", "User", "/wizard-ci basic-integration/flask basic-integration/fastapi misc revenue")
	wantApps := []string{"basic-integration/fastapi/items", "basic-integration/flask/todo", "misc/skills/node-worker", "revenue/stripe/checkout-node"}

	limit := fakegh.Fault{Kind: fakegh.SecondaryLimit, RetryAfter: time.Second}
	fi := fakegh.NewFaultInjector(faultSeed, nil).
		// POSTs in order: the 👀 reaction, then the results comment's
		// create: it fails, then is applied with its answer lost.
		Script(http.MethodPost, fakegh.Fault{}, fakegh.Fault{Kind: fakegh.BadGateway}, fakegh.Fault{Kind: fakegh.LostResponse}).
		// The first updates: applied but lost, then a secondary limit.
		Script(http.MethodPatch, fakegh.Fault{Kind: fakegh.LostResponse}, limit).
		FailWrites(0.2, fakegh.Fault{Kind: fakegh.BadGateway}, fakegh.Fault{Kind: fakegh.LostResponse}, limit)
	e.rs.Inject(fi)
	marker := report.ResultsMarker(e2eRunID)
	var mu sync.Mutex
	var creates []string
	e.interceptCreate(func(body string) {
		mu.Lock()
		defer mu.Unlock()
		creates = append(creates, body)
	})

	start := time.Now()
	e.run()
	t.Logf("ran in %s, %d requests", time.Since(start).Round(time.Millisecond), len(e.srv.Log()))
	for _, in := range fi.Injected() {
		t.Logf("injected %v on %s %s (blocked: %v)", in.Fault, in.Method, in.Path, in.Blocked)
	}
	if e.code != 0 {
		t.Fatalf("exit %d, want 0 (every app succeeded)\nstderr:\n%s", e.code, e.stderr)
	}
	if strings.Contains(e.stderr, "could not be posted") {
		t.Errorf("stderr says the report could not be posted:\n%s", e.stderr)
	}
	for _, k := range []fakegh.FaultKind{fakegh.BadGateway, fakegh.LostResponse, fakegh.SecondaryLimit} {
		if fi.Count(k) == 0 {
			t.Errorf("no %v was injected; the test proves less than it says", k)
		}
	}
	mu.Lock()
	n := len(creates)
	mu.Unlock()
	if n < 2 {
		t.Errorf("%d create requests; the scripted 502 should have made the binary try again", n)
	}

	// Exactly one bot comment (no reply, no second results comment), and
	// the PR holds nothing else but the command.
	bots := e.botComments(41)
	if len(bots) != 1 {
		for _, b := range bots {
			t.Logf("bot comment %d:\n%.300s", b.ID, b.Body)
		}
		t.Fatalf("%d bot comments, want exactly 1 results comment", len(bots))
	}
	if all := e.rs.Comments(41); len(all) != 2 {
		t.Errorf("%d comments on the PR, want the command and the results comment", len(all))
	}
	final := bots[0].Body
	if !strings.HasPrefix(final, marker) {
		t.Errorf("the results comment does not start with its marker:\n%s", final)
	}
	md, err := os.ReadFile(filepath.Join(e.outDir(), results.CommentFile))
	if err != nil {
		t.Fatal(err)
	}
	if final != string(md) {
		t.Errorf("the final comment differs from %s:\n--- comment ---\n%s\n--- %s ---\n%s", results.CommentFile, final, results.CommentFile, md)
	}
	assertComplete(t, final, wantApps)
	if got, want := e.reactions(), []string{"eyes", "+1"}; !slices.Equal(got, want) {
		t.Errorf("reactions = %v, want %v", got, want)
	}
	out := e.outputs()
	for k, want := range map[string]string{"total": "4", "succeeded": "4", "failed": "0"} {
		if out[k] != want {
			t.Errorf("output %s = %q, want %q", k, out[k], want)
		}
	}
	if want := "#issuecomment-" + strconv.FormatInt(bots[0].ID, 10); !strings.HasSuffix(out["comment-url"], want) {
		t.Errorf("comment-url = %q, want the results comment (%s)", out["comment-url"], want)
	}
}

// assertComplete checks a final results comment: a success row for every
// app and no row left pending or running.
func assertComplete(t *testing.T, body string, apps []string) {
	t.Helper()
	for _, app := range apps {
		if !rowHas(body, app, "success") {
			t.Errorf("the final comment has no success row for %s:\n%s", app, body)
		}
	}
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "|") && (strings.Contains(line, "pending") || strings.Contains(line, "running")) {
			t.Errorf("the final comment still has the row %q", line)
		}
	}
	if want := "all " + strconv.Itoa(len(apps)) + " apps succeeded"; !strings.Contains(body, want) {
		t.Errorf("the final comment's title does not say %q:\n%s", want, body)
	}
}

// TestDeletedResultsCommentRecreated: someone deletes the results comment
// after its second update. The wizard runs on one app at a time, each held
// at a gate the test opens, so the run cannot end before the deletion and
// the comment surely gets a third update: that update finds the comment
// gone (the fake's real 404), the binary creates a new one, and the PR ends
// with exactly one results comment, complete.
func TestDeletedResultsCommentRecreated(t *testing.T) {
	e := newE2E(t)
	e.rs.AddPull(fakegh.PullRequest{Number: 42})
	e.rs.SetRole("contributor-1", "write")
	_, _, gates := e.wrapWizard(true)
	e.env["INPUT_CONCURRENCY"] = "1"
	e.commentEvent("created", 42, "contributor-1", "User", "/wizard-ci basic-integration/flask misc revenue")
	apps := []string{"basic-integration/flask/todo", "misc/skills/node-worker", "revenue/stripe/checkout-node"}
	marker := report.ResultsMarker(e2eRunID)

	var (
		patches atomic.Int64
		creates atomic.Int64
		deleted atomic.Int64 // the id of the comment deleted
		mu      sync.Mutex
		sent    []string // bodies of the results comment's writes
	)
	e.rs.Intercept(func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		var b struct{ Body string }
		_ = json.Unmarshal(body, &b)
		if !strings.HasPrefix(b.Body, marker) {
			return false
		}
		mu.Lock()
		sent = append(sent, b.Body)
		mu.Unlock()
		switch r.Method {
		case http.MethodPost:
			creates.Add(1)
		case http.MethodPatch:
			// Updates are sent one at a time (one writer): the third
			// arrives after the second was applied. Delete the comment
			// just before the fake handles the third.
			if patches.Add(1) == 3 {
				id, err := strconv.ParseInt(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], 10, 64)
				if err == nil && e.rs.DeleteComment(id) {
					deleted.Store(id)
				}
			}
		}
		return false
	})

	run := e.start()
	// shows reports whether a write of the results comment has shown app
	// succeeded.
	shows := func(app string) bool {
		mu.Lock()
		defer mu.Unlock()
		return slices.ContainsFunc(sent, func(body string) bool { return rowHas(body, app, "success") })
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for !cond() {
			select {
			case <-run.done:
				t.Fatalf("the run ended (exit %d) before %s\nstderr:\n%s", e.code, what, e.stderr)
			case <-time.After(10 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("no %s within a minute", what)
			}
		}
	}
	// Each app finished makes its own update: the one showing the first
	// app is at least the first, the one showing the second (started only
	// once the first was sent) at least the second, and the final one comes
	// after it, so there are three or more.
	openGate(t, gates, apps[0])
	waitFor("update showing "+apps[0], func() bool { return shows(apps[0]) })
	openGate(t, gates, apps[1])
	waitFor("update showing "+apps[1], func() bool { return shows(apps[1]) })
	openGate(t, gates, apps[2])
	run.wait(t, 2*time.Minute)
	if e.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", e.code, e.stderr)
	}

	t.Logf("%d updates, %d creates of the results comment", patches.Load(), creates.Load())
	gone := deleted.Load()
	if gone == 0 {
		t.Fatalf("the results comment was not deleted (%d updates)", patches.Load())
	}
	if _, ok := e.rs.Comment(gone); ok {
		t.Fatal("the deleted comment is back")
	}
	if n := creates.Load(); n != 2 {
		t.Errorf("%d results comments created, want 2 (the first, and one after the deletion)", n)
	}
	bots := e.botComments(42)
	if len(bots) != 1 {
		t.Fatalf("%d bot comments, want exactly 1 results comment", len(bots))
	}
	final := bots[0]
	if final.ID == gone || !strings.HasPrefix(final.Body, marker) {
		t.Errorf("final comment %d (deleted: %d):\n%s", final.ID, gone, final.Body)
	}
	assertComplete(t, final.Body, apps)
	if md, _ := os.ReadFile(filepath.Join(e.outDir(), results.CommentFile)); string(md) != final.Body {
		t.Errorf("the final comment differs from %s:\n%s", results.CommentFile, md)
	}
	if out := e.outputs(); !strings.HasSuffix(out["comment-url"], "#issuecomment-"+strconv.FormatInt(final.ID, 10)) {
		t.Errorf("comment-url = %q, want the new comment %d", out["comment-url"], final.ID)
	}
	if got, want := e.reactions(), []string{"eyes", "+1"}; !slices.Equal(got, want) {
		t.Errorf("reactions = %v, want %v", got, want)
	}
}
