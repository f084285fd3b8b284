package outcome

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// failed is how the wizard ends every failure (SPEC §5: it exits 1).
var failed = Exit{Code: 1}

// phwLine builds the wizard's structured stderr line.
func phwLine(code, message string) string {
	return fmt.Sprintf("phw-error: {\"code\":%q,\"message\":%q}", code, message)
}

// lines joins transcript lines.
func lines(l ...string) string { return strings.Join(l, "\n") }

// Wizard output framing shared by the cases below.
const (
	banner    = "┌  Welcome to the PostHog setup wizard\n│  Running posthog-integration in Headless mode\n│  Using provided API key (CI mode - OAuth bypassed)"
	agentUp   = "◇  Initializing Claude agent...\n✔  Agent initialized. Let's get cooking!\n◌  Writing your PostHog setup with events, error capture and more..."
	apiFooter = "\nPlease report this to: wizard@posthog.com"
	telemetry = "Error while flushing PostHog PostHogFetchNetworkError: Network error while fetching PostHog\n" +
		"    at retriable (file:///x/posthog-core-stateless.mjs:998:27) {\n" +
		"  error: TypeError: fetch failed\n" +
		"    [cause]: Error: getaddrinfo ENOTFOUND internal-j.posthog.com\n" +
		"      code: 'ENOTFOUND'\n" +
		"    }\n" +
		"}"
	health = "▲  Service health issues detected.\n│\n│  Blocking services:\n" +
		"│    ✖ Skills download: no-connection — github: fetch failed | aws: fetch failed\n│\n" +
		"│  LLM Gateway: no-connection — indicator=attempts=3 — fetch failed\n" +
		"│  Continuing anyway — health checks are advisory in non-interactive runs."
)

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		exit       Exit
		transcript string
		want       Result
	}{
		// --- provisioning: the Bedrock/AWS Marketplace billing signature ---
		{
			name: "provisioning/INVALID_PAYMENT_INSTRUMENT in a JSON body",
			exit: failed,
			transcript: lines(banner, agentUp, "●  API error occurred", "✖  API Error", "",
				`API Error: 403 {"message":"Model access is denied due to INVALID_PAYMENT_INSTRUMENT: a valid payment instrument must be provided. Try again after 3 minutes."}`,
				apiFooter),
			want: Result{Outcome: Provisioning, RetryAfter: 3 * time.Minute,
				Reason: `API Error: 403 {"message":"Model access is denied due to INVALID_PAYMENT_INSTRUMENT: a valid payment instrument must be provided. Try again after 3 minutes."}`},
		},
		{
			name: "provisioning/AccessDenied with Marketplace subscription wording, behind PHW_AGENT_API_ERROR",
			exit: failed,
			transcript: lines(banner, agentUp,
				phwLine("PHW_AGENT_API_ERROR", "API Error\n\nAPI Error: 403 AccessDeniedException: You don't have access to the model. Your AWS Marketplace subscription is still being processed; retry after 90 seconds.\n\nPlease report this to: wizard@posthog.com")),
			want: Result{Outcome: Provisioning, RetryAfter: 90 * time.Second, Code: "PHW_AGENT_API_ERROR",
				Reason: "API Error: 403 AccessDeniedException: You don't have access to the model. Your AWS Marketplace subscription is still being processed; retry after 90 seconds."},
		},
		{
			name: "provisioning/AccessDenied and Marketplace on different lines of one body, no wait named",
			exit: failed,
			transcript: lines(banner, agentUp, "API Error: 403 {",
				`  "__type": "com.amazon.coral.service#AccessDeniedException",`,
				`  "message": "Model access requires an active AWS Marketplace subscription for this account."`,
				"}"),
			want: Result{Outcome: Provisioning,
				Reason: `"message": "Model access requires an active AWS Marketplace subscription for this account."`},
		},
		{
			name:       "provisioning/coloured stderr",
			exit:       failed,
			transcript: "\x1b[31mAPI Error: 403 Model access is denied due to \x1b[1mINVALID_PAYMENT_INSTRUMENT\x1b[0m. Try again in 4m.\x1b[0m",
			want: Result{Outcome: Provisioning, RetryAfter: 4 * time.Minute,
				Reason: "API Error: 403 Model access is denied due to INVALID_PAYMENT_INSTRUMENT. Try again in 4m."},
		},

		// --- rate-limited ---
		{
			name: "rate-limited/Anthropic rate_limit_error body",
			exit: failed,
			transcript: lines(banner, agentUp, "●  Rate limit exceeded", "✖  API Error", "",
				`API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}`),
			want: Result{Outcome: RateLimited, Reason: "Rate limit exceeded"},
		},
		{
			name: "rate-limited/PHW_AGENT_RATE_LIMIT with an advised wait",
			exit: failed,
			transcript: lines(banner, agentUp,
				phwLine("PHW_AGENT_RATE_LIMIT", "API Error\n\nAPI Error: Request rejected (429) · Too many requests. Please retry after 30 seconds.")),
			want: Result{Outcome: RateLimited, RetryAfter: 30 * time.Second, Code: "PHW_AGENT_RATE_LIMIT",
				Reason: "API Error: Request rejected (429) · Too many requests. Please retry after 30 seconds."},
		},
		{
			name: "rate-limited/Retry-After header dumped on its own line",
			exit: failed,
			transcript: lines(banner, agentUp, "✖  Rate limited by the LLM gateway: rate limit reached for this project",
				"  retry-after: 75", phwLine("PHW_AGENT_API_ERROR", "API Error")),
			want: Result{Outcome: RateLimited, RetryAfter: 75 * time.Second, Code: "PHW_AGENT_API_ERROR",
				Reason: "Rate limited by the LLM gateway: rate limit reached for this project"},
		},

		// --- quota-exhausted: a 429 that waiting minutes will not fix ---
		{
			name: "quota-exhausted/weekly usage limit inside a rate_limit_error",
			exit: failed,
			transcript: lines(banner, agentUp,
				`API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"You have reached your weekly usage limit. It resets Monday."}}`),
			want: Result{Outcome: QuotaExhausted,
				Reason: `API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"You have reached your weekly usage limit. It resets Monday."}}`},
		},
		{
			name:       "quota-exhausted/insufficient_quota",
			exit:       failed,
			transcript: "API Error: 429 You exceeded your current quota, please check your plan and billing details. (insufficient_quota)",
			want: Result{Outcome: QuotaExhausted,
				Reason: "API Error: 429 You exceeded your current quota, please check your plan and billing details. (insufficient_quota)"},
		},
		{
			name: "quota-exhausted/refused mint for a weekly run limit",
			exit: failed,
			transcript: lines(banner, "✖  This wizard program has reached its weekly run limit.",
				phwLine("PHW_GATEWAY_MINT_REFUSED", "This wizard program has reached its weekly run limit.")),
			want: Result{Outcome: QuotaExhausted, Code: "PHW_GATEWAY_MINT_REFUSED",
				Reason: "This wizard program has reached its weekly run limit."},
		},

		// --- overloaded ---
		{
			name:       "overloaded/API Error 503 with a Retry-After",
			exit:       failed,
			transcript: lines(banner, agentUp, "API Error: 503 Service Unavailable", "Retry-After: 20"),
			want:       Result{Outcome: Overloaded, RetryAfter: 20 * time.Second, Reason: "API Error: 503 Service Unavailable"},
		},
		{
			name: "overloaded/socket hang up behind PHW_INTERNAL_UNHANDLED",
			exit: failed,
			transcript: lines(banner, telemetry,
				"✖  Something went wrong: request to https://us.posthog.com/api/users/@me/ failed, reason: socket hang up",
				phwLine("PHW_INTERNAL_UNHANDLED", "Something went wrong: request to https://us.posthog.com/api/users/@me/ failed, reason: socket hang up")),
			want: Result{Outcome: Overloaded, Code: "PHW_INTERNAL_UNHANDLED",
				Reason: "Something went wrong: request to https://us.posthog.com/api/users/@me/ failed, reason: socket hang up"},
		},
		{
			name:       "overloaded/PHW_ENV_SERVICE_OUTAGE",
			exit:       failed,
			transcript: lines(health, phwLine("PHW_ENV_SERVICE_OUTAGE", "Blocking services are down: LLM Gateway. Try again in 10 minutes.")),
			want: Result{Outcome: Overloaded, RetryAfter: 10 * time.Minute, Code: "PHW_ENV_SERVICE_OUTAGE",
				Reason: "Blocking services are down: LLM Gateway. Try again in 10 minutes."},
		},
		{
			name:       "overloaded/skill download failed",
			exit:       failed,
			transcript: lines(banner, phwLine("PHW_SKILL_DOWNLOAD_FAILED", "Could not download the integration skill.\nCheck your network connection and try again.")),
			want:       Result{Outcome: Overloaded, Code: "PHW_SKILL_DOWNLOAD_FAILED", Reason: "Could not download the integration skill."},
		},
		{
			name: "overloaded/Claude Code stream-json 529",
			exit: failed,
			transcript: `{"type":"result","subtype":"success","is_error":true,"api_error_status":529,` +
				`"result":"API Error: 529 Overloaded. Try again in a moment."}`,
			want: Result{Outcome: Overloaded, Reason: "API Error: 529 Overloaded. Try again in a moment."},
		},
		{
			name: "overloaded/project fetch failed for want of a network",
			exit: failed,
			transcript: lines(banner, "✖  Failed to fetch project data: ECONNRESET",
				phwLine("PHW_AUTH_PROJECT_FETCH_FAILED", "Failed to fetch project data: ECONNRESET")),
			want: Result{Outcome: Overloaded, Code: "PHW_AUTH_PROJECT_FETCH_FAILED", Reason: "Failed to fetch project data: ECONNRESET"},
		},

		// --- auth ---
		{
			name: "auth/Anthropic authentication_error",
			exit: failed,
			transcript: lines(banner, agentUp,
				`API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`),
			want: Result{Outcome: Auth,
				Reason: `API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`},
		},
		{
			name: "auth/403 permission_error is not billing",
			exit: failed,
			transcript: lines(banner, agentUp,
				phwLine("PHW_AGENT_API_ERROR", `API Error: 403 {"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission to use the specified resource."}}`)),
			want: Result{Outcome: Auth, Code: "PHW_AGENT_API_ERROR",
				Reason: `API Error: 403 {"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission to use the specified resource."}}`},
		},
		{
			name:       "auth/PHW_AUTH_MISSING_SCOPE",
			exit:       failed,
			transcript: lines(banner, phwLine("PHW_AUTH_MISSING_SCOPE", "Missing scope: the personal API key needs llm_gateway:read.")),
			want:       Result{Outcome: Auth, Code: "PHW_AUTH_MISSING_SCOPE", Reason: "Missing scope: the personal API key needs llm_gateway:read."},
		},
		{
			name:       "auth/refused mint with unfamiliar wording falls back to auth",
			exit:       failed,
			transcript: phwLine("PHW_GATEWAY_MINT_REFUSED", "The gateway refused this token request."),
			want:       Result{Outcome: Auth, Code: "PHW_GATEWAY_MINT_REFUSED", Reason: "The gateway refused this token request."},
		},

		// --- config ---
		{
			name:       "config/Node too old",
			exit:       failed,
			transcript: "✖ The PostHog wizard requires Node.js >=22.22.0; you are running v20.11.1.",
			want:       Result{Outcome: Config, Reason: "The PostHog wizard requires Node.js >=22.22.0; you are running v20.11.1."},
		},
		{
			name:       "config/npm engine check",
			exit:       failed,
			transcript: lines("npm warn EBADENGINE Unsupported engine {", "npm warn EBADENGINE   package: '@posthog/wizard@2.77.0',", "npm warn EBADENGINE   required: { node: '>=22.22.0' },"),
			want:       Result{Outcome: Config, Reason: "npm warn EBADENGINE Unsupported engine {"},
		},
		{
			name:       "config/unknown option, coloured",
			exit:       failed,
			transcript: lines("", "\x1b[1;91m✖ Unknown option: --frobnicate\x1b[0m", "  Run `wizard --help` to see available commands and options."),
			want:       Result{Outcome: Config, Reason: "Unknown option: --frobnicate"},
		},
		{
			name:       "config/CI mode refused by a published build, 2.62 wording",
			exit:       failed,
			transcript: "\n\x1b[1;91m✖ CI mode is not currently supported in published builds.\x1b[0m\n",
			want:       Result{Outcome: Config, Reason: "CI mode is not currently supported in published builds."},
		},
		{
			name:       "config/PHW_CLI_NODE_VERSION",
			exit:       failed,
			transcript: phwLine("PHW_CLI_NODE_VERSION", "Node.js 20.20.2 is not supported; use >=22.22.0."),
			want:       Result{Outcome: Config, Code: "PHW_CLI_NODE_VERSION", Reason: "Node.js 20.20.2 is not supported; use >=22.22.0."},
		},

		// --- precondition ---
		{
			name:       "precondition/prerequisites, no phw line",
			exit:       failed,
			transcript: lines(banner, "✖  Prerequisites not met: no-posthog-sdk", "", "See https://posthog.com/docs/error-tracking"),
			want:       Result{Outcome: Precondition, Reason: "Prerequisites not met: no-posthog-sdk"},
		},
		{
			name:       "precondition/framework detection",
			exit:       failed,
			transcript: lines(banner, "✖  Could not auto-detect your framework. Pass the install dir of a supported app."),
			want:       Result{Outcome: Precondition, Reason: "Could not auto-detect your framework. Pass the install dir of a supported app."},
		},
		{
			name:       "precondition/PHW_DETECT_NO_PACKAGE_JSON",
			exit:       failed,
			transcript: phwLine("PHW_DETECT_NO_PACKAGE_JSON", "No package.json found in /tmp/app."),
			want:       Result{Outcome: Precondition, Code: "PHW_DETECT_NO_PACKAGE_JSON", Reason: "No package.json found in /tmp/app."},
		},

		// --- mcp-missing / resource-missing ---
		{
			name:       "mcp-missing/agent signal in narration",
			exit:       failed,
			transcript: lines(banner, agentUp, "◇  [ERROR-MCP-MISSING] The PostHog MCP tools are not available in this session"),
			want:       Result{Outcome: MCPMissing, Reason: "[ERROR-MCP-MISSING] The PostHog MCP tools are not available in this session"},
		},
		{
			name: "mcp-missing/wizard message beats the MCP client's 503 warning",
			exit: failed,
			transcript: lines(banner, agentUp, "MCP: Failed to connect to posthog: SSE error: Non-200 status code (503)",
				"✖  Could not access the PostHog MCP server", "", "The wizard was unable to connect to the PostHog MCP server."),
			want: Result{Outcome: MCPMissing, Reason: "Could not access the PostHog MCP server"},
		},
		{
			name:       "resource-missing/agent signal",
			exit:       failed,
			transcript: lines(banner, agentUp, "◇  [ERROR-RESOURCE-MISSING] skill posthog-integration-nextjs-app-router"),
			want:       Result{Outcome: ResourceMissing, Reason: "[ERROR-RESOURCE-MISSING] skill posthog-integration-nextjs-app-router"},
		},
		{
			name:       "resource-missing/wizard message",
			exit:       failed,
			transcript: lines(banner, agentUp, "●  Agent could not access setup resource", "✖  Could not access the setup resource"),
			want:       Result{Outcome: ResourceMissing, Reason: "Could not access the setup resource"},
		},

		// --- security-blocked / aborted / incomplete ---
		{
			name:       "security-blocked/wizard message",
			exit:       failed,
			transcript: lines(banner, agentUp, "●  Security violation detected", "✖  Security check stopped the setup."),
			want:       Result{Outcome: SecurityBlocked, Reason: "Security violation detected"},
		},
		{
			name:       "security-blocked/YARA rule",
			exit:       failed,
			transcript: lines(banner, agentUp, "✖  YARA rule secrets_file_read matched a tool call; the run was stopped."),
			want:       Result{Outcome: SecurityBlocked, Reason: "YARA rule secrets_file_read matched a tool call; the run was stopped."},
		},
		{
			name:       "aborted/agent signal",
			exit:       failed,
			transcript: lines(banner, agentUp, "◇  [ABORT] This repository has no package manager lockfile"),
			want:       Result{Outcome: Aborted, Reason: "[ABORT] This repository has no package manager lockfile"},
		},
		{
			name:       "aborted/wizard outro",
			exit:       failed,
			transcript: lines(banner, agentUp, "●  Wizard aborted", "✖  react_router aborted"),
			want:       Result{Outcome: Aborted, Reason: "Wizard aborted"},
		},
		{
			name:       "incomplete/no changes, no phw line",
			exit:       failed,
			transcript: lines(banner, agentUp, "✖  The Wizard exited without changing your project. Please contact the PostHog team."),
			want:       Result{Outcome: Incomplete, Reason: "The Wizard exited without changing your project. Please contact the PostHog team."},
		},
		{
			name:       "incomplete/planned tasks left open",
			exit:       failed,
			transcript: lines(banner, agentUp, "●  Agent stopped before finishing", "✖  The Wizard exited without completing its planned tasks."),
			want:       Result{Outcome: Incomplete, Reason: "Agent stopped before finishing"},
		},
		{
			name:       "incomplete/orchestrator tasks failed",
			exit:       failed,
			transcript: phwLine("PHW_AGENT_ORCHESTRATOR_TASKS_FAILED", "2 required tasks failed."),
			want:       Result{Outcome: Incomplete, Code: "PHW_AGENT_ORCHESTRATOR_TASKS_FAILED", Reason: "2 required tasks failed."},
		},
		{
			name: "incomplete/NO_PROGRESS hides the provider status (2.77 pi harness)",
			exit: failed,
			transcript: lines(banner, health, agentUp, "✖  The Wizard exited without changing your project.",
				"API Error: 429 rate_limit_error", phwLine("PHW_AGENT_NO_PROGRESS", "The Wizard exited without changing your project.")),
			want: Result{Outcome: Incomplete, Code: "PHW_AGENT_NO_PROGRESS", Reason: "The Wizard exited without changing your project."},
		},

		// --- timeout ---
		{
			name:       "timeout/cut mid-run",
			exit:       Exit{Code: -1, TimedOut: true},
			transcript: lines(banner, agentUp, "◇  Reading package.json"),
			want:       Result{Outcome: Timeout, Reason: "the app-timeout expired before the wizard finished"},
		},
		{
			name:       "timeout/beats a rate limit seen on the way",
			exit:       Exit{Code: 143, TimedOut: true},
			transcript: lines(banner, agentUp, "API Error (429 rate_limit_error) · Retrying in 30 seconds… (attempt 4/10)"),
			want:       Result{Outcome: Timeout, Reason: "the app-timeout expired before the wizard finished"},
		},

		// --- crashed: only when nothing else is recognised ---
		{
			name: "crashed/unhandled TypeError under telemetry and health noise",
			exit: failed,
			transcript: lines(banner, health, agentUp, telemetry,
				"✖  Something went wrong: Cannot read properties of undefined (reading 'framework')",
				"", "You can read the documentation at https://posthog.com/docs to set up manually."),
			want: Result{Outcome: Crashed, Reason: "Something went wrong: Cannot read properties of undefined (reading 'framework')"},
		},
		{
			name:       "crashed/killed by a signal",
			exit:       Exit{Code: -1, Signaled: true},
			transcript: lines(banner, agentUp, "API Error: 429 rate_limit_error"),
			want:       Result{Outcome: Crashed, Reason: "API Error: 429 rate_limit_error"},
		},
		{
			name:       "crashed/no output",
			exit:       Exit{Code: 134},
			transcript: "",
			want:       Result{Outcome: Crashed, Reason: "the wizard exited 134"},
		},
		{
			name:       "crashed/unknown phw code with unfamiliar words",
			exit:       failed,
			transcript: phwLine("PHW_FUTURE_THING", "Something new happened."),
			want:       Result{Outcome: Crashed, Code: "PHW_FUTURE_THING", Reason: "Something new happened."},
		},
		{
			name: "crashed/narration that talks about limits and keys decides nothing",
			exit: failed,
			transcript: lines(banner, agentUp,
				"◇  Adding a handler for when the rate limit exceeded, plus a daily limit on events",
				"◇  Storing the invalid API key warning text in i18n",
				"✖  Something went wrong: boom"),
			want: Result{Outcome: Crashed, Reason: "Something went wrong: boom"},
		},

		// --- exit 0 ---
		{
			name:       "success/changed",
			exit:       Exit{Changed: true},
			transcript: lines(banner, agentUp, "●  PostHog integration complete", "└  PostHog integration complete"),
			want:       Result{Outcome: Success},
		},
		{
			name: "success/a provider error the SDK recovered from",
			exit: Exit{Changed: true},
			transcript: lines(banner, agentUp, "API Error (529 overloaded_error) · Retrying in 5 seconds… (attempt 1/10)",
				"◌  [1/4] Installing posthog-node", "└  PostHog integration complete"),
			want: Result{Outcome: Success},
		},
		{
			name:       "no-changes/--version",
			exit:       Exit{},
			transcript: "0.0.0",
			want:       Result{Outcome: NoChanges, Reason: "the wizard exited 0 without changing the app"},
		},
		{
			name:       "no-changes/exit 0, app untouched",
			exit:       Exit{},
			transcript: lines(banner, agentUp, "└  PostHog integration complete"),
			want:       Result{Outcome: NoChanges, Reason: "the wizard exited 0 without changing the app"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Classify(tc.exit, tc.transcript)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Classify (-want +got):\n%s", d)
			}
		})
	}
}

