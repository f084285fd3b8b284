package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/agnivade/levenshtein"

	"github.com/posthog/wizard-ci/internal/checks"
	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/publish"
	"github.com/posthog/wizard-ci/internal/report"
	"github.com/posthog/wizard-ci/internal/results"
	"github.com/posthog/wizard-ci/internal/runner"
	"github.com/posthog/wizard-ci/internal/secrets"
	"github.com/posthog/wizard-ci/internal/slash"
	"github.com/posthog/wizard-ci/internal/wizard"
	"github.com/posthog/wizard-ci/internal/workbench"
)

// simulate is the wizard-command value that selects the built-in simulator.
const simulate = "simulate"

// simulatorKey stands in for a PostHog key when simulating without one: the
// simulator, like the wizard, refuses to start without a key.
const simulatorKey = "phx_simulated_key_not_a_secret"

// RunOptions is everything one run needs. `run` fills it from flags and
// `action` from INPUT_* variables; both then call execute.
type RunOptions struct {
	Workbench     string
	Targets       []string
	WizardCommand string // "simulate" selects the simulator; "" builds the wizard from source
	WizardRef     string // wizard:<ref> from a comment (or --wizard-ref)
	Region        string
	APIKey        string
	Concurrency   int
	AppTimeout    time.Duration
	Policy        outcome.Policy
	UpdateEvery   time.Duration
	OutDir        string
	Shard         string
	Selected      int // apps the targets selected before the split, recorded on a leg
	FailOn        string
	// CIOnly refuses categories CI may not run even when named (the action).
	CIOnly bool
	// TryCommand is the command line that tries this run with the
	// simulator, suggested when the real wizard cannot run ("" in the action).
	TryCommand string

	RunID      string
	PR         int
	HeadSHA    string
	Repository string
	RunURL     string
	// Previous links the results comment this run reruns.
	Previous string
	// Secrets are masked everywhere besides the API key.
	Secrets []string
	// HeadNow, when set, reads the PR head again as the run ends, so the
	// final report can say the head moved (SPEC §3) in its one final write.
	HeadNow func(ctx context.Context) (string, error)

	// Building the wizard from source (SPEC §4), when WizardCommand is "".
	WizardRepository   string // owner/name; "" is PostHog/wizard
	WizardRefDefault   string // the wizard-ref input; "" is the PR head in the wizard's own repository, else main
	WizardBuildCommand string // run with sh -c; "" is wizard.DefaultBuildCommand
	ServerURL          string // GITHUB_SERVER_URL, where the wizard is cloned from
	GitToken           string // sent to git as an HTTP header for ServerURL only
}

// settings reads the options shared by flags and inputs from get, which
// returns "" for unset; label names an option in messages as the user
// wrote it (the flag or the input).
func (o *RunOptions) settings(get, label func(name string) string) error {
	var err error
	s := func(name string) setting { return setting{label(name), get(name)} }
	if o.Concurrency, err = s("concurrency").count(4, 1, 64); err != nil {
		return err
	}
	if o.AppTimeout, err = s("app-timeout").duration(20*time.Minute, true, "20m"); err != nil {
		return err
	}
	p := outcome.DefaultPolicy
	if p.Retries, err = s("retries").count(p.Retries, 0, 10); err != nil {
		return err
	}
	if p.RetryDelay, err = s("retry-delay").duration(p.RetryDelay, false, "30s"); err != nil {
		return err
	}
	if p.ProvisioningRetries, err = s("provisioning-retries").count(p.ProvisioningRetries, 0, 10); err != nil {
		return err
	}
	if p.ProvisioningRetryDelay, err = s("provisioning-retry-delay").duration(0, false, "2m"); err != nil {
		return err
	}
	o.Policy = p
	if o.UpdateEvery, err = s("update-interval").duration(5*time.Second, false, "5s"); err != nil {
		return err
	}
	if o.FailOn, err = s("fail-on").oneOf("failure", "failure", "never"); err != nil {
		return err
	}
	if o.Region, err = s("region").oneOf("us", "us", "eu"); err != nil {
		return err
	}
	o.Shard = get("shard")
	if _, _, err := parseShard(label("shard"), o.Shard); err != nil {
		return err
	}
	return nil
}

