package checks

import (
	"path"
	"regexp"
	"strings"
)

// MinSecretLen is the shortest configured secret searched for in files:
// shorter values would match ordinary words.
const MinSecretLen = 8

// secretShape matches credentials by their form. The tail after a PostHog or
// GitHub prefix must be a run of letters and digits (real keys are), so
// placeholders such as phc_your_project_token or phx_... are not keys;
// realKey then asks for both a letter and a digit, which rules out
// phc_XXXXXXXXXXXXXXXXXXXX.
var secretShape = regexp.MustCompile(`ph[xca]_[A-Za-z0-9]{16,}` +
	`|gh[posur]_[A-Za-z0-9]{20,}` +
	`|github_pat_[A-Za-z0-9_]{20,}` +
	`|sk-ant-[A-Za-z0-9_-]{20,}` +
	`|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b`)

// secretKind names what a credential-shaped token is; project is true for
// the public project token, which allow-project-token permits.
func secretKind(tok string) (what string, project bool) {
	switch {
	case strings.HasPrefix(tok, "phx_"):
		return "a PostHog personal API key (phx_…)", false
	case strings.HasPrefix(tok, "phc_"):
		return "a PostHog project token (phc_…)", true
	case strings.HasPrefix(tok, "pha_"):
		return "a PostHog OAuth access token (pha_…)", false
	case strings.HasPrefix(tok, "github_pat_"):
		return "a GitHub fine-grained token (github_pat_…)", false
	case strings.HasPrefix(tok, "gh"):
		return "a GitHub token (" + tok[:4] + "…)", false
	case strings.HasPrefix(tok, "sk-ant-"):
		return "an Anthropic API key (sk-ant-…)", false
	}
	return "an AWS access key id", false
}

// realKey rules out placeholders: a generated key mixes letters and digits.
func realKey(tok string) bool {
	if strings.HasPrefix(tok, "AKIA") || strings.HasPrefix(tok, "ASIA") {
		return true // base32 ids often hold no digit; the shape is specific enough
	}
	tail := tok
	if i := strings.IndexAny(tok, "_-"); i >= 0 {
		tail = tok[i+1:]
	}
	letter, digit := false, false
	for _, c := range tail {
		switch {
		case '0' <= c && c <= '9':
			digit = true
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			letter = true
		}
	}
	return letter && digit
}

// leak is one secret found in a file.
type leak struct {
	what    string
	line    int    // 1-based
	literal string // never shown; used to tell a leak from what the original already held
	project bool
}

// findSecrets lists the secrets in src: credential shapes and the
// configured values.
func findSecrets(src string, configured []string) []leak {
	var out []leak
	for _, loc := range secretShape.FindAllStringIndex(src, -1) {
		tok := src[loc[0]:loc[1]]
		if !realKey(tok) {
			continue
		}
		what, project := secretKind(tok)
		out = append(out, leak{what: what, line: lineAt(src, loc[0]), literal: tok, project: project})
	}
	shapes := len(out)
	for _, s := range configured {
		i := strings.Index(src, s)
		if i < 0 {
			continue
		}
		l := leak{what: "the PostHog key or another secret wizard-ci was given", line: lineAt(src, i), literal: s}
		dup := false
		for _, o := range out[:shapes] {
			dup = dup || o.line == l.line && (strings.Contains(o.literal, s) || strings.Contains(s, o.literal))
		}
		if !dup {
			out = append(out, l)
		}
	}
	return out
}

func lineAt(src string, at int) int { return strings.Count(src[:at], "\n") + 1 }

// dotenvFile reports whether rel is a local environment file (.env,
// .env.local, .env.production…), where the public project token belongs:
// the wizard writes NEXT_PUBLIC_POSTHOG_KEY=phc_… there for Next.js, and such
// files stay out of version control. Templates that are committed
// (.env.example, .env.sample, .env.template, .env.dist) are source, and a
// personal key or other secret is refused in every file.
func dotenvFile(rel string) bool {
	base := path.Base(rel)
	if base == ".env" {
		return true
	}
	suffix, ok := strings.CutPrefix(base, ".env.")
	if !ok || suffix == "" {
		return false
	}
	switch strings.ToLower(suffix) {
	case "example", "sample", "template", "dist", "defaults", "schema":
		return false
	}
	return true
}
