package ghaction

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestInert(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"::error::boom", ": :error::boom"},
		{"  \t::add-mask::x", "  \t: :add-mask::x"},
		{"API Error: 401 ::error::x ##[error]y", "API Error: 401 ::error::x ## [error]y"},
		{"##[stop-commands]tok", "## [stop-commands]tok"},
		{"###[set-output name=a]b", "### [set-output name=a]b"},
		{"plain text: a::b", "plain text: a::b"},
		{"", ""},
	} {
		if got := Inert(tc.in); got != tc.want {
			t.Errorf("Inert(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := InertLines("ok\n::warning::x\n##[group]y"); got != "ok\n: :warning::x\n## [group]y" {
		t.Errorf("InertLines = %q", got)
	}
}

// TestInertWriter: whatever the writes, no line of the output can be read
// by the runner as a workflow command.
func TestInertWriter(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	w := NewInertWriter(&b)
	fmt.Fprintf(w, "wizard-ci: %s\n", "x ##[error]y")
	fmt.Fprint(w, "::warning::")           // a line start
	fmt.Fprint(w, "not a start ::error::") // the rest of that line
	fmt.Fprint(w, "\n::error::a\n##[")
	fmt.Fprint(w, "add-mask]z\n")
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, " \t"), "::") || strings.Contains(l, "##[") {
			t.Errorf("line %q is a workflow command", l)
		}
	}
	if !strings.Contains(b.String(), "wizard-ci: x ## [error]y\n") {
		t.Errorf("output %q lost its text", b.String())
	}
}

// TestInertWriterConcurrent: several goroutines write at once (go test
// -race checks the writer's own state).
func TestInertWriterConcurrent(t *testing.T) {
	t.Parallel()
	var b syncBuffer
	w := NewInertWriter(&b)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				fmt.Fprintf(w, "line %d ##[error]x\n", i)
			}
		}()
	}
	wg.Wait()
	if got := strings.Count(b.String(), "## [error]x\n"); got != 400 {
		t.Errorf("%d inert lines, want 400", got)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
