package slash

import "strings"

// This file decides which lines of a comment may hold a command by following
// the CommonMark block structure just far enough: fenced and indented code,
// block quotes with lazy continuation, raw HTML blocks that render as nothing,
// and code spans that run across the lines of a paragraph. When in doubt it
// treats a line as code or quote: a command that is not run gets no reply and
// can be posted again, while quoted text that runs costs a whole run.

// lineInfo says whether a line may hold a command.
type lineInfo struct {
	command bool // plain paragraph text, outside code, quotes and raw HTML
	para    int  // paragraph of a command-capable line, for code spans; 0 = none
}

// fence is an open fenced code block.
type fence struct {
	char   byte // '`' or '~'
	n      int  // length of the opening run
	quote  int  // block-quote depth it was opened at
	indent int  // content indent of the list items it was opened in
}

// What the previous line left open, for lazy continuation and indented code.
type paraState int

const (
	noPara    paraState = iota
	textPara            // a paragraph of top-level text
	quotePara           // a paragraph inside a block quote
)

// classify walks the lines of a comment and marks those that may hold a command.
func classify(lines []string) []lineInfo {
	infos := make([]lineInfo, len(lines))
	var f *fence
	htmlEnd := "" // end condition of an open HTML block
	para := noPara
	paraID := 0
	for i, line := range lines {
		if f != nil {
			d, rest := stripQuotes(line, f.quote)
			in := d == f.quote
			if in && f.indent > 0 && !isBlank(rest) {
				if cols, _ := leadingIndent(rest); cols < f.indent {
					in = false
				}
			}
			if in {
				if closesFence(dropIndent(rest, f.indent), f) {
					f = nil
				}
				continue
			}
			// The container of the fence ended; fenced code has no lazy
			// continuation, so the fence ends with it.
			f = nil
		}
		if htmlEnd != "" {
			if containsFold(line, htmlEnd) {
				htmlEnd = ""
			}
			continue
		}

		// Check for a quote before the command prefix: quoting an old command
		// must not run it again.
		if d, rest := quoteLine(line); d > 0 {
			if o, ok := opensFence(rest); ok {
				o.quote = d
				f = &o
				para = noPara
				continue
			}
			switch {
			case isBlank(rest), isHeading(rest), isThematicBreak(rest):
				para = noPara
			case para != quotePara && indentCols(rest) >= 4:
				para = noPara // indented code inside the quote
			default:
				para = quotePara
			}
			continue
		}
		if isBlank(line) {
			para = noPara
			continue
		}
		if para == quotePara {
			if continuesLazily(line) {
				continue // GitHub shows it inside the quote
			}
			para = noPara
		}
		if o, ok := opensFence(line); ok {
			f = &o
			para = noPara
			continue
		}
		if end, rest, ok := opensHTML(line); ok {
			if !containsFold(rest, end) {
				htmlEnd = end
			}
			para = noPara
			continue
		}
		if isHeading(line) || isThematicBreak(line) {
			para = noPara
			continue
		}
		if para != textPara && indentCols(line) >= 4 {
			continue // indented code block
		}
		if _, _, ok := listItem(line); ok || para != textPara {
			paraID++
		}
		para = textPara
		infos[i] = lineInfo{command: true, para: paraID}
	}
	markCodeSpans(lines, infos)
	return infos
}

// leadingIndent returns the columns and bytes of the spaces and tabs that
// start s; a tab goes to the next multiple of 4.
func leadingIndent(s string) (cols, n int) {
	return indentFrom(s, 0)
}

// indentFrom is leadingIndent for s starting at column col (tab stops
// depend on it); cols counts only the columns of s.
func indentFrom(s string, col int) (cols, n int) {
	c := col
	for n < len(s) {
		switch s[n] {
		case ' ':
			c++
		case '\t':
			c += 4 - c%4
		default:
			return c - col, n
		}
		n++
	}
	return c - col, n
}

func indentCols(s string) int {
	cols, _ := leadingIndent(s)
	return cols
}

// dropIndent removes up to cols columns of leading spaces and tabs.
func dropIndent(s string, cols int) string {
	c := 0
	for i := 0; i < len(s); i++ {
		if c >= cols {
			return s[i:]
		}
		switch s[i] {
		case ' ':
			c++
		case '\t':
			c += 4 - c%4
		default:
			return s[i:]
		}
	}
	return ""
}

func isBlank(s string) bool {
	return strings.Trim(s, " \t") == ""
}

