package fakegh

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// MaxCommentChars is GitHub's limit on an issue comment or issue body (not
// in the OpenAPI description; see fixtures/github/README.md).
const MaxCommentChars = 65536

// RepoState is a stateful fake of one repository: pull requests, issues,
// issue comments with reactions, and collaborator roles. Install registers
// its routes on a Server. Objects carry realistic ids (above 2^31),
// html_url, user{login,type} and timestamps; lists paginate with Link
// headers as GitHub does. It is safe for concurrent use.
type RepoState struct {
	Owner, Name string

	mu sync.Mutex
	// bot is who the token belongs to: the author of what requests create.
	bot         string
	defaultRole string
	intercept   HandlerIntercept
	faults      *FaultInjector
	roles       map[string]string
	issues      map[int]*issue
	comments    []*comment // ascending ids
	nextComment int64
	nextReact   int64
	nextNumber  int
	clock       time.Time
	base        string // API URL, set by Install
}

// HandlerIntercept sees a request to an installed route before RepoState
// does; it returns true when it has answered (e.g. with a 403 or a 502).
type HandlerIntercept func(w http.ResponseWriter, r *http.Request, body []byte) bool

// DefaultBot is the login of GITHUB_TOKEN in Actions.
const DefaultBot = "github-actions[bot]"

type issue struct {
	number      int
	id          int64
	title, body string
	state       string
	user        string
	userType    string
	pull        *PullRequest
	created     time.Time
	updated     time.Time
}

type comment struct {
	id       int64
	issue    int
	body     string
	user     string
	userType string
	created  time.Time
	updated  time.Time
	reacts   []reaction
}

type reaction struct {
	id      int64
	user    string
	content string
	created time.Time
}

// PullRequest seeds a pull request (AddPull).
type PullRequest struct {
	Number   int
	State    string // "open" (default) or "closed"
	Title    string
	Author   string // default "octocat"
	HeadSHA  string // default: a fixed 40-hex SHA derived from Number
	HeadRef  string // default "feature"
	HeadRepo string // full name; default the base repository; "-" = deleted fork (head.repo null)
}

// Issue is a snapshot of an issue (not a pull request).
type Issue struct {
	Number             int
	Title, Body, State string
	Author, AuthorType string
}

// Comment is a snapshot of an issue comment.
type Comment struct {
	ID                 int64
	Issue              int
	Body               string
	Author, AuthorType string
	Reactions          []string // contents, in order, e.g. ["eyes", "+1"]
}

// NewRepoState returns an empty repository "owner/name". Requests act as
// DefaultBot; a login without SetRole has role "read" (what GitHub answers
// for a non-collaborator on a public repository).
func NewRepoState(fullName string) *RepoState {
	owner, name, ok := strings.Cut(fullName, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		panic(fmt.Sprintf("fakegh: NewRepoState(%q): want owner/name", fullName))
	}
	return &RepoState{
		Owner: owner, Name: name,
		bot: DefaultBot, defaultRole: "read",
		roles:       map[string]string{},
		issues:      map[int]*issue{},
		nextComment: 2_200_000_000, // above 2^31: ids need int64
		nextReact:   150_000_000,
		nextNumber:  1,
		clock:       time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

// NewWithRepo starts a fake GitHub with one repository installed: the
// quickest setup for an end-to-end test.
func NewWithRepo(t testing.TB, fullName string, opts ...Option) (*Server, *RepoState) {
	t.Helper()
	s := New(t, opts...)
	rs := NewRepoState(fullName)
	rs.Install(s)
	return s, rs
}

// FullName is "owner/name".
func (rs *RepoState) FullName() string { return rs.Owner + "/" + rs.Name }

// SetBot sets the login requests act as (default DefaultBot). It still has
// type "Bot".
func (rs *RepoState) SetBot(login string) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.bot = login
}

// SetRole sets a login's role on the repository: read, triage, write,
// maintain, admin, or "none".
func (rs *RepoState) SetRole(login, role string) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.roles[strings.ToLower(login)] = role
}

// SetDefaultRole sets the role of logins without SetRole; "" makes the
// permission check answer 404, as for a login that does not exist.
func (rs *RepoState) SetDefaultRole(role string) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.defaultRole = role
}

// Intercept installs f in front of every installed route, for faults:
// a 502 on the first PATCH, a 403 for a fork token, and so on.
func (rs *RepoState) Intercept(f HandlerIntercept) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.intercept = f
}

