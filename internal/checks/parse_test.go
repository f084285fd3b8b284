package checks

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMatchGlob(t *testing.T) {
	t.Parallel()
	tests := []struct {
		glob, name string
		want       bool
	}{
		{"index.js", "index.js", true},
		{"index.js", "src/index.js", false},
		{"*.py", "app.py", true},
		{"*.py", "pkg/app.py", false},
		{"src/**/*.jsx", "src/main.jsx", true},
		{"src/**/*.jsx", "src/a/b/c.jsx", true},
		{"src/**/*.jsx", "lib/main.jsx", false},
		{"app/**/*.tsx", "app/page.tsx", true},
		{"**/settings.py", "mysite/settings.py", true},
		{"**", "any/thing.txt", true},
		{"mysite/*.py", "mysite/urls.py", true},
		{"mysite/*.py", "mysite/sub/urls.py", false},
		{"./index.js", "index.js", true},
	}
	for _, tc := range tests {
		if got := matchGlob(tc.glob, tc.name); got != tc.want {
			t.Errorf("matchGlob(%q, %q) = %v, want %v", tc.glob, tc.name, got, tc.want)
		}
	}
}

// TestCaptureCalls pins what counts as capturing an event, language by
// language.
func TestCaptureCalls(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want bool // "todo created" is captured
	}{
		{"js", `posthog.capture("todo created", { id: 1 });`, true},
		{"js single quotes", `posthog.capture('todo created')`, true},
		{"js template", "posthog?.capture(`todo created`)", true},
		{"js object", "client.capture({\n  distinctId: 'u',\n  event: 'todo created',\n  properties: { a: (1) },\n});", true},
		{"window", `window.posthog.capture("todo created")`, true},
		{"python kwargs", `posthog.capture(distinct_id="u", event="todo created")`, true},
		{"python positional", `posthog.capture("todo created", distinct_id=user.id)`, true},
		{"python old order", `posthog.capture(user.id, 'todo created', {'a': 1})`, true},
		{"ruby parens", `posthog.capture({distinct_id: 'u', event: 'todo created'})`, true},
		{"ruby no parens", `posthog.capture distinct_id: 'u', event: 'todo created'`, true},
		{"php", `PostHog::capture(['distinctId' => 'u', 'event' => 'todo created']);`, true},
		{"go", "client.Enqueue(posthog.Capture{\n\tDistinctId: \"u\",\n\tEvent: \"todo created\",\n})", true},
		{"java", `posthog.capture("u", "todo created");`, true},
		{"swift", `PostHogSDK.shared.capture("todo created")`, true},
		{"dart", `Posthog().capture(eventName: 'todo created');`, true},
		{"rust", `let event = Event::new("todo created", "u");`, true},
		{"another event", `posthog.capture("todo deleted")`, false},
		{"longer name", `posthog.capture("todo created twice")`, false},
		{"variable", `const name = "todo created"; posthog.capture(name)`, false},
		{"not a capture", `Sentry.captureException("todo created")`, false},
		{"line comment", `// posthog.capture("todo created")`, false},
		{"python comment", `    # posthog.capture("todo created")`, false},
		{"html comment", `<!-- posthog.capture("todo created") -->`, false},
		{"block comment line", " * posthog.capture(\"todo created\")", false},
		{"name after the call", "posthog.capture(\"other\");\nlog(\"todo created\");", false},
	}
	for _, tc := range tests {
		if got := captures(captureCalls(tc.src), "todo created"); got != tc.want {
			t.Errorf("%s: captured = %v, want %v\n%s", tc.name, got, tc.want, tc.src)
		}
	}
}

