package wizard

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/posthog/wizard-ci/internal/outcome"
)

// SimulatorCommand is the hidden wizard-ci sub-command that runs Simulate.
const SimulatorCommand = "__simulate-wizard"

// Version is what the simulator prints for --version. (The real wizard
// prints 0.0.0 for every published build.)
const Version = "0.0.0-simulate"

// SimulatorArgv is the argv prefix that runs the simulator: wizard-ci itself
// (self, usually os.Executable) with the hidden sub-command. The runner adds
// the category's sub-command words and --ci --install-dir --region, exactly
// as it does for a real wizard.
func SimulatorArgv(self string) []string { return []string{self, SimulatorCommand} }

// Simulate behaves like the wizard CLI started by wizard-ci (SPEC §4):
// `[sub-command…] --ci --install-dir DIR --region R` with the key in
// POSTHOG_WIZARD_API_KEY. The outcome it plays comes from WIZARD_CI_SIMULATE
// for the app in WIZARD_CI_APP and the attempt in WIZARD_CI_ATTEMPT (see
// ParseScenario); by default it succeeds, editing the app in DIR the way the
// wizard does for its language. It returns the exit status: 0 for success and
// no-changes, 1 for every failure, like the real wizard. The timeout and
// sleep scenarios wait for SIGTERM or SIGINT.
func Simulate(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	return simulate(args, getenv, stdout, stderr, waitForSignal)
}

// waitForSignal blocks until the process is told to stop and returns the
// exit status a shell would report for that signal.
func waitForSignal() int {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(ch)
	if s := <-ch; s == syscall.SIGINT {
		return 130
	}
	return 143
}

// commands are the wizard's sub-commands (wizard --help, 2.77.0).
var commands = map[string]string{
	"mcp": "mcp", "mcp-analytics": "mcp-analytics-setup", "replay-vision": "replay-vision-setup",
	"ai-observability": "ai-observability-setup", "metrics": "metrics-setup", "cli": "cli",
	"audit": "audit", "doctor": "doctor", "migrate": "migrate",
	"revenue-analytics": "revenue-analytics-setup", "warehouse": "warehouse-setup",
	"self-driving": "self-driving-setup", "slack": "slack-setup",
	"upload-source-maps": "upload-source-maps", "upload-sourcemaps": "upload-source-maps",
	"error-tracking": "error-tracking-setup", "skill": "skill", "provision": "provision",
}

// invocation is the parsed command line of the wizard.
type invocation struct {
	command    string // first sub-command word, "" for the default program
	extra      []string
	ci         bool
	installDir string
	region     string
	apiKey     string
	version    bool
	help       bool
	unknown    []string
}

func parseArgs(args []string) (invocation, error) {
	inv := invocation{region: "us"}
	value := func(i *int, name string) (string, error) {
		if *i+1 >= len(args) {
			return "", fmt.Errorf("Not enough arguments following: %s", name)
		}
		*i++
		return args[*i], nil
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(a, "=")
		var err error
		switch name {
		case "--version", "-v":
			inv.version = true
		case "--help", "-h":
			inv.help = true
		case "--ci":
			inv.ci = !hasVal || val == "true"
		case "--debug", "--telemetry", "--no-telemetry", "--no-debug":
		case "--install-dir", "--region", "--api-key":
			if !hasVal {
				val, err = value(&i, strings.TrimLeft(name, "-"))
				if err != nil {
					return inv, err
				}
			}
			switch name {
			case "--install-dir":
				inv.installDir = val
			case "--region":
				inv.region = val
			default:
				inv.apiKey = val
			}
		default:
			switch {
			case strings.HasPrefix(a, "-"):
				// Like yargs, an unknown option takes the word after it as
				// its value.
				inv.unknown = append(inv.unknown, strings.TrimLeft(name, "-"))
				if !hasVal && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
					i++
				}
			case inv.command == "" && len(inv.extra) == 0:
				if _, ok := commands[a]; !ok {
					return inv, fmt.Errorf("Unknown command: %s", a)
				}
				inv.command = a
			case inv.command == "audit" || inv.command == "skill":
				inv.extra = append(inv.extra, a)
			default:
				inv.unknown = append(inv.unknown, a)
			}
		}
	}
	if len(inv.unknown) > 0 {
		return inv, fmt.Errorf("Unknown arguments: %s", strings.Join(inv.unknown, ", "))
	}
	if inv.region != "us" && inv.region != "eu" {
		return inv, fmt.Errorf("Invalid values:\n  Argument: region, Given: %q, Choices: \"us\", \"eu\"", inv.region)
	}
	return inv, nil
}

// session writes the wizard's two streams.
type session struct {
	out, err io.Writer
}

func (s session) say(lines ...string) {
	for _, l := range lines {
		fmt.Fprintln(s.out, l)
	}
}

// phw writes the structured error line newer wizards print on stderr.
func (s session) phw(code, message string) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}{code, message})
	fmt.Fprintf(s.err, "phw-error: %s", b.String())
}

