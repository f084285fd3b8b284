package outcome

import (
	"bytes"
	"regexp"
	"strconv"
)

// This file reads what the model provider said: the status of `API Error:`
// lines (the wizard's Claude Agent SDK harness and Claude Code print them),
// the `api_error_status` of Claude Code's stream-json, and the provider's
// own wording (Anthropic, Bedrock/AWS Marketplace, OpenAI-style quota
// errors, the PostHog LLM gateway). The provider's status only reaches the
// transcript this way (SPEC §5).

// The patterns below are matched against the lower-cased line.

// apiStatusRes find a provider status wherever it appears, narration
// included, because the wizard shows the agent's text as it comes:
//
//	API Error: 403 {"detail":"…"}
//	API Error: Request rejected (429) · This request would exceed …
//	API Error (529 {"type":"error",…}) · Retrying in 5 seconds…
//	{"type":"result",…,"api_error_status":401,…}
var apiStatusRes = []*regexp.Regexp{
	regexp.MustCompile(`api error:?\s*(?:request rejected\s*)?\(?(\d{3})\b`),
	regexp.MustCompile(`"api_error_status"\s*:\s*(\d{3})\b`),
}

// httpStatusRe finds statuses the wizard reports for its own calls, e.g.
// "the PostHog gateway could not issue a token (HTTP 503)". It is looser, so
// it is not applied to the agent's narration.
var httpStatusRe = regexp.MustCompile(`\b(?:http|status(?:[ _]?code)?)["']?\s*[:=]?\s*\(?(\d{3})\b`)

// statusSignal maps a provider or gateway status to its class. A 403 is
// auth unless the billing signature appears (provisioning is decided first).
func statusSignal(code int) (signal, bool) {
	switch code {
	case 401, 403, 407:
		return sigAuth, true
	case 429:
		return sigRate, true
	case 408, 500, 502, 503, 504, 520, 521, 522, 523, 524, 529:
		return sigOverloaded, true
	}
	return 0, false
}

// statusSignals reports the class of every status in lower, a lower-cased
// line. narration says whether it is the agent's running commentary.
func statusSignals(lower []byte, narration bool, yield func(signal)) {
	if !hasThreeDigits(lower) {
		return
	}
	scan := func(re *regexp.Regexp) {
		for _, m := range re.FindAllSubmatch(lower, 4) {
			if n, err := strconv.Atoi(string(m[1])); err == nil {
				if sig, ok := statusSignal(n); ok {
					yield(sig)
				}
			}
		}
	}
	if bytes.Contains(lower, []byte("api error")) || bytes.Contains(lower, []byte("api_error_status")) {
		for _, re := range apiStatusRes {
			scan(re)
		}
	}
	if !narration && (bytes.Contains(lower, []byte("http")) || bytes.Contains(lower, []byte("status"))) {
		scan(httpStatusRe)
	}
}

// hasThreeDigits reports whether b holds a run of three digits, the least a
// status needs.
func hasThreeDigits(b []byte) bool {
	run := 0
	for _, c := range b {
		if '0' <= c && c <= '9' {
			if run++; run == 3 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// apiRules recognise the provider's wording, status or not. Most are plain
// keywords; a pattern runs only on lines that hold one of its keywords.
var apiRules = []rule{
	// SPEC §5 provisioning: the Bedrock/AWS Marketplace billing signature.
	// Either INVALID_PAYMENT_INSTRUMENT, or AccessDenied together with
	// Marketplace subscription wording (the two flags below, which may sit
	// on different lines of one error body).
	newRule(sigBilling, true, "invalid_payment_instrument"),
	newRule(sigAccessDenied, true, "accessdenied", "access denied", "access_denied", "access is denied"),
	newRuleRe(sigMarketplace, true, []string{"marketplace"}, `marketplace.{0,80}subscri|subscri.{0,80}marketplace`),

	// Quota exhaustion is a 429 too, but waiting minutes does not help.
	newRule(sigQuota, false, "usage limit", "insufficient_quota", "exceeded your current quota", "exceeded your quota",
		"quota exceeded", "quota exhausted", "quota reached", "out of credits", "out of quota",
		"credit balance is too low", "billing_hard_limit"),
	newRuleRe(sigQuota, false, []string{"daily", "weekly", "monthly", "hourly", "5-hour", "five-hour"},
		`\b(?:daily|weekly|monthly|hourly|5-hour|five-hour)\b[^.\n]{0,40}\blimit`), // "used its daily run limit"

	newRule(sigRate, false, "rate_limit_error", `"error":"rate_limit"`, "too many requests", "request rejected (429)"),
	newRuleRe(sigRate, false, []string{"rate limit", "rate-limit", "rate_limit", "ratelimit"},
		`rate[ _-]?limit(?:ed)?\s+(?:exceeded|reached|hit)`+
			`|exceed\w*\s+(?:the\s+|your\s+)?[\w' ]{0,40}rate[ _-]?limit`), // "would exceed your account's rate limit"

	newRule(sigOverloaded, false, "overloaded_error", `"error":"overloaded"`, `"error":"server_error"`,
		"internal server error", "bad gateway", "service unavailable", "gateway timeout", "gateway time-out",
		"service outage"),
	newRuleRe(sigOverloaded, false, []string{"overloaded"}, `\b529\b[^\n]{0,20}overloaded|api error:?\s*overloaded`),

	newRule(sigAuth, false, "authentication_error", "authentication_failed", "failed to authenticate",
		"invalid api key", "invalid api-key", "invalid x-api-key", "permission_error"),
}
