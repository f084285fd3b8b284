// Package wizard says where the wizard comes from: it splits a
// wizard-command into arguments without a shell, and it holds the built-in
// simulator that stands in for the real wizard CLI (SPEC §4, §8).
//
// The simulator runs as the hidden sub-command `wizard-ci __simulate-wizard`
// (see SimulatorArgv), so the runner starts it exactly like a real wizard: a
// separate process with its own process group, working in the app copy, with
// the PostHog key in its environment. Which outcome it plays is chosen per app
// and attempt by the environment variable WIZARD_CI_SIMULATE (see
// ParseScenario); on success it edits the app the way the wizard does, by
// language, so the checks that follow have something real to check.
package wizard