func TestHasInit(t *testing.T) {
	t.Parallel()
	yes := []string{
		`posthog.init("phc", { api_host: "https://us.i.posthog.com" })`,
		`const client = new PostHog(process.env.KEY)`,
		`<PostHogProvider apiKey={key}>`,
		`posthog = Posthog(os.environ["KEY"], host=HOST)`,
		`posthog.api_key = settings.POSTHOG_KEY`,
		`posthog.project_api_key = "x"`,
		`$client = new PostHog\Client(); PostHog::init($key, ['host' => $host]);`,
		`posthog = PostHog::Client.new({api_key: ENV["K"]})`,
		`client, _ := posthog.NewWithConfig(key, posthog.Config{})`,
		`PostHogAndroid.setup(this, config)`,
		`PostHogSDK.shared.setup(config)`,
		`let client = posthog_rs::client(key);`,
		`"sourcemaps": "posthog-cli sourcemap upload --directory dist"`,
	}
	for _, s := range yes {
		if !hasInit(s) {
			t.Errorf("hasInit(%q) = false", s)
		}
	}
	no := []string{
		`import posthog from "posthog-js"`,
		`from posthog import Posthog`,
		`posthog.capture("x")`,
		`// posthog.init(key)`,
		`# posthog = Posthog(key)`,
		`["init", "capture"].forEach(function (m) {})`,
	}
	for _, s := range no {
		if hasInit(s) {
			t.Errorf("hasInit(%q) = true", s)
		}
	}
}

// TestDependencies pins how each manifest lists its packages.
func TestDependencies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		src  string
		want []string
	}{
		{"package.json", `{"dependencies":{"posthog-js":"^1"},"devDependencies":{"@posthog/cli":"1"},"peerDependencies":{"react":"*"},"scripts":{"x":"posthog-node"}}`,
			[]string{"@posthog/cli", "posthog-js", "react"}},
		{"composer.json", `{"require":{"php":">=8.1","posthog/posthog-php":"^3"}}`, []string{"php", "posthog/posthog-php"}},
		{"requirements.txt", "# analytics\nflask==3.1\nposthog[sentry]>=6.0 ; python_version>'3.9'\n-r base.txt\nDjango  # web\n",
			[]string{"flask", "posthog", "Django"}},
		{"requirements/prod.txt", "posthog\n", []string{"posthog"}},
		{"pyproject.toml", "[build-system]\nrequires = [\"setuptools\"]\n\n[project]\nname = \"jot\"\ndescription = \"uses posthog\"\ndependencies = [\n    \"posthog>=6.0.0\", # analytics\n    \"click[extra]\",\n]\n\n[project.optional-dependencies]\ndev = [\"pytest\"]\n",
			[]string{"posthog", "click", "pytest"}},
		{"pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.11\"\nposthog = \"^6.0.0\"\n\n[tool.poetry.group.dev.dependencies]\nruff = \"*\"\n",
			[]string{"python", "posthog", "ruff"}},
		{"Pipfile", "[packages]\nposthog = \"*\"\n\n[requires]\npython_version = \"3.11\"\n", []string{"posthog"}},
		{"setup.py", "setup(name='x', install_requires=['posthog>=6', \"requests\"])\n", []string{"posthog", "requests"}},
		{"Gemfile", "source 'https://rubygems.org'\ngem 'rails', '~> 8'\ngem \"posthog-ruby\"\n", []string{"rails", "posthog-ruby"}},
		{"app.gemspec", "spec.add_dependency 'posthog-ruby', '~> 3'\n", []string{"posthog-ruby"}},
		{"go.mod", "module x\n\ngo 1.22\n\nrequire github.com/posthog/posthog-go v1.5.0\n\nrequire (\n\tgolang.org/x/net v0.1.0 // indirect\n)\n",
			[]string{"github.com/posthog/posthog-go", "golang.org/x/net"}},
		{"build.gradle.kts", "dependencies {\n    implementation(\"com.posthog:posthog-android:3.+\")\n}\n", []string{"com.posthog:posthog-android"}},
		{"gradle/libs.versions.toml", "[libraries]\nposthog = { module = \"com.posthog:posthog-android\", version.ref = \"ph\" }\n", []string{"com.posthog:posthog-android"}},
		{"Package.swift", `dependencies: [.package(url: "https://github.com/PostHog/posthog-ios.git", from: "3.0.0")]`, []string{"posthog-ios"}},
		{"Podfile", "pod 'PostHog', '~> 3.0'\n", []string{"PostHog"}},
		{"pubspec.yaml", "name: app\ndependencies:\n  flutter:\n    sdk: flutter\n  posthog_flutter: ^4.0.0\n", []string{"flutter", "posthog_flutter"}},
		{"Cargo.toml", "[package]\nname = \"x\"\n\n[dependencies]\nserde = \"1\"\n\n[dependencies.posthog-rs]\nversion = \"0.3\"\n", []string{"serde", "posthog-rs"}},
	}
	for _, tc := range tests {
		m, ok := manifestFor(tc.file)
		if !ok {
			t.Errorf("%s is not a manifest", tc.file)
			continue
		}
		got, err := m.parse(tc.src)
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		sort.Strings(got)
		want := append([]string(nil), tc.want...)
		sort.Strings(want)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.file, d)
		}
	}
	if _, err := manifests[0].parse(`{"dependencies": {`); err == nil {
		t.Error("broken package.json: no error")
	}
}

