package trace

import "authlens/har"

// traceOf indexes hand-built exchanges (analysis/internal/fixture) as one
// trace.
func traceOf(es ...*har.Entry) *Trace {
	for i, e := range es {
		e.Index = i
	}
	return New(SourceInfo{Path: "fixture.har"}, har.Log{Version: "1.2", Creator: har.Creator{Name: "fixture", Version: "1"}}, es, nil)
}
