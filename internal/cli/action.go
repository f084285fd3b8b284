package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/posthog/wizard-ci/internal/ghaction"
	"github.com/posthog/wizard-ci/internal/ghapi"
	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/publish"
	"github.com/posthog/wizard-ci/internal/report"
	"github.com/posthog/wizard-ci/internal/results"
	"github.com/posthog/wizard-ci/internal/secrets"
	"github.com/posthog/wizard-ci/internal/slash"
	"github.com/posthog/wizard-ci/internal/wizard"
	"github.com/posthog/wizard-ci/internal/workbench"
)

// Inputs of action.yml that this code honours (SPEC §7). A test compares
// this list with action.yml.
var Inputs = []string{
	"github-token", "workbench", "target", "wizard-repository", "wizard-ref", "wizard-build-command",
	"wizard-command", "posthog-api-key", "region",
	"concurrency", "app-timeout", "retries", "retry-delay", "provisioning-retries",
	"provisioning-retry-delay", "update-interval", "min-permission", "allow-forks",
	"report-issue", "output-dir", "fail-on", "shard",
}

// Outputs of action.yml (SPEC §7) that this code sets.
var Outputs = []string{"results-json", "total", "succeeded", "failed", "comment-url", "matrix"}

// actionCtx is one invocation of `wizard-ci action`.
type actionCtx struct {
	d     Deps
	act   *ghaction.Action
	ev    *ghaction.Event
	gh    *ghapi.Client
	repo  ghapi.Repo
	token string
}

func actionCmd(ctx context.Context, d Deps) error {
	// SPEC §7: an empty value means unset, for the runner's GITHUB_*
	// variables as for inputs; a blank one is empty too.
	getenv := d.Getenv
	d.Getenv = func(key string) string {
		if strings.HasPrefix(key, "GITHUB_") {
			return strings.TrimSpace(getenv(key))
		}
		return getenv(key)
	}
	act := ghaction.New(d.Getenv, d.Stdout)
	a := &actionCtx{d: d, act: act}
	a.token = act.Input("github-token")
	act.Mask(a.token)
	act.Mask(act.Input("posthog-api-key"))

	// A mistyped input fails every event at once, not only the one event
	// that happens to read it.
	if err := a.validateInputs(); err != nil {
		return err
	}
	// SPEC §7: the one required input. Checked before any event is read, so
	// a scheduled run cannot spend hours on the wizard and then post nothing.
	if a.token == "" {
		return errNoToken
	}

	name := d.Getenv("GITHUB_EVENT_NAME")
	if name == "" {
		return configErrorf("GITHUB_EVENT_NAME is not set: `wizard-ci action` runs as a GitHub Action step (for a local run use `wizard-ci run`)")
	}
	ev, err := ghaction.ReadEvent(name, d.Getenv("GITHUB_EVENT_PATH"))
	if err != nil {
		return configErrorf("%v", err)
	}
	a.ev = ev
	repoName := firstNonEmpty(d.Getenv("GITHUB_REPOSITORY"), ev.Repository)
	if a.repo, err = ghapi.ParseRepo(repoName); err != nil {
		return configErrorf("GITHUB_REPOSITORY: %v", err)
	}

	switch name {
	case "issue_comment":
		return a.onComment(ctx)
	case "pull_request", "pull_request_target":
		return a.onPullRequest(ctx)
	case "schedule", "workflow_dispatch":
		return a.onSchedule(ctx)
	default:
		fmt.Fprintf(d.Stderr, "wizard-ci: nothing to do for the %q event\n", name)
		return nil
	}
}

// errNoToken is a missing github-token input.
var errNoToken = configErrorf("github-token: the input is required; pass `github-token: ${{ secrets.GITHUB_TOKEN }}` under with:")

// inputName is how the action names input name in messages: as written
// under with: in the workflow.
func inputName(name string) string { return name }

