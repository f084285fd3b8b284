// Package results holds the record of a run (SPEC §9): the results.json
// schema wizard-ci/results@1, merging shard results, junit.xml, and the
// names of per-app log files. It renders no Markdown.
package results

import (
	"strings"
	"time"

	"github.com/posthog/wizard-ci/internal/outcome"
)

// Schema is the value of results.json's "schema" field.
const Schema = "wizard-ci/results@1"

// File names inside the output folder (SPEC §9).
const (
	JSONFile    = "results.json"
	JUnitFile   = "junit.xml"
	CommentFile = "comment.md"
	LogsDir     = "logs"
	// MarkerFile marks a folder as wizard-ci's output folder: only there
	// does a run delete and replace files. A dot-file, so artifact uploads
	// leave it out by default.
	MarkerFile = ".wizard-ci-output"
)

// Results is the whole of results.json.
type Results struct {
	Schema string         `json:"schema"`
	Run    Run            `json:"run"`
	Apps   []App          `json:"apps"`
	Totals map[string]int `json:"totals"`
}

// Run describes the run as a whole.
type Run struct {
	ID         string    `json:"id"`
	Targets    []string  `json:"targets"`
	PR         int       `json:"pr,omitempty"`
	HeadSHA    string    `json:"head_sha,omitempty"`
	Wizard     Wizard    `json:"wizard"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at,omitzero"`

	// Fields beyond SPEC §9's list, used by the report.
	Program    string `json:"program,omitempty"`    // <program> of the command, if any
	WizardRef  string `json:"wizard_ref,omitempty"` // wizard:<ref> of the command, if any
	Repository string `json:"repository,omitempty"` // owner/name
	URL        string `json:"url,omitempty"`        // link to the workflow run
	Shard      string `json:"shard,omitempty"`      // i/n when this is one leg
	// Selected is, on a leg, how many apps the targets selected before the
	// split: report tells from it a shard that had no app (plan leaves it
	// out of the matrix) from one whose leg is missing.
	Selected int `json:"selected,omitempty"`
	// MissingShards, on a merged report, are the shards (i/n) of which no
	// leg was given: their apps are in no row, and the run counts as failed.
	MissingShards []string `json:"missing_shards,omitempty"`
	// Error is a run-level problem (failed preflight, bad ref), shown above the table.
	Error string `json:"error,omitempty"`
	// HeadMoved is the PR head SHA seen at the end when it differs from HeadSHA.
	HeadMoved string `json:"head_moved,omitempty"`
}

// Wizard says where the wizard came from (SPEC §9).
type Wizard struct {
	Source  string `json:"source"` // build | command | simulate
	Version string `json:"version,omitempty"`
	SHA     string `json:"sha,omitempty"`
	Command string `json:"command,omitempty"` // the wizard-command as given, masked
}

// App is one selected workbench app and what happened to it.
type App struct {
	App      string          `json:"app"`
	Category string          `json:"category,omitempty"`
	Outcome  outcome.Outcome `json:"outcome"`
	Attempts []Attempt       `json:"attempts"`
	Checks   *Checks         `json:"checks,omitempty"`
	Log      string          `json:"log,omitempty"`
	// Reason is one masked line saying why it did not succeed.
	Reason string `json:"reason,omitempty"`
	// Excerpt is the last lines of the masked log, for failed apps.
	Excerpt []string `json:"excerpt,omitempty"`
	// Running is true while an attempt is in progress; an app with an empty
	// Outcome and Running false is pending. Never written to results.json.
	Running bool `json:"-"`
}

// Attempt is one start of the wizard on a fresh copy of the app.
type Attempt struct {
	Outcome    outcome.Outcome `json:"outcome"`
	ExitCode   int             `json:"exit_code"`
	StartedAt  time.Time       `json:"started_at"`
	DurationMS int64           `json:"duration_ms"`
	WaitMS     int64           `json:"wait_ms"`
	Reason     string          `json:"reason,omitempty"`
}

// Checks is the result of the deterministic checks after a wizard exit 0.
type Checks struct {
	Passed   int            `json:"passed"`
	Total    int            `json:"total"`
	Failures []CheckFailure `json:"failures"`
}

// CheckFailure is one failed check.
type CheckFailure struct {
	Check  string `json:"check"`
	File   string `json:"file,omitempty"`
	Reason string `json:"reason"`
}

// Duration is the app's total wizard time over all attempts (waits excluded).
func (a *App) Duration() time.Duration {
	var ms int64
	for _, at := range a.Attempts {
		ms += at.DurationMS
	}
	return time.Duration(ms) * time.Millisecond
}

// LogName is the log file path for app, relative to the output folder:
// logs/<app path with / as __>.log (SPEC §9). Characters that artifact
// uploads refuse (" : < > | * ? and control characters) become _.
func LogName(app string) string {
	name := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`":<>|*?\`, r) {
			return '_'
		}
		return r
	}, strings.ReplaceAll(app, "/", "__"))
	return LogsDir + "/" + name + ".log"
}

// Tally counts apps per outcome, the "totals" map of results.json.
func Tally(apps []App) map[string]int {
	t := map[string]int{}
	for _, a := range apps {
		t[string(a.Outcome)]++
	}
	return t
}
