// Package analysis explains why HTTP exchanges in a trace failed with 401
// or 403 (and the exchanges around them that matter).
//
// It is built like golang.org/x/tools/go/analysis: every cause in the
// catalogue is one small Rule value (ID, title, plain explanation,
// detection, remedy steps) in its own file of package analysis/rules. A
// rule reads the trace through the exported query API of analysis/trace
// (and what one exchange says on its own through analysis/entry) and
// reports findings through its Pass. Analyze runs the rules it is
// given, groups what they report per exchange, applies the ranking rules
// that concern several causes at once (an inference yields to the
// server's own error page), and adds the plain-words reading of each
// failing status. The Report it returns is the JSON contract of
// `authlens analyze --format json`.
package analysis
