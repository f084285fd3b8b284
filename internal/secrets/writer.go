package secrets

import (
	"bytes"
	"errors"
	"io"
	"sync"
)

// MaxLine is the most a Writer buffers while waiting for a newline. A
// longer line is masked and written in pieces of at most MaxLine bytes.
//
// Known risk: a secret that straddles two pieces is masked in neither. To
// make that unlikely, a piece ends after the last space or tab in its
// second half when there is one (secrets and key shapes hold no blanks),
// so only a blank-free run longer than MaxLine/2 can split a secret.
const MaxLine = 64 << 10

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("secrets: write to a closed writer")

// writer masks each line before passing it on.
type writer struct {
	mu   sync.Mutex
	m    *Masker
	w    io.Writer
	buf  []byte // the current line so far; never more than MaxLine bytes
	err  error  // first error from w, returned from then on
	shut bool
}

// NewWriter returns a writer that masks with m everything written to it
// and passes it on to w a line at a time, so a secret split across two
// Write calls is still masked. Close writes the last, unterminated line; it
// does not close w. The writer is safe for concurrent use.
func NewWriter(m *Masker, w io.Writer) io.WriteCloser {
	return &writer{m: m, w: w, buf: make([]byte, 0, 4096)}
}

func (w *writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.shut {
		return 0, ErrClosed
	}
	if w.err != nil {
		return 0, w.err
	}
	done := 0
	for len(p) > 0 {
		room := MaxLine - len(w.buf)
		if i := bytes.IndexByte(p, '\n'); i >= 0 && i < room {
			w.buf = append(w.buf, p[:i]...)
			w.emit(w.buf, true)
			w.buf = w.buf[:0]
			p, done = p[i+1:], done+i+1
		} else {
			n := min(len(p), room)
			w.buf = append(w.buf, p[:n]...)
			p, done = p[n:], done+n
			if len(w.buf) == MaxLine {
				w.piece()
			}
		}
		if w.err != nil {
			return done, w.err
		}
	}
	return done, nil
}

// piece writes the front of a full buffer, cut after a blank in its second
// half when there is one, and keeps the rest.
func (w *writer) piece() {
	cut := len(w.buf)
	if i := bytes.LastIndexAny(w.buf, " \t"); i >= len(w.buf)/2 {
		cut = i + 1
	}
	w.emit(w.buf[:cut], false)
	w.buf = w.buf[:copy(w.buf, w.buf[cut:])]
}

// emit masks text and writes it, with a newline when nl is set.
func (w *writer) emit(text []byte, nl bool) {
	if w.err != nil {
		return
	}
	out := w.m.Mask(string(text))
	if nl {
		out += "\n"
	}
	if _, err := io.WriteString(w.w, out); err != nil {
		w.err = err
	}
}

// Close masks and writes the unterminated tail, if any. Closing twice is
// not an error.
func (w *writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.shut {
		return w.err
	}
	w.shut = true
	if len(w.buf) > 0 {
		w.emit(w.buf, false)
		w.buf = nil
	}
	return w.err
}
