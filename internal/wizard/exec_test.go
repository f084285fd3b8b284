package wizard

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestExecRunner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := []string{"PATH=" + os.Getenv("PATH")}

	t.Run("exit code and output", func(t *testing.T) {
		t.Parallel()
		var live strings.Builder
		res, err := ExecRunner{}.Run(ctx, Cmd{Argv: []string{"sh", "-c", "echo out; echo err >&2; exit 3"}, Env: env, Output: &live})
		if err != nil {
			t.Fatal(err)
		}
		if res.ExitCode != 3 || res.Stdout != "out\n" || !strings.Contains(res.Output, "err") || !strings.Contains(live.String(), "out") {
			t.Errorf("got %+v, live %q", res, live.String())
		}
	})
	t.Run("no shell for argv", func(t *testing.T) {
		t.Parallel()
		res, err := ExecRunner{}.Run(ctx, Cmd{Argv: []string{"echo", "$(id)", "a;b"}, Env: env})
		if err != nil || res.Stdout != "$(id) a;b\n" {
			t.Errorf("got %+v, %v", res, err)
		}
	})
	t.Run("not found", func(t *testing.T) {
		t.Parallel()
		if _, err := (ExecRunner{}).Run(ctx, Cmd{Argv: []string{"/no/such/program"}, Env: env}); err == nil {
			t.Error("no error for a missing program")
		}
	})
	t.Run("timeout ends the process group", func(t *testing.T) {
		t.Parallel()
		pidFile := filepath.Join(t.TempDir(), "pid")
		start := time.Now()
		// The grandchild ignores nothing, but would outlive a plain kill of sh.
		_, err := ExecRunner{}.Run(ctx, Cmd{
			Argv:    []string{"sh", "-c", "sleep 30 & echo $! > " + pidFile + "; wait"},
			Env:     env,
			Timeout: 300 * time.Millisecond,
		})
		if !errors.Is(err, ErrTimeout) {
			t.Fatalf("error = %v, want ErrTimeout", err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("took %s to stop", d)
		}
		b, _ := os.ReadFile(pidFile)
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if pid > 0 && running(pid) {
			t.Errorf("the grandchild %d is still running", pid)
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		t.Parallel()
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := (ExecRunner{}).Run(cctx, Cmd{Argv: []string{"sh", "-c", "sleep 30"}, Env: env}); !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want context.Canceled", err)
		}
	})
	t.Run("tail is bounded", func(t *testing.T) {
		t.Parallel()
		res, err := ExecRunner{}.Run(ctx, Cmd{Argv: []string{"sh", "-c", "yes 0123456789 | head -c 300000; echo END"}, Env: env})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Output) > TailBytes || !strings.HasSuffix(res.Output, "END\n") {
			t.Errorf("output %d bytes ending %q; want at most %d ending END", len(res.Output), res.Output[max(0, len(res.Output)-20):], TailBytes)
		}
	})
}

// running reports whether pid is alive and not a zombie waiting to be reaped.
func running(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return true
	}
	// pid (comm) S ...: the state follows the last ')'.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}
