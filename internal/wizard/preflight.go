package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Time limits of the preflight's commands.
const (
	DefaultPreflightTimeout = 2 * time.Minute // `<wizard> --version`; npx may download first
	NodeVersionTimeout      = 30 * time.Second
)

// PreflightError is a wizard that cannot run: what is wrong and what to do.
// It is one config error for the whole run (SPEC §4).
type PreflightError struct {
	Problem string
	Fix     string
}

func (e *PreflightError) Error() string {
	if e.Fix == "" {
		return e.Problem
	}
	return e.Problem + ". " + e.Fix
}

// Preflight checks, once per run and before any app, that the wizard can
// run: a PostHog key is there, the program exists, the Node.js that will
// run it satisfies the wizard's engines.node (DefaultNodeRange when its
// package.json cannot be found), and `<argv> --version` exits 0 in time.
type Preflight struct {
	Argv      []string
	Simulated bool // the built-in simulator: nothing to check
	APIKey    string
	Env       []string // environment of the checks (no key needed)
	Dir       string   // working directory; relative script paths start here
	Runner    Runner
	LookPath  func(file string) (string, error) // exec.LookPath when nil
	Timeout   time.Duration                     // for --version; 0 is DefaultPreflightTimeout
}

// Info is what the preflight learnt about the wizard, for the report.
type Info struct {
	Version     string // the wizard's version when known: package.json, npm spec or --version
	Node        string // the Node.js that runs it, "" when it is not a Node.js program
	NodeVersion string // e.g. v22.23.5
	Engines     string // the range Node.js was checked against
	PackageDir  string // where its package.json was found
}

// Run does the checks in order of cost and returns the first failure as a
// *PreflightError.
func (p *Preflight) Run(ctx context.Context) (Info, error) {
	var info Info
	if p.Simulated {
		return info, nil
	}
	if p.APIKey == "" {
		return info, &PreflightError{
			Problem: "no PostHog key was given, so the wizard cannot run",
			Fix:     "Set POSTHOG_WIZARD_API_KEY (the posthog-api-key input in a workflow)",
		}
	}
	if len(p.Argv) == 0 || p.Argv[0] == "" {
		return info, &PreflightError{Problem: "the wizard command is empty", Fix: "Set wizard-command, or leave it empty to build the wizard from source"}
	}
	look := p.LookPath
	if look == nil {
		look = exec.LookPath
	}
	prog, err := look(p.Argv[0])
	if err != nil {
		return info, &PreflightError{
			Problem: fmt.Sprintf("the wizard did not start: %q was not found (%v)", p.Argv[0], err),
			Fix:     "Install it on the runner or fix wizard-command",
		}
	}
	loc := locate(p.Argv, prog, p.Dir, look)
	info.Node = loc.node
	var pkg *Package
	if loc.script != "" {
		if pkg, err = FindPackage(loc.script); err == nil {
			info.PackageDir, info.Version = pkg.Dir, pkg.Version
		}
	}
	if info.Version == "" {
		info.Version = loc.spec
	}
	if loc.nodeErr != nil {
		return info, loc.nodeErr
	}
	if loc.node != "" {
		info.Engines = DefaultNodeRange
		if pkg != nil && strings.TrimSpace(pkg.Engines.Node) != "" {
			info.Engines = strings.TrimSpace(pkg.Engines.Node)
		}
		v, err := CheckNode(ctx, p.runner(), loc.node, info.Engines, p.Env)
		if err != nil {
			return info, err
		}
		info.NodeVersion = "v" + v.String()
	}
	timeout := cmpOr(p.Timeout, DefaultPreflightTimeout)
	argv := append(append([]string(nil), p.Argv...), "--version")
	res, err := p.runner().Run(ctx, Cmd{Argv: argv, Dir: p.Dir, Env: p.Env, Timeout: timeout})
	shown := "`" + strings.Join(argv, " ") + "`"
	fix := "Check wizard-command (or wizard-build-command) and that the wizard's dependencies are installed"
	switch {
	case err != nil && ctx.Err() != nil:
		return info, ctx.Err()
	case errors.Is(err, ErrTimeout):
		return info, &PreflightError{Problem: fmt.Sprintf("the wizard did not start: %s did not finish within %s", shown, timeout), Fix: fix}
	case err != nil:
		return info, &PreflightError{Problem: fmt.Sprintf("the wizard did not start: %s: %v", shown, err), Fix: fix}
	case res.ExitCode != 0:
		how := fmt.Sprintf("exited %d", res.ExitCode)
		if res.ExitCode < 0 {
			how = "was killed by a signal"
		}
		if t := lastLines(res.Output, 12); t != "" {
			how += ":\n" + t + "\n"
		}
		return info, &PreflightError{Problem: fmt.Sprintf("the wizard did not start: %s %s", shown, how), Fix: fix}
	}
	if info.Version == "" {
		info.Version = reportedVersion(res.Stdout)
	}
	return info, nil
}

func (p *Preflight) runner() Runner {
	if p.Runner == nil {
		return ExecRunner{}
	}
	return p.Runner
}

