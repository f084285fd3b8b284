// Package runner runs the wizard on selected workbench apps: a fresh copy of
// the app per attempt, the process with its time limit and process group, a
// streamed and masked log, classification, retries with a shared provider
// cooldown, and a concurrency limit. It talks to no GitHub API.
package runner