// SPEC §5: a wizard that printed a clean success must not be failed by a
// later stray API Error line during teardown.
func TestClassifySuccessIgnoresTeardownAPIError(t *testing.T) {
	t.Parallel()
	transcript := lines(banner, agentUp,
		"◌  [4/4] Writing posthog-setup-report.md",
		"●  PostHog integration complete",
		"└  PostHog integration complete",
		"API Error: 500 Internal server error. This is a server-side issue, usually temporary — try again in a moment.",
		phwLine("PHW_AGENT_API_ERROR", "API Error: 500 Internal server error."))
	got := Classify(Exit{Code: 0, Changed: true}, transcript)
	if got.Outcome != Success {
		t.Errorf("Outcome = %s (%q), want success", got.Outcome, got.Reason)
	}
}

func TestClassifierKeepsLastPHWLine(t *testing.T) {
	t.Parallel()
	got := Classify(failed, lines(
		phwLine("PHW_SKILL_MENU_FETCH_FAILED", "Could not fetch the skill menu."),
		phwLine("PHW_DETECT_NO_FRAMEWORK", "Could not auto-detect your framework for this project.")))
	want := Result{Outcome: Precondition, Code: "PHW_DETECT_NO_FRAMEWORK", Reason: "Could not auto-detect your framework for this project."}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestClassifierBrokenPHWLine(t *testing.T) {
	t.Parallel()
	// Cut short mid-JSON: the code still counts, the words still match.
	got := Classify(failed, `phw-error: {"code":"PHW_AGENT_API_ERROR","message":"API Error: 529 Overloaded. Try again in 2 minut`)
	if got.Outcome != Overloaded || got.Code != "PHW_AGENT_API_ERROR" {
		t.Errorf("got %+v, want overloaded with code PHW_AGENT_API_ERROR", got)
	}
}

func TestClassifierSpinnerRedraws(t *testing.T) {
	t.Parallel()
	c := NewClassifier()
	c.Line("◒  Working\r◐  Working\r✖  Prerequisites not met: missing-stripe\r")
	if got := c.Result(failed); got.Outcome != Precondition {
		t.Errorf("got %+v, want precondition", got)
	}
}

func TestReasonIsShort(t *testing.T) {
	t.Parallel()
	long := "API Error: 503 " + strings.Repeat("é", 5000)
	got := Classify(failed, long)
	if n := len([]rune(got.Reason)); n != maxReason+1 || !strings.HasSuffix(got.Reason, "…") {
		t.Errorf("reason has %d runes (%q…), want %d ending in …", n, got.Reason[:20], maxReason+1)
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want time.Duration
	}{
		{"If you recently fixed this issue, try again after 2 minutes.", 2 * time.Minute},
		{"Please retry after 30 seconds.", 30 * time.Second},
		{"Retry-After: 120", 120 * time.Second},
		{`{"retry_after": 45}`, 45 * time.Second},
		{"retry-after-ms: 1500", 1500 * time.Millisecond},
		{"rate limited, try again in 90s", 90 * time.Second},
		{"The limit resets in 5m.", 5 * time.Minute},
		{"Please wait 1.5 minutes before retrying", 90 * time.Second},
		{"API Error (529) · Retrying in 5 seconds… (attempt 3/10)", 5 * time.Second},
		{"try again after 2 minutes, or retry after 300 seconds", 5 * time.Minute}, // the longest
		{"try again in 3 hours", MaxRetryAfter},                                    // capped
		{"Retry-After: 99999999999999999999999", MaxRetryAfter},
		{"Please try again later.", 0},
		{"try again in a moment", 0},
		{"Try again tomorrow.", 0},
		{"completed in 5 months", 0},
		{"", 0},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			t.Parallel()
			if got := ParseRetryAfter(tc.text); got != tc.want {
				t.Errorf("ParseRetryAfter(%q) = %s, want %s", tc.text, got, tc.want)
			}
		})
	}
}