// runFlags are the flags of `run`; its help names every one.
var runFlags = []string{"wizard-command", "wizard", "wizard-ref", "wizard-repository", "wizard-build-command",
	"workbench", "program", "concurrency", "out", "shard", "fail-on",
	"region", "app-timeout", "retries", "retry-delay", "provisioning-retries", "provisioning-retry-delay", "update-interval"}

func runCmd(ctx context.Context, args []string, d Deps) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	vals := map[string]*string{}
	for _, name := range runFlags {
		vals[name] = fs.String(name, "", "")
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	get := func(name string) string { return strings.TrimSpace(*vals[name]) }
	o := RunOptions{
		Workbench:     firstNonEmpty(get("workbench"), "workbench"),
		OutDir:        firstNonEmpty(get("out"), "wizard-ci-out"),
		WizardCommand: get("wizard-command"),
		APIKey:        d.Getenv("POSTHOG_WIZARD_API_KEY"),
		RunID:         d.NewID(),

		WizardRef:          get("wizard-ref"),
		WizardRepository:   get("wizard-repository"),
		WizardBuildCommand: get("wizard-build-command"),
		ServerURL:          d.Getenv("GITHUB_SERVER_URL"),
		GitToken:           d.Getenv("GITHUB_TOKEN"),
	}
	if o.GitToken != "" {
		o.Secrets = append(o.Secrets, o.GitToken, wizard.GitAuthSecret(o.GitToken))
	}
	switch w := get("wizard"); {
	case w == simulate && o.WizardCommand != "":
		return &usageError{"--wizard=simulate and --wizard-command cannot be used together", "run"}
	case w == simulate:
		o.WizardCommand = simulate
	case w != "":
		return &usageError{fmt.Sprintf("--wizard: %s is not a wizard source; the only value is simulate (or use --wizard-command CMD)", quoted(w)), "run"}
	}
	if o.WizardCommand != "" && (o.WizardRef != "" || o.WizardRepository != "" || o.WizardBuildCommand != "") {
		return &usageError{"--wizard-ref, --wizard-repository and --wizard-build-command build the wizard from source; " +
			"they cannot be used with --wizard-command or --wizard=simulate", "run"}
	}
	if err := o.settings(get, flagName); err != nil {
		return err
	}
	if len(pos) == 0 {
		return &usageError{"run needs at least one target (for example: wizard-ci run all --wizard=simulate)", "run"}
	}
	if err := o.checkWizardSource("--wizard-ref", "--wizard-repository"); err != nil {
		return err
	}
	wb, err := loadWorkbench(o.Workbench, false, d.warnf)
	if err != nil {
		return err
	}
	targets, err := cliTargets(pos, argTargets("run"))
	if err != nil {
		return err
	}
	program := get("program")
	if program != "" && !wb.IsProgram(program) {
		return unknownProgram(wb, o.Workbench, program)
	}
	o.Targets = targets
	apps, err := wb.Select(targets, false)
	if err != nil {
		return configErrorf("%s", describeSelectError(err, "terminal"))
	}
	// Every selected app, not only this shard's: each leg then fails alike.
	if err := workbench.CheckExpects(o.Workbench, apps); err != nil {
		return configErrorf("%v", err)
	}
	// The key is checked last, so the command suggested without one is
	// built from arguments that are known to work.
	o.TryCommand = simulateCommand(o.Workbench, program, targets)
	if o.WizardCommand == simulate && o.APIKey == "" {
		o.APIKey = simulatorKey
	}
	if o.WizardCommand != simulate && o.APIKey == "" {
		return configErrorf("no PostHog key: set POSTHOG_WIZARD_API_KEY (nothing was run)\nTo try the flow without a key: %s", o.TryCommand)
	}
	warnScenario(d, &o, apps)
	o.Selected = len(apps)
	if apps, err = shardApps(apps, o.Shard); err != nil {
		return err
	}
	term := newTerminal(d, o.Policy)
	res, err := execute(ctx, &o, d, wb, program, apps, term)
	if res != nil {
		fmt.Fprintln(d.Stdout, textTable(res))
		if results.Written(err, results.JSONFile) {
			fmt.Fprintf(d.Stdout, "\nresults: %s\n", filepath.Join(o.OutDir, results.JSONFile))
		}
	}
	if err != nil {
		return err
	}
	return exitFor(res, o.FailOn)
}

