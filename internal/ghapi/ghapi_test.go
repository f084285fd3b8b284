package ghapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"

	"github.com/posthog/wizard-ci/internal/fakegh"
	"github.com/posthog/wizard-ci/internal/ghapi"
)

var repo = ghapi.Repo{Owner: "octo-org", Name: "octo-repo"}

// newClient returns a client of s whose retry waits are instant: it runs
// on a fresh instantClock, with jitter fixed at the middle of its range.
func newClient(t *testing.T, s *fakegh.Server, opts ...ghapi.Option) *ghapi.Client {
	t.Helper()
	c, _ := newClockedClient(t, s, newInstantClock(epoch), opts...)
	return c
}

func newClockedClient(t *testing.T, s *fakegh.Server, clk *instantClock, opts ...ghapi.Option) (*ghapi.Client, *instantClock) {
	t.Helper()
	opts = append([]ghapi.Option{ghapi.WithClock(clk), ghapi.WithRand(func() float64 { return 0.5 }),
		ghapi.WithLogf(func(format string, args ...any) { t.Logf("ghapi: "+format, args...) })}, opts...)
	c, err := ghapi.New(s.Client(), s.URL(), "ghs_test", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c, clk
}

// stateful returns a fake with the repository installed, strict about
// response shapes.
func stateful(t *testing.T) (*fakegh.Server, *fakegh.RepoState, *ghapi.Client) {
	t.Helper()
	s := fakegh.New(t, fakegh.StrictResponses())
	rs := fakegh.NewRepoState(repo.String())
	rs.Install(s)
	return s, rs, newClient(t, s)
}

func TestNew(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, url string
		wantErr   bool
	}{
		{"empty is api.github.com", "", false},
		{"no trailing slash", "https://api.github.com", false},
		{"GHES", "https://ghe.example.com/api/v3/", false},
		{"relative", "api.github.com", true},
		{"ftp", "ftp://example.com/", true},
		{"garbage", "http://[::1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ghapi.New(nil, tc.url, "")
			if (err != nil) != tc.wantErr {
				t.Errorf("New(%q) error = %v, want error %v", tc.url, err, tc.wantErr)
			}
		})
	}
}

// The fake serves only under /api/v3/ and fails the test on anything else,
// so these calls prove the path prefix of GITHUB_API_URL is kept.
func TestBaseURLPathPrefix(t *testing.T) {
	t.Parallel()
	for _, suffix := range []string{"", "/"} {
		t.Run("suffix "+suffix, func(t *testing.T) {
			t.Parallel()
			s := fakegh.New(t)
			s.Handle("GET", "/repos/{owner}/{repo}/collaborators/{username}/permission", func(w http.ResponseWriter, r *http.Request, _ []byte) {
				if got := r.Header.Get("Authorization"); got != "Bearer ghs_test" {
					t.Errorf("Authorization = %q", got)
				}
				fakegh.JSON(w, 200, s.Fixture("repos/get-collaborator-permission-level"))
			})
			c, err := ghapi.New(s.Client(), s.URL()+suffix, "ghs_test")
			if err != nil {
				t.Fatal(err)
			}
			role, err := c.Permission(t.Context(), repo, "octocat")
			if err != nil || role != "admin" {
				t.Errorf("Permission = %q, %v; want admin", role, err)
			}
			if got := s.Log()[0].Path; got != "/repos/octo-org/octo-repo/collaborators/octocat/permission" {
				t.Errorf("path = %q", got)
			}
		})
	}
}

func TestParseRepo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		want    ghapi.Repo
		wantErr bool
	}{
		{in: "octo-org/octo-repo", want: ghapi.Repo{Owner: "octo-org", Name: "octo-repo"}},
		{in: "PostHog/wizard.workbench_2", want: ghapi.Repo{Owner: "PostHog", Name: "wizard.workbench_2"}},
		{in: "", wantErr: true},
		{in: "octo-org", wantErr: true},
		{in: "/repo", wantErr: true},
		{in: "owner/", wantErr: true},
		{in: "a/b/c", wantErr: true},
		{in: "owner/..", wantErr: true},
		{in: "own er/repo", wantErr: true},
		{in: "owner/re?po", wantErr: true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ghapi.ParseRepo(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseRepo(%q) error = %v, want error %v", tc.in, err, tc.wantErr)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("ParseRepo(%q) (-want +got):\n%s", tc.in, d)
			}
		})
	}
}

