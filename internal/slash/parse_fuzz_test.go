package slash

import (
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse checks the invariants of Parse on any body: it never panics;
// tokens are clean; fenced or quoted text never runs; the shape of the
// Result matches its Kind; and "\n", "\r\n" and "\r" are the same line end.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		// SPEC §2 examples.
		"/wizard-ci all",
		"/wizard-ci basic-integration",
		"/wizard-ci basic-integration/next-js",
		"/wizard-ci basic-integration/next-js/app-router-todo",
		"/wizard-ci snapshots basic-integration wizard:main",
		"/wizard-ci help",
		"/wizard-ci rerun-failed",
		"/wizard-ci",
		"/wizard-cifoo",
		"/wizard-ci-snapshots all",
		"x /wizard-ci all",
		"   /wizard-ci all",
		"    /wizard-ci all",
		"\t/wizard-ci all",
		"```\n/wizard-ci all\n```\n/wizard-ci basic",
		"~~~\n/wizard-ci all\n~~~",
		"> /wizard-ci all",
		"> > old\n/wizard-ci all",
		"`/wizard-ci all`",
		"Try `this\n/wizard-ci all` later",
		"/wizard-ci basic-integration\r\n\r\nthanks",
		"/wizard-ci a\rb\r/wizard-ci c",
		"/wizard-ci `all` basic/",
		"/wizard-ci a b\n/wizard-ci b c",
		"/wizard-ci a wizard:main\n/wizard-ci b wizard:dev",
		"/wizard-ci help all",
		"/wizard-ci all wizard:feature/..",
		"/wizard-ci all wizard:-x wizard:/x wizard:x/",
		"/wizard-ci\u00a0all\u3000basic\u200b",
		"/wizard-ci all\x00 a\x1b[31m b\u202ec",
		"- ```\n  /wizard-ci all\n  ```",
		"<!--\n/wizard-ci all\n-->",
		"/wizard-ci a\xff",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := Parse(body)
		checkShape(t, body, r)
		for _, line := range r.Lines {
			for _, tok := range line {
				if tok == "" || strings.HasSuffix(tok, "/") {
					t.Errorf("Parse(%q): token %q is empty or ends with /", body, tok)
				}
				for _, c := range tok {
					if unicode.IsSpace(c) || unicode.IsControl(c) || c == '`' || isSep(c) {
						t.Errorf("Parse(%q): token %q holds %U", body, tok, c)
					}
				}
			}
		}
		if r.Kind == Run && (len(r.Lines) == 0 || len(r.Errors) > 0) {
			t.Errorf("Parse(%q): Run with %d lines and %d errors", body, len(r.Lines), len(r.Errors))
		}
		// Merging what Parse found never fails without programs, and gives
		// each target once.
		_, targets, errs := r.Merge(func(s string) bool { return s == "snapshots" || s == "all" })
		seen := map[string]bool{}
		for _, tgt := range targets {
			if seen[tgt] {
				t.Errorf("Parse(%q): Merge repeats %q", body, tgt)
			}
			seen[tgt] = true
		}
		for _, e := range errs {
			if e.Line < 1 || e.Hint == "" {
				t.Errorf("Parse(%q): bad merge error %#v", body, e)
			}
		}

		// Inside a fence longer than any backtick run of the body, every line
		// is code.
		fence := strings.Repeat("`", max(3, longestRun(body, '`')+1))
		for _, wrapped := range []string{
			fence + "\n" + body + "\n" + fence,
			fence + "\r\n" + body,
			strings.Repeat("~", max(3, longestRun(body, '~')+1)) + "\n" + body,
		} {
			if w := Parse(wrapped); w.Kind != Ignore {
				t.Errorf("Parse(%q) = %v, want ignore: the body is fenced", wrapped, w.Kind)
			}
		}
		// Quoting every line makes it a quote.
		quoted := "> " + strings.Join(splitLines(body), "\n> ")
		if q := Parse(quoted); q.Kind != Ignore {
			t.Errorf("Parse(%q) = %v, want ignore: every line is quoted", quoted, q.Kind)
		}

		// The three line ends mean the same.
		if !strings.Contains(body, "\r") {
			for _, end := range []string{"\r\n", "\r"} {
				other := strings.ReplaceAll(body, "\n", end)
				if d := cmp.Diff(r, Parse(other)); d != "" {
					t.Errorf("Parse(%q) and Parse(%q) differ (-lf +%q):\n%s", body, other, end, d)
				}
			}
		}
	})
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}
