package analysis

import (
	"fmt"

	"authlens/analysis/signatures"
	"authlens/analysis/trace"
)

// Helpers rules use to build the findings they report.

// Conclude sets the finding's confidence and explanation and adds the
// evidence they rest on: one reading of the exchange, stated at once.
// A later, stronger reading may conclude again over it.
func (f *Finding) Conclude(confidence float64, explanation string, evidence ...trace.Evidence) {
	f.Confidence = confidence
	f.Explanation = explanation
	f.Evidence = append(f.Evidence, evidence...)
}

// SignatureFinding is the finding for entry i when a vendor signature
// names the cause: the vendor's own words explain it, and the matched
// page or header is the evidence. The rule adds its remedy.
func SignatureFinding(i int, m signatures.SignatureMatch, confidence float64) Finding {
	return Finding{Entry: i, Confidence: confidence,
		Explanation: fmt.Sprintf("%s: %s.", m.Vendor, m.Meaning),
		Evidence:    []trace.Evidence{trace.SignatureEvidence(i, m)}}
}