// unknownProgram is the error for a --program that is not a category of
// the workbench: the closest categories, then all of them.
func unknownProgram(wb *workbench.Workbench, dir, name string) error {
	var names []string
	for _, c := range wb.Categories {
		names = append(names, c.Name)
	}
	msg := fmt.Sprintf("--program: %s is not a category of %s", quoted(name), filepath.Join(dir, workbench.ConfigFile))
	if close := closestNames(name, names); len(close) > 0 {
		var q []string
		for _, c := range close {
			q = append(q, fmt.Sprintf("%q", c))
		}
		msg += "; did you mean " + orList(q) + "?"
	}
	return configErrorf("%s (the categories are %s)", msg, strings.Join(names, ", "))
}

// closestNames returns the names within a small edit distance of name (or
// that contain it, from 3 letters), closest first, ties in list order.
func closestNames(name string, names []string) []string {
	type cand struct {
		name string
		dist int
	}
	low := strings.ToLower(name)
	limit := max(2, len([]rune(low))/3)
	var cands []cand
	for _, n := range names {
		d := levenshtein.ComputeDistance(low, strings.ToLower(n))
		if len([]rune(low)) >= 3 && strings.Contains(strings.ToLower(n), low) {
			d = min(d, 1)
		}
		if d <= limit && d < len([]rune(low)) {
			cands = append(cands, cand{n, d})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].dist < cands[j].dist })
	var out []string
	for _, c := range cands {
		out = append(out, c.name)
	}
	return out
}

// flagName is how the command line names option name.
func flagName(name string) string { return "--" + name }

// warnScenario warns, before the run, about every WIZARD_CI_SIMULATE rule
// that plays for none of the selected apps (all of them, before sharding,
// so each leg of a sharded run says the same): a mistyped glob would
// otherwise be silently ignored. A scenario that does not parse is left to
// resolveWizard, which makes it the run's configuration error.
func warnScenario(d Deps, o *RunOptions, apps []workbench.App) {
	if o.WizardCommand != simulate {
		return
	}
	sc, err := wizard.ParseScenario(d.Getenv(wizard.ScenarioEnv))
	if err != nil {
		return
	}
	paths := make([]string, len(apps))
	for i, a := range apps {
		paths[i] = a.Path
	}
	unmatched, shadowed := sc.Unused(paths)
	for _, r := range unmatched {
		fmt.Fprintf(d.Stderr, "wizard-ci: warning: the %s rule %s matches no selected app, so it never plays; "+
			"a glob matches an app's path or one of its folders, e.g. basic-integration/* (see wizard-ci list)\n",
			wizard.ScenarioEnv, quoted(r.String()))
	}
	for _, r := range shadowed {
		fmt.Fprintf(d.Stderr, "wizard-ci: warning: the %s rule %s never plays: an earlier rule takes every selected app it matches "+
			"(the first matching rule wins; put narrower globs first)\n", wizard.ScenarioEnv, quoted(r.String()))
	}
}