// stripQuotes removes up to max block-quote markers (all of them when max
// is negative) and returns how many it removed. A marker is '>' after at
// most 3 columns of indent, with one optional space or tab after it.
func stripQuotes(s string, max int) (depth int, rest string) {
	for max < 0 || depth < max {
		cols, n := leadingIndent(s)
		if cols > 3 || n >= len(s) || s[n] != '>' {
			break
		}
		s = s[n+1:]
		if s != "" && (s[0] == ' ' || s[0] == '\t') {
			s = s[1:]
		}
		depth++
	}
	return depth, s
}

// quoteLine reports whether line is in a block quote, possibly one that
// starts inside list items ("- > old command"), and returns its depth and
// the quoted text.
func quoteLine(line string) (depth int, rest string) {
	if d, rest := stripQuotes(line, -1); d > 0 {
		return d, rest
	}
	for s := line; ; {
		r, _, ok := listItem(s)
		if !ok {
			return 0, line
		}
		if d, rest := stripQuotes(r, -1); d > 0 {
			return d, rest
		}
		s = r
	}
}

// fenceRun reports the fence character and run length that start s after at
// most 3 columns of indent, and what follows the run.
func fenceRun(s string) (ch byte, n int, rest string, ok bool) {
	cols, i := leadingIndent(s)
	if cols > 3 || i >= len(s) || (s[i] != '`' && s[i] != '~') {
		return 0, 0, "", false
	}
	ch = s[i]
	j := i
	for j < len(s) && s[j] == ch {
		j++
	}
	if j-i < 3 {
		return 0, 0, "", false
	}
	return ch, j - i, s[j:], true
}

// opensFence reports whether s opens a fenced code block, possibly after
// list-item markers (whose content indent the fence keeps).
func opensFence(s string) (fence, bool) {
	indent := 0
	for {
		if ch, n, rest, ok := fenceRun(s); ok {
			// A backtick fence's info string cannot hold a backtick
			// (otherwise the line is inline code).
			if ch == '`' && strings.IndexByte(rest, '`') >= 0 {
				return fence{}, false
			}
			return fence{char: ch, n: n, indent: indent}, true
		}
		rest, width, ok := listItem(s)
		if !ok {
			return fence{}, false
		}
		s, indent = rest, indent+width
	}
}

// closesFence reports whether s closes f: the same character, at least as
// many, and nothing after but spaces and tabs.
func closesFence(s string, f *fence) bool {
	ch, n, rest, ok := fenceRun(s)
	return ok && ch == f.char && n >= f.n && isBlank(rest)
}

// listItem reports whether s starts a list item ("-", "*", "+", "1." or "1)"
// after at most 3 columns of indent, then a space or the end of the line).
// It returns the item's content and its content indent in columns.
func listItem(s string) (rest string, width int, ok bool) {
	cols, i := leadingIndent(s)
	if cols > 3 || i >= len(s) {
		return "", 0, false
	}
	j := i
	switch s[j] {
	case '-', '*', '+':
		j++
	default:
		k := j
		for k < len(s) && k-j < 9 && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k == j || k >= len(s) || (s[k] != '.' && s[k] != ')') {
			return "", 0, false
		}
		j = k + 1
	}
	end := cols + (j - i)
	if j == len(s) {
		return "", end + 1, true
	}
	if s[j] != ' ' && s[j] != '\t' {
		return "", 0, false
	}
	spaces, m := indentFrom(s[j:], end)
	if spaces >= 5 || j+m == len(s) {
		// Content starting 5 or more columns out is indented code, so the
		// item's indent is one column past the marker.
		return s[j+1:], end + 1, true
	}
	return s[j+m:], end + spaces, true
}

// isHeading reports an ATX heading: 1–6 '#' then a space, tab or the end.
func isHeading(s string) bool {
	cols, i := leadingIndent(s)
	if cols > 3 {
		return false
	}
	j := i
	for j < len(s) && s[j] == '#' {
		j++
	}
	return j > i && j-i <= 6 && (j == len(s) || s[j] == ' ' || s[j] == '\t')
}