// CheckNode runs `node --version` and checks it against the engines range
// (DefaultNodeRange when engines does not parse). It returns the version.
func CheckNode(ctx context.Context, r Runner, node, engines string, env []string) (Semver, error) {
	rng, err := ParseRange(engines)
	if err != nil {
		rng, engines = MustRange(DefaultNodeRange), DefaultNodeRange
	}
	install := fmt.Sprintf("Install Node.js %s or newer", rng.Min().Short())
	res, err := r.Run(ctx, Cmd{Argv: []string{node, "--version"}, Env: env, Timeout: NodeVersionTimeout})
	if err != nil && ctx.Err() != nil {
		return Semver{}, ctx.Err()
	}
	if err != nil || res.ExitCode != 0 {
		why := ""
		if err != nil {
			why = err.Error()
		} else {
			why = fmt.Sprintf("exit %d %s", res.ExitCode, lastLines(res.Output, 3))
		}
		return Semver{}, &PreflightError{
			Problem: fmt.Sprintf("the wizard runs on Node.js, but `%s --version` failed (%s)", node, strings.TrimSpace(why)),
			Fix:     install,
		}
	}
	line := firstLine(res.Stdout)
	v, err := ParseVersion(line)
	if err != nil {
		return Semver{}, &PreflightError{
			Problem: fmt.Sprintf("the wizard runs on Node.js, but `%s --version` printed %q, not a version", node, line),
			Fix:     install,
		}
	}
	if !rng.Contains(v) {
		return v, &PreflightError{
			Problem: fmt.Sprintf("the wizard needs Node.js %s, but %s is v%s", engines, nodeName(node), v),
			Fix:     install,
		}
	}
	return v, nil
}

// nodeName shows which node: "node (/usr/bin/node)".
func nodeName(node string) string {
	if filepath.IsAbs(node) {
		return "node (" + node + ")"
	}
	return node
}

var (
	nodeProgram = regexp.MustCompile(`^(node|nodejs)[0-9.]*$`)
	npmSpec     = regexp.MustCompile(`^@posthog/wizard@(\S+)$`)
	versionLine = regexp.MustCompile(`^v?[0-9]+\.[0-9]+\.[0-9]+\S*$`)
)

// launchers start a package with the Node.js on PATH.
var launchers = map[string]bool{"npx": true, "npm": true, "pnpm": true, "pnpx": true, "yarn": true}

// located is what argv says about the Node.js that will run the wizard.
type located struct {
	node    string // "" when the wizard is not (known to be) a Node.js program
	nodeErr error  // it is one, but that Node.js cannot be found
	script  string // the wizard's entry file, when known
	spec    string // the version of an @posthog/wizard@X argument
}

// locate works out which Node.js runs argv: argv[0] itself when it is node,
// node on PATH for npx and friends and for scripts whose #! line names
// node; none for anything else (a binary, a shell script).
func locate(argv []string, prog, dir string, look func(string) (string, error)) located {
	var l located
	for _, a := range argv[1:] {
		if m := npmSpec.FindStringSubmatch(a); m != nil {
			l.spec = m[1]
		}
	}
	pathNode := func(why string) {
		n, err := look("node")
		if err != nil {
			l.nodeErr = &PreflightError{
				Problem: fmt.Sprintf("%s, but node was not found on PATH", why),
				Fix:     fmt.Sprintf("Install Node.js %s or newer", MustRange(DefaultNodeRange).Min().Short()),
			}
			return
		}
		l.node = n
	}
	base := filepath.Base(argv[0])
	switch {
	case nodeProgram.MatchString(base):
		l.node = prog
		if s := scriptArg(argv[1:]); s != "" {
			l.script = absFrom(dir, s)
		}
	case launchers[base]:
		pathNode(fmt.Sprintf("%s runs the wizard on Node.js", base))
	default:
		real, err := filepath.EvalSymlinks(prog)
		if err != nil {
			return l
		}
		interp := shebang(real)
		if interp == "" {
			return l
		}
		l.script = real
		if filepath.IsAbs(interp) {
			l.node = interp
		} else {
			pathNode(fmt.Sprintf("%s runs on Node.js", argv[0]))
		}
	}
	return l
}

// nodeValueFlags are node options whose value is the next argument.
var nodeValueFlags = map[string]bool{
	"-r": true, "--require": true, "--import": true, "--loader": true, "--experimental-loader": true,
	"-C": true, "--conditions": true, "--env-file": true, "--title": true, "--input-type": true,
}

// scriptArg is the script node runs, or "" for -e/-p and the like.
func scriptArg(args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-e" || a == "--eval" || a == "-p" || a == "--print" || a == "-":
			return ""
		case a == "--":
			if i+1 < len(args) {
				return args[i+1]
			}
			return ""
		case nodeValueFlags[a]:
			i++
		case strings.HasPrefix(a, "-"):
		default:
			return a
		}
	}
	return ""
}

func absFrom(dir, p string) string {
	if !filepath.IsAbs(p) {
		if dir == "" {
			dir, _ = os.Getwd()
		}
		p = filepath.Join(dir, p)
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// shebang returns the Node.js named by file's #! line: an absolute path
// (#!/opt/node/bin/node), "node" for #!/usr/bin/env node, or "" when the
// file is not a Node.js script.
func shebang(file string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 256)
	n, _ := io.ReadFull(f, head)
	line, _, _ := strings.Cut(string(head[:n]), "\n")
	if !strings.HasPrefix(line, "#!") {
		return ""
	}
	fields := strings.Fields(line[2:])
	if len(fields) == 0 {
		return ""
	}
	if filepath.Base(fields[0]) == "env" {
		for _, f := range fields[1:] {
			if strings.HasPrefix(f, "-") || strings.Contains(f, "=") {
				continue
			}
			if nodeProgram.MatchString(filepath.Base(f)) {
				return f
			}
			return ""
		}
		return ""
	}
	if nodeProgram.MatchString(filepath.Base(fields[0])) {
		return fields[0]
	}
	return ""
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// reportedVersion is what `--version` printed, when it names a real
// version: published wizards print 0.0.0 (or "unknown"), which says nothing.
func reportedVersion(stdout string) string {
	l := firstLine(stdout)
	if !versionLine.MatchString(l) {
		return ""
	}
	if v, err := ParseVersion(l); err == nil && v == (Semver{}) {
		return ""
	}
	return strings.TrimPrefix(l, "v")
}
