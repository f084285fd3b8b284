package report

import "strings"

// Markers that identify wizard-ci's comments and issues (SPEC §1, §6, §7).
// A comment found by a marker counts as ours only if a bot wrote it; that
// check belongs to the caller.
const (
	HintMarker   = "<!-- wizard-ci:hint -->"
	ReportMarker = "<!-- wizard-ci:report -->"
	ReplyMarker  = "<!-- wizard-ci:reply -->"
)

const (
	resultsPrefix = "<!-- wizard-ci:results run="
	markerSuffix  = " -->"
	maxRunID      = 100
)

// ResultsMarker is the first line of the results comment of run runID:
// "<!-- wizard-ci:results run=<id> -->". Characters other than A–Z a–z 0–9
// . _ - are dropped from the id, so an id cannot end the HTML comment early.
func ResultsMarker(runID string) string {
	return resultsPrefix + sanitizeRunID(runID) + markerSuffix
}

// ParseResultsMarker reads the run id from the first line of body, which
// must be a results marker. Only the first line counts: a marker quoted
// further down (say, in a log excerpt) is not ours.
func ParseResultsMarker(body string) (runID string, ok bool) {
	line, _, _ := strings.Cut(body, "\n")
	line = strings.TrimSuffix(line, "\r")
	id, ok := strings.CutPrefix(line, resultsPrefix)
	if !ok {
		return "", false
	}
	id, ok = strings.CutSuffix(id, markerSuffix)
	if !ok || id == "" || sanitizeRunID(id) != id {
		return "", false
	}
	return id, true
}

func sanitizeRunID(id string) string {
	id = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
			return r
		}
		return -1
	}, id)
	// "--" may not appear inside an HTML comment.
	for strings.Contains(id, "--") {
		id = strings.ReplaceAll(id, "--", "-")
	}
	if len(id) > maxRunID {
		id = id[:maxRunID]
	}
	return id
}
