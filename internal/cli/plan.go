package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/posthog/wizard-ci/internal/ghaction"
	"github.com/posthog/wizard-ci/internal/workbench"
)

// Matrix is what `plan` prints: a GitHub Actions matrix with one entry per
// leg (SPEC §8).
type Matrix struct {
	Include []Leg `json:"include"`
}

// Leg is one shard of a planned run: run it with `run --shard <Shard>` and
// the same targets, or with `run <Apps…>`.
type Leg struct {
	Shard string   `json:"shard"`
	Apps  []string `json:"apps"`
}

// planMatrix splits apps into n shards with shardApps, the function `run
// --shard` uses, so a leg always runs exactly the apps its entry lists.
//
// Shards that would be empty (more shards than apps) are left out, so no
// runner starts for nothing; the listed shards keep their i/n names, and
// `run --shard i/n` of a left-out shard is still valid and runs no app. At
// least the first shard is always listed: GitHub refuses an empty matrix.
func planMatrix(apps []workbench.App, n int) (Matrix, error) {
	if n < 1 || n > maxShards {
		return Matrix{}, configErrorf("shards: %d is not a whole number from 1 to %d", n, maxShards)
	}
	m := Matrix{Include: []Leg{}}
	for i := 1; i <= n; i++ {
		shard := fmt.Sprintf("%d/%d", i, n)
		part, err := shardApps(apps, shard)
		if err != nil {
			return Matrix{}, err
		}
		if len(part) == 0 && i > 1 {
			continue
		}
		leg := Leg{Shard: shard, Apps: []string{}}
		for _, a := range part {
			leg.Apps = append(leg.Apps, a.Path)
		}
		m.Include = append(m.Include, leg)
	}
	return m, nil
}

// maxShards is the most shards parseShard accepts (and GitHub's limit of
// 256 jobs per matrix).
const maxShards = 256

// planCmd prints the matrix JSON on one line and, inside GitHub Actions,
// also sets the `matrix` output.
func planCmd(args []string, d Deps) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	dir := fs.String("workbench", "", "")
	shards := fs.String("shards", "", "")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return &usageError{"plan needs at least one target (for example: wizard-ci plan all --shards 4)", "plan"}
	}
	if strings.TrimSpace(*shards) == "" {
		return &usageError{"plan needs --shards N (1 to 256)", "plan"}
	}
	n, err := setting{"--shards", strings.TrimSpace(*shards)}.count(0, 1, maxShards)
	if err != nil {
		return err
	}
	inActions := d.Getenv("GITHUB_ACTIONS") == "true"
	wbDir := strings.TrimSpace(*dir)
	fromInput := false
	if wbDir == "" && inActions {
		// Run as the action (`with: args: plan …`): honour its workbench input.
		wbDir = ghaction.New(d.Getenv, d.Stdout).Input("workbench")
		fromInput = wbDir != ""
	}
	wb, err := loadWorkbench(firstNonEmpty(wbDir, "workbench"), fromInput, d.warnf)
	if err != nil {
		return err
	}
	// The same resolution as `run`, so `run --shard i/n <targets>` selects
	// the same apps before it splits them.
	targets, err := cliTargets(pos, argTargets("plan"))
	if err != nil {
		return err
	}
	apps, err := wb.Select(targets, false)
	if err != nil {
		return configErrorf("%s", describeSelectError(err, "terminal"))
	}
	m, err := planMatrix(apps, n)
	if err != nil {
		return err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode the matrix: %w", err)
	}
	fmt.Fprintln(d.Stdout, string(b))
	if inActions && d.Getenv("GITHUB_OUTPUT") != "" {
		if err := ghaction.New(d.Getenv, d.Stdout).SetOutput("matrix", string(b)); err != nil {
			return fmt.Errorf("set output matrix: %w", err)
		}
	}
	return nil
}
