package workbench

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestParseConfig(t *testing.T) {
	t.Parallel()
	const yml = `# comment
categories:
  zeta:
    label: Zeta apps
    command: [revenue-analytics]
    ci: true
  alpha:
    label: "Error tracking: upload source maps"
    command: [upload-source-maps, --debug]
    ci: false
  bare:
    ci: true
  anchored: &base
    label: Anchored
    ci: true
  aliased: *base
`
	got, _, err := parseConfig([]byte(yml))
	if err != nil {
		t.Fatal(err)
	}
	want := []Category{ // config file order, not sorted
		{Name: "zeta", Label: "Zeta apps", Command: []string{"revenue-analytics"}, CI: true},
		{Name: "alpha", Label: "Error tracking: upload source maps", Command: []string{"upload-source-maps", "--debug"}},
		{Name: "bare", Label: "bare", Command: []string{}, CI: true},
		{Name: "anchored", Label: "Anchored", Command: []string{}, CI: true},
		{Name: "aliased", Label: "Anchored", Command: []string{}, CI: true},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("categories (-want +got):\n%s", d)
	}
}

func TestParseConfigErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yml  string
		line int
		msg  string // substring of the message
	}{
		{"empty file", "", 0, "empty"},
		{"only a comment", "# nothing\n", 0, "empty"},
		{"unknown top key", "categories:\n  a:\n    ci: true\nextra: 1\n", 4, `unknown key "extra" at the top level`},
		{"missing categories", "# c\n{}\n", 2, "missing key categories"},
		{"top level is a list", "- a\n- b\n", 1, "top level must be a mapping"},
		{"categories is a list", "categories:\n  - basic\n", 2, "categories must be a mapping"},
		{"categories is empty", "categories: {}\n", 1, "categories is empty"},
		{"unknown category key", "categories:\n  a:\n    label: A\n    cli: true\n", 4, `unknown key "cli" in category "a"`},
		{"ci is a string", "categories:\n  a:\n    label: A\n    ci: \"true\"\n", 4, `a.ci must be true or false, got the string "true"`},
		{"ci yes is not yaml 1.2 bool", "categories:\n  a:\n    ci: yes\n", 3, "a.ci must be true or false"},
		{"command is a scalar", "categories:\n  rev:\n    command: revenue-analytics\n", 3, "rev.command must be a list"},
		{"command item is a number", "categories:\n  rev:\n    command:\n      - ok\n      - 42\n", 5, "rev.command item must be a string, got a number (42)"},
		{"command word with a space", "categories:\n  rev:\n    command: [\"revenue analytics\"]\n", 3, "one non-empty word"},
		{"label is a list", "categories:\n  a:\n    label: [x]\n", 3, "a.label must be a string, got a list"},
		{"label is a number", "categories:\n  a:\n    label: 2024\n", 3, "quote it"},
		{"label is empty", "categories:\n  a:\n    label: \"\"\n", 3, "a.label is empty"},
		{"category without settings", "categories:\n  a:\n", 2, `category "a" has no settings`},
		{"category is a scalar", "categories:\n  a: yes\n", 2, `category "a" must be a mapping`},
		{"duplicate category", "categories:\n  a:\n    ci: true\n  b:\n    ci: true\n  a:\n    ci: false\n", 6, `key "a" is already defined on line 2`},
		{"duplicate setting", "categories:\n  a:\n    ci: true\n    ci: false\n", 4, `key "ci" is already defined on line 3`},
		{"name with a slash", "categories:\n  basic/next:\n    ci: true\n", 2, "cannot contain a slash"},
		{"dot name", "categories:\n  .hidden:\n    ci: true\n", 2, "dot"},
		{"node_modules name", "categories:\n  node_modules:\n    ci: true\n", 2, "never searched"},
		{"reserved all", "categories:\n  all:\n    ci: true\n", 2, "word of the /wizard-ci command"},
		{"name with a space", "categories:\n  \"my apps\":\n    ci: true\n", 2, "spaces"},
		{"merge key", "categories:\n  a:\n    <<: {ci: true}\n", 3, "keys must be plain names"},
		{"tab indentation", "categories:\n\tbasic:\n    ci: true\n", 2, "holds a tab"},
		{"unterminated string", "categories:\n  a:\n    label: \"oops\n", 3, "invalid YAML"},
		{"second document", "categories:\n  a:\n    ci: true\n---\ncategories: {}\n", 4, "second YAML document"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := parseConfig([]byte(tc.yml))
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error = %v (%T), want *ConfigError", err, err)
			}
			if ce.File != ConfigFile || ce.Line != tc.line || !strings.Contains(ce.Msg, tc.msg) {
				t.Errorf("got %s:%d: %s\nwant %s:%d: …%s…", ce.File, ce.Line, ce.Msg, ConfigFile, tc.line, tc.msg)
			}
		})
	}
}