func TestRoles(t *testing.T) {
	t.Parallel()
	roles := []string{"read", "triage", "write", "maintain", "admin"}
	for i, role := range roles {
		if !ghapi.ValidRole(role) {
			t.Errorf("ValidRole(%q) = false", role)
		}
		for j, least := range roles {
			if got, want := ghapi.RoleAtLeast(role, least), i >= j; got != want {
				t.Errorf("RoleAtLeast(%q, %q) = %v, want %v", role, least, got, want)
			}
		}
	}
	for _, bad := range []string{"", "none", "Write", "pull", "push", "owner"} {
		if ghapi.ValidRole(bad) {
			t.Errorf("ValidRole(%q) = true", bad)
		}
		if ghapi.RoleAtLeast(bad, "read") || ghapi.RoleAtLeast("admin", bad) {
			t.Errorf("RoleAtLeast with %q = true", bad)
		}
	}
}

func TestPermission(t *testing.T) {
	t.Parallel()
	user := func(perms string) string {
		return `{"login":"octocat","type":"User"` + perms + `}`
	}
	for _, tc := range []struct {
		name       string
		status     int
		body       string
		want       string
		wantErr    bool
		wantStatus int
	}{
		{name: "fixture", status: 200, body: "", want: "admin"},
		{
			name:   "role_name wins over legacy permission",
			status: 200,
			body:   `{"permission":"write","role_name":"maintain","user":` + user(`,"permissions":{"admin":false,"maintain":true,"push":true,"triage":true,"pull":true}`) + `}`,
			want:   "maintain",
		},
		{
			name:   "triage is not read",
			status: 200,
			body:   `{"permission":"read","role_name":"triage","user":` + user("") + `}`,
			want:   "triage",
		},
		{
			name:   "booleans only",
			status: 200,
			body:   `{"permission":"admin","user":` + user(`,"permissions":{"admin":false,"maintain":false,"push":true,"triage":true,"pull":true}`) + `}`,
			want:   "write",
		},
		{
			name:   "custom role falls back to booleans",
			status: 200,
			body:   `{"permission":"read","role_name":"security-auditor","user":` + user(`,"permissions":{"admin":false,"maintain":false,"push":false,"triage":true,"pull":true}`) + `}`,
			want:   "triage",
		},
		{
			name:   "no access",
			status: 200,
			body:   `{"permission":"none","role_name":"none","user":` + user("") + `}`,
			want:   "none",
		},
		{
			name:    "legacy permission only is not trusted",
			status:  200,
			body:    `{"permission":"admin","user":` + user("") + `}`,
			wantErr: true,
		},
		{
			name:    "unknown role_name without booleans",
			status:  200,
			body:    `{"permission":"write","role_name":"superuser","user":null}`,
			wantErr: true,
		},
		{name: "not found", status: 404, body: `{"message":"Not Found"}`, wantErr: true, wantStatus: 404},
		{name: "server error", status: 500, body: `{"message":"Server Error"}`, wantErr: true, wantStatus: 500},
		{name: "bad gateway", status: 502, body: `{"message":"Bad Gateway"}`, wantErr: true, wantStatus: 502},
		{name: "not JSON", status: 200, body: `{"role_name":`, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := fakegh.New(t)
			s.Handle("GET", fakegh.RoutePermission, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				if tc.body == "" {
					fakegh.JSON(w, tc.status, s.Fixture("repos/get-collaborator-permission-level"))
					return
				}
				if tc.name == "not JSON" {
					// The fake rejects broken JSON it is asked to send as JSON.
					w.Header().Set("Content-Type", "text/plain")
					w.WriteHeader(tc.status)
					_, _ = w.Write([]byte(tc.body))
					return
				}
				fakegh.JSON(w, tc.status, []byte(tc.body))
			})
			role, err := newClient(t, s).Permission(t.Context(), repo, "octocat")
			if (err != nil) != tc.wantErr {
				t.Fatalf("Permission = %q, %v; want error %v", role, err, tc.wantErr)
			}
			if role != tc.want {
				t.Errorf("Permission = %q, want %q", role, tc.want)
			}
			if got := ghapi.StatusCode(err); got != tc.wantStatus {
				t.Errorf("StatusCode = %d, want %d", got, tc.wantStatus)
			}
			if got := errors.Is(err, ghapi.ErrNotFound); got != (tc.wantStatus == 404) {
				t.Errorf("errors.Is(err, ErrNotFound) = %v (err %v)", got, err)
			}
		})
	}
}

