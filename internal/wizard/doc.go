// Package wizard says where the wizard comes from and whether it can run:
// it fetches and builds the wizard from a git ref (Builder, once per commit),
// splits a wizard-command into arguments without a shell, checks before any
// app that the wizard starts on a Node.js its engines allow (Preflight), and
// holds the built-in simulator that stands in for the real wizard CLI
// (SPEC §4, §8). Every process it runs to get there goes through a Runner,
// so tests can replace them.
//
// The simulator runs as the hidden sub-command `wizard-ci __simulate-wizard`
// (see SimulatorArgv), so the runner starts it exactly like a real wizard: a
// separate process with its own process group, working in the app copy, with
// the PostHog key in its environment. Which outcome it plays is chosen per app
// and attempt by the environment variable WIZARD_CI_SIMULATE (see
// ParseScenario); on success it edits the app the way the wizard does, by
// language, so the checks that follow have something real to check.
package wizard
