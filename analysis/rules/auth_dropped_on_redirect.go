package rules

import (
	"fmt"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/redact"
)

// AuthDroppedOnRedirect is the `auth-dropped-on-redirect` cause.
var AuthDroppedOnRedirect = &analysis.Rule{
	ID:    "auth-dropped-on-redirect",
	Title: "Login header dropped on a redirect to another origin",
	Doc:   "The request carried an Authorization header and was redirected to another origin (http→https, another host or port); browsers drop the header on such a redirect, so the next request arrived without it.",
	Remedy: []trace.Step{
		{Who: trace.Developer, Step: "Call the final URL directly (the canonical scheme, host and port) so no cross-origin redirect happens; the request should then carry the header and answer 200."},
		{Who: trace.Admin, Step: "Avoid cross-origin redirects on API paths (for example serve the API on the canonical host only)."},
	},
	Run:     runAuthDroppedOnRedirect,
	RuleOut: ruleOutAuthDroppedOnRedirect,
}

func runAuthDroppedOnRedirect(p *analysis.Pass) {
	t := p.Trace
	b := t.Browser()
	if !b.DropsAuthOnCrossOriginRedirect() {
		return
	}
	for _, i := range t.TimeOrder() {
		if !t.AuthFailure(i) || t.Auth(i).Credentials != nil {
			continue
		}
		chain := t.RedirectChain(i)
		if len(chain) < 2 {
			continue
		}
		// The first hop that carried Authorization, then a cross-origin step.
		src := -1
		for k := 0; k < len(chain)-1; k++ {
			if c := t.Auth(chain[k]).Credentials; c != nil && src < 0 {
				src = k
			}
			if src >= 0 && t.Origin(chain[k]) != t.Origin(chain[k+1]) {
				from, to := chain[k], chain[k+1]
				first := chain[src]
				f := analysis.Finding{Entry: i, Confidence: 0.9,
					Explanation: fmt.Sprintf("Entry %d carried an Authorization header; entry %d redirected from %s to %s (another origin), and %s drops the header on such a redirect, so this request arrived without it.",
						first, from, t.Origin(from), t.Origin(to), b),
					Evidence: []trace.Evidence{
						t.CredentialEvidence(first),
						trace.EvidenceAt(from, har.ResponseHeader("Location"), fmt.Sprintf("%d → %s", t.Entries[from].Response.Status, redact.URL(t.Entries[to].Request.URL))),
						trace.EvidenceAt(i, har.RequestHeader("Authorization"), "(none)"),
					},
					Remedy: []trace.Step{
						{Who: trace.Developer, Step: fmt.Sprintf("Call %s directly instead of %s, so no cross-origin redirect happens; the request should then carry the Authorization header and answer 200.", redact.URL(t.Entries[to].Request.URL), redact.URL(t.Entries[first].Request.URL))},
						{Who: trace.Admin, Step: fmt.Sprintf("Avoid the redirect from %s to %s on API paths (serve the API on its canonical origin).", t.Origin(from), t.Origin(to))},
						t.SendTo(i, "the application's developers", fmt.Sprintf("The API call to %s is redirected to %s and the browser drops the Authorization header on that redirect.", t.Origin(from), t.Origin(to))),
					}}
				p.Report(f)
				break
			}
		}
	}
}

// ruleOutAuthDroppedOnRedirect: no redirect led to this request.
func ruleOutAuthDroppedOnRedirect(t *trace.Trace, i int) (string, bool) {
	if t.RedirectSource(i) >= 0 {
		return "", false
	}
	return "No redirect: the request was sent directly, not by following a redirect, so no header was dropped on the way.", true
}