func TestPermissionEscapesLogin(t *testing.T) {
	t.Parallel()
	c, err := ghapi.New(nil, "http://127.0.0.1:1/api/v3", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, login := range []string{"", "../../admin", "a?b", "a#b"} {
		if _, err := c.Permission(t.Context(), repo, login); err == nil {
			t.Errorf("Permission(%q) = nil error", login)
		}
	}
}

func TestPermissionStateful(t *testing.T) {
	t.Parallel()
	_, rs, c := stateful(t)
	rs.SetRole("maintainer", "maintain")
	rs.SetRole("triager", "triage")
	for login, want := range map[string]string{"maintainer": "maintain", "triager": "triage", "stranger": "read"} {
		got, err := c.Permission(t.Context(), repo, login)
		if err != nil || got != want {
			t.Errorf("Permission(%q) = %q, %v; want %q", login, got, err, want)
		}
	}
}

func TestPullRequest(t *testing.T) {
	t.Parallel()
	_, rs, c := stateful(t)
	same := rs.AddPull(fakegh.PullRequest{Number: 7, HeadSHA: strings.Repeat("a", 40)})
	fork := rs.AddPull(fakegh.PullRequest{Number: 8, HeadRepo: "someone/octo-repo", HeadRef: "patch-1"})
	gone := rs.AddPull(fakegh.PullRequest{Number: 9, HeadRepo: "-"})
	closed := rs.AddPull(fakegh.PullRequest{Number: 10, State: "closed"})
	for _, tc := range []struct {
		n    int
		want *ghapi.PR
	}{
		{7, &ghapi.PR{Number: 7, Open: true, HeadSHA: same.HeadSHA, HeadRef: "feature", HeadRepo: "octo-org/octo-repo", BaseRepo: "octo-org/octo-repo"}},
		{8, &ghapi.PR{Number: 8, Open: true, HeadSHA: fork.HeadSHA, HeadRef: "patch-1", HeadRepo: "someone/octo-repo", BaseRepo: "octo-org/octo-repo", Fork: true}},
		{9, &ghapi.PR{Number: 9, Open: true, HeadSHA: gone.HeadSHA, HeadRef: "feature", BaseRepo: "octo-org/octo-repo", Fork: true}},
		{10, &ghapi.PR{Number: 10, HeadSHA: closed.HeadSHA, HeadRef: "feature", HeadRepo: "octo-org/octo-repo", BaseRepo: "octo-org/octo-repo"}},
	} {
		got, err := c.PullRequest(t.Context(), repo, tc.n)
		if err != nil {
			t.Fatalf("PullRequest(%d): %v", tc.n, err)
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("PullRequest(%d) (-want +got):\n%s", tc.n, d)
		}
	}
	if _, err := c.PullRequest(t.Context(), repo, 99); !errors.Is(err, ghapi.ErrNotFound) {
		t.Errorf("PullRequest(99) error = %v, want ErrNotFound", err)
	}
}

func TestPullRequestFixture(t *testing.T) {
	t.Parallel()
	s := fakegh.New(t, fakegh.StrictResponses())
	s.Handle("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.PathValue("pull_number") != "1347" {
			t.Errorf("pull_number = %q", r.PathValue("pull_number"))
		}
		fakegh.JSON(w, 200, s.Fixture("pulls/get"))
	})
	got, err := newClient(t, s).PullRequest(t.Context(), ghapi.Repo{Owner: "octocat", Name: "Hello-World"}, 1347)
	if err != nil {
		t.Fatal(err)
	}
	want := &ghapi.PR{Number: 1347, Open: true, HeadSHA: "6dcb09b5b57875f334f61aebed695e2e4193db5e", HeadRef: "new-topic",
		HeadRepo: "octocat/Hello-World", BaseRepo: "octocat/Hello-World"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("PullRequest (-want +got):\n%s", d)
	}
}

