package wizard

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/posthog/wizard-ci/internal/jsonerr"
	"github.com/posthog/wizard-ci/internal/slash"
)

// Defaults of the wizard-repository, wizard-ref and wizard-build-command
// inputs (SPEC §4, §7).
const (
	DefaultRepository   = "PostHog/wizard"
	DefaultServerURL    = "https://github.com"
	DefaultBranch       = "main"
	DefaultBuildCommand = "pnpm install --frozen-lockfile && pnpm build:ci"
)

// CacheDir is the folder, inside the output folder, that keeps one build
// of the wizard per commit (CacheDir/<sha>/), so a second local run of the
// same commit does not build again. It starts with a dot, so upload-artifact
// leaves it out of the results artifact.
const CacheDir = ".wizard-cache"

// Entry is the built wizard's CLI, relative to its source folder; it runs
// as `node <dir>/dist/bin.js`.
const Entry = "dist/bin.js"

// builtMarker, inside CacheDir/<sha>/, holds the build command that
// finished there; without it (or with another command) the folder is
// fetched and built again.
const builtMarker = ".wizard-ci-built"

// Time limits of the steps that prepare the wizard.
const (
	DefaultFetchTimeout = 10 * time.Minute
	DefaultBuildTimeout = 30 * time.Minute
)

var (
	repoName = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)
	fullSHA  = regexp.MustCompile(`^([0-9a-f]{40}|[0-9a-f]{64})$`)
)

// ValidateRepository checks an owner/name such as PostHog/wizard.
func ValidateRepository(repo string) error {
	if !repoName.MatchString(repo) || strings.Contains(repo, "..") || strings.HasPrefix(repo, "-") || strings.HasPrefix(repo, ".") {
		return fmt.Errorf("wizard-repository: %q is not owner/name (for example %s)", repo, DefaultRepository)
	}
	return nil
}

// DefaultRef is the wizard ref when neither a comment nor the workflow
// names one: the PR head when the action runs in the wizard's own
// repository (a wizard PR tests itself), else main.
func DefaultRef(wizardRepo, runRepo, headSHA string) string {
	if headSHA != "" && runRepo != "" && strings.EqualFold(firstOf(wizardRepo, DefaultRepository), runRepo) {
		return headSHA
	}
	return DefaultBranch
}

// RepoURL is where the wizard is fetched from: server/owner/name. The
// server is GITHUB_SERVER_URL (https://github.com when empty); a server
// without a scheme is a local folder (tests, mirrors), made absolute.
func RepoURL(server, repo string) (string, error) {
	if err := ValidateRepository(repo); err != nil {
		return "", err
	}
	server = firstOf(server, DefaultServerURL)
	if strings.HasPrefix(server, "-") {
		return "", fmt.Errorf("GITHUB_SERVER_URL: %q is not a URL", server)
	}
	if strings.Contains(server, "://") {
		return strings.TrimRight(server, "/") + "/" + repo, nil
	}
	abs, err := filepath.Abs(filepath.Join(server, filepath.FromSlash(repo)))
	if err != nil {
		return "", fmt.Errorf("GITHUB_SERVER_URL: %v", err)
	}
	return abs, nil
}

// GitAuthEnv gives git the token for server as an HTTP header through the
// environment (GIT_CONFIG_COUNT/KEY/VALUE), so it never appears on a
// command line, in a URL or in git's output. None for a local server or
// an empty token.
func GitAuthEnv(server, token string) []string {
	server = strings.TrimRight(firstOf(server, DefaultServerURL), "/")
	if token == "" || !(strings.HasPrefix(server, "https://") || strings.HasPrefix(server, "http://")) {
		return nil
	}
	return []string{
		"GIT_CONFIG_COUNT=1",
		"GIT_CONFIG_KEY_0=http." + server + "/.extraheader",
		"GIT_CONFIG_VALUE_0=AUTHORIZATION: basic " + GitAuthSecret(token),
	}
}

// GitAuthSecret is the encoded credential inside the header, to be masked
// like the token itself.
func GitAuthSecret(token string) string {
	return base64.StdEncoding.EncodeToString([]byte("x-access-token:" + token))
}

// Builder fetches the wizard's source at a ref and builds it, once per
// commit (SPEC §4).
type Builder struct {
	ServerURL  string // GITHUB_SERVER_URL; "" is https://github.com; a folder works too
	Repository string // owner/name; "" is PostHog/wizard
	Token      string // optional; given to git only through GitAuthEnv
	Command    string // the build command, run with sh -c; "" is DefaultBuildCommand
	CacheDir   string // builds are kept as CacheDir/<sha>/
	Env        []string
	Runner     Runner
	Log        io.Writer // git's and the build's output, as it comes (nil: dropped)

	FetchTimeout time.Duration // each git command; 0 is DefaultFetchTimeout
	BuildTimeout time.Duration // 0 is DefaultBuildTimeout
}

