// Package report renders every Markdown body wizard-ci posts — the results
// comment, the job summary, the hint, replies — and the markers and embedded
// state that let wizard-ci find and read its own comments again. It performs
// no I/O.
//
// Every body is built so that echoed text (app paths, wizard output, tokens
// from a comment) cannot break a table, mention someone, plant a marker or
// form a line that parses as a /wizard-ci command (SPEC §2): commands we show
// sit in inline code, and a final pass defuses any line that would start with
// the command word.
package report
