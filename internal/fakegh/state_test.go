package fakegh

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func newState(t *testing.T) (*Server, *RepoState, *tbRecorder) {
	t.Helper()
	rec := newRecorder(t)
	s := New(rec, StrictResponses())
	rs := NewRepoState("octo-org/octo-repo")
	rs.Install(s)
	return s, rs, rec
}

func TestRepoStatePagination(t *testing.T) {
	t.Parallel()
	s, rs, rec := newState(t)
	rs.AddPull(PullRequest{Number: 4})
	for i := range 250 {
		rs.AddComment(4, "octocat", "User", fmt.Sprintf("c%d", i))
	}
	base := s.URL() + "/repos/octo-org/octo-repo/issues/4/comments"
	for _, tc := range []struct {
		query, link string
		n           int
		first       string
	}{
		{"?per_page=100", `<B?page=2&per_page=100>; rel="next", <B?page=3&per_page=100>; rel="last"`, 100, "c0"},
		{"?page=2&per_page=100", `<B?page=1&per_page=100>; rel="prev", <B?page=3&per_page=100>; rel="next", <B?page=3&per_page=100>; rel="last", <B?page=1&per_page=100>; rel="first"`, 100, "c100"},
		{"?page=3&per_page=100", `<B?page=2&per_page=100>; rel="prev", <B?page=1&per_page=100>; rel="first"`, 50, "c200"},
		{"?page=4&per_page=100", `<B?page=3&per_page=100>; rel="prev", <B?page=1&per_page=100>; rel="first"`, 0, ""},
		{"", `<B?page=2&per_page=30>; rel="next", <B?page=9&per_page=30>; rel="last"`, 30, "c0"},
	} {
		resp, body := do(t, "GET", base+tc.query, "")
		if got, want := resp.Header.Get("Link"), strings.ReplaceAll(tc.link, "B", base); got != want {
			t.Errorf("%s: Link =\n%s\nwant\n%s", tc.query, got, want)
		}
		var list []struct {
			Body string `json:"body"`
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil {
			t.Fatal(err)
		}
		if len(list) != tc.n || tc.n > 0 && list[0].Body != tc.first {
			t.Errorf("%s: %d comments starting %+v, want %d starting %q", tc.query, len(list), list[:min(1, len(list))], tc.n, tc.first)
		}
	}
	rec.expect(t)
}

func TestRepoStateComments(t *testing.T) {
	t.Parallel()
	s, rs, rec := newState(t)
	rs.AddPull(PullRequest{Number: 4})
	n := rs.AddIssue("bug", "text", "octocat", "User")
	u := s.URL() + "/repos/octo-org/octo-repo"

	resp, body := do(t, "POST", u+"/issues/4/comments", `{"body":"hello"}`)
	var c struct {
		ID      int64  `json:"id"`
		HTMLURL string `json:"html_url"`
		User    struct {
			Login, Type string
		} `json:"user"`
	}
	if err := json.Unmarshal([]byte(body), &c); err != nil || resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	if c.ID < 1<<31 || c.User.Login != DefaultBot || c.User.Type != "Bot" ||
		c.HTMLURL != fmt.Sprintf("https://github.com/octo-org/octo-repo/pull/4#issuecomment-%d", c.ID) {
		t.Errorf("created comment = %+v", c)
	}
	if loc := resp.Header.Get("Location"); loc != fmt.Sprintf("%s/issues/comments/%d", u, c.ID) {
		t.Errorf("Location = %q", loc)
	}
	on := rs.AddComment(n, "octocat", "User", "on an issue")
	if _, body := do(t, "GET", fmt.Sprintf("%s/issues/comments/%d", u, on.ID), ""); !strings.Contains(body, fmt.Sprintf(`/issues/%d#issuecomment-`, n)) {
		t.Errorf("comment on an issue: %s", body)
	}

	resp, _ = do(t, "PATCH", fmt.Sprintf("%s/issues/comments/%d", u, c.ID), `{"body":"edited"}`)
	if got, _ := rs.Comment(c.ID); resp.StatusCode != 200 || got.Body != "edited" {
		t.Errorf("update: %d, %+v", resp.StatusCode, got)
	}
	for i, want := range []int{201, 200, 201} {
		content := []string{"eyes", "eyes", "+1"}[i]
		if resp, _ := do(t, "POST", fmt.Sprintf("%s/issues/comments/%d/reactions", u, c.ID), `{"content":"`+content+`"}`); resp.StatusCode != want {
			t.Errorf("reaction %d: status %d, want %d", i, resp.StatusCode, want)
		}
	}
	resp, _ = do(t, "DELETE", fmt.Sprintf("%s/issues/comments/%d", u, c.ID), "")
	if resp.StatusCode != 204 {
		t.Errorf("delete: %d", resp.StatusCode)
	}
	for _, tc := range []struct{ method, path, body string }{
		{"GET", fmt.Sprintf("/issues/comments/%d", c.ID), ""},
		{"PATCH", fmt.Sprintf("/issues/comments/%d", c.ID), `{"body":"x"}`},
		{"POST", "/issues/99/comments", `{"body":"x"}`},
		{"GET", "/pulls/99", ""},
	} {
		if resp, _ := do(t, tc.method, u+tc.path, tc.body); resp.StatusCode != 404 {
			t.Errorf("%s %s: %d, want 404", tc.method, tc.path, resp.StatusCode)
		}
	}
	if resp, _ := do(t, "GET", s.URL()+"/repos/someone/else/pulls/4", ""); resp.StatusCode != 404 {
		t.Errorf("another repository: %d, want 404", resp.StatusCode)
	}
	if got := rs.Comments(4); len(got) != 0 {
		t.Errorf("comments after delete: %+v", got)
	}
	rec.expect(t)
}

func TestRepoStatePermission(t *testing.T) {
	t.Parallel()
	s, rs, rec := newState(t)
	rs.SetRole("Mona", "maintain")
	rs.SetRole("t", "triage")
	type perms struct{ Pull, Triage, Push, Maintain, Admin bool }
	type answer struct {
		Permission string `json:"permission"`
		RoleName   string `json:"role_name"`
		User       struct {
			Login       string `json:"login"`
			Permissions perms  `json:"permissions"`
		} `json:"user"`
	}
	get := func(login string) (int, answer) {
		resp, body := do(t, "GET", s.URL()+"/repos/octo-org/octo-repo/collaborators/"+login+"/permission", "")
		var a answer
		_ = json.Unmarshal([]byte(body), &a)
		return resp.StatusCode, a
	}
	code, a := get("mona")
	want := answer{Permission: "write", RoleName: "maintain"}
	want.User.Login = "mona"
	want.User.Permissions = perms{Pull: true, Triage: true, Push: true, Maintain: true}
	if d := cmp.Diff(want, a); code != 200 || d != "" {
		t.Errorf("maintainer: %d (-want +got):\n%s", code, d)
	}
	if _, a := get("t"); a.Permission != "read" || a.RoleName != "triage" {
		t.Errorf("triage: %+v", a)
	}
	if _, a := get("stranger"); a.RoleName != "read" {
		t.Errorf("stranger: %+v", a)
	}
	rs.SetDefaultRole("")
	if code, _ := get("stranger"); code != 404 {
		t.Errorf("stranger without a default role: %d, want 404", code)
	}
	rec.expect(t)
}

func TestRepoStateIssues(t *testing.T) {
	t.Parallel()
	s, rs, rec := newState(t)
	rs.AddPull(PullRequest{Number: 1})
	u := s.URL() + "/repos/octo-org/octo-repo/issues"
	resp, body := do(t, "POST", u, `{"title":"report","body":"<!-- m -->"}`)
	if resp.StatusCode != 201 || !strings.Contains(body, `"number":2`) {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	do(t, "PATCH", u+"/2", `{"state":"closed"}`)
	_, open := do(t, "GET", u, "")
	_, all := do(t, "GET", u+"?state=all", "")
	var list []struct {
		Number int             `json:"number"`
		PR     json.RawMessage `json:"pull_request"`
	}
	_ = json.Unmarshal([]byte(open), &list)
	if len(list) != 1 || list[0].Number != 1 || list[0].PR == nil {
		t.Errorf("open issues = %s", open)
	}
	_ = json.Unmarshal([]byte(all), &list)
	if len(list) != 2 || list[0].Number != 2 {
		t.Errorf("all issues (newest first) = %s", all)
	}
	if d := cmp.Diff([]Issue{{Number: 2, Title: "report", Body: "<!-- m -->", State: "closed", Author: DefaultBot, AuthorType: "Bot"}}, rs.Issues()); d != "" {
		t.Errorf("Issues (-want +got):\n%s", d)
	}
	rec.expect(t)
}

func TestRepoStateIntercept(t *testing.T) {
	t.Parallel()
	s, rs, rec := newState(t)
	rs.AddPull(PullRequest{Number: 4})
	rs.Intercept(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		if r.Method == "POST" {
			Error(w, 403, "Resource not accessible by integration")
			return true
		}
		return false
	})
	if resp, _ := do(t, "POST", s.URL()+"/repos/octo-org/octo-repo/issues/4/comments", `{"body":"x"}`); resp.StatusCode != 403 {
		t.Errorf("status %d, want 403", resp.StatusCode)
	}
	if resp, _ := do(t, "GET", s.URL()+"/repos/octo-org/octo-repo/pulls/4", ""); resp.StatusCode != 200 {
		t.Errorf("status %d, want 200", resp.StatusCode)
	}
	// A route of the state can be replaced by pattern.
	s.Handle("GET", RoutePull, func(w http.ResponseWriter, _ *http.Request, _ []byte) { Error(w, 502, "Bad Gateway") })
	if resp, _ := do(t, "GET", s.URL()+"/repos/octo-org/octo-repo/pulls/4", ""); resp.StatusCode != 502 {
		t.Errorf("status %d, want 502", resp.StatusCode)
	}
	rec.expect(t)
}

// The comment of an event payload fixture can be seeded with its own id, so
// reacting to it works end to end.
func TestRepoStateSeedComment(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t)
	s, rs := NewWithRepo(rec, "example-user/knative-route-demo", StrictResponses())
	rs.AddPull(PullRequest{Number: 3})
	later := rs.AddComment(3, "octocat", "User", "later")
	seeded := rs.SeedComment(Comment{ID: 546616131, Issue: 3, Author: "example-user", Body: "/build"})
	next := rs.AddComment(3, "octocat", "User", "next")
	if seeded.ID != 546616131 || seeded.AuthorType != "User" || next.ID != later.ID+1 {
		t.Errorf("seeded %+v, ids %d then %d", seeded, later.ID, next.ID)
	}
	resp, _ := do(t, "POST", s.URL()+"/repos/example-user/knative-route-demo/issues/comments/546616131/reactions", `{"content":"eyes"}`)
	if resp.StatusCode != 201 {
		t.Errorf("reaction: %d", resp.StatusCode)
	}
	var bodies []string
	for _, c := range rs.Comments(3) {
		bodies = append(bodies, c.Body)
	}
	if d := cmp.Diff([]string{"/build", "later", "next"}, bodies); d != "" {
		t.Errorf("comments by id (-want +got):\n%s", d)
	}
	rec.expect(t)
}
