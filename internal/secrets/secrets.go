// Package secrets redacts secrets from text; it does no I/O beyond the
// writer it wraps.
//
// A Masker replaces two kinds of secret with "***": values registered with
// Add (the PostHog key, the GitHub token, …), and tokens that look like a
// credential whatever their value (see Mask). The whole token is replaced,
// prefix included, so a masked line does not even say which kind of key
// was there.
package secrets

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Redacted is what every secret becomes.
const Redacted = "***"

// MinLen is the shortest value, in characters, that Add registers: masking
// every "a" or "12" in a log would destroy it and protect nothing.
const MinLen = 4

// Credentials are also recognised by their shape, whatever their value:
//   - PostHog keys: phx_ (personal), phc_ (project), pha_ (wizard OAuth
//     access token);
//   - GitHub tokens: ghp_, gho_, ghs_, ghu_, ghr_, github_pat_;
//   - Anthropic keys: sk-ant-…;
//   - AWS access key ids: AKIA/ASIA + 16 upper-case letters or digits, as a
//     word of its own.
//
// As a regular expression (the tests hold it as the reference):
//
//	(?:ph[xca]_|gh[posur]_|github_pat_)[A-Za-z0-9_]{4,}[A-Za-z0-9_-]*
//	|sk-ant-[A-Za-z0-9_-]{4,}
//	|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b
//
// The key shapes need at least four characters after the prefix, so a
// prose mention such as "phc_ is a project key" or "phx_xxx" in the
// wizard's help stays readable. Prefixes are matched even inside a word
// ("MY_phx_…"): a garbled word is cheaper than a leaked key. A hand-written
// scanner does the matching because Go's regexp, with no literal prefix to
// search for, runs at a few MB/s and every line of a wizard log goes
// through here.

// maskShapes replaces every credential-shaped token in s with Redacted.
func maskShapes(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if !shapeStart[s[i]] {
			continue
		}
		n := shapeAt(s, i)
		if n == 0 {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:i])
		b.WriteString(Redacted)
		last = i + n
		i = last - 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// shapeStart marks the bytes a credential shape can start with.
var shapeStart = [256]bool{'p': true, 'g': true, 's': true, 'A': true}

// shapeAt returns the length of the credential-shaped token at s[i:], or 0.
func shapeAt(s string, i int) int {
	r := s[i:]
	switch {
	case len(r) >= 4 && r[0] == 'p' && r[1] == 'h' && (r[2] == 'x' || r[2] == 'c' || r[2] == 'a') && r[3] == '_':
		return keyTail(r, 4)
	case len(r) >= 4 && r[0] == 'g' && r[1] == 'h' && strings.IndexByte("posur", r[2]) >= 0 && r[3] == '_':
		return keyTail(r, 4)
	case strings.HasPrefix(r, "github_pat_"):
		return keyTail(r, len("github_pat_"))
	case strings.HasPrefix(r, "sk-ant-"):
		if n := span(r[7:], isTokenOrDash); n >= 4 {
			return 7 + n
		}
	case len(r) >= 20 && (strings.HasPrefix(r, "AKIA") || strings.HasPrefix(r, "ASIA")) &&
		(i == 0 || !isWord(s[i-1])) && (len(r) == 20 || !isWord(r[20])) &&
		span(r[4:20], isUpperOrDigit) == 16:
		return 20
	}
	return 0
}

// keyTail measures prefix + [A-Za-z0-9_]{4,}[A-Za-z0-9_-]*, or returns 0.
func keyTail(r string, prefix int) int {
	if span(r[prefix:], isWord) < 4 {
		return 0
	}
	return prefix + span(r[prefix:], isTokenOrDash)
}

func span(s string, ok func(byte) bool) int {
	n := 0
	for n < len(s) && ok(s[n]) {
		n++
	}
	return n
}

func isUpperOrDigit(c byte) bool { return 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' }
func isWord(c byte) bool         { return isUpperOrDigit(c) || 'a' <= c && c <= 'z' || c == '_' }
func isTokenOrDash(c byte) bool  { return isWord(c) || c == '-' }

// Masker masks secrets in text. It is safe for concurrent use; the zero
// value masks only the known shapes.
type Masker struct {
	mu       sync.RWMutex
	values   []string          // registered secrets, longest first
	replacer *strings.Replacer // every value → Redacted; nil when none
}

// NewMasker returns an empty Masker (the zero value works too).
func NewMasker() *Masker { return &Masker{} }

// Add registers a secret. Values shorter than MinLen characters are ignored. A
// multi-line secret (a PEM key, say) is also registered line by line,
// because output is masked a line at a time.
func (m *Masker) Add(secret string) {
	cands := []string{secret}
	if strings.ContainsAny(secret, "\r\n") {
		for l := range strings.FieldsFuncSeq(secret, func(r rune) bool { return r == '\n' || r == '\r' }) {
			cands = append(cands, l, strings.TrimSpace(l))
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	changed := false
	for _, v := range cands {
		if utf8.RuneCountInString(v) < MinLen || slices.Contains(m.values, v) {
			continue
		}
		m.values = append(m.values, v)
		changed = true
	}
	if !changed {
		return
	}
	// Longest first: when one secret contains another, the whole of the
	// longer one goes (strings.Replacer prefers earlier pairs at a position).
	slices.SortStableFunc(m.values, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(m.values))
	for _, v := range m.values {
		pairs = append(pairs, v, Redacted)
	}
	m.replacer = strings.NewReplacer(pairs...)
}

// Mask returns s with every registered value and every credential-shaped
// token replaced by "***". Registered values go first, so a secret that
// happens to contain a key shape is masked whole. Replacing can join text
// into a new occurrence of a secret ("ab" + "***" + …), so Mask repeats
// until nothing changes; each pass shortens s, so this ends.
func (m *Masker) Mask(s string) string {
	var r *strings.Replacer
	if m != nil {
		m.mu.RLock()
		r = m.replacer
		m.mu.RUnlock()
	}
	for {
		out := s
		if r != nil {
			out = r.Replace(out)
		}
		out = maskShapes(out)
		if out == s {
			return out
		}
		s = out
	}
}
