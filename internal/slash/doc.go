// Package slash parses the body of a pull-request comment into a wizard-ci
// command (SPEC §2): run, help, rerun-failed, a reply listing every problem, or
// nothing at all. It performs no I/O and knows nothing about the workbench:
// telling a program from a target, and a known target from an unknown one,
// happens later (see Merge and the workbench package).
//
// # Which lines are commands
//
// A command line is a line whose first token is exactly [Command], indented by
// at most 3 columns (a tab counts to the next multiple of 4, so a leading tab
// is code). Quoting an old command must never run it again, so lines are
// skipped when they are, in the rendered Markdown:
//
//   - inside a fenced code block (``` or ~~~; closed only by a fence of the
//     same character that is at least as long; an unclosed fence runs to the
//     end of its container), also when the fence opens inside a list item or a
//     block quote;
//   - in a block quote (">", nested or not), including lazy continuation lines
//     that GitHub renders inside the quote;
//   - inside an inline code span that began on an earlier line of the same
//     paragraph, or inside raw HTML code (<code>, <pre>, <tt>, <kbd>,
//     <samp>; one left open lasts to the end of its paragraph);
//   - inside an indented code block;
//   - inside an HTML comment (a block, or inline across lines) or a
//     <pre>/<script>/<style>/<textarea> block, which GitHub does not show as
//     text (an extension of SPEC §2: a command nobody can see must not run).
//
// "\r\n", "\r" and "\n" end lines.
//
// # Tokens
//
// Tokens are split on every rune for which unicode.IsSpace reports true and,
// in addition, on the zero-width characters U+200B, U+2060, U+180E and U+FEFF,
// which are invisible in a rendered comment and so must behave like a space.
// Other invisible characters (control characters, bidi and joiner formatting
// characters) are never separators: a token holding one is a [ParseError].
// Backticks around a token are removed and trailing '/' are removed from
// targets. A target token must look like a workbench path: A–Z a–z 0–9 . _ /
// and -, not starting with '-' or '/', with no empty, "." or ".." segment,
// and at most 255 bytes. Leading Unicode spaces count one column each towards
// the indent (zero-width ones none).
//
// # Several command lines
//
// All command lines of a comment make one command. Every wizard:<ref> must
// name the same ref; help and rerun-failed take no other token anywhere in
// the comment; a bare "/wizard-ci" line adds nothing, and a comment whose
// command lines hold no target at all (bare, or only wizard:<ref>) is refused
// rather than run as "all". Every problem becomes one ParseError, in body
// order, so one reply can list them all.
package slash
