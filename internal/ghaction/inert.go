package ghaction

import (
	"io"
	"strings"
	"sync"
)

// Inert makes one line of text that may hold untrusted words (a wizard's
// message, a comment's token) inert for the Actions runner, which reads
// workflow commands in a step's stdout and stderr: "::name::" at the start
// of a line, and the legacy "##[name]" anywhere in it. The first becomes
// ": :name::", the second "## [name]"; nothing else changes.
func Inert(line string) string {
	if t := strings.TrimLeft(line, " \t"); strings.HasPrefix(t, "::") {
		i := len(line) - len(t)
		line = line[:i] + ": :" + line[i+2:]
	}
	return inertLegacy(line)
}

// inertLegacy makes the legacy "##[name]" commands of s inert: the part of
// Inert that holds anywhere in a line, not only at its start.
func inertLegacy(s string) string { return strings.ReplaceAll(s, "##[", "## [") }

// InertLines is Inert for every line of s.
func InertLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Inert(l)
	}
	return strings.Join(lines, "\n")
}

// NewInertWriter writes through to w with every line made Inert. It is for
// a stream that never carries wizard-ci's own workflow commands (those go
// to stdout through Action); each Write is taken as whole lines or the
// rest of one, as fmt.Fprintf writes them.
func NewInertWriter(w io.Writer) io.Writer { return &inertWriter{w: w, atStart: true} }

// inertWriter is safe for concurrent use: progress lines and GitHub's
// retry notes are written from several goroutines.
type inertWriter struct {
	mu      sync.Mutex
	w       io.Writer
	atStart bool // the next byte starts a line
}

func (iw *inertWriter) Write(p []byte) (int, error) {
	iw.mu.Lock()
	defer iw.mu.Unlock()
	s := string(p)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if i == 0 && !iw.atStart {
			// The rest of a line: only "##[" can make it a command now.
			lines[i] = inertLegacy(l)
			continue
		}
		lines[i] = Inert(l)
	}
	iw.atStart = strings.HasSuffix(s, "\n")
	if _, err := io.WriteString(iw.w, strings.Join(lines, "\n")); err != nil {
		return 0, err
	}
	return len(p), nil
}
