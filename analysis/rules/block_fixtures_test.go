package rules

import (
	"strings"
	"testing"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/har"
)

// Hand-built exchanges for the cookie, firewall, CSRF and CORS rule tests.

func fixtureTrace(es ...*har.Entry) *trace.Trace {
	for i, e := range es {
		e.Index = i
	}
	return trace.New(trace.SourceInfo{Path: "fixture.har"}, har.Log{Version: "1.2", Creator: har.Creator{Name: "fixture", Version: "1"}}, es, nil)
}

// findingsOf runs one rule and returns its findings by entry.
func findingsOf(t *testing.T, r *analysis.Rule, tr *trace.Trace) map[int]analysis.Finding {
	t.Helper()
	p := &analysis.Pass{Rule: r, Trace: tr}
	if err := analysis.RunRule(p); err != nil {
		t.Fatalf("%s: %v", r.ID, err)
	}
	out := map[int]analysis.Finding{}
	for _, f := range p.Findings {
		if old, ok := out[f.Entry]; !ok || f.Confidence > old.Confidence {
			out[f.Entry] = f
		}
	}
	return out
}

// wantFinding asserts a finding on entry i with confidence in [lo, hi].
func wantFinding(t *testing.T, fs map[int]analysis.Finding, i int, lo, hi float64, mention ...string) analysis.Finding {
	t.Helper()
	f, ok := fs[i]
	if !ok {
		t.Fatalf("no finding on entry %d (findings: %v)", i, keysOf(fs))
	}
	if f.Confidence < lo || f.Confidence > hi {
		t.Errorf("entry %d: confidence %.2f, want %.2f..%.2f (%s)", i, f.Confidence, lo, hi, f.Explanation)
	}
	all := f.Explanation
	for _, ev := range f.Evidence {
		all += "\n" + ev.Detail
	}
	for _, s := range f.Remedy {
		all += "\n" + s.Step
	}
	for _, m := range mention {
		if !strings.Contains(all, m) {
			t.Errorf("entry %d: finding does not mention %q:\n%s", i, m, all)
		}
	}
	if len(f.Evidence) == 0 {
		t.Errorf("entry %d: finding without evidence", i)
	}
	return f
}

func wantNoFinding(t *testing.T, fs map[int]analysis.Finding, i int) {
	t.Helper()
	if f, ok := fs[i]; ok {
		t.Errorf("entry %d: unexpected finding (%.2f): %s", i, f.Confidence, f.Explanation)
	}
}

func keysOf(fs map[int]analysis.Finding) []int {
	var ks []int
	for k := range fs {
		ks = append(ks, k)
	}
	return ks
}

// noRawSecret fails when a finding shows a raw secret.
func noRawSecret(t *testing.T, fs map[int]analysis.Finding, secret string) {
	t.Helper()
	for i, f := range fs {
		all := f.Explanation
		for _, ev := range f.Evidence {
			all += ev.Detail
		}
		for _, s := range f.Remedy {
			all += s.Step
		}
		if strings.Contains(all, secret) {
			t.Errorf("entry %d: finding shows the raw secret %q", i, secret)
		}
	}
}
