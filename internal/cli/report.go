package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/posthog/wizard-ci/internal/ghaction"
	"github.com/posthog/wizard-ci/internal/ghapi"
	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/report"
	"github.com/posthog/wizard-ci/internal/results"
)

// reportCmd merges the output folders of a sharded run's legs into one
// results.json, junit.xml and comment.md in --out (logs copied, so every
// `log` path stays valid), prints the table and exits like `run` (SPEC §8).
// Inside GitHub Actions it also writes the job summary and the outputs,
// and posts: the results comment of the PR the legs ran for, or the
// tracking issue for scheduled and manual runs.
func reportCmd(ctx context.Context, args []string, d Deps) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	outFlag := fs.String("out", "", "")
	failFlag := fs.String("fail-on", "", "")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return &usageError{"report needs at least one results folder (for example: wizard-ci report legs/1 legs/2 --out wizard-ci-out)", "report"}
	}
	inActions := d.Getenv("GITHUB_ACTIONS") == "true"
	act := ghaction.New(d.Getenv, d.Stdout)
	input := func(name string) string {
		if inActions {
			return act.Input(name)
		}
		return ""
	}
	out := firstNonEmpty(strings.TrimSpace(*outFlag), input("output-dir"), "wizard-ci-out")
	fail := setting{"--fail-on", strings.TrimSpace(*failFlag)}
	if fail.raw == "" {
		fail = setting{"fail-on", input("fail-on")}
	}
	failOn, err := fail.oneOf("failure", "failure", "never")
	if err != nil {
		return err
	}

	legs, err := findLegs(pos, out)
	if err != nil {
		return err
	}
	rs := make([]*results.Results, len(legs))
	for i, dir := range legs {
		if rs[i], err = results.Read(dir); err != nil {
			return configErrorf("%v", err)
		}
	}
	merged, err := results.Merge(rs)
	if err != nil {
		return configErrorf("%v", err)
	}
	if err := copyLogs(merged, rs, legs, out, d); err != nil {
		return err
	}
	if err := results.Write(out, merged); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	body := report.Comment(merged, report.CommentOptions{Final: true})
	if err := os.WriteFile(filepath.Join(out, results.CommentFile), []byte(body), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", results.CommentFile, err)
	}
	fmt.Fprintln(d.Stdout, textTable(merged))
	fmt.Fprintf(d.Stdout, "\nmerged %s into %s\n", countWord(len(legs), "leg"), filepath.Join(out, results.JSONFile))

	if inActions {
		commentURL := postMerged(ctx, d, act, merged, body)
		if d.Getenv("GITHUB_STEP_SUMMARY") != "" {
			if err := act.AddStepSummary(report.Summary(merged)); err != nil {
				fmt.Fprintf(d.Stderr, "wizard-ci: warning: could not write the job summary: %v\n", err)
			}
		}
		if d.Getenv("GITHUB_OUTPUT") != "" {
			succeeded := results.Tally(merged.Apps)[string(outcome.Success)]
			abs, _ := filepath.Abs(filepath.Join(out, results.JSONFile))
			a := &actionCtx{d: d, act: act}
			if err := a.setOutputs(map[string]string{
				"results-json": abs,
				"total":        strconv.Itoa(len(merged.Apps)),
				"succeeded":    strconv.Itoa(succeeded),
				"failed":       strconv.Itoa(len(merged.Apps) - succeeded),
				"comment-url":  commentURL,
			}); err != nil {
				return err
			}
		}
	}
	return exitFor(merged, failOn)
}

