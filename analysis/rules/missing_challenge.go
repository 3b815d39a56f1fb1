package rules

import (
	"authlens/analysis"
	"authlens/analysis/trace"
)

// MissingChallenge is the `missing-challenge` cause.
var MissingChallenge = &analysis.Rule{
	ID:    "missing-challenge",
	Title: "401 without a WWW-Authenticate challenge",
	Doc:   "The server answered 401 but did not say how to sign in (no WWW-Authenticate header, RFC 9110 §15.5.2), so the browser cannot prompt. Many single-page-app APIs do this on purpose; it is rarely what went wrong for the user.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Sign in through the site's login page (the browser will not show a login dialog for this answer), then retry: it should answer 200.", Browser: true},
		{Who: trace.Developer, Step: "Send a challenge with every 401, e.g. WWW-Authenticate: Bearer realm=\"api\" (with error=\"invalid_token\" when a token was rejected), so clients can tell what to do."},
	},
	Run: runMissingChallenge,
}

func runMissingChallenge(p *analysis.Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		if !t.AuthFailure(i) || t.Entries[i].Response.Status != 401 {
			continue
		}
		a := t.Auth(i)
		if len(a.Challenges) > 0 || a.ChallengeError != nil {
			continue
		}
		p.Report(analysis.Finding{Entry: i, Confidence: 0.25,
			Explanation: "The 401 carries no WWW-Authenticate header, so the client cannot know how to sign in. This breaks the HTTP rules but is common for APIs; look at the other causes first.",
			Evidence:    []trace.Evidence{t.ChallengeHeaderEvidence(i)}})
	}
}
