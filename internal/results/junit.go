package results

import (
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/posthog/wizard-ci/internal/outcome"
)

// JUnit test-report types: one suite, one case per app. Exported so that
// tests and tools can read junit.xml back with encoding/xml.
type (
	// JUnitSuite is the <testsuite> element.
	JUnitSuite struct {
		XMLName   xml.Name    `xml:"testsuite"`
		Name      string      `xml:"name,attr"`
		Tests     int         `xml:"tests,attr"`
		Failures  int         `xml:"failures,attr"`
		Errors    int         `xml:"errors,attr"`
		Skipped   int         `xml:"skipped,attr"`
		Time      string      `xml:"time,attr"`
		Timestamp string      `xml:"timestamp,attr,omitempty"`
		Cases     []JUnitCase `xml:"testcase"`
	}
	// JUnitCase is one <testcase>: classname is the category, name the app.
	JUnitCase struct {
		ClassName string        `xml:"classname,attr"`
		Name      string        `xml:"name,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *JUnitMessage `xml:"failure,omitempty"`
		Skipped   *JUnitMessage `xml:"skipped,omitempty"`
		SystemOut string        `xml:"system-out,omitempty"`
	}
	// JUnitMessage is a <failure> or <skipped> element.
	JUnitMessage struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr,omitempty"`
		Text    string `xml:",chardata"`
	}
)

// JUnitSuiteName is the name of the one test suite in junit.xml.
const JUnitSuiteName = "wizard-ci"

// JUnit renders r as junit.xml: a success passes, skipped and cancelled apps
// (and pending ones) are skipped, every other outcome is a failure whose
// message is "outcome: reason" and whose text is the log excerpt.
func JUnit(r *Results) []byte {
	s := JUnitSuite{Name: JUnitSuiteName, Tests: len(r.Apps)}
	if !r.Run.StartedAt.IsZero() {
		s.Timestamp = r.Run.StartedAt.UTC().Format(time.RFC3339)
	}
	var total time.Duration
	for i := range r.Apps {
		a := &r.Apps[i]
		d := a.Duration()
		total += d
		c := JUnitCase{ClassName: a.Category, Name: a.App, Time: seconds(d)}
		if c.ClassName == "" {
			// The category is the first path segment (SPEC §10).
			c.ClassName, _, _ = strings.Cut(a.App, "/")
		}
		msg := string(a.Outcome)
		if a.Outcome == "" {
			msg = "pending"
		}
		if a.Reason != "" {
			msg += ": " + a.Reason
		}
		switch a.Outcome {
		case outcome.Success:
		case outcome.Skipped, outcome.Cancelled, "":
			s.Skipped++
			c.Skipped = &JUnitMessage{Message: msg}
		default:
			s.Failures++
			c.Failure = &JUnitMessage{Message: msg, Type: string(a.Outcome), Text: strings.Join(a.Excerpt, "\n")}
		}
		if a.Log != "" {
			c.SystemOut = "log: " + a.Log
		}
		s.Cases = append(s.Cases, c)
	}
	s.Time = seconds(total)
	// encoding/xml replaces characters XML cannot hold (ANSI escapes, NUL)
	// with U+FFFD, so wizard output cannot make the file ill-formed.
	b, err := xml.MarshalIndent(s, "", "  ")
	if err != nil {
		// Only unsupported types fail to marshal; these are all strings.
		panic(fmt.Sprintf("junit: %v", err))
	}
	return append(append([]byte(xml.Header), b...), '\n')
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