// validateInputs checks the inputs that have a fixed form.
func (a *actionCtx) validateInputs() error {
	if _, err := (setting{"min-permission", a.act.Input("min-permission")}).oneOf("write", "read", "triage", "write", "maintain", "admin"); err != nil {
		return err
	}
	if _, err := (setting{"allow-forks", a.act.Input("allow-forks")}).boolean(false); err != nil {
		return err
	}
	return (&RunOptions{}).settings(a.act.Input, inputName)
}

// warnf reports a problem that does not stop the action as a warning
// annotation, which the log highlights and the run's page lists.
// go-githubactions escapes the text, so a newline or "::" in it cannot
// start a workflow command of its own; secrets are masked first, as the
// runner masks only what it was told to before.
func (a *actionCtx) warnf(format string, args ...any) {
	m := secrets.NewMasker()
	m.Add(a.token)
	m.Add(a.act.Input("posthog-api-key"))
	a.act.Warningf("%s", m.Mask(fmt.Sprintf(format, args...)))
}

func (a *actionCtx) client() (*ghapi.Client, error) {
	if a.gh != nil {
		return a.gh, nil
	}
	if a.token == "" {
		return nil, errNoToken
	}
	api := firstNonEmpty(a.d.Getenv("GITHUB_API_URL"), "https://api.github.com")
	c, err := ghapi.New(a.d.HTTPClient, api, a.token,
		ghapi.WithClock(a.d.Clock), ghapi.WithRand(a.d.Rand),
		ghapi.WithLogf(func(format string, args ...any) {
			fmt.Fprintf(a.d.Stderr, "wizard-ci: GitHub: "+format+"\n", args...)
		}))
	if err != nil {
		return nil, configErrorf("GITHUB_API_URL: %v", err)
	}
	a.gh = c
	return c, nil
}

// runOptions fills the shared options from the action's inputs.
func (a *actionCtx) runOptions() (*RunOptions, error) {
	o := &RunOptions{
		Workbench:     firstNonEmpty(a.act.Input("workbench"), "workbench"),
		OutDir:        firstNonEmpty(a.act.Input("output-dir"), "wizard-ci-out"),
		WizardCommand: a.act.Input("wizard-command"),
		APIKey:        a.act.Input("posthog-api-key"),
		CIOnly:        true,
		RunID:         firstNonEmpty(a.d.Getenv("GITHUB_RUN_ID"), a.d.NewID()),
		Repository:    a.repo.Owner + "/" + a.repo.Name,
		Secrets:       []string{a.token},

		WizardRepository:   a.act.Input("wizard-repository"),
		WizardRefDefault:   a.act.Input("wizard-ref"),
		WizardBuildCommand: a.act.Input("wizard-build-command"),
		ServerURL:          a.d.Getenv("GITHUB_SERVER_URL"),
		GitToken:           a.token,
	}
	if a.token != "" {
		o.Secrets = append(o.Secrets, wizard.GitAuthSecret(a.token))
	}
	if srv, id := a.d.Getenv("GITHUB_SERVER_URL"), a.d.Getenv("GITHUB_RUN_ID"); srv != "" && id != "" {
		o.RunURL = fmt.Sprintf("%s/%s/actions/runs/%s", strings.TrimRight(srv, "/"), o.Repository, id)
	}
	// Both folders are inside the workspace: the workbench is the checked-out
	// repository's (an absolute path would name a folder of the action's
	// image), and the output folder is the only place a container action
	// shares with the steps after it (SPEC §7).
	for _, in := range []struct{ name, dir, example string }{
		{"workbench", o.Workbench, "workbench"},
		{"output-dir", o.OutDir, "wizard-ci-out"},
	} {
		if !filepath.IsLocal(in.dir) {
			return nil, configErrorf("%s: %s must be a folder inside the workspace, given relative to it (for example %s)", in.name, quoted(in.dir), in.example)
		}
	}
	// Checked again when the run claims the folder; here, so that a refused
	// folder ends the step before the command is acknowledged.
	if err := checkOutDir(o.OutDir, workbenchGuard(o.Workbench)); err != nil {
		return nil, err
	}
	if err := o.settings(a.act.Input, inputName); err != nil {
		return nil, err
	}
	if o.WizardCommand == simulate && o.APIKey == "" {
		o.APIKey = simulatorKey
	}
	if o.WizardCommand != simulate && o.APIKey == "" {
		return nil, configErrorf("posthog-api-key: the input is empty, so the wizard cannot run; pass `posthog-api-key: ${{ secrets.POSTHOG_WIZARD_API_KEY }}` or use `wizard-command: simulate`")
	}
	if o.WizardCommand == "" {
		if err := o.checkWizardSource("wizard-ref", "wizard-repository"); err != nil {
			return nil, err
		}
	} else if o.WizardRefDefault != "" {
		// As on the command line: a ref only means something when the
		// wizard is built from source.
		return nil, configErrorf("wizard-ref: %s is set, but wizard-command (%s) runs a ready wizard; remove one of them", quoted(o.WizardRefDefault), quoted(o.WizardCommand))
	}
	return o, nil
}

