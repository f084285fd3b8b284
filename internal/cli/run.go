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
// returns "" for unset.
func (o *RunOptions) settings(get func(name string) string) error {
	var err error
	s := func(name string) setting { return setting{name, get(name)} }
	if o.Concurrency, err = s("concurrency").count(4, 1, 64); err != nil {
		return err
	}
	if o.AppTimeout, err = s("app-timeout").duration(20 * time.Minute); err != nil {
		return err
	}
	if o.AppTimeout == 0 {
		return configErrorf("app-timeout: must be more than 0")
	}
	p := outcome.DefaultPolicy
	if p.Retries, err = s("retries").count(p.Retries, 0, 10); err != nil {
		return err
	}
	if p.RetryDelay, err = s("retry-delay").duration(p.RetryDelay); err != nil {
		return err
	}
	if p.ProvisioningRetries, err = s("provisioning-retries").count(p.ProvisioningRetries, 0, 10); err != nil {
		return err
	}
	if p.ProvisioningRetryDelay, err = s("provisioning-retry-delay").duration(0); err != nil {
		return err
	}
	o.Policy = p
	if o.UpdateEvery, err = s("update-interval").duration(5 * time.Second); err != nil {
		return err
	}
	if o.FailOn, err = s("fail-on").oneOf("failure", "failure", "never"); err != nil {
		return err
	}
	if o.Region, err = s("region").oneOf("us", "us", "eu"); err != nil {
		return err
	}
	o.Shard = get("shard")
	if _, _, err := parseShard(o.Shard); err != nil {
		return err
	}
	return nil
}

func runCmd(ctx context.Context, args []string, d Deps) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	vals := map[string]*string{}
	for _, name := range []string{"wizard-command", "wizard", "wizard-ref", "wizard-repository", "wizard-build-command",
		"workbench", "concurrency", "out", "shard", "fail-on",
		"region", "app-timeout", "retries", "retry-delay", "provisioning-retries", "provisioning-retry-delay", "update-interval"} {
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
		return &usageError{"--wizard=simulate and --wizard-command cannot be used together"}
	case w == simulate:
		o.WizardCommand = simulate
	case w != "":
		return &usageError{fmt.Sprintf("--wizard: %q is not a wizard source; the only value is simulate (or use --wizard-command CMD)", w)}
	}
	if o.WizardCommand != "" && (o.WizardRef != "" || o.WizardRepository != "" || o.WizardBuildCommand != "") {
		return &usageError{"--wizard-ref, --wizard-repository and --wizard-build-command build the wizard from source; " +
			"they cannot be used with --wizard-command or --wizard=simulate"}
	}
	if err := o.settings(get); err != nil {
		return err
	}
	if len(pos) == 0 {
		return &usageError{"run needs at least one target (for example: wizard-ci run all --wizard=simulate)"}
	}
	if err := o.checkWizardSource("--wizard-ref", "--wizard-repository"); err != nil {
		return err
	}
	if o.WizardCommand == simulate && o.APIKey == "" {
		o.APIKey = simulatorKey
	}
	if o.WizardCommand != simulate && o.APIKey == "" {
		return configErrorf("no PostHog key: set POSTHOG_WIZARD_API_KEY (nothing was run)\nTo try the flow without a key: wizard-ci run --wizard=simulate %s", strings.Join(pos, " "))
	}
	wb, err := loadWorkbench(o.Workbench)
	if err != nil {
		return err
	}
	program, targets, err := mergeTargets(pos, wb.IsProgram)
	if err != nil {
		return err
	}
	o.Targets = targets
	apps, err := wb.Select(targets, false)
	if err != nil {
		return configErrorf("%s", describeSelectError(err, "terminal"))
	}
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

// exitFor maps a finished run to its exit code (SPEC §7, §8). A merged
// report with missing shards failed like an app that did not succeed.
func exitFor(r *results.Results, failOn string) error {
	if r.Run.Error != "" {
		return &exitError{ExitConfig}
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

func loadWorkbench(dir string) (*workbench.Workbench, error) {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return nil, configErrorf("workbench: %q is not a folder; pass --workbench DIR (the folder holding %s)", dir, workbench.ConfigFile)
	}
	wb, err := workbench.Load(os.DirFS(dir))
	if err != nil {
		return nil, configErrorf("workbench %s: %v", dir, err)
	}
	return wb, nil
}

// shardApps keeps the apps of shard i/n: the i-th of every n apps in path
// order, so every leg computes the same split without talking to the others.
func shardApps(apps []workbench.App, shard string) ([]workbench.App, error) {
	i, n, err := parseShard(shard)
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
			m.res.Apps[i].Reason = "not run: the wizard could not be started"
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
	// The final update must go out even when the run was cancelled: give it
	// its own short deadline instead of the cancelled context.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
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
	c := *pe
	c.Fix += ", or try the flow with: wizard-ci run --wizard=simulate " + strings.Join(o.Targets, " ")
	return &c
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
			return configErrorf("%s: %q is not owner/name (for example %s)", repoName, o.WizardRepository, wizard.DefaultRepository)
		}
	}
	for _, ref := range []string{o.WizardRef, o.WizardRefDefault} {
		if ref == "" {
			continue
		}
		if err := slash.ValidateRef(ref); err != nil {
			return configErrorf("%s: %v. %s", refName, err, slash.RefHint)
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
