package report

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func hintCats() []HintCategory {
	return []HintCategory{
		{Name: "basic-integration", Label: "Basic integration", Targets: []string{
			"basic-integration/django", "basic-integration/django/polls",
			"basic-integration/next-js", "basic-integration/next-js/app-router-todo", "basic-integration/next-js/pages-router-blog",
		}},
		{Name: "revenue", Label: "Revenue analytics", Targets: []string{"revenue", "revenue/stripe-node"}},
		{Name: "error-tracking", Label: "Error tracking <beta> @octocat |"},
	}
}

func TestHintGolden(t *testing.T) {
	t.Parallel()
	for name, cats := range map[string][]HintCategory{
		"hint":       hintCats(),
		"hint-empty": nil,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := Hint(cats)
			golden(t, name, got)
			if !strings.HasPrefix(got, HintMarker+"\n") {
				t.Errorf("hint does not start with the hint marker")
			}
			checkBody(t, name, got, DefaultMaxChars)
		})
	}
}

func TestHintListsEveryTargetInCode(t *testing.T) {
	t.Parallel()
	got := Hint(hintCats())
	for _, c := range hintCats() {
		if !strings.Contains(got, "`/wizard-ci "+c.Name+"`") {
			t.Errorf("hint lacks the command for %q", c.Name)
		}
		for _, tg := range c.Targets {
			if !strings.Contains(got, "`/wizard-ci "+tg+"`") {
				t.Errorf("hint lacks the command for %q", tg)
			}
		}
	}
	for _, w := range []string{"`/wizard-ci all`", "`/wizard-ci help`", "`/wizard-ci rerun-failed`", "wizard:<ref>"} {
		if !strings.Contains(got, w) {
			t.Errorf("hint lacks %q", w)
		}
	}
	// Every mention of the command sits in inline code.
	for _, l := range strings.Split(got, "\n") {
		if i := strings.Index(l, "/wizard-ci"); i >= 0 && !strings.Contains(l[:i], "`") {
			t.Errorf("command outside inline code: %q", l)
		}
	}
}

func TestHintTooManyTargets(t *testing.T) {
	t.Parallel()
	c := HintCategory{Name: "basic-integration", Label: "Basic integration"}
	for i := range 3000 {
		c.Targets = append(c.Targets, fmt.Sprintf("basic-integration/framework-%03d/example-app-%04d", i%50, i))
	}
	got := Hint([]HintCategory{c})
	checkBody(t, "big hint", got, DefaultMaxChars)
	if !strings.Contains(got, "(3000 in all, too many to list here)") || strings.Contains(got, "example-app-0001") {
		t.Errorf("a hint over the limit should leave the sub-targets out and say so:\n%.2000s", got)
	}
	if utf8.RuneCountInString(got) > DefaultMaxChars {
		t.Errorf("hint over the limit")
	}
}
