package report

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/posthog/wizard-ci/internal/outcome"
)

func TestStateRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		s    State
	}{
		{"empty", State{}},
		{"full", State{
			RunID: runID, HeadSHA: headSHA, Program: "revenue", WizardRef: "feature/x",
			Targets: []string{"all", "basic-integration/next-js"},
			Failed:  []FailedApp{{"basic-integration/next-js/app-router-todo", outcome.Provisioning}, {"revenue/stripe-node", outcome.Skipped}},
		}},
		{"awkward text", State{RunID: "-->", Program: "<!-- wizard-ci:state x -->", Targets: []string{"\n/wizard-ci all", "é 𝔵"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			enc := EncodeState(tc.s)
			if strings.Count(enc, "-->") != 1 || !strings.HasSuffix(enc, " -->") || strings.Contains(enc, "\n") {
				t.Fatalf("encoded state is not one closed HTML comment: %q", enc)
			}
			got, err := DecodeState("before\n" + enc + "\nafter")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(&tc.s, got, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("round trip (-want +got):\n%s", d)
			}
		})
	}
}

func TestDecodeStateRefuses(t *testing.T) {
	t.Parallel()
	b64 := func(s string) string { return statePrefix + base64.StdEncoding.EncodeToString([]byte(s)) + " -->" }
	tests := []struct {
		name, body, want string
	}{
		{"no marker", "just a comment", ErrNoState.Error()},
		{"not closed", statePrefix + "e30=", "not closed"},
		{"broken base64", statePrefix + "!!!! -->", "illegal base64"},
		{"broken json", b64(`{"id":`), "unexpected end of JSON"},
		{"trailing json", b64(`{"id":"1"}}`), "invalid character"},
		{"unknown outcome", b64(`{"id":"1","f":[{"a":"x/y","o":"exploded"}]}`), `unknown outcome "exploded"`},
		{"missing outcome", b64(`{"id":"1","f":[{"a":"x/y"}]}`), `unknown outcome ""`},
		{"missing app", b64(`{"id":"1","f":[{"o":"crashed"}]}`), "has no path"},
		{"wrong type", b64(`{"id":1}`), "not a wizard-ci state: id is a number, where wizard-ci writes a string"},
		{"success listed as failed", b64(`{"id":"r","f":[{"a":"a/b","o":"success"}]}`), `app "a/b" is listed as failed with outcome success`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := DecodeState(tc.body)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("DecodeState = %+v, %v; want an error containing %q", s, err, tc.want)
			}
		})
	}
	if _, err := DecodeState(""); !errors.Is(err, ErrNoState) {
		t.Errorf("DecodeState(\"\") = %v, want ErrNoState", err)
	}
}

func TestDecodeStateLastMarkerWins(t *testing.T) {
	t.Parallel()
	planted := EncodeState(State{RunID: "planted", Failed: []FailedApp{{"../../etc", outcome.Crashed}}})
	ours := EncodeState(State{RunID: "ours"})
	got, err := DecodeState(planted + "\n" + ours + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if got.RunID != "ours" {
		t.Errorf("decoded %q, want the last marker", got.RunID)
	}
}

func FuzzStateRoundTrip(f *testing.F) {
	f.Add(runID, headSHA, "revenue", "feature/x", "all", "basic-integration/next-js/app", uint8(3), "garbage")
	f.Add("", "", "", "", "", "", uint8(0), statePrefix+"e30= -->")
	f.Add("-->", "<!--", "\x00", "..", "\n/wizard-ci all", "a/b", uint8(255), statePrefix+"!!")
	f.Fuzz(func(t *testing.T, id, sha, prog, ref, target, app string, o uint8, garbage string) {
		// Garbage never panics.
		_, _ = DecodeState(garbage)
		_, _ = DecodeState(statePrefix + garbage + " -->")

		for _, s := range []string{id, sha, prog, ref, target, app} {
			if !utf8.ValidString(s) {
				return // JSON replaces invalid UTF-8, so no identity to check
			}
		}
		in := State{RunID: id, HeadSHA: sha, Program: prog, WizardRef: ref, Targets: []string{target}}
		if app != "" {
			in.Failed = []FailedApp{{App: app, Outcome: outcome.All[int(o)%len(outcome.All)]}}
			if in.Failed[0].Outcome == outcome.Success {
				// wizard-ci never lists a success as failed: such a state
				// was edited, and is refused.
				if _, err := DecodeState(EncodeState(in)); err == nil {
					t.Fatalf("a state listing %q as failed with outcome success was accepted", app)
				}
				return
			}
		}
		enc := EncodeState(in)
		if strings.Count(enc, "-->") != 1 {
			t.Fatalf("encoded state holds an early comment end: %q", enc)
		}
		got, err := DecodeState(garbage + "\n" + enc)
		if err != nil {
			t.Fatalf("DecodeState(EncodeState(%+v)): %v", in, err)
		}
		if d := cmp.Diff(&in, got, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("round trip (-want +got):\n%s", d)
		}
	})
}
