package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/posthog/wizard-ci/internal/ghaction"
	"github.com/posthog/wizard-ci/internal/ghapi"
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
	// Inside Actions, warnings are annotations, masked like the action's.
	a := &actionCtx{d: d, act: act, token: firstNonEmpty(act.Input("github-token"), d.Getenv("GITHUB_TOKEN"))}
	warnf := d.warnf
	if inActions {
		warnf = a.warnf
	}
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

	legs, err := findLegs(pos)
	if err != nil {
		return err
	}
	// The folders given and the legs found in them (a sub-folder may be a
	// link): the output folder must be none of them, nor hold or be inside
	// one, or the report would overwrite what it merges.
	guards := legGuards(append(append([]string(nil), legs...), pos...))
	if err := checkOutDir(out, guards...); err != nil {
		return err
	}
	rs := make([]*results.Results, len(legs))
	for i, dir := range legs {
		if rs[i], err = results.Read(dir); err != nil {
			return configErrorf("report: %v\nNothing was merged: pass only folders that `wizard-ci run` wrote, and run that leg again if its %s is damaged.", err, results.JSONFile)
		}
	}
	// A leg that crashed before its artifact was uploaded is no folder
	// here: the report must say so, not go green without its apps.
	missing, err := results.CheckShards(rs, legs)
	if err != nil {
		return configErrorf("report: %v", err)
	}
	merged, err := results.Merge(rs)
	if err != nil {
		return configErrorf("%v", err)
	}
	merged.Run.MissingShards = missingShards(merged.Run.MissingShards, missing, rs)
	if err := claimOutDir(out, guards...); err != nil {
		return err
	}
	if err := copyLogs(merged, rs, legs, out, warnf); err != nil {
		return err
	}
	body := report.Comment(merged, report.CommentOptions{Final: true})
	// Every file is tried, and the report still goes out when one fails.
	var filesErr error
	if err := results.Write(out, merged, body); err != nil {
		filesErr = &filesError{dir: out, err: err}
	}
	fmt.Fprintln(d.Stdout, textTable(merged))
	if results.Written(filesErr, results.JSONFile) {
		fmt.Fprintf(d.Stdout, "\nmerged %s into %s\n", countWord(len(legs), "leg"), filepath.Join(out, results.JSONFile))
	}

	if inActions {
		commentURL := postMerged(ctx, a, merged, body)
		if d.Getenv("GITHUB_STEP_SUMMARY") != "" {
			if err := act.AddStepSummary(report.Summary(merged)); err != nil {
				warnf("could not write the job summary: %v", err)
			}
		}
		if d.Getenv("GITHUB_OUTPUT") != "" {
			if err := a.setOutputs(runOutputs(merged, out, commentURL, filesErr)); err != nil {
				return errors.Join(filesErr, err)
			}
		}
	}
	if filesErr != nil {
		return filesErr
	}
	return exitFor(merged, failOn)
}

// missingShards is the merged report's list of missing shards: those an
// earlier merge among the legs recorded, unless a leg given now is that
// shard, and those CheckShards found, in shard order.
func missingShards(carried, found []string, rs []*results.Results) []string {
	out := slices.Clone(found)
	for _, s := range carried {
		given := slices.ContainsFunc(rs, func(r *results.Results) bool { return r.Run.Shard == s })
		if !given && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	num := func(s string) int { n, _ := strconv.Atoi(strings.Split(s, "/")[0]); return n }
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(num(a)-num(b), strings.Compare(a, b)) })
	return out
}

// findLegs expands the folders given to report: a folder holding
// results.json is one leg; any other folder stands for its sub-folders that
// hold one (as actions/download-artifact lays out several artifacts). Only
// that one level is searched, and links among the sub-folders are not
// followed. A leg given twice (or once through a link) counts once.
func findLegs(dirs []string) ([]string, error) {
	var legs []string
	seen := map[string]bool{}
	add := func(dir string) error {
		real, err := realPath(dir)
		if err != nil {
			return configErrorf("report: %v", err)
		}
		if !seen[real] {
			seen[real] = true
			legs = append(legs, dir)
		}
		return nil
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
			if err := add(dir); err != nil {
				return nil, err
			}
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
			if err := add(f); err != nil {
				return nil, err
			}
		}
	}
	return legs, nil
}

// copyLogs copies every app's log from its leg into out, so the merged
// results.json's `log` paths are valid there. A log that is missing, or
// whose path is not the one wizard-ci writes for the app, is dropped from
// the record (with a warning) rather than pointing nowhere. Legs are
// untrusted: a log is read through an os.Root of its leg, so neither its
// name nor a symlink can reach a file outside the leg.
func copyLogs(merged *results.Results, rs []*results.Results, legs []string, out string, warnf func(string, ...any)) error {
	from := map[string]int{}
	for i, r := range rs {
		for _, a := range r.Apps {
			from[a.App] = i
		}
	}
	if err := os.MkdirAll(filepath.Join(out, results.LogsDir), 0o755); err != nil {
		return configErrorf("output folder %s: %v", out, err)
	}
	dst, err := os.OpenRoot(out)
	if err != nil {
		return configErrorf("output folder %s: %v", out, err)
	}
	defer dst.Close()
	roots := make([]*os.Root, len(legs))
	defer func() {
		for _, r := range roots {
			if r != nil {
				r.Close()
			}
		}
	}()
	for i := range merged.Apps {
		a := &merged.Apps[i]
		if a.Log == "" {
			continue
		}
		if a.Log != results.LogName(a.App) {
			warnf("%s: log path %q is not %q; not copied", a.App, a.Log, results.LogName(a.App))
			a.Log = ""
			continue
		}
		leg := from[a.App]
		if roots[leg] == nil {
			if roots[leg], err = os.OpenRoot(legs[leg]); err != nil {
				return configErrorf("report: %v", err)
			}
		}
		if err := copyLog(roots[leg], dst, filepath.FromSlash(a.Log)); err != nil {
			warnf("%s: %v; its log is left out", a.App, err)
			a.Log = ""
		}
	}
	return nil
}

// copyLog copies the regular file name from one root to the same name in
// another.
func copyLog(from, to *os.Root, name string) (err error) {
	in, err := from.Open(name)
	if err != nil {
		return fmt.Errorf("read log: %w", err)
	}
	defer in.Close()
	if st, err := in.Stat(); err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("read log: %s is not a regular file", name)
	}
	o, err := to.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
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
func postMerged(ctx context.Context, a *actionCtx, merged *results.Results, body string) string {
	event := a.d.Getenv("GITHUB_EVENT_NAME")
	if merged.Run.PR == 0 && event != "schedule" && event != "workflow_dispatch" {
		return ""
	}
	if a.token == "" {
		a.warnf("the merged report was not posted: no github-token input and no GITHUB_TOKEN")
		return ""
	}
	a.act.Mask(a.token)
	repo, err := ghapi.ParseRepo(a.d.Getenv("GITHUB_REPOSITORY"))
	if err != nil {
		a.warnf("the merged report was not posted: GITHUB_REPOSITORY: %v", err)
		return ""
	}
	a.repo = repo
	if merged.Run.PR == 0 {
		a.updateTrackingIssue(ctx, merged, nil)
		return ""
	}
	gh, err := a.client()
	if err != nil {
		a.warnf("the merged report was not posted: %v", err)
		return ""
	}
	marker := report.ResultsMarker(merged.Run.ID)
	c, err := gh.UpsertComment(context.WithoutCancel(ctx), repo, merged.Run.PR, marker, body)
	if err != nil {
		a.warnf("the merged results comment was not posted: %v", err)
		return ""
	}
	return c.URL
}
