// Package report renders an analysis.Report for people and programs: the
// JSON contract, plain text for a terminal and Markdown for a ticket. All
// formats share one set of words and one escaping policy, so text from a
// HAR can neither drive a terminal nor inject Markdown or HTML structure.
package report
