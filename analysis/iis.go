package analysis

import (
	"fmt"

	"authlens/analysis/trace"
)

// ReportIIS reports entry i when its IIS page names a sub-status that
// maps to the pass's rule, with the IIS-specific steps. It returns whether
// it did.
func (p *Pass) ReportIIS(i int, conf float64, explanation string) bool {
	f, ok := IISFinding(p.Trace, i, p.Rule, conf)
	if !ok {
		return false
	}
	if explanation != "" {
		f.Explanation = explanation
	}
	p.Report(f)
	return true
}

// IISFinding is the finding for entry i when its IIS page names a
// sub-status that maps to rule r.
func IISFinding(t *trace.Trace, i int, r *Rule, conf float64) (Finding, bool) {
	row, ok := t.IISForEntry(i)
	if !ok || row.Cause != r.ID {
		return Finding{}, false
	}
	remedy := append([]trace.Step{}, row.Remedy...)
	if len(remedy) == 0 {
		remedy = append(remedy, r.Remedy...)
	}
	return Finding{Entry: i, Confidence: conf,
		Explanation: fmt.Sprintf("The IIS error page names sub-status %s: %s.", row.Code(), row.Meaning),
		Evidence:    []trace.Evidence{trace.IISEvidence(i, row)}, Remedy: remedy}, true
}
