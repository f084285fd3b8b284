package checks

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/posthog/wizard-ci/internal/results"
	"github.com/posthog/wizard-ci/internal/secrets"
	"github.com/posthog/wizard-ci/internal/workbench"
)

// Check names, as they appear in results.CheckFailure.Check.
const (
	Changed = "changed"
	SDK     = "sdk"
	Init    = "init"
	Events  = "events"
	Secrets = "secrets"
	Command = "command"
	// ExpectCheck is reported when the app's expect.yml cannot be read: a
	// problem of the workbench, not of the wizard.
	ExpectCheck = "expect"
)

// DefaultTimeout bounds the app's check command.
const DefaultTimeout = 2 * time.Minute

// maxFailuresPerCheck bounds the failures one check reports; the rest are
// counted in a last entry.
const maxFailuresPerCheck = 10

// Options configure Run.
type Options struct {
	Original string // the app in the workbench; only read
	Copy     string // the app copy the wizard worked in; only read (the check command runs there)
	Expect   workbench.Expect
	// Secrets are values that must not appear in any file (the PostHog key,
	// the GitHub token); values shorter than MinSecretLen are ignored.
	Secrets []string
	// Exec runs the check command; nil is Exec.
	Exec    ExecFunc
	Timeout time.Duration // for the check command; 0 is DefaultTimeout
}

