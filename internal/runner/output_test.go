package runner

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/posthog/wizard-ci/internal/outcome"
)

func TestRing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    int
		in   []string
		want []string
	}{
		{name: "fewer than n", n: 3, in: []string{"a", "b"}, want: []string{"a", "b"}},
		{name: "keeps the last n", n: 3, in: []string{"a", "b", "c", "d", "e"}, want: []string{"c", "d", "e"}},
		{name: "exactly n", n: 2, in: []string{"a", "b"}, want: []string{"a", "b"}},
		{name: "blank ends dropped", n: 5, in: []string{"", "a", " ", "b", ""}, want: []string{"a", " ", "b"}},
		{name: "only blanks", n: 2, in: []string{"", " "}, want: nil},
		{name: "ansi removed", n: 2, in: []string{"\x1b[1;91m✖ Unknown arguments: x\x1b[0m"}, want: []string{"✖ Unknown arguments: x"}},
		{name: "spinner redraw", n: 2, in: []string{"◒ working\r◐ working\r✔ done\r"}, want: []string{"✔ done"}},
		{name: "long line cut", n: 1, in: []string{strings.Repeat("é", 400)}, want: []string{strings.Repeat("é", maxExcerptLine/2) + "…"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRing(tc.n)
			for _, l := range tc.in {
				r.add(l)
			}
			if d := cmp.Diff(tc.want, r.lines()); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			r.reset()
			if got := r.lines(); got != nil {
				t.Errorf("after reset: %q", got)
			}
		})
	}
}

// TestTranscriptLines: each stream is split into lines on its own, lines
// split across writes are joined, a last line without a newline counts, and
// a huge line is handed on in bounded pieces. The log gets the bytes as
// written.
func TestTranscriptLines(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	lw := bufio.NewWriter(&log)
	rg := newRing(100)
	tr := newTranscript(lw, outcome.NewClassifier(), rg)
	out, errw := tr.stream(), tr.stream()
	huge := strings.Repeat("z", 2*maxLine+10)
	for _, w := range []struct {
		s io.Writer
		b string
	}{
		{out, "hello "}, {errw, "err one\nerr "}, {out, "world\nsecond"}, {errw, "two\n"}, {out, " line\n" + huge + "\ntail"},
	} {
		if _, err := io.WriteString(w.s, w.b); err != nil {
			t.Fatal(err)
		}
	}
	tr.close()
	lw.Flush()
	var got []string
	for _, l := range rg.lines() {
		if strings.HasPrefix(l, "zzz") {
			l = "z…"
		}
		got = append(got, l)
	}
	want := []string{"err one", "hello world", "err two", "second line", "z…", "z…", "z…", "tail"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("lines (-want +got):\n%s", d)
	}
	if !strings.Contains(log.String(), "hello err one\nerr world\nsecond") {
		t.Errorf("log does not hold the writes in order: %.80q", log.String())
	}
}