// findLegs expands the folders given to report: a folder holding
// results.json is one leg; any other folder stands for its sub-folders that
// hold one (as actions/download-artifact lays out several artifacts). The
// output folder itself is never a leg, so a report can be run again.
func findLegs(dirs []string, out string) ([]string, error) {
	outAbs, _ := filepath.Abs(out)
	var legs []string
	seen := map[string]bool{}
	add := func(dir string) {
		abs, _ := filepath.Abs(dir)
		if abs == outAbs || seen[abs] {
			return
		}
		seen[abs] = true
		legs = append(legs, dir)
	}
	hasResults := func(dir string) bool {
		st, err := os.Stat(filepath.Join(dir, results.JSONFile))
		return err == nil && st.Mode().IsRegular()
	}
	for _, dir := range dirs {
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() {
			return nil, configErrorf("report: %s is not a folder; pass the output folders of the legs (each holding %s)", quoted(dir), results.JSONFile)
		}
		if hasResults(dir) {
			add(dir)
			continue
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, configErrorf("report: %v", err)
		}
		var found []string
		for _, e := range entries {
			if sub := filepath.Join(dir, e.Name()); e.IsDir() && hasResults(sub) {
				found = append(found, sub)
			}
		}
		if len(found) == 0 {
			return nil, configErrorf("report: %s holds no %s, and none of its sub-folders does", quoted(dir), results.JSONFile)
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	if len(legs) == 0 {
		return nil, configErrorf("report: no results folder to merge besides the output folder %s", quoted(out))
	}
	return legs, nil
}

// copyLogs copies every app's log from its leg into out, so the merged
// results.json's `log` paths are valid there. A log that is missing, or
// whose path is not the one wizard-ci writes for the app, is dropped from
// the record (with a warning) rather than pointing nowhere.
func copyLogs(merged *results.Results, rs []*results.Results, legs []string, out string, d Deps) error {
	from := map[string]string{}
	for i, r := range rs {
		for _, a := range r.Apps {
			from[a.App] = legs[i]
		}
	}
	if err := os.MkdirAll(filepath.Join(out, results.LogsDir), 0o755); err != nil {
		return configErrorf("output folder %s: %v", out, err)
	}
	for i := range merged.Apps {
		a := &merged.Apps[i]
		if a.Log == "" {
			continue
		}
		if a.Log != results.LogName(a.App) {
			fmt.Fprintf(d.Stderr, "wizard-ci: warning: %s: log path %q is not %q; not copied\n", a.App, a.Log, results.LogName(a.App))
			a.Log = ""
			continue
		}
		src := filepath.Join(from[a.App], filepath.FromSlash(a.Log))
		dst := filepath.Join(out, filepath.FromSlash(a.Log))
		if err := copyFile(src, dst); err != nil {
			fmt.Fprintf(d.Stderr, "wizard-ci: warning: %s: %v; its log is left out\n", a.App, err)
			a.Log = ""
		}
	}
	return nil
}

func copyFile(src, dst string) (err error) {
	sa, _ := filepath.Abs(src)
	da, _ := filepath.Abs(dst)
	if sa == da {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("read log: %w", err)
	}
	defer in.Close()
	if st, err := in.Stat(); err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("read log: %s is not a regular file", src)
	}
	o, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("write log: %w", err)
	}
	defer func() {
		if cerr := o.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write log: %w", cerr)
		}
	}()
	if _, err := io.Copy(o, in); err != nil {
		return fmt.Errorf("copy log: %w", err)
	}
	return nil
}

// postMerged posts the merged report inside GitHub Actions: the results
// comment when the legs ran for a PR, else the tracking issue on schedule
// and manual runs. It needs a token (the github-token input when run as the
// action, else GITHUB_TOKEN). Problems are warnings: the files stand. It
// returns the comment's URL, if one was posted.
func postMerged(ctx context.Context, d Deps, act *ghaction.Action, merged *results.Results, body string) string {
	event := d.Getenv("GITHUB_EVENT_NAME")
	if merged.Run.PR == 0 && event != "schedule" && event != "workflow_dispatch" {
		return ""
	}
	token := firstNonEmpty(act.Input("github-token"), d.Getenv("GITHUB_TOKEN"))
	if token == "" {
		fmt.Fprintln(d.Stderr, "wizard-ci: the merged report was not posted: no github-token input and no GITHUB_TOKEN")
		return ""
	}
	act.Mask(token)
	a := &actionCtx{d: d, act: act, token: token}
	repo, err := ghapi.ParseRepo(d.Getenv("GITHUB_REPOSITORY"))
	if err != nil {
		fmt.Fprintf(d.Stderr, "wizard-ci: warning: the merged report was not posted: GITHUB_REPOSITORY: %v\n", err)
		return ""
	}
	a.repo = repo
	if merged.Run.PR == 0 {
		a.updateTrackingIssue(ctx, merged, nil)
		return ""
	}
	gh, err := a.client()
	if err != nil {
		fmt.Fprintf(d.Stderr, "wizard-ci: warning: the merged report was not posted: %v\n", err)
		return ""
	}
	marker := report.ResultsMarker(merged.Run.ID)
	c, err := gh.UpsertComment(context.WithoutCancel(ctx), repo, merged.Run.PR, marker, body)
	if err != nil {
		fmt.Fprintf(d.Stderr, "wizard-ci: warning: the merged results comment was not posted: %v\n", err)
		return ""
	}
	return c.URL
}
