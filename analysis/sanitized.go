package analysis

// TEMPORARY stub: replaced by the sanitized-export detection.

// Sanitization says whether the trace was exported with secrets removed
// (Chrome/Edge 130+ default export, REDACTED placeholders, ...).
type Sanitization struct {
	Sanitized bool
	// How says what was removed and how it was recognised.
	How string
}

// Sanitized returns what the trace's export removed.
func (t *Trace) Sanitized() Sanitization { return Sanitization{} }

// traceNotes returns the trace-wide notes every report carries.
func traceNotes(t *Trace) []Note { return nil }
