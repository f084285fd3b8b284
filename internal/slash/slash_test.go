package slash

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// wantErr is the part of a ParseError a test pins: line and token exactly,
// and a piece of the message.
type wantErr struct {
	Line  int
	Token string
	Msg   string // substring of ParseError.Msg
}

type parsed struct {
	Kind  Kind
	Lines [][]string
	Ref   string
	Errs  []wantErr
}

func project(r Result) parsed {
	p := parsed{Kind: r.Kind, Lines: r.Lines, Ref: r.WizardRef}
	for _, e := range r.Errors {
		p.Errs = append(p.Errs, wantErr{Line: e.Line, Token: e.Token, Msg: e.Msg})
	}
	return p
}

// msgContains lets a wanted message be a substring of the real one.
var msgContains = cmp.Comparer(func(a, b wantErr) bool {
	return a.Line == b.Line && a.Token == b.Token && (strings.Contains(a.Msg, b.Msg) || strings.Contains(b.Msg, a.Msg))
})

func run(lines ...[]string) parsed { return parsed{Kind: Run, Lines: lines} }

func l(tokens ...string) []string { return tokens }

func reply(lines [][]string, errs ...wantErr) parsed {
	return parsed{Kind: Reply, Lines: lines, Errs: errs}
}

var ignore = parsed{Kind: Ignore}