// exitFor maps a finished run to its exit code (SPEC §7, §8). A merged
// report with missing shards failed like an app that did not succeed. A run
// stopped before its first app is a configuration error, said on stderr
// too (the table on stdout says it as well, but may go to a file).
func exitFor(r *results.Results, failOn string) error {
	if r.Run.Error != "" {
		return configErrorf("stopped before the first app: %s", report.PlainLines(r.Run.Error))
	}
	if failOn == "never" {
		return nil
	}
	if len(r.Run.MissingShards) > 0 {
		return &exitError{ExitFailed}
	}
	for _, a := range r.Apps {
		if a.Outcome != outcome.Success {
			return &exitError{ExitFailed}
		}
	}
	return nil
}

func firstNonEmpty(a ...string) string {
	for _, s := range a {
		if s != "" {
			return s
		}
	}
	return ""
}

// loadWorkbench loads the workbench in dir, which came from the
// --workbench flag or, with fromInput, from the action's workbench input,
// and warns about its top-level folders that wizard-ci.yml does not name:
// SPEC §10 reports them and never runs them.
func loadWorkbench(dir string, fromInput bool, warnf func(format string, args ...any)) (*workbench.Workbench, error) {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		if fromInput {
			return nil, configErrorf("workbench: %s is not a folder; set the workbench input (INPUT_WORKBENCH) to the folder holding %s, relative to the workspace",
				quoted(dir), workbench.ConfigFile)
		}
		return nil, configErrorf("--workbench: %s is not a folder; pass --workbench DIR (the folder holding %s)", quoted(dir), workbench.ConfigFile)
	}
	wb, err := workbench.LoadDir(dir)
	if err != nil {
		return nil, configErrorf("%v", err)
	}
	if n := len(wb.Unlisted); n > 0 {
		q := make([]string, n)
		for i, u := range wb.Unlisted {
			q[i] = fmt.Sprintf("%q", u)
		}
		file := filepath.Join(dir, workbench.ConfigFile)
		if n == 1 {
			warnf("the top-level folder %s is not a category in %s, so nothing in it is run; "+
				"name it under categories: there, or move it out of the workbench", q[0], file)
		} else {
			warnf("the top-level folders %s are not categories in %s, so nothing in them is run; "+
				"name each under categories: there, or move them out of the workbench", strings.Join(q, ", "), file)
		}
	}
	return wb, nil
}

// shardApps keeps the apps of shard i/n: the i-th of every n apps in path
// order, so every leg computes the same split without talking to the others.
func shardApps(apps []workbench.App, shard string) ([]workbench.App, error) {
	i, n, err := parseShard("shard", shard)
	if err != nil || n == 0 {
		return apps, err
	}
	var out []workbench.App
	for k, a := range apps {
		if k%n == i-1 {
			out = append(out, a)
		}
	}
	return out, nil
}

// model is the live state of a run, shared by the runner's observer and the
// renderers.
type model struct {
	mu  sync.Mutex
	res results.Results
	idx map[string]int
}

func (m *model) update(a results.App) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if i, ok := m.idx[a.App]; ok {
		m.res.Apps[i] = a
	}
}

func (m *model) snapshot() *results.Results {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.res
	r.Apps = append([]results.App(nil), m.res.Apps...)
	r.Run.Targets = append([]string(nil), m.res.Run.Targets...)
	r.Totals = results.Tally(r.Apps)
	return &r
}

// progress is told about every app change; the terminal implements it.
type progress interface {
	app(a results.App, done, total int)
}

