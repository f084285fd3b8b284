package runner

import (
	"context"
	"io"
	"time"
)

// Clock is the runner's view of time. Production uses the real clock; tests
// pass a fake so no test sleeps for a real retry delay.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// Spec is one process to start. Argv is never passed through a shell.
type Spec struct {
	Argv   []string
	Dir    string
	Env    []string // the complete environment of the child
	Stdout io.Writer
	Stderr io.Writer
}

// Process is a started wizard. Signal goes to its whole process group.
type Process interface {
	Wait() (code int, signaled bool, err error)
	Signal(sig Sig) error
}

// Sig is the signal sent to a process group.
type Sig int

// The two signals the runner sends.
const (
	SIGTERM Sig = iota
	SIGKILL
)

// Starter starts processes. Production uses os/exec with a new process
// group; tests replay fixture transcripts or re-exec the test binary.
type Starter interface {
	Start(ctx context.Context, s Spec) (Process, error)
}
