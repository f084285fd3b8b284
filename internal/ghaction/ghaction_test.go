package ghaction

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestInput(t *testing.T) {
	t.Parallel()
	a := New(env(map[string]string{
		"INPUT_GITHUB-TOKEN":  "  ghs_x \n",
		"INPUT_REPORT_ISSUE":  "tracking",
		"INPUT_WORKBENCH":     "",
		"INPUT_GITHUB_TOKEN":  "wrong: GitHub keeps hyphens",
		"INPUT_MIN-PERMISSON": "typo",
	}), &bytes.Buffer{})
	for name, want := range map[string]string{
		"github-token":   "ghs_x",
		"GITHUB-TOKEN":   "ghs_x",
		"report issue":   "tracking",
		"workbench":      "",
		"min-permission": "",
	} {
		if got := a.Input(name); got != want {
			t.Errorf("Input(%q) = %q, want %q", name, got, want)
		}
	}
}

// parseRecords reads a GITHUB_OUTPUT/GITHUB_ENV file the way the runner
// does: "name=value" lines and "name<<DELIM" heredocs.
func parseRecords(t *testing.T, path string) [][2]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if line == "" {
			continue
		}
		eq, hd := strings.Index(line, "="), strings.Index(line, "<<")
		if eq >= 0 && (hd < 0 || eq < hd) {
			out = append(out, [2]string{line[:eq], line[eq+1:]})
			continue
		}
		if hd < 0 {
			t.Fatalf("line %d %q is not a record", i+1, line)
		}
		name, delim := line[:hd], line[hd+2:]
		var val []string
		for i++; ; i++ {
			if i >= len(lines) {
				t.Fatalf("no closing delimiter %q", delim)
			}
			if lines[i] == delim {
				break
			}
			val = append(val, lines[i])
		}
		out = append(out, [2]string{name, strings.Join(val, "\n")})
	}
	return out
}

func TestSetOutput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		writes [][2]string
		delim  string // fixed delimiter, "" = random
		want   [][2]string
		errAt  int // index of the write that must fail, -1 = none
	}{
		{
			name:   "simple and multi-line",
			writes: [][2]string{{"total", "40"}, {"results-json", "out/results.json"}, {"matrix", "{\"a\":\n[1]}"}, {"empty", ""}},
			want:   [][2]string{{"total", "40"}, {"results-json", "out/results.json"}, {"matrix", "{\"a\":\n[1]}"}, {"empty", ""}},
			errAt:  -1,
		},
		{
			name:   "heredoc injection stays inside the value",
			writes: [][2]string{{"comment-url", "x\nfoo<<EOF\nbar\nEOF\nfailed=0"}},
			want:   [][2]string{{"comment-url", "x\nfoo<<EOF\nbar\nEOF\nfailed=0"}},
			errAt:  -1,
		},
		{
			name:   "value holding the delimiter is refused",
			delim:  "ghadelimiter_fixed",
			writes: [][2]string{{"a", "1"}, {"b", "x\nghadelimiter_fixed\nfailed=0\nq<<ghadelimiter_fixed"}, {"c", "3"}},
			want:   [][2]string{{"a", "1"}, {"c", "3"}},
			errAt:  1,
		},
		{name: "name with =", writes: [][2]string{{"a=b", "1"}}, errAt: 0},
		{name: "name with newline", writes: [][2]string{{"a\nfailed", "1"}}, errAt: 0},
		{name: "name with heredoc", writes: [][2]string{{"a<<X", "1"}}, errAt: 0},
		{name: "empty name", writes: [][2]string{{"", "1"}}, errAt: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "output")
			a := New(env(map[string]string{"GITHUB_OUTPUT": path}), &bytes.Buffer{})
			if tc.delim != "" {
				a.Delimiter = func() (string, error) { return tc.delim, nil }
			}
			for i, w := range tc.writes {
				err := a.SetOutput(w[0], w[1])
				if (err != nil) != (i == tc.errAt) {
					t.Errorf("SetOutput(%q, %q) error = %v", w[0], w[1], err)
				}
			}
			if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
				if len(tc.want) != 0 {
					t.Fatal("no output file")
				}
				return
			}
			if d := cmp.Diff(tc.want, parseRecords(t, path)); d != "" {
				t.Errorf("outputs (-want +got):\n%s", d)
			}
		})
	}
}

func TestSetOutputRandomDelimiter(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "output")
	a := New(env(map[string]string{"GITHUB_OUTPUT": path}), &bytes.Buffer{})
	for i := range 2 {
		if err := a.SetOutput(fmt.Sprint("o", i), "v"); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	lines := strings.Split(string(b), "\n")
	d0, _ := strings.CutPrefix(lines[0], "o0<<")
	d1, _ := strings.CutPrefix(lines[3], "o1<<")
	if len(d0) != len("ghadelimiter_")+32 || d0 == d1 || lines[2] != d0 || lines[5] != d1 {
		t.Errorf("delimiters %q, %q in\n%s", d0, d1, b)
	}
}

