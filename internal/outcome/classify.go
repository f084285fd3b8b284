package outcome

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// signal is one class of evidence found in the output. The decisive
// signals are declared in decision order: when the phw code leaves the
// choice to the text, the first one seen in this order wins.
type signal int

const (
	sigBilling      signal = iota // provisioning: the Bedrock/Marketplace billing signature
	sigQuota                      // quota-exhausted, checked before rate-limited: both are 429s
	sigRate                       // rate-limited
	sigOverloaded                 // overloaded: provider 5xx/529, outages, skill fetches
	sigAuth                       // auth
	sigConfig                     // config
	sigPrecondition               // precondition
	sigMCP                        // mcp-missing
	sigResource                   // resource-missing
	sigSecurity                   // security-blocked
	sigAbort                      // aborted
	sigIncomplete                 // incomplete
	sigNetwork                    // overloaded, weakly: dropped connections rank below the wizard's own verdict
	numDecisive

	// Flags that only count together (AccessDenied + Marketplace wording).
	sigAccessDenied
	sigMarketplace
	numSignals
)

var signalOutcome = [numDecisive]Outcome{
	sigBilling: Provisioning, sigQuota: QuotaExhausted, sigRate: RateLimited,
	sigOverloaded: Overloaded, sigAuth: Auth, sigConfig: Config,
	sigPrecondition: Precondition, sigMCP: MCPMissing, sigResource: ResourceMissing,
	sigSecurity: SecurityBlocked, sigAbort: Aborted, sigIncomplete: Incomplete,
	sigNetwork: Overloaded,
}

// advises reports the signals whose lines may carry a wait worth honouring.
func (s signal) advises() bool {
	switch s {
	case sigBilling, sigMarketplace, sigRate, sigOverloaded, sigNetwork:
		return true
	}
	return false
}

// rule is one class of wording. The rule runs only when one of its
// keywords occurs in the lower-cased line; re, when set, must then match
// that lower-cased line too (so patterns are written in lower case, and
// case-insensitive matching costs nothing).
type rule struct {
	sig      signal
	anywhere bool // also applies to the agent's narration
	kw       [][]byte
	re       *regexp.Regexp
}

func keywords(kw ...string) [][]byte {
	b := make([][]byte, len(kw))
	for i, k := range kw {
		b[i] = []byte(strings.ToLower(k))
	}
	return b
}

func newRule(sig signal, anywhere bool, kw ...string) rule {
	return rule{sig: sig, anywhere: anywhere, kw: keywords(kw...)}
}

func newRuleRe(sig signal, anywhere bool, kw []string, expr string) rule {
	if strings.ToLower(expr) != expr {
		panic("outcome: rule patterns are matched against lower-cased text: " + expr)
	}
	return rule{sig: sig, anywhere: anywhere, kw: keywords(kw...), re: regexp.MustCompile(expr)}
}

func containsAny(lower []byte, kw [][]byte) bool {
	for _, k := range kw {
		if bytes.Contains(lower, k) {
			return true
		}
	}
	return false
}

// maxKept bounds every line the Classifier keeps, in bytes.
const maxKept = 500

// maxScratch bounds the reusable lower-casing buffer; longer lines get a
// temporary one.
const maxScratch = 64 << 10

// hit is the evidence kept for one signal: its first line and the longest
// wait any of its lines advised.
type hit struct {
	seen       bool
	n          int // lines seen, counted up to maxAdviceLines
	line       string
	retryAfter time.Duration
}

// maxAdviceLines bounds how many lines of one class are read for an advised
// wait: a wizard repeats its error a few times, and a flood of identical
// lines must not cost a regexp scan each.
const maxAdviceLines = 32

// done reports whether more lines of this class can teach nothing.
func (h *hit) done(sig signal) bool {
	return h.seen && (!sig.advises() || h.n >= maxAdviceLines)
}

// Classifier turns a wizard's output, fed one line at a time, into a
// Result. Its memory does not grow with the output: it keeps a flag, the
// first line and an advised wait per class of evidence, the phw-error code
// and message, and two short fallback lines, each cut to maxKept bytes.
// It is not safe for concurrent use; feed stdout and stderr through one
// goroutine or guard it.
type Classifier struct {
	hits [numSignals]hit

	phwCode    string
	phwMessage string        // first line of the phw message
	phwRetry   time.Duration // wait advised anywhere in the phw message

	advised  time.Duration // an explicit Retry-After anywhere in the output
	advisedN int           // lines read for it, up to maxAdviceLines

	errorish string        // first line that looks like an error, for crashes
	last     [maxKept]byte // last non-empty line, copied into place: no allocation per line
	lastLen  int           // bytes of last in use
	scratch  []byte        // lower-cased current line
	inDump   bool          // inside a telemetry flush error's object dump
}

