package rules

import (
	"fmt"
	"regexp"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/har"
)

// StepUpRequired is the `step-up-required` cause.
var StepUpRequired = &analysis.Rule{
	ID:    "step-up-required",
	Title: "A stronger or more recent sign-in is required",
	Doc:   "The token is valid, but the sign-in behind it was too weak or too old for this resource (for example it needs multi-factor authentication).",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Sign in again and complete the extra step (the second factor / MFA prompt), then retry: it should answer 200.", Browser: true},
		{Who: trace.Developer, Step: "Start a new authorization request with the acr_values and max_age the challenge names (RFC 9470), then retry with the new token."},
	},
	Run: runStepUpRequired,
}

var stepUpText = regexp.MustCompile(`(?i)AADSTS5007[69]|multi-?factor authentication|MFA (is )?required|step-?up|interaction_required|reauthenticat|re-authenticat|stronger authentication`)

func runStepUpRequired(p *analysis.Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		st := t.Entries[i].Response.Status
		if !t.AuthFailure(i) && st != 400 {
			continue
		}
		code, _, ch, _ := t.BearerError(i)
		acr, _ := ch.Param("acr_values")
		maxAge, _ := ch.Param("max_age")
		f := analysis.Finding{Entry: i}
		switch {
		case code == "insufficient_user_authentication":
			f.Conclude(0.95, "The API says the sign-in behind the token is not strong or recent enough (WWW-Authenticate: Bearer error=\"insufficient_user_authentication\", RFC 9470).",
				t.ChallengeHeaderEvidence(i))
		case code == "insufficient_claims":
			f.Conclude(0.85, "The API asks for a token with more claims (error=\"insufficient_claims\", a conditional-access claims challenge): sign in again satisfying the policy.",
				t.ChallengeHeaderEvidence(i))
		case st != 400 && (acr != "" || maxAge != ""):
			f.Conclude(0.7, "The API's challenge names the sign-in strength or age it needs (acr_values / max_age).", t.ChallengeHeaderEvidence(i))
		default:
			ex, ok := t.BodyMatch(i, stepUpText)
			if !ok {
				continue
			}
			f.Conclude(0.8, "The identity provider or API says an extra sign-in step (multi-factor or a fresh sign-in) is needed.",
				trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
		}
		need := ""
		if acr != "" {
			need += fmt.Sprintf(" acr_values=%q", acr)
		}
		if maxAge != "" {
			need += fmt.Sprintf(" max_age=%s", maxAge)
		}
		f.Remedy = []trace.Step{
			{Who: trace.User, Step: "Sign in again and complete the extra verification step (MFA prompt, security key, authenticator app), then retry the action: it should answer 200.", Browser: true},
			{Who: trace.Developer, Step: fmt.Sprintf("On this challenge, start a new authorization request with%s (RFC 9470) and retry with the new token instead of treating it as a failed login.", trace.OrWord(need, " the acr_values/max_age the challenge names"))},
			{Who: trace.Admin, Step: "If users cannot complete the extra step, check the conditional-access / MFA policy that applies to this resource and that they are enrolled."},
		}
		p.Report(f)
	}
}
