package slash

import (
	"fmt"
	"strings"
)

// Command is the word that starts every command line (SPEC §2).
const Command = "/wizard-ci"

// Usage is the one-line grammar shown in replies.
const Usage = "/wizard-ci [<program>] <target>... [wizard:<ref>]"

// The keywords that stand alone on a command (SPEC §2).
const (
	KeywordHelp        = "help"
	KeywordRerunFailed = "rerun-failed"
)

// RefPrefix starts the token that picks the wizard build: wizard:<ref>.
const RefPrefix = "wizard:"

// Kind says what a comment asks for.
type Kind int

// The shapes of a parsed comment.
const (
	// Ignore: the comment holds no command line; say nothing.
	Ignore Kind = iota
	// Run: run the targets in Result.Lines (see Merge).
	Run
	// Help: reply with the hint text.
	Help
	// RerunFailed: rerun the apps that did not succeed in the newest results comment.
	RerunFailed
	// Reply: refuse the command and reply with every problem in Result.Errors.
	Reply
)

var kindNames = [...]string{"ignore", "run", "help", "rerun-failed", "reply"}

// String returns the lower-case name of k, e.g. "rerun-failed".
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// MarshalText implements encoding.TextMarshaler with the String form.
func (k Kind) MarshalText() ([]byte, error) {
	if k < 0 || int(k) >= len(kindNames) {
		return nil, fmt.Errorf("unknown slash kind %d", int(k))
	}
	return []byte(k.String()), nil
}

// Result is a parsed comment body.
type Result struct {
	Kind Kind
	// Lines holds the well-formed target tokens of each command line, in body
	// order: wizard:<ref> and the help/rerun-failed keywords removed,
	// backticks stripped, trailing '/' removed, malformed tokens dropped, and
	// lines left without tokens omitted. For Run it is what to run (see
	// Merge); for Reply it lets the caller add unknown-target problems to the
	// same reply (SPEC §2: one reply lists every problem).
	Lines [][]string
	// LineNumbers holds the 1-based body line of each entry of Lines.
	LineNumbers []int
	// WizardRef is the validated ref of wizard:<ref>, or "" when none was given.
	WizardRef string
	// Errors lists every problem found; it is non-empty exactly when Kind is Reply.
	Errors []*ParseError
	// Quoted holds every command line found, as written (without the line
	// end). It is untrusted text: escape it before echoing it.
	Quoted []string
}

// Merge resolves r.Lines with the package-level Merge and reports problems
// with the body line numbers of r.
func (r Result) Merge(isProgram func(string) bool) (program string, targets []string, errs []*ParseError) {
	return merge(r.Lines, r.LineNumbers, isProgram)
}

// ParseError is one problem with a command. Line is the 1-based line of the
// comment body (0 when there is no line, as from ValidateRef), Token the
// offending token made safe to print (control and invisible characters shown
// as escapes, long tokens shortened), Msg says what is wrong and Hint how to
// fix it.
type ParseError struct {
	Line  int
	Token string
	Msg   string
	Hint  string
}

// Error returns "line N: `token`: msg" (without "line N: " when Line is 0).
func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: `%s`: %s", e.Line, e.Token, e.Msg)
	}
	return fmt.Sprintf("`%s`: %s", e.Token, e.Msg)
}

// Parse reads a comment body. It never fails: problems come back as a Reply
// listing all of them, and a body without any command line is Ignore.
func Parse(body string) Result {
	lines := splitLines(body)
	infos := classify(lines)

	var r Result
	var c collector
	for i, line := range lines {
		if !infos[i].command {
			continue
		}
		fields, ok := commandFields(line)
		if !ok {
			continue
		}
		r.Quoted = append(r.Quoted, line)
		c.line(i+1, fields[1:])
	}
	if len(r.Quoted) == 0 {
		return Result{Kind: Ignore}
	}
	c.finish()

	r.Lines, r.LineNumbers, r.Errors = c.lines, c.lineNos, c.errs
	r.WizardRef = c.ref
	switch {
	case len(r.Errors) > 0:
		r.Kind = Reply
	case c.help:
		r.Kind = Help
	case c.rerun:
		r.Kind = RerunFailed
	default:
		r.Kind = Run
	}
	return r
}

// commandFields splits line into tokens and reports whether it is a command
// line: its first token is exactly Command and it is indented less than 4
// columns (SPEC §2: 4 or more is Markdown code).
func commandFields(line string) ([]string, bool) {
	if indentWidth(line) >= 4 {
		return nil, false
	}
	fields := strings.FieldsFunc(line, isSep)
	if len(fields) == 0 || fields[0] != Command {
		return nil, false
	}
	return fields, true
}

// splitLines splits s at "\r\n", "\r" and "\n" (SPEC §2).
func splitLines(s string) []string {
	var lines []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n':
			lines = append(lines, s[start:i])
			start = i + 1
		case '\r':
			lines = append(lines, s[start:i])
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	return append(lines, s[start:])
}
