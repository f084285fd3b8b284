// Package runnertest provides fakes for tests of the runner and its
// callers: a Starter that replays scripted wizard transcripts per app and
// attempt, and clocks that let a test control every wait. It starts no
// process and never sleeps.
package runnertest
