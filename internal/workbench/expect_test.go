package workbench

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseExpect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		yaml     string
		want     Expect
		wantLine int    // >0: a *ConfigError on this line
		wantMsg  string // substring of the error
	}{
		{name: "full", yaml: `sdk: posthog-node
init: [index.js, "src/**/*.js"]
events: [todo created, todo completed]
check: [node, --check, index.js]
allow-project-token: true
`, want: Expect{SDK: "posthog-node", Init: []string{"index.js", "src/**/*.js"}, Events: []string{"todo created", "todo completed"},
			Check: []string{"node", "--check", "index.js"}, AllowProjectToken: true}},
		{name: "empty", yaml: ""},
		{name: "comments only", yaml: "# nothing to expect\n"},
		{name: "nulls", yaml: "sdk:\ninit:\nevents:\ncheck:\nallow-project-token:\n"},
		{name: "empty lists", yaml: "events: []\ninit: []\n"},
		{name: "unknown key", yaml: "sdk: posthog\nevent: [a]\n", wantLine: 2, wantMsg: `unknown key "event"`},
		{name: "wrong type", yaml: "sdk: posthog\ncheck: node --check index.js\n", wantLine: 2, wantMsg: "check must be a list"},
		{name: "bool as string", yaml: "allow-project-token: \"yes\"\n", wantLine: 1, wantMsg: "true or false"},
		{name: "number item", yaml: "events:\n  - ok\n  - 12\n", wantLine: 3, wantMsg: "must be strings"},
		{name: "empty item", yaml: "events: [\"\"]\n", wantLine: 1, wantMsg: "empty item"},
		{name: "duplicate", yaml: "sdk: a\nsdk: b\n", wantLine: 2, wantMsg: "already defined on line 1"},
		{name: "empty sdk", yaml: "sdk: \"\"\n", wantLine: 1, wantMsg: "sdk must be a package name"},
		{name: "absolute glob", yaml: "init: [/etc/passwd]\n", wantLine: 1, wantMsg: "relative to the app"},
		{name: "escaping glob", yaml: "init:\n  - ok.js\n  - ../x.js\n", wantLine: 3, wantMsg: "cannot leave"},
		{name: "bad glob", yaml: "init: [\"[\"]\n", wantLine: 1, wantMsg: "not a valid glob"},
		{name: "not a mapping", yaml: "- a\n", wantLine: 1, wantMsg: "top level must be a mapping"},
		{name: "invalid yaml", yaml: "sdk: [\n", wantMsg: "invalid YAML"},
		{name: "escape in sdk", yaml: "sdk: \"posthog-node\\u001b[31m\\u001b]0;PWN\\u0007\"\n", wantLine: 1, wantMsg: "sdk: control characters are not allowed"},
		{name: "escape in an event", yaml: "events:\n  - ok\n  - \"bad\\u001b[2J\"\n", wantLine: 3, wantMsg: "events: control characters are not allowed"},
		{name: "tab in a check argument", yaml: "check: [node, \"--check\\tindex.js\"]\n", wantLine: 1, wantMsg: "check: control characters are not allowed"},
		{name: "two documents", yaml: "sdk: a\n---\nsdk: b\n", wantLine: 2, wantMsg: "second YAML document"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseExpect([]byte(tc.yaml))
			if tc.wantMsg == "" {
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("(-want +got):\n%s", d)
				}
				return
			}
			var xe *ConfigError
			if !errors.As(err, &xe) {
				t.Fatalf("error %v, want a *ConfigError", err)
			}
			if !strings.Contains(xe.Msg, tc.wantMsg) || tc.wantLine > 0 && xe.Line != tc.wantLine {
				t.Errorf("error %q (line %d), want line %d and %q", xe.Error(), xe.Line, tc.wantLine, tc.wantMsg)
			}
			if !strings.HasPrefix(err.Error(), ExpectFile) {
				t.Errorf("error %q does not name %s", err, ExpectFile)
			}
		})
	}
}

func TestLoadExpect(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if x, err := LoadExpect(dir); err != nil || !cmp.Equal(x, Expect{}) {
		t.Errorf("no file: %+v, %v; want the zero Expect", x, err)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".wizard-ci"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(ExpectFile)), []byte("sdk: posthog\nbogus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadExpect(dir)
	if err == nil || !strings.Contains(err.Error(), ExpectFile+":2:") {
		t.Errorf("err = %v, want one naming %s:2", err, ExpectFile)
	}
}

// TestCheckExpects: every broken expect.yml of the selected apps is listed,
// each by its path and line; apps not selected are not read.
func TestCheckExpects(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	files := map[string]string{
		"c/good/" + ExpectFile:        "sdk: posthog-node\n",
		"c/tab/" + ExpectFile:         "sdk: posthog-node\ninit:\n\t- index.js\n",
		"c/unknown/" + ExpectFile:     "sdk: posthog-node\nevent: [a]\n",
		"c/init-string/" + ExpectFile: "init: server.js\n",
		"c/maybe/" + ExpectFile:       "allow-project-token: maybe\n",
		"c/unselected/" + ExpectFile:  "bogus: 1\n",
		"c/none/package.json":         "{}",
	}
	for rel, body := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A folder where the file should be cannot be read.
	if err := os.MkdirAll(filepath.Join(root, "c", "folder", filepath.FromSlash(ExpectFile)), 0o755); err != nil {
		t.Fatal(err)
	}
	var apps []App
	for _, a := range []string{"folder", "good", "init-string", "maybe", "none", "tab", "unknown"} {
		apps = append(apps, App{Path: "c/" + a, Category: "c"})
	}
	if err := CheckExpects(root, apps[1:2]); err != nil {
		t.Errorf("good app: %v", err)
	}
	err := CheckExpects(root, apps)
	var xe *ExpectError
	if !errors.As(err, &xe) {
		t.Fatalf("error %v (%T), want *ExpectError", err, err)
	}
	file := func(app string) string { return filepath.Join(root, "c", app, filepath.FromSlash(ExpectFile)) }
	want := []string{
		file("folder") + ": cannot be read: is a directory",
		file("init-string") + `:1: init must be a list such as [index.js], got the string "server.js"`,
		file("maybe") + `:1: allow-project-token must be true or false, got the string "maybe"`,
		file("tab") + ":3: invalid YAML",
		file("unknown") + `:2: unknown key "event"`,
	}
	if len(xe.Problems) != len(want) {
		t.Fatalf("%d problems, want %d:\n%v", len(xe.Problems), len(want), err)
	}
	for i, w := range want {
		if got := xe.Problems[i].Error(); !strings.HasPrefix(got, w) {
			t.Errorf("problem %d:\n got %s\nwant %s…", i+1, got, w)
		}
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "nothing was run: the expect.yml of 5 apps cannot be used") || strings.Count(msg, "\n") != 5 ||
		strings.Contains(msg, "unselected") {
		t.Errorf("message:\n%s", msg)
	}
}
