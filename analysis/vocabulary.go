package analysis

import "authlens/analysis/trace"

// The words rules and reports share are defined next to the trace they
// point into; these aliases let callers of the runner name them here.
type (
	// Who names the person who has to act on a remedy step.
	Who = trace.Who
	// Step is one remedy action, addressed to one person.
	Step = trace.Step
	// Evidence points at the entry and field a conclusion rests on.
	Evidence = trace.Evidence
	// Note is a trace-wide observation.
	Note = trace.Note
	// SourceInfo describes where the trace came from.
	SourceInfo = trace.SourceInfo
)

// The three kinds of people a remedy step is addressed to.
const (
	User      = trace.User
	Admin     = trace.Admin
	Developer = trace.Developer
)
