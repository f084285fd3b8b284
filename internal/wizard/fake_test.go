package wizard

import (
	"context"
	"strings"
	"sync"
)

// fakeRunner records every command and answers with handle (exit 0 and no
// output when handle is nil or returns nil).
type fakeRunner struct {
	mu     sync.Mutex
	calls  []Cmd
	handle func(c Cmd) *answer
}

// answer is how a faked command ends.
type answer struct {
	res Result
	err error
}

func (f *fakeRunner) Run(ctx context.Context, c Cmd) (Result, error) {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	h := f.handle
	f.mu.Unlock()
	if h != nil {
		if a := h(c); a != nil {
			return a.res, a.err
		}
	}
	return Result{}, nil
}

// argvs is every recorded argv, space-joined.
func (f *fakeRunner) argvs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		out = append(out, strings.Join(c.Argv, " "))
	}
	return out
}

func envValue(env []string, key string) (string, bool) {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}
