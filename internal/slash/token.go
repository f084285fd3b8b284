package slash

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxRefLen is the longest wizard:<ref> allowed (SPEC §2).
const MaxRefLen = 200

// maxTargetLen bounds a target token. SPEC §2 sets no limit; no workbench path
// comes close, and a bound keeps "did you mean" cheap on hostile input.
const maxTargetLen = 255

// maxShown bounds how many runes of a token an error echoes.
const maxShown = 80

// RefHint is the Hint of every bad wizard:<ref>.
const RefHint = "A ref has 1–200 characters from A–Z a–z 0–9 . _ / - and does not contain `..`, " +
	"start with - or /, or end with /, e.g. `wizard:main` or `wizard:feature/retry`."

const (
	targetHint = "A target is `all` or a path of the workbench such as `basic-integration/next-js`, " +
		"made of A–Z a–z 0–9 . _ / -. `/wizard-ci help` lists every target."
	usageHint = "Usage: `" + Usage + "`. `/wizard-ci help` lists every target; `/wizard-ci all` runs every app."
)

// isSep reports whether r separates tokens: any Unicode space, plus the
// zero-width characters that render as nothing, so that what a reader sees
// as one word is one token and what looks like two words is never one.
func isSep(r rune) bool {
	switch r {
	case '\u200b', '\u2060', '\u180e', '\ufeff':
		return true
	}
	return unicode.IsSpace(r)
}

// indentWidth returns the columns taken by the separators that start line: a
// tab goes to the next multiple of 4, zero-width characters take none, any
// other separator one.
func indentWidth(line string) int {
	w := 0
	for _, r := range line {
		switch {
		case r == '\t':
			w += 4 - w%4
		case r == '\u200b' || r == '\u2060' || r == '\u180e' || r == '\ufeff':
		case isSep(r):
			w++
		default:
			return w
		}
	}
	return w
}

// collector gathers the tokens and problems of every command line of a comment.
type collector struct {
	lines   [][]string
	lineNos []int
	errs    []*ParseError

	ref     string // first valid wizard:<ref>
	refLine int

	any      bool // some command line had a token after the command
	firstCmd int  // line of the first command, for the bare-command error

	help, rerun bool
	keywords    []keyword // first use of each keyword
	other       string    // first token that is not a keyword, for the mix error
}

type keyword struct {
	word string
	line int
}

func (c *collector) fail(line int, token, msg, hint string) {
	c.errs = append(c.errs, &ParseError{Line: line, Token: shown(token), Msg: msg, Hint: hint})
}

// line takes the tokens after the command word of body line n.
func (c *collector) line(n int, tokens []string) {
	if c.firstCmd == 0 {
		c.firstCmd = n
	}
	var targets []string
	for _, raw := range tokens {
		c.any = true
		if msg, hint, ok := checkRunes(raw); !ok {
			c.fail(n, raw, msg, hint)
			continue
		}
		tok := strings.Trim(raw, "`")
		switch {
		case tok == "":
			c.fail(n, raw, "holds only backticks", targetHint)
		case strings.HasPrefix(tok, RefPrefix):
			ref := tok[len(RefPrefix):]
			if err := checkRef(ref); err != nil {
				c.fail(n, raw, err.Msg, err.Hint)
				continue
			}
			c.addOther(tok)
			if c.ref == "" {
				c.ref, c.refLine = ref, n
			} else if ref != c.ref {
				c.fail(n, raw, fmt.Sprintf("asks for wizard ref `%s`, but line %d asks for `%s`", ref, c.refLine, c.ref),
					"Use one `wizard:<ref>` for the whole comment: every app of a run uses the same wizard build.")
			}
		case tok == KeywordHelp || tok == KeywordRerunFailed:
			c.addKeyword(tok, n)
		default:
			t, msg, hint := cleanTarget(tok)
			if msg != "" {
				c.fail(n, raw, msg, hint)
				continue
			}
			c.addOther(t)
			targets = append(targets, t)
		}
	}
	if len(targets) > 0 {
		c.lines = append(c.lines, targets)
		c.lineNos = append(c.lineNos, n)
	}
}

