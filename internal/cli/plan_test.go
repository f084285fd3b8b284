package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/posthog/wizard-ci/internal/workbench"
)

func fakeApps(n int) []workbench.App {
	var apps []workbench.App
	for i := range n {
		apps = append(apps, workbench.App{Path: fmt.Sprintf("cat/app-%03d", i), Category: "cat"})
	}
	return apps
}

// TestPlanMatrix: every app in exactly one listed shard, each shard's apps
// exactly what `run --shard` selects, empty shards left out.
func TestPlanMatrix(t *testing.T) {
	t.Parallel()
	cases := []struct {
		apps, shards int
		wantLegs     int
	}{
		{apps: 10, shards: 1, wantLegs: 1},
		{apps: 10, shards: 3, wantLegs: 3},
		{apps: 10, shards: 10, wantLegs: 10},
		{apps: 3, shards: 8, wantLegs: 3},
		{apps: 1, shards: 256, wantLegs: 1},
		{apps: 0, shards: 4, wantLegs: 1}, // never an empty matrix
		{apps: 1000, shards: 256, wantLegs: 256},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%d apps %d shards", tc.apps, tc.shards), func(t *testing.T) {
			t.Parallel()
			apps := fakeApps(tc.apps)
			m, err := planMatrix(apps, tc.shards)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Include) != tc.wantLegs {
				t.Errorf("%d legs, want %d", len(m.Include), tc.wantLegs)
			}
			seen := map[string]string{}
			for _, leg := range m.Include {
				if !strings.HasSuffix(leg.Shard, fmt.Sprintf("/%d", tc.shards)) {
					t.Errorf("shard %q is not i/%d", leg.Shard, tc.shards)
				}
				part, err := shardApps(apps, leg.Shard)
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, a := range part {
					want = append(want, a.Path)
				}
				if diff := cmp.Diff(want, leg.Apps, cmpEmpty); diff != "" {
					t.Errorf("shard %s apps differ from run --shard (-run +plan):\n%s", leg.Shard, diff)
				}
				for _, a := range leg.Apps {
					if prev, dup := seen[a]; dup {
						t.Errorf("%s is in shard %s and %s", a, prev, leg.Shard)
					}
					seen[a] = leg.Shard
				}
			}
			if len(seen) != tc.apps {
				t.Errorf("%d apps planned, want %d", len(seen), tc.apps)
			}
		})
	}
}

var cmpEmpty = cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })

func TestPlanMatrixRefusesBadShards(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, -1, 257} {
		if _, err := planMatrix(fakeApps(3), n); err == nil {
			t.Errorf("planMatrix(%d) = nil error", n)
		}
	}
}

// TestPlanCommand runs `plan` in-process: JSON on stdout, exit codes, and
// the matrix output inside GitHub Actions.
func TestPlanCommand(t *testing.T) {
	t.Parallel()
	wb := filepath.Join(repoRoot, "workbench")
	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"ok", []string{"plan", "all", "--shards", "3", "--workbench", wb}, ExitOK, ""},
		{"flags first", []string{"plan", "--shards=2", "--workbench", wb, "basic-integration"}, ExitOK, ""},
		{"no shards", []string{"plan", "all", "--workbench", wb}, ExitConfig, "--shards"},
		{"zero shards", []string{"plan", "all", "--shards", "0", "--workbench", wb}, ExitConfig, "shards"},
		{"too many shards", []string{"plan", "all", "--shards", "257", "--workbench", wb}, ExitConfig, "shards"},
		{"no target", []string{"plan", "--shards", "2", "--workbench", wb}, ExitConfig, "target"},
		{"unknown target", []string{"plan", "nope", "--shards", "2", "--workbench", wb}, ExitConfig, "nope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runMain(t, tc.args...)
			if code != tc.wantCode || !strings.Contains(stderr, tc.wantErr) {
				t.Fatalf("exit %d, stderr %q; want %d naming %q", code, stderr, tc.wantCode, tc.wantErr)
			}
			if code != ExitOK {
				return
			}
			var m Matrix
			if err := json.Unmarshal([]byte(stdout), &m); err != nil || len(m.Include) == 0 {
				t.Errorf("stdout %q is not a matrix: %v", stdout, err)
			}
		})
	}
}

func TestPlanSetsMatrixOutputInActions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	outFile := filepath.Join(dir, "output.txt")
	env := map[string]string{
		"GITHUB_ACTIONS":  "true",
		"GITHUB_OUTPUT":   outFile,
		"INPUT_WORKBENCH": filepath.Join(repoRoot, "workbench"),
	}
	var out, errb bytes.Buffer
	d := Deps{Getenv: func(k string) string { return env[k] }, Environ: func() []string { return nil }, Stdout: &out, Stderr: &errb}
	if code := Main(context.Background(), []string{"plan", "all", "--shards", "2"}, d); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	b, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	name, rest, _ := strings.Cut(string(b), "<<")
	delim, rest, _ := strings.Cut(rest, "\n")
	value, _, _ := strings.Cut(rest, "\n"+delim+"\n")
	if name != "matrix" || value != strings.TrimSpace(out.String()) {
		t.Errorf("GITHUB_OUTPUT = %q, want matrix<<…%s", b, out.String())
	}
}