// execute is the one code path of `run` and `action`: resolve the wizard,
// publish the pending report, run every app, write the files, publish the
// final report. sink may be nil (terminal only).
func execute(ctx context.Context, o *RunOptions, d Deps, wb *workbench.Workbench, program string,
	apps []workbench.App, prog progress, sinks ...publish.Sink) (*results.Results, error) {
	masker := secrets.NewMasker()
	masker.Add(o.APIKey)
	for _, s := range o.Secrets {
		masker.Add(s)
	}
	m := &model{idx: map[string]int{}}
	m.res = results.Results{
		Schema: results.Schema,
		Run: results.Run{
			ID: o.RunID, Targets: o.Targets, PR: o.PR, HeadSHA: o.HeadSHA, Program: program,
			WizardRef: o.WizardRef, Repository: o.Repository, URL: o.RunURL, Shard: o.Shard,
			StartedAt: d.Clock.Now().UTC(),
		},
	}
	if o.Shard != "" {
		// So that report can tell an empty shard from a missing leg.
		m.res.Run.Selected = o.Selected
	}
	for i, a := range apps {
		m.res.Apps = append(m.res.Apps, results.App{App: a.Path, Category: a.Category, Log: results.LogName(a.Path)})
		m.idx[a.Path] = i
	}

	render := func() string {
		return report.Comment(m.snapshot(), report.CommentOptions{Previous: o.Previous, Config: configTable(o)})
	}
	// Before anything is posted or started: a run only writes into a
	// folder that is (or becomes) its own, and never into the workbench.
	if err := claimOutDir(o.OutDir, workbenchGuard(o.Workbench)); err != nil {
		return nil, err
	}
	// SPEC §6: the results comment exists, every app pending, before the
	// first wizard starts.
	var pubs []*publish.Publisher
	var publishErrs []error
	for _, s := range sinks {
		if err := s.Publish(ctx, render()); err != nil {
			publishErrs = append(publishErrs, err)
		}
		p := publish.New(s, render, d.Clock, o.UpdateEvery)
		p.Start(ctx)
		pubs = append(pubs, p)
	}

	// The wizard is resolved after the pending comment is out: building it
	// from source takes minutes, and the PR should show at once that the
	// command was taken.
	argv, src, cfgErr := resolveWizard(ctx, o, d, masker, len(apps) > 0)
	m.mu.Lock()
	m.res.Run.Wizard = src
	switch {
	case cfgErr != nil && ctx.Err() != nil:
		for i := range m.res.Apps {
			m.res.Apps[i].Outcome = outcome.Cancelled
			m.res.Apps[i].Reason = "not run: the run was cancelled while the wizard was being prepared"
			m.res.Apps[i].Log = ""
		}
	case cfgErr != nil:
		// SPEC §4: a wizard that cannot be fetched, built or started is one
		// config error for the run, not one failure per app.
		m.res.Run.Error = masker.Mask(cfgErr.Error())
		for i := range m.res.Apps {
			m.res.Apps[i].Outcome = outcome.Skipped
			m.res.Apps[i].Reason = "not run: the run stopped before the first app"
			m.res.Apps[i].Log = ""
		}
	}
	m.mu.Unlock()
	for _, p := range pubs {
		p.Changed()
	}

	if cfgErr == nil && len(apps) > 0 {
		tmp, err := os.MkdirTemp("", "wizard-ci-")
		if err != nil {
			return nil, fmt.Errorf("temporary folder: %w", err)
		}
		defer os.RemoveAll(tmp)
		root, _ := filepath.Abs(o.Workbench)
		outAbs, _ := filepath.Abs(o.OutDir)
		var doneMu sync.Mutex
		done := 0
		final := runner.Run(ctx, runner.Options{
			Root: root,
			Apps: apps,
			Argv: func(a workbench.App) []string {
				return append(append([]string(nil), argv...), subcommand(wb, a, program)...)
			},
			Region:      o.Region,
			APIKey:      o.APIKey,
			Env:         childEnv(d),
			Concurrency: o.Concurrency,
			Timeout:     o.AppTimeout,
			Policy:      o.Policy,
			OutDir:      outAbs,
			TempDir:     tmp,
			Masker:      masker,
			Check:       checks.Hook(root, checks.Options{Secrets: append([]string{o.APIKey}, o.Secrets...)}),
			Starter:     d.Starter,
			Clock:       d.Clock,
			Rand:        d.Rand,
			Observe: func(a results.App) {
				m.update(a)
				if a.Outcome != "" {
					doneMu.Lock()
					done++
					n := done
					doneMu.Unlock()
					if prog != nil {
						prog.app(a, n, len(apps))
					}
				} else if prog != nil {
					prog.app(a, -1, len(apps))
				}
				for _, p := range pubs {
					p.Changed()
				}
			},
		})
		for _, a := range final {
			m.update(a)
		}
	}
	var moved string
	if o.HeadNow != nil {
		if now, err := o.HeadNow(context.WithoutCancel(ctx)); err == nil && now != o.HeadSHA {
			moved = now
		}
	}
	m.mu.Lock()
	m.res.Run.FinishedAt = d.Clock.Now().UTC()
	m.res.Run.HeadMoved = moved
	m.mu.Unlock()

	res := m.snapshot()
	// A file that cannot be written does not stop the others, nor the
	// final report: the results are lost only where they could not go.
	var filesErr error
	if err := results.Write(o.OutDir, res, render()); err != nil {
		filesErr = &filesError{dir: o.OutDir, err: err}
	}
	// The final update must go out even when the run was cancelled: it has
	// its own deadline instead of the run's context, short after a cancel
	// (GitHub kills the job 10 s after its first signal), else long enough
	// to sit out a secondary rate limit (a minute or more) and a few 5xx.
	wait := finalUpdateWait
	if ctx.Err() != nil {
		wait = cancelledUpdateWait
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), wait)
	defer cancel()
	for _, p := range pubs {
		if err := p.Close(fctx); err != nil {
			publishErrs = append(publishErrs, err)
		}
	}
	if len(publishErrs) > 0 {
		return res, errors.Join(filesErr, &publishError{err: errors.Join(publishErrs...), filesWritten: filesErr == nil})
	}
	return res, filesErr
}