// refuse is how the wizard's argument parser rejects a command line.
func (s session) refuse(code, msg string) int {
	fmt.Fprintf(s.err, "\n\x1b[1;91m✖ %s\x1b[0m\n  Run `wizard --help` to see available commands and options.\n\n", msg)
	s.phw(code, msg)
	return 1
}

func simulate(args []string, getenv func(string) string, stdout, stderr io.Writer, wait func() int) int {
	s := session{out: stdout, err: stderr}
	inv, err := parseArgs(args)
	switch {
	case inv.version:
		fmt.Fprintln(stdout, Version)
		return 0
	case inv.help:
		s.say("wizard", "", "Run the PostHog setup wizard (simulated by wizard-ci)", "",
			"Options:", "  --ci           Run without prompts", "  --install-dir  Directory to install PostHog in",
			"  --region       us or eu", "  -v, --version  Show version number")
		return 0
	case err != nil:
		return s.refuse("PHW_CLI_BAD_ARGS", err.Error())
	case !inv.ci:
		s.say("┌  PostHog Wizard",
			"✖  This installer needs an interactive terminal (TTY), and none was found.",
			"Run it in a terminal, or pass --ci for CI/CD environments.")
		s.phw("PHW_CLI_INTERACTIVE_REQUIRED", "This installer requires an interactive terminal (TTY) to run.")
		return 1
	}
	key := inv.apiKey
	if key == "" {
		key = getenv(KeyEnv)
	}
	if key == "" {
		msg := "CI mode requires --api-key (a personal API key phx_xxx, also read from POSTHOG_WIZARD_API_KEY)."
		s.say("┌  PostHog Wizard", "✖  "+msg)
		s.phw("PHW_ARGS_MISSING_API_KEY", msg)
		return 1
	}
	if inv.installDir == "" {
		s.say("┌  PostHog Wizard", "✖  CI mode requires --install-dir")
		s.phw("PHW_ARGS_MISSING_INSTALL_DIR", "CI mode requires --install-dir")
		return 1
	}
	sc, err := ParseScenario(getenv(ScenarioEnv))
	if err != nil {
		return s.refuse("PHW_CLI_BAD_ARGS", err.Error())
	}
	attempt, _ := strconv.Atoi(getenv(AttemptEnv))
	play := sc.Outcome(getenv(AppEnv), attempt)

	program := commands[inv.command]
	if program == "" {
		program = "posthog-integration"
	}
	s.say("┌  Welcome to the PostHog setup wizard",
		fmt.Sprintf("│  Running %s in CI mode", program),
		"│  Using provided API key (CI mode - OAuth bypassed)")
	if play != Sleep {
		s.say(fmt.Sprintf("│  Simulated by wizard-ci (attempt %d)", max(attempt, 1)))
	}
	if st, err := os.Stat(inv.installDir); err != nil || !st.IsDir() {
		return s.detectFailed(inv)
	}

	// Failures that happen before the agent starts.
	switch play {
	case Sleep:
		return wait()
	case outcome.Config:
		// The published npm package refuses --ci (SPEC §4); the simulator
		// plays that refusal.
		fmt.Fprint(stderr, "\n\x1b[1;91m✖ CI mode is not currently supported in published builds.\x1b[0m\n\n")
		s.phw("PHW_CLI_FLAG_UNAVAILABLE", "CI mode is not currently supported in published builds.")
		return 1
	case outcome.Precondition:
		return s.detectFailed(inv)
	case outcome.Auth:
		s.agentStarts()
		s.say("●  Authentication failed",
			"✖  Authentication failed (401)",
			"│  The PostHog LLM Gateway did not accept the API key. Check that it is a personal API key",
			"│  (phx_…) with the llm_gateway:read scope, that it was not revoked, and that --region matches.",
			"✖  Authentication failed (401)")
		s.phw("PHW_AUTH_INVALID_OR_EXPIRED", "Authentication failed (401)")
		return 1
	case outcome.QuotaExhausted:
		msg := "You have used the daily run limit of this wizard program. Try again tomorrow."
		s.say("✖  " + msg)
		s.phw("PHW_GATEWAY_MINT_REFUSED", msg)
		return 1
	}

	s.agentStarts()
	switch play {
	case outcome.Success, outcome.ChecksFailed, outcome.NoChanges, HardcodedKey, BrokenSyntax, MissingInit, UncapturedEvent:
		return s.succeed(inv, getenv(AppEnv), play, key)
	case outcome.Timeout:
		s.say("◇  Reading the project to find its entry point", "◌  [1/3] Installing the PostHog SDK")
		return wait()
	case outcome.Provisioning:
		return s.apiError(`403 {"detail":"Model access is denied due to INVALID_PAYMENT_INSTRUMENT:The AWS Marketplace subscription for this model has no valid payment method. If you recently fixed this issue, try again after 2 minutes."}`)
	case outcome.RateLimited:
		return s.apiError(`429 {"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed your rate limit. Please slow down."}}`)
	case outcome.Overloaded:
		return s.apiError(`529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`)
	case outcome.MCPMissing:
		msg := "Could not access the PostHog MCP server\n\nThe wizard could not connect to the PostHog MCP server (network or configuration).\nPlease try again."
		s.say("●  Agent could not access PostHog MCP", "✖  "+msg)
		fmt.Fprintln(stderr, "MCP: Failed to connect to posthog: SSE error: Non-200 status code (502)")
		s.phw("PHW_AGENT_MCP_MISSING", msg)
		return 1
	case outcome.ResourceMissing:
		msg := "Could not access the setup resource\n\nThe wizard and its resources may not match, or the service is briefly unavailable.\nPlease try again."
		s.say("●  Agent could not access setup resource", "✖  "+msg)
		s.phw("PHW_AGENT_RESOURCE_MISSING", msg)
		return 1
	case outcome.SecurityBlocked:
		msg := "Security check stopped the setup.\n\nThe agent tried to read a file that looks like it holds credentials, so the run was stopped.\nNo unsafe changes were left in your project."
		s.say("●  Security violation detected", "✖  "+msg)
		s.phw("PHW_AGENT_YARA_VIOLATION", msg)
		return 1
	case outcome.Aborted:
		s.say("●  Wizard aborted", "✖  posthog-integration aborted", "│  The project has no application code the wizard knows how to instrument.")
		s.phw("PHW_AGENT_ABORT", "posthog-integration aborted")
		return 1
	case outcome.Incomplete:
		msg := "The Wizard exited without completing its planned tasks. Please contact the PostHog team with wizard@posthog.com about this error."
		s.say("◇  Reading the project to find its entry point", "●  Agent stopped before finishing", "✖  "+msg)
		s.phw("PHW_AGENT_INCOMPLETE_TASKS", msg)
		return 1
	case outcome.Crashed:
		fmt.Fprint(stderr, "file:///opt/wizard/dist/bin.js:1\n"+
			"TypeError: Cannot read properties of undefined (reading 'entrypoints')\n"+
			"    at planIntegration (file:///opt/wizard/dist/agent/plan.js:88:31)\n"+
			"    at async runAgent (file:///opt/wizard/dist/agent/run.js:142:5)\n")
		return 1
	}
	return s.refuse("PHW_CLI_BAD_ARGS", fmt.Sprintf("%s: unhandled outcome %q", ScenarioEnv, string(play)))
}

