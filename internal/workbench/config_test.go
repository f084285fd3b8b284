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
	got, err := parseConfig([]byte(yml))
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
			_, err := parseConfig([]byte(tc.yml))
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
