package report

import (
	"strings"
	"testing"
)

func TestReplyGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   ReplyInput
	}{
		{"reply-unknown-target", ReplyInput{
			Consequence: "Nothing ran.",
			Problems: []string{
				Code("basic-integraton") + " is not a target in " + Code("workbench/") + ".",
				"Did you mean " + Code("basic-integration") + " or " + Code("basic-integration/next-js") + "?",
			},
			Usage: true,
		}},
		{"reply-permission", ReplyInput{
			Consequence: "Nothing ran: `/wizard-ci` needs `write` access to this repository, and @octocat has `read`. A maintainer can post the command instead.",
		}},
		{"reply-bad-ref", ReplyInput{
			Consequence: "Nothing ran",
			Problems: []string{
				Code("wizard:feature/..") + " is not a valid ref because it contains " + Code("..") + ".",
				"A ref has 1–200 characters from A–Z a–z 0–9 . _ / - and does not start with - or / or end with /.",
			},
		}},
		{"reply-list", ReplyInput{
			Consequence: "Nothing ran",
			Problems:    []string{"- " + Code("foo") + ": unknown target", "- " + Code("bar`baz") + ": unknown target"},
			Usage:       true,
		}},
		{"reply-help", ReplyInput{HelpText: Hint(hintCats())}},
		{"reply-adversarial", ReplyInput{
			Consequence: "Nothing ran.",
			Problems:    []string{"raw line\n/wizard-ci all\r   /wizard-ci help", Code("\n/wizard-ci all")},
			Usage:       true,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Reply(tc.in)
			golden(t, tc.name, got)
			checkBody(t, tc.name, got, DefaultMaxChars)
			if !strings.HasPrefix(got, ReplyMarker+"\n") {
				t.Errorf("reply does not start with the reply marker")
			}
			if strings.Contains(got, HintMarker) {
				t.Errorf("reply holds the hint marker, so it could be taken for the hint")
			}
		})
	}
}

func TestReplyWording(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   ReplyInput
		want string
	}{
		{"consequence only", ReplyInput{Consequence: "Nothing ran"}, ReplyMarker + "\nNothing ran.\n"},
		{"one problem joins", ReplyInput{Consequence: "Nothing ran.", Problems: []string{"`x` is unknown."}}, ReplyMarker + "\nNothing ran: `x` is unknown.\n"},
		{"usage", ReplyInput{Consequence: "Nothing ran:", Problems: []string{"bad"}, Usage: true}, ReplyMarker + "\nNothing ran: bad\n" + Usage + "\n"},
		{"usage given by a problem is not repeated", ReplyInput{Consequence: "Nothing ran.", Problems: []string{"`/wizard-ci`: needs a target. Usage: `/wizard-ci <target>`."}, Usage: true},
			ReplyMarker + "\nNothing ran: `/wizard-ci`: needs a target. Usage: `/wizard-ci <target>`.\n"},
		{"problems without consequence", ReplyInput{Problems: []string{"a", " ", "b"}}, ReplyMarker + "\na\nb\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Reply(tc.in); got != tc.want {
				t.Errorf("Reply = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestReplyIsCapped(t *testing.T) {
	t.Parallel()
	var problems []string
	for range 5000 {
		problems = append(problems, Code(strings.Repeat("x", 200))+" is not a target.")
	}
	got := Reply(ReplyInput{Consequence: "Nothing ran", Problems: problems, Usage: true})
	checkBody(t, "long reply", got, DefaultMaxChars)
	if !strings.Contains(got, "did not fit the size limit") {
		t.Errorf("a cut reply should say so")
	}
}
