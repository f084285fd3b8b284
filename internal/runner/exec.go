package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// TagEnv names the variable that tags every process of one attempt: the
// wizard and whatever it starts inherit it, so signals reach processes that
// left the process group too (see signalTagged).
const TagEnv = "WIZARD_CI_PROCESS"

var tagSeq atomic.Uint64

// ExecStarter starts real processes with os/exec, each in a new process
// group, so a signal reaches the wizard and everything it spawned. It never
// uses a shell.
type ExecStarter struct{}

var _ Starter = ExecStarter{}

// pipeDrain bounds how long Wait keeps reading output after the process
// group is gone: a process that left the group (setsid) may hold the pipe.
const pipeDrain = 2 * time.Second

// Start starts s.Argv. ctx is only consulted before starting: the runner
// ends the process itself with Signal, so it can give it time to exit.
func (ExecStarter) Start(ctx context.Context, s Spec) (Process, error) {
	if len(s.Argv) == 0 {
		return nil, errors.New("no program to start")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cmd := exec.Command(s.Argv[0], s.Argv[1:]...)
	cmd.Dir = s.Dir
	tag := TagEnv + "=" + strconv.Itoa(os.Getpid()) + "." + strconv.FormatUint(tagSeq.Add(1), 10)
	// Last wins when os/exec removes duplicates, so an inherited tag (a
	// wizard-ci run inside a wizard) is replaced, not reused.
	cmd.Env = append(s.Env[:len(s.Env):len(s.Env)], tag)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p := &execProcess{cmd: cmd, tag: tag}
	// Our own pipes instead of cmd.Stdout = writer: Wait can then return
	// when the wizard exits and kill what it left behind, instead of
	// waiting for every holder of the pipe to close it.
	var files []*os.File
	for _, w := range []io.Writer{s.Stdout, s.Stderr} {
		if w == nil {
			w = io.Discard
		}
		r, pw, err := os.Pipe()
		if err != nil {
			for _, f := range files {
				f.Close()
			}
			return nil, err
		}
		files = append(files, r, pw)
		p.readers = append(p.readers, r)
		p.copying.Add(1)
		go func(w io.Writer, r *os.File) {
			defer p.copying.Done()
			_, _ = io.Copy(w, r)
		}(w, r)
	}
	cmd.Stdout, cmd.Stderr = files[1], files[3]
	err := cmd.Start()
	// The child has its copies of the write ends; ours must go, or the
	// readers never see the end of the output.
	files[1].Close()
	files[3].Close()
	if err != nil {
		for _, r := range p.readers {
			r.Close()
		}
		p.copying.Wait()
		return nil, fmt.Errorf("start %s: %w", s.Argv[0], err)
	}
	p.pgid = cmd.Process.Pid
	return p, nil
}

type execProcess struct {
	cmd     *exec.Cmd
	pgid    int
	tag     string // TagEnv=value, in the environment of everything it started
	readers []*os.File
	copying sync.WaitGroup
}

// Signal sends sig to the whole process group and to the processes that
// left it.
func (p *execProcess) Signal(sig Sig) error {
	s := syscall.SIGTERM
	if sig == SIGKILL {
		s = syscall.SIGKILL
	}
	err := syscall.Kill(-p.pgid, s)
	signalTagged(p.tag, s)
	if err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}

// Wait waits for the wizard to exit, kills whatever it left running in its
// process group, and waits for its output to be copied. code is -1 when a
// signal ended it.
func (p *execProcess) Wait() (code int, signaled bool, err error) {
	werr := p.cmd.Wait()
	// Stragglers (an MCP server, a dev server, a daemon that called
	// setsid) must not outlive the attempt.
	_ = syscall.Kill(-p.pgid, syscall.SIGKILL)
	signalTagged(p.tag, syscall.SIGKILL)
	done := make(chan struct{})
	go func() { p.copying.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(pipeDrain):
		for _, r := range p.readers {
			r.Close()
		}
		<-done
	}
	for _, r := range p.readers {
		r.Close()
	}
	st := p.cmd.ProcessState
	if st == nil {
		return -1, false, werr
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -1, true, nil
	}
	var ee *exec.ExitError
	if werr != nil && !errors.As(werr, &ee) {
		return st.ExitCode(), false, werr
	}
	return st.ExitCode(), false, nil
}