// onPullRequest keeps the one hint comment of the PR up to date.
func (a *actionCtx) onPullRequest(ctx context.Context) error {
	if a.ev.PullRequest == nil {
		return configErrorf("the %s event payload (GITHUB_EVENT_PATH %s) has no pull_request object, so it is not the payload of this event; nothing was done",
			a.ev.Name, a.d.Getenv("GITHUB_EVENT_PATH"))
	}
	if a.ev.Action != "opened" && a.ev.Action != "reopened" {
		fmt.Fprintf(a.d.Stderr, "wizard-ci: nothing to do: the hint is posted when a pull request is opened or reopened, and this %s event is %q\n",
			a.ev.Name, a.ev.Action)
		return nil
	}
	wb, err := loadWorkbench(firstNonEmpty(a.act.Input("workbench"), "workbench"), true, a.warnf)
	if err != nil {
		return err
	}
	gh, err := a.client()
	if err != nil {
		return err
	}
	c, err := gh.UpsertComment(ctx, a.repo, a.ev.PullRequest.Number, report.HintMarker, report.Hint(hintCategories(wb)))
	if err != nil {
		// The reporter failing is not the run failing: an API hiccup (or a
		// fork's read-only token) must not fail the pull request's check.
		a.warnf("could not post the hint comment on pull request #%d: %v", a.ev.PullRequest.Number, err)
		return nil
	}
	return a.setOutputs(map[string]string{"comment-url": c.URL})
}