func TestConfigErrorString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  ConfigError
		want string
	}{
		{ConfigError{File: "wizard-ci.yml", Line: 7, Msg: "unknown key \"cli\""}, `wizard-ci.yml:7: unknown key "cli"`},
		{ConfigError{File: "wizard-ci.yml", Msg: "the file is empty"}, "wizard-ci.yml: the file is empty"},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	t.Run("missing config", func(t *testing.T) {
		t.Parallel()
		_, err := Load(fstest.MapFS{"basic-integration/app/package.json": {}})
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "wizard-ci.yml not found at the root") {
			t.Errorf("error = %v, want a not-exist error naming wizard-ci.yml", err)
		}
	})
	t.Run("missing config on disk names the path", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "workbench")
		_, err := LoadDir(dir)
		want := filepath.Join(dir, ConfigFile) + " does not exist"
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), want) {
			t.Errorf("error = %v, want it to say %q", err, want)
		}
	})
	t.Run("config error on disk names the path", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte("categories:\n  a:\n    lable: A\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadDir(dir)
		want := filepath.Join(dir, ConfigFile) + `:3: unknown key "lable" in category "a"`
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error = %v, want prefix %q", err, want)
		}
	})
	t.Run("config is a folder", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, ConfigFile), 0o755); err != nil {
			t.Fatal(err)
		}
		_, err := LoadDir(dir)
		want := filepath.Join(dir, ConfigFile) + ": is a folder; the workbench config must be a YAML file"
		if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Count(err.Error(), ConfigFile) != 1 {
			t.Errorf("error = %v, want prefix %q naming the file once", err, want)
		}
	})
	t.Run("app path with a space", func(t *testing.T) {
		t.Parallel()
		_, err := Load(fstest.MapFS{
			ConfigFile:                         {Data: []byte("categories:\n  b:\n    ci: true\n")},
			"b/my app/package.json":            {},
			"b/fine/package.json":              {},
			"b/fine/node_modules/x y/index.js": {},
		})
		if err == nil || !strings.Contains(err.Error(), `"b/my app"`) {
			t.Errorf("error = %v, want one naming the folder", err)
		}
	})
}

// TestLoadCategoryWithoutFolder: a category is a top-level folder, so one
// without its folder (a typo, most often) is a configuration error on its
// line, suggesting the unlisted folder it was meant to name. An empty
// folder is a category without apps, which is fine (TestLoad).
func TestLoadCategoryWithoutFolder(t *testing.T) {
	t.Parallel()
	const cfg = "categories:\n  basic-integraton:\n    ci: true\n  revenue:\n    ci: true\n  Misc:\n    ci: true\n"
	tests := []struct {
		name string
		fsys fstest.MapFS
		want []string // one line of the error each, in order
	}{
		{"typo with a close folder", fstest.MapFS{
			ConfigFile:                           {Data: []byte("categories:\n  basic-integraton:\n    ci: true\n")},
			"basic-integration/app/package.json": {},
			"zzz/app/package.json":               {},
		}, []string{`wizard-ci.yml:2: category "basic-integraton" has no folder: there is no folder basic-integraton/ in the workbench (did you mean "basic-integration"?); name the category after its top-level folder, or create the folder`}},
		{"nothing close", fstest.MapFS{
			ConfigFile:             {Data: []byte("# cats\ncategories:\n  revenue:\n    ci: true\n")},
			"zzz/app/package.json": {},
		}, []string{`wizard-ci.yml:3: category "revenue" has no folder: there is no folder revenue/ in the workbench; name the category`}},
		{"a file of that name", fstest.MapFS{
			ConfigFile: {Data: []byte("categories:\n  revenue:\n    ci: true\n")},
			"revenue":  {Data: []byte("not a folder")},
		}, []string{`wizard-ci.yml:2: category "revenue" has no folder: revenue is a file, not a folder;`}},
		{"every missing category, and case counts", fstest.MapFS{
			ConfigFile:                           {Data: []byte(cfg)},
			"basic-integration/app/package.json": {},
			"misc/app/package.json":              {},
		}, []string{
			`wizard-ci.yml:2: category "basic-integraton" has no folder: there is no folder basic-integraton/ in the workbench (did you mean "basic-integration"?)`,
			`wizard-ci.yml:4: category "revenue" has no folder: there is no folder revenue/ in the workbench; name`,
			`wizard-ci.yml:6: category "Misc" has no folder: there is no folder Misc/ in the workbench (did you mean "misc"?)`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w, err := Load(tc.fsys)
			if w != nil || err == nil {
				t.Fatalf("Load = %+v, %v; want a configuration error", w, err)
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("error %v (%T) holds no *ConfigError", err, err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tc.want) {
				t.Fatalf("error has %d lines, want %d:\n%v", len(lines), len(tc.want), err)
			}
			for i, want := range tc.want {
				if !strings.HasPrefix(lines[i], want) {
					t.Errorf("line %d:\n got %s\nwant %s…", i+1, lines[i], want)
				}
			}
		})
	}

	t.Run("on disk, every error names the path", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadDir(dir)
		if err == nil {
			t.Fatal("no error")
		}
		for i, l := range strings.Split(err.Error(), "\n") {
			if !strings.HasPrefix(l, filepath.Join(dir, ConfigFile)+":") {
				t.Errorf("line %d %q does not start with the config's path", i+1, l)
			}
		}
	})
}