// Inject makes fi decide a fault for every request to an installed route,
// after the Intercept function (if any) has passed on it. nil removes it.
func (rs *RepoState) Inject(fi *FaultInjector) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.faults = fi
}

// DeleteComment deletes a comment, as a person might while a run goes on;
// it reports whether the comment existed.
func (rs *RepoState) DeleteComment(id int64) bool {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for i, c := range rs.comments {
		if c.id == id {
			rs.comments = append(rs.comments[:i:i], rs.comments[i+1:]...)
			return true
		}
	}
	return false
}

func (rs *RepoState) tick() time.Time {
	rs.clock = rs.clock.Add(time.Minute)
	return rs.clock
}

func (rs *RepoState) number(n int) int {
	if n == 0 {
		n = rs.nextNumber
	}
	if n >= rs.nextNumber {
		rs.nextNumber = n + 1
	}
	return n
}

// AddPull adds a pull request (it is also issue #Number, as on GitHub) and
// returns it with defaults filled in.
func (rs *RepoState) AddPull(pr PullRequest) PullRequest {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	pr.Number = rs.number(pr.Number)
	if pr.State == "" {
		pr.State = "open"
	}
	if pr.Title == "" {
		pr.Title = "Pull request " + strconv.Itoa(pr.Number)
	}
	if pr.Author == "" {
		pr.Author = "octocat"
	}
	if pr.HeadSHA == "" {
		pr.HeadSHA = fmt.Sprintf("%040x", 0xc0ffee0000+pr.Number)
	}
	if pr.HeadRef == "" {
		pr.HeadRef = "feature"
	}
	if pr.HeadRepo == "" {
		pr.HeadRepo = rs.FullName()
	}
	t := rs.tick()
	cp := pr
	rs.issues[pr.Number] = &issue{number: pr.Number, id: 1_800_000_000 + int64(pr.Number), title: pr.Title,
		state: pr.State, user: pr.Author, userType: "User", pull: &cp, created: t, updated: t}
	return pr
}

// SetPull changes a pull request added before (e.g. a new head SHA mid-run).
func (rs *RepoState) SetPull(pr PullRequest) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	is := rs.issues[pr.Number]
	if is == nil || is.pull == nil {
		panic(fmt.Sprintf("fakegh: SetPull: no pull request #%d", pr.Number))
	}
	cp := pr
	is.pull, is.state, is.updated = &cp, pr.State, rs.tick()
}

// AddIssue adds an issue and returns its number.
func (rs *RepoState) AddIssue(title, body, author, authorType string) int {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return rs.addIssue(title, body, author, authorType)
}

func (rs *RepoState) addIssue(title, body, author, authorType string) int {
	n := rs.number(0)
	t := rs.tick()
	rs.issues[n] = &issue{number: n, id: 1_800_000_000 + int64(n), title: title, body: body, state: "open",
		user: author, userType: authorType, created: t, updated: t}
	return n
}

// SetIssueState opens or closes an issue or pull request.
func (rs *RepoState) SetIssueState(number int, state string) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	is := rs.issues[number]
	if is == nil {
		panic(fmt.Sprintf("fakegh: SetIssueState: no issue #%d", number))
	}
	is.state, is.updated = state, rs.tick()
	if is.pull != nil {
		is.pull.State = state
	}
}

// AddComment adds a comment to issue or pull request number, as author
// with user type authorType ("User" or "Bot"). It panics when there is no
// such issue.
func (rs *RepoState) AddComment(number int, author, authorType, body string) Comment {
	return rs.SeedComment(Comment{Issue: number, Author: author, AuthorType: authorType, Body: body})
}

// SeedComment adds c (Reactions ignored). A zero ID gets the next id; a
// given one, such as the comment of an event payload fixture, is kept, and
// must be new. It panics when c.Issue does not exist.
func (rs *RepoState) SeedComment(c Comment) Comment {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.issues[c.Issue] == nil {
		panic(fmt.Sprintf("fakegh: no issue or pull request #%d to comment on", c.Issue))
	}
	if c.ID != 0 && rs.findComment(c.ID) != nil {
		panic(fmt.Sprintf("fakegh: comment %d exists", c.ID))
	}
	if c.AuthorType == "" {
		c.AuthorType = "User"
	}
	return rs.addComment(c.ID, c.Issue, c.Author, c.AuthorType, c.Body).snapshot()
}