func TestReact(t *testing.T) {
	t.Parallel()
	s, rs, c := stateful(t)
	rs.AddPull(fakegh.PullRequest{Number: 3})
	cm := rs.AddComment(3, "octocat", "User", "/wizard-ci all")
	for _, r := range []string{ghapi.ReactionEyes, ghapi.ReactionPlusOne, ghapi.ReactionEyes} {
		if err := c.React(t.Context(), repo, cm.ID, r); err != nil {
			t.Fatalf("React(%q): %v", r, err)
		}
	}
	got, _ := rs.Comment(cm.ID)
	if d := cmp.Diff([]string{"eyes", "+1"}, got.Reactions); d != "" {
		t.Errorf("reactions (-want +got):\n%s", d)
	}
	if err := c.React(t.Context(), repo, cm.ID, "party"); err == nil {
		t.Error("React(party) = nil error")
	}
	if err := c.React(t.Context(), repo, cm.ID+1, "eyes"); !errors.Is(err, ghapi.ErrNotFound) {
		t.Errorf("React on a missing comment = %v, want ErrNotFound", err)
	}
	if n := s.Count("POST", fakegh.RouteReactions); n != 4 {
		t.Errorf("%d reaction requests, want 4 (none for an invalid reaction)", n)
	}
}

const marker = "<!-- wizard-ci:results run=42 -->"

func TestFindCommentPagination(t *testing.T) {
	t.Parallel()
	s, rs, c := stateful(t)
	rs.AddPull(fakegh.PullRequest{Number: 5})
	var want int64
	for i := range 250 {
		switch i {
		case 230:
			want = rs.AddComment(5, fakegh.DefaultBot, "Bot", "results\n"+marker).ID
		case 240:
			// Newer, but a person wrote it: a planted marker.
			rs.AddComment(5, "mallory", "User", "fake "+marker)
		default:
			rs.AddComment(5, "octocat", "User", fmt.Sprintf("comment %d", i))
		}
	}
	got, err := c.FindComment(t.Context(), repo, 5, marker)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || got.ID != want || !got.Bot || got.Author != fakegh.DefaultBot {
		t.Fatalf("FindComment = %+v, want the bot's comment %d", got, want)
	}
	if !strings.HasPrefix(got.URL, "https://github.com/octo-org/octo-repo/pull/5#issuecomment-") {
		t.Errorf("URL = %q", got.URL)
	}
	var queries []string
	for _, r := range s.Log() {
		queries = append(queries, r.Method+" "+r.Path+"?"+r.Query)
	}
	wantQ := []string{
		"GET /repos/octo-org/octo-repo/issues/5/comments?page=1&per_page=100",
		"GET /repos/octo-org/octo-repo/issues/5/comments?page=2&per_page=100",
		"GET /repos/octo-org/octo-repo/issues/5/comments?page=3&per_page=100",
	}
	if d := cmp.Diff(wantQ, queries); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}

	all, err := c.ListComments(t.Context(), repo, 5)
	if err != nil || len(all) != 250 {
		t.Fatalf("ListComments = %d comments, %v; want 250", len(all), err)
	}
	if all[0].Body != "comment 0" || all[249].Body != "comment 249" {
		t.Errorf("ListComments order: first %q, last %q", all[0].Body, all[249].Body)
	}
}

