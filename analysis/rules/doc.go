// Package rules holds one file per cause of the diagnosis catalogue. Each
// file declares one *analysis.Rule (its stable ID, title, doc, default
// remedy and Run function) and only the private helpers it alone needs;
// anything two rules share belongs in analysis/trace (what the trace
// shows) or in package analysis (how a finding is built: Finding.Conclude,
// SignatureFinding, Pass.ReportIIS), and a test (internal/archtest) fails
// when a file uses another file's unexported identifier. All returns the
// rules in catalogue order.
//
// Adding a cause is one new file here, its entry in All, and its test
// traces under testdata/traces/<cause>/.
package rules