func TestParse(t *testing.T) {
	t.Parallel()
	long201 := strings.Repeat("a", 201)
	long200 := strings.Repeat("b", 200)
	tests := []struct {
		name string
		body string
		want parsed
	}{
		// SPEC §2: what a command line is.
		{"plain command", "/wizard-ci all", run(l("all"))},
		{"no command at all", "LGTM, thanks!", ignore},
		{"empty body", "", ignore},
		{"prefix glued to more letters", "/wizard-cifoo", ignore},
		{"prefix glued to more letters with target", "/wizard-cifoo all", ignore},
		{"other bot's command", "/wizard-ci-snapshots all", ignore},
		{"command not first on the line", "x /wizard-ci all", ignore},
		{"command name is case sensitive", "/Wizard-CI all", ignore},
		{"3 leading spaces", "   /wizard-ci all", run(l("all"))},
		{"4 leading spaces is code", "    /wizard-ci all", ignore},
		{"leading tab is code", "\t/wizard-ci all", ignore},
		{"spaces then tab reach column 4", "  \t/wizard-ci all", ignore},
		{"4 leading no-break spaces count as indent", "\u00a0\u00a0\u00a0\u00a0/wizard-ci all", ignore},
		{"indented continuation of a paragraph", "Please run\n    /wizard-ci all", ignore},
		{"command among prose", "Looks good!\n/wizard-ci all\nthanks", run(l("all"))},
		{"list item", "- /wizard-ci all", ignore},
		{"heading", "# /wizard-ci all", ignore},
		{"link text", "[/wizard-ci all](https://example.com)", ignore},
		{"escaped slash", `\/wizard-ci all`, ignore},
		{"NUL glued to the command", "/wizard-ci\x00 all", ignore},

		// SPEC §2: fenced code.
		{"backtick fence", "```\n/wizard-ci all\n```", ignore},
		{"tilde fence", "~~~\n/wizard-ci all\n~~~", ignore},
		{"fence with info string", "```sh\n/wizard-ci all\n```", ignore},
		{"command after the fence closes runs", "```\n/wizard-ci all\n```\n/wizard-ci basic-integration", parsed{
			Kind: Run, Lines: [][]string{{"basic-integration"}}}},
		{"command after tilde fence closes runs", "~~~ text\n/wizard-ci all\n~~~\n/wizard-ci basic-integration", run(l("basic-integration"))},
		{"shorter closing fence does not close", "````\n/wizard-ci a\n```\n/wizard-ci b\n````\n/wizard-ci c", run(l("c"))},
		{"longer closing fence closes", "```\n/wizard-ci a\n`````\n/wizard-ci b", run(l("b"))},
		{"other fence character does not close", "```\n~~~\n/wizard-ci a\n~~~", ignore},
		{"tilde fence not closed by backticks", "~~~\n```\n/wizard-ci a\n```", ignore},
		{"closing fence with text after does not close", "```\n``` x\n/wizard-ci all", ignore},
		{"unclosed fence runs to the end", "```\n/wizard-ci all\n\n\nmore", ignore},
		{"indented fences", "   ```\n/wizard-ci a\n  ```\n/wizard-ci b", run(l("b"))},
		{"closing fence indented 4 does not close", "```\n    ```\n/wizard-ci a", ignore},
		{"4-space fence is indented code, not a fence", "    ```\n/wizard-ci all", run(l("all"))},
		{"backtick info with a backtick is not a fence", "```a`b\n/wizard-ci all", run(l("all"))},
		{"tilde info may hold backticks", "~~~a`b\n/wizard-ci all", ignore},
		{"fence interrupts a paragraph", "see:\n```\n/wizard-ci all\n```", ignore},
		{"quote marks inside a fence are code", "```\n> x\n/wizard-ci all\n```", ignore},
		{"fence in a list item", "- ```\n  /wizard-ci all\n  ```\n/wizard-ci basic", run(l("basic"))},
		{"fence in an ordered list item", "1. ```\n   /wizard-ci all\n   ```", ignore},
		{"fence in a nested list item", "- - ```\n    /wizard-ci all", ignore},
		{"fence in a list item ends with the item", "- ```\n/wizard-ci all", run(l("all"))},

		// SPEC §2: block quotes.
		{"quoted", "> /wizard-ci all", ignore},
		{"quoted without space", ">/wizard-ci all", ignore},
		{"quoted with indent", "   > /wizard-ci all", ignore},
		{"nested quote", "> > /wizard-ci all", ignore},
		{"lazy continuation of a quote", "> earlier comment\n/wizard-ci all", ignore},
		{"lazy continuation of a nested quote", "> > earlier\n/wizard-ci all", ignore},
		{"lazy continuation goes on", "> earlier\nmore\n/wizard-ci all", ignore},
		{"blank line ends the quote", "> /wizard-ci all\n\n/wizard-ci basic-integration", run(l("basic-integration"))},
		{"GitHub quote reply", "> @alice wrote:\n> /wizard-ci all\n\n/wizard-ci all", run(l("all"))},
		{"empty quote line leaves no paragraph", ">\n/wizard-ci all", run(l("all"))},
		{"quoted heading is not continued", "> # Title\n/wizard-ci all", run(l("all"))},
		{"quote in a list item", "- > /wizard-ci all", ignore},
		{"lazy continuation of a quote in a list item", "- > earlier\n/wizard-ci all", ignore},
		{"quote in a nested list item", "1. - > earlier\n/wizard-ci all", ignore},
		{"fence in a quote in a list item", "- > ```\n  > /wizard-ci all", ignore},
		{"fence in a quote", "> ```\n> /wizard-ci all\n> ```", ignore},
		{"fence in a quote ends with the quote", "> ```\n/wizard-ci all", run(l("all"))},
		{"fence in a nested quote keeps inner markers", "> > ```\n> > > x\n> > /wizard-ci all", ignore},

		// SPEC §2: inline code.
		{"inline code", "`/wizard-ci all`", ignore},
		{"inline code, double backticks", "``/wizard-ci all``", ignore},
		{"inline code in prose", "Try `/wizard-ci all` next time", ignore},
		{"code span across lines", "Try `this\n/wizard-ci all` later", ignore},
		{"unmatched backtick hides nothing", "don't ` worry\n/wizard-ci all", run(l("all"))},
		{"span of another length hides nothing", "a `` b\n/wizard-ci all `c", run(l("all", "c"))},
		{"escaped backtick opens no span", "a \\` b\n/wizard-ci all` c", run(l("all", "c"))},
		{"span closed on the same line", "a `b` c\n/wizard-ci all", run(l("all"))},
		{"code span does not cross a blank line", "a `b\n\n/wizard-ci all`", run(l("all"))},
		{"command line opens a span over the next", "/wizard-ci `all\n/wizard-ci basic`", run(l("all"))},

		// Raw HTML that GitHub does not show.
		{"HTML comment block", "<!--\n/wizard-ci all\n-->\n/wizard-ci basic", run(l("basic"))},
		{"one-line HTML comment", "<!-- /wizard-ci all -->\n/wizard-ci basic", run(l("basic"))},
		{"inline HTML comment across lines", "hi <!-- note\n/wizard-ci all\n-->", ignore},
		{"inline HTML comment closed on its line", "hi <!-- note -->\n/wizard-ci all", run(l("all"))},
		{"unclosed inline HTML comment hides nothing", "hi <!-- note\n/wizard-ci all", run(l("all"))},
		{"backticks inside an inline HTML comment", "hi <!-- ` -->\n/wizard-ci all `x`", run(l("all", "x"))},
		{"pre block", "<pre>\n/wizard-ci all\n</PRE>", ignore},
		{"presentation is not pre", "<presentation>\n/wizard-ci all", run(l("all"))},

		// Raw HTML that GitHub shows as code: never a command.
		{"code block of HTML", "<code>\n/wizard-ci misc\n</code>", ignore},
		{"inline code element", "text <code>\n/wizard-ci all\n</code>", ignore},
		{"code element with attributes", "<CODE class=\"x\">\n/wizard-ci all\n</Code>", ignore},
		{"tt kbd samp", "<tt>\n/wizard-ci a\n</tt> <kbd>\n/wizard-ci b\n</kbd> <samp>\n/wizard-ci c\n</samp>", ignore},
		{"inline pre", "text <pre>\n/wizard-ci all\n</pre>", ignore},
		{"unclosed code lasts the paragraph", "text <code>\n/wizard-ci all\n\n/wizard-ci basic", run(l("basic"))},
		{"closed code hides only itself", "<code>x</code>\n/wizard-ci all", run(l("all"))},
		{"codex is not code", "<codex>\n/wizard-ci all", run(l("all"))},
		{"a closing tag alone opens nothing", "</code>\n/wizard-ci all", run(l("all"))},

		// SPEC §2: line ends.
		{"CRLF", "/wizard-ci basic-integration\r\n\r\nthanks", parsed{Kind: Run, Lines: [][]string{{"basic-integration"}}}},
		{"CR", "/wizard-ci a\rb /wizard-ci c\r/wizard-ci d", run(l("a"), l("d"))},
		{"CRLF fence", "```\r\n/wizard-ci all\r\n```\r\n/wizard-ci b", run(l("b"))},
		{"CR fence", "```\r/wizard-ci all\r```\r/wizard-ci b", run(l("b"))},
		{"CR quote", "> x\r\r/wizard-ci b", run(l("b"))},

		// SPEC §2: separators.
		{"no-break space", "/wizard-ci\u00a0all", run(l("all"))},
		{"ideographic space", "/wizard-ci\u3000all\u3000basic", run(l("all", "basic"))},
		{"em space and narrow no-break space", "/wizard-ci\u2003a\u202fb", run(l("a", "b"))},
		{"vertical tab and form feed", "/wizard-ci\vall\fbasic", run(l("all", "basic"))},
		{"next line (NEL)", "/wizard-ci\u0085all", run(l("all"))},
		{"line separator", "/wizard-ci\u2028all", run(l("all"))},
		{"zero-width space", "/wizard-ci\u200ball", run(l("all"))},
		{"word joiner", "/wizard-ci all\u2060basic", run(l("all", "basic"))},
		{"byte order mark first", "\ufeff/wizard-ci all", run(l("all"))},
		{"trailing spaces", "/wizard-ci all   \t", run(l("all"))},

		// SPEC §2: token clean-up.
		{"backticked target", "/wizard-ci `all`", run(l("all"))},
		{"double-backticked target", "/wizard-ci ``basic-integration/next-js``", run(l("basic-integration/next-js"))},
		{"backticked keyword", "/wizard-ci `help`", parsed{Kind: Help}},
		{"backticked ref", "/wizard-ci all `wizard:main`", parsed{Kind: Run, Lines: [][]string{{"all"}}, Ref: "main"}},
		{"trailing slash", "/wizard-ci basic-integration/", run(l("basic-integration"))},
		{"several trailing slashes", "/wizard-ci basic-integration/next-js//", run(l("basic-integration/next-js"))},
		{"case is kept", "/wizard-ci Basic-Integration/Next-JS", run(l("Basic-Integration/Next-JS"))},
		{"dots inside names", "/wizard-ci a.b/c_d/.hidden", run(l("a.b/c_d/.hidden"))},

		// SPEC §2: several lines.
		{"duplicates across lines are kept for Merge", "/wizard-ci a b\n/wizard-ci b c", run(l("a", "b"), l("b", "c"))},
		{"program-like first token stays a token", "/wizard-ci snapshots basic", run(l("snapshots", "basic"))},
		{"ref on one line applies to all", "/wizard-ci a wizard:main\n/wizard-ci b", parsed{Kind: Run, Lines: [][]string{{"a"}, {"b"}}, Ref: "main"}},
		{"same ref twice", "/wizard-ci a wizard:main\n/wizard-ci b wizard:main", parsed{Kind: Run, Lines: [][]string{{"a"}, {"b"}}, Ref: "main"}},
		{"ref before targets", "/wizard-ci wizard:feature/x all", parsed{Kind: Run, Lines: [][]string{{"all"}}, Ref: "feature/x"}},
		{"disagreeing refs", "/wizard-ci a wizard:main\n/wizard-ci b wizard:dev", parsed{
			Kind: Reply, Lines: [][]string{{"a"}, {"b"}}, Ref: "main",
			Errs: []wantErr{{2, "wizard:dev", "asks for wizard ref `dev`, but line 1 asks for `main`"}}}},
		{"disagreeing refs on one line", "/wizard-ci a wizard:main wizard:dev", parsed{
			Kind: Reply, Lines: [][]string{{"a"}}, Ref: "main",
			Errs: []wantErr{{1, "wizard:dev", "but line 1 asks for `main`"}}}},
		{"bare line next to a real one", "/wizard-ci\n/wizard-ci all", run(l("all"))},

		// SPEC §2: help and rerun-failed.
		{"help", "/wizard-ci help", parsed{Kind: Help}},
		{"help twice", "/wizard-ci help\n/wizard-ci help", parsed{Kind: Help}},
		{"rerun-failed", "/wizard-ci rerun-failed", parsed{Kind: RerunFailed}},
		{"rerun-failed in prose", "Flaky again.\n\n/wizard-ci rerun-failed\n\nThanks", parsed{Kind: RerunFailed}},
		{"help with a target", "/wizard-ci help all", reply([][]string{{"all"}},
			wantErr{1, "help", "takes no other tokens, but this comment also has `all`"})},
		{"help and a target on another line", "/wizard-ci all\n/wizard-ci help", reply([][]string{{"all"}},
			wantErr{2, "help", "also has `all`"})},
		{"rerun-failed with a target", "/wizard-ci rerun-failed basic", reply([][]string{{"basic"}},
			wantErr{1, "rerun-failed", "also has `basic`"})},
		{"rerun-failed with a ref", "/wizard-ci rerun-failed wizard:main", parsed{Kind: Reply, Ref: "main",
			Errs: []wantErr{{1, "rerun-failed", "also has `wizard:main`"}}}},
		{"help and rerun-failed", "/wizard-ci help\n/wizard-ci rerun-failed", reply(nil,
			wantErr{1, "help", "also has `rerun-failed`"}, wantErr{2, "rerun-failed", "also has `help`"})},
		{"Help in capitals is a target", "/wizard-ci Help", run(l("Help"))},

		// SPEC §2: bare command.
		{"bare command", "/wizard-ci", reply(nil, wantErr{1, "/wizard-ci", "needs a target"})},
		{"bare command with spaces", "hi\n/wizard-ci  \t ", reply(nil, wantErr{2, "/wizard-ci", "needs a target"})},
		{"bare command twice", "/wizard-ci\n/wizard-ci", reply(nil, wantErr{1, "/wizard-ci", "needs a target"})},
		{"only a ref", "/wizard-ci wizard:main", parsed{Kind: Reply, Ref: "main",
			Errs: []wantErr{{1, "wizard:main", "no target"}}}},
		{"only backticks", "/wizard-ci ``", reply(nil, wantErr{1, "``", "only backticks"})},

		// SPEC §2: bad refs.
		{"ref with ..", "/wizard-ci all wizard:feature/..", reply([][]string{{"all"}},
			wantErr{1, "wizard:feature/..", "contains `..`"})},
		{"ref starting with -", "/wizard-ci all wizard:-x", reply([][]string{{"all"}}, wantErr{1, "wizard:-x", "starts with `-`"})},
		{"ref starting with /", "/wizard-ci all wizard:/x", reply([][]string{{"all"}}, wantErr{1, "wizard:/x", "starts with `/`"})},
		{"ref ending with /", "/wizard-ci all wizard:x/", reply([][]string{{"all"}}, wantErr{1, "wizard:x/", "ends with `/`"})},
		{"ref of 201 characters", "/wizard-ci all wizard:" + long201, reply([][]string{{"all"}},
			wantErr{1, shown("wizard:" + long201), "201 characters"})},
		{"ref of 200 characters", "/wizard-ci all wizard:" + long200, parsed{Kind: Run, Lines: [][]string{{"all"}}, Ref: long200}},
		{"empty ref", "/wizard-ci all wizard:", reply([][]string{{"all"}}, wantErr{1, "wizard:", "empty"})},
		{"ref with @{", "/wizard-ci all wizard:main@{1}", reply([][]string{{"all"}}, wantErr{1, "wizard:main@{1}", "contains `@`"})},
		{"ref split by a space", "/wizard-ci all wizard:`my branch`", reply([][]string{{"all", "branch"}},
			wantErr{1, "wizard:`my", "contains a backtick"})},
		{"bad ref and disagreeing ref", "/wizard-ci a wizard:main\n/wizard-ci wizard:.. wizard:dev", parsed{
			Kind: Reply, Lines: [][]string{{"a"}}, Ref: "main",
			Errs: []wantErr{{2, "wizard:..", "contains `..`"}, {2, "wizard:dev", "but line 1"}}}},

		// SPEC §2: malformed tokens.
		{"flag-like token", "/wizard-ci --all", reply(nil, wantErr{1, "--all", "like a flag"})},
		{"absolute path", "/wizard-ci /etc/passwd", reply(nil, wantErr{1, "/etc/passwd", "absolute path"})},
		{"lone slash", "/wizard-ci /", reply(nil, wantErr{1, "/", "absolute path"})},
		{"command written twice", "/wizard-ci /wizard-ci all", reply([][]string{{"all"}}, wantErr{1, "/wizard-ci", "written twice"})},
		{"dot-dot segment", "/wizard-ci ../secrets", reply(nil, wantErr{1, "../secrets", "`..` path segment"})},
		{"inner dot-dot segment", "/wizard-ci a/../b", reply(nil, wantErr{1, "a/../b", "`..` path segment"})},
		{"dot segment", "/wizard-ci ./a", reply(nil, wantErr{1, "./a", "`.` path segment"})},
		{"empty segment", "/wizard-ci a//b", reply(nil, wantErr{1, "a//b", "empty path segment"})},
		{"shell characters", "/wizard-ci all;rm $(id)", reply(nil,
			wantErr{1, "all;rm", "contains `;`"}, wantErr{1, "$(id)", "contains `$`"})},
		{"colon", "/wizard-ci Wizard:main", reply(nil, wantErr{1, "Wizard:main", "contains `:`"})},
		{"inner backtick", "/wizard-ci a`b", reply(nil, wantErr{1, "a`b", "backtick inside"})},
		{"non-ASCII letter", "/wizard-ci café", reply(nil, wantErr{1, "café", "contains `é`"})},
		{"too long target", "/wizard-ci " + strings.Repeat("a", 256), reply(nil,
			wantErr{1, shown(strings.Repeat("a", 256)), "256 characters"})},
		{"one bad token refuses the command", "/wizard-ci all -x", reply([][]string{{"all"}}, wantErr{1, "-x", "flag"})},
		{"every problem, in line order", "/wizard-ci help\n/wizard-ci -a b\n/wizard-ci -c", reply([][]string{{"b"}},
			wantErr{1, "help", "also has `b`"}, wantErr{2, "-a", "flag"}, wantErr{3, "-c", "flag"})},

		// SPEC §2: control and invisible characters.
		{"NUL in a token", "/wizard-ci all\x00", reply(nil, wantErr{1, `all\x00`, "control character U+0000"})},
		{"ANSI escape", "/wizard-ci a\x1b[31m", reply(nil, wantErr{1, `a\x1b[31m`, "control character U+001B"})},
		{"DEL", "/wizard-ci a\x7f", reply(nil, wantErr{1, `a\x7f`, "control character U+007F"})},
		{"C1 control", "/wizard-ci a\u009b", reply(nil, wantErr{1, `a\u009b`, "control character U+009B"})},
		{"bidi override", "/wizard-ci a\u202eb", reply(nil, wantErr{1, `a\u202eb`, "invisible character U+202E"})},
		{"zero-width joiner", "/wizard-ci a\u200db", reply(nil, wantErr{1, `a\u200db`, "invisible character U+200D"})},
		{"soft hyphen", "/wizard-ci a\u00adb", reply(nil, wantErr{1, `a\u00adb`, "invisible character U+00AD"})},
		{"invalid UTF-8", "/wizard-ci a\xffb", reply(nil, wantErr{1, `a\xffb`, "not valid UTF-8"})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Parse(tc.body)
			if d := cmp.Diff(tc.want, project(got), msgContains, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tc.body, d)
			}
			checkShape(t, tc.body, got)
		})
	}
}