// Run checks the app copy against the original and o.Expect and returns the
// result (never nil; Failures is never nil). It does not modify either
// folder, though the app's own check command runs in the copy.
func Run(ctx context.Context, o Options) *results.Checks {
	if o.Exec == nil {
		o.Exec = Exec
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	var configured []string
	masker := secrets.NewMasker()
	for _, s := range o.Secrets {
		if s = strings.TrimSpace(s); len(s) >= MinSecretLen {
			configured = append(configured, s)
			masker.Add(s)
		}
	}
	r := &run{o: o, configured: configured, res: &results.Checks{Failures: []results.CheckFailure{}}}

	// Nothing to judge in an untouched app: one failed check says so.
	same, err := sameTree(o.Original, o.Copy)
	r.check(Changed, func() []results.CheckFailure {
		switch {
		case err != nil:
			return []results.CheckFailure{{Check: Changed, Reason: "could not compare the app copy with the original: " + err.Error()}}
		case same:
			return []results.CheckFailure{{Check: Changed, Reason: "the wizard exited 0 but changed nothing in the app"}}
		}
		return nil
	})
	if err == nil && same {
		return r.done(masker)
	}

	r.scan()
	r.check(SDK, r.sdk)
	r.check(Init, r.init)
	r.check(Events, r.events)
	r.check(Secrets, r.secrets)
	if len(o.Expect.Check) > 0 {
		r.check(Command, func() []results.CheckFailure { return r.command(ctx) })
	}
	return r.done(masker)
}

// Hook returns the runner's Check hook (runner.Options.Check): it reads the
// expect.yml of the app in the workbench at root — never the copy's, which
// the wizard could have edited — and runs the checks on the copy in dir
// with o's Secrets, Exec and Timeout.
func Hook(root string, o Options) func(ctx context.Context, app workbench.App, dir string) *results.Checks {
	return func(ctx context.Context, app workbench.App, dir string) *results.Checks {
		orig := filepath.Join(root, filepath.FromSlash(app.Path))
		var x workbench.Expect
		err := fmt.Errorf("app path %q is not inside the workbench", app.Path)
		if filepath.IsLocal(filepath.FromSlash(app.Path)) {
			x, err = workbench.LoadExpect(orig)
		}
		if err != nil {
			return &results.Checks{Total: 1, Failures: []results.CheckFailure{{
				Check: ExpectCheck, File: workbench.ExpectFile,
				Reason: fmt.Sprintf("the workbench's expect.yml cannot be used, so nothing was checked: %v", err),
			}}}
		}
		run := o
		run.Original, run.Copy, run.Expect = orig, dir, x
		return Run(ctx, run)
	}
}

// run is one call of Run.
type run struct {
	o          Options
	configured []string
	res        *results.Checks

	files   []string            // the copy's files, sorted
	text    map[string]string   // source and manifest files that are text
	calls   map[string][]string // capture calls per source file
	planned []plannedEvent
	planErr error
}

func (r *run) check(name string, f func() []results.CheckFailure) {
	r.res.Total++
	fs := f()
	if len(fs) == 0 {
		r.res.Passed++
		return
	}
	if len(fs) > maxFailuresPerCheck {
		more := len(fs) - (maxFailuresPerCheck - 1)
		fs = append(fs[:maxFailuresPerCheck-1], results.CheckFailure{Check: name, Reason: fmt.Sprintf("and %d more", more)})
	}
	r.res.Failures = append(r.res.Failures, fs...)
}

// done masks every reason: a check command's output may quote a line that
// holds a key.
func (r *run) done(m *secrets.Masker) *results.Checks {
	for i := range r.res.Failures {
		r.res.Failures[i].Reason = m.Mask(r.res.Failures[i].Reason)
	}
	return r.res
}

// scan reads what the content checks need: the events file, then every
// text file of the copy that is source, a manifest, an init glob match or
// named in the events file.
func (r *run) scan() {
	r.text, r.calls = map[string]string{}, map[string][]string{}
	r.files, _ = listFiles(r.o.Copy, MaxFiles)
	named := map[string]bool{}
	if src, ok := readText(r.o.Copy, EventsFile); ok {
		r.planned, r.planErr = parseEvents([]byte(src), r.o.Copy)
		for _, p := range r.planned {
			named[p.File] = true
		}
	} else if _, err := os.Stat(filepath.Join(r.o.Copy, EventsFile)); err == nil {
		r.planErr = fmt.Errorf("%s could not be read as text", EventsFile)
	}
	for _, rel := range r.files {
		_, isManifest := manifestFor(rel)
		if rel == EventsFile || !(isSource(rel) || isManifest || named[rel] || r.initFile(rel)) {
			continue
		}
		src, ok := readText(r.o.Copy, rel)
		if !ok {
			continue
		}
		r.text[rel] = src
		if isSource(rel) || named[rel] {
			r.calls[rel] = captureCalls(src)
		}
	}
}

// initFile says whether rel is where expect.yml wants initialisation.
func (r *run) initFile(rel string) bool {
	for _, g := range r.o.Expect.Init {
		if matchGlob(g, rel) {
			return true
		}
	}
	return false
}

func (r *run) sdk() []results.CheckFailure {
	var deps []dependency
	var broken []results.CheckFailure
	var looked []string
	for _, rel := range r.files {
		m, ok := manifestFor(rel)
		if !ok {
			continue
		}
		src, ok := r.text[rel]
		if !ok {
			continue
		}
		looked = append(looked, rel)
		names, err := m.parse(src)
		if err != nil {
			// Broken by the wizard, unless the original was broken too.
			if orig, ok := readText(r.o.Original, rel); !ok || func() bool { _, e := m.parse(orig); return e == nil }() {
				broken = append(broken, results.CheckFailure{Check: SDK, File: rel, Reason: "the wizard left the manifest broken: " + err.Error()})
			}
			continue
		}
		for _, n := range names {
			deps = append(deps, dependency{eco: m.eco, name: normalize(m.eco, n), file: rel})
		}
	}
	for _, d := range deps {
		if isSDK(r.o.Expect.SDK, d) {
			return broken
		}
	}
	if len(looked) == 0 {
		return append(broken, results.CheckFailure{Check: SDK,
			Reason: "the app has no dependency manifest (package.json, requirements.txt, pyproject.toml, Gemfile, composer.json, go.mod, …), so no SDK was added"})
	}
	want := r.o.Expect.SDK
	if want == "" {
		var ecos []string
		seen := map[ecosystem]bool{}
		for _, rel := range looked {
			m, _ := manifestFor(rel)
			if !seen[m.eco] {
				seen[m.eco] = true
				ecos = append(ecos, defaultSDK[m.eco].suggest)
			}
		}
		want = "a PostHog SDK (" + strings.Join(ecos, "; ") + ")"
	}
	return append(broken, results.CheckFailure{Check: SDK, File: looked[0],
		Reason: fmt.Sprintf("%s is not a dependency in %s", want, strings.Join(looked, ", "))})
}

func (r *run) init() []results.CheckFailure {
	var where []string
	for _, rel := range r.files {
		if len(r.o.Expect.Init) > 0 && !r.initFile(rel) || len(r.o.Expect.Init) == 0 && !isSource(rel) {
			continue
		}
		where = append(where, rel)
		if src, ok := r.text[rel]; ok && hasInit(src) {
			return nil
		}
	}
	const how = "posthog.init(…), new PostHog(…), Posthog(…), …"
	if len(r.o.Expect.Init) == 0 {
		return []results.CheckFailure{{Check: Init, Reason: fmt.Sprintf("no PostHog initialisation (%s) in any source file", how)}}
	}
	globs := strings.Join(r.o.Expect.Init, ", ")
	if len(where) == 0 {
		return []results.CheckFailure{{Check: Init, Reason: fmt.Sprintf("no file matches the init globs %s of %s", globs, workbench.ExpectFile)}}
	}
	file := ""
	if len(where) == 1 {
		file = where[0]
	}
	return []results.CheckFailure{{Check: Init, File: file,
		Reason: fmt.Sprintf("no PostHog initialisation (%s) in %s (the files matching %s)", how, strings.Join(limit(where, 5), ", "), globs)}}
}

func (r *run) events() []results.CheckFailure {
	var out []results.CheckFailure
	if r.planErr != nil {
		out = append(out, results.CheckFailure{Check: Events, File: EventsFile, Reason: r.planErr.Error()})
	}
	for _, p := range r.planned {
		switch {
		case p.File == "":
			if !r.capturedAnywhere(p.Name) {
				out = append(out, results.CheckFailure{Check: Events, File: EventsFile,
					Reason: fmt.Sprintf("%q is planned in %s but no capture call sends it", p.Name, EventsFile)})
			}
		case !filepath.IsLocal(filepath.FromSlash(p.File)):
			out = append(out, results.CheckFailure{Check: Events, File: EventsFile,
				Reason: fmt.Sprintf("%q is planned in %s for %q, which is outside the app", p.Name, EventsFile, p.File)})
		case !r.exists(p.File):
			out = append(out, results.CheckFailure{Check: Events, File: p.File,
				Reason: fmt.Sprintf("%q is planned in %s for this file, which does not exist", p.Name, EventsFile)})
		case !captures(r.calls[p.File], p.Name):
			out = append(out, results.CheckFailure{Check: Events, File: p.File,
				Reason: fmt.Sprintf("%q is planned in %s for this file, but no capture call in it sends it", p.Name, EventsFile)})
		}
	}
	for _, name := range r.o.Expect.Events {
		if !r.capturedAnywhere(name) {
			out = append(out, results.CheckFailure{Check: Events,
				Reason: fmt.Sprintf("%q (expected by %s) is not captured anywhere in the app", name, workbench.ExpectFile)})
		}
	}
	return out
}

func (r *run) capturedAnywhere(name string) bool {
	for _, rel := range r.files {
		if isSource(rel) && captures(r.calls[rel], name) {
			return true
		}
	}
	return false
}

func (r *run) exists(rel string) bool {
	i := sort.SearchStrings(r.files, rel)
	return i < len(r.files) && r.files[i] == rel
}

func (r *run) secrets() []results.CheckFailure {
	var out []results.CheckFailure
	for _, rel := range r.files {
		src, ok := r.text[rel]
		if !ok {
			if src, ok = readText(r.o.Copy, rel); !ok {
				continue
			}
		}
		leaks := findSecrets(src, r.configured)
		var orig string
		var origRead bool
		var kept []leak
		for _, l := range leaks {
			if l.project && (r.o.Expect.AllowProjectToken || dotenvFile(rel)) {
				continue
			}
			if !origRead {
				orig, _ = readText(r.o.Original, rel)
				origRead = true
			}
			if orig != "" && strings.Contains(orig, l.literal) {
				continue // the app held it before the wizard ran
			}
			kept = append(kept, l)
		}
		if len(kept) == 0 {
			continue
		}
		sort.SliceStable(kept, func(i, j int) bool { return kept[i].line < kept[j].line })
		l := kept[0]
		reason := fmt.Sprintf("line %d holds %s; keys belong in the environment, never in the app's files", l.line, l.what)
		if l.project {
			reason += fmt.Sprintf(" (a local .env file is fine; set allow-project-token: true in %s where the public token belongs in the source)", workbench.ExpectFile)
		}
		if len(kept) > 1 {
			reason += fmt.Sprintf(", and %d more secret(s) in this file", len(kept)-1)
		}
		out = append(out, results.CheckFailure{Check: Secrets, File: rel, Reason: reason})
	}
	return out
}

func (r *run) command(ctx context.Context) []results.CheckFailure {
	argv := r.o.Expect.Check
	shown := strings.Join(argv, " ")
	cctx, cancel := context.WithTimeout(ctx, r.o.Timeout)
	defer cancel()
	out, err := r.o.Exec(cctx, r.o.Copy, argv)
	if err == nil {
		return nil
	}
	var reason string
	switch {
	case errors.Is(cctx.Err(), context.DeadlineExceeded):
		reason = fmt.Sprintf("`%s` did not finish within %s", shown, r.o.Timeout)
	case ctx.Err() != nil:
		reason = fmt.Sprintf("`%s` was stopped: the run was cancelled", shown)
	default:
		reason = fmt.Sprintf("`%s` failed (%v)", shown, err)
	}
	// Paths in the output are the copy's, a temporary folder: show them
	// relative to the app.
	for _, dir := range []string{r.o.Copy, resolved(r.o.Copy)} {
		out = strings.ReplaceAll(out, dir+string(filepath.Separator), "")
	}
	if t := lastLines(out, 6, 600); t != "" {
		reason += ": " + t
	}
	return []results.CheckFailure{{Check: Command, Reason: reason}}
}

// lastLines is the end of out: at most n non-empty lines, at most maxBytes
// bytes, joined with " | " so it fits a table cell.
func lastLines(out string, n, maxBytes int) string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	s := strings.Join(lines[max(0, len(lines)-n):], " | ")
	if len(s) > maxBytes {
		s = "…" + s[len(s)-maxBytes:]
	}
	return strings.ToValidUTF8(s, "")
}

func limit(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(s[:n:n], fmt.Sprintf("and %d more", len(s)-n))
}