// Checkout is the wizard's source at one commit.
type Checkout struct {
	Dir   string // CacheDir/<sha>
	SHA   string // the full commit SHA the ref resolved to
	Ref   string // the ref as asked
	URL   string // where it came from
	Built bool   // Dir holds a finished build by the same command
}

// Argv is how the built wizard is started: node <dir>/dist/bin.js.
func (c *Checkout) Argv(node string) []string {
	return []string{node, filepath.Join(c.Dir, filepath.FromSlash(Entry))}
}

// FetchError says that a ref could not be fetched or resolved.
type FetchError struct {
	Ref, URL string
	Detail   string // git's last lines
}

func (e *FetchError) Error() string {
	s := fmt.Sprintf("the wizard ref %q could not be fetched from %s", e.Ref, e.URL)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.refMissing() {
		return s + "\nGive a branch, a tag or a full 40-character commit SHA that exists in that repository."
	}
	return s + "\nCheck that GITHUB_SERVER_URL and wizard-repository name a repository this runner can reach."
}

// refMissing tells "no such ref" from a repository that cannot be reached.
func (e *FetchError) refMissing() bool {
	for _, s := range []string{"couldn't find remote ref", "not our ref", "unadvertised object", "resolved it to"} {
		if strings.Contains(e.Detail, s) {
			return true
		}
	}
	return false
}

// BuildError says that the build command failed.
type BuildError struct {
	Command string
	Dir     string
	Detail  string // why, with the last lines of output
}

func (e *BuildError) Error() string {
	return fmt.Sprintf("building the wizard with `%s` failed: %s", e.Command, e.Detail)
}

func (b *Builder) command() string { return firstOf(strings.TrimSpace(b.Command), DefaultBuildCommand) }

func (b *Builder) runner() Runner {
	if b.Runner == nil {
		return ExecRunner{}
	}
	return b.Runner
}

// gitEnv is the base environment without git config from outside, plus the
// token header and no prompts.
func (b *Builder) gitEnv() []string {
	var env []string
	for _, kv := range b.Env {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GIT_CONFIG_") || k == "GIT_TERMINAL_PROMPT" || k == "GIT_ASKPASS" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "GIT_TERMINAL_PROMPT=0", "GCM_INTERACTIVE=never")
	return append(env, GitAuthEnv(b.ServerURL, b.Token)...)
}

func (b *Builder) git(ctx context.Context, dir string, args ...string) (Result, error) {
	res, err := b.runner().Run(ctx, Cmd{
		Argv:    append([]string{"git"}, args...),
		Dir:     dir,
		Env:     b.gitEnv(),
		Timeout: cmpOr(b.FetchTimeout, DefaultFetchTimeout),
		Output:  b.Log,
	})
	if err != nil {
		return res, fmt.Errorf("git %s: %w", args[0], err)
	}
	if res.ExitCode != 0 {
		return res, fmt.Errorf("git %s exited %d: %s", args[0], res.ExitCode, lastLines(res.Output, 4))
	}
	return res, nil
}

// Fetch resolves ref to a commit of the repository and checks that commit
// out into CacheDir/<sha>, unless a finished build of it is already there
// (then Built is true). The ref is validated like a comment's wizard:<ref>
// and given to git after "--", so it can never be read as an option.
func (b *Builder) Fetch(ctx context.Context, ref string) (*Checkout, error) {
	if err := slash.ValidateRef(ref); err != nil {
		return nil, fmt.Errorf("wizard ref: %w", err)
	}
	url, err := RepoURL(b.ServerURL, firstOf(b.Repository, DefaultRepository))
	if err != nil {
		return nil, err
	}
	if b.CacheDir == "" {
		return nil, errors.New("no folder for the wizard's build")
	}
	cache, err := filepath.Abs(b.CacheDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return nil, fmt.Errorf("folder for the wizard's build: %w", err)
	}
	co := &Checkout{Ref: ref, URL: url}
	if sha := strings.ToLower(ref); fullSHA.MatchString(sha) && b.built(filepath.Join(cache, sha)) {
		co.SHA, co.Dir, co.Built = sha, filepath.Join(cache, sha), true
		return co, nil
	}
	tmp, err := os.MkdirTemp(cache, ".fetch-")
	if err != nil {
		return nil, fmt.Errorf("folder for the wizard's build: %w", err)
	}
	defer os.RemoveAll(tmp) // gone by now when it became CacheDir/<sha>
	if _, err := b.git(ctx, tmp, "init", "-q"); err != nil {
		return nil, err
	}
	if res, err := b.git(ctx, tmp, "fetch", "--depth", "1", "--no-tags", "--", url, ref); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		detail := lastLines(res.Output, 4)
		if res.Output == "" {
			detail = err.Error()
		}
		return nil, &FetchError{Ref: ref, URL: url, Detail: detail}
	}
	res, err := b.git(ctx, tmp, "rev-parse", "--verify", "FETCH_HEAD^{commit}")
	if err != nil {
		return nil, &FetchError{Ref: ref, URL: url, Detail: err.Error()}
	}
	co.SHA = strings.TrimSpace(res.Stdout)
	if !fullSHA.MatchString(co.SHA) {
		return nil, &FetchError{Ref: ref, URL: url, Detail: fmt.Sprintf("git resolved it to %q, not a commit SHA", co.SHA)}
	}
	co.Dir = filepath.Join(cache, co.SHA)
	if b.built(co.Dir) {
		co.Built = true
		return co, nil
	}
	if _, err := b.git(ctx, tmp, "-c", "advice.detachedHead=false", "checkout", "-q", "--detach", co.SHA); err != nil {
		return nil, err
	}
	// A folder without the marker is a build that did not finish.
	if err := os.RemoveAll(co.Dir); err != nil {
		return nil, fmt.Errorf("remove the unfinished build in %s: %w", co.Dir, err)
	}
	if err := os.Rename(tmp, co.Dir); err != nil {
		return nil, fmt.Errorf("folder for the wizard's build: %w", err)
	}
	return co, nil
}

