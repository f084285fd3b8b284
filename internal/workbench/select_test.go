package workbench

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func paths(apps []App) []string {
	out := []string{}
	for _, a := range apps {
		out = append(out, a.Path)
	}
	return out
}

var (
	ciApps = []string{
		"basic-integration/deep/level2/level3",
		"basic-integration/flask/todo",
		"basic-integration/gradle/android",
		"basic-integration/monorepo",
		"basic-integration/next-js/app-router-todo",
		"basic-integration/next-js/pages-router-blog",
		"basic-integration/node/express/api",
		"revenue/stripe/checkout-node",
	}
	basicApps = ciApps[:7]
)

func TestSelect(t *testing.T) {
	t.Parallel()
	w := loadTraps(t)
	tests := []struct {
		name    string
		targets []string
		ciOnly  bool
		want    []string
	}{
		{"all", []string{"all"}, true, ciApps},
		{"all never includes a non-CI category, even locally", []string{"all"}, false, ciApps},
		{"all with a trailing slash", []string{"all/"}, true, ciApps},
		{"category", []string{"basic-integration"}, true, basicApps},
		{"middle folder", []string{"basic-integration/next-js"}, true, []string{
			"basic-integration/next-js/app-router-todo", "basic-integration/next-js/pages-router-blog"}},
		{"folder two levels above an app", []string{"basic-integration/deep"}, true, []string{"basic-integration/deep/level2/level3"}},
		{"exact app", []string{"basic-integration/flask/todo"}, true, []string{"basic-integration/flask/todo"}},
		{"app three levels deep", []string{"basic-integration/deep/level2/level3"}, true, []string{"basic-integration/deep/level2/level3"}},
		{"monorepo app", []string{"basic-integration/monorepo"}, true, []string{"basic-integration/monorepo"}},
		{"trailing slash", []string{"basic-integration/next-js/"}, true, []string{
			"basic-integration/next-js/app-router-todo", "basic-integration/next-js/pages-router-blog"}},
		{"several targets, union sorted by path", []string{"revenue", "basic-integration/flask", "basic-integration/deep/"}, true, []string{
			"basic-integration/deep/level2/level3", "basic-integration/flask/todo", "revenue/stripe/checkout-node"}},
		{"duplicates and overlaps", []string{"basic-integration/next-js/app-router-todo", "basic-integration/next-js", "basic-integration/next-js/app-router-todo/"}, true, []string{
			"basic-integration/next-js/app-router-todo", "basic-integration/next-js/pages-router-blog"}},
		{"all with more", []string{"revenue", "all"}, true, ciApps},
		{"non-CI category named explicitly, locally", []string{"local-only"}, false, []string{"local-only/tools/script"}},
		{"non-CI app named explicitly, locally", []string{"local-only/tools/script"}, false, []string{"local-only/tools/script"}},
		{"all plus a non-CI category, locally", []string{"all", "local-only"}, false, append(append([]string{}, basicApps...),
			"local-only/tools/script", "revenue/stripe/checkout-node")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := w.Select(tc.targets, tc.ciOnly)
			if err != nil {
				t.Fatalf("Select(%q, %v): %v", tc.targets, tc.ciOnly, err)
			}
			for _, a := range got {
				if !strings.HasPrefix(a.Path, a.Category+"/") {
					t.Errorf("app %q has category %q", a.Path, a.Category)
				}
			}
			if d := cmp.Diff(tc.want, paths(got)); d != "" {
				t.Errorf("Select(%q, %v) (-want +got):\n%s", tc.targets, tc.ciOnly, d)
			}
		})
	}
}

// problem is a Problem with Msg checked by substring, so wording can improve without
// touching every row.
type problem struct {
	Target      string
	MsgHas      string
	Suggestions []string
	NotCI       bool
}