func (rs *RepoState) addComment(id int64, number int, author, authorType, body string) *comment {
	if id == 0 {
		rs.nextComment++
		id = rs.nextComment
	}
	rs.nextComment = max(rs.nextComment, id)
	t := rs.tick()
	c := &comment{id: id, issue: number, body: body, user: author, userType: authorType, created: t, updated: t}
	// Keep ids ascending: lookups search, and lists are oldest first.
	i := sort.Search(len(rs.comments), func(i int) bool { return rs.comments[i].id > id })
	rs.comments = append(rs.comments, nil)
	copy(rs.comments[i+1:], rs.comments[i:])
	rs.comments[i] = c
	return c
}

func (c *comment) snapshot() Comment {
	out := Comment{ID: c.id, Issue: c.issue, Body: c.body, Author: c.user, AuthorType: c.userType}
	for _, r := range c.reacts {
		out.Reactions = append(out.Reactions, r.content)
	}
	return out
}

// Comments returns the comments on issue or pull request number, oldest
// first.
func (rs *RepoState) Comments(number int) []Comment {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	var out []Comment
	for _, c := range rs.comments {
		if c.issue == number {
			out = append(out, c.snapshot())
		}
	}
	return out
}

// Comment returns one comment by id.
func (rs *RepoState) Comment(id int64) (Comment, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if c := rs.findComment(id); c != nil {
		return c.snapshot(), true
	}
	return Comment{}, false
}