// onComment is the gate of SPEC §3, in its order: silent filters, then
// refusals that need no parse details, then command validity, then the run.
func (a *actionCtx) onComment(ctx context.Context) error {
	ev := a.ev
	if ev.Action != "created" || ev.Comment == nil || ev.Issue == nil || !ev.Issue.IsPR || ev.Comment.UserType == "Bot" {
		fmt.Fprintln(a.d.Stderr, "wizard-ci: not a new comment by a person on a pull request; nothing to do")
		return nil
	}
	cmd := slash.Parse(ev.Comment.Body)
	if cmd.Kind == slash.Ignore {
		fmt.Fprintln(a.d.Stderr, "wizard-ci: the comment holds no /wizard-ci command; nothing to do")
		return nil
	}
	gh, err := a.client()
	if err != nil {
		return err
	}
	number := ev.Issue.Number
	login := ev.Comment.Login

	pr, err := gh.PullRequest(ctx, a.repo, number)
	if err != nil {
		return a.refuse(ctx, number, fmt.Sprintf("Nothing ran: could not read pull request #%d (%s). Post the command again.", number, apiReason(err)))
	}
	if !pr.Open {
		return a.refuse(ctx, number, fmt.Sprintf("Nothing ran: pull request #%d is closed. Reopen it to run `/wizard-ci`.", number))
	}
	allowForks, err := setting{"allow-forks", a.act.Input("allow-forks")}.boolean(false)
	if err != nil {
		return err
	}
	if pr.Fork && !allowForks {
		return a.refuse(ctx, number, "Nothing ran: this pull request comes from a fork, and runs on forks are turned off "+
			"(they would build and run code from outside this repository with its secrets). "+
			"A maintainer can set `allow-forks: true` in the workflow to allow them.")
	}
	minRole, err := setting{"min-permission", a.act.Input("min-permission")}.oneOf("write", "read", "triage", "write", "maintain", "admin")
	if err != nil {
		return err
	}
	role, err := gh.Permission(ctx, a.repo, login)
	if err != nil {
		return a.refuse(ctx, number, fmt.Sprintf("Nothing ran: could not confirm @%s's access (%s), so the command was refused. Post it again.",
			mentionSafe(login), apiReason(err)))
	}
	if !ghapi.RoleAtLeast(role, minRole) {
		return a.refuse(ctx, number, fmt.Sprintf("Nothing ran: `/wizard-ci` needs `%s` access to this repository, and @%s has `%s`. "+
			"A maintainer can post the command instead.", minRole, mentionSafe(login), role))
	}

	wbDir := firstNonEmpty(a.act.Input("workbench"), "workbench")
	wb, err := loadWorkbench(wbDir, true, a.warnf)
	if err != nil {
		return err
	}
	switch cmd.Kind {
	case slash.Help:
		return a.reply(ctx, number, report.Reply(report.ReplyInput{HelpText: report.Hint(hintCategories(wb))}), "")
	case slash.RerunFailed:
		return a.rerunFailed(ctx, gh, wb, pr)
	case slash.Reply:
		var problems []string
		for _, e := range cmd.Errors {
			problems = append(problems, parseProblem(e))
		}
		// SPEC §2: one reply lists every problem, so the well-formed tokens
		// are checked against the workbench too.
		if _, targets, perrs := slash.Merge(cmd.Lines, wb.IsProgram); len(perrs) == 0 && len(targets) > 0 {
			if _, err := wb.Select(targets, true); err != nil {
				problems = append(problems, strings.Split(describeSelectError(err, "markdown"), "\n")...)
			}
		}
		return a.reply(ctx, number, report.Reply(report.ReplyInput{Consequence: "Nothing ran.", Problems: problems, Usage: true}), "confused")
	}

	program, targets, perrs := slash.Merge(cmd.Lines, wb.IsProgram)
	var problems []string
	for _, e := range perrs {
		problems = append(problems, parseProblem(e))
	}
	var apps []workbench.App
	if len(perrs) == 0 {
		if apps, err = wb.Select(targets, true); err != nil {
			problems = append(problems, strings.Split(describeSelectError(err, "markdown"), "\n")...)
		}
	}
	if len(problems) > 0 {
		return a.reply(ctx, number, report.Reply(report.ReplyInput{Consequence: "Nothing ran.", Problems: problems, Usage: true}), "confused")
	}

	return a.runCommand(ctx, gh, wb, pr, command{program: program, targets: targets, wizardRef: cmd.WizardRef, apps: apps})
}

// command is an accepted run: what to run and, for rerun-failed, the
// results comment it follows up.
type command struct {
	program   string
	targets   []string
	wizardRef string
	apps      []workbench.App
	previous  string
}