// checkShape asserts what holds for every Result, whatever the body.
func checkShape(t *testing.T, body string, r Result) {
	t.Helper()
	if (r.Kind == Ignore) != (len(r.Quoted) == 0) {
		t.Errorf("Parse(%q): kind %v with %d quoted lines", body, r.Kind, len(r.Quoted))
	}
	if (r.Kind == Reply) != (len(r.Errors) > 0) {
		t.Errorf("Parse(%q): kind %v with %d errors", body, r.Kind, len(r.Errors))
	}
	if r.Kind == Run && len(r.Lines) == 0 {
		t.Errorf("Parse(%q): Run without lines", body)
	}
	if (r.Kind == Help || r.Kind == RerunFailed || r.Kind == Ignore) && (len(r.Lines) > 0 || len(r.LineNumbers) > 0) {
		t.Errorf("Parse(%q): kind %v with lines %q", body, r.Kind, r.Lines)
	}
	if len(r.Lines) != len(r.LineNumbers) {
		t.Errorf("Parse(%q): %d lines but %d line numbers", body, len(r.Lines), len(r.LineNumbers))
	}
	nLines := len(splitLines(body))
	prev := 0
	for i, n := range r.LineNumbers {
		if n <= prev || n > nLines {
			t.Errorf("Parse(%q): line number %d out of order or range", body, n)
		}
		prev = n
		if len(r.Lines[i]) == 0 {
			t.Errorf("Parse(%q): empty line %d in Lines", body, n)
		}
		for _, tok := range r.Lines[i] {
			if clean, msg, _ := cleanTarget(tok); msg != "" || clean != tok {
				t.Errorf("Parse(%q): token %q in Lines is not a clean target", body, tok)
			}
		}
	}
	if r.WizardRef != "" {
		if err := ValidateRef(r.WizardRef); err != nil {
			t.Errorf("Parse(%q): WizardRef %q is invalid: %v", body, r.WizardRef, err)
		}
	}
	prev = 0
	for _, e := range r.Errors {
		if e.Line < 1 || e.Line > nLines || e.Line < prev {
			t.Errorf("Parse(%q): error line %d out of order or range: %v", body, e.Line, e)
		}
		prev = e.Line
		if e.Msg == "" || e.Hint == "" || e.Token == "" {
			t.Errorf("Parse(%q): incomplete error %#v", body, e)
		}
		for _, r := range e.Token {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' {
				t.Errorf("Parse(%q): error token %q holds an unsafe rune", body, e.Token)
			}
		}
	}
	for _, q := range r.Quoted {
		if strings.ContainsAny(q, "\r\n") {
			t.Errorf("Parse(%q): quoted line %q holds a line end", body, q)
		}
	}
}

