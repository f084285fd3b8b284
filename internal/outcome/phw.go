package outcome

import (
	"encoding/json"
	"regexp"
	"strings"
)

// phwPrefix starts the one machine-readable line that wizards from 2.77 on
// print on stderr just before they exit:
//
//	phw-error: {"code":"PHW_DETECT_NO_FRAMEWORK","message":"…","detail":{"reason":"…"}}
const phwPrefix = "phw-error:"

// phwCodeRe is the wizard's own ERROR_CODE_PATTERN (src/lib/errors/codes.ts).
var phwCodeRe = regexp.MustCompile(`^PHW_[A-Z][A-Z0-9_]*$`)

// phwLooseCodeRe digs the code out of a line whose JSON does not decode (cut
// short, or garbled by an interleaved write).
var phwLooseCodeRe = regexp.MustCompile(`"code"\s*:\s*"(PHW_[A-Z][A-Z0-9_]*)"`)

// phwError is the decoded body of a phw-error line. Only the fields the
// classifier reads are kept.
type phwError struct {
	Code    string
	Message string
	Reason  string // detail.reason, e.g. the raw [ABORT] reason
}

// parsePHW decodes the body of a phw-error line (the text after phwPrefix).
// It never fails: a body that is not JSON yields whatever code can be found
// in it and the raw body as the message, so its wording still reaches the
// text rules.
func parsePHW(body string) phwError {
	body = strings.TrimSpace(body)
	var raw struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Detail  json.RawMessage `json:"detail"`
	}
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		p := phwError{Message: body}
		if m := phwLooseCodeRe.FindStringSubmatch(body); m != nil {
			p.Code = m[1]
		}
		return p
	}
	p := phwError{Message: raw.Message}
	if phwCodeRe.MatchString(raw.Code) {
		p.Code = raw.Code
	}
	// detail is allow-listed by the wizard (reason, detected, platform, kind);
	// it is not always an object, so decode it separately and ignore misfits.
	var detail struct {
		Reason string `json:"reason"`
	}
	if len(raw.Detail) > 0 && json.Unmarshal(raw.Detail, &detail) == nil {
		p.Reason = detail.Reason
	}
	return p
}

// codeRule is what a phw code says about the outcome. When decisive is
// false the code covers several classes (SPEC §5): the transcript's text
// decides, and outcome is only the fallback when no text rule matched.
type codeRule struct {
	outcome  Outcome
	decisive bool
}

// phwCodes maps the codes of the wizard's error catalog (docs/errors.md,
// src/lib/errors/codes.ts) that the group prefixes below do not settle.
var phwCodes = map[string]codeRule{
	// SPEC §5 names these three as covering several classes.
	"PHW_AGENT_API_ERROR":    {Crashed, false},
	"PHW_INTERNAL_UNHANDLED": {Crashed, false},
	// A refused mint is a login the gateway will not accept, unless its
	// text says a daily/weekly run limit was used up (quota-exhausted).
	"PHW_GATEWAY_MINT_REFUSED": {Auth, false},
	// The wizard codes any "API Error: 429" as a rate limit, but a used-up
	// quota is also a 429: let the wording tell them apart.
	"PHW_AGENT_RATE_LIMIT": {RateLimited, false},
	// A failed user/project fetch is an auth problem when PostHog said 401
	// or 403, but a network failure when it could not be reached at all (the
	// catalog marks this code retryable).
	"PHW_AUTH_PROJECT_FETCH_FAILED": {Auth, false},

	"PHW_GATEWAY_MINT_FAILED":                      {Overloaded, true},
	"PHW_ENV_SERVICE_OUTAGE":                       {Overloaded, true},
	"PHW_ENV_LOCAL_SERVICES_DOWN":                  {Config, true}, // only with --local-* flags
	"PHW_SKILL_MENU_FETCH_FAILED":                  {Overloaded, true},
	"PHW_SKILL_DOWNLOAD_FAILED":                    {Overloaded, true},
	"PHW_SKILL_NOT_FOUND":                          {Config, true}, // the sub-command names a skill that does not exist
	"PHW_AGENT_ABORT":                              {Aborted, true},
	"PHW_AGENT_MCP_MISSING":                        {MCPMissing, true},
	"PHW_AGENT_RESOURCE_MISSING":                   {ResourceMissing, true},
	"PHW_AGENT_YARA_VIOLATION":                     {SecurityBlocked, true},
	"PHW_AGENT_NO_PROGRESS":                        {Incomplete, true},
	"PHW_AGENT_INCOMPLETE_TASKS":                   {Incomplete, true},
	"PHW_AGENT_ORCHESTRATOR_TASKS_FAILED":          {Incomplete, true},
	"PHW_AGENT_ORCHESTRATOR_HOLLOW_RUN":            {Incomplete, true},
	"PHW_AGENT_ORCHESTRATOR_SKILL_VARIANT_MISSING": {Overloaded, true}, // a skill download failed
	"PHW_AGENT_ORCHESTRATOR_SINK_INVARIANT":        {Crashed, true},    // a wizard bug
	"PHW_SETTINGS_UNFIXABLE_CONFLICT":              {Config, true},     // Claude settings on the runner
}

// phwGroups settles whole code groups (SPEC §5).
var phwGroups = []struct {
	prefix string
	rule   codeRule
}{
	{"PHW_CLI_", codeRule{Config, true}},
	{"PHW_ARGS_", codeRule{Config, true}},
	{"PHW_DETECT_", codeRule{Precondition, true}},
	{"PHW_AUTH_", codeRule{Auth, true}},
}

// codeOutcome says what a phw code means. Unknown codes (a newer wizard)
// are not decisive: the text decides, else the attempt counts as crashed.
func codeOutcome(code string) codeRule {
	if r, ok := phwCodes[code]; ok {
		return r
	}
	for _, g := range phwGroups {
		if strings.HasPrefix(code, g.prefix) {
			return g.rule
		}
	}
	return codeRule{Crashed, false}
}