func (c *collector) addKeyword(word string, line int) {
	for _, k := range c.keywords {
		if k.word == word {
			return
		}
	}
	c.keywords = append(c.keywords, keyword{word, line})
	if word == KeywordHelp {
		c.help = true
	} else {
		c.rerun = true
	}
}

func (c *collector) addOther(tok string) {
	if c.other == "" {
		c.other = tok
	}
}

// finish adds the problems that need the whole comment: keywords mixed with
// anything else, and a command without any token (SPEC §2: never silently
// run all).
func (c *collector) finish() {
	for _, k := range c.keywords {
		var also string
		switch {
		case c.other != "":
			also = c.other
		case len(c.keywords) > 1:
			also = c.keywords[0].word
			if also == k.word {
				also = c.keywords[1].word
			}
		default:
			continue
		}
		hint := "Post `/wizard-ci help` on its own, or remove `help` to run targets."
		if k.word == KeywordRerunFailed {
			hint = "Post `/wizard-ci rerun-failed` on its own: it reruns the apps that did not succeed in the newest results comment."
		}
		c.fail(k.line, k.word, fmt.Sprintf("takes no other tokens, but this comment also has `%s`", also), hint)
	}
	if !c.any {
		c.fail(c.firstCmd, Command, "needs a target", usageHint)
	} else if len(c.errs) == 0 && len(c.lines) == 0 && len(c.keywords) == 0 {
		// Only wizard:<ref> was given.
		c.fail(c.refLine, RefPrefix+c.ref, "picks a wizard build but no target", usageHint)
	}
	// Whole-comment problems were found last; list every problem in body order.
	sort.SliceStable(c.errs, func(i, j int) bool { return c.errs[i].Line < c.errs[j].Line })
}

// checkRunes rejects tokens that hold bytes no target or ref can contain and
// that a reader cannot see or that could disturb a terminal or a reply.
func checkRunes(tok string) (msg, hint string, ok bool) {
	for i, r := range tok {
		switch {
		case r == utf8.RuneError && !validAt(tok, i):
			return "is not valid UTF-8", "Retype the token; it holds bytes that are not text.", false
		case unicode.IsControl(r):
			return fmt.Sprintf("contains the control character %U", r),
				"Retype the token: control characters are invisible and never part of a target or ref.", false
		case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Co, r) || unicode.Is(unicode.Cs, r) || !unicode.IsGraphic(r):
			return fmt.Sprintf("contains the invisible character %U", r),
				"Retype the token instead of pasting it: invisible characters are never part of a target or ref.", false
		}
	}
	return "", "", true
}

func validAt(s string, i int) bool {
	r, size := utf8.DecodeRuneInString(s[i:])
	return !(r == utf8.RuneError && size <= 1)
}

// cleanTarget checks that tok looks like a workbench path and removes its
// trailing '/' (SPEC §2). A non-empty msg means tok is malformed.
func cleanTarget(tok string) (target, msg, hint string) {
	if tok == Command {
		return "", "is the command itself, written twice", "Write `/wizard-ci` once, at the start of the line, then the targets."
	}
	for _, r := range tok {
		if allowed(r) {
			continue
		}
		switch r {
		case ':':
			return "", "contains `:`, which no target has", "Only `wizard:<ref>` takes a colon (lower-case `wizard:`). " + targetHint
		case '`':
			return "", "contains a backtick inside it", "Put backticks around the whole target, as in `` `basic-integration` ``, or leave them out."
		}
		return "", fmt.Sprintf("contains %s, which no target has", quoteRune(r)), targetHint
	}
	switch {
	case len(tok) > maxTargetLen:
		return "", fmt.Sprintf("is %d characters long, longer than any target (%d at most)", len(tok), maxTargetLen), targetHint
	case tok[0] == '-':
		return "", "starts with `-`, like a flag", "Comments take no flags; pick a wizard build with `wizard:<ref>`. " + targetHint
	case tok[0] == '/':
		return "", "is an absolute path", "Write the path relative to the workbench root, e.g. `basic-integration/next-js`."
	}
	t := strings.TrimRight(tok, "/")
	for _, seg := range strings.Split(t, "/") {
		switch seg {
		case "":
			return "", "has an empty path segment (`//`)", "Separate path segments with a single `/`. " + targetHint
		case ".", "..":
			return "", fmt.Sprintf("has a `%s` path segment", seg), "Targets are paths inside the workbench; write them without `.` or `..` segments. " + targetHint
		}
	}
	return t, "", ""
}

