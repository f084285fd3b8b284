package wizard

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mattn/go-shellwords"
)

// SplitError says why a wizard-command cannot be run without a shell.
type SplitError struct {
	Command string // the command as given
	Msg     string
}

func (e *SplitError) Error() string {
	return fmt.Sprintf("wizard-command %q: %s", e.Command, e.Msg)
}

// Split turns a wizard-command such as `node /opt/wizard/dist/bin.js` or
// `npx -y @posthog/wizard@2.77.0` into argv. Quotes and backslashes group
// words as a POSIX shell would, but nothing else of a shell applies: no
// variables, no command substitution, no pipes, lists or redirections. Text
// that would mean one of those to a shell is an error rather than a literal,
// so nobody is surprised that `$HOME` or `a | b` was passed through as is.
func Split(command string) ([]string, error) {
	fail := func(format string, a ...any) ([]string, error) {
		return nil, &SplitError{Command: command, Msg: fmt.Sprintf(format, a...)}
	}
	if strings.TrimSpace(command) == "" {
		return fail("is empty; give the program and its arguments, e.g. %q", "node /opt/wizard/dist/bin.js")
	}
	if err := shellSyntax(command); err != nil {
		return fail("%v; it is split into arguments and run without a shell, so give one program and its arguments", err)
	}
	p := shellwords.NewParser()
	p.ParseEnv = false
	p.ParseBacktick = false
	args, err := p.Parse(command)
	if err != nil {
		return fail("unbalanced quotes or a stray parenthesis (%v)", err)
	}
	if p.Position >= 0 {
		// shellwords stops at an unquoted ; & | < or >; shellSyntax already
		// rejects those, so this only guards against a future parser change.
		return fail("shell operator at byte %d is not allowed", p.Position)
	}
	if len(args) == 0 || args[0] == "" {
		return fail("names no program")
	}
	return args, nil
}

// shellSyntax reports the first piece of shell syntax outside single quotes
// (inside double quotes only substitutions count, as in a shell).
func shellSyntax(s string) error {
	var single, double, escaped bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case escaped:
			escaped = false
			continue
		case single:
			if c == '\'' {
				single = false
			}
			continue
		case c == '\\':
			escaped = true
			continue
		case c == '\'' && !double:
			single = true
			continue
		case c == '"':
			double = !double
			continue
		}
		next := byte(0)
		if i+1 < len(s) {
			next = s[i+1]
		}
		switch {
		case c == '`':
			return errors.New("backticks (command substitution) are not allowed")
		case c == '$' && next == '(':
			return errors.New("$( ) (command substitution) is not allowed")
		case c == '$' && (next == '{' || next == '_' || isAlpha(next) || isDigit(next)):
			return fmt.Errorf("variable %q would not be expanded", "$"+varName(s[i+1:]))
		case double:
			continue
		case c == ';' || c == '|' || c == '&':
			op := string(c)
			if next == c {
				op += string(c)
			}
			return fmt.Errorf("%q is not allowed", op)
		case c == '<' || c == '>':
			return fmt.Errorf("redirection %q is not allowed", string(c))
		case c == '(' || c == ')':
			return fmt.Errorf("%q (a subshell) is not allowed", string(c))
		case c == '\n' || c == '\r':
			return errors.New("a line break is not allowed")
		}
	}
	return nil
}

func varName(s string) string {
	if strings.HasPrefix(s, "{") {
		if i := strings.IndexByte(s, '}'); i > 0 {
			return s[:i+1]
		}
		return "{"
	}
	n := 0
	for n < len(s) && (isAlpha(s[n]) || isDigit(s[n]) || s[n] == '_') {
		n++
	}
	return s[:n]
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
