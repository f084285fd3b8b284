package checks

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ExecFunc runs argv in dir without a shell and returns its combined output
// (or its end). A non-nil error means the command failed or could not start.
type ExecFunc func(ctx context.Context, dir string, argv []string) (output string, err error)

// maxOutput bounds the output Exec keeps: the end, where errors are.
const maxOutput = 16 << 10

// Exec is the real ExecFunc: os/exec in a new process group that is killed
// when ctx ends, with the environment of wizard-ci minus its credentials
// (the app's check has no business reading them).
func Exec(ctx context.Context, dir string, argv []string) (string, error) {
	if len(argv) == 0 {
		return "", errors.New("no command")
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = checkEnv(os.Environ())
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		// The whole group: a check that started children must not outlive it.
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	cmd.WaitDelay = 2 * time.Second
	out := &tail{max: maxOutput}
	cmd.Stdout, cmd.Stderr = out, out
	err := cmd.Run()
	if err == nil && cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // stragglers
	}
	return out.String(), err
}

// checkEnv is env without the variables that carry wizard-ci's credentials.
func checkEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "INPUT_"), k == "GITHUB_TOKEN", k == "GH_TOKEN", k == "POSTHOG_WIZARD_API_KEY",
			strings.HasPrefix(k, "ACTIONS_RUNTIME_"), strings.HasPrefix(k, "ACTIONS_ID_TOKEN_"):
			continue
		}
		out = append(out, kv)
	}
	return out
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