// NewClassifier returns an empty Classifier.
func NewClassifier() *Classifier { return &Classifier{} }

// Line feeds one line of stdout or stderr (without its newline; it may
// hold ANSI escapes or carriage-return redraws).
func (c *Classifier) Line(s string) {
	s = strings.TrimRight(s, "\r\n")
	if strings.IndexByte(s, '\r') < 0 {
		c.line(s)
		return
	}
	// A spinner redraws with \r: every frame is a line of its own.
	for seg := range strings.SplitSeq(s, "\r") {
		c.line(seg)
	}
}

func (c *Classifier) line(s string) {
	s = stripANSI(s)
	if c.inDump {
		if s == "" || indented(s) || s[0] == '}' {
			return
		}
		c.inDump = false
	}
	t := strings.TrimSpace(s)
	if t == "" {
		return
	}
	if strings.HasPrefix(t, phwPrefix) {
		c.phw(t[len(phwPrefix):])
		return
	}
	if strings.HasPrefix(s, telemetryStart) {
		c.inDump = true
		return
	}
	if isNoise(s) {
		return
	}
	c.keepLast(t)
	c.match(s, isNarration(s), indented(s))
}

// phw records a phw-error line and runs its message through the text
// rules, since for the ambiguous codes the words decide. The last line
// wins: the wizard prints one just before it exits.
func (c *Classifier) phw(body string) {
	p := parsePHW(body)
	c.phwCode = p.Code
	c.phwMessage = clip(firstLine(p.Message))
	c.phwRetry = ParseRetryAfter(p.Message)
	for l := range strings.SplitSeq(p.Message, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			c.match(l, false, false)
		}
	}
	if p.Reason != "" {
		c.match(p.Reason, false, false)
	}
}

// match runs every rule over one line.
func (c *Classifier) match(s string, narration, indent bool) {
	lower := c.lower(s)
	if c.advisedN < maxAdviceLines && (bytes.Contains(lower, []byte("retry-after")) || bytes.Contains(lower, []byte("retry_after"))) {
		c.advisedN++
		c.advised = max(c.advised, retryAfterLower(lower))
	}
	for _, rs := range [2][]rule{apiRules, textRules} {
		for i := range rs {
			r := &rs[i]
			if narration && !r.anywhere || indent && r.sig == sigNetwork {
				continue
			}
			if c.hits[r.sig].done(r.sig) {
				continue
			}
			if !containsAny(lower, r.kw) || r.re != nil && !r.re.Match(lower) {
				continue
			}
			c.hit(r.sig, s, lower)
		}
	}
	if !c.hits[sigAuth].done(sigAuth) || !c.hits[sigRate].done(sigRate) || !c.hits[sigOverloaded].done(sigOverloaded) {
		statusSignals(lower, narration, func(sig signal) { c.hit(sig, s, lower) })
	}
	if c.errorish == "" && !narration && containsAny(lower, errorishKeywords) {
		c.errorish = clip(strings.TrimSpace(s))
	}
}

func (c *Classifier) hit(sig signal, s string, lower []byte) {
	h := &c.hits[sig]
	if !h.seen {
		h.seen = true
		if t := humanText(s); t != "" {
			s = t
		}
		h.line = clip(strings.TrimSpace(s))
	}
	if sig.advises() && h.n < maxAdviceLines {
		h.n++
		h.retryAfter = max(h.retryAfter, retryAfterLower(lower))
	}
}

// humanText returns the message a person would read in one line of Claude
// Code's stream-json output (the result, or the assistant's text), or "".
func humanText(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "{") || len(s) > maxScratch {
		return ""
	}
	var v struct {
		Result  string `json:"result"`
		Message struct {
			Content []struct {
				Text string `json:"text"`
			} `json:"content"`
		} `json:"message"`
	}
	if json.Unmarshal([]byte(s), &v) != nil {
		return ""
	}
	if v.Result != "" {
		return v.Result
	}
	for _, c := range v.Message.Content {
		if c.Text != "" {
			return c.Text
		}
	}
	return ""
}

// lower returns s lower-cased (ASCII only) in a buffer reused across
// lines of up to maxScratch bytes; a longer line gets a temporary one.
func (c *Classifier) lower(s string) []byte {
	if len(s) > maxScratch {
		return lowerASCII(nil, s)
	}
	c.scratch = lowerASCII(c.scratch[:0], s)
	return c.scratch
}

func (c *Classifier) keepLast(t string) {
	c.lastLen = copy(c.last[:], t)
	// Do not end the kept text in the middle of a UTF-8 sequence.
	for c.lastLen > 0 && c.lastLen < len(t) && !utf8.RuneStart(t[c.lastLen]) {
		c.lastLen--
	}
}

