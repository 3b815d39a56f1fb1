package capture

import (
	"context"
	"testing"

	"authlens/analysis"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
)

// analyseCaptured runs the analysis over recorded entries, as authlens/live
// does for a running capture (this package's code never analyses; only its
// tests check that what it records is what the rules need).
func analyseCaptured(t testing.TB, log har.Log, entries []*har.Entry) *analysis.Report {
	t.Helper()
	rep, err := analysis.Analyze(context.Background(), trace.New(analysis.SourceInfo{Format: "capture"}, log, entries, nil), rules.All())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
