package rules_test

import (
	"context"
	"path/filepath"
	"testing"

	"authlens/analysis"
	"authlens/analysis/internal/expect"
	"authlens/har"
)

// TestCauseTraps checks traces built to look like a cause without its
// EvidenceAt: the analyzer must not name that cause on any exchange. The
// scenario harness can only say what a trace is; this says what it is not.
func TestCauseTraps(t *testing.T) {
	for _, tc := range []struct{ dir, cause string }{
		// 403s without no-store, but no cache answered them.
		{"../../testdata/traces/cached-response/cached-response-trap-no-evidence", "cached-response"},
		// Two addresses, failures on both: round-robin DNS, not an old address.
		{"../../testdata/traces/dns-mismatch/dns-mismatch-trap-both-fail", "dns-mismatch"},
		// stale=true answered by a retry with the new nonce.
		{"../../testdata/traces/healthy/digest-stale-nonce-retried-captured", "stale-nonce"},
	} {
		t.Run(filepath.Base(tc.dir), func(t *testing.T) {
			rep := analyzeDir(t, tc.dir)
			problems := 0
			for _, x := range rep.Exchanges {
				if x.Problem {
					problems++
				}
				if x.Problem && hasCause(x, tc.cause) {
					t.Errorf("entry %d (%s %s %d): %s named, want it absent; causes %s", x.Index, x.Method, expect.PathOf(x.URL), x.Status, tc.cause, expect.Causes(x))
				}
			}
			if tc.cause != "stale-nonce" && problems == 0 {
				t.Errorf("no exchange flagged: the trap's refusals must still be reported as problems")
			}
		})
	}
}

func analyzeDir(t *testing.T, dir string) *analysis.Report {
	_, rep := loadAndAnalyze(t, dir)
	return rep
}

// loadAndAnalyze reads dir/trace.har and analyses it with every rule.
func loadAndAnalyze(t *testing.T, dir string) (*har.Trace, *analysis.Report) {
	t.Helper()
	h, rep, err := expect.Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h, rep
}
