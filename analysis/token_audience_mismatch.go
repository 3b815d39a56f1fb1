package analysis

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// TokenAudienceMismatch is the `token-audience-mismatch` cause.
var TokenAudienceMismatch = &Rule{
	ID:    "token-audience-mismatch",
	Title: "The token is for another API or tenant",
	Doc:   "The token was issued for another API (its audience), tenant or issuer, so this API does not accept it even though it is valid.",
	Remedy: []Step{
		{Developer, "Request the token for this API: the audience / resource / scope registered for it at the identity provider. The call should then answer 200."},
		{Admin, "Register the API at the identity provider and grant the client application access to it."},
	},
	Run: runTokenAudienceMismatch,
}

var audienceText = regexp.MustCompile(`(?i)IDX10214|IDX10208|Audience validation failed|invalid audience|audience\b[^\n]{0,200}?\bis invalid|aud claim|InvalidAuthenticationTokenAudience|audience mismatch|wrong audience`)
var issuerText = regexp.MustCompile(`(?i)IDX1020[45]|Issuer validation failed|invalid issuer|InvalidAuthenticationTokenTenant|issuer\b[^\n]{0,200}?\bis invalid|wrong issuer`)

func runTokenAudienceMismatch(p *Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		if !t.authFailure(i) {
			continue
		}
		j := t.jwtOf(i)
		_, desc, _, _ := t.bearerError(i)
		f := Finding{Entry: i}
		audDesc := "none"
		if j != nil {
			audDesc = strings.Join(j.Audience, ", ")
			f.Evidence = append(f.Evidence, evidence(i, "request.headers.Authorization", fmt.Sprintf("JWT aud=[%s], iss=%q", audDesc, j.Issuer)))
		}
		switch {
		case audienceText.MatchString(desc) || issuerText.MatchString(desc):
			f.Confidence = 0.9
			f.Explanation = fmt.Sprintf("The API says the token is for someone else (error_description=%q).", desc)
			f.Evidence = append(f.Evidence, t.challengeHeaderEvidence(i))
		default:
			if ex, ok := t.bodyMatch(i, audienceText); ok {
				f.Confidence = 0.85
				f.Explanation = "The API says the token's audience is not this API."
				f.Evidence = append(f.Evidence, evidence(i, "response.content.text", ex))
			} else if ex, ok := t.bodyMatch(i, issuerText); ok {
				f.Confidence = 0.8
				f.Explanation = "The API says the token comes from an issuer (tenant) it does not trust."
				f.Evidence = append(f.Evidence, evidence(i, "response.content.text", ex))
			} else if j != nil && audienceElsewhere(j.Audience, t.Entries[i].Request.URL) {
				f.Confidence = 0.6
				f.Explanation = fmt.Sprintf("The token's audience (%s) names another site than the one called (%s): it was issued for another API.", audDesc, t.Origin(i))
			} else {
				continue
			}
		}
		if j != nil {
			f.Remedy = []Step{
				{Developer, fmt.Sprintf("Request the token for %s (the audience/resource/scope registered for this API) instead of aud=[%s]; the call should then answer 200.", t.Origin(i), audDesc)},
				{Admin, fmt.Sprintf("Check the API's expected audience and issuer (token issuer %q) and grant the client application access to this API.", j.Issuer)},
				t.sendTo(i, "the application's developers", fmt.Sprintf("The API rejects the token: it was issued for aud=[%s].", audDesc)),
			}
		}
		p.Report(f)
	}
}

// audienceElsewhere reports whether every audience is a URL of another
// site than the request's (an audience that is an ID or api:// URI cannot
// be compared, and is not judged).
func audienceElsewhere(aud []string, reqURL string) bool {
	if len(aud) == 0 {
		return false
	}
	site := RegistrableSite(reqURL)
	for _, a := range aud {
		u, err := url.Parse(a)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return false
		}
		if RegistrableSite(a) == site || strings.EqualFold(u.Hostname(), hostOfURL(reqURL)) {
			return false
		}
	}
	return true
}

func hostOfURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
