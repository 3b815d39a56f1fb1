package analysis

import (
	"testing"

	"authlens/analysis/signatures"
	"authlens/analysis/trace"
	"authlens/har"
)

func TestFindingConclude(t *testing.T) {
	first := trace.EvidenceAt(1, har.At(har.PartResponseBody), "first")
	f := Finding{Entry: 1, Evidence: []trace.Evidence{first}}
	f.Conclude(0.8, "the server says so", trace.EvidenceAt(1, har.RequestHeader("Authorization"), "Bearer …"))
	if f.Confidence != 0.8 || f.Explanation != "the server says so" {
		t.Errorf("Conclude set %v, %q", f.Confidence, f.Explanation)
	}
	if len(f.Evidence) != 2 || f.Evidence[0] != first {
		t.Errorf("Conclude must add to the evidence already gathered: %+v", f.Evidence)
	}
	f.Conclude(0.3, "weaker")
	if f.Confidence != 0.3 || len(f.Evidence) != 2 {
		t.Errorf("Conclude without evidence: %v, %d rows", f.Confidence, len(f.Evidence))
	}
}

func TestSignatureFinding(t *testing.T) {
	m := signatures.SignatureMatch{Vendor: "Cloudflare", Meaning: "the firewall blocked the request", Strength: "strong",
		Excerpt: "Sorry, you have been blocked", RefName: "Ray ID", Reference: "8a1b", Where: har.At(har.PartResponseBody)}
	f := SignatureFinding(4, m, 0.85)
	if f.Entry != 4 || f.Confidence != 0.85 || f.Explanation != "Cloudflare: the firewall blocked the request." {
		t.Errorf("SignatureFinding = %+v", f)
	}
	if len(f.Evidence) != 1 || f.Evidence[0] != trace.SignatureEvidence(4, m) {
		t.Errorf("evidence = %+v", f.Evidence)
	}
	if f.Remedy != nil {
		t.Error("the rule adds its own remedy")
	}
}
