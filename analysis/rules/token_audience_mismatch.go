package rules

import (
	"fmt"
	"regexp"
	"strings"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/har"
)

// TokenAudienceMismatch is the `token-audience-mismatch` cause.
var TokenAudienceMismatch = &analysis.Rule{
	ID:    "token-audience-mismatch",
	Title: "The token is for another API or tenant",
	Doc:   "The token was issued for another API (its audience), tenant or issuer, so this API does not accept it even though it is valid.",
	Remedy: []trace.Step{
		{Who: trace.Developer, Step: "Request the token for this API: the audience / resource / scope registered for it at the identity provider. The call should then answer 200."},
		{Who: trace.Admin, Step: "Register the API at the identity provider and grant the client application access to it."},
	},
	Run:     runTokenAudienceMismatch,
	RuleOut: ruleOutTokenAudienceMismatch,
}

var audienceText = regexp.MustCompile(`(?i)IDX10214|IDX10208|Audience validation failed|invalid audience|audience\b[^\n]{0,200}?\bis invalid|aud claim|InvalidAuthenticationTokenAudience|audience mismatch|wrong audience`)

var issuerText = regexp.MustCompile(`(?i)IDX1020[45]|Issuer validation failed|invalid issuer|InvalidAuthenticationTokenTenant|issuer\b[^\n]{0,200}?\bis invalid|wrong issuer`)

func runTokenAudienceMismatch(p *analysis.Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		if !t.AuthFailure(i) {
			continue
		}
		j := t.JWTOf(i)
		_, desc, _, _ := t.BearerError(i)
		f := analysis.Finding{Entry: i}
		audDesc := "none"
		if j != nil {
			audDesc = strings.Join(j.Audience, ", ")
			f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.RequestHeader("Authorization"), fmt.Sprintf("JWT aud=[%s], iss=%q", audDesc, j.Issuer)))
		}
		switch {
		case audienceText.MatchString(desc) || issuerText.MatchString(desc):
			f.Conclude(0.9, fmt.Sprintf("The API says the token is for someone else (error_description=%q).", desc), t.ChallengeHeaderEvidence(i))
		default:
			if ex, ok := t.BodyMatch(i, audienceText); ok {
				f.Conclude(0.85, "The API says the token's audience is not this API.", trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
			} else if ex, ok := t.BodyMatch(i, issuerText); ok {
				f.Conclude(0.8, "The API says the token comes from an issuer (tenant) it does not trust.", trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
			} else if j != nil && trace.AudienceElsewhere(j.Audience, t.Entries[i].Request.URL) {
				f.Confidence = 0.6
				f.Explanation = fmt.Sprintf("The token's audience (%s) names another site than the one called (%s): it was issued for another API.", audDesc, t.Origin(i))
			} else {
				continue
			}
		}
		if j != nil {
			f.Remedy = []trace.Step{
				{Who: trace.Developer, Step: fmt.Sprintf("Request the token for %s (the audience/resource/scope registered for this API) instead of aud=[%s]; the call should then answer 200.", t.Origin(i), audDesc)},
				{Who: trace.Admin, Step: fmt.Sprintf("Check the API's expected audience and issuer (token issuer %q) and grant the client application access to this API.", j.Issuer)},
				t.SendTo(i, "the application's developers", fmt.Sprintf("The API rejects the token: it was issued for aud=[%s].", audDesc)),
			}
		}
		p.Report(f)
	}
}

// ruleOutTokenAudienceMismatch: the token's audience names this API.
func ruleOutTokenAudienceMismatch(t *trace.Trace, i int) (string, bool) {
	c := t.CarriedJWTOf(i)
	if c.JWT == nil || len(c.JWT.Audience) == 0 || trace.AudienceElsewhere(c.JWT.Audience, t.Entries[i].Request.URL) {
		return "", false
	}
	return fmt.Sprintf("Right audience: the token's aud (%s) names this API.", strings.Join(c.JWT.Audience, ", ")), true
}