// clip copies at most maxKept bytes of s, so a kept line never pins a huge
// input line in memory.
func clip(s string) string {
	if len(s) <= maxKept {
		return strings.Clone(s)
	}
	n := maxKept
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.Clone(s[:n])
}

// size is the memory the Classifier retains beyond its fixed fields, in
// bytes: the kept lines and the scratch buffer.
func (c *Classifier) size() int {
	n := len(c.phwCode) + len(c.phwMessage) + len(c.errorish) + len(c.last) + cap(c.scratch)
	for _, h := range c.hits {
		n += len(h.line)
	}
	return n
}

// Result classifies the attempt that produced the lines fed so far and
// ended as e, following SPEC §5:
//
//  1. the app-timeout expired: timeout;
//  2. exit 0: success if the app changed, else no-changes — whatever the
//     output said, so a stray API Error during teardown never fails a clean
//     success;
//  3. killed by a signal not sent for a timeout: crashed;
//  4. a decisive phw-error code (PHW_CLI_*, PHW_DETECT_*, …): its outcome;
//  5. otherwise the text, in signal order (billing, quota, rate limit,
//     overload, auth, config, precondition, MCP, resource, security, abort,
//     incomplete, dropped connection);
//  6. otherwise the fallback of an ambiguous phw code, else crashed.
func (c *Classifier) Result(e Exit) Result {
	switch {
	case e.TimedOut:
		return Result{Outcome: Timeout, Code: c.phwCode, Reason: "the app-timeout expired before the wizard finished"}
	case e.Code == 0 && !e.Signaled:
		if e.Changed {
			return Result{Outcome: Success, Code: c.phwCode}
		}
		return Result{Outcome: NoChanges, Code: c.phwCode, Reason: "the wizard exited 0 without changing the app"}
	case e.Signaled:
		return Result{Outcome: Crashed, Code: c.phwCode, Reason: c.crashReason("the wizard was killed by a signal")}
	}

	code := codeOutcome(c.phwCode)
	if c.phwCode != "" && code.decisive {
		return Result{
			Outcome:    code.outcome,
			RetryAfter: c.retryAfter(code.outcome, c.phwRetry),
			Code:       c.phwCode,
			Reason:     reasonOf(c.phwMessage),
		}
	}

	if sig, line, ok := c.decide(); ok {
		o := signalOutcome[sig]
		return Result{Outcome: o, RetryAfter: c.retryAfter(o, 0), Code: c.phwCode, Reason: reasonOf(line)}
	}

	if c.phwCode != "" {
		return Result{
			Outcome:    code.outcome,
			RetryAfter: c.retryAfter(code.outcome, c.phwRetry),
			Code:       c.phwCode,
			Reason:     reasonOf(c.phwMessage),
		}
	}
	return Result{Outcome: Crashed, Reason: c.crashReason(fmt.Sprintf("the wizard exited %d", e.Code))}
}

// decide picks the first signal seen, in decision order, and its line.
func (c *Classifier) decide() (signal, string, bool) {
	if !c.hits[sigBilling].seen && c.hits[sigAccessDenied].seen && c.hits[sigMarketplace].seen {
		return sigBilling, c.hits[sigMarketplace].line, true
	}
	for s := range numDecisive {
		if c.hits[s].seen {
			return s, c.hits[s].line, true
		}
	}
	return 0, "", false
}

// retryAfter is the wait advised for outcome o: the billing message's own
// wait for provisioning (never an SDK's "retrying in 5 seconds"), the
// longest wait any rate-limit or overload line advised, else zero.
func (c *Classifier) retryAfter(o Outcome, fromCode time.Duration) time.Duration {
	switch o {
	case Provisioning:
		d := max(c.hits[sigBilling].retryAfter, fromCode)
		if !c.hits[sigBilling].seen {
			d = max(d, c.hits[sigMarketplace].retryAfter)
		}
		return d
	case RateLimited:
		return max(c.hits[sigRate].retryAfter, c.advised, fromCode)
	case Overloaded:
		return max(c.hits[sigOverloaded].retryAfter, c.hits[sigNetwork].retryAfter, c.advised, fromCode)
	}
	return 0
}

func (c *Classifier) crashReason(fallback string) string {
	switch {
	case c.phwMessage != "":
		return reasonOf(c.phwMessage)
	case c.errorish != "":
		return reasonOf(c.errorish)
	case c.lastLen > 0:
		return reasonOf(string(c.last[:c.lastLen]))
	}
	return fallback
}

// Classify classifies a whole transcript (stdout and stderr, in any
// order). It is Classifier fed line by line, for callers that already hold
// the text.
func Classify(e Exit, transcript string) Result {
	c := NewClassifier()
	for l := range strings.SplitSeq(transcript, "\n") {
		c.Line(l)
	}
	return c.Result(e)
}
