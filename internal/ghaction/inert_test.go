package ghaction

import (
	"fmt"
	"strings"
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
