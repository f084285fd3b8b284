// Package ghaction is the GitHub Actions runtime: the event payload, inputs,
// outputs, the step summary and masks. It reads the environment only through
// the getenv it is given.
package ghaction

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sethvargo/go-githubactions"
)

// ErrNoFile is returned (wrapped) when the environment names no file to
// write to, as happens outside GitHub Actions. The caller decides whether
// that matters.
var ErrNoFile = errors.New("not set")

// Action is the Actions runtime of one step. Create it with New.
type Action struct {
	getenv func(string) string
	out    *safeWriter
	gha    *githubactions.Action

	// Delimiter returns the heredoc delimiter for one GITHUB_OUTPUT or
	// GITHUB_ENV record. It is random per write; tests may replace it.
	Delimiter func() (string, error)
}

// New returns the runtime reading the environment through getenv and
// writing workflow commands to stdout.
func New(getenv func(string) string, stdout io.Writer) *Action {
	out := &safeWriter{w: stdout}
	return &Action{
		getenv: getenv,
		out:    out,
		// go-githubactions panics when a write fails; safeWriter never fails
		// (it keeps the first error for Err), so none of its calls can panic.
		gha:       githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(out)),
		Delimiter: RandomDelimiter,
	}
}

// RandomDelimiter returns "ghadelimiter_" and 32 random hex digits, as
// actions/toolkit does.
func RandomDelimiter() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random delimiter: %w", err)
	}
	return "ghadelimiter_" + hex.EncodeToString(b), nil
}

// safeWriter remembers the first write error instead of returning it.
type safeWriter struct {
	mu  sync.Mutex
	w   io.Writer
	err error
}

func (s *safeWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		if _, err := s.w.Write(p); err != nil {
			s.err = err
		}
	}
	return len(p), nil
}

// Err returns the first error writing workflow commands to stdout.
func (a *Action) Err() error {
	a.out.mu.Lock()
	defer a.out.mu.Unlock()
	return a.out.err
}

// Getenv reads the step's environment.
func (a *Action) Getenv(key string) string { return a.getenv(key) }

// Input returns input name, trimmed; "" means unset (SPEC §7). GitHub keeps
// hyphens in the variable name: "github-token" is INPUT_GITHUB-TOKEN.
func (a *Action) Input(name string) string {
	return strings.TrimSpace(a.getenv("INPUT_" + strings.ToUpper(strings.ReplaceAll(name, " ", "_"))))
}

// SetOutput sets step output name (SPEC §7) through the GITHUB_OUTPUT file.
// It never trusts value: the record uses a fresh random delimiter, and a
// value containing it is refused, so a value cannot end the record early
// and add outputs of its own.
func (a *Action) SetOutput(name, value string) error {
	return a.appendRecord("GITHUB_OUTPUT", "output", name, value)
}

// SetEnv sets an environment variable for later steps through GITHUB_ENV,
// with the same protection as SetOutput.
func (a *Action) SetEnv(name, value string) error {
	return a.appendRecord("GITHUB_ENV", "environment variable", name, value)
}

func (a *Action) appendRecord(fileVar, what, name, value string) error {
	op := fmt.Sprintf("set %s %q", what, name)
	if name == "" || strings.ContainsAny(name, "=\r\n") || strings.Contains(name, "<<") {
		return fmt.Errorf("%s: a name must be non-empty, on one line, without '=' or '<<'", op)
	}
	path := a.getenv(fileVar)
	if path == "" {
		return fmt.Errorf("%s: %s %w", op, fileVar, ErrNoFile)
	}
	delim, err := a.Delimiter()
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if delim == "" || strings.ContainsAny(delim, "\r\n") {
		return fmt.Errorf("%s: bad delimiter %q", op, delim)
	}
	if strings.Contains(value, delim) || strings.Contains(name, delim) {
		return fmt.Errorf("%s: the value contains the delimiter", op)
	}
	// One write, so a record is never interleaved with another.
	rec := name + "<<" + delim + "\n" + value + "\n" + delim + "\n"
	if err := appendFile(path, []byte(rec)); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

func appendFile(path string, b []byte) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = f.Write(b)
	return err
}

// MaxSummary is GitHub's limit on one step's job summary.
const MaxSummary = 1 << 20

// SummaryCutNote ends a job summary that did not fit.
const SummaryCutNote = "\n\n> [!WARNING]\n> The job summary was cut here: GitHub allows 1 MiB per step. The full report is in the run's artifacts and log.\n"

// AddStepSummary appends markdown to the job summary (GITHUB_STEP_SUMMARY).
// What would take the file past 1 MiB is cut, at a character boundary, and
// SummaryCutNote says so. When not even the note fits, nothing is written
// and the error says so.
func (a *Action) AddStepSummary(markdown string) error {
	const op = "write the job summary"
	path := a.getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return fmt.Errorf("%s: GITHUB_STEP_SUMMARY %w", op, ErrNoFile)
	}
	var used int64
	if fi, err := os.Stat(path); err == nil {
		used = fi.Size()
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s: %w", op, err)
	}
	room := MaxSummary - used
	if int64(len(markdown)) > room {
		keep := room - int64(len(SummaryCutNote))
		if keep < 0 {
			return fmt.Errorf("%s: the summary already holds %d bytes of GitHub's %d", op, used, MaxSummary)
		}
		cut := int(keep)
		for cut > 0 && !utf8.RuneStart(markdown[cut]) {
			cut--
		}
		markdown = markdown[:cut] + SummaryCutNote
	}
	if err := appendFile(path, []byte(markdown)); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// Mask asks the runner to hide secret in the log from now on. Empty values
// are skipped; a multi-line value is masked line by line, since the log is
// masked line by line.
func (a *Action) Mask(secret string) {
	for _, line := range strings.Split(secret, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		a.gha.AddMask(line)
	}
}

// Warningf writes a warning annotation.
func (a *Action) Warningf(format string, args ...any) { a.gha.Warningf(format, args...) }

// Errorf writes an error annotation.
func (a *Action) Errorf(format string, args ...any) { a.gha.Errorf(format, args...) }

// Noticef writes a notice annotation.
func (a *Action) Noticef(format string, args ...any) { a.gha.Noticef(format, args...) }

// Debugf writes a debug message (shown when step debugging is on).
func (a *Action) Debugf(format string, args ...any) { a.gha.Debugf(format, args...) }

// Group starts a collapsed group in the log, up to EndGroup.
func (a *Action) Group(title string) { a.gha.Group(title) }

// EndGroup ends the group Group started.
func (a *Action) EndGroup() { a.gha.EndGroup() }

// StopCommands makes the runner ignore workflow commands in what is printed
// until the returned resume is called, so untrusted text (a comment, a
// transcript) echoed to the log cannot issue any.
func (a *Action) StopCommands() (resume func(), err error) {
	token, err := a.Delimiter()
	if err != nil {
		return nil, fmt.Errorf("stop workflow commands: %w", err)
	}
	a.gha.IssueCommand(&githubactions.Command{Name: "stop-commands", Message: token})
	return func() { a.gha.IssueCommand(&githubactions.Command{Name: token}) }, nil
}
