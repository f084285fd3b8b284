//go:build !linux

package runner

import "syscall"

// signalTagged is a no-op where /proc does not list process environments:
// there only the process group is signalled.
func signalTagged(string, syscall.Signal) {}
