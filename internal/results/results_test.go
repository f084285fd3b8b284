package results

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/posthog/wizard-ci/internal/outcome"
)

var t0 = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

func sample() *Results {
	return &Results{
		Run: Run{
			ID: "1234567890", Targets: []string{"basic-integration"}, PR: 42,
			HeadSHA:   "0123456789abcdef0123456789abcdef01234567",
			Wizard:    Wizard{Source: "build", Version: "2.77.0", SHA: "89abcdef89abcdef89abcdef89abcdef89abcdef"},
			StartedAt: t0, FinishedAt: t0.Add(5 * time.Minute),
		},
		Apps: []App{
			{
				App: "basic-integration/next-js/app-router-todo", Category: "basic-integration", Outcome: outcome.Success,
				Attempts: []Attempt{
					{Outcome: outcome.Provisioning, ExitCode: 1, StartedAt: t0, DurationMS: 4000},
					{Outcome: outcome.Success, ExitCode: 0, StartedAt: t0.Add(2 * time.Minute), DurationMS: 83000, WaitMS: 120000},
				},
				Checks: &Checks{Passed: 5, Total: 5},
				Log:    LogName("basic-integration/next-js/app-router-todo"),
			},
			{
				App: "basic-integration/python/flask", Category: "basic-integration", Outcome: outcome.Crashed,
				Attempts: []Attempt{{Outcome: outcome.Crashed, ExitCode: 1, StartedAt: t0, DurationMS: 1500, Reason: "TypeError: x"}},
				Reason:   "TypeError: x is not a function <& \"quoted\">",
				Excerpt:  []string{"line one", "\x1b[31mred\x1b[0m and a NUL \x00", "]]> cdata end"},
				Log:      LogName("basic-integration/python/flask"),
			},
			{
				App: "basic-integration/ruby/sinatra", Category: "basic-integration", Outcome: outcome.Skipped,
				Reason: "not run: an earlier app ended in auth",
			},
			{
				App: "basic-integration/go/gin", Category: "basic-integration", Outcome: outcome.ChecksFailed,
				Attempts: []Attempt{{Outcome: outcome.ChecksFailed, StartedAt: t0, DurationMS: 61000}},
				Checks:   &Checks{Passed: 3, Total: 4, Failures: []CheckFailure{{Check: "events", File: "main.go", Reason: "todo created is not captured"}}},
			},
		},
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	in := sample()
	if err := Write(dir, in, "the comment\n"); err != nil {
		t.Fatal(err)
	}
	if in.Schema != "" || in.Totals != nil {
		t.Errorf("Write modified its input: schema %q totals %v", in.Schema, in.Totals)
	}
	got, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := *in
	want.Schema = Schema
	want.Totals = map[string]int{"success": 1, "crashed": 1, "skipped": 1, "checks-failed": 1}
	if d := cmp.Diff(&want, got, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}

	raw, err := os.ReadFile(filepath.Join(dir, JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema", "run", "apps", "totals"} {
		if _, ok := generic[k]; !ok {
			t.Errorf("results.json has no %q", k)
		}
	}
	if !strings.HasPrefix(string(raw), "{\n  \"schema\": \"wizard-ci/results@1\",") {
		t.Errorf("results.json is not indented with the schema first:\n%.80s", raw)
	}
	if strings.Contains(string(raw), "null") {
		t.Errorf("results.json holds null; lists should be empty:\n%s", raw)
	}
	if _, err := os.Stat(filepath.Join(dir, JUnitFile)); err != nil {
		t.Errorf("junit.xml: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, CommentFile)); err != nil || string(b) != "the comment\n" {
		t.Errorf("comment.md = %q, %v", b, err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestWriteRefusesPending(t *testing.T) {
	t.Parallel()
	r := sample()
	r.Apps[2].Outcome = ""
	err := Write(t.TempDir(), r, "")
	if err == nil || !strings.Contains(err.Error(), "basic-integration/ruby/sinatra") {
		t.Errorf("Write with a pending app: err = %v, want one naming the app", err)
	}
	if Written(err, JSONFile) || Written(err, JUnitFile) {
		t.Errorf("Written says a refused record was written: %v", err)
	}
}

// TestWriteTriesEveryFile: a file that cannot be written (a folder is in
// its way) costs no other, and the error names each one that failed.
func TestWriteTriesEveryFile(t *testing.T) {
	t.Parallel()
	for _, blocked := range [][]string{{JSONFile}, {JUnitFile}, {CommentFile}, {JSONFile, CommentFile}} {
		t.Run(strings.Join(blocked, "+"), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for _, f := range blocked {
				if err := os.Mkdir(filepath.Join(dir, f), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			err := Write(dir, sample(), "the comment\n")
			var we *WriteError
			if !errors.As(err, &we) {
				t.Fatalf("Write: err = %v, want a *WriteError", err)
			}
			if d := cmp.Diff(blocked, we.Failed); d != "" {
				t.Errorf("failed files (-want +got):\n%s", d)
			}
			for _, f := range []string{JSONFile, JUnitFile, CommentFile} {
				isBlocked := slices.Contains(blocked, f)
				if Written(err, f) == isBlocked {
					t.Errorf("Written(%s) = %v", f, !isBlocked)
				}
				if isBlocked {
					if !strings.Contains(err.Error(), filepath.Join(dir, f)+": a folder of that name is in the way") {
						t.Errorf("the error does not name %s: %v", f, err)
					}
					continue
				}
				if st, err := os.Stat(filepath.Join(dir, f)); err != nil || !st.Mode().IsRegular() {
					t.Errorf("%s was not written: %v", f, err)
				}
			}
		})
	}
}

func TestReadRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, want string
	}{
		{"wrong schema", `{"schema":"wizard-ci/results@2","run":{},"apps":[]}`, `schema is "wizard-ci/results@2"`},
		{"no schema", `{"run":{},"apps":[]}`, `schema is ""`},
		{"unknown outcome", `{"schema":"wizard-ci/results@1","apps":[{"app":"a/b","outcome":"exploded"}]}`, `unknown outcome "exploded"`},
		{"empty outcome", `{"schema":"wizard-ci/results@1","apps":[{"app":"a/b","outcome":""}]}`, `unknown outcome ""`},
		{"no app path", `{"schema":"wizard-ci/results@1","apps":[{"outcome":"success"}]}`, `app 1 has no path`},
		{"duplicate", `{"schema":"wizard-ci/results@1","apps":[{"app":"a/b","outcome":"success"},{"app":"a/b","outcome":"crashed"}]}`, `"a/b" appears twice`},
		{"not json", `{"schema":`, `not valid JSON (unexpected end of JSON input), so not a wizard-ci results.json`},
		{"an array", `[]`, `not a wizard-ci results.json (expected a JSON object)`},
		{"null", `null`, `not a wizard-ci results.json (expected a JSON object)`},
		{"wrong type", `{"schema":"wizard-ci/results@1","apps":[{"app":"a/b","outcome":"success","attempts":{}}]}`,
			`not a wizard-ci results.json: apps.attempts is an object, where wizard-ci writes an array`},
		{"bad shard", `{"schema":"wizard-ci/results@1","run":{"shard":"3/2"},"apps":[]}`, `run.shard "3/2" is not i/n`},
		// A leg's file is untrusted: its app paths name rows and log files.
		{"parent segments", `{"schema":"wizard-ci/results@1","apps":[{"app":"../../evil","outcome":"success"}]}`, `app "../../evil": the path has a ".." segment`},
		{"parent inside", `{"schema":"wizard-ci/results@1","apps":[{"app":"a/../../b","outcome":"success"}]}`, `".." segment`},
		{"dot segment", `{"schema":"wizard-ci/results@1","apps":[{"app":"a/./b","outcome":"success"}]}`, `"." segment`},
		{"absolute", `{"schema":"wizard-ci/results@1","apps":[{"app":"/etc/passwd","outcome":"success"}]}`, `app "/etc/passwd": the path is absolute`},
		{"empty segment", `{"schema":"wizard-ci/results@1","apps":[{"app":"a//b","outcome":"success"}]}`, `empty segment`},
		{"trailing slash", `{"schema":"wizard-ci/results@1","apps":[{"app":"a/b/","outcome":"success"}]}`, `empty segment`},
		{"control character", `{"schema":"wizard-ci/results@1","apps":[{"app":"a/b\u001b[2J","outcome":"success"}]}`, `control character`},
		{"newline", `{"schema":"wizard-ci/results@1","apps":[{"app":"a/b\nc","outcome":"success"}]}`, `control character`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, JSONFile), []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Read(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Read: err = %v, want it to contain %q", err, tc.want)
			} else if p := filepath.Join(dir, JSONFile); !strings.Contains(err.Error(), p) {
				t.Errorf("Read: err = %v, want it to name the file %s", err, p)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		if _, err := Read(t.TempDir()); !os.IsNotExist(unwrapAll(err)) {
			t.Errorf("Read of an empty folder: err = %v, want not-exist", err)
		}
	})
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

func leg(shard string, start, finish time.Time, targets []string, apps ...string) *Results {
	r := &Results{Schema: Schema, Run: Run{
		ID: "99", Targets: targets, PR: 7, HeadSHA: "abcdef0", Shard: shard,
		Wizard: Wizard{Source: "simulate"}, StartedAt: start, FinishedAt: finish,
	}}
	for _, a := range apps {
		o := outcome.Success
		if strings.HasSuffix(a, "!") {
			a, o = strings.TrimSuffix(a, "!"), outcome.Crashed
		}
		r.Apps = append(r.Apps, App{App: a, Outcome: o})
	}
	r.Totals = Tally(r.Apps)
	return r
}

func TestMerge(t *testing.T) {
	t.Parallel()
	legs := []*Results{
		leg("1/3", t0.Add(time.Minute), t0.Add(9*time.Minute), []string{"basic-integration"}, "c/x", "a/z!"),
		leg("2/3", t0, t0.Add(7*time.Minute), []string{"basic-integration", "revenue"}, "b/y"),
		leg("3/3", t0.Add(2*time.Minute), t0.Add(12*time.Minute), []string{"revenue", "all"}, "a/a!", "d/d"),
	}
	legs[2].Run.Error = "leg three broke"
	legs[1].Run.Selected = 5
	legs[0].Run.MissingShards = []string{"4/4"} // a leg that is an earlier merge
	before := cmpCopy(legs)

	got, err := Merge(legs)
	if err != nil {
		t.Fatal(err)
	}
	want := &Results{
		Schema: Schema,
		Run: Run{
			ID: "99", Targets: []string{"basic-integration", "revenue", "all"}, PR: 7, HeadSHA: "abcdef0",
			Wizard: Wizard{Source: "simulate"}, StartedAt: t0, FinishedAt: t0.Add(12 * time.Minute),
			Error: "leg three broke", MissingShards: []string{"4/4"},
		},
		Apps: []App{
			{App: "a/a", Outcome: outcome.Crashed}, {App: "a/z", Outcome: outcome.Crashed},
			{App: "b/y", Outcome: outcome.Success}, {App: "c/x", Outcome: outcome.Success}, {App: "d/d", Outcome: outcome.Success},
		},
		Totals: map[string]int{"success": 3, "crashed": 2},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Merge (-want +got):\n%s", d)
	}
	if d := cmp.Diff(before, legs); d != "" {
		t.Errorf("Merge modified its input (-before +after):\n%s", d)
	}
}

func cmpCopy(rs []*Results) []*Results {
	var out []*Results
	for _, r := range rs {
		c := *r
		c.Run.Targets = append([]string(nil), r.Run.Targets...)
		c.Apps = append([]App(nil), r.Apps...)
		out = append(out, &c)
	}
	return out
}

func TestMergeRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		legs []*Results
		want string
	}{
		{"duplicate app", []*Results{
			leg("1/2", t0, t0, nil, "a/x", "b/y"),
			leg("2/2", t0, t0, nil, "c/z", "b/y!"),
		}, `app "b/y" is in leg 1 and leg 2`},
		{"duplicate inside one leg", []*Results{leg("1/1", t0, t0, nil, "a/x", "a/x")}, `app "a/x" is in leg 1 and leg 1`},
		{"no legs", nil, "no legs"},
		{"nil leg", []*Results{leg("1/2", t0, t0, nil, "a/x"), nil}, "leg 2 is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Merge(tc.legs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Merge: err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestCheckShards: a report over the legs of `run --shard i/n` knows which
// legs are missing, and refuses legs that are not shards of one run.
func TestCheckShards(t *testing.T) {
	t.Parallel()
	sel := func(r *Results, n int) *Results { r.Run.Selected = n; return r }
	tests := []struct {
		name    string
		legs    []*Results
		missing []string
		err     string
	}{
		{name: "all there", legs: []*Results{
			leg("2/3", t0, t0, nil, "b/y"), leg("1/3", t0, t0, nil, "a/x"), leg("3/3", t0, t0, nil, "c/z"),
		}},
		{name: "one missing", legs: []*Results{leg("1/2", t0, t0, nil, "a/x", "c/z")}, missing: []string{"2/2"}},
		{name: "two missing", legs: []*Results{leg("2/4", t0, t0, nil, "b/y")}, missing: []string{"1/4", "3/4", "4/4"}},
		{name: "unsharded legs are not checked", legs: []*Results{leg("", t0, t0, nil, "a/x"), leg("", t0, t0, nil, "b/y")}},
		{name: "unsharded beside sharded", legs: []*Results{leg("", t0, t0, nil, "a/x"), leg("1/2", t0, t0, nil, "b/y")}, missing: []string{"2/2"}},
		// plan leaves out the shards that have no app: 3 apps in 8 shards.
		{name: "empty shards are not missing", legs: []*Results{
			sel(leg("1/8", t0, t0, nil, "a/x"), 3), sel(leg("2/8", t0, t0, nil, "b/y"), 3), sel(leg("3/8", t0, t0, nil, "c/z"), 3),
		}},
		{name: "a missing shard among empty ones", legs: []*Results{
			sel(leg("1/8", t0, t0, nil, "a/x"), 3), sel(leg("3/8", t0, t0, nil, "c/z"), 3),
		}, missing: []string{"2/8"}},
		{name: "an empty shard run anyway", legs: []*Results{
			sel(leg("1/4", t0, t0, nil, "a/x"), 1), sel(leg("4/4", t0, t0, nil), 1),
		}},
		{name: "nothing selected", legs: []*Results{leg("1/4", t0, t0, nil)}},
		{name: "different n", legs: []*Results{leg("1/2", t0, t0, nil, "a/x"), leg("2/3", t0, t0, nil, "b/y")},
			err: "the legs leg-0 (shard 1/2) and leg-1 (shard 2/3) are not shards of one run"},
		{name: "duplicate shard", legs: []*Results{leg("1/2", t0, t0, nil, "a/x"), leg("2/2", t0, t0, nil, "b/y"), leg("1/2", t0, t0, nil, "c/z")},
			err: "the legs leg-0 and leg-2 are both shard 1/2"},
		{name: "different selections", legs: []*Results{sel(leg("1/2", t0, t0, nil, "a/x"), 2), sel(leg("2/2", t0, t0, nil, "b/y"), 3)},
			err: "the legs leg-0 and leg-1 split different selections (2 and 3 apps)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var names []string
			for i := range tc.legs {
				names = append(names, fmt.Sprintf("leg-%d", i))
			}
			missing, err := CheckShards(tc.legs, names)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("CheckShards: err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.missing, missing); d != "" {
				t.Errorf("missing shards (-want +got):\n%s", d)
			}
		})
	}
}

func TestJUnit(t *testing.T) {
	t.Parallel()
	r := sample()
	r.Apps = append(r.Apps, App{App: "revenue/stripe-node", Outcome: outcome.Cancelled}, App{App: "pending/app"})
	b := JUnit(r)
	if !strings.HasPrefix(string(b), xml.Header) {
		t.Errorf("junit.xml does not start with the XML header")
	}
	var s JUnitSuite
	if err := xml.Unmarshal(b, &s); err != nil {
		t.Fatalf("junit.xml is not well-formed: %v\n%s", err, b)
	}
	type counts struct{ Tests, Failures, Errors, Skipped int }
	if d := cmp.Diff(counts{6, 2, 0, 3}, counts{s.Tests, s.Failures, s.Errors, s.Skipped}); d != "" {
		t.Errorf("suite counts (-want +got):\n%s", d)
	}
	if s.Name != "wizard-ci" || s.Time != "149.500" || s.Timestamp != "2026-03-14T09:26:53Z" {
		t.Errorf("suite name/time/timestamp = %q %q %q", s.Name, s.Time, s.Timestamp)
	}
	if len(s.Cases) != 6 {
		t.Fatalf("got %d test cases, want 6", len(s.Cases))
	}
	ok := s.Cases[0]
	if ok.ClassName != "basic-integration" || ok.Name != "basic-integration/next-js/app-router-todo" || ok.Time != "87.000" || ok.Failure != nil || ok.Skipped != nil {
		t.Errorf("success case = %+v", ok)
	}
	crash := s.Cases[1]
	wantFail := &JUnitMessage{
		Message: "crashed: TypeError: x is not a function <& \"quoted\">",
		Type:    "crashed",
		Text:    "line one\n\uFFFD[31mred\uFFFD[0m and a NUL \uFFFD\n]]> cdata end",
	}
	if d := cmp.Diff(wantFail, crash.Failure); d != "" {
		t.Errorf("failure (-want +got):\n%s", d)
	}
	if crash.Time != "1.500" || crash.SystemOut != "log: logs/basic-integration__python__flask.log" {
		t.Errorf("crash case time %q system-out %q", crash.Time, crash.SystemOut)
	}
	if sk := s.Cases[2].Skipped; sk == nil || sk.Message != "skipped: not run: an earlier app ended in auth" {
		t.Errorf("skipped case = %+v", s.Cases[2])
	}
	if f := s.Cases[3].Failure; f == nil || f.Type != "checks-failed" {
		t.Errorf("checks-failed case = %+v", s.Cases[3])
	}
	if c := s.Cases[4]; c.Skipped == nil || c.Skipped.Message != "cancelled" || c.ClassName != "revenue" {
		t.Errorf("cancelled case = %+v", c)
	}
	if c := s.Cases[5]; c.Skipped == nil || c.Skipped.Message != "pending" {
		t.Errorf("pending case = %+v", c)
	}
}

func TestJUnitEmpty(t *testing.T) {
	t.Parallel()
	var s JUnitSuite
	if err := xml.Unmarshal(JUnit(&Results{}), &s); err != nil {
		t.Fatal(err)
	}
	if s.Tests != 0 || len(s.Cases) != 0 || s.Name != "wizard-ci" {
		t.Errorf("empty suite = %+v", s)
	}
}
