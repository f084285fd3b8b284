package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/mattn/go-runewidth"

	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/results"
)

// TestTextTableAligned: whatever the outcomes, the columns of the terminal
// table start at the same cell on every line, and no line ends in spaces.
func TestTextTableAligned(t *testing.T) {
	r := &results.Results{}
	for _, o := range outcome.All {
		r.Apps = append(r.Apps, results.App{
			App: "cat/" + string(o), Outcome: o,
			Attempts: []results.Attempt{{Outcome: o, DurationMS: 1500}},
		})
	}
	lines := strings.Split(strings.TrimSpace(textTable(r)), "\n")
	header := lines[0]
	col := runewidth.StringWidth(header[:strings.Index(header, "ATTEMPTS")])
	for _, l := range lines[1 : len(r.Apps)+1] {
		if strings.TrimRight(l, " ") != l {
			t.Errorf("line %q ends in spaces", l)
		}
		// The attempts column holds "1": find it after the outcome name.
		i := strings.Index(l, " 1 ")
		if i < 0 {
			t.Fatalf("line %q has no attempts cell", l)
		}
		if got := runewidth.StringWidth(l[:i+1]); got != col {
			t.Errorf("line %q: attempts column starts at cell %d, header at %d", l, got, col)
		}
	}
}

// TestSelectErrorNamesTargetOnce: a problem names its target once, quoted
// on the terminal and as a code span in a reply.
func TestSelectErrorNamesTargetOnce(t *testing.T) {
	t.Parallel()
	wb, err := loadWorkbench(filepath.Join(repoRoot, "workbench"), false, func(string, ...any) {})
	if err != nil {
		t.Fatal(err)
	}
	_, err = wb.Select([]string{"revenu", "basic-integraton/flask"}, true)
	for style, name := range map[string]func(string) string{"terminal": quoted, "markdown": codeSpan} {
		got := describeSelectError(err, style)
		for _, target := range []string{"revenu", "basic-integraton/flask"} {
			if n := strings.Count(got, name(target)); n != 1 {
				t.Errorf("%s: %s appears %d times in:\n%s", style, name(target), n, got)
			}
		}
		if style == "markdown" && strings.Contains(got, `"revenu"`) {
			t.Errorf("markdown names the target in quotes, not as code:\n%s", got)
		}
	}
}

// TestTerminalNoEscapes: reasons and a run error reach the terminal without
// an escape sequence or control character, whoever wrote them; a run error
// keeps its lines.
func TestTerminalNoEscapes(t *testing.T) {
	hostile := "sdk \x1b[31mposthog-node\x1b]0;PWN\x07 is missing\r\x08"
	r := &results.Results{Apps: []results.App{{App: "cat/app", Outcome: outcome.ChecksFailed, Reason: hostile,
		Attempts: []results.Attempt{{Outcome: outcome.ChecksFailed}}}}}
	r.Run.Error = "first line\x1b[2J\nsecond line"
	var stderr strings.Builder
	newTerminal(Deps{Stderr: &stderr}, outcome.DefaultPolicy).app(r.Apps[0], 1, 1)
	table := textTable(r)
	for name, s := range map[string]string{"table": table, "progress": stderr.String()} {
		if i := strings.IndexFunc(s, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }); i >= 0 {
			t.Errorf("%s holds control character %q: %q", name, s[i], s)
		}
		if !strings.Contains(s, "posthog-node") {
			t.Errorf("%s lost the reason's text: %q", name, s)
		}
	}
	if !strings.Contains(table, "first line\nsecond line") {
		t.Errorf("the run error lost its lines:\n%s", table)
	}
}