func TestSelectErrors(t *testing.T) {
	t.Parallel()
	w := loadTraps(t)
	tests := []struct {
		name    string
		targets []string
		ciOnly  bool
		want    []problem
	}{
		{"no target", nil, true, []problem{{MsgHas: "no target given"}}},
		{"partial segment", []string{"basic"}, true, []problem{{
			Target: "basic", MsgHas: `"basic" is not a target in the workbench; targets match whole folder names`,
			Suggestions: []string{"basic-integration"}}}},
		{"partial last segment", []string{"basic-integration/next"}, true, []problem{{
			Target: "basic-integration/next", MsgHas: "whole folder names",
			Suggestions: []string{"basic-integration/next-js"}}}},
		{"typo", []string{"basic-integraton"}, true, []problem{{
			Target: "basic-integraton", MsgHas: "not a target",
			Suggestions: []string{"basic-integration"}}}},
		{"last segment alone", []string{"next-js"}, true, []problem{{
			Target: "next-js", MsgHas: "not a target",
			Suggestions: []string{"basic-integration/next-js"}}}},
		{"app name alone", []string{"todo"}, true, []problem{{
			Target: "todo", MsgHas: "not a target",
			Suggestions: []string{"basic-integration/flask/todo", "basic-integration/next-js/app-router-todo", "basic-integration/node"}}}},
		{"nothing close", []string{"zzzzzzzz"}, true, []problem{{Target: "zzzzzzzz", MsgHas: "not a target", Suggestions: []string{}}}},
		{"folder without apps", []string{"basic-integration/docs"}, true, []problem{{
			Target: "basic-integration/docs", MsgHas: "not a target", Suggestions: []string{"basic-integration"}}}},
		{"dot-folder", []string{"basic-integration/.hidden/app"}, true, []problem{{
			Target: "basic-integration/.hidden/app", MsgHas: "not a target",
			Suggestions: []string{"basic-integration/next-js/app-router-todo", "basic-integration/node/express/api"}}}},
		{"inside an app", []string{"basic-integration/node/express/api/packages/sub"}, true, []problem{{
			Target: "basic-integration/node/express/api/packages/sub", MsgHas: "not a target",
			Suggestions: []string{"basic-integration/node/express/api"}}}},
		{"inside node_modules", []string{"basic-integration/next-js/node_modules/react"}, true, []problem{{
			Target: "basic-integration/next-js/node_modules/react", MsgHas: "not a target",
			Suggestions: []string{"basic-integration/next-js"}}}},
		{"non-CI category in CI", []string{"local-only"}, true, []problem{{
			Target: "local-only", MsgHas: `category "local-only", which CI may not run`, NotCI: true}}},
		{"non-CI app in CI", []string{"local-only/tools/script/"}, true, []problem{{
			Target: "local-only/tools/script/", MsgHas: "ci: false", NotCI: true}}},
		{"non-CI category is not suggested in CI", []string{"local-onyl"}, true, []problem{{
			Target: "local-onyl", MsgHas: "not a target", Suggestions: []string{}}}},
		{"non-CI category is suggested locally", []string{"local-onyl"}, false, []problem{{
			Target: "local-onyl", MsgHas: "not a target", Suggestions: []string{"local-only"}}}},
		{"empty category", []string{"empty"}, true, []problem{{Target: "empty", MsgHas: `"empty" has no apps yet`}}},
		{"empty category with a trailing slash", []string{"empty/"}, false, []problem{{Target: "empty/", MsgHas: `"empty" has no apps yet`}}},
		{"unlisted top-level folder", []string{"unlisted-stuff"}, true, []problem{{
			Target: "unlisted-stuff", MsgHas: `the folder "unlisted-stuff" is not a category in wizard-ci.yml`}}},
		{"app in an unlisted folder", []string{"unlisted-stuff/app"}, false, []problem{{
			Target: "unlisted-stuff/app", MsgHas: "not a category in wizard-ci.yml"}}},
		{"long token is clipped in the message", []string{strings.Repeat("z", 255)}, true, []problem{{
			Target: strings.Repeat("z", 255), MsgHas: `"` + strings.Repeat("z", 60) + `…" is not a target`, Suggestions: []string{}}}},
		{"slash only", []string{"/"}, true, []problem{{Target: "/", MsgHas: `"" is not a target`}}},
		{"every problem at once, each once, nothing runs", []string{"revenue", "basic", "local-only", "all", "empty", "basic"}, true, []problem{
			{Target: "basic", MsgHas: "whole folder names", Suggestions: []string{"basic-integration"}},
			{Target: "local-only", MsgHas: "CI may not run", NotCI: true},
			{Target: "empty", MsgHas: "no apps yet"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			apps, err := w.Select(tc.targets, tc.ciOnly)
			if apps != nil {
				t.Errorf("Select(%q) returned apps %v with a problem", tc.targets, paths(apps))
			}
			var se *SelectError
			if !errors.As(err, &se) {
				t.Fatalf("Select(%q) error = %v (%T), want *SelectError", tc.targets, err, err)
			}
			var got []problem
			for i, p := range se.Problems {
				g := problem{Target: p.Target, Suggestions: p.Suggestions, NotCI: p.NotCI}
				if i < len(tc.want) && strings.Contains(p.Msg, tc.want[i].MsgHas) {
					g.MsgHas = tc.want[i].MsgHas
				} else {
					g.MsgHas = p.Msg
				}
				got = append(got, g)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Select(%q, %v) problems (-want +got):\n%s", tc.targets, tc.ciOnly, d)
			}
		})
	}
}

func TestSelectErrorString(t *testing.T) {
	t.Parallel()
	w := loadTraps(t)
	_, err := w.Select([]string{"next-js", "local-only"}, true)
	want := `"next-js" is not a target in the workbench (did you mean "basic-integration/next-js"?); ` +
		`"local-only" is in the category "local-only", which CI may not run (ci: false in wizard-ci.yml); run it with the wizard-ci command line instead`
	if err == nil || err.Error() != want {
		t.Errorf("Error() =\n%v\nwant\n%s", err, want)
	}
}

func TestTargets(t *testing.T) {
	t.Parallel()
	w := loadTraps(t)
	ci := []string{
		"all",
		"basic-integration",
		"basic-integration/deep",
		"basic-integration/deep/level2",
		"basic-integration/deep/level2/level3",
		"basic-integration/flask",
		"basic-integration/flask/todo",
		"basic-integration/gradle",
		"basic-integration/gradle/android",
		"basic-integration/monorepo",
		"basic-integration/next-js",
		"basic-integration/next-js/app-router-todo",
		"basic-integration/next-js/pages-router-blog",
		"basic-integration/node",
		"basic-integration/node/express",
		"basic-integration/node/express/api",
		"revenue",
		"revenue/stripe",
		"revenue/stripe/checkout-node",
	}
	local := append(append(append([]string{}, ci[:16]...), "local-only", "local-only/tools", "local-only/tools/script"), ci[16:]...)
	tests := []struct {
		name   string
		ciOnly bool
		want   []string
	}{
		{"ci only", true, ci},
		{"locally", false, local},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := w.Targets(tc.ciOnly)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Targets(%v) (-want +got):\n%s", tc.ciOnly, d)
			}
			// Every listed target selects something.
			for _, target := range got {
				if _, err := w.Select([]string{target}, tc.ciOnly); err != nil {
					t.Errorf("Select(%q) of a listed target: %v", target, err)
				}
			}
		})
	}
	t.Run("no CI apps, no all", func(t *testing.T) {
		t.Parallel()
		w := &Workbench{Categories: []Category{{Name: "x"}}, Apps: []App{{Path: "x/a", Category: "x"}}}
		if d := cmp.Diff([]string{"x", "x/a"}, w.Targets(false)); d != "" {
			t.Errorf("Targets(false) (-want +got):\n%s", d)
		}
		if got := w.Targets(true); len(got) != 0 {
			t.Errorf("Targets(true) = %q, want none", got)
		}
		var se *SelectError
		if _, err := w.Select([]string{"all"}, false); !errors.As(err, &se) || !strings.Contains(se.Problems[0].Msg, "all selects no apps") {
			t.Errorf("Select(all) error = %v, want all selects no apps", err)
		}
	})
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	w := loadTraps(t)
	tests := []struct {
		token string
		n     int
		want  []string
	}{
		{"basic-integraton", 5, []string{"basic-integration"}},
		{"BASIC-INTEGRATION/NEXT-JS", 5, []string{"basic-integration/next-js"}},
		{"next-js", 5, []string{"basic-integration/next-js"}},
		{"nextjs", 5, []string{"basic-integration/next-js"}},
		{"basic", 5, []string{"basic-integration"}},
		{"revenu", 5, []string{"revenue"}},
		{"local", 5, []string{"local-only"}},
		{"stripe/checkout", 5, []string{"revenue/stripe/checkout-node"}},
		{"revenue-stripe", 5, []string{"revenue/stripe"}},
		{"basic-integraton/nextjs", 5, []string{"basic-integration/next-js"}},
		{"basic-integration/next-js/app-router-todo/app", 5, []string{"basic-integration/next-js/app-router-todo"}},
		// A right path up to the last folder keeps the suggestions there,
		// not at look-alike names elsewhere (todo apps of other categories).
		{"revenue/stripe/todo", 5, []string{"revenue/stripe"}},
		{"checkout", 5, []string{"revenue/stripe/checkout-node"}},
		{"a", 5, []string{}},
		{"al", 5, []string{"all"}},
		// Several at the same distance are ordered by name, and n caps the list.
		{"deep/level", 5, []string{"basic-integration/deep/level2", "basic-integration/deep/level2/level3"}},
		{"todo", 5, []string{"basic-integration/flask/todo", "basic-integration/next-js/app-router-todo", "basic-integration/node"}},
		{"todo", 1, []string{"basic-integration/flask/todo"}},
		{"anything", 0, nil},
		{"", 5, nil},
	}
	for _, tc := range tests {
		t.Run(tc.token, func(t *testing.T) {
			t.Parallel()
			got := w.Suggest(tc.token, tc.n)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Suggest(%q, %d) (-want +got):\n%s", tc.token, tc.n, d)
			}
			if again := w.Suggest(tc.token, tc.n); !cmp.Equal(got, again) {
				t.Errorf("Suggest(%q) is not deterministic: %q then %q", tc.token, got, again)
			}
		})
	}
}
