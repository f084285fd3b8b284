package report

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Command is the command word of SPEC §2.
const Command = "/wizard-ci"

// Usage is the usage line appended to replies about a malformed command.
const Usage = "Usage: `/wizard-ci [<program>] <target>... [wizard:<ref>]`. `/wizard-ci help` lists every target."

// ReplyInput is what a reply says.
type ReplyInput struct {
	// Consequence opens the reply, e.g. "Nothing ran" (STYLE §4: replies
	// start with the consequence).
	Consequence string
	// Problems are already-formatted Markdown lines (echoed tokens in Code).
	// The first joins the consequence ("Nothing ran: …"); the rest follow
	// on their own lines.
	Problems []string
	// Usage appends the usage line.
	Usage bool
	// HelpText is appended after a blank line (the hint, for help). Marker
	// lines in it are dropped, so a reply is never found as the hint.
	HelpText string
}

// Reply renders a reply comment: the reply marker, the consequence with the
// problems, the usage line and the help text. Problem lines come from the
// caller, so the body is defused and capped like every other body.
func Reply(r ReplyInput) string {
	var b strings.Builder
	b.WriteString(ReplyMarker + "\n")
	c := strings.TrimSpace(r.Consequence)
	var problems []string
	for _, p := range r.Problems {
		if p = strings.TrimSpace(p); p != "" {
			problems = append(problems, p)
		}
	}
	list := len(problems) > 0 && (strings.HasPrefix(problems[0], "- ") || strings.HasPrefix(problems[0], "* "))
	switch {
	case len(problems) == 0:
		if c != "" {
			b.WriteString(sentence(c) + "\n")
		}
	case c == "":
		b.WriteString(strings.Join(problems, "\n") + "\n")
	case list:
		// The caller made a list: it needs a paragraph of its own.
		b.WriteString(strings.TrimRight(c, ".:") + ":\n\n" + strings.Join(problems, "\n") + "\n")
	default:
		b.WriteString(strings.TrimRight(c, ".:") + ": " + strings.Join(problems, "\n") + "\n")
	}
	// A problem may carry the usage as its hint already (a bare /wizard-ci):
	// once is enough.
	if r.Usage && !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, "Usage: `") }) {
		if list {
			// Without a blank line the usage would continue the last item.
			b.WriteString("\n")
		}
		b.WriteString(Usage + "\n")
	}
	if h := StripMarkers(r.HelpText); h != "" {
		if b.Len() > len(ReplyMarker)+1 {
			b.WriteString("\n")
		}
		b.WriteString(h + "\n")
	}
	body := defuse(b.String())
	if utf8.RuneCountInString(body) <= DefaultMaxChars && len(body) <= MaxBytes {
		return body
	}
	return cutLines(body, DefaultMaxChars, MaxBytes, "_The rest of this reply did not fit the size limit._")
}

// sentence ends s with a period unless it already ends in punctuation.
func sentence(s string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, ":") {
		return s
	}
	return s + "."
}

// StripMarkers drops the lines of s that are wizard-ci markers, for a body
// shown anywhere but in its comment (a reply's help text, the log).
func StripMarkers(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "<!-- wizard-ci:") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}