func TestFindCommentBotOnly(t *testing.T) {
	t.Parallel()
	_, rs, c := stateful(t)
	rs.AddPull(fakegh.PullRequest{Number: 5})
	rs.AddComment(5, "mallory", "User", marker)
	got, err := c.FindComment(t.Context(), repo, 5, marker)
	if err != nil || got != nil {
		t.Errorf("FindComment = %+v, %v; want nil, nil", got, err)
	}
	old := rs.AddComment(5, "other-app[bot]", "Bot", "old "+marker)
	newer := rs.AddComment(5, fakegh.DefaultBot, "Bot", "new "+marker)
	list, err := c.FindComments(t.Context(), repo, 5, marker)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, cm := range list {
		ids = append(ids, cm.ID)
	}
	if d := cmp.Diff([]int64{newer.ID, old.ID}, ids); d != "" {
		t.Errorf("FindComments ids, newest first (-want +got):\n%s", d)
	}
	if _, err := c.FindComment(t.Context(), repo, 5, ""); err == nil {
		t.Error("FindComment with an empty marker = nil error")
	}
}

func TestUpsertComment(t *testing.T) {
	t.Parallel()
	s, rs, c := stateful(t)
	rs.AddPull(fakegh.PullRequest{Number: 5})
	first, err := c.UpsertComment(t.Context(), repo, 5, marker, marker+"\npending")
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.UpsertComment(t.Context(), repo, 5, marker, marker+"\ndone")
	if err != nil {
		t.Fatal(err)
	}
	if second.ID != first.ID || second.Body != marker+"\ndone" {
		t.Errorf("second upsert = %+v, want comment %d updated", second, first.ID)
	}
	if got := rs.Comments(5); len(got) != 1 || got[0].Body != marker+"\ndone" {
		t.Errorf("comments = %+v", got)
	}
	if _, err := c.UpdateComment(t.Context(), repo, first.ID+100, "x"); !errors.Is(err, ghapi.ErrNotFound) {
		t.Errorf("UpdateComment on a missing comment = %v, want ErrNotFound", err)
	}
	if p, cr := s.Count("PATCH", fakegh.RouteComment), s.Count("POST", fakegh.RouteIssueComments); p != 2 || cr != 1 {
		t.Errorf("%d PATCH, %d POST; want 2, 1", p, cr)
	}
}

// A comment deleted between the lookup and the update is created again.
func TestUpsertCommentDeletedMeanwhile(t *testing.T) {
	t.Parallel()
	s, rs, c := stateful(t)
	rs.AddPull(fakegh.PullRequest{Number: 5})
	rs.AddComment(5, fakegh.DefaultBot, "Bot", marker)
	rs.Intercept(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		if r.Method == "PATCH" {
			fakegh.Error(w, 404, "Not Found")
			return true
		}
		return false
	})
	got, err := c.UpsertComment(t.Context(), repo, 5, marker, marker+" v2")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rs.Comments(5)); n != 2 || got.Body != marker+" v2" {
		t.Errorf("%d comments, got %+v", n, got)
	}
	if n := s.Count("POST", fakegh.RouteIssueComments); n != 1 {
		t.Errorf("%d creates, want 1", n)
	}
}

func TestCommentTooLong(t *testing.T) {
	t.Parallel()
	_, rs, c := stateful(t)
	rs.AddPull(fakegh.PullRequest{Number: 5})
	_, err := c.CreateComment(t.Context(), repo, 5, strings.Repeat("é", fakegh.MaxCommentChars+1))
	if ghapi.StatusCode(err) != 422 || !strings.Contains(err.Error(), "Body is too long") {
		t.Errorf("CreateComment of 65537 characters = %v, want a 422", err)
	}
	if _, err := c.CreateComment(t.Context(), repo, 5, strings.Repeat("é", fakegh.MaxCommentChars)); err != nil {
		t.Errorf("CreateComment of 65536 characters: %v", err)
	}
}

