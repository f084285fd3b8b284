package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/agnivade/levenshtein"

	"github.com/posthog/wizard-ci/internal/slash"
	"github.com/posthog/wizard-ci/internal/workbench"
)

// parseInterleaved parses flags and positional arguments in any order (SPEC
// §2: flags and targets may come in any order on the CLI too).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	// A flag given twice is refused instead of the last one silently
	// winning: --program revenue --program misc is a mistake either way.
	seen := map[string]bool{}
	var names []string
	fs.VisitAll(func(f *flag.Flag) {
		names = append(names, f.Name)
		f.Value = &onceValue{Value: f.Value, name: f.Name, seen: seen}
	})
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &helpError{fs.Name()}
			}
			return nil, &usageError{flagProblem(err, names), fs.Name()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// onceValue refuses a second value for its flag.
type onceValue struct {
	flag.Value
	name string
	seen map[string]bool
}

func (v *onceValue) Set(s string) error {
	if v.seen[v.name] {
		return errTwice
	}
	if strings.TrimSpace(s) == "" {
		return errEmpty // --out "$DIR" with DIR unset would quietly mean the default
	}
	v.seen[v.name] = true
	return v.Value.Set(s)
}

var (
	errTwice = errors.New("given twice")
	errEmpty = errors.New("empty")
)

// flagProblem words an error of the flag package for the command line:
// flags are written --name there (the package writes -name), an unknown
// one gets a "did you mean", and nothing is echoed unclipped.
func flagProblem(err error, names []string) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		name = strings.TrimLeft(name, "-")
		out := "unknown option --" + workbench.Clip(name)
		if c := closest(name, names); c != "" {
			out += fmt.Sprintf(" (did you mean --%s?)", c)
		}
		return out
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		name = strings.TrimLeft(name, "-")
		return fmt.Sprintf("--%s needs a value: --%s VALUE or --%s=VALUE", name, name, name)
	}
	// The package says (with %v, so errors.Is cannot see the cause):
	// invalid value "x" for flag -name: <cause>.
	if _, rest, ok := strings.Cut(msg, " for flag -"); ok {
		name, cause, _ := strings.Cut(rest, ": ")
		switch cause {
		case errTwice.Error():
			return fmt.Sprintf("--%s is given twice; give it once", name)
		case errEmpty.Error():
			return fmt.Sprintf("--%s is given an empty value; give a value, or leave --%s out for its default", name, name)
		}
	}
	return strings.ReplaceAll(msg, " -", " --")
}

// closest is the option (or sub-command) word most likely meant by a
// mistyped one, or "" when none is close: a prefix either way, or at most
// a third of its letters (and at least one) different.
func closest(word string, options []string) string {
	best, bestD := "", 0
	for _, o := range options {
		if word != "" && (strings.HasPrefix(o, word) || strings.HasPrefix(word, o)) {
			return o
		}
		d := levenshtein.ComputeDistance(word, o)
		if sameLetters(word, o) {
			d = 1 // two letters swapped, as in rnu
		}
		if d <= max(1, len(o)/3) && (best == "" || d < bestD) {
			best, bestD = o, d
		}
	}
	return best
}

// sameLetters reports whether a and b are the same letters in another order.
func sameLetters(a, b string) bool {
	x, y := []rune(a), []rune(b)
	slices.Sort(x)
	slices.Sort(y)
	return len(a) > 1 && slices.Equal(x, y)
}

// setting is one option that can come from a flag or an INPUT_ variable; it
// keeps the name for error messages.
type setting struct {
	name string // as the user wrote it: "--retry-delay" or the input "retry-delay"
	raw  string
}

// duration reads a Go duration of 0 or more (more than 0 with positive);
// example is a good value for the message.
func (s setting) duration(def time.Duration, positive bool, example string) (time.Duration, error) {
	if s.raw == "" {
		return def, nil
	}
	want := "a duration of 0 or more"
	if positive {
		want = "a duration of more than 0"
	}
	d, err := time.ParseDuration(s.raw)
	switch {
	case err != nil:
		return 0, configErrorf("%s: %s is not a duration; use %s written as a Go duration, such as %s", s.name, quoted(s.raw), want, example)
	case d < 0 || positive && d == 0:
		return 0, configErrorf("%s: %s is too short; use %s, such as %s", s.name, quoted(s.raw), want, example)
	}
	return d, nil
}

func (s setting) count(def, lo, hi int) (int, error) {
	if s.raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s.raw)
	if err != nil || n < lo || n > hi {
		return 0, configErrorf("%s: %s is not a whole number from %d to %d", s.name, quoted(s.raw), lo, hi)
	}
	return n, nil
}

