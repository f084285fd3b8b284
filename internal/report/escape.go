package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// zwj is a zero-width joiner. After "@" or "#" it stops GitHub from turning
// echoed text into a mention or an issue reference; before "/wizard-ci" at
// the start of a line it stops the line from being a command.
const zwj = "\u200d"

// maxCode is how many characters of untrusted text Code shows.
const maxCode = 100

// Code renders untrusted text as one inline code span: control characters
// and line ends become spaces, ANSI escapes are removed, the text is trimmed
// and cut at 100 characters, and the span's backtick fence is longer than any
// backtick run inside. Text in a code span cannot mention anyone or form a
// command. Outside tables only: a "|" would still split a table cell.
func Code(s string) string { return codeSpan(s, maxCode) }

func codeSpan(s string, limit int) string {
	s = truncate(strings.TrimSpace(clean(s, false)), limit)
	s = breakComments(s)
	if s == "" {
		return "` `"
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	// A span that starts or ends with a backtick needs a space inside the
	// fence; CommonMark strips one space from each side again.
	if s[0] == '`' || s[len(s)-1] == '`' {
		s = " " + s + " "
	}
	return fence + s + fence
}

// cellCode is a code span that is safe inside a table cell. GFM splits cells
// on "|" even inside code spans, and a backslash before it can undo the
// escape, so text holding either is escaped as plain text instead.
func cellCode(s string, limit int) string {
	if strings.ContainsAny(s, `|\`) {
		return EscapeCell(truncate(s, limit))
	}
	return codeSpan(s, limit)
}

// EscapeCell renders untrusted text as plain inline Markdown that is safe in
// a table cell (or any paragraph): line ends and control characters become
// spaces, "|" and Markdown punctuation are backslash-escaped, "<", ">" and
// "&" become entities, and "@"/"#" before a letter or digit get a zero-width
// joiner so no one is mentioned and no issue is referenced.
func EscapeCell(s string) string { return escapeText(s, true) }

// escapeHTML renders untrusted text inside raw HTML (a <summary>), where
// Markdown is not parsed but mentions still are.
func escapeHTML(s string) string { return escapeText(s, false) }

// escapeText is EscapeCell (markdown) and escapeHTML (!markdown): both clean
// the text, turn "<", ">" and "&" into entities and break mentions and issue
// references; Markdown punctuation is escaped only where Markdown is parsed,
// and '"' only inside HTML.
func escapeText(s string, markdown bool) string {
	s = strings.TrimSpace(clean(s, false))
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch r {
		case '\\', '|', '`', '*', '_', '[', ']', '~':
			if markdown {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			if markdown {
				b.WriteRune(r)
			} else {
				b.WriteString("&quot;")
			}
		case '@', '#':
			b.WriteRune(r)
			if next, _ := utf8.DecodeRuneInString(s[i+1:]); unicode.IsLetter(next) || unicode.IsDigit(next) {
				b.WriteString(zwj)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Plain makes untrusted text safe to print on a terminal, on one line: see
// clean (escape sequences and control characters never reach the screen).
func Plain(s string) string { return strings.TrimSpace(clean(s, false)) }

// PlainLines is Plain for each line of s: a multi-line message keeps its
// lines.
func PlainLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = Plain(l)
	}
	return strings.Join(lines, "\n")
}

// clean makes untrusted text printable on one line: invalid UTF-8 becomes
// U+FFFD, ANSI escape sequences are removed, and control characters and
// Unicode line or paragraph separators become spaces (tabs survive when
// keepTab is set).
func clean(s string, keepTab bool) string {
	if plainASCII(s, keepTab) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == 0x1b {
			i += ansiLen(s[i:])
			continue
		}
		i += n
		switch {
		case r == '\t' && keepTab:
			b.WriteRune(r)
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func plainASCII(s string, keepTab bool) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 || c > 0x7e) && !(c == '\t' && keepTab) {
			return false
		}
	}
	return true
}

// cleanLine is clean with truncate for one line of possibly huge output:
// only the start of the line is looked at.
func cleanLine(s string, keepTab bool, limit int) string {
	if max := 8 * limit; len(s) > max {
		for max > 0 && !utf8.RuneStart(s[max]) {
			max--
		}
		// The cut line must end in "…" even if cleaning shrinks it.
		c := clean(s[:max], keepTab)
		n := 0
		for i := range c {
			if n == limit-1 {
				c = c[:i]
				break
			}
			n++
		}
		return c + "…"
	}
	return truncate(clean(s, keepTab), limit)
}

// ansiLen is the length of the escape sequence at the start of s (which
// begins with ESC): CSI "ESC [ … final", OSC "ESC ] … BEL|ESC \", or ESC and
// one character.
func ansiLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		for i := 2; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return len(s)
	case ']':
		for i := 2; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return len(s)
	default:
		_, n := utf8.DecodeRuneInString(s[1:])
		return 1 + n
	}
}

// breakComments keeps echoed text from opening an HTML comment, so it can
// never plant (or look like) one of our markers.
func breakComments(s string) string {
	return strings.ReplaceAll(s, "<!--", "<!-"+zwj+"-")
}

// truncate cuts s to at most limit characters, ending in "…" when cut.
func truncate(s string, limit int) string {
	if limit <= 0 || utf8.RuneCountInString(s) <= limit {
		return s
	}
	n := 0
	for i := range s {
		if n == limit-1 {
			return strings.TrimRightFunc(s[:i], unicode.IsSpace) + "…"
		}
		n++
	}
	return s
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// fence opens a fenced code block around lines: three backticks, or one more
// than the longest backtick run inside.
func fence(lines []string) string {
	n := 2
	for _, l := range lines {
		n = max(n, longestRun(l, '`'))
	}
	return strings.Repeat("`", n+1)
}

// defuse makes sure no line of body parses as a command (SPEC §2): a line
// whose first non-space text is "/wizard-ci" (any case) gets a zero-width
// joiner before the slash. Carriage returns, which the command grammar
// counts as line ends, become newlines first.
func defuse(body string) string {
	if strings.Contains(body, "\r") {
		body = strings.ReplaceAll(body, "\r\n", "\n")
		body = strings.ReplaceAll(body, "\r", "\n")
	}
	if !containsFold(body, commandWord) {
		return body
	}
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		rest := strings.TrimLeftFunc(l, unicode.IsSpace)
		if hasPrefixFold(rest, commandWord) {
			lead := l[:len(l)-len(rest)]
			lines[i] = lead + zwj + rest
		}
	}
	return strings.Join(lines, "\n")
}

const commandWord = "/wizard-ci"

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// containsFold reports whether s holds sub (which starts with "/") in any
// case, without allocating.
func containsFold(s, sub string) bool {
	for i := strings.IndexByte(s, sub[0]); i >= 0; {
		if hasPrefixFold(s[i:], sub) {
			return true
		}
		j := strings.IndexByte(s[i+1:], sub[0])
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}
