package report

import (
	"strings"
	"testing"
)

func TestResultsMarker(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, id, want, parsed string
	}{
		{"run id", "8123456789", "<!-- wizard-ci:results run=8123456789 -->", "8123456789"},
		{"local id", "local-20260314.a_b", "<!-- wizard-ci:results run=local-20260314.a_b -->", "local-20260314.a_b"},
		{"comment end dropped", "1 --> <b>x</b>", "<!-- wizard-ci:results run=1-bxb -->", "1-bxb"},
		{"double dash collapsed", "a--b", "<!-- wizard-ci:results run=a-b -->", "a-b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := ResultsMarker(tc.id)
			if m != tc.want {
				t.Errorf("ResultsMarker(%q) = %q, want %q", tc.id, m, tc.want)
			}
			if got, ok := ParseResultsMarker(m + "\n### body"); !ok || got != tc.parsed {
				t.Errorf("ParseResultsMarker = %q, %v; want %q", got, ok, tc.parsed)
			}
		})
	}
}

func TestParseResultsMarker(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, want string
		ok               bool
	}{
		{"first line", "<!-- wizard-ci:results run=42 -->\nrest", "42", true},
		{"crlf", "<!-- wizard-ci:results run=42 -->\r\nrest", "42", true},
		{"only line", "<!-- wizard-ci:results run=42 -->", "42", true},
		{"not first line", "hello\n<!-- wizard-ci:results run=42 -->", "", false},
		{"indented", " <!-- wizard-ci:results run=42 -->", "", false},
		{"empty id", "<!-- wizard-ci:results run= -->", "", false},
		{"bad id", "<!-- wizard-ci:results run=4 2 -->", "", false},
		{"unclosed", "<!-- wizard-ci:results run=42", "", false},
		{"other marker", HintMarker, "", false},
		{"empty", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseResultsMarker(tc.body)
			if got != tc.want || ok != tc.ok {
				t.Errorf("ParseResultsMarker(%q) = %q, %v; want %q, %v", tc.body, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestMarkersMatchSpec(t *testing.T) {
	t.Parallel()
	for _, m := range []string{HintMarker, ReportMarker, ReplyMarker, ResultsMarker("1")} {
		if !strings.HasPrefix(m, "<!-- wizard-ci:") || !strings.HasSuffix(m, " -->") {
			t.Errorf("marker %q is not of the form <!-- wizard-ci:… -->", m)
		}
	}
}