func TestUpsertIssue(t *testing.T) {
	t.Parallel()
	const mark = "<!-- wizard-ci:report -->"
	s, rs, c := stateful(t)
	// What FindIssue must skip: pull requests (the issues list holds them,
	// 120 make it two pages), an issue a person wrote, a closed report.
	for i := range 120 {
		rs.AddPull(fakegh.PullRequest{Title: fmt.Sprintf("PR %d", i)})
	}
	rs.AddIssue("planted", "x "+mark, "mallory", "User")
	closed := rs.AddIssue("old report", mark, fakegh.DefaultBot, "Bot")
	rs.SetIssueState(closed, "closed")

	first, err := c.UpsertIssue(t.Context(), repo, "wizard-ci: scheduled runs", mark, mark+"\nrun 1")
	if err != nil {
		t.Fatal(err)
	}
	if first.Number == closed || !first.Bot || first.State != "open" {
		t.Errorf("first upsert = %+v, want a new open issue", first)
	}
	second, err := c.UpsertIssue(t.Context(), repo, "wizard-ci: scheduled runs", mark, mark+"\nrun 2")
	if err != nil {
		t.Fatal(err)
	}
	if second.Number != first.Number || second.Body != mark+"\nrun 2" {
		t.Errorf("second upsert = %+v, want issue #%d updated", second, first.Number)
	}
	if !strings.HasSuffix(second.URL, fmt.Sprintf("/octo-org/octo-repo/issues/%d", first.Number)) {
		t.Errorf("URL = %q", second.URL)
	}
	if n := len(rs.Issues()); n != 3 {
		t.Errorf("%d issues, want 3", n)
	}
	if p, cr := s.Count("PATCH", fakegh.RouteIssue), s.Count("POST", fakegh.RouteIssues); p != 1 || cr != 1 {
		t.Errorf("%d PATCH, %d POST; want 1, 1", p, cr)
	}
	if n := s.Count("GET", fakegh.RouteIssues); n != 4 {
		t.Errorf("%d list requests, want 4 (two pages, twice)", n)
	}
}

// A secondary limit that outlasts the retry budget ends the call with a
// *LimitError saying how long GitHub asked to wait.
func TestSecondaryRateLimit(t *testing.T) {
	t.Parallel()
	s := fakegh.New(t)
	s.Handle("POST", fakegh.RouteIssueComments, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Retry-After", "30")
		fakegh.JSON(w, 403, []byte(`{"message": "You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.", "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#secondary-rate-limits"}`))
	})
	clk := newInstantClock(epoch)
	c, _ := newClockedClient(t, s, clk, ghapi.WithRetryBudget(2*time.Minute))
	_, err := c.CreateComment(t.Context(), repo, 1, "hi")
	wait, ok := ghapi.RetryAfter(err, clk.Now())
	if !ok || wait != 30*time.Second {
		t.Errorf("RetryAfter(%v) = %v, %v; want 30s, true", err, wait, ok)
	}
	var le *ghapi.LimitError
	if !errors.As(err, &le) || !le.Secondary || le.Message == "" {
		t.Errorf("error %v (%T), want a secondary *LimitError", err, err)
	}
	if d := cmp.Diff([]time.Duration{30 * time.Second, 30 * time.Second, 30 * time.Second, 30 * time.Second}, clk.Waits()); d != "" {
		t.Errorf("waits within a 2m budget (-want +got):\n%s", d)
	}
	if n := s.Count("POST", fakegh.RouteIssueComments); n != 5 {
		t.Errorf("%d requests, want 5", n)
	}
	if got := ghapi.StatusCode(err); got != 403 {
		t.Errorf("StatusCode = %d, want 403", got)
	}
	if _, ok := ghapi.RetryAfter(errors.New("other"), time.Now()); ok {
		t.Error("RetryAfter(other error) = true")
	}
}

// TestUnanswered tells no answer at all from an answer that was an error or
// could not be read.
func TestUnanswered(t *testing.T) {
	t.Parallel()
	decode := json.Unmarshal([]byte("garbage"), new(struct{}))
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&url.Error{Op: "Get", URL: "https://api.github.com/x", Err: errors.New("connection refused")}, true},
		{fmt.Errorf("read permission: %w", ghapi.ErrUnreachable), true},
		{context.DeadlineExceeded, true},
		{fmt.Errorf("read permission: %w", decode), false},
		{errors.New("GitHub answered without a known role_name"), false},
		{&github.ErrorResponse{Response: &http.Response{StatusCode: 500}}, false},
	} {
		if got := ghapi.Unanswered(tc.err); got != tc.want {
			t.Errorf("Unanswered(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