// How long the final update may take to reach GitHub: after a normal run,
// and after a cancelled one.
const (
	finalUpdateWait     = 3 * time.Minute
	cancelledUpdateWait = 5 * time.Second
)

// publishError says the run finished, but the report could not be
// delivered everywhere.
type publishError struct {
	err          error
	filesWritten bool
}

func (e *publishError) Error() string {
	if e.filesWritten {
		return "the run finished and its files are written, but the report could not be posted: " + e.err.Error()
	}
	return "the report could not be posted either: " + e.err.Error()
}
func (e *publishError) Unwrap() error { return e.err }

// filesError says the run finished, but not every file could be written
// into the output folder (the others were).
type filesError struct {
	dir string
	err error
}

func (e *filesError) Error() string {
	return fmt.Sprintf("the run finished, but not every file could be written into the output folder %s:\n%v\n"+
		"Move what is in the way, or choose another output folder, and run again", e.dir, e.err)
}
func (e *filesError) Unwrap() error { return e.err }

// subcommand is the wizard sub-command for app: the <program> of the command
// when given, else the app's own category's.
func subcommand(wb *workbench.Workbench, a workbench.App, program string) []string {
	name := a.Category
	if program != "" {
		name = program
	}
	c, _ := wb.Category(name)
	return c.Command
}

