package cli

import (
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// repoRoot is the repository root, two levels above this package.
var repoRoot = filepath.Join("..", "..")

func fixtures(parts ...string) string {
	return filepath.Join(append([]string{repoRoot, "..", "shared", "fixtures"}, parts...)...)
}

func validateYAML(t *testing.T, schemaFile, yamlFile string) {
	t.Helper()
	f, err := os.Open(fixtures("schemas", schemaFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("mem://schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("mem://schema.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(yamlFile)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("%s does not match %s:\n%v", yamlFile, schemaFile, err)
	}
}

func TestActionYMLSchema(t *testing.T) {
	validateYAML(t, "github-action.json", filepath.Join(repoRoot, "action.yml"))
}

func TestWorkflowsSchema(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(repoRoot, ".github", "workflows", "*.yml"))
	if len(files) == 0 {
		t.Fatal("no workflows found")
	}
	for _, f := range files {
		validateYAML(t, "github-workflow.json", f)
	}
}

// TestActionlint lints every workflow, including the README's example.
func TestActionlint(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(repoRoot, ".github", "workflows", "*.yml"))
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	// The README's complete workflow examples are the ```yaml blocks after
	// each "<!-- example-workflow -->" marker.
	ms := regexp.MustCompile("(?s)<!-- example-workflow -->\\s*```ya?ml\n(.*?)```").FindAllSubmatch(readme, -1)
	if ms == nil {
		t.Fatal("README.md has no example workflow block after <!-- example-workflow -->")
	}
	dir := t.TempDir()
	wf := filepath.Join(dir, ".github", "workflows")
	if err := os.MkdirAll(wf, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		example := filepath.Join(wf, fmt.Sprintf("readme-example-%d.yml", i+1))
		if err := os.WriteFile(example, m[1], 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, example)
	}
	for _, f := range files {
		l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		errs, err := l.LintFile(f, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range errs {
			t.Errorf("%s:%d:%d: %s [%s]", f, e.Line, e.Column, e.Message, e.Kind)
		}
		validateYAML(t, "github-workflow.json", f)
		b, _ := os.ReadFile(f)
		// An issue_comment workflow must not have a concurrency group: GitHub
		// keeps only one pending run per group and would drop a command.
		if strings.Contains(string(b), "concurrency:") {
			t.Errorf("%s: has a concurrency group; queued commands could be cancelled", f)
		}
	}
}

// TestActionInputsMatchCode keeps action.yml, the code and SPEC §7 in step:
// action.yml declares exactly the inputs the code honours.
func TestActionInputsMatchCode(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Inputs  map[string]any `yaml:"inputs"`
		Outputs map[string]any `yaml:"outputs"`
	}
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) []string {
		var k []string
		for s := range m {
			k = append(k, s)
		}
		slices.Sort(k)
		return k
	}
	want := slices.Sorted(slices.Values(Inputs))
	if got := keys(a.Inputs); !slices.Equal(got, want) {
		t.Errorf("action.yml inputs = %v, code honours %v", got, want)
	}
	wantOut := slices.Sorted(slices.Values(Outputs))
	if got := keys(a.Outputs); !slices.Equal(got, wantOut) {
		t.Errorf("action.yml outputs = %v, code sets %v", got, wantOut)
	}
	spec, err := os.ReadFile(filepath.Join(repoRoot, "..", "shared", "SPEC.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range Inputs {
		if !strings.Contains(string(spec), "`"+in+"`") {
			t.Errorf("input %q is not named in SPEC.md", in)
		}
	}
}

// TestWorkflowTriggersAndPermissions pins what the shipped workflow promises
// (issue #2): the four triggers, only created comments and opened/reopened
// pull requests, and the least permissions the action needs: contents: read
// for the checkout and the wizard build, pull-requests: write for comments
// and reactions on pull requests (issue comments on a PR are keyed off the
// PR), issues: write for the scheduled run's tracking issue. Nothing else.
func TestWorkflowTriggersAndPermissions(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, ".github", "workflows", "wizard-ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On          map[string]yaml.Node `yaml:"on"`
		Permissions map[string]string    `yaml:"permissions"`
		Jobs        map[string]struct {
			Permissions yaml.Node `yaml:"permissions"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatal(err)
	}
	var triggers []string
	for k := range wf.On {
		triggers = append(triggers, k)
	}
	slices.Sort(triggers)
	if want := []string{"issue_comment", "pull_request", "schedule", "workflow_dispatch"}; !slices.Equal(triggers, want) {
		t.Errorf("triggers = %v, want %v", triggers, want)
	}
	types := func(event string) []string {
		var v struct {
			Types []string `yaml:"types"`
		}
		n := wf.On[event]
		if err := n.Decode(&v); err != nil {
			t.Fatalf("on.%s: %v", event, err)
		}
		slices.Sort(v.Types)
		return v.Types
	}
	if got := types("issue_comment"); !slices.Equal(got, []string{"created"}) {
		t.Errorf("issue_comment types = %v, want [created] (edits and deletions are not commands)", got)
	}
	if got := types("pull_request"); !slices.Equal(got, []string{"opened", "reopened"}) {
		t.Errorf("pull_request types = %v, want [opened reopened] (the hint)", got)
	}
	want := map[string]string{"contents": "read", "issues": "write", "pull-requests": "write"}
	if !maps.Equal(wf.Permissions, want) {
		t.Errorf("permissions = %v, want exactly %v", wf.Permissions, want)
	}
	for name, j := range wf.Jobs {
		if !j.Permissions.IsZero() {
			t.Errorf("job %s sets its own permissions; keep the one least-privilege block at the top", name)
		}
	}
}