func (s session) agentStarts() {
	s.say("◇  Initializing Wizard agent...",
		"◇  Verbose logs: /tmp/posthog-wizard.log",
		"✔  Agent initialized. Let's get cooking!",
		"◌  Writing your PostHog setup with events, error capture and more...")
}

// apiError is how the wizard reports a provider error it gave up on.
func (s session) apiError(detail string) int {
	line := "API Error: " + detail
	s.say("●  API error occurred", "✖  API Error", "", line, "", "Please report this to: wizard@posthog.com")
	s.phw("PHW_AGENT_API_ERROR", "API Error\n\n"+line+"\n\nPlease report this to: wizard@posthog.com")
	return 1
}

func (s session) detectFailed(inv invocation) int {
	if inv.command == "revenue-analytics" {
		msg := "Prerequisites not met: missing-stripe\n\nSee https://posthog.com/docs/revenue-analytics"
		s.say("✖  " + msg)
		s.phw("PHW_DETECT_MISSING_STRIPE", msg)
		return 1
	}
	msg := "Could not auto-detect your framework for this project."
	s.say("✖  " + msg)
	s.phw("PHW_DETECT_NO_FRAMEWORK", msg)
	return 1
}

// succeed edits the app (unless play is no-changes) and reports success;
// the misbehaviours edit it badly, with the same transcript.
func (s session) succeed(inv invocation, app string, play outcome.Outcome, key string) int {
	if play != outcome.NoChanges {
		opt := editOptions{
			WithSDK:         play != outcome.ChecksFailed,
			NoInit:          play == MissingInit,
			BreakSyntax:     play == BrokenSyntax,
			UncapturedEvent: play == UncapturedEvent,
			Region:          inv.region,
			App:             app,
			Command:         inv.command,
		}
		if play == HardcodedKey {
			opt.HardcodedKey = key
		}
		steps, err := editApp(inv.installDir, opt)
		if errors.Is(err, errNoFramework) {
			return s.detectFailed(inv)
		}
		if err != nil {
			msg := "Something went wrong: " + err.Error() + "\n\nYou can read the documentation at https://posthog.com/docs to set up manually."
			s.say("✖  " + msg)
			s.phw("PHW_INTERNAL_UNHANDLED", msg)
			return 1
		}
		for i, st := range steps {
			s.say(fmt.Sprintf("◌  [%d/%d] %s", i+1, len(steps), st))
		}
	} else {
		s.say("◇  Reading the project to find its entry point", "◇  PostHog already looks set up here; nothing to change")
	}
	s.say("●  PostHog integration complete", "└  PostHog integration complete")
	return 0
}