// runCommand runs an accepted command on pr with its own results comment.
func (a *actionCtx) runCommand(ctx context.Context, gh *ghapi.Client, wb *workbench.Workbench, pr *ghapi.PR, c command) error {
	ev, number := a.ev, pr.Number
	o, err := a.runOptions()
	if err != nil {
		return err
	}
	// A broken expect.yml is the repository's configuration problem, handled
	// like a broken wizard-ci.yml: before anything is posted or started.
	if err := workbench.CheckExpects(o.Workbench, c.apps); err != nil {
		return configErrorf("%v", err)
	}
	warnScenario(a.d, o, c.apps)
	o.Selected = len(c.apps)
	apps, err := shardApps(c.apps, o.Shard)
	if err != nil {
		return err
	}
	program := c.program
	o.Targets, o.PR, o.HeadSHA, o.WizardRef, o.Previous = c.targets, number, pr.HeadSHA, c.wizardRef, c.previous
	if err := gh.React(ctx, a.repo, ev.Comment.ID, "eyes"); err != nil {
		a.warnf("could not react to the comment: %v", err)
	}
	// SPEC §3: the final report says so when the PR head moved meanwhile.
	o.HeadNow = func(ctx context.Context) (string, error) {
		pr, err := gh.PullRequest(ctx, a.repo, number)
		if err != nil {
			return "", err
		}
		return pr.HeadSHA, nil
	}
	sink := gh.CommentSink(a.repo, number, report.ResultsMarker(o.RunID))
	res, runErr := execute(ctx, o, a.d, wb, program, apps, newTerminal(a.d, o.Policy), sink)
	if res != nil {
		verdict := "+1"
		if exitFor(res, "failure") != nil {
			verdict = "-1"
		}
		if err := gh.React(context.WithoutCancel(ctx), a.repo, ev.Comment.ID, verdict); err != nil {
			a.warnf("could not react to the comment: %v", err)
		}
	}
	return a.finish(res, o, sink.URL(), runErr)
}

// rerunFailed runs again the apps that did not succeed in the newest
// results comment of the PR (SPEC §2, §6). The state read back is untrusted:
// every app must still be a CI-runnable app of the workbench.
func (a *actionCtx) rerunFailed(ctx context.Context, gh *ghapi.Client, wb *workbench.Workbench, pr *ghapi.PR) error {
	number := pr.Number
	refuse := func(msg string, problems ...string) error {
		return a.reply(ctx, number, report.Reply(report.ReplyInput{Consequence: msg, Problems: problems}), "confused")
	}
	found, err := gh.FindComments(ctx, a.repo, number, resultsMarkerPrefix)
	if err != nil {
		return refuse(fmt.Sprintf("Nothing ran: could not read the comments of this pull request (%s). Post the command again.", apiReason(err)))
	}
	var prev *ghapi.Comment
	for _, c := range found { // newest first
		if _, ok := report.ParseResultsMarker(c.Body); ok {
			prev = c
			break
		}
	}
	if prev == nil {
		return refuse("Nothing ran: there is no earlier wizard-ci run on this pull request to rerun. Run `/wizard-ci <target>` first.")
	}
	st, err := report.DecodeState(prev.Body)
	switch {
	case errors.Is(err, report.ErrNoState):
		return refuse("Nothing ran: the newest results comment no longer holds its run state (it was dropped to fit GitHub's size limit), so its failed apps are unknown. Run `/wizard-ci <target>` instead.")
	case err != nil:
		return refuse("Nothing ran: the run state in the newest results comment cannot be read, so it may have been edited. Run `/wizard-ci <target>` instead.",
			codeSpan(oneLine(err.Error(), 120)))
	}
	if len(st.Failed) == 0 {
		return a.reply(ctx, number, report.Reply(report.ReplyInput{
			Consequence: "Nothing to rerun: every app of the newest run succeeded."}), "")
	}
	var paths []string
	for _, f := range st.Failed {
		paths = append(paths, f.App)
	}
	var problems []string
	if st.WizardRef != "" {
		if err := slash.ValidateRef(st.WizardRef); err != nil {
			problems = append(problems, "the recorded "+codeSpan("wizard:"+st.WizardRef)+" is not a valid ref")
		}
	}
	if st.Program != "" && !wb.IsProgram(st.Program) {
		problems = append(problems, "the recorded program "+codeSpan(st.Program)+" is not a category of the workbench")
	}
	apps, err := wb.Select(paths, true)
	if err != nil {
		problems = append(problems, strings.Split(describeSelectError(err, "markdown"), "\n")...)
	}
	for _, ap := range apps {
		if !slices.Contains(paths, ap.Path) {
			// A folder above apps is a valid target but not an app of the run.
			problems = append(problems, codeSpan(ap.Path)+" was not an app of the earlier run")
		}
	}
	if len(problems) > 0 {
		return refuse("Nothing ran: the newest results comment names apps or options that are not valid here, so it may have been edited. Run `/wizard-ci <target>` instead.", problems...)
	}
	// The apps, once each and as the workbench spells them, are the targets.
	targets := make([]string, len(apps))
	for i, ap := range apps {
		targets[i] = ap.Path
	}
	return a.runCommand(ctx, gh, wb, pr, command{
		program: st.Program, targets: targets, wizardRef: st.WizardRef, apps: apps, previous: prev.URL,
	})
}