// resolveWizard finds this run's wizard (SPEC §4) — the simulator,
// wizard-command split without a shell, or the wizard built from source at
// its ref — and runs the preflight once. With prepare false (no app to
// run) it only names the source: nothing is fetched, built or started.
func resolveWizard(ctx context.Context, o *RunOptions, d Deps, masker *secrets.Masker, prepare bool) ([]string, results.Wizard, error) {
	env := childEnv(d)
	pf := &wizard.Preflight{APIKey: o.APIKey, Env: env, Runner: d.wizardExec()}
	var src results.Wizard
	switch o.WizardCommand {
	case simulate:
		// A mistyped scenario is one configuration error, not one per app.
		if _, err := wizard.ParseScenario(d.Getenv(wizard.ScenarioEnv)); err != nil {
			return nil, results.Wizard{Source: "simulate"}, err
		}
		return wizard.SimulatorArgv(d.Self), results.Wizard{Source: "simulate", Version: "simulator"}, nil
	case "":
		src.Source = "build"
		if !prepare {
			return nil, src, nil
		}
		argv, sha, err := buildWizard(ctx, o, d, masker, env)
		src.SHA = sha
		if err != nil {
			return nil, src, err
		}
		pf.Argv = argv
	default:
		src = results.Wizard{Source: "command", Command: masker.Mask(o.WizardCommand)}
		if o.WizardRef != "" {
			return nil, src, fmt.Errorf("wizard:%s asks for the wizard built from source at that ref, but this workflow runs "+
				"the wizard-command %q. Leave wizard:%s out of the command, or leave wizard-command empty to build the wizard from source",
				o.WizardRef, o.WizardCommand, o.WizardRef)
		}
		argv, err := wizard.Split(o.WizardCommand)
		if err != nil {
			return nil, src, fmt.Errorf("wizard-command: %w", err)
		}
		if !prepare {
			return argv, src, nil
		}
		pf.Argv = argv
	}
	info, err := pf.Run(ctx)
	if src.Version == "" {
		src.Version = info.Version
	}
	if err != nil {
		return nil, src, tryFlow(o, err)
	}
	fmt.Fprintf(d.Stderr, "wizard-ci: the wizard is ready: %s\n", describeWizard(src, info))
	return pf.Argv, src, nil
}

// buildWizard fetches the wizard's source at its ref, checks Node.js
// against its engines before the (slow) build, builds it once per commit
// and returns `node <dir>/dist/bin.js` and the commit SHA.
func buildWizard(ctx context.Context, o *RunOptions, d Deps, masker *secrets.Masker, env []string) ([]string, string, error) {
	repo := firstNonEmpty(o.WizardRepository, wizard.DefaultRepository)
	ref := firstNonEmpty(o.WizardRef, o.WizardRefDefault, wizard.DefaultRef(repo, o.Repository, o.HeadSHA))
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, "", tryFlow(o, &wizard.PreflightError{
			Problem: "the wizard is built from source and runs on Node.js, but node was not found on PATH",
			Fix:     "Install Node.js 22.22 or newer (and pnpm for the default wizard-build-command), or set wizard-command",
		})
	}
	log := secrets.NewWriter(masker, d.Stderr)
	defer log.Close()
	b := &wizard.Builder{
		ServerURL:  o.ServerURL,
		Repository: repo,
		Token:      o.GitToken,
		Command:    o.WizardBuildCommand,
		CacheDir:   filepath.Join(o.OutDir, wizard.CacheDir),
		Env:        env,
		Runner:     d.wizardExec(),
		Log:        log,
	}
	fmt.Fprintf(d.Stderr, "wizard-ci: fetching the wizard: %s at %s\n", repo, ref)
	co, err := b.Fetch(ctx, ref)
	if err != nil {
		return nil, "", err
	}
	if co.Built {
		fmt.Fprintf(d.Stderr, "wizard-ci: using the wizard already built for %s in %s\n", co.SHA, co.Dir)
		return co.Argv(node), co.SHA, nil
	}
	engines := wizard.DefaultNodeRange
	if pkg, err := wizard.ReadPackage(co.Dir); err == nil && strings.TrimSpace(pkg.Engines.Node) != "" {
		engines = strings.TrimSpace(pkg.Engines.Node)
	}
	if _, err := wizard.CheckNode(ctx, d.wizardExec(), node, engines, env); err != nil {
		return nil, co.SHA, tryFlow(o, err)
	}
	cmd := firstNonEmpty(o.WizardBuildCommand, wizard.DefaultBuildCommand)
	fmt.Fprintf(d.Stderr, "wizard-ci: building the wizard at %s with `%s`\n", co.SHA, cmd)
	if err := b.Build(ctx, co); err != nil {
		return nil, co.SHA, err
	}
	return co.Argv(node), co.SHA, nil
}

// tryFlow adds, on the command line, how to try the flow without the real
// wizard to a preflight failure.
func tryFlow(o *RunOptions, err error) error {
	var pe *wizard.PreflightError
	if o.CIOnly || !errors.As(err, &pe) {
		return err
	}
	if o.TryCommand == "" {
		return err
	}
	c := *pe
	c.Fix += ", or try the flow with: " + o.TryCommand
	return &c
}

