package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/posthog/wizard-ci/internal/ghapi"
	"github.com/posthog/wizard-ci/internal/jsonerr"
	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/report"
	"github.com/posthog/wizard-ci/internal/results"
)

// The tracking issue of runs without a PR (SPEC §6, last bullet): one
// issue, found by report.ReportMarker, whose body is the latest report and
// the changes against the run before. The body embeds every app's last
// outcome, so the next run can tell regressions from fixes.

// DefaultReportIssue is the title of the tracking issue (input report-issue).
const DefaultReportIssue = "wizard-ci: scheduled runs"

const (
	outcomesPrefix = "<!-- wizard-ci:outcomes "
	outcomesSuffix = " -->"
	// maxOutcomesChars bounds the embedded outcomes in the issue body.
	maxOutcomesChars = 16 << 10
	// maxListed bounds each list of regressions and fixes in the body.
	maxListed = 50
	// Limits on decoding untrusted outcomes.
	maxOutcomesPayload = 64 << 10
	maxOutcomesJSON    = 4 << 20
	maxOutcomesApps    = 20000
)

// trackState is what the tracking issue remembers: each app's outcome in
// the latest run that ran it. Partial means only the apps that did not
// succeed are listed (the full list did not fit); the others are taken as
// successes.
type trackState struct {
	RunID   string                     `json:"id,omitempty"`
	Apps    map[string]outcome.Outcome `json:"o"`
	Partial bool                       `json:"p,omitempty"`
}

func (s *trackState) outcome(app string) (outcome.Outcome, bool) {
	if s == nil {
		return "", false
	}
	if o, ok := s.Apps[app]; ok {
		return o, true
	}
	if s.Partial {
		return outcome.Success, true
	}
	return "", false
}

// encodeOutcomes renders s as "<!-- wizard-ci:outcomes <base64 gzip JSON> -->".
func encodeOutcomes(s trackState) string {
	raw, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("encode outcomes: %v", err)) // strings only
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(raw)
	_ = zw.Close()
	return outcomesPrefix + base64.StdEncoding.EncodeToString(buf.Bytes()) + outcomesSuffix
}

// decodeOutcomes reads the outcomes embedded in an issue body. The body may
// have been edited by anyone who can edit issues, so the payload is bounded
// before and after decompression and every entry is checked; the caller
// only ever looks up apps of its own run in it.
func decodeOutcomes(body string) (*trackState, error) {
	i := strings.LastIndex(body, outcomesPrefix)
	if i < 0 {
		return nil, errNoOutcomes
	}
	payload, _, ok := strings.Cut(body[i+len(outcomesPrefix):], outcomesSuffix)
	if !ok {
		return nil, errors.New("the outcomes marker is not closed")
	}
	if len(payload) > maxOutcomesPayload {
		return nil, fmt.Errorf("the outcomes are %d bytes, more than %d", len(payload), maxOutcomesPayload)
	}
	z, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("decode outcomes: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("decode outcomes: %w", err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, maxOutcomesJSON+1))
	if err != nil {
		return nil, fmt.Errorf("decode outcomes: %w", err)
	}
	if len(raw) > maxOutcomesJSON {
		return nil, fmt.Errorf("decode outcomes: more than %d bytes uncompressed", maxOutcomesJSON)
	}
	var s trackState
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("decode outcomes: %w", jsonerr.Doc{What: "a wizard-ci outcomes record", Writer: "wizard-ci writes"}.Describe(raw, err))
	}
	if len(s.Apps) > maxOutcomesApps {
		return nil, fmt.Errorf("decode outcomes: %d apps, more than %d", len(s.Apps), maxOutcomesApps)
	}
	for app, o := range s.Apps {
		if app == "" || !o.Valid() {
			return nil, fmt.Errorf("decode outcomes: app %q has outcome %q", app, o)
		}
	}
	return &s, nil
}

var errNoOutcomes = errors.New("no outcomes in the issue")

// notRun reports whether o says the app did not get to run this time, so
// its earlier outcome still stands.
func notRun(o outcome.Outcome) bool { return o == outcome.Cancelled || o == outcome.Skipped }

// change is one app whose success changed since the previous run.
type change struct {
	App      string
	Was, Now outcome.Outcome
}

// compareRuns lists the apps of cur that succeeded in prev and not now
// (regressions) and the reverse (fixes), in cur's order. Apps prev does not
// know, and apps that did not run this time, are neither.
func compareRuns(prev *trackState, cur *results.Results) (regressions, fixes []change) {
	for _, a := range cur.Apps {
		was, ok := prev.outcome(a.App)
		if !ok || notRun(a.Outcome) || notRun(was) {
			continue
		}
		switch {
		case was == outcome.Success && a.Outcome != outcome.Success:
			regressions = append(regressions, change{a.App, was, a.Outcome})
		case was != outcome.Success && a.Outcome == outcome.Success:
			fixes = append(fixes, change{a.App, was, a.Outcome})
		}
	}
	return regressions, fixes
}

// nextState is what the issue remembers after cur: the previous outcomes,
// overwritten by every app that ran this time. A run that stopped before
// its first app (a run error) changes nothing.
func nextState(prev *trackState, cur *results.Results) trackState {
	next := trackState{RunID: cur.Run.ID, Apps: map[string]outcome.Outcome{}}
	if prev != nil {
		for app, o := range prev.Apps {
			next.Apps[app] = o
		}
		next.Partial = prev.Partial
	}
	if cur.Run.Error != "" {
		if prev != nil {
			next.RunID = prev.RunID
		}
		return next
	}
	for _, a := range cur.Apps {
		if !notRun(a.Outcome) {
			next.Apps[a.App] = a.Outcome
		}
	}
	return next
}