func TestParseQuotedAndLineNumbers(t *testing.T) {
	t.Parallel()
	body := "Thanks!\r\n\r\n  /wizard-ci a wizard:main \r\n> /wizard-ci old\r\n\r\n/wizard-ci help"
	got := Parse(body)
	want := Result{
		Kind:        Reply,
		Lines:       [][]string{{"a"}},
		LineNumbers: []int{3},
		WizardRef:   "main",
		Errors: []*ParseError{{
			Line: 6, Token: "help", Msg: "takes no other tokens, but this comment also has `a`",
			Hint: "Post `/wizard-ci help` on its own, or remove `help` to run targets.",
		}},
		Quoted: []string{"  /wizard-ci a wizard:main ", "/wizard-ci help"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Parse (-want +got):\n%s", d)
	}
}

func TestValidateRef(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ref string
		msg string // "" means valid
	}{
		{"main", ""},
		{"feature/retry-403", ""},
		{"v1.2.3", ""},
		{"release_2024.1", ""},
		{"0123456789abcdef0123456789abcdef01234567", ""},
		{"a", ""},
		{"a.b", ""},
		{"x.lock", ""}, // SPEC §2 allows it; git refuses it later
		{strings.Repeat("r", 200), ""},
		{"", "it is empty"},
		{strings.Repeat("r", 201), "it has 201 characters, more than 200"},
		{"feature/..", "it contains `..`"},
		{"a..b", "it contains `..`"},
		{"-x", "it starts with `-`"},
		{"--upload-pack=evil", "it contains `=`"},
		{"/main", "it starts with `/`"},
		{"main/", "it ends with `/`"},
		{"my branch", "it contains a space"},
		{"my\u00a0branch", "it contains the space character U+00A0"},
		{"main@{1}", "it contains `@`"},
		{"a~1", "it contains `~`"},
		{"a^", "it contains `^`"},
		{"a:b", "it contains `:`"},
		{"a\\b", "it contains `\\`"},
		{"a\x00", "it contains the invisible character U+0000"},
		{"a\u202e", "it contains the invisible character U+202E"},
		{"ünï", "it contains `ü`"},
		{"a`b", "it contains a backtick"},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			t.Parallel()
			err := ValidateRef(tc.ref)
			if tc.msg == "" {
				if err != nil {
					t.Fatalf("ValidateRef(%q) = %v, want nil", tc.ref, err)
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ValidateRef(%q) = %v (%T), want a *ParseError", tc.ref, err, err)
			}
			want := &ParseError{Token: shown(tc.ref), Msg: "is not a valid wizard ref: " + tc.msg, Hint: RefHint}
			if d := cmp.Diff(want, pe); d != "" {
				t.Errorf("ValidateRef(%q) (-want +got):\n%s", tc.ref, d)
			}
		})
	}
}

