package runner

import (
	"bufio"
	"bytes"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/posthog/wizard-ci/internal/outcome"
)

const (
	// maxLine bounds a line held in memory; a longer line is handed on in
	// pieces (the secrets writer does the same at 64 KiB).
	maxLine = 64 << 10
	// maxExcerptLine bounds a line kept for the excerpt.
	maxExcerptLine = 500
)

// transcript takes one attempt's masked output from both streams: it
// appends it to the app's log, feeds every line to the classifier and keeps
// the last lines for the excerpt. Its memory does not grow with the output.
type transcript struct {
	mu      sync.Mutex
	log     *bufio.Writer
	cls     *outcome.Classifier
	excerpt *ring
	streams []*lineSink
}

func newTranscript(log *bufio.Writer, cls *outcome.Classifier, excerpt *ring) *transcript {
	return &transcript{log: log, cls: cls, excerpt: excerpt}
}

// stream returns a writer for one of the process's streams; each keeps its
// own partial line, so stdout and stderr never splice into one line.
func (t *transcript) stream() *lineSink {
	s := &lineSink{t: t}
	t.streams = append(t.streams, s)
	return s
}

// close hands on the streams' last lines that had no newline.
func (t *transcript) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range t.streams {
		s.flush()
	}
}

func (t *transcript) result(e outcome.Exit) outcome.Result {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cls.Result(e)
}

// line is one complete line (t.mu held).
func (t *transcript) line(b []byte) {
	s := string(b)
	t.cls.Line(s)
	t.excerpt.add(s)
}

// lineSink splits one stream into lines.
type lineSink struct {
	t       *transcript
	partial []byte
}

func (s *lineSink) Write(p []byte) (int, error) {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	// A log that cannot be written must not stop the wizard or its
	// classification: the write error is dropped here.
	_, _ = s.t.log.Write(p)
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			s.add(p)
			break
		}
		s.add(p[:i])
		s.flush()
		p = p[i+1:]
	}
	return n, nil
}

// add appends to the partial line, handing on full pieces of maxLine.
func (s *lineSink) add(b []byte) {
	for len(s.partial)+len(b) > maxLine {
		k := maxLine - len(s.partial)
		s.partial = append(s.partial, b[:k]...)
		b = b[k:]
		s.emit()
	}
	s.partial = append(s.partial, b...)
}

func (s *lineSink) flush() {
	if len(s.partial) > 0 {
		s.emit()
	}
}

func (s *lineSink) emit() {
	s.t.line(s.partial)
	s.partial = s.partial[:0]
}

// ring keeps the last n lines, each cut to maxExcerptLine bytes and
// cleaned of terminal escapes. It keeps a line it is given as is when it
// needs no change, so the caller must not pass a piece of a larger string.
type ring struct {
	buf  []string
	next int
	full bool
}

func newRing(n int) *ring { return &ring{buf: make([]string, max(n, 1))} }

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)`)

func (r *ring) add(line string) {
	s := strings.TrimRight(line, "\r")
	if i := strings.LastIndexByte(s, '\r'); i >= 0 {
		s = s[i+1:] // a spinner redraw: what is left on screen
	}
	if strings.IndexByte(s, 0x1b) >= 0 {
		s = ansi.ReplaceAllString(s, "")
	}
	switch {
	case len(s) > maxExcerptLine:
		n := maxExcerptLine
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n] + "…" // a copy: the long line is not kept
	case len(s) < len(line):
		s = strings.Clone(s) // do not pin the rest of the line
	}
	r.buf[r.next] = s
	r.next++
	if r.next == len(r.buf) {
		r.next, r.full = 0, true
	}
}

func (r *ring) reset() {
	clear(r.buf)
	r.next, r.full = 0, false
}

// lines returns the kept lines, oldest first, without blank lines at
// either end.
func (r *ring) lines() []string {
	var out []string
	if r.full {
		out = append(out, r.buf[r.next:]...)
	}
	out = append(out, r.buf[:r.next]...)
	for len(out) > 0 && strings.TrimSpace(out[0]) == "" {
		out = out[1:]
	}
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