// resultsMarkerPrefix finds every results comment, whatever its run id.
const resultsMarkerPrefix = "<!-- wizard-ci:results run="

// onSchedule runs the target input with no PR and reports to the job summary.
func (a *actionCtx) onSchedule(ctx context.Context) error {
	o, err := a.runOptions()
	if err != nil {
		return err
	}
	wb, err := loadWorkbench(o.Workbench, true, a.warnf)
	if err != nil {
		return err
	}
	tokens := strings.Fields(firstNonEmpty(a.act.Input("target"), "all"))
	// SPEC §8: every token of the input is a target, as on the command line.
	targets, err := cliTargets(tokens, inputTargets)
	if err != nil {
		return configErrorf("target: %v", err)
	}
	apps, err := wb.Select(targets, true)
	if err != nil {
		return configErrorf("target: %s", describeSelectError(err, "terminal"))
	}
	if err := workbench.CheckExpects(o.Workbench, apps); err != nil {
		return configErrorf("%v", err)
	}
	warnScenario(a.d, o, apps)
	o.Selected = len(apps)
	if apps, err = shardApps(apps, o.Shard); err != nil {
		return err
	}
	o.Targets = targets
	res, runErr := execute(ctx, o, a.d, wb, "", apps, newTerminal(a.d, o.Policy))
	// SPEC §6: a run without a PR also updates the tracking issue. A shard
	// is only part of the run: `report` updates it after the merge.
	if res != nil && o.Shard == "" {
		a.updateTrackingIssue(ctx, res, configTable(o))
	}
	return a.finish(res, o, "", runErr)
}

// runOutputs are the step outputs of a finished run (SPEC §7). results-json
// is set only when the file was written, and is relative to the workspace
// when the output folder is: the step runs in a container where the
// workspace has another absolute path than in the steps after it.
func runOutputs(res *results.Results, outDir, commentURL string, filesErr error) map[string]string {
	succeeded := results.Tally(res.Apps)[string(outcome.Success)]
	kv := map[string]string{
		"total":       strconv.Itoa(len(res.Apps)),
		"succeeded":   strconv.Itoa(succeeded),
		"failed":      strconv.Itoa(len(res.Apps) - succeeded),
		"comment-url": commentURL,
	}
	if results.Written(filesErr, results.JSONFile) {
		kv["results-json"] = filepath.Join(outDir, results.JSONFile)
	}
	return kv
}