// boolean reads a boolean input as core.getBooleanInput of actions/toolkit
// does (the YAML 1.2 core schema): yes, 1 or on would be refused by
// JavaScript actions, so a workflow that passes them is not portable.
func (s setting) boolean(def bool) (bool, error) {
	switch s.raw {
	case "":
		return def, nil
	case "true", "True", "TRUE":
		return true, nil
	case "false", "False", "FALSE":
		return false, nil
	}
	return false, configErrorf("%s: %s is not a boolean; use true or false (accepted: true, True, TRUE, false, False, FALSE)", s.name, quoted(s.raw))
}

func (s setting) oneOf(def string, allowed ...string) (string, error) {
	if s.raw == "" {
		return def, nil
	}
	for _, a := range allowed {
		if s.raw == a {
			return a, nil
		}
	}
	return "", configErrorf("%s: %s is not one of %s", s.name, quoted(s.raw), strings.Join(allowed, ", "))
}

// parseShard reads "i/n" with 1 ≤ i ≤ n; name is the flag or input for
// the message.
func parseShard(name, s string) (i, n int, err error) {
	if s == "" {
		return 0, 0, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, e1 := strconv.Atoi(a)
	n, e2 := strconv.Atoi(b)
	if !ok || e1 != nil || e2 != nil || n < 1 || i < 1 || i > n || n > 256 {
		return 0, 0, configErrorf("%s: %s is not i/n with 1 ≤ i ≤ n ≤ 256 (for example 2/4)", name, quoted(s))
	}
	return i, n, nil
}

func countWord(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// targetWords words target problems for where the targets came from: the
// command line or the action's target input.
type targetWords struct {
	usage string // how targets are written there
	dash  string // why a token starting with '-' is not a target there
	ref   string // how a wizard ref is picked there
}

// argTargets words target problems for the arguments of sub-command sub.
func argTargets(sub string) targetWords {
	return targetWords{
		usage: fmt.Sprintf("usage: wizard-ci %s <target>...; %q lists every app", sub, "wizard-ci list all"),
		dash:  `no target does; flags go before "--"`,
		ref:   "pick a wizard build with --wizard-ref REF",
	}
}

// inputTargets words target problems for the action's target input.
var inputTargets = targetWords{
	usage: `the target input takes targets separated by spaces, such as "all" or "basic-integration/next-js misc"`,
	dash:  "no target does, and the target input takes no flags",
	ref:   "pick a wizard build with the wizard-ref input",
}

// cliTargets checks the targets of the command line (or of the action's
// target input) with the comment grammar's token rules, so a look-alike
// letter or a stray character gets the same clear message as in a comment,
// and removes duplicates, keeping the first-seen order. Every token is a
// target (SPEC §8): unlike a comment, the command line names a program only
// with --program. Problems are worded with w, never in comment syntax.
func cliTargets(tokens []string, w targetWords) ([]string, error) {
	var problems []string
	var targets []string
	seen := map[string]bool{}
	for _, tok := range tokens {
		q := quoted(tok)
		var problem string
		switch {
		case tok == "":
			problem = "an empty argument is not a target; " + w.usage
		case strings.HasPrefix(tok, slash.RefPrefix):
			problem = fmt.Sprintf("%s: is not a target; %s", q, w.ref)
		case strings.ContainsFunc(tok, unicode.IsSpace):
			problem = fmt.Sprintf("%s: one target per argument, without spaces; %s", q, w.usage)
		case tok == slash.Command:
			problem = fmt.Sprintf("%s: is the command of a pull-request comment, not a target; %s", q, w.usage)
		case strings.HasPrefix(tok, "-"):
			problem = fmt.Sprintf("%s: starts with %q; %s", q, "-", w.dash)
		}
		if problem == "" {
			t, perr := slash.CheckTarget(tok)
			if perr == nil {
				if !seen[t] {
					seen[t] = true
					targets = append(targets, t)
				}
				continue
			}
			problem = fmt.Sprintf("%s: %s; %s", q, plain(perr.Msg), w.usage)
		}
		problems = append(problems, problem)
	}
	if len(problems) > 0 {
		return nil, configErrorf("%s", strings.Join(problems, "\n"))
	}
	return targets, nil
}

// quoted is a user's token for a terminal message: clipped, then quoted.
func quoted(s string) string { return strconv.Quote(workbench.Clip(s)) }

// plain turns the Markdown code spans of a message worded for a comment
// into quoted strings for the terminal.
func plain(msg string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(msg, '`')
		if i < 0 {
			break
		}
		j := strings.IndexByte(msg[i+1:], '`')
		if j < 0 {
			break
		}
		b.WriteString(msg[:i])
		b.WriteString(strconv.Quote(msg[i+1 : i+1+j]))
		msg = msg[i+2+j:]
	}
	b.WriteString(msg)
	return b.String()
}
