package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Cmd is one short process wizard-ci runs to get the wizard ready: git, the
// build command, `node --version`, `<wizard> --version`. Argv is never
// passed through a shell (the build command is run as `sh -c CMD`
// explicitly, because it comes from the workflow author).
type Cmd struct {
	Argv    []string
	Dir     string        // working directory; "" is ours
	Env     []string      // the complete environment of the child
	Timeout time.Duration // 0: only ctx limits it
	// Output, when set, receives stdout and stderr as they are written.
	Output io.Writer
}

// Result is how a Cmd ended. Stdout and Output keep only the last
// TailBytes of what was printed, so a chatty build cannot grow memory.
type Result struct {
	ExitCode int    // -1 when a signal ended it
	Stdout   string // tail of stdout
	Output   string // tail of stdout and stderr as they interleaved
}

// TailBytes is how much of a command's output a Result keeps.
const TailBytes = 64 << 10

// ErrTimeout is returned (wrapped) when a Cmd ran out of its Timeout.
var ErrTimeout = errors.New("timed out")

// Runner runs a Cmd to completion. A non-zero exit is a Result, not an
// error; the error is for a program that could not be started, a timeout
// (ErrTimeout) or a cancelled ctx. Tests pass a fake Runner.
type Runner interface {
	Run(ctx context.Context, c Cmd) (Result, error)
}

// ExecRunner runs commands with os/exec, each in its own process group:
// on timeout or cancellation the whole group gets SIGTERM and, after
// KillGrace, SIGKILL; anything the command left running is killed when it
// ends.
type ExecRunner struct{}

var _ Runner = ExecRunner{}

// KillGrace is how long a command may take to exit after SIGTERM.
const KillGrace = 3 * time.Second

var errTimeoutCause = errors.New("timeout")

// Run runs c.Argv without a shell.
func (ExecRunner) Run(ctx context.Context, c Cmd) (Result, error) {
	if len(c.Argv) == 0 || c.Argv[0] == "" {
		return Result{}, errors.New("no program to run")
	}
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, c.Timeout, errTimeoutCause)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, c.Argv[0], c.Argv[1:]...)
	cmd.Dir = c.Dir
	cmd.Env = c.Env
	if cmd.Env == nil {
		cmd.Env = []string{}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	cmd.WaitDelay = KillGrace
	stdout, all := &tail{max: TailBytes}, &tail{max: TailBytes}
	var live io.Writer = io.Discard
	if c.Output != nil {
		live = c.Output
	}
	var mu sync.Mutex // stdout and stderr are copied by two goroutines
	cmd.Stdout = lockedWriter{&mu, io.MultiWriter(stdout, all, live)}
	cmd.Stderr = lockedWriter{&mu, io.MultiWriter(all, live)}
	err := cmd.Run()
	if cmd.Process != nil {
		// Whatever the command left behind in its group goes with it.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	mu.Lock()
	res := Result{ExitCode: cmd.ProcessState.ExitCode(), Stdout: stdout.String(), Output: all.String()}
	mu.Unlock()
	if cmd.ProcessState == nil {
		res.ExitCode = -1
	}
	if ctx.Err() != nil {
		if errors.Is(context.Cause(ctx), errTimeoutCause) {
			return res, fmt.Errorf("%w after %s", ErrTimeout, c.Timeout)
		}
		return res, context.Cause(ctx)
	}
	var ee *exec.ExitError
	switch {
	case err == nil, errors.Is(err, exec.ErrWaitDelay):
		return res, nil
	case errors.As(err, &ee):
		return res, nil
	default:
		return res, err
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.w.Write(p) // a failing live writer must not stop the command
	return len(p), nil
}

// tail keeps the last max bytes written to it.
type tail struct {
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 2*t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	if len(t.b) > t.max {
		return string(t.b[len(t.b)-t.max:])
	}
	return string(t.b)
}
