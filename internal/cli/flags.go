package cli

import (
	"unicode"

	"errors"
	"flag"
	"fmt"
	"github.com/posthog/wizard-ci/internal/slash"
	"io"
	"strconv"
	"strings"
	"time"
)

// parseInterleaved parses flags and positional arguments in any order (SPEC
// §2: flags and targets may come in any order on the CLI too).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			// The flag package writes -name; people type --name.
			return nil, &usageError{strings.Replace(err.Error(), "defined: -", "defined: --", 1)}
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

// setting is one option that can come from a flag or an INPUT_ variable; it
// keeps the name for error messages.
type setting struct {
	name string // input name, e.g. "retry-delay"
	raw  string
}

func (s setting) duration(def time.Duration) (time.Duration, error) {
	if s.raw == "" {
		return def, nil
	}
	d, err := time.ParseDuration(s.raw)
	if err != nil {
		return 0, configErrorf("%s: %q is not a duration; use a Go duration such as 300ms, 30s or 2m", s.name, s.raw)
	}
	if d < 0 {
		return 0, configErrorf("%s: %q is negative; use a duration of 0 or more, such as 30s", s.name, s.raw)
	}
	return d, nil
}

func (s setting) count(def, lo, hi int) (int, error) {
	if s.raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s.raw)
	if err != nil || n < lo || n > hi {
		return 0, configErrorf("%s: %q is not a whole number from %d to %d", s.name, s.raw, lo, hi)
	}
	return n, nil
}

func (s setting) boolean(def bool) (bool, error) {
	switch strings.ToLower(s.raw) {
	case "":
		return def, nil
	case "true", "yes", "1":
		return true, nil
	case "false", "no", "0":
		return false, nil
	}
	return false, configErrorf("%s: %q is not true or false", s.name, s.raw)
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
	return "", configErrorf("%s: %q is not one of %s", s.name, s.raw, strings.Join(allowed, ", "))
}

// parseShard reads "i/n" with 1 ≤ i ≤ n.
func parseShard(s string) (i, n int, err error) {
	if s == "" {
		return 0, 0, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, e1 := strconv.Atoi(a)
	n, e2 := strconv.Atoi(b)
	if !ok || e1 != nil || e2 != nil || n < 1 || i < 1 || i > n || n > 256 {
		return 0, 0, configErrorf("shard: %q is not i/n with 1 ≤ i ≤ n ≤ 256 (for example 2/4)", s)
	}
	return i, n, nil
}

func countWord(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// cliTargets checks the targets of the command line (or of the action's
// target input) with the comment grammar's token rules, so a look-alike
// letter or a stray character gets the same clear message as in a comment,
// and removes duplicates, keeping the first-seen order. Every token is a
// target (SPEC §8): unlike a comment, the command line names a program only
// with --program.
func cliTargets(tokens []string) ([]string, error) {
	var problems []string
	var targets []string
	seen := map[string]bool{}
	for _, tok := range tokens {
		if strings.ContainsFunc(tok, unicode.IsSpace) || strings.HasPrefix(tok, slash.RefPrefix) {
			problems = append(problems, fmt.Sprintf("%q: one target per argument, without spaces (use --wizard-ref for a wizard ref)", tok))
			continue
		}
		res := slash.Parse(slash.Command + " " + tok)
		for _, e := range res.Errors {
			problems = append(problems, fmt.Sprintf("%q: %s. %s", tok, e.Msg, e.Hint))
		}
		for _, l := range res.Lines {
			for _, t := range l {
				if !seen[t] {
					seen[t] = true
					targets = append(targets, t)
				}
			}
		}
	}
	if len(problems) > 0 {
		return nil, configErrorf("%s", strings.Join(problems, "\n"))
	}
	return targets, nil
}
