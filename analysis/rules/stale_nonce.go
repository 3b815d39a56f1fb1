package rules

import (
	"fmt"
	"strings"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/redact"
)

// StaleNonce is the `stale-nonce` cause.
var StaleNonce = &analysis.Rule{
	ID:    "stale-nonce",
	Title: "Digest nonce expired and was not renewed",
	Doc:   "The server said the Digest nonce had expired (stale=true — which also proves the password was right), and the client did not retry with the new nonce.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Reload the page: the browser retries with the new nonce without asking for the password again, and the page should load.", Browser: true},
		{Who: trace.Developer, Step: "On a 401 whose Digest challenge says stale=true, retry once with the new nonce and the same credentials, without prompting the user (RFC 7616 §3.3)."},
	},
	Run: runStaleNonce,
}

func runStaleNonce(p *analysis.Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		if !t.AuthFailure(i) || t.Entries[i].Response.Status != 401 {
			continue
		}
		a := t.Auth(i)
		if !trace.StaleDigest(a.Challenges) {
			continue
		}
		f := analysis.Finding{Entry: i, Confidence: 0.85,
			Evidence: []trace.Evidence{t.ChallengeHeaderEvidence(i), t.CredentialEvidence(i)}}
		if a.Credentials == nil || !strings.EqualFold(a.Credentials.Scheme, "Digest") {
			f.Confidence = 0.6
		}
		if next := t.NextSameRequest(i); next >= 0 && t.Auth(next).Credentials != nil {
			f.Explanation = fmt.Sprintf("The server said the nonce was stale (stale=true: the password was right); the retry in entry %d did not succeed either.", next)
		} else {
			f.Explanation = "The server said the Digest nonce was stale (stale=true — the password was right), and the client did not retry with the new nonce."
		}
		f.Remedy = []trace.Step{
			{Who: trace.User, Step: fmt.Sprintf("Reload %s: the browser should retry with the new nonce and the page should load, without asking for the password.", redact.URL(t.Entries[i].Request.URL)), Browser: true},
			{Who: trace.Developer, Step: "Handle stale=true: retry once with the new nonce from the challenge and the same credentials, without prompting (RFC 7616 §3.3)."},
			{Who: trace.Admin, Step: "If the nonce lifetime on the server is very short, lengthen it so long-running pages do not hit it constantly."},
		}
		p.Report(f)
	}
}
