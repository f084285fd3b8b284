package ghaction

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var eventsDir = filepath.Join("..", "..", "..", "shared", "fixtures", "github", "events")

// TestEvents reads every payload in fixtures/github/events; a payload the
// table does not name fails, so a new fixture gets a row.
func TestEvents(t *testing.T) {
	t.Parallel()
	hello := "Codertocat/Hello-World"
	commentOn1 := func(body string) *Comment {
		return &Comment{ID: 492700400, Body: body, Login: "Codertocat", UserType: "User",
			HTMLURL: "https://github.com/Codertocat/Hello-World/issues/1#issuecomment-492700400"}
	}
	plainIssue := &Issue{Number: 1, State: "open"}
	created := "You are totally right! I'll get this fixed right away."
	pr2 := &PR{Number: 2, State: "open", HeadSHA: "ec26c3e57ca3a959ca5aad62de7213c562f8c821", HeadRepo: hello, BaseRepo: hello}
	prEvent := func(action string) *Event {
		return &Event{Name: "pull_request", Action: action, PullRequest: pr2, Repository: hello, Sender: "Codertocat", SenderType: "User"}
	}
	want := map[string]*Event{
		"issue_comment.created.payload.json": {Name: "issue_comment", Action: "created", Comment: commentOn1(created),
			Issue: plainIssue, Repository: hello, Sender: "Codertocat", SenderType: "User"},
		"issue_comment.created.1.payload.json": {Name: "issue_comment", Action: "created", Comment: commentOn1(created),
			Issue: plainIssue, Repository: hello, Sender: "Codertocat", SenderType: "User"},
		"issue_comment.created.with-installation.payload.json": {Name: "issue_comment", Action: "created", Comment: commentOn1(created),
			Issue: plainIssue, Repository: hello, Sender: "Codertocat", SenderType: "User"},
		"issue_comment.edited.payload.json": {Name: "issue_comment", Action: "edited",
			Comment: commentOn1("You are totally right! I'll get this fixed today."),
			Issue:   plainIssue, Repository: hello, Sender: "Codertocat", SenderType: "User"},
		"issue_comment.pull-request-issue-comment.json": {Name: "issue_comment", Action: "created",
			Comment: &Comment{ID: 546616131, Body: "/build", Login: "example-user", UserType: "User",
				HTMLURL: "https://github.com/example-user/knative-route-demo/pull/3#issuecomment-546616131"},
			Issue:      &Issue{Number: 3, IsPR: true, State: "open"},
			Repository: "example-user/knative-route-demo", Sender: "example-user", SenderType: "User"},
		"pull_request.opened.payload.json":                   prEvent("opened"),
		"pull_request.opened.with-null-body.json":            prEvent("opened"),
		"pull_request.opened.with-organization.payload.json": prEvent("opened"),
		"pull_request.reopened.payload.json":                 prEvent("reopened"),
		"pull_request.synchronize.payload.json":              prEvent("synchronize"),
		"repository_dispatch.payload.json": {Name: "repository_dispatch", Action: "on-demand-test",
			Repository: "octo-org/octo-repo", Sender: "Codertocat", SenderType: "User"},
		"schedule.minimal-from-peter-evans-create-pull-request-issue-29.json": {Name: "schedule", Schedule: "* * * * *"},
		"workflow_dispatch.payload.json": {Name: "workflow_dispatch", Ref: "refs/heads/master",
			Inputs:     map[string]any{"name": "Mona the Octocat"},
			Repository: "octo-org/octo-repo", Sender: "Codertocat", SenderType: "User"},
	}
	entries, err := os.ReadDir(eventsDir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		file := e.Name()
		seen[file] = true
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			w, ok := want[file]
			if !ok {
				t.Fatalf("no expectation for %s: add a row to the table", file)
			}
			name, _, _ := strings.Cut(file, ".")
			got, err := ReadEvent(name, filepath.Join(eventsDir, file))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(w, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
	for file := range want {
		if !seen[file] {
			t.Errorf("%s is in the table but not in %s", file, eventsDir)
		}
	}
}

func TestReadEventErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"action":`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"", filepath.Join(dir, "missing.json"), bad} {
		if _, err := ReadEvent("issue_comment", path); err == nil {
			t.Errorf("ReadEvent(%q) = nil error", path)
		}
	}
}

func TestParseEventNullPullRequest(t *testing.T) {
	t.Parallel()
	e, err := ParseEvent("issue_comment", []byte(`{"action":"created","issue":{"number":4,"state":"closed","pull_request":null},
		"comment":{"id":1,"body":"/wizard-ci all","user":{"login":"renovate[bot]","type":"Bot"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if e.Issue.IsPR || e.Issue.State != "closed" || !e.Comment.IsBot() {
		t.Errorf("event = %+v issue %+v comment %+v", e, e.Issue, e.Comment)
	}
}

// TestParseEventMalformed: a payload that is not one GitHub sends is named
// in JSON's words, never with a Go type.
func TestParseEventMalformed(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, payload, want string }{
		{"array", `[{"action":"created"}]`, "not a GitHub webhook payload (expected a JSON object)"},
		{"string", `"created"`, "not a GitHub webhook payload (expected a JSON object)"},
		{"null", `null`, "not a GitHub webhook payload (expected a JSON object)"},
		{"truncated", `{"action":`, "not valid JSON (unexpected end of JSON input), so not a GitHub webhook payload"},
		{"garbage", `action=created`, "not valid JSON (invalid character 'a' looking for beginning of value), so not a GitHub webhook payload"},
		{"wrong type", `{"action":5}`, "not a GitHub webhook payload: action is a number, where GitHub sends a string"},
		{"negative issue", `{"issue":{"number":-5}}`, "not a GitHub webhook payload: issue.number is -5, where GitHub sends a number of 1 or more"},
		{"issue without number", `{"issue":{"state":"open"}}`, "not a GitHub webhook payload: issue.number is 0, where GitHub sends a number of 1 or more"},
		{"zero pull request", `{"pull_request":{"number":0}}`, "not a GitHub webhook payload: pull_request.number is 0, where GitHub sends a number of 1 or more"},
		{"negative comment id", `{"comment":{"id":-1,"body":"/wizard-ci all"}}`, "not a GitHub webhook payload: comment.id is -1, where GitHub sends a number of 1 or more"},
		{"wrong nested type", `{"comment":{"id":"7"}}`, "not a GitHub webhook payload: comment.id is a string, where GitHub sends a number"},
		{"object for a string", `{"sender":{"login":{}}}`, "not a GitHub webhook payload: sender.login is an object, where GitHub sends a string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseEvent("issue_comment", []byte(tc.payload))
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// TestReadEventMissingFile names the variable and the path, and what the
// file must be.
func TestReadEventMissingFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "nope.json")
	_, err := ReadEvent("issue_comment", path)
	want := "read the issue_comment event: GITHUB_EVENT_PATH names " + path +
		", which cannot be read (no such file or directory); it must be the event's webhook payload, as the Actions runner writes it"
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant %s", err, want)
	}
}