// simulateCommand is `wizard-ci run --wizard=simulate` with the validated
// targets, --program and a --workbench other than the default, quoted for
// a POSIX shell where needed.
func simulateCommand(wb, program string, targets []string) string {
	args := append([]string{"wizard-ci", "run", "--wizard=simulate"}, targets...)
	if program != "" {
		args = append(args, "--program", program)
	}
	if wb != "workbench" {
		args = append(args, "--workbench", wb)
	}
	for i, a := range args {
		args[i] = shellQuote(a)
	}
	return strings.Join(args, " ")
}

// shellQuote quotes s for a POSIX shell unless it is made only of
// characters that need no quoting.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:@+,", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// describeWizard is one line about the wizard that will run.
func describeWizard(src results.Wizard, info wizard.Info) string {
	parts := []string{src.Source}
	if src.Version != "" {
		parts = append(parts, "version "+src.Version)
	}
	if src.SHA != "" {
		parts = append(parts, "commit "+src.SHA)
	}
	if info.NodeVersion != "" {
		parts = append(parts, "Node.js "+info.NodeVersion)
	}
	return strings.Join(parts, ", ")
}

// checkWizardSource validates the options that build the wizard from
// source; refName and repoName name them as the caller knows them.
func (o *RunOptions) checkWizardSource(refName, repoName string) error {
	if o.WizardRepository != "" {
		if err := wizard.ValidateRepository(o.WizardRepository); err != nil {
			return configErrorf("%s: %s is not owner/name (for example %s)", repoName, quoted(o.WizardRepository), wizard.DefaultRepository)
		}
	}
	for _, ref := range []string{o.WizardRef, o.WizardRefDefault} {
		if ref == "" {
			continue
		}
		if err := slash.ValidateRef(ref); err != nil {
			// slash words its problems for a comment (wizard:<ref>); say
			// it for the flag or the input instead.
			msg := err.Error()
			var pe *slash.ParseError
			if errors.As(err, &pe) {
				msg = plain(pe.Msg)
			}
			example := refName + ": main"
			if strings.HasPrefix(refName, "--") {
				example = refName + " main"
			}
			return configErrorf("%s: %s %s; a ref has 1–200 characters from A–Z a–z 0–9 . _ / -, "+
				"does not contain \"..\", does not start with - or /, and does not end with /, for example %s",
				refName, quoted(ref), msg, example)
		}
	}
	return nil
}

// childEnv is the wizard's environment: ours without the action's inputs and
// tokens, which the wizard has no business reading.
func childEnv(d Deps) []string {
	var env []string
	for _, kv := range d.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "INPUT_") || k == "GITHUB_TOKEN" || k == "POSTHOG_WIZARD_API_KEY" || k == "ACTIONS_RUNTIME_TOKEN" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// configTable is the short configuration table at the end of the comment.
func configTable(o *RunOptions) map[string]string {
	c := map[string]string{
		"concurrency":  fmt.Sprint(o.Concurrency),
		"app-timeout":  o.AppTimeout.String(),
		"retries":      fmt.Sprintf("%d (delay %s)", o.Policy.Retries, o.Policy.RetryDelay),
		"provisioning": fmt.Sprintf("%d retries", o.Policy.ProvisioningRetries),
		"region":       o.Region,
		"workbench":    o.Workbench,
		"fail-on":      o.FailOn,
	}
	if o.Policy.ProvisioningRetryDelay > 0 {
		c["provisioning"] += fmt.Sprintf(" (delay %s)", o.Policy.ProvisioningRetryDelay)
	} else {
		c["provisioning"] += " (advised delay, else 2m)"
	}
	if o.Shard != "" {
		c["shard"] = o.Shard
	}
	return c
}

// sortedKeys is used by renderers that need deterministic output.
func sortedKeys(m map[string]int) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}
