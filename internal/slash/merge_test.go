package slash

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// programs stands in for the categories of a workbench config.
func programs(name string) bool {
	return name == "basic-integration" || name == "snapshots"
}

func TestMerge(t *testing.T) {
	t.Parallel()
	type merged struct {
		Program string
		Targets []string
		Errs    []wantErr
	}
	tests := []struct {
		name      string
		lines     [][]string
		isProgram func(string) bool
		want      merged
	}{
		{"one target", [][]string{{"all"}}, programs, merged{Targets: []string{"all"}}},
		{"a lone program name is a target", [][]string{{"basic-integration"}}, programs,
			merged{Targets: []string{"basic-integration"}}},
		{"program then target", [][]string{{"snapshots", "basic-integration/next-js"}}, programs,
			merged{Program: "snapshots", Targets: []string{"basic-integration/next-js"}}},
		{"program that is also a target", [][]string{{"basic-integration", "basic-integration"}}, programs,
			merged{Program: "basic-integration", Targets: []string{"basic-integration"}}},
		{"only the first token can be a program", [][]string{{"all", "snapshots"}}, programs,
			merged{Targets: []string{"all", "snapshots"}}},
		{"union in first-seen order without duplicates", [][]string{{"b", "a", "b"}, {"c", "a"}, {"d"}}, programs,
			merged{Targets: []string{"b", "a", "c", "d"}}},
		{"lines agreeing on the program", [][]string{{"snapshots", "a"}, {"snapshots", "b", "a"}}, programs,
			merged{Program: "snapshots", Targets: []string{"a", "b"}}},
		{"empty lines are skipped", [][]string{{}, {"snapshots", "a"}, nil}, programs,
			merged{Program: "snapshots", Targets: []string{"a"}}},
		{"nothing", nil, programs, merged{}},
		{"nil isProgram knows no programs", [][]string{{"snapshots", "a"}}, nil,
			merged{Targets: []string{"snapshots", "a"}}},
		{"program, then a line without one", [][]string{{"snapshots", "a"}, {"b"}}, programs,
			merged{Errs: []wantErr{{2, "b", "names no program, but line 1 runs program `snapshots`"}}}},
		{"no program, then a line with one", [][]string{{"a"}, {"snapshots", "b"}}, programs,
			merged{Errs: []wantErr{{2, "snapshots", "runs program `snapshots`, but line 1 names no program"}}}},
		{"two programs", [][]string{{"snapshots", "a"}, {"basic-integration", "b"}, {"snapshots", "c"}}, programs,
			merged{Errs: []wantErr{{2, "basic-integration", "runs program `basic-integration`, but line 1 runs program `snapshots`"}}}},
		{"every disagreeing line", [][]string{{"a"}, {"snapshots", "b"}, {"basic-integration", "c"}}, programs,
			merged{Errs: []wantErr{{2, "snapshots", "line 1 names no program"}, {3, "basic-integration", "line 1 names no program"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			prog, targets, errs := Merge(tc.lines, tc.isProgram)
			got := merged{Program: prog, Targets: targets}
			for _, e := range errs {
				if e.Hint == "" {
					t.Errorf("error without hint: %v", e)
				}
				got.Errs = append(got.Errs, wantErr{e.Line, e.Token, e.Msg})
			}
			if d := cmp.Diff(tc.want, got, msgContains, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("Merge(%q) (-want +got):\n%s", tc.lines, d)
			}
		})
	}
}

func TestMergeDoesNotModifyLines(t *testing.T) {
	t.Parallel()
	lines := [][]string{{"snapshots", "a", "a"}, {"snapshots", "b"}}
	want := [][]string{{"snapshots", "a", "a"}, {"snapshots", "b"}}
	if _, _, errs := Merge(lines, programs); errs != nil {
		t.Fatalf("Merge: %v", errs)
	}
	if d := cmp.Diff(want, lines); d != "" {
		t.Errorf("Merge changed its input (-want +got):\n%s", d)
	}
}

// Result.Merge reports the body line, not the index among command lines.
func TestResultMerge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    string
		program string
		targets []string
		errs    []string
	}{
		{"duplicates across lines", "/wizard-ci a b\n\n/wizard-ci b c\n/wizard-ci a/", "", []string{"a", "b", "c"}, nil},
		{"program on every line", "/wizard-ci snapshots a\nok\n/wizard-ci snapshots b", "snapshots", []string{"a", "b"}, nil},
		{"CRLF", "/wizard-ci basic-integration\r\n\r\nthanks", "", []string{"basic-integration"}, nil},
		{"disagreeing programs", "Please:\n\n/wizard-ci snapshots a\n> /wizard-ci b\n\n/wizard-ci b", "", nil,
			[]string{"line 6: `b`: names no program, but line 3 runs program `snapshots`"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := Parse(tc.body)
			if r.Kind != Run {
				t.Fatalf("Parse(%q).Kind = %v, want run (errors %v)", tc.body, r.Kind, r.Errors)
			}
			prog, targets, errs := r.Merge(programs)
			var msgs []string
			for _, e := range errs {
				msgs = append(msgs, e.Error())
			}
			if d := cmp.Diff(tc.program, prog); d != "" {
				t.Errorf("program (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.targets, targets, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("targets (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.errs, msgs, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("errors (-want +got):\n%s", d)
			}
		})
	}
}