func TestValidateRefNilIsUntypedNil(t *testing.T) {
	t.Parallel()
	// A typed nil inside an error would make "err != nil" true for a good ref.
	if err := ValidateRef("main"); err != nil {
		t.Fatalf("ValidateRef(main) = %#v", err)
	}
}

func TestParseErrorError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *ParseError
		want string
	}{
		{"with line", &ParseError{Line: 3, Token: "-x", Msg: "starts with `-`, like a flag"}, "line 3: `-x`: starts with `-`, like a flag"},
		{"without line", &ParseError{Token: "main/", Msg: "is not a valid wizard ref: it ends with `/`"}, "`main/`: is not a valid wizard ref: it ends with `/`"},
		{"from Parse", Parse("/wizard-ci\n/wizard-ci wizard:x/ a").Errors[0], "line 2: `wizard:x/`: is not a valid wizard ref: it ends with `/`"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestShown(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"all", "all"},
		{"a b", "a b"},
		{"a\x00b\x1b\x7f", `a\x00b\x1b\x7f`},
		{"a\u202eb\u200d", `a\u202eb\u200d`},
		{"a\xff", `a\xff`},
		{"ünï`", "ünï`"},
		{"\U000e0001", `\U000e0001`},
		{strings.Repeat("x", 100), strings.Repeat("x", 80) + "…"},
		{strings.Repeat("x", 80), strings.Repeat("x", 80)},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got := shown(tc.in); got != tc.want {
				t.Errorf("shown(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		k    Kind
		want string
	}{{Ignore, "ignore"}, {Run, "run"}, {Help, "help"}, {RerunFailed, "rerun-failed"}, {Reply, "reply"}}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			if got := tc.k.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
			b, err := json.Marshal(tc.k)
			if err != nil || string(b) != `"`+tc.want+`"` {
				t.Errorf("json.Marshal = %s, %v", b, err)
			}
		})
	}
	if got := Kind(42).String(); got != "kind(42)" {
		t.Errorf("Kind(42).String() = %q", got)
	}
	if _, err := Kind(-1).MarshalText(); err == nil {
		t.Error("Kind(-1).MarshalText() did not fail")
	}
}

func TestSplitLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{""}},
		{"a", []string{"a"}},
		{"a\n", []string{"a", ""}},
		{"a\r\nb", []string{"a", "b"}},
		{"a\rb", []string{"a", "b"}},
		{"a\r\r\nb", []string{"a", "", "b"}},
		{"a\n\rb", []string{"a", "", "b"}},
		{"a\u2028b\u0085c", []string{"a\u2028b\u0085c"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if d := cmp.Diff(tc.want, splitLines(tc.in)); d != "" {
				t.Errorf("splitLines(%q) (-want +got):\n%s", tc.in, d)
			}
		})
	}
}

func TestCodeSpans(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want [][2]int
	}{
		{"a `b` c", [][2]int{{2, 5}}},
		{"``a`b``", [][2]int{{0, 7}}},
		{"` a", nil},
		{"`` a ` b", nil},
		{"\\`a`", nil},
		{"`a\\`", [][2]int{{0, 4}}}, // no escapes inside a span
		{"`a` `b`", [][2]int{{0, 3}, {4, 7}}},
		{"``` a ` b ``` c", [][2]int{{0, 13}}},
		{"` `` ``` `", [][2]int{{0, 10}}},
		{"a <!-- b --> c", [][2]int{{2, 12}}},
		{"<!-->", [][2]int{{0, 5}}},
		{"`<!--` -->", [][2]int{{0, 6}}},
		{"<!-- ` --> `", [][2]int{{0, 10}}},
		{"\\<!-- -->", nil},
		{"<!-- ", nil},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if d := cmp.Diff(tc.want, codeSpans(tc.in), cmpopts.EquateEmpty()); d != "" {
				t.Errorf("codeSpans(%q) (-want +got):\n%s", tc.in, d)
			}
		})
	}
}