func TestSetOutputNoFile(t *testing.T) {
	t.Parallel()
	a := New(env(nil), &bytes.Buffer{})
	if err := a.SetOutput("total", "1"); !errors.Is(err, ErrNoFile) {
		t.Errorf("SetOutput without GITHUB_OUTPUT = %v, want ErrNoFile", err)
	}
	if err := a.SetEnv("X", "1"); !errors.Is(err, ErrNoFile) {
		t.Errorf("SetEnv without GITHUB_ENV = %v, want ErrNoFile", err)
	}
	if err := a.AddStepSummary("x"); !errors.Is(err, ErrNoFile) {
		t.Errorf("AddStepSummary without GITHUB_STEP_SUMMARY = %v, want ErrNoFile", err)
	}
	b := New(env(map[string]string{"GITHUB_OUTPUT": filepath.Join(t.TempDir(), "o")}), &bytes.Buffer{})
	b.Delimiter = func() (string, error) { return "", errors.New("no entropy") }
	if err := b.SetOutput("a", "b"); err == nil || !strings.Contains(err.Error(), "no entropy") {
		t.Errorf("SetOutput with a failing delimiter = %v", err)
	}
}

func TestSetEnv(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "env")
	a := New(env(map[string]string{"GITHUB_ENV": path}), &bytes.Buffer{})
	if err := a.SetEnv("WIZARD_CI_OUT", "a\nLD_PRELOAD=/tmp/x"); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([][2]string{{"WIZARD_CI_OUT", "a\nLD_PRELOAD=/tmp/x"}}, parseRecords(t, path)); d != "" {
		t.Errorf("env (-want +got):\n%s", d)
	}
}

func TestAddStepSummary(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		existing  int
		add       string
		wantErr   bool
		wantSize  int // -1: existing + len(add)
		wantNote  bool
		wantWrote bool
	}{
		{name: "append", existing: 10, add: "## hi\n", wantSize: -1, wantWrote: true},
		{name: "exactly full", existing: MaxSummary - 6, add: "## hi\n", wantSize: MaxSummary, wantWrote: true},
		{name: "cut", existing: MaxSummary - 1000, add: strings.Repeat("é", 1000), wantNote: true, wantWrote: true},
		{name: "no room for the note", existing: MaxSummary - 10, add: strings.Repeat("x", 100), wantErr: true, wantSize: MaxSummary - 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "summary")
			if err := os.WriteFile(path, bytes.Repeat([]byte("a"), tc.existing), 0o644); err != nil {
				t.Fatal(err)
			}
			a := New(env(map[string]string{"GITHUB_STEP_SUMMARY": path}), &bytes.Buffer{})
			err := a.AddStepSummary(tc.add)
			if (err != nil) != tc.wantErr {
				t.Fatalf("AddStepSummary error = %v, want error %v", err, tc.wantErr)
			}
			b, _ := os.ReadFile(path)
			if len(b) > MaxSummary {
				t.Errorf("summary is %d bytes, over %d", len(b), MaxSummary)
			}
			want := tc.wantSize
			if want == -1 {
				want = tc.existing + len(tc.add)
			}
			if want != 0 && len(b) != want {
				t.Errorf("summary is %d bytes, want %d", len(b), want)
			}
			if got := strings.HasSuffix(string(b), SummaryCutNote); got != tc.wantNote {
				t.Errorf("ends with the cut note = %v, want %v", got, tc.wantNote)
			}
			if !utf8.Valid(b) {
				t.Error("summary is not valid UTF-8")
			}
		})
	}
}

func TestMaskAndCommands(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	a := New(env(nil), &out)
	a.Mask("")
	a.Mask("phx_abc%def")
	a.Mask("line1\r\n\n  \nline2\n")
	a.Warningf("app %s failed", "next-js")
	a.Errorf("two\nlines")
	a.Group("Run wizard")
	a.EndGroup()
	want := "::add-mask::phx_abc%25def\n" +
		"::add-mask::line1\n" +
		"::add-mask::line2\n" +
		"::warning::app next-js failed\n" +
		"::error::two%0Alines\n" +
		"::group::Run wizard\n" +
		"::endgroup::\n"
	if d := cmp.Diff(want, out.String()); d != "" {
		t.Errorf("stdout (-want +got):\n%s", d)
	}
	if a.Err() != nil {
		t.Errorf("Err = %v", a.Err())
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("stdout closed") }

func TestCommandsNeverPanic(t *testing.T) {
	t.Parallel()
	a := New(env(nil), failWriter{})
	a.Mask("secret")
	a.Warningf("w")
	a.Group("g")
	a.EndGroup()
	if err := a.Err(); err == nil || err.Error() != "stdout closed" {
		t.Errorf("Err = %v", err)
	}
}

func TestStopCommands(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	a := New(env(nil), &out)
	a.Delimiter = func() (string, error) { return "tok123", nil }
	resume, err := a.StopCommands()
	if err != nil {
		t.Fatal(err)
	}
	out.WriteString("::error::from a comment\n")
	resume()
	if want := "::stop-commands::tok123\n::error::from a comment\n::tok123::\n"; out.String() != want {
		t.Errorf("stdout = %q, want %q", out.String(), want)
	}
}
