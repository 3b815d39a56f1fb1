package rules

import (
	"fmt"
	"regexp"
	"strings"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/har"
)

// InsufficientScope is the `insufficient-scope` cause.
var InsufficientScope = &analysis.Rule{
	ID:    "insufficient-scope",
	Title: "The token lacks a required scope",
	Doc:   "The token is valid, but it was not granted a scope or permission this API requires.",
	Remedy: []trace.Step{
		{Who: trace.Developer, Step: "Request the scope the API names (WWW-Authenticate scope=\"…\") when getting the token; the call should then answer 200."},
		{Who: trace.Admin, Step: "Grant that scope (API permission) to the client application, and admin-consent it if your identity provider requires it."},
		{Who: trace.User, Step: "Sign out and sign in again, and accept the consent screen if one appears, so the new token carries the scope.", Browser: true},
	},
	Run: runInsufficientScope,
}

var scopeText = regexp.MustCompile(`(?i)ACCESS_TOKEN_SCOPE_INSUFFICIENT|insufficient authentication scopes|insufficient_scope|missing (required )?scope|required scopes?`)

func runInsufficientScope(p *analysis.Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		e := t.Entries[i]
		st := e.Response.Status
		if !t.AuthFailure(i) && st != 404 {
			continue
		}
		code, _, ch, _ := t.BearerError(i)
		f := analysis.Finding{Entry: i}
		need := ""
		switch {
		case code == "insufficient_scope":
			need, _ = ch.Param("scope")
			f.Conclude(0.95, "The API says the token lacks a required scope (WWW-Authenticate: Bearer error=\"insufficient_scope\").",
				t.ChallengeHeaderEvidence(i))
		default:
			if ex, ok := t.BodyMatch(i, scopeText); ok && st != 404 {
				f.Conclude(0.85, "The API says the token does not carry the scope it requires.", trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
			} else if acc, ok := har.HeaderValue(e.Response.Headers, "X-Accepted-OAuth-Scopes"); ok && acc != "" {
				have, _ := har.HeaderValue(e.Response.Headers, "X-OAuth-Scopes")
				if trace.ScopesCover(strings.Split(have, ","), strings.Split(acc, ",")) {
					continue
				}
				need = acc
				f.Conclude(0.7, fmt.Sprintf("The API accepts tokens with scopes %q, and this token has %q.", acc, have),
					trace.EvidenceAt(i, har.ResponseHeader("X-Accepted-OAuth-Scopes"), acc), trace.EvidenceAt(i, har.ResponseHeader("X-OAuth-Scopes"), have))
			} else {
				continue
			}
		}
		var have []string
		if j := t.JWTOf(i); j != nil {
			have = append(append(have, j.Scopes...), j.Roles...)
			f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.RequestHeader("Authorization"), fmt.Sprintf("JWT scopes %v, roles %v", j.Scopes, j.Roles)))
		}
		if need != "" {
			missing := trace.MissingScopes(have, strings.Fields(strings.ReplaceAll(need, ",", " ")))
			if len(have) > 0 && len(missing) > 0 {
				f.Explanation += fmt.Sprintf(" It needs %q; the token lacks %s.", need, strings.Join(missing, ", "))
			} else {
				f.Explanation += fmt.Sprintf(" It needs %q.", need)
			}
			f.Remedy = []trace.Step{
				{Who: trace.Developer, Step: fmt.Sprintf("Request the scope %q when getting the token for this call; the call should then answer 200.", need)},
				{Who: trace.Admin, Step: fmt.Sprintf("Grant %q to the client application (and admin-consent it if required).", need)},
				{Who: trace.User, Step: "Sign out and in again and accept the consent screen, so the new token carries the scope.", Browser: true},
				t.SendTo(i, "the application's developers", fmt.Sprintf("The API needs the scope %q, which the token does not carry.", need)),
			}
		}
		p.Report(f)
	}
}