// Issues returns the issues (not pull requests), by number.
func (rs *RepoState) Issues() []Issue {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	var out []Issue
	for _, is := range rs.issues {
		if is.pull == nil {
			out = append(out, Issue{Number: is.number, Title: is.title, Body: is.body, State: is.state, Author: is.user, AuthorType: is.userType})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

func (rs *RepoState) findComment(id int64) *comment {
	i := sort.Search(len(rs.comments), func(i int) bool { return rs.comments[i].id >= id })
	if i < len(rs.comments) && rs.comments[i].id == id {
		return rs.comments[i]
	}
	return nil
}

// Routes installed by Install, with GitHub's wildcard names, so a test can
// replace one with Server.Handle and the same pattern.
const (
	RoutePermission    = "/repos/{owner}/{repo}/collaborators/{username}/permission"
	RoutePull          = "/repos/{owner}/{repo}/pulls/{pull_number}"
	RouteIssues        = "/repos/{owner}/{repo}/issues"
	RouteIssue         = "/repos/{owner}/{repo}/issues/{issue_number}"
	RouteIssueComments = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
	RouteComment       = "/repos/{owner}/{repo}/issues/comments/{comment_id}"
	RouteReactions     = "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"
)

// Install registers the repository's routes on s, all optional:
//
//	GET                RoutePermission
//	GET                RoutePull
//	GET, POST          RouteIssues
//	GET, PATCH         RouteIssue
//	GET, POST          RouteIssueComments
//	GET, PATCH, DELETE RouteComment
//	POST               RouteReactions
//
// A request for another repository gets 404.
func (rs *RepoState) Install(s *Server) {
	s.t.Helper()
	rs.mu.Lock()
	rs.base = s.URL()
	rs.mu.Unlock()
	for _, r := range []struct {
		method, pattern string
		h               func(w http.ResponseWriter, r *http.Request, body []byte)
	}{
		{"GET", RoutePermission, rs.getPermission},
		{"GET", RoutePull, rs.getPull},
		{"GET", RouteIssues, rs.listIssues},
		{"POST", RouteIssues, rs.createIssue},
		{"GET", RouteIssue, rs.getIssue},
		{"PATCH", RouteIssue, rs.updateIssue},
		{"GET", RouteIssueComments, rs.listComments},
		{"POST", RouteIssueComments, rs.createComment},
		{"GET", RouteComment, rs.getComment},
		{"PATCH", RouteComment, rs.updateComment},
		{"DELETE", RouteComment, rs.deleteComment},
		{"POST", RouteReactions, rs.react},
	} {
		h := r.h
		s.HandleOptional(r.method, r.pattern, func(w http.ResponseWriter, req *http.Request, body []byte) {
			rs.mu.Lock()
			icpt, fi := rs.intercept, rs.faults
			rs.mu.Unlock()
			if icpt != nil && icpt(w, req, body) {
				return
			}
			var f Fault
			var at time.Time
			if fi != nil {
				f, at = fi.decide(req)
			}
			f.serve(w, req, at, func(w http.ResponseWriter) {
				if !strings.EqualFold(req.PathValue("owner"), rs.Owner) || !strings.EqualFold(req.PathValue("repo"), rs.Name) {
					Error(w, http.StatusNotFound, "Not Found")
					return
				}
				rs.mu.Lock()
				defer rs.mu.Unlock()
				h(w, req, body)
			})
		})
	}
}

// The handlers below run with rs.mu held.

func (rs *RepoState) apiURL(path string, args ...any) string {
	return rs.base + "/repos/" + rs.FullName() + fmt.Sprintf(path, args...)
}

func (rs *RepoState) htmlURL(path string, args ...any) string {
	return "https://github.com/" + rs.FullName() + fmt.Sprintf(path, args...)
}

var roleRank = map[string]int{"none": 0, "read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}

func (rs *RepoState) getPermission(w http.ResponseWriter, r *http.Request, _ []byte) {
	login := r.PathValue("username")
	role, ok := rs.roles[strings.ToLower(login)]
	if !ok {
		role = rs.defaultRole
	}
	rank, known := roleRank[role]
	if !known {
		Error(w, http.StatusNotFound, "Not Found")
		return
	}
	legacy := map[string]string{"none": "none", "read": "read", "triage": "read", "write": "write", "maintain": "write", "admin": "admin"}[role]
	u := rs.user(login, "User")
	u["permissions"] = map[string]bool{"pull": rank >= 1, "triage": rank >= 2, "push": rank >= 3, "maintain": rank >= 4, "admin": rank >= 5}
	u["role_name"] = role
	JSON(w, http.StatusOK, map[string]any{"permission": legacy, "role_name": role, "user": u})
}

// user is a full simple-user object.
func (rs *RepoState) user(login, typ string) map[string]any {
	id := int64(1000)
	for _, c := range login {
		id = id*31 + int64(c)
	}
	id = id&0x3fffffff + 1
	if login == DefaultBot {
		id = 41898282
	}
	api := rs.base + "/users/" + url.PathEscape(login)
	return map[string]any{
		"login": login, "id": id, "node_id": "MDQ6VXNlcj" + strconv.FormatInt(id, 10),
		"avatar_url":          "https://avatars.githubusercontent.com/u/" + strconv.FormatInt(id, 10) + "?v=4",
		"gravatar_id":         "",
		"url":                 api,
		"html_url":            "https://github.com/" + strings.TrimSuffix(login, "[bot]"),
		"followers_url":       api + "/followers",
		"following_url":       api + "/following{/other_user}",
		"gists_url":           api + "/gists{/gist_id}",
		"starred_url":         api + "/starred{/owner}{/repo}",
		"subscriptions_url":   api + "/subscriptions",
		"organizations_url":   api + "/orgs",
		"repos_url":           api + "/repos",
		"events_url":          api + "/events{/privacy}",
		"received_events_url": api + "/received_events",
		"type":                typ,
		"site_admin":          false,
	}
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (rs *RepoState) commentJSON(c *comment) map[string]any {
	kind := "issues"
	if is := rs.issues[c.issue]; is != nil && is.pull != nil {
		kind = "pull"
	}
	assoc := "NONE"
	if c.userType == "User" {
		assoc = "CONTRIBUTOR"
	}
	reacts := map[string]any{"url": rs.apiURL("/issues/comments/%d/reactions", c.id), "total_count": len(c.reacts)}
	for _, k := range []string{"+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"} {
		n := 0
		for _, r := range c.reacts {
			if r.content == k {
				n++
			}
		}
		reacts[k] = n
	}
	return map[string]any{
		"id": c.id, "node_id": "IC_kwDO" + strconv.FormatInt(c.id, 36),
		"url":                      rs.apiURL("/issues/comments/%d", c.id),
		"html_url":                 rs.htmlURL("/%s/%d#issuecomment-%d", kind, c.issue, c.id),
		"issue_url":                rs.apiURL("/issues/%d", c.issue),
		"body":                     c.body,
		"user":                     rs.user(c.user, c.userType),
		"created_at":               stamp(c.created),
		"updated_at":               stamp(c.updated),
		"author_association":       assoc,
		"performed_via_github_app": nil,
		"reactions":                reacts,
	}
}

func (rs *RepoState) issueJSON(is *issue) map[string]any {
	kind := "issues"
	if is.pull != nil {
		kind = "pull"
	}
	n := 0
	for _, c := range rs.comments {
		if c.issue == is.number {
			n++
		}
	}
	var closed any
	if is.state == "closed" {
		closed = stamp(is.updated)
	}
	m := map[string]any{
		"id": is.id, "node_id": "I_kwDO" + strconv.FormatInt(is.id, 36),
		"url":            rs.apiURL("/issues/%d", is.number),
		"repository_url": rs.base + "/repos/" + rs.FullName(),
		"labels_url":     rs.apiURL("/issues/%d/labels{/name}", is.number),
		"comments_url":   rs.apiURL("/issues/%d/comments", is.number),
		"events_url":     rs.apiURL("/issues/%d/events", is.number),
		"html_url":       rs.htmlURL("/%s/%d", kind, is.number),
		"number":         is.number, "state": is.state, "title": is.title, "body": is.body,
		"user": rs.user(is.user, is.userType), "labels": []any{}, "assignee": nil, "assignees": []any{},
		"milestone": nil, "locked": false, "comments": n, "closed_at": closed,
		"created_at": stamp(is.created), "updated_at": stamp(is.updated), "author_association": "NONE",
	}
	if is.pull != nil {
		m["pull_request"] = map[string]any{
			"url":       rs.apiURL("/pulls/%d", is.number),
			"html_url":  rs.htmlURL("/pull/%d", is.number),
			"diff_url":  rs.htmlURL("/pull/%d.diff", is.number),
			"patch_url": rs.htmlURL("/pull/%d.patch", is.number),
		}
	}
	return m
}

func (rs *RepoState) getPull(w http.ResponseWriter, r *http.Request, _ []byte) {
	n, _ := strconv.Atoi(r.PathValue("pull_number"))
	is := rs.issues[n]
	if is == nil || is.pull == nil {
		Error(w, http.StatusNotFound, "Not Found")
		return
	}
	raw, err := ReadFixture("pulls/get")
	var m map[string]any
	if err == nil {
		err = json.Unmarshal(raw, &m)
	}
	if err != nil {
		Error(w, http.StatusInternalServerError, "fakegh: pull request template: "+err.Error())
		return
	}
	pr := is.pull
	m["number"], m["state"], m["title"], m["id"] = pr.Number, pr.State, pr.Title, is.id
	m["url"] = rs.apiURL("/pulls/%d", pr.Number)
	m["html_url"] = rs.htmlURL("/pull/%d", pr.Number)
	m["issue_url"] = rs.apiURL("/issues/%d", pr.Number)
	m["user"] = rs.user(pr.Author, "User")
	m["created_at"], m["updated_at"] = stamp(is.created), stamp(is.updated)
	if pr.State == "closed" {
		m["closed_at"] = stamp(is.updated)
	} else {
		m["closed_at"] = nil
	}
	m["merged"], m["merged_at"], m["merged_by"] = false, nil, nil
	base, _ := m["base"].(map[string]any)
	head, _ := m["head"].(map[string]any)
	if base == nil || head == nil {
		Error(w, http.StatusInternalServerError, "fakegh: pull request template has no head or base")
		return
	}
	repoJSON := func(tmpl any, full string) map[string]any {
		src, _ := tmpl.(map[string]any)
		out := make(map[string]any, len(src))
		for k, v := range src {
			out[k] = v
		}
		owner, name, _ := strings.Cut(full, "/")
		out["full_name"], out["name"] = full, name
		out["html_url"] = "https://github.com/" + full
		out["url"] = rs.base + "/repos/" + full
		if o, ok := out["owner"].(map[string]any); ok {
			oc := make(map[string]any, len(o))
			for k, v := range o {
				oc[k] = v
			}
			oc["login"] = owner
			out["owner"] = oc
		}
		return out
	}
	base["repo"] = repoJSON(base["repo"], rs.FullName())
	base["ref"], base["label"] = "main", rs.Owner+":main"
	head["sha"], head["ref"] = pr.HeadSHA, pr.HeadRef
	if pr.HeadRepo == "-" {
		head["repo"] = nil
		head["label"] = "unknown:" + pr.HeadRef
	} else {
		head["repo"] = repoJSON(head["repo"], pr.HeadRepo)
		owner, _, _ := strings.Cut(pr.HeadRepo, "/")
		head["label"] = owner + ":" + pr.HeadRef
	}
	JSON(w, http.StatusOK, m)
}

// page cuts total items into GitHub pages (per_page default 30, at most
// 100) and sets the Link header; it returns the [start, end) range.
func (rs *RepoState) page(w http.ResponseWriter, r *http.Request, total int) (start, end int) {
	q := r.URL.Query()
	per, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || per <= 0 {
		per = 30
	}
	per = min(per, 100)
	pg, err := strconv.Atoi(q.Get("page"))
	if err != nil || pg <= 0 {
		pg = 1
	}
	last := max(1, (total+per-1)/per)
	link := func(p int, rel string) string {
		q.Set("page", strconv.Itoa(p))
		q.Set("per_page", strconv.Itoa(per))
		return fmt.Sprintf("<%s%s?%s>; rel=%q", rs.base, r.URL.EscapedPath(), q.Encode(), rel)
	}
	var links []string
	if pg > 1 {
		links = append(links, link(min(pg-1, last), "prev"))
	}
	if pg < last {
		links = append(links, link(pg+1, "next"), link(last, "last"))
	}
	if pg > 1 {
		links = append(links, link(1, "first"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	start = min((pg-1)*per, total)
	return start, min(start+per, total)
}

func (rs *RepoState) listIssues(w http.ResponseWriter, r *http.Request, _ []byte) {
	state := r.URL.Query().Get("state")
	if state == "" {
		state = "open"
	}
	var list []*issue
	for _, is := range rs.issues {
		if state == "all" || is.state == state {
			list = append(list, is)
		}
	}
	// GitHub's default: sort=created, direction=desc.
	asc := r.URL.Query().Get("direction") == "asc"
	sort.Slice(list, func(i, j int) bool { return (list[i].number < list[j].number) == asc })
	start, end := rs.page(w, r, len(list))
	out := make([]any, 0, end-start)
	for _, is := range list[start:end] {
		out = append(out, rs.issueJSON(is))
	}
	JSON(w, http.StatusOK, out)
}

type issueBody struct {
	Title *string `json:"title"`
	Body  *string `json:"body"`
	State *string `json:"state"`
}

func tooLong(w http.ResponseWriter, resource, field string, s *string) bool {
	if s == nil || utf8.RuneCountInString(*s) <= MaxCommentChars {
		return false
	}
	JSON(w, http.StatusUnprocessableEntity, map[string]any{
		"message": "Validation Failed",
		"errors": []any{map[string]any{"resource": resource, "code": "unprocessable", "field": field,
			"message": "Body is too long (maximum is 65536 characters)"}},
		"documentation_url": "https://docs.github.com/rest",
	})
	return true
}

func (rs *RepoState) createIssue(w http.ResponseWriter, _ *http.Request, body []byte) {
	var in issueBody
	if err := json.Unmarshal(body, &in); err != nil || in.Title == nil || *in.Title == "" {
		Error(w, http.StatusUnprocessableEntity, "Validation Failed")
		return
	}
	if tooLong(w, "Issue", "body", in.Body) {
		return
	}
	text := ""
	if in.Body != nil {
		text = *in.Body
	}
	n := rs.addIssue(*in.Title, text, rs.bot, "Bot")
	w.Header().Set("Location", rs.apiURL("/issues/%d", n))
	JSON(w, http.StatusCreated, rs.issueJSON(rs.issues[n]))
}

func (rs *RepoState) getIssue(w http.ResponseWriter, r *http.Request, _ []byte) {
	n, _ := strconv.Atoi(r.PathValue("issue_number"))
	is := rs.issues[n]
	if is == nil {
		Error(w, http.StatusNotFound, "Not Found")
		return
	}
	JSON(w, http.StatusOK, rs.issueJSON(is))
}

func (rs *RepoState) updateIssue(w http.ResponseWriter, r *http.Request, body []byte) {
	n, _ := strconv.Atoi(r.PathValue("issue_number"))
	is := rs.issues[n]
	if is == nil {
		Error(w, http.StatusNotFound, "Not Found")
		return
	}
	var in issueBody
	if err := json.Unmarshal(body, &in); err != nil {
		Error(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	if tooLong(w, "Issue", "body", in.Body) {
		return
	}
	if in.Title != nil {
		is.title = *in.Title
	}
	if in.Body != nil {
		is.body = *in.Body
	}
	if in.State != nil {
		is.state = *in.State
	}
	is.updated = rs.tick()
	JSON(w, http.StatusOK, rs.issueJSON(is))
}

func (rs *RepoState) listComments(w http.ResponseWriter, r *http.Request, _ []byte) {
	n, _ := strconv.Atoi(r.PathValue("issue_number"))
	if rs.issues[n] == nil {
		Error(w, http.StatusNotFound, "Not Found")
		return
	}
	var list []*comment
	for _, c := range rs.comments {
		if c.issue == n {
			list = append(list, c)
		}
	}
	start, end := rs.page(w, r, len(list))
	out := make([]any, 0, end-start)
	for _, c := range list[start:end] {
		out = append(out, rs.commentJSON(c))
	}
	JSON(w, http.StatusOK, out)
}

func decodeCommentBody(w http.ResponseWriter, body []byte) (string, bool) {
	var in struct {
		Body *string `json:"body"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		Error(w, http.StatusBadRequest, "Problems parsing JSON")
		return "", false
	}
	if in.Body == nil {
		JSON(w, http.StatusUnprocessableEntity, map[string]any{"message": "Validation Failed",
			"errors": []any{map[string]any{"resource": "IssueComment", "field": "body", "code": "missing_field"}}})
		return "", false
	}
	if tooLong(w, "IssueComment", "data", in.Body) {
		return "", false
	}
	return *in.Body, true
}

func (rs *RepoState) createComment(w http.ResponseWriter, r *http.Request, body []byte) {
	n, _ := strconv.Atoi(r.PathValue("issue_number"))
	if rs.issues[n] == nil {
		Error(w, http.StatusNotFound, "Not Found")
		return
	}
	text, ok := decodeCommentBody(w, body)
	if !ok {
		return
	}
	c := rs.addComment(0, n, rs.bot, "Bot", text)
	w.Header().Set("Location", rs.apiURL("/issues/comments/%d", c.id))
	JSON(w, http.StatusCreated, rs.commentJSON(c))
}

func (rs *RepoState) commentFor(w http.ResponseWriter, r *http.Request) *comment {
	id, _ := strconv.ParseInt(r.PathValue("comment_id"), 10, 64)
	c := rs.findComment(id)
	if c == nil {
		Error(w, http.StatusNotFound, "Not Found")
	}
	return c
}

func (rs *RepoState) getComment(w http.ResponseWriter, r *http.Request, _ []byte) {
	if c := rs.commentFor(w, r); c != nil {
		JSON(w, http.StatusOK, rs.commentJSON(c))
	}
}

func (rs *RepoState) updateComment(w http.ResponseWriter, r *http.Request, body []byte) {
	c := rs.commentFor(w, r)
	if c == nil {
		return
	}
	text, ok := decodeCommentBody(w, body)
	if !ok {
		return
	}
	c.body, c.updated = text, rs.tick()
	JSON(w, http.StatusOK, rs.commentJSON(c))
}

func (rs *RepoState) deleteComment(w http.ResponseWriter, r *http.Request, _ []byte) {
	c := rs.commentFor(w, r)
	if c == nil {
		return
	}
	for i, x := range rs.comments {
		if x == c {
			rs.comments = append(rs.comments[:i:i], rs.comments[i+1:]...)
			break
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (rs *RepoState) react(w http.ResponseWriter, r *http.Request, body []byte) {
	c := rs.commentFor(w, r)
	if c == nil {
		return
	}
	var in struct {
		Content string `json:"content"`
	}
	_ = json.Unmarshal(body, &in)
	switch in.Content {
	case "+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes":
	default:
		Error(w, http.StatusUnprocessableEntity, "Validation Failed")
		return
	}
	out := func(status int, re reaction) {
		JSON(w, status, map[string]any{"id": re.id, "node_id": "REA_lADO" + strconv.FormatInt(re.id, 36),
			"user": rs.user(re.user, "Bot"), "content": re.content, "created_at": stamp(re.created)})
	}
	for _, re := range c.reacts {
		if re.user == rs.bot && re.content == in.Content {
			out(http.StatusOK, re) // "Reaction exists"
			return
		}
	}
	rs.nextReact++
	re := reaction{id: rs.nextReact, user: rs.bot, content: in.Content, created: rs.tick()}
	c.reacts = append(c.reacts, re)
	out(http.StatusCreated, re)
}
