package outcome

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// MaxRetryAfter caps an advised wait, so a garbled or hostile message cannot
// park a run for days.
const MaxRetryAfter = time.Hour

// The units a wait may be written in. Longer names come first: Go's regexp
// alternation prefers the leftmost branch.
const durUnit = `(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)\b`

// retryAfterRes are matched against lower-cased text.
var retryAfterRes = []struct {
	re       *regexp.Regexp
	implicit time.Duration // unit when the text names none
}{
	// HTTP header or JSON field: "Retry-After: 120", "retry_after": 30,
	// "retry-after-ms: 1500".
	{regexp.MustCompile(`retry[-_ ]after[-_]ms["']?\s*[:=]\s*["']?(\d+(?:\.\d+)?)()`), time.Millisecond},
	{regexp.MustCompile(`retry[-_ ]after["']?\s*[:=]\s*["']?(\d+(?:\.\d+)?)\s*(?:` + durUnit + `)?`), time.Second},
	// Prose: "try again after 2 minutes", "retry after 30 seconds", "please
	// wait 45s", "retrying in 5 seconds".
	{regexp.MustCompile(`\b(?:try(?:ing)? again|retry(?:ing)?|wait(?:ing)?)\s+(?:after|in|for)?\s*(?:about|at least|approximately|~)?\s*(\d+(?:\.\d+)?)\s*` + durUnit), 0},
	// Bare "in 90s", "in 2 minutes".
	{regexp.MustCompile(`\bin\s+(\d+(?:\.\d+)?)\s*` + durUnit), 0},
}

// ParseRetryAfter returns the longest wait text advises ("try again after 2
// minutes", "retry after 30 seconds", "Retry-After: 120", "in 90s"), capped
// at MaxRetryAfter, or 0 when it names none.
func ParseRetryAfter(text string) time.Duration {
	return retryAfterLower(lowerASCII(nil, text))
}

// retryAfterLower is ParseRetryAfter on lower-cased text.
func retryAfterLower(lower []byte) time.Duration {
	if !mayAdviseWait(lower) {
		return 0 // the common case, and the regexps are not cheap
	}
	var best time.Duration
	for _, r := range retryAfterRes {
		for _, m := range r.re.FindAllSubmatch(lower, -1) {
			best = max(best, toDuration(string(m[1]), string(m[2]), r.implicit))
		}
	}
	return min(best, MaxRetryAfter)
}

// mayAdviseWait is a cheap test that one of retryAfterRes could match: a
// digit, and "retry", "again", "wait", or "in" followed by a number.
func mayAdviseWait(lower []byte) bool {
	if !bytes.ContainsAny(lower, "0123456789") {
		return false
	}
	for _, kw := range [][]byte{[]byte("retry"), []byte("again"), []byte("wait")} {
		if bytes.Contains(lower, kw) {
			return true
		}
	}
	for rest := lower; ; {
		i := bytes.Index(rest, []byte("in"))
		if i < 0 {
			return false
		}
		rest = rest[i+2:]
		j := 0
		for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t') {
			j++
		}
		if j > 0 && j < len(rest) && '0' <= rest[j] && rest[j] <= '9' {
			return true
		}
	}
}

func toDuration(num, unit string, implicit time.Duration) time.Duration {
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f <= 0 || math.IsInf(f, 0) {
		return 0
	}
	u := implicit
	switch {
	case unit == "":
		if u == 0 {
			return 0
		}
	case unit == "m" || strings.HasPrefix(unit, "min"):
		u = time.Minute
	case unit[0] == 'm': // ms, msec, millisecond
		u = time.Millisecond
	case unit[0] == 's':
		u = time.Second
	case unit[0] == 'h':
		u = time.Hour
	}
	if f*float64(u) >= float64(MaxRetryAfter) {
		return MaxRetryAfter
	}
	return time.Duration(f * float64(u))
}

// lowerASCII appends s, ASCII letters lower-cased, to dst. Rules only use
// ASCII, and leaving other bytes alone keeps offsets and UTF-8 intact.
func lowerASCII(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		dst = append(dst, ch)
	}
	return dst
}
