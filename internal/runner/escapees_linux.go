package runner

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// signalTagged sends sig to every process whose environment holds tag
// ("NAME=value"), except this one. A process that left the wizard's process
// group (setsid, a daemonising dev server) keeps the environment it was
// started with, so this reaches what a group signal cannot; Jenkins' process
// tree killer finds a build's leftovers the same way.
func signalTagged(tag string, sig syscall.Signal) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	want := []byte("\x00" + tag + "\x00")
	self := os.Getpid()
	buf := make([]byte, 0, 4096)
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err != nil {
			continue // gone, or another user's: not ours to end
		}
		buf = append(append(append(buf[:0], 0), env...), 0)
		if bytes.Contains(buf, want) {
			_ = syscall.Kill(pid, sig)
		}
	}
}