// isThematicBreak reports a line of 3 or more '-', '*' or '_' (one kind),
// spaces and tabs allowed between.
func isThematicBreak(s string) bool {
	cols, i := leadingIndent(s)
	if cols > 3 || i >= len(s) {
		return false
	}
	ch := s[i]
	if ch != '-' && ch != '*' && ch != '_' {
		return false
	}
	n := 0
	for ; i < len(s); i++ {
		switch s[i] {
		case ch:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// continuesLazily reports whether a line without '>' after a quoted
// paragraph continues that paragraph (and so renders inside the quote): it
// does unless it starts a block that can interrupt a paragraph.
func continuesLazily(s string) bool {
	if _, ok := opensFence(s); ok {
		return false
	}
	if _, _, ok := opensHTML(s); ok {
		return false
	}
	if _, _, ok := listItem(s); ok {
		return false
	}
	return !isHeading(s) && !isThematicBreak(s)
}

// HTML blocks that GitHub does not show as Markdown text (CommonMark types 1
// and 2), with their end conditions.
var htmlBlocks = []struct{ start, end string }{
	{"<!--", "-->"},
	{"<pre", "</pre>"},
	{"<script", "</script>"},
	{"<style", "</style>"},
	{"<textarea", "</textarea>"},
}

// opensHTML reports whether s starts one of htmlBlocks, returning its end
// condition and the text after the start tag.
func opensHTML(s string) (end, rest string, ok bool) {
	cols, i := leadingIndent(s)
	if cols > 3 {
		return "", "", false
	}
	s = s[i:]
	for _, b := range htmlBlocks {
		if len(s) < len(b.start) || !strings.EqualFold(s[:len(b.start)], b.start) {
			continue
		}
		rest = s[len(b.start):]
		if b.start != "<!--" && rest != "" && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '>' {
			continue // <prefix> or <presentation>, not <pre>
		}
		return b.end, rest, true
	}
	return "", "", false
}

// containsFold reports whether s contains the ASCII string sub, ignoring case.
func containsFold(s, sub string) bool { return indexFold(s, sub) >= 0 }

// indexFold is the index of the first ASCII string sub in s, ignoring
// case, or -1.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// codeTags are the HTML elements GitHub shows as code.
var codeTags = []string{"code", "pre", "tt", "kbd", "samp"}

// codeTag reports whether s starts with the opening tag of one of codeTags
// (any case), and which.
func codeTag(s string) (string, bool) {
	for _, name := range codeTags {
		n := len(name) + 1
		if len(s) <= n || !strings.EqualFold(s[1:n], name) {
			continue
		}
		switch s[n] {
		case '>', ' ', '\t', '\n', '/':
			return name, true
		}
	}
	return "", false
}

// markCodeSpans clears command on lines that start inside a code span (or an
// inline HTML comment) opened on an earlier line of the same paragraph:
// "`foo\n/wizard-ci all`" shows "/wizard-ci all" as code.
func markCodeSpans(lines []string, infos []lineInfo) {
	for i := 0; i < len(lines); {
		if infos[i].para == 0 {
			i++
			continue
		}
		j := i + 1
		for j < len(lines) && infos[j].para == infos[i].para {
			j++
		}
		if j-i > 1 {
			var b strings.Builder
			starts := make([]int, 0, j-i)
			for k := i; k < j; k++ {
				if k > i {
					b.WriteByte('\n')
				}
				starts = append(starts, b.Len())
				b.WriteString(lines[k])
			}
			spans := codeSpans(b.String())
			s := 0 // spans and starts are both in order
			for k, start := range starts {
				for s < len(spans) && spans[s][1] <= start {
					s++
				}
				if s < len(spans) && spans[s][0] < start {
					infos[i+k].command = false
				}
			}
		}
		i = j
	}
}

// codeSpans returns the [start, end) byte ranges of the code spans and
// inline HTML comments of a paragraph: a backtick run opens a span closed by
// the next run of exactly the same length; a run without one is literal.
// Outside spans a backslash escapes the next character.
func codeSpans(s string) [][2]int {
	var spans [][2]int
	unmatched := map[int]bool{} // run lengths known to have no later closer
	for i := 0; i < len(s); {
		switch s[i] {
		case '\\':
			i += 2
			continue
		case '<':
			// An inline HTML comment hides its text like a code span shows
			// it as code; GitHub renders neither as a command.
			if strings.HasPrefix(s[i:], "<!--") {
				if end := strings.Index(s[i+2:], "-->"); end >= 0 {
					spans = append(spans, [2]int{i, i + 2 + end + 3})
					i += 2 + end + 3
					continue
				}
			}
			// Raw HTML code (<code>…</code> and its kin) shows its text as
			// code too; left open, it lasts to the end of the paragraph.
			if name, ok := codeTag(s[i:]); ok {
				end := len(s)
				if k := indexFold(s[i+1:], "</"+name); k >= 0 {
					end = i + 1 + k + len("</"+name)
				}
				spans = append(spans, [2]int{i, end})
				i = end
				continue
			}
			i++
			continue
		case '`':
		default:
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		n := j - i
		closer := -1
		if !unmatched[n] {
			for k := j; k < len(s); {
				if s[k] != '`' {
					k++
					continue
				}
				m := k
				for m < len(s) && s[m] == '`' {
					m++
				}
				if m-k == n {
					closer = k
					break
				}
				k = m
			}
		}
		if closer < 0 {
			unmatched[n] = true
			i = j
			continue
		}
		spans = append(spans, [2]int{i, closer + n})
		i = closer + n
	}
	return spans
}