// built reports whether dir holds a finished build by this builder's command.
func (b *Builder) built(dir string) bool {
	m, err := os.ReadFile(filepath.Join(dir, builtMarker))
	if err != nil || string(m) != b.command() {
		return false
	}
	st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(Entry)))
	return err == nil && st.Mode().IsRegular()
}

// Build runs the build command (sh -c, it comes from the workflow author,
// never from a comment) in the checkout, unless it is already built, and
// checks that it produced dist/bin.js.
func (b *Builder) Build(ctx context.Context, co *Checkout) error {
	if co.Built {
		return nil
	}
	cmd := b.command()
	_ = os.Remove(filepath.Join(co.Dir, builtMarker))
	res, err := b.runner().Run(ctx, Cmd{
		Argv:    []string{"sh", "-c", cmd},
		Dir:     co.Dir,
		Env:     b.Env,
		Timeout: cmpOr(b.BuildTimeout, DefaultBuildTimeout),
		Output:  b.Log,
	})
	switch {
	case err != nil && ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		return &BuildError{Command: cmd, Dir: co.Dir, Detail: err.Error() + tailBlock(res.Output)}
	case res.ExitCode != 0:
		return &BuildError{Command: cmd, Dir: co.Dir, Detail: fmt.Sprintf("exit %d", res.ExitCode) + tailBlock(res.Output)}
	}
	entry := filepath.Join(co.Dir, filepath.FromSlash(Entry))
	if st, err := os.Stat(entry); err != nil || !st.Mode().IsRegular() {
		return &BuildError{Command: cmd, Dir: co.Dir, Detail: fmt.Sprintf("it finished, but %s is missing; the build command must produce %s", entry, Entry)}
	}
	if err := os.WriteFile(filepath.Join(co.Dir, builtMarker), []byte(cmd), 0o644); err != nil {
		return fmt.Errorf("mark the build as finished: %w", err)
	}
	co.Built = true
	return nil
}

// Package is what wizard-ci reads of the wizard's package.json.
type Package struct {
	Dir     string `json:"-"` // the folder holding package.json
	Name    string `json:"name"`
	Version string `json:"version"`
	Engines struct {
		Node string `json:"node"`
	} `json:"engines"`
}

// ReadPackage reads dir/package.json.
func ReadPackage(dir string) (*Package, error) {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, err
	}
	var p Package
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "package.json"), jsonerr.Doc{What: "a package.json", Writer: "npm expects"}.Describe(b, err))
	}
	p.Dir = dir
	return &p, nil
}

// FindPackage reads the package.json nearest above the script file (as
// Node.js does: dist/bin.js belongs to dist/../package.json).
func FindPackage(script string) (*Package, error) {
	dir := filepath.Dir(script)
	for i := 0; i < 4; i++ {
		p, err := ReadPackage(dir)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return nil, os.ErrNotExist
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func cmpOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// lastLines is the last n non-empty lines of s, trimmed.
func lastLines(s string, n int) string {
	var keep []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			keep = append(keep, l)
		}
	}
	if len(keep) > n {
		keep = keep[len(keep)-n:]
	}
	return strings.Join(keep, "\n")
}

func tailBlock(s string) string {
	if t := lastLines(s, 15); t != "" {
		return "; its last lines:\n" + t
	}
	return ""
}
