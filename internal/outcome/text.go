package outcome

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// This file reads the wizard's own words: the fixed strings it prints when
// it refuses its arguments or runtime, finds the app unfit, stops the agent,
// or gives up; the agent's bracketed signals; and the lines that look like
// failures but decide nothing (telemetry flushes, advisory health checks).

// textRules recognise the wizard's fixed strings. Each matches a class of
// wording, case-insensitively, not one exact sentence.
var textRules = []rule{
	newRule(sigAuth, false,
		"authentication failed",     // "Authentication failed (401)", "… while trying to fetch user data"
		"did not accept this login", // refused token mint (401)
		"re-authenticate", "reauthenticate",
		"access to this project has changed", // refused token mint (403)
		"access denied while",                // PostHog API 403
		"llm gateway rejected the api key",
		"missing scope", "missing required scope"),

	newRule(sigConfig, false,
		"in published builds", // "CI mode is not currently supported in published builds"
		"requires --",         // "Headless mode requires --api-key", "… --install-dir"
		"unknown argument", "unknown command", "unknown option", "unrecognized option", "unrecognized argument",
		"requires an interactive terminal", "raw mode is not supported",
		// Node too old: npm's engine check, and the crash Node 20 hits in
		// undici before the wizard's own version check runs.
		"unsupported engine", "ebadengine", `engine "node" is incompatible`, "markasuncloneable is not a function"),
	newRuleRe(sigConfig, false, []string{"requires node", "needs node", "is not supported"},
		`(?:requires|needs) node(?:\.js)?\b|node(?:\.js)? v?[\d.]+ is not supported`),

	newRule(sigPrecondition, false, "prerequisites not met", "could not auto-detect your framework"),
	newRuleRe(sigPrecondition, false, []string{"could not detect"}, `could not detect (?:your|the|a) (?:framework|project)`),

	// The agent's signals may show up inside its narration.
	newRule(sigMCP, true, "[error-mcp-missing]"),
	newRule(sigMCP, false, "could not access the posthog mcp server", "unable to connect to the posthog mcp server"),
	newRule(sigResource, true, "[error-resource-missing]"),
	newRule(sigResource, false, "could not access the setup resource"),
	newRule(sigSecurity, false, "security check stopped the setup", "security violation detected"),
	newRuleRe(sigSecurity, false, []string{"yara"}, `\byara\b`),
	newRule(sigAbort, true, "[abort]"),
	newRule(sigAbort, false, "wizard aborted"),
	newRule(sigIncomplete, false,
		"exited without changing your project",
		"without completing its planned tasks",
		"agent made no changes", "agent stopped before finishing"),

	// Dropped connections. These words also fill telemetry and health-check
	// noise, so they only count on lines that are not indented (stack dumps
	// are), and they rank below every other class.
	newRule(sigNetwork, false,
		"econnreset", "econnrefused", "etimedout", "eai_again", "enotfound", "epipe", "econnaborted", "und_err_",
		"socket hang up", "fetch failed", "failed to fetch", "network error",
		"connection error", "connection reset", "connection refused", "connection closed"),
}

// errorishKeywords pick the line shown as the reason of a crash when no
// rule matched.
var errorishKeywords = keywords("error", "exception", "fatal", "panic", "failed", "went wrong",
	"cannot", "not a function", "abort", "killed")

// healthRe matches the advisory health-check block every 2.6x/2.7x run
// prints ("Skills download: no-connection — github: fetch failed"). Those
// lines name outages the wizard chose to ignore, so they decide nothing.
var healthRe = regexp.MustCompile(`^(?:│\s+(?:✖\s+)?[^:]{1,60}:\s+(?:degraded|no-connection|down|outage|major_outage|partial_outage|unknown|ok|operational)\b` +
	`|│\s+Blocking services:|▲\s+Service health issues detected|.*health checks are advisory)`)

// telemetryStart begins a PostHog SDK flush failure: one line, then an
// indented object dump up to a closing brace at column 0. It is the wizard's
// own analytics failing (always, on a runner without network), never the
// setup.
const telemetryStart = "Error while flushing PostHog"

// isNoise reports lines that look like failures but decide nothing. s has
// no ANSI escapes.
func isNoise(s string) bool {
	switch {
	case strings.HasPrefix(s, "[PostHog]"): // "[PostHog] Timeout while shutting down PostHog."
		return true
	case strings.HasPrefix(s, "MCP: Failed to connect"): // advisory; [ERROR-MCP-MISSING] is the signal
		return true
	case strings.HasPrefix(s, "│") || strings.HasPrefix(s, "▲") || strings.Contains(s, "health checks are advisory"):
		return healthRe.MatchString(s)
	}
	if indented(s) {
		t := strings.TrimLeft(s, " \t")
		return strings.HasPrefix(t, "at ") // a stack frame
	}
	return false
}

// isNarration reports the agent's running commentary ("◇  Reading
// package.json…", "◌  [1/4] Installing posthog-node"). It can say anything,
// so only structural markers are matched on it.
func isNarration(s string) bool {
	return strings.HasPrefix(s, "◇") || strings.HasPrefix(s, "◌")
}

func indented(s string) bool { return s != "" && (s[0] == ' ' || s[0] == '\t') }

// stripANSI removes terminal escape sequences (CSI colours, OSC titles and
// links, two-byte escapes) so rules see the text as a person does.
func stripANSI(s string) string {
	if strings.IndexByte(s, 0x1b) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != 0x1b {
			j := strings.IndexByte(s[i:], 0x1b)
			if j < 0 {
				b.WriteString(s[i:])
				break
			}
			b.WriteString(s[i : i+j])
			i += j
			continue
		}
		i++ // ESC
		if i >= len(s) {
			break
		}
		switch c := s[i]; {
		case c == '[': // CSI: parameters, intermediates, one final byte
			i++
			for i < len(s) && s[i] >= 0x30 && s[i] <= 0x3f {
				i++
			}
			for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
				i++
			}
			if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
				i++
			}
		case c == ']': // OSC: up to BEL or ESC \
			i++
			for i < len(s) {
				if s[i] == 0x07 {
					i++
					break
				}
				if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
					i += 2
					break
				}
				i++
			}
		case c >= 0x20 && c <= 0x2f: // e.g. ESC ( B: intermediate, then final
			i++
			if i < len(s) {
				i++
			}
		default: // two-byte escape
			i++
		}
	}
	return b.String()
}

// reasonPrefix is the wizard's line decoration (clack-style glyphs).
const reasonPrefix = " \t┌│▲✖✔◇◌●└◆■◒◐◓◑"

// maxReason bounds Result.Reason, in runes.
const maxReason = 200

// reasonOf turns a kept line into Result.Reason: decoration off, one line,
// at most maxReason runes.
func reasonOf(s string) string {
	s = strings.TrimSpace(strings.TrimLeft(s, reasonPrefix))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if utf8.RuneCountInString(s) <= maxReason {
		return s
	}
	n := 0
	for i := range s {
		if n == maxReason {
			return strings.TrimSpace(s[:i]) + "…"
		}
		n++
	}
	return s
}

// firstLine is the first non-empty line of a multi-line message.
func firstLine(s string) string {
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}