func TestStripANSI(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"\x1b[1;91m✖ CI mode\x1b[0m":            "✖ CI mode",
		"\x1b]8;;https://x\x07link\x1b]8;;\x07": "link",
		"\x1b(Bplain\x1b=":                      "plain",
		"trailing\x1b":                          "trailing",
		"no escapes":                            "no escapes",
	}
	for in, want := range tests {
		if got := stripANSI(in); got != want {
			t.Errorf("stripANSI(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestClassifierMemoryBound feeds 50 MB (200k lines), much of it lines that
// match rules, and checks the retained state neither grows with the input
// nor exceeds a few KiB.
func TestClassifierMemoryBound(t *testing.T) {
	t.Parallel()
	const (
		n       = 200_000
		lineLen = 250
	)
	kinds := []string{
		"API Error: 429 rate_limit_error · Retry-After: %d",
		"\x1b[31m✖  Something went wrong: Failed to fetch user data %d\x1b[0m",
		"◇  Reading file number %d of the project",
		"phw-error: {\"code\":\"PHW_AGENT_API_ERROR\",\"message\":\"API Error: 529 Overloaded %d\"}",
		"│    ✖ Skills download: no-connection — github: fetch failed %d",
		"    at retriable (file:///x.mjs:%d:27)",
		"✖  Could not access the setup resource %d",
	}
	c := NewClassifier()
	total, at10k := 0, 0
	for i := range n {
		l := fmt.Sprintf(kinds[i%len(kinds)], i)
		l += strings.Repeat("x", max(lineLen-len(l), 0))
		total += len(l)
		c.Line(l)
		if i == 10_000 {
			at10k = c.size()
		}
	}
	// One line longer than the scratch buffer must not be kept either.
	c.Line("API Error: 503 " + strings.Repeat("y", 8<<20))
	if total < 50_000_000 {
		t.Fatalf("fed %d bytes, want ≥ 50 MB", total)
	}
	got := c.size()
	t.Logf("retained %d bytes after %d bytes of output (%d after 10k lines)", got, total, at10k)
	if got > 16<<10 {
		t.Errorf("retained %d bytes, want ≤ 16 KiB", got)
	}
	if got > at10k+maxKept {
		t.Errorf("retained state grew from %d to %d bytes between line 10k and 200k", at10k, got)
	}
	if r := c.Result(failed); !r.Outcome.Valid() {
		t.Errorf("invalid outcome %q", r.Outcome)
	}
}

func FuzzClassify(f *testing.F) {
	// Seeds: every synthetic transcript, plus odd shapes.
	if paths, err := filepath.Glob(filepath.Join(fixtureDir, "synthetic", "*.txt")); err == nil {
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(1, uint8(0), string(b))
			}
		}
	}
	f.Add(0, uint8(1), "API Error: 500")
	f.Add(124, uint8(2), "")
	f.Add(1, uint8(0), "phw-error: {\"code\":\"PHW_")
	f.Add(1, uint8(0), "phw-error: {\"code\":\"PHW_AGENT_API_ERROR\",\"message\":\"\\u001b[1mAPI Error: 403 INVALID_PAYMENT_INSTRUMENT try again after 9999999 hours\"}")
	f.Add(1, uint8(4), "\x1b[\x1b]\x1b(\r\r\n\xff\xfe")
	f.Fuzz(func(t *testing.T, code int, flags uint8, text string) {
		e := Exit{Code: code, TimedOut: flags&1 != 0, Signaled: flags&2 != 0, Changed: flags&4 != 0}
		r := Classify(e, text)
		if !r.Outcome.Valid() {
			t.Fatalf("invalid outcome %q", r.Outcome)
		}
		if r.RetryAfter < 0 || r.RetryAfter > MaxRetryAfter {
			t.Fatalf("RetryAfter %s out of [0, %s]", r.RetryAfter, MaxRetryAfter)
		}
		if n := len([]rune(r.Reason)); n > maxReason+1 {
			t.Fatalf("reason has %d runes", n)
		}
		if d := ParseRetryAfter(text); d < 0 || d > MaxRetryAfter {
			t.Fatalf("ParseRetryAfter = %s", d)
		}
	})
}

// BenchmarkClassifier streams a large transcript built from the real
// fixtures through one Classifier.
func BenchmarkClassifier(b *testing.B) {
	var sb strings.Builder
	paths, _ := filepath.Glob(filepath.Join(fixtureDir, "real", "*.std*"))
	for sb.Len() < 16<<20 && len(paths) > 0 {
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				sb.Write(data)
			}
		}
	}
	if sb.Len() == 0 {
		b.Skip("no fixtures")
	}
	lines := strings.Split(sb.String(), "\n")
	b.SetBytes(int64(sb.Len()))
	b.ReportAllocs()
	for b.Loop() {
		c := NewClassifier()
		for _, l := range lines {
			c.Line(l)
		}
		_ = c.Result(failed)
	}
}
