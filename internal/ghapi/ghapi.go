// Package ghapi makes the few GitHub REST calls wizard-ci needs, on
// go-github v62: the commenter's role, the pull request, a reaction, and
// our comments and tracking issue, found by a hidden marker. Below
// go-github, its transport waits out rate limits and retries failures, and
// creates are checked by marker so a lost answer never makes a duplicate.
package ghapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/avast/retry-go/v4"
	"github.com/google/go-github/v62/github"
)

// DefaultBaseURL is used when the base URL is empty.
const DefaultBaseURL = "https://api.github.com/"

// ErrNotFound matches (errors.Is) every error for a 404 answer.
var ErrNotFound = errors.New("not found")

// Client calls GitHub. Create it with New.
type Client struct {
	gh  *github.Client
	cfg *config
}

// New returns a client for the REST API at baseURL (GITHUB_API_URL, e.g.
// https://api.github.com or http://127.0.0.1:PORT/api/v3), authenticated
// with token (none when empty).
//
// The URL is used as given, with a "/" added when missing: go-github needs
// it, and its WithEnterpriseURLs would append "api/v3/" to hosts it does not
// recognise, such as a test server that already has it.
//
// Requests go through a transport that retries rate limits, 5xx answers and
// lost connections (see WithClock, WithRetryBudget, WithRequestTimeout);
// hc's Timeout bounds each attempt, not the call. Once a request gets no
// answer to any of its attempts, later ones are sent once only, until
// GitHub answers again (see ErrUnreachable).
func New(hc *http.Client, baseURL, token string, opts ...Option) (*Client, error) {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	if !strings.HasSuffix(baseURL, "/") {
		baseURL += "/"
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("GitHub API URL %q: %w", baseURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("GitHub API URL %q: want http(s)://host[/path]", baseURL)
	}
	var timeout time.Duration
	if hc != nil {
		timeout = hc.Timeout
	}
	cfg := newConfig(timeout, opts)
	gh := github.NewClient(wrapClient(hc, cfg, u.String()))
	if token != "" {
		gh = gh.WithAuthToken(token)
	}
	gh.BaseURL = u
	gh.UserAgent = "wizard-ci"
	return &Client{gh: gh, cfg: cfg}, nil
}

// Repo is a repository, "owner/name".
type Repo struct {
	Owner, Name string
}

// String returns "owner/name".
func (r Repo) String() string { return r.Owner + "/" + r.Name }

// GitHub's rules for account and repository names (with "_" for Enterprise
// Managed Users). They also keep a name from reaching into another path of
// the API, since go-github puts owner and name into paths unescaped.
var (
	ownerRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$`)
	nameRE  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
)

// ParseRepo parses "owner/name" (GITHUB_REPOSITORY).
func ParseRepo(s string) (Repo, error) {
	owner, name, ok := strings.Cut(s, "/")
	if !ok || !ownerRE.MatchString(owner) || !nameRE.MatchString(name) || name == "." || name == ".." {
		return Repo{}, fmt.Errorf("repository %q: want owner/name", s)
	}
	return Repo{Owner: owner, Name: name}, nil
}

// wrap adds the operation to err and makes a 404 match ErrNotFound.
func wrap(op string, resp *github.Response, err error) error {
	if resp != nil && resp.StatusCode == http.StatusNotFound {
		return fmt.Errorf("%s: %w: %w", op, ErrNotFound, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Unanswered reports whether a failed call got no answer from GitHub at
// all (a network error, a timeout, the breaker of ErrUnreachable), as
// opposed to an answer that was an error or could not be read.
func Unanswered(err error) bool {
	var ue *url.Error
	var ne net.Error
	return errors.Is(err, ErrUnreachable) || errors.As(err, &ue) || errors.As(err, &ne) ||
		errors.Is(err, context.DeadlineExceeded)
}

// StatusCode returns the HTTP status of a failed call, or 0 when there was
// no answer (a network error).
func StatusCode(err error) int {
	var le *LimitError
	var er *github.ErrorResponse
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	switch {
	case errors.As(err, &le):
		return le.StatusCode
	case errors.As(err, &er) && er.Response != nil:
		return er.Response.StatusCode
	case errors.As(err, &rl) && rl.Response != nil:
		return rl.Response.StatusCode
	case errors.As(err, &ab) && ab.Response != nil:
		return ab.Response.StatusCode
	}
	return 0
}

// RetryAfter reports whether err is a rate limit, and how long GitHub asks
// to wait: Retry-After for a secondary limit (a minute when it gives none,
// as GitHub's docs advise), the reset time for a primary one.
func RetryAfter(err error, now time.Time) (time.Duration, bool) {
	var le *LimitError
	if errors.As(err, &le) {
		if !le.Secondary && !le.Reset.IsZero() {
			return max(le.Reset.Sub(now), time.Second), true
		}
		return max(le.Wait, time.Second), true
	}
	var ab *github.AbuseRateLimitError
	if errors.As(err, &ab) {
		if ab.RetryAfter != nil && *ab.RetryAfter > 0 {
			return *ab.RetryAfter, true
		}
		return time.Minute, true
	}
	var rl *github.RateLimitError
	if errors.As(err, &rl) {
		return max(rl.Rate.Reset.Sub(now), time.Second), true
	}
	return 0, false
}

// Roles from least to most access (GitHub's base repository roles).
var roles = []string{"read", "triage", "write", "maintain", "admin"}

// ValidRole reports whether role is read, triage, write, maintain or admin.
func ValidRole(role string) bool { return rank(role) >= 0 }

func rank(role string) int {
	for i, r := range roles {
		if r == role {
			return i
		}
	}
	return -1
}

// RoleAtLeast reports whether role grants at least least; unknown roles
// (including "none") grant nothing.
func RoleAtLeast(role, least string) bool {
	r, m := rank(role), rank(least)
	return r >= 0 && m >= 0 && r >= m
}

// permissionLevel is the part of the permission answer we trust. go-github
// v62's type has no role_name, and the legacy "permission" field maps
// maintain to write and triage to read, so it is not read at all.
type permissionLevel struct {
	RoleName string `json:"role_name"`
	User     *struct {
		Permissions *struct {
			Admin    bool `json:"admin"`
			Maintain bool `json:"maintain"`
			Push     bool `json:"push"`
			Triage   bool `json:"triage"`
			Pull     bool `json:"pull"`
		} `json:"permissions"`
	} `json:"user"`
}

// Permission returns user's role on repo: read, triage, write, maintain or
// admin, or "none" when GitHub says the user has no access. It prefers
// role_name and falls back to user.permissions (for a custom role, whose
// role_name is its own name); it never reads the legacy permission field.
// Any failure is an error, and SPEC §3 says an error means deny.
//
// GitHub API: GET /repos/{owner}/{repo}/collaborators/{username}/permission
func (c *Client) Permission(ctx context.Context, repo Repo, user string) (string, error) {
	op := fmt.Sprintf("read %s's permission on %s", user, repo)
	if user == "" || strings.ContainsAny(user, "/?#%") {
		return "", fmt.Errorf("%s: invalid login %q", op, user)
	}
	u := fmt.Sprintf("repos/%s/%s/collaborators/%s/permission", repo.Owner, repo.Name, url.PathEscape(user))
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	var pl permissionLevel
	resp, err := c.gh.Do(ctx, req, &pl)
	if err != nil {
		return "", wrap(op, resp, err)
	}
	if ValidRole(pl.RoleName) || pl.RoleName == "none" {
		return pl.RoleName, nil
	}
	if pl.User != nil && pl.User.Permissions != nil {
		p := pl.User.Permissions
		switch {
		case p.Admin:
			return "admin", nil
		case p.Maintain:
			return "maintain", nil
		case p.Push:
			return "write", nil
		case p.Triage:
			return "triage", nil
		case p.Pull:
			return "read", nil
		}
		return "none", nil
	}
	return "", fmt.Errorf("%s: GitHub answered without a known role_name (%q) or user.permissions", op, pl.RoleName)
}

// PR is what the gate needs to know about a pull request.
type PR struct {
	Number   int
	Open     bool
	HeadSHA  string
	HeadRef  string
	HeadRepo string // full name; "" when the head repository was deleted
	BaseRepo string // full name
	// Fork is true when the head repository differs from the base, or is gone.
	Fork bool
}

// PullRequest reads pull request number.
//
// GitHub API: GET /repos/{owner}/{repo}/pulls/{pull_number}
func (c *Client) PullRequest(ctx context.Context, repo Repo, number int) (*PR, error) {
	op := fmt.Sprintf("read pull request %s#%d", repo, number)
	pr, resp, err := c.gh.PullRequests.Get(ctx, repo.Owner, repo.Name, number)
	if err != nil {
		return nil, wrap(op, resp, err)
	}
	out := &PR{
		Number:   pr.GetNumber(),
		Open:     pr.GetState() == "open",
		HeadSHA:  pr.GetHead().GetSHA(),
		HeadRef:  pr.GetHead().GetRef(),
		HeadRepo: pr.GetHead().GetRepo().GetFullName(),
		BaseRepo: pr.GetBase().GetRepo().GetFullName(),
	}
	out.Fork = out.HeadRepo == "" || !strings.EqualFold(out.HeadRepo, out.BaseRepo)
	if out.HeadSHA == "" {
		return nil, fmt.Errorf("%s: GitHub answered without a head SHA", op)
	}
	return out, nil
}

// Reactions we post on a command comment.
const (
	ReactionEyes     = "eyes"
	ReactionPlusOne  = "+1"
	ReactionMinusOne = "-1"
	ReactionConfused = "confused"
)

// React adds a reaction ("eyes", "+1", "-1", "confused", …) to an issue
// comment. Adding one that exists is not an error.
//
// GitHub API: POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions
func (c *Client) React(ctx context.Context, repo Repo, commentID int64, content string) error {
	op := fmt.Sprintf("react %q to comment %d in %s", content, commentID, repo)
	switch content {
	case "+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes":
	default:
		return fmt.Errorf("%s: not a GitHub reaction", op)
	}
	// GitHub answers 200 for a reaction that exists, so a POST whose answer
	// was lost may be sent again.
	_, resp, err := c.gh.Reactions.CreateIssueCommentReaction(withIdempotent(ctx), repo.Owner, repo.Name, commentID, content)
	if err != nil {
		return wrap(op, resp, err)
	}
	return nil
}

// Comment is an issue or pull request comment.
type Comment struct {
	ID     int64
	URL    string // html_url
	Body   string
	Author string
	Bot    bool // user.type == "Bot"
}

func toComment(ic *github.IssueComment) *Comment {
	return &Comment{
		ID:     ic.GetID(),
		URL:    ic.GetHTMLURL(),
		Body:   ic.GetBody(),
		Author: ic.GetUser().GetLogin(),
		Bot:    ic.GetUser().GetType() == "Bot",
	}
}

// CreateComment comments on issue or pull request number. It is sent once:
// a 5xx or a lost answer is an error even though the comment may exist (use
// UpsertComment, whose marker makes the create safe to repeat).
//
// GitHub API: POST /repos/{owner}/{repo}/issues/{issue_number}/comments
func (c *Client) CreateComment(ctx context.Context, repo Repo, number int, body string) (*Comment, error) {
	op := fmt.Sprintf("comment on %s#%d", repo, number)
	ic, resp, err := c.gh.Issues.CreateComment(ctx, repo.Owner, repo.Name, number, &github.IssueComment{Body: &body})
	if err != nil {
		return nil, wrap(op, resp, err)
	}
	return toComment(ic), nil
}

// UpdateComment replaces the body of comment id. A deleted comment gives an
// error matching ErrNotFound.
//
// GitHub API: PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}
func (c *Client) UpdateComment(ctx context.Context, repo Repo, id int64, body string) (*Comment, error) {
	op := fmt.Sprintf("update comment %d in %s", id, repo)
	ic, resp, err := c.gh.Issues.EditComment(ctx, repo.Owner, repo.Name, id, &github.IssueComment{Body: &body})
	if err != nil {
		return nil, wrap(op, resp, err)
	}
	return toComment(ic), nil
}

// perPage is GitHub's maximum page size.
const perPage = 100

// ListComments returns every comment on issue or pull request number,
// oldest first, walking all pages.
//
// GitHub API: GET /repos/{owner}/{repo}/issues/{issue_number}/comments
func (c *Client) ListComments(ctx context.Context, repo Repo, number int) ([]*Comment, error) {
	op := fmt.Sprintf("list comments on %s#%d", repo, number)
	if number <= 0 {
		// go-github lists the whole repository's comments for 0.
		return nil, fmt.Errorf("%s: invalid number", op)
	}
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: perPage, Page: 1}}
	var out []*Comment
	for {
		page, resp, err := c.gh.Issues.ListComments(ctx, repo.Owner, repo.Name, number, opts)
		if err != nil {
			return nil, wrap(op, resp, err)
		}
		for _, ic := range page {
			out = append(out, toComment(ic))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		if resp.NextPage <= opts.Page {
			return nil, fmt.Errorf("%s: page %d links back to page %d", op, opts.Page, resp.NextPage)
		}
		opts.Page = resp.NextPage
	}
}

// FindComments returns the comments on number that contain marker and were
// written by a bot, newest first. A person cannot plant a marker (SPEC §3).
//
// GitHub API: GET /repos/{owner}/{repo}/issues/{issue_number}/comments (every page)
func (c *Client) FindComments(ctx context.Context, repo Repo, number int, marker string) ([]*Comment, error) {
	if marker == "" {
		return nil, errors.New("find comments: empty marker")
	}
	all, err := c.ListComments(ctx, repo, number)
	if err != nil {
		return nil, err
	}
	var out []*Comment
	for _, cm := range all {
		if cm.Bot && strings.Contains(cm.Body, marker) {
			out = append(out, cm)
		}
	}
	// Comment ids grow with time on GitHub.
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out, nil
}

// FindComment returns the newest bot comment on number containing marker,
// or nil, nil when there is none.
//
// GitHub API: GET /repos/{owner}/{repo}/issues/{issue_number}/comments (every page)
func (c *Client) FindComment(ctx context.Context, repo Repo, number int, marker string) (*Comment, error) {
	found, err := c.FindComments(ctx, repo, number, marker)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return found[0], nil
}

// UpsertComment updates the newest bot comment on number containing
// marker, or creates one. body must contain marker, so the next call finds
// it. A comment deleted since it was found is created again. A create that
// may have reached GitHub (a 5xx, no answer) is followed by a lookup by
// marker before it is tried again, so a lost answer never makes a second
// comment.
//
// GitHub API: GET …/issues/{issue_number}/comments (every page), then
// PATCH …/issues/comments/{comment_id} or POST …/issues/{issue_number}/comments
func (c *Client) UpsertComment(ctx context.Context, repo Repo, number int, marker, body string) (*Comment, error) {
	if !strings.Contains(body, marker) {
		return nil, fmt.Errorf("comment on %s#%d: the body lacks its marker %q", repo, number, marker)
	}
	ctx = c.withBudget(ctx)
	found, err := c.FindComment(ctx, repo, number, marker)
	if err != nil {
		return nil, err
	}
	if found != nil {
		cm, err := c.UpdateComment(ctx, repo, found.ID, body)
		if !errors.Is(err, ErrNotFound) {
			return cm, err
		}
	}
	return createOnce(ctx, c,
		func(ctx context.Context) (*Comment, error) { return c.CreateComment(ctx, repo, number, body) },
		func(ctx context.Context) (*Comment, bool, error) {
			found, err := c.FindComment(ctx, repo, number, marker)
			if err != nil || found == nil || found.Body == body {
				return found, found != nil, err
			}
			cm, err := c.UpdateComment(ctx, repo, found.ID, body)
			return cm, err == nil, err
		})
}

// withBudget gives ctx the budget every request of one ghapi call shares,
// unless an enclosing call already set one.
func (c *Client) withBudget(ctx context.Context) context.Context {
	if _, ok := ctx.Value(deadlineKey).(time.Time); ok {
		return ctx
	}
	return context.WithValue(ctx, deadlineKey, c.cfg.deadline(ctx))
}

// createOnce runs create; when it fails in a way that may have created the
// object anyway (a 5xx, no answer), it waits, asks lookup for an object the
// lost create made (found reports one), and creates again only when there
// is none. This is why the transport never repeats a POST by itself.
func createOnce[T any](ctx context.Context, c *Client, create func(context.Context) (T, error),
	lookup func(context.Context) (v T, found bool, err error)) (T, error) {
	ctx = c.withBudget(ctx)
	deadline := c.cfg.deadline(ctx)
	failures := 0
	v, err := retry.DoWithData(
		func() (T, error) {
			if failures > 0 {
				got, found, err := lookup(ctx)
				if err != nil || found {
					return got, err
				}
			}
			got, err := create(ctx)
			// GitHub could not be reached earlier and still cannot: the
			// transport's breaker says not to spend retries on it.
			if err != nil && ctx.Err() == nil && mayHaveLanded(err) && !errors.Is(err, ErrUnreachable) {
				failures++
				return got, &retryable{kind: kindFailure, wait: c.cfg.backoff(failures), err: err}
			}
			return got, err
		},
		retry.Attempts(0),
		retry.Context(ctx),
		retry.WithTimer(c.cfg.clock),
		retry.DelayType(func(_ uint, err error, _ *retry.Config) time.Duration {
			var r *retryable
			errors.As(err, &r)
			return r.wait
		}),
		retry.RetryIf(func(err error) bool {
			var r *retryable
			return errors.As(err, &r) && failures <= maxFailureRetries && !c.cfg.clock.Now().Add(r.wait).After(deadline)
		}),
		retry.OnRetry(func(_ uint, err error) {
			var r *retryable
			if errors.As(err, &r) && c.cfg.logf != nil {
				c.cfg.logf("%v; looking for it by marker in %s before creating it again", r.err, r.wait.Round(time.Millisecond))
			}
		}),
	)
	var r *retryable
	if errors.As(err, &r) {
		err = r.err
	}
	return v, err
}

// mayHaveLanded reports whether a failed create may have been carried out
// by GitHub: a 5xx answer, or none at all. A 4xx or a rate limit was not.
func mayHaveLanded(err error) bool {
	var le *LimitError
	if errors.As(err, &le) {
		return false
	}
	code := StatusCode(err)
	return code == 0 || code >= 500
}

// Issue is an issue (the tracking issue of scheduled runs).
type Issue struct {
	Number int
	URL    string // html_url
	Title  string
	Body   string
	State  string
	Author string
	Bot    bool
}

func toIssue(is *github.Issue) *Issue {
	return &Issue{
		Number: is.GetNumber(),
		URL:    is.GetHTMLURL(),
		Title:  is.GetTitle(),
		Body:   is.GetBody(),
		State:  is.GetState(),
		Author: is.GetUser().GetLogin(),
		Bot:    is.GetUser().GetType() == "Bot",
	}
}

// CreateIssue opens an issue. Like CreateComment, it is sent once.
//
// GitHub API: POST /repos/{owner}/{repo}/issues
func (c *Client) CreateIssue(ctx context.Context, repo Repo, title, body string) (*Issue, error) {
	op := fmt.Sprintf("open an issue in %s", repo)
	is, resp, err := c.gh.Issues.Create(ctx, repo.Owner, repo.Name, &github.IssueRequest{Title: &title, Body: &body})
	if err != nil {
		return nil, wrap(op, resp, err)
	}
	return toIssue(is), nil
}

// UpdateIssue replaces the title and body of issue number.
//
// GitHub API: PATCH /repos/{owner}/{repo}/issues/{issue_number}
func (c *Client) UpdateIssue(ctx context.Context, repo Repo, number int, title, body string) (*Issue, error) {
	op := fmt.Sprintf("update issue %s#%d", repo, number)
	is, resp, err := c.gh.Issues.Edit(ctx, repo.Owner, repo.Name, number, &github.IssueRequest{Title: &title, Body: &body})
	if err != nil {
		return nil, wrap(op, resp, err)
	}
	return toIssue(is), nil
}

// FindIssue returns the newest open issue (not pull request) written by a
// bot whose body contains marker, or nil, nil. Closed issues are skipped on
// purpose: closing the tracking issue starts a fresh one on the next run.
//
// GitHub API: GET /repos/{owner}/{repo}/issues (every page)
func (c *Client) FindIssue(ctx context.Context, repo Repo, marker string) (*Issue, error) {
	op := fmt.Sprintf("find the issue marked %q in %s", marker, repo)
	if marker == "" {
		return nil, fmt.Errorf("%s: empty marker", op)
	}
	opts := &github.IssueListByRepoOptions{State: "open", Sort: "created", Direction: "desc",
		ListOptions: github.ListOptions{PerPage: perPage, Page: 1}}
	var best *Issue
	for {
		page, resp, err := c.gh.Issues.ListByRepo(ctx, repo.Owner, repo.Name, opts)
		if err != nil {
			return nil, wrap(op, resp, err)
		}
		for _, is := range page {
			if is.IsPullRequest() || is.GetUser().GetType() != "Bot" || !strings.Contains(is.GetBody(), marker) {
				continue
			}
			if best == nil || is.GetNumber() > best.Number {
				best = toIssue(is)
			}
		}
		if resp.NextPage == 0 {
			return best, nil
		}
		if resp.NextPage <= opts.Page {
			return nil, fmt.Errorf("%s: page %d links back to page %d", op, opts.Page, resp.NextPage)
		}
		opts.Page = resp.NextPage
	}
}

// UpsertIssue updates the issue FindIssue finds for marker, or opens one.
// body must contain marker. As in UpsertComment, a create that may have
// reached GitHub is looked up by marker before it is tried again.
//
// GitHub API: GET /repos/{owner}/{repo}/issues (every page), then
// PATCH …/issues/{issue_number} or POST /repos/{owner}/{repo}/issues
func (c *Client) UpsertIssue(ctx context.Context, repo Repo, title, marker, body string) (*Issue, error) {
	if !strings.Contains(body, marker) {
		return nil, fmt.Errorf("open an issue in %s: the body lacks its marker %q", repo, marker)
	}
	ctx = c.withBudget(ctx)
	found, err := c.FindIssue(ctx, repo, marker)
	if err != nil {
		return nil, err
	}
	if found != nil {
		is, err := c.UpdateIssue(ctx, repo, found.Number, title, body)
		if !errors.Is(err, ErrNotFound) {
			return is, err
		}
	}
	return createOnce(ctx, c,
		func(ctx context.Context) (*Issue, error) { return c.CreateIssue(ctx, repo, title, body) },
		func(ctx context.Context) (*Issue, bool, error) {
			found, err := c.FindIssue(ctx, repo, marker)
			if err != nil || found == nil || found.Title == title && found.Body == body {
				return found, found != nil, err
			}
			is, err := c.UpdateIssue(ctx, repo, found.Number, title, body)
			return is, err == nil, err
		})
}