func TestFindSecrets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want []string // what, in order
	}{
		{"personal key", `KEY = "phx_Ab3dEf5hIj7lMn9pQr1tUv3xYz5"`, []string{"a PostHog personal API key (phx_…)"}},
		{"project token", `posthog.init("phc_Ab3dEf5hIj7lMn9pQr1tUv3xYz5")`, []string{"a PostHog project token (phc_…)"}},
		{"github", "token: ghp_Ab3dEf5hIj7lMn9pQr1tUv3xYz5Ab3dEf5hI", []string{"a GitHub token (ghp_…)"}},
		{"github pat", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop", []string{"a GitHub fine-grained token (github_pat_…)"}},
		{"anthropic", "ANTHROPIC_API_KEY=sk-ant-api03-Ab3dEf5hIj7lMn9pQr1tUv3x", []string{"an Anthropic API key (sk-ant-…)"}},
		{"aws", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", []string{"an AWS access key id"}},
		{"configured", `const k = "my-configured-secret-value";`, []string{"the PostHog key or another secret wizard-ci was given"}},
		{"placeholders", "phc_your_project_token phx_... phc_XXXXXXXXXXXXXXXXXXXXXXXX sk-ant-xxx AKIA12", nil},
		{"prose", "set POSTHOG_PERSONAL_API_KEY to your phx_ key", nil},
		{"configured and shaped once", `"phx_Ab3dEf5hIj7lMn9pQr1tUv3xYz5"`, []string{"a PostHog personal API key (phx_…)"}},
	}
	for _, tc := range tests {
		var got []string
		for _, l := range findSecrets(tc.src, []string{"my-configured-secret-value", "phx_Ab3dEf5hIj7lMn9pQr1tUv3xYz5"}) {
			got = append(got, l.what)
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
}

func TestParseEvents(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	got, err := parseEvents([]byte(`[
		{"event_name": "a", "event_description": "x", "file": "./src/a.js"},
		{"name": "b", "file": "src\\b.js"},
		{"event": "c", "file": "`+filepath.ToSlash(filepath.Join(root, "c.py"))+`"},
		{"event_name": "", "name": "d"},
		{"event_name": "e"}
	]`), root)
	if err != nil {
		t.Fatal(err)
	}
	want := []plannedEvent{{"a", "src/a.js"}, {"b", "src/b.js"}, {"c", "c.py"}, {"d", ""}, {"e", ""}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	for _, bad := range []string{`{"events": []}`, `[{"file": "a.js"}]`, `not json`, `["a"]`} {
		if _, err := parseEvents([]byte(bad), root); err == nil {
			t.Errorf("parseEvents(%s): no error", bad)
		}
	}
}

// writeFiles writes files (slash paths) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDotenvFile(t *testing.T) {
	for rel, want := range map[string]bool{
		".env": true, ".env.local": true, ".env.production.local": true, "apps/web/.env.development": true,
		".env.example": false, ".env.Sample": false, ".env.template": false, "config/.env.dist": false,
		".env.": false, ".envrc": false, "env": false, "x.env": false, ".env/secret": false, "src/index.js": false,
	} {
		if got := dotenvFile(rel); got != want {
			t.Errorf("dotenvFile(%q) = %v, want %v", rel, got, want)
		}
	}
}