func TestListItem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		rest  string
		width int
		ok    bool
	}{
		{"- a", "a", 2, true},
		{"-   a", "a", 4, true},
		{"-      a", "     a", 2, true}, // indented code inside the item
		{"* a", "a", 2, true},
		{"+\ta", "a", 4, true},
		{"1. a", "a", 3, true},
		{"10) a", "a", 4, true},
		{"   - a", "a", 5, true},
		{"-", "", 2, true},
		{"    - a", "", 0, false},
		{"-a", "", 0, false},
		{"1234567890. a", "", 0, false},
		{"a. b", "", 0, false},
		{"", "", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			rest, width, ok := listItem(tc.in)
			if rest != tc.rest || width != tc.width || ok != tc.ok {
				t.Errorf("listItem(%q) = %q, %d, %v; want %q, %d, %v", tc.in, rest, width, ok, tc.rest, tc.width, tc.ok)
			}
		})
	}
}

// TestCheckTarget: a single target token gets the rules of a comment's
// target tokens, and keywords are plain targets.
func TestCheckTarget(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ tok, want, msg string }{
		{"basic-integration/", "basic-integration", ""},
		{"`all`", "all", ""},
		{"help", "help", ""},
		{"``", "", "holds only backticks"},
		{"a:b", "", "contains `:`"},
		{"-x", "", "starts with `-`"},
		{"a//b", "", "empty path segment"},
		{"b\u0430sic", "", "which no target has"},
		{"a\x01", "", "control character"},
		{strings.Repeat("a", 300), "", "300 characters long"},
	} {
		got, err := CheckTarget(tc.tok)
		if got != tc.want || (err == nil) != (tc.msg == "") || err != nil && !strings.Contains(err.Msg, tc.msg) {
			t.Errorf("CheckTarget(%q) = %q, %v; want %q, %q", tc.tok, got, err, tc.want, tc.msg)
		}
	}
}
