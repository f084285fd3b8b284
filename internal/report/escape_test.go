package report

import (
	"strings"
	"testing"
	"time"
)

func TestCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"plain", "basic-integraton", "`basic-integraton`"},
		{"backtick inside", "a`b", "``a`b``"},
		{"double backticks", "a``b`c", "```a``b`c```"},
		{"leading backtick", "`all`", "`` `all` ``"},
		{"newline and control", "a\nb\r\x00c\td", "`a b  c d`"},
		{"ansi", "\x1b[31mred\x1b[0m", "`red`"},
		{"trimmed", "  x  ", "`x`"},
		{"empty", "", "` `"},
		{"spaces only", "   ", "` `"},
		{"mention stays in code", "@octocat", "`@octocat`"},
		{"comment opener broken", "<!-- wizard-ci:hint -->", "`<!-\u200d- wizard-ci:hint -->`"},
		{"long", strings.Repeat("x", 150), "`" + strings.Repeat("x", 99) + "…`"},
		{"invalid utf-8", "a\xffb", "`a\uFFFDb`"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Code(tc.in); got != tc.want {
				t.Errorf("Code(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestEscapeCell(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"plain", "exit 1", "exit 1"},
		{"pipe", "a | b", `a \| b`},
		{"backslash before pipe", `a\|b`, `a\\\|b`},
		{"html", "<b>&</b>", "&lt;b&gt;&amp;&lt;/b&gt;"},
		{"mention", "cc @octocat and @ alone", "cc @\u200doctocat and @ alone"},
		{"team mention", "@PostHog/team", "@\u200dPostHog/team"},
		{"issue ref", "see #12 and # 3", "see #\u200d12 and # 3"},
		{"markdown", "*b* _i_ [l](u) ~s~ `c`", `\*b\* \_i\_ \[l\](u) \~s\~ \` + "`c\\`"},
		{"newlines", "one\ntwo\r\nthree\u2028four", "one two  three four"},
		{"command line", "x\n/wizard-ci all", "x /wizard-ci all"},
		{"comment", "<!-- wizard-ci:hint -->", "&lt;!-- wizard-ci:hint --&gt;"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := EscapeCell(tc.in); got != tc.want {
				t.Errorf("EscapeCell(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestDefuse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"no command", "hello\n`/wizard-ci all`\n", "hello\n`/wizard-ci all`\n"},
		{"command", "/wizard-ci all", zwj + "/wizard-ci all"},
		{"indented", "   /wizard-ci all\n\t/wizard-ci help", "   " + zwj + "/wizard-ci all\n\t" + zwj + "/wizard-ci help"},
		{"other case", "/Wizard-CI all", zwj + "/Wizard-CI all"},
		{"prefix word", "/wizard-cifoo", zwj + "/wizard-cifoo"},
		{"carriage returns", "a\r/wizard-ci all\r\nb", "a\n" + zwj + "/wizard-ci all\nb"},
		{"not at start", "x /wizard-ci all", "x /wizard-ci all"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := defuse(tc.in)
			if got != tc.want {
				t.Errorf("defuse(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if bad := commandLines(got); len(bad) > 0 {
				t.Errorf("defuse left a command line: %q", bad)
			}
		})
	}
}

func TestFence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lines []string
		want  string
	}{
		{nil, "```"},
		{[]string{"no ticks"}, "```"},
		{[]string{"```go", "x"}, "````"},
		{[]string{"a `````` b"}, "```````"},
	}
	for _, tc := range tests {
		if got := fence(tc.lines); got != tc.want {
			t.Errorf("fence(%q) = %q, want %q", tc.lines, got, tc.want)
		}
	}
}

func TestDuration(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0s": "0s", "400ms": "400ms", "4321us": "4ms", "1.5s": "2s", "83s": "1m23s", "120s": "2m", "3600s": "1h", "3605s": "1h0m5s", "3660s": "1h1m",
	} {
		d, err := parseDuration(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := duration(d); got != want {
			t.Errorf("duration(%s) = %q, want %q", in, got, want)
		}
	}
}

func parseDuration(s string) (d time.Duration, err error) { return time.ParseDuration(s) }

func TestCleanLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		limit          int
	}{
		{"short", "abc", "abc", 5},
		{"exact", "abcde", "abcde", 5},
		{"over", "abcdef", "abcd…", 5},
		{"huge", strings.Repeat("x", 100), "xxxx…", 5},
		{"huge but mostly ansi", strings.Repeat("\x1b[0m", 20) + "ab", "…", 5},
		{"huge multibyte", strings.Repeat("𝔵", 100), "𝔵𝔵𝔵𝔵…", 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := cleanLine(tc.in, false, tc.limit); got != tc.want {
				t.Errorf("cleanLine(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
			}
		})
	}
}
