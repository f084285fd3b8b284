package report

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/posthog/wizard-ci/internal/jsonerr"
	"github.com/posthog/wizard-ci/internal/outcome"
)

// State is what a results comment embeds about its run (SPEC §6), so that
// rerun-failed and a re-run of the same workflow run can read it back. Only
// the apps that did not succeed are kept. Decoded state is untrusted — anyone
// who may edit the comment can change it — so the caller checks every app
// path against the workbench before using it.
type State struct {
	RunID     string      `json:"id"`
	HeadSHA   string      `json:"sha,omitempty"`
	Program   string      `json:"prog,omitempty"`
	WizardRef string      `json:"ref,omitempty"`
	Targets   []string    `json:"t,omitempty"`
	Failed    []FailedApp `json:"f,omitempty"`
}

// FailedApp is one app of the run whose outcome was not success.
type FailedApp struct {
	App     string          `json:"a"`
	Outcome outcome.Outcome `json:"o"`
}

// ErrNoState means a body holds no state marker (it was dropped to fit the
// size limit, or the comment is not a results comment).
var ErrNoState = errors.New("no wizard-ci state in the comment")

const statePrefix = "<!-- wizard-ci:state "

// EncodeState renders s as "<!-- wizard-ci:state <base64 JSON> -->". Standard
// base64 never holds "--", so the payload cannot end the HTML comment.
func EncodeState(s State) string {
	b, err := json.Marshal(s)
	if err != nil {
		// State holds only strings and outcomes, which always marshal.
		panic(fmt.Sprintf("encode state: %v", err))
	}
	return statePrefix + base64.StdEncoding.EncodeToString(b) + markerSuffix
}

// DecodeState finds the state marker in body and decodes it. The last marker
// wins, because wizard-ci writes its state as the last line. Broken base64 or
// JSON, an app without a path and an unknown outcome are errors; a body
// without a marker gives ErrNoState.
func DecodeState(body string) (*State, error) {
	i := strings.LastIndex(body, statePrefix)
	if i < 0 {
		return nil, ErrNoState
	}
	payload, _, ok := strings.Cut(body[i+len(statePrefix):], markerSuffix)
	if !ok {
		return nil, errors.New("decode state: the state marker is not closed")
	}
	raw, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("decode state: %w", err)
	}
	var s State
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("decode state: %w", jsonerr.Doc{What: "a wizard-ci state", Writer: "wizard-ci writes"}.Describe(raw, err))
	}
	for i, f := range s.Failed {
		if f.App == "" {
			return nil, fmt.Errorf("decode state: failed app %d has no path", i+1)
		}
		// UnmarshalText only runs for a present "o": catch a missing one here.
		if !f.Outcome.Valid() {
			return nil, fmt.Errorf("decode state: app %q has unknown outcome %q", f.App, f.Outcome)
		}
		if f.Outcome == outcome.Success {
			return nil, fmt.Errorf("decode state: app %q is listed as failed with outcome success", f.App)
		}
	}
	return &s, nil
}