// finish writes the job summary and outputs and picks the exit code.
func (a *actionCtx) finish(res *results.Results, o *RunOptions, commentURL string, runErr error) error {
	if res == nil {
		return runErr
	}
	fmt.Fprintln(a.d.Stderr, textTable(res))
	if a.d.Getenv("GITHUB_STEP_SUMMARY") != "" {
		if err := a.act.AddStepSummary(report.Summary(res)); err != nil {
			a.warnf("could not write the job summary: %v", err)
		}
	}
	if err := a.setOutputs(runOutputs(res, o.OutDir, commentURL, runErr)); err != nil {
		return errors.Join(runErr, err)
	}
	// Files that could not be written are a failed step whatever fail-on
	// says: what the later steps read is missing.
	var fe *filesError
	if errors.As(runErr, &fe) {
		return runErr
	}
	var pe *publishError
	if errors.As(runErr, &pe) {
		fmt.Fprintf(a.d.Stderr, "wizard-ci: %v\n", runErr)
		if code := exitFor(res, o.FailOn); code != nil {
			return code
		}
		return &exitError{ExitFailed}
	}
	if runErr != nil {
		return runErr
	}
	return exitFor(res, o.FailOn)
}

func (a *actionCtx) setOutputs(kv map[string]string) error {
	if a.d.Getenv("GITHUB_OUTPUT") == "" {
		return nil
	}
	for _, k := range Outputs {
		v, ok := kv[k]
		if !ok {
			continue
		}
		if err := a.act.SetOutput(k, v); err != nil {
			return fmt.Errorf("set output %s: %w", k, err)
		}
	}
	return nil
}

// refuse answers a command that may not run, without parse details.
func (a *actionCtx) refuse(ctx context.Context, number int, msg string) error {
	return a.reply(ctx, number, report.Reply(report.ReplyInput{Consequence: msg}), "confused")
}

// reply posts body as a new comment and reacts to the command with reaction
// (none when empty). A reply is the answer, so the exit code is 0.
func (a *actionCtx) reply(ctx context.Context, number int, body, reaction string) error {
	// Say in the log why nothing ran, even if the reply cannot be posted.
	// The text echoes the comment; stderr is inert in a workflow step (Main),
	// so it cannot issue a workflow command.
	fmt.Fprintf(a.d.Stderr, "wizard-ci: %s\n", oneLine(report.StripMarkers(body), 400))
	gh, err := a.client()
	if err != nil {
		return err
	}
	if reaction != "" && a.ev.Comment != nil {
		if err := gh.React(ctx, a.repo, a.ev.Comment.ID, reaction); err != nil {
			a.warnf("could not react to the comment: %v", err)
		}
	}
	if _, err := gh.CreateComment(ctx, a.repo, number, body); err != nil {
		return fmt.Errorf("post the reply: %w", err)
	}
	fmt.Fprintln(a.d.Stderr, "wizard-ci: replied on the pull request; nothing ran")
	return nil
}

// The results comment is published through ghapi's sink.
var _ publish.Sink = (*ghapi.CommentSink)(nil)

func parseProblem(e *slash.ParseError) string {
	s := codeSpan(e.Token) + ": " + e.Msg
	if e.Token == "" {
		s = e.Msg
	}
	if e.Hint != "" {
		s += ". " + e.Hint
	}
	return s
}

func codeSpan(s string) string { return report.Code(s) }

// mentionSafe keeps a login from becoming a mention loop or breaking Markdown.
func mentionSafe(login string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '[' || r == ']' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return -1
	}, login)
}

// apiReason words an API error for a reply without leaking details.
func apiReason(err error) string {
	if code := ghapi.StatusCode(err); code != 0 {
		return fmt.Sprintf("GitHub answered %d", code)
	}
	if ghapi.Unanswered(err) {
		return "GitHub could not be reached"
	}
	return "GitHub's answer could not be read"
}

// hintCategories lists the CI-capable targets of each category for the hint.
func hintCategories(wb *workbench.Workbench) []report.HintCategory {
	targets := wb.Targets(true)
	var out []report.HintCategory
	for _, c := range wb.Categories {
		if !c.CI {
			continue
		}
		h := report.HintCategory{Name: c.Name, Label: c.Label}
		for _, t := range targets {
			if strings.HasPrefix(t, c.Name+"/") {
				h.Targets = append(h.Targets, t)
			}
		}
		if len(h.Targets) == 0 {
			continue // nothing to run: never advertise it
		}
		out = append(out, h)
	}
	return out
}