// fitOutcomes encodes s within maxOutcomesChars: whole when it fits, else
// only the apps that did not succeed (Partial), else not at all ("").
func fitOutcomes(s trackState) string {
	if enc := encodeOutcomes(s); len(enc) <= maxOutcomesChars {
		return enc
	}
	p := trackState{RunID: s.RunID, Apps: map[string]outcome.Outcome{}, Partial: true}
	for app, o := range s.Apps {
		if o != outcome.Success {
			p.Apps[app] = o
		}
	}
	if enc := encodeOutcomes(p); len(enc) <= maxOutcomesChars {
		return enc
	}
	return ""
}

// changesSection is the Markdown about regressions and fixes.
func changesSection(prev *trackState, cur *results.Results) string {
	var b strings.Builder
	b.WriteString("## Changes since the previous run\n\n")
	switch {
	case cur.Run.Error != "":
		b.WriteString("This run stopped before its first app, so it is not compared; the next run is compared with the last one that ran.\n")
		return b.String()
	case prev == nil:
		b.WriteString("This is the first run tracked here: the next run lists its regressions and fixes against this one.\n")
		return b.String()
	}
	reg, fix := compareRuns(prev, cur)
	if len(reg) == 0 && len(fix) == 0 {
		b.WriteString("No regressions and no fixes: every app that ran has the same verdict as last time.\n")
		return b.String()
	}
	list := func(title string, cs []change) {
		if len(cs) == 0 {
			return
		}
		fmt.Fprintf(&b, "**%s**\n\n", title)
		for i, c := range cs {
			if i == maxListed {
				fmt.Fprintf(&b, "- …and %d more\n", len(cs)-maxListed)
				break
			}
			fmt.Fprintf(&b, "- %s: %s %s → %s %s\n", report.Code(c.App), c.Was.Emoji(), c.Was, c.Now.Emoji(), c.Now)
		}
		b.WriteString("\n")
	}
	list(fmt.Sprintf("%s (succeeded last time, not now)", plural(len(reg), "regression", "regressions")), reg)
	list(fmt.Sprintf("%s (failed last time, succeeded now)", plural(len(fix), "fix", "fixes")), fix)
	if prev.Partial {
		b.WriteString("_The previous run recorded only its failed apps (the full list did not fit), so apps it did not list are taken as successes._\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// issueBody is the tracking issue: the marker, the changes, the report (in
// the results comment's layout, degraded the same way to fit) and the
// outcomes for the next run. It never exceeds report.DefaultMaxChars.
func issueBody(prev *trackState, cur *results.Results, config map[string]string) string {
	head := report.ReportMarker + "\n" + changesSection(prev, cur) + "\n"
	tail := fitOutcomes(nextState(prev, cur))
	if tail != "" {
		tail = "\n" + tail + "\n"
	}
	room := report.DefaultMaxChars - utf8.RuneCountInString(head) - utf8.RuneCountInString(tail) - 1
	body := report.Comment(cur, report.CommentOptions{MaxChars: room, Final: true, Config: config})
	// The results marker belongs to PR comments; the issue has its own.
	if _, rest, ok := strings.Cut(body, "\n"); ok && strings.HasPrefix(body, "<!-- wizard-ci:results ") {
		body = rest
	}
	return head + strings.TrimRight(body, "\n") + "\n" + tail
}

// trackIssue upserts the tracking issue for a run without a PR and returns
// its URL and the changes section (for the job summary). The previous
// outcomes come from the issue itself.
func trackIssue(ctx context.Context, gh *ghapi.Client, repo ghapi.Repo, title string, res *results.Results,
	config map[string]string, warn func(string, ...any)) (url, changes string, err error) {
	title = firstNonEmpty(strings.TrimSpace(title), DefaultReportIssue)
	var prev *trackState
	found, err := gh.FindIssue(ctx, repo, report.ReportMarker)
	if err != nil {
		return "", "", fmt.Errorf("find the tracking issue: %w", err)
	}
	if found != nil {
		prev, err = decodeOutcomes(found.Body)
		if err != nil && !errors.Is(err, errNoOutcomes) {
			warn("the outcomes in tracking issue #%d cannot be read (%v); this run is compared with nothing", found.Number, err)
		}
		if err != nil {
			prev = nil
		}
	}
	body := issueBody(prev, res, config)
	is, err := gh.UpsertIssue(ctx, repo, title, report.ReportMarker, body)
	if err != nil {
		return "", changesSection(prev, res), fmt.Errorf("update the tracking issue: %w", err)
	}
	return is.URL, changesSection(prev, res), nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// trackingTimeout bounds the tracking issue update, which also runs after
// the run was cancelled.
const trackingTimeout = 30 * time.Second

// updateTrackingIssue upserts the tracking issue of a run without a PR and
// puts the changes at the top of the job summary. A failure is a warning:
// the run and its files stand (like the results comment).
func (a *actionCtx) updateTrackingIssue(ctx context.Context, res *results.Results, config map[string]string) {
	warn := a.warnf
	gh, err := a.client()
	if err != nil {
		warn("the tracking issue was not updated: %v", err)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), trackingTimeout)
	defer cancel()
	url, changes, err := trackIssue(ctx, gh, a.repo, a.act.Input("report-issue"), res, config, warn)
	if err != nil {
		warn("%v (the run's results are in the job summary and the output folder; the workflow needs `issues: write`)", err)
	} else {
		fmt.Fprintf(a.d.Stderr, "wizard-ci: tracking issue: %s\n", url)
	}
	if changes != "" && a.d.Getenv("GITHUB_STEP_SUMMARY") != "" {
		if err := a.act.AddStepSummary(changes + "\n"); err != nil {
			warn("could not write the job summary: %v", err)
		}
	}
}
