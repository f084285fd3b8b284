package workbench

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

const trapsConfig = `categories:
  basic-integration:
    label: Basic integration
    command: []
    ci: true
  revenue:
    label: Revenue analytics
    command: [revenue-analytics]
    ci: true
  local-only:
    label: Local only
    command: [audit]
    ci: false
  empty:
    label: Empty for now
    command: []
    ci: true
`

// trapsFS is a synthetic workbench whose every folder is either an app or a trap
// that must not become one.
func trapsFS() fstest.MapFS {
	files := []string{
		"README.md",
		".github/workflows/ci.yml",           // a dot-folder at the top is neither a category nor unlisted
		"node_modules/prettier/package.json", // nor are installed dependencies
		"unlisted-stuff/app/package.json",    // a top-level folder the config does not name
		"basic-integration/package.json",     // the category folder itself is not an app
		"basic-integration/README.md",
		"basic-integration/next-js/app-router-todo/package.json",
		"basic-integration/next-js/app-router-todo/node_modules/next/package.json",
		"basic-integration/next-js/pages-router-blog/package.json",
		"basic-integration/next-js/node_modules/react/package.json", // installed deps outside an app
		"basic-integration/.hidden/app/package.json",                // a dot-folder
		"basic-integration/flask/todo/requirements.txt",
		"basic-integration/flask/todo/venv/lib/requirements.txt",
		"basic-integration/python/venv/pkg/pyproject.toml",
		"basic-integration/php/vendor/acme/lib/composer.json",
		"basic-integration/monorepo/.wizard-root", // one app, whatever it holds
		"basic-integration/monorepo/packages/web/package.json",
		"basic-integration/monorepo/packages/api/go.mod",
		"basic-integration/node/express/api/package.json",
		"basic-integration/node/express/api/packages/sub/package.json", // a sub-package is part of its app
		"basic-integration/deep/level2/level3/Cargo.toml",              // three levels below the category
		"basic-integration/gradle/android/build.gradle.kts",
		"basic-integration/docs/guide/README.md",   // a folder with no app is no target
		"basic-integration/odd/package.json/x.txt", // a folder named like a project file is no project file
		"revenue/stripe/checkout-node/package.json",
		"local-only/tools/script/pyproject.toml",
		"empty/README.md",
	}
	fsys := fstest.MapFS{ConfigFile: {Data: []byte(trapsConfig)}}
	for _, f := range files {
		fsys[f] = &fstest.MapFile{}
	}
	return fsys
}

func loadTraps(t *testing.T) *Workbench {
	t.Helper()
	w, err := Load(trapsFS())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fsys fstest.MapFS
		want *Workbench
	}{
		{
			name: "traps",
			fsys: trapsFS(),
			want: &Workbench{
				Categories: []Category{
					{Name: "basic-integration", Label: "Basic integration", Command: []string{}, CI: true},
					{Name: "revenue", Label: "Revenue analytics", Command: []string{"revenue-analytics"}, CI: true},
					{Name: "local-only", Label: "Local only", Command: []string{"audit"}},
					{Name: "empty", Label: "Empty for now", Command: []string{}, CI: true},
				},
				Apps: []App{
					{Path: "basic-integration/deep/level2/level3", Category: "basic-integration"},
					{Path: "basic-integration/flask/todo", Category: "basic-integration"},
					{Path: "basic-integration/gradle/android", Category: "basic-integration"},
					{Path: "basic-integration/monorepo", Category: "basic-integration"},
					{Path: "basic-integration/next-js/app-router-todo", Category: "basic-integration"},
					{Path: "basic-integration/next-js/pages-router-blog", Category: "basic-integration"},
					{Path: "basic-integration/node/express/api", Category: "basic-integration"},
					{Path: "local-only/tools/script", Category: "local-only"},
					{Path: "revenue/stripe/checkout-node", Category: "revenue"},
				},
				Unlisted: []string{"unlisted-stuff"},
			},
		},
		{
			name: "every project file",
			fsys: fstest.MapFS{
				ConfigFile:                    {Data: []byte("categories:\n  c:\n    ci: true\n")},
				"c/a1/package.json":           {},
				"c/a2/requirements.txt":       {},
				"c/a3/pyproject.toml":         {},
				"c/a4/manage.py":              {},
				"c/a5/Gemfile":                {},
				"c/a6/composer.json":          {},
				"c/a7/go.mod":                 {},
				"c/a8/build.gradle":           {},
				"c/a9/build.gradle.kts":       {},
				"c/b1/Package.swift":          {},
				"c/b2/pubspec.yaml":           {},
				"c/b3/Cargo.toml":             {},
				"c/b4/.wizard-root":           {},
				"c/not/Makefile":              {},
				"c/not/index.html":            {},
				"c/not/package-lock.json":     {},
				"c/not/requirements-dev.txt":  {},
				"c/not/sub/setup.cfg":         {},
				"c/not/sub/Gemfile.lock":      {},
				"c/not/sub/cargo.toml":        {}, // project file names are case-sensitive
				"c/not/sub/vendor/a/go.mod":   {},
				"c/not/sub/.venv/pyvenv.cfg":  {},
				"c/not/sub/.venv/x/setup.py":  {},
				"c/not/sub/.git/package.json": {},
			},
			want: &Workbench{
				Categories: []Category{{Name: "c", Label: "c", Command: []string{}, CI: true}},
				Apps: []App{
					{"c/a1", "c"}, {"c/a2", "c"}, {"c/a3", "c"}, {"c/a4", "c"}, {"c/a5", "c"}, {"c/a6", "c"},
					{"c/a7", "c"}, {"c/a8", "c"}, {"c/a9", "c"}, {"c/b1", "c"}, {"c/b2", "c"}, {"c/b3", "c"}, {"c/b4", "c"},
				},
				Unlisted: []string{},
			},
		},
		{
			name: "empty category folders",
			fsys: fstest.MapFS{
				ConfigFile:       {Data: []byte("categories:\n  a:\n    ci: true\n  b:\n    ci: false\n")},
				"a":              {Mode: fs.ModeDir},
				"b/docs/note.md": {},
			},
			want: &Workbench{
				Categories: []Category{{Name: "a", Label: "a", Command: []string{}, CI: true}, {Name: "b", Label: "b", Command: []string{}}},
				Apps:       []App{},
				Unlisted:   []string{},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Load(tc.fsys)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Load (-want +got):\n%s", d)
			}
		})
	}
}

func TestCategoryAndIsProgram(t *testing.T) {
	t.Parallel()
	w := loadTraps(t)
	tests := []struct {
		name    string
		want    Category
		program bool
	}{
		{"revenue", Category{Name: "revenue", Label: "Revenue analytics", Command: []string{"revenue-analytics"}, CI: true}, true},
		{"local-only", Category{Name: "local-only", Label: "Local only", Command: []string{"audit"}}, true},
		{"empty", Category{Name: "empty", Label: "Empty for now", Command: []string{}, CI: true}, true},
		{"unlisted-stuff", Category{}, false},
		{"basic-integration/next-js", Category{}, false},
		{"all", Category{}, false},
		{"Revenue", Category{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := w.Category(tc.name)
			if d := cmp.Diff(tc.want, got); d != "" || ok != tc.program {
				t.Errorf("Category(%q) = _, %v (-want +got):\n%s", tc.name, ok, d)
			}
			if got := w.IsProgram(tc.name); got != tc.program {
				t.Errorf("IsProgram(%q) = %v, want %v", tc.name, got, tc.program)
			}
		})
	}
}
