package ghaction

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/posthog/wizard-ci/internal/jsonerr"
)

// Event is the part of the event payload (GITHUB_EVENT_PATH) wizard-ci
// reads. Pointers are nil when the payload has no such object.
type Event struct {
	Name        string // GITHUB_EVENT_NAME, e.g. "issue_comment"
	Action      string // e.g. "created", "edited"; "" for schedule and workflow_dispatch
	Comment     *Comment
	Issue       *Issue
	PullRequest *PR
	Repository  string // full name, "owner/name"
	Sender      string // login
	SenderType  string // "User", "Bot", …
	Ref         string // workflow_dispatch
	Schedule    string // schedule: the cron expression, when the payload has it
	Inputs      map[string]any
}

// Comment is the comment of an issue_comment event.
type Comment struct {
	ID       int64
	Body     string
	Login    string
	UserType string // "User", "Bot", "Organization"
	HTMLURL  string
}

// IsBot reports whether a bot or app wrote the comment (SPEC §3 ignores it).
func (c *Comment) IsBot() bool { return c.UserType == "Bot" }

// Issue is the issue of an issue_comment event; a pull request is an issue
// too, and then IsPR is true.
type Issue struct {
	Number int
	IsPR   bool // issue.pull_request is present
	State  string
}

// PR is the pull request of a pull_request event.
type PR struct {
	Number   int
	State    string
	HeadSHA  string
	HeadRepo string // full name; "" when the head repository was deleted
	BaseRepo string
}

type rawUser struct {
	Login string `json:"login"`
	Type  string `json:"type"`
}

type rawRepo struct {
	FullName string `json:"full_name"`
}

type rawEvent struct {
	Action  string `json:"action"`
	Comment *struct {
		ID      int64    `json:"id"`
		Body    string   `json:"body"`
		HTMLURL string   `json:"html_url"`
		User    *rawUser `json:"user"`
	} `json:"comment"`
	Issue *struct {
		Number      int             `json:"number"`
		State       string          `json:"state"`
		PullRequest json.RawMessage `json:"pull_request"`
	} `json:"issue"`
	PullRequest *struct {
		Number int    `json:"number"`
		State  string `json:"state"`
		Head   struct {
			SHA  string   `json:"sha"`
			Repo *rawRepo `json:"repo"`
		} `json:"head"`
		Base struct {
			Repo *rawRepo `json:"repo"`
		} `json:"base"`
	} `json:"pull_request"`
	Repository *rawRepo       `json:"repository"`
	Sender     *rawUser       `json:"sender"`
	Ref        string         `json:"ref"`
	Schedule   string         `json:"schedule"`
	Inputs     map[string]any `json:"inputs"`
}

// pathCause is the cause of a file error without the path, which the
// message already names.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadEvent reads the event payload at path for event name
// (GITHUB_EVENT_NAME and GITHUB_EVENT_PATH).
func ReadEvent(name, path string) (*Event, error) {
	if path == "" {
		return nil, fmt.Errorf("read the %s event: GITHUB_EVENT_PATH %w", name, ErrNoFile)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		// The runner writes this file; outside GitHub whoever starts the
		// action must, so say which variable names it.
		return nil, fmt.Errorf("read the %s event: GITHUB_EVENT_PATH names %s, which cannot be read (%w); "+
			"it must be the event's webhook payload, as the Actions runner writes it", name, path, pathCause(err))
	}
	e, err := ParseEvent(name, b)
	if err != nil {
		return nil, fmt.Errorf("event file %s of the %s event: %w", path, name, err)
	}
	return e, nil
}

// ParseEvent decodes an event payload. Its errors say what is wrong with
// the payload in JSON's words, never in Go's.
func ParseEvent(name string, data []byte) (*Event, error) {
	var raw rawEvent
	if err := payload.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	// Numbers that name something on GitHub are 1 or more; anything else
	// would reach the API as a path such as /pulls/-5.
	badNumber := func(field string, n int64) error {
		return fmt.Errorf("not %s: %s is %d, where GitHub sends a number of 1 or more", payload.What, field, n)
	}
	switch {
	case raw.Issue != nil && raw.Issue.Number < 1:
		return nil, badNumber("issue.number", int64(raw.Issue.Number))
	case raw.PullRequest != nil && raw.PullRequest.Number < 1:
		return nil, badNumber("pull_request.number", int64(raw.PullRequest.Number))
	case raw.Comment != nil && raw.Comment.ID < 1:
		return nil, badNumber("comment.id", raw.Comment.ID)
	}
	e := &Event{Name: name, Action: raw.Action, Ref: raw.Ref, Schedule: raw.Schedule, Inputs: raw.Inputs}
	if raw.Repository != nil {
		e.Repository = raw.Repository.FullName
	}
	if raw.Sender != nil {
		e.Sender, e.SenderType = raw.Sender.Login, raw.Sender.Type
	}
	if c := raw.Comment; c != nil {
		e.Comment = &Comment{ID: c.ID, Body: c.Body, HTMLURL: c.HTMLURL}
		if c.User != nil {
			e.Comment.Login, e.Comment.UserType = c.User.Login, c.User.Type
		}
	}
	if is := raw.Issue; is != nil {
		e.Issue = &Issue{Number: is.Number, State: is.State,
			IsPR: len(is.PullRequest) > 0 && string(is.PullRequest) != "null"}
	}
	if pr := raw.PullRequest; pr != nil {
		e.PullRequest = &PR{Number: pr.Number, State: pr.State, HeadSHA: pr.Head.SHA}
		if pr.Head.Repo != nil {
			e.PullRequest.HeadRepo = pr.Head.Repo.FullName
		}
		if pr.Base.Repo != nil {
			e.PullRequest.BaseRepo = pr.Base.Repo.FullName
		}
	}
	return e, nil
}

// payload is how errors name an event file.
var payload = jsonerr.Doc{What: "a GitHub webhook payload", Writer: "GitHub sends"}
