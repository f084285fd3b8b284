package checks

import (
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/posthog/wizard-ci/internal/jsonerr"
)

// EventsFile is where the wizard lists the events it planned (SPEC §10).
const EventsFile = ".posthog-events.json"

// initMarkers recognise PostHog initialisation across the SDKs: posthog-js
// (posthog.init, the React provider), posthog-node and React Native
// (new PostHog), Python (Posthog(…), posthog.api_key = …), Ruby, PHP, Go,
// Android/Java, iOS, Flutter, Rust, and the CLI that uploads source maps.
var initMarkers = regexp.MustCompile(`posthog\.init\s*\(` +
	`|\bnew\s+PostHog\s*\(` +
	`|<PostHogProvider\b` +
	`|\bPosthog\s*\(` +
	`|\bposthog\.(?:project_)?api_key\s*=` +
	`|\bposthog\.setup\s*\(` +
	`|PostHog::Client\.new\b` +
	`|PostHog::init\s*\(` +
	`|\bposthog\.New(?:WithConfig)?\s*\(` +
	`|\bPostHog(?:Android)?\.setup\s*\(|\bPostHogConfig\s*\(` +
	`|\bPostHogSDK\.shared\.setup\s*\(` +
	`|\bposthog_rs::client\s*\(` +
	`|\bposthog-cli\s+sourcemap\b` +
	`|\bwithPostHogConfig\s*\(`)

// captureCall finds where a capture call starts: capture( in every SDK,
// Ruby's paren-less capture distinct_id: …, Go's posthog.Capture{…} and
// Rust's Event::new(…).
var captureCall = regexp.MustCompile(`\b[Cc]apture\s*[({]|\bcapture[ \t]+(?:\{|:?distinct_id\b|:?event\b)|\bEvent::new\s*\(`)

// maxCallBytes bounds how much of a capture call's arguments is searched
// for the event name.
const maxCallBytes = 2000

// hasInit reports whether src initialises PostHog on a line that is not
// commented out.
func hasInit(src string) bool {
	for _, loc := range initMarkers.FindAllStringIndex(src, -1) {
		if !commentedOut(src, loc[0]) {
			return true
		}
	}
	return false
}

// captureCalls returns the argument text of every capture call in src that
// is not on a commented-out line.
func captureCalls(src string) []string {
	var out []string
	for _, loc := range captureCall.FindAllStringIndex(src, -1) {
		if commentedOut(src, loc[0]) {
			continue
		}
		out = append(out, callArgs(src, loc[1]-1))
	}
	return out
}

// callArgs is the text of the call whose opening bracket (or, for a
// paren-less Ruby call, last matched byte) is at src[at], up to the matching
// close or maxCallBytes; a paren-less call ends with its line.
func callArgs(src string, at int) string {
	end := min(len(src), at+maxCallBytes)
	if c := src[at]; c != '(' && c != '{' {
		if nl := strings.IndexByte(src[at:end], '\n'); nl >= 0 {
			end = at + nl
		}
		return src[at:end]
	}
	depth := 0
	for i := at; i < end; i++ {
		switch src[i] {
		case '(', '{', '[':
			depth++
		case ')', '}', ']':
			depth--
			if depth == 0 {
				return src[at : i+1]
			}
		}
	}
	return src[at:end]
}

// commentedOut reports whether the line holding src[at] starts, before
// at, with a comment marker.
func commentedOut(src string, at int) bool {
	start := strings.LastIndexByte(src[:at], '\n') + 1
	head := strings.TrimSpace(src[start:at])
	for _, p := range []string{"//", "#", "/*", "*", "<!--", "--"} {
		if strings.HasPrefix(head, p) {
			return true
		}
	}
	return false
}

// captures reports whether one of calls holds name as a string literal.
func captures(calls []string, name string) bool {
	for _, c := range calls {
		for _, q := range []string{`"`, `'`, "`"} {
			if strings.Contains(c, q+name+q) {
				return true
			}
		}
	}
	return false
}

// plannedEvent is one entry of .posthog-events.json.
type plannedEvent struct {
	Name string
	File string // slash path relative to the app, "" when the entry names none
}

// parseEvents reads .posthog-events.json: a JSON array of objects naming an
// event by event_name, name or event, with an optional file. root is the app
// copy, so a file given as an absolute path inside it can be made relative.
func parseEvents(data []byte, root string) ([]plannedEvent, error) {
	var raw []map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", EventsFile, jsonerr.Doc{What: "a JSON array of objects", Writer: "the wizard writes"}.Describe(data, err))
	}
	var out []plannedEvent
	for i, obj := range raw {
		var ev plannedEvent
		for _, k := range []string{"event_name", "name", "event"} {
			if s, ok := obj[k].(string); ok && strings.TrimSpace(s) != "" {
				ev.Name = s
				break
			}
		}
		if ev.Name == "" {
			return nil, fmt.Errorf("%s: entry %d names no event (event_name, name or event)", EventsFile, i+1)
		}
		if f, ok := obj["file"].(string); ok && strings.TrimSpace(f) != "" {
			ev.File = relFile(root, strings.TrimSpace(f))
		}
		out = append(out, ev)
	}
	return out, nil
}

// relFile turns a file named by the wizard into a slash path relative to the
// app: "./src/a.js", "src\\a.js" and "<app copy>/src/a.js" are all "src/a.js".
func relFile(root, f string) string {
	if filepath.IsAbs(f) {
		if r, err := filepath.Rel(root, f); err == nil && filepath.IsLocal(r) {
			return filepath.ToSlash(r)
		}
		if r, err := filepath.Rel(resolved(root), resolved(f)); err == nil && filepath.IsLocal(r) {
			return filepath.ToSlash(r)
		}
		return filepath.ToSlash(f)
	}
	return path.Clean(strings.ReplaceAll(f, `\`, "/"))
}

// resolved follows symbolic links in p (/tmp on macOS), or returns p.
func resolved(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}
