package capture

import (
	"context"
	"testing"

	"authlens/analysis"
	"authlens/har"
)

// analyseCaptured runs the analysis over recorded entries, as authlens/live
// does for a running capture (this package's code never analyses; only its
// tests check that what it records is what the rules need).
func analyseCaptured(t testing.TB, log har.Log, entries []*har.Entry) *analysis.Report {
	t.Helper()
	rep, err := analysis.Analyze(context.Background(), analysis.NewTrace(analysis.SourceInfo{Format: "capture"}, log, entries, nil))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