// CheckTarget checks one token as a target by the rules a comment's target
// tokens follow (SPEC §2): no invisible or control characters, backticks
// around it stripped, the characters of a workbench path, no empty, "." or
// ".." segment, trailing '/' removed. It knows nothing of wizard:<ref> or
// the keywords: "help" is a target here. The problem's Hint is worded for
// a comment; callers elsewhere word their own.
func CheckTarget(tok string) (string, *ParseError) {
	if msg, hint, ok := checkRunes(tok); !ok {
		return "", &ParseError{Token: shown(tok), Msg: msg, Hint: hint}
	}
	t := strings.Trim(tok, "`")
	if t == "" {
		return "", &ParseError{Token: shown(tok), Msg: "holds only backticks", Hint: targetHint}
	}
	t, msg, hint := cleanTarget(t)
	if msg != "" {
		return "", &ParseError{Token: shown(tok), Msg: msg, Hint: hint}
	}
	return t, nil
}

// allowed reports whether r may appear in a target or ref (SPEC §2).
func allowed(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '/' || r == '-'
}

// ValidateRef checks the ref of wizard:<ref> against SPEC §2: 1–200
// characters of A–Z a–z 0–9 . _ / -, no "..", not starting with '-' or '/',
// not ending with '/'. The error, a *ParseError with Line 0 and Hint RefHint,
// names the first rule broken. The ref reaches git as an argument, so a
// leading '-' must never pass.
func ValidateRef(ref string) error {
	if e := checkRef(ref); e != nil {
		return e
	}
	return nil
}

func checkRef(ref string) *ParseError {
	bad := func(msg string) *ParseError {
		return &ParseError{Token: shown(ref), Msg: "is not a valid wizard ref: " + msg, Hint: RefHint}
	}
	if ref == "" {
		return bad("it is empty")
	}
	for _, r := range ref {
		if !allowed(r) {
			return bad("it contains " + quoteRune(r))
		}
	}
	switch {
	case len(ref) > MaxRefLen:
		return bad(fmt.Sprintf("it has %d characters, more than %d", len(ref), MaxRefLen))
	case ref[0] == '-':
		return bad("it starts with `-`")
	case ref[0] == '/':
		return bad("it starts with `/`")
	case ref[len(ref)-1] == '/':
		return bad("it ends with `/`")
	case strings.Contains(ref, ".."):
		return bad("it contains `..`")
	}
	return nil
}

// quoteRune names r for a message: a code span for a visible rune, its code
// point for anything else.
func quoteRune(r rune) string {
	switch {
	case r == ' ':
		return "a space"
	case r == '`':
		return "a backtick"
	case r == utf8.RuneError:
		return "a byte that is not UTF-8"
	case isSep(r):
		return fmt.Sprintf("the space character %U", r)
	case unicode.IsGraphic(r) && !unicode.Is(unicode.Cf, r):
		return fmt.Sprintf("`%c`", r)
	}
	return fmt.Sprintf("the invisible character %U", r)
}

// shown makes tok safe to print: invalid bytes, control and invisible
// characters become escapes, and a long token is cut to maxShown runes.
func shown(tok string) string {
	var b strings.Builder
	n := 0
	for i, r := range tok {
		if n == maxShown {
			b.WriteString("…")
			break
		}
		n++
		switch {
		case r == utf8.RuneError && !validAt(tok, i):
			fmt.Fprintf(&b, `\x%02x`, tok[i])
		case r < 0x80 && (r < 0x20 || r == 0x7f):
			fmt.Fprintf(&b, `\x%02x`, r)
		case r == ' ' || unicode.IsGraphic(r) && !unicode.Is(unicode.Cf, r):
			b.WriteRune(r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	return b.String()
}
