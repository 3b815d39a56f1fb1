package rules

import (
	"fmt"
	"regexp"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/har"
)

// ClientCredentialsInvalid is the `client-credentials-invalid` cause.
var ClientCredentialsInvalid = &analysis.Rule{
	ID:    "client-credentials-invalid",
	Title: "The application's own credentials were rejected",
	Doc:   "The identity provider rejected the application's client ID, secret or certificate at its token endpoint (OAuth invalid_client): nothing the user can retype fixes it.",
	Remedy: []trace.Step{
		{Who: trace.Admin, Step: "Check the client secret or certificate configured in the application: it may have expired or been rotated. Create a new one at the identity provider and update the application's configuration."},
		{Who: trace.Developer, Step: "Check the client ID belongs to this tenant/realm and the client authentication method (client_secret_basic, client_secret_post, private_key_jwt) matches the registration."},
	},
	Run: runClientCredentialsInvalid,
}

var clientSecretText = regexp.MustCompile(`(?i)AADSTS7000215|AADSTS7000222|AADSTS700016|AADSTS700027|invalid client secret|client secret (is )?(invalid|expired)|Invalid client credentials|client authentication failed|unauthorized_client`)

func runClientCredentialsInvalid(p *analysis.Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		e := t.Entries[i]
		st := e.Response.Status
		if st != 400 && st != 401 && st != 403 {
			continue
		}
		if !t.IsTokenEndpoint(i) {
			continue
		}
		f := analysis.Finding{Entry: i}
		code := t.OAuthError(i)
		ex, named := t.BodyMatch(i, clientSecretText)
		switch {
		case code == "invalid_client":
			f.Conclude(0.9, fmt.Sprintf("The token endpoint refused the application's own credentials (error \"invalid_client\", RFC 6749 §5.2, grant_type=%s): the client ID, secret or certificate is wrong or expired.", trace.OrWord(t.GrantType(i), "?")),
				trace.EvidenceAt(i, har.At(har.PartResponseBody), "error: invalid_client"))
			if named {
				f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
			}
		case named:
			f.Conclude(0.85, "The identity provider says the application's client credentials are not valid.",
				trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
		default:
			continue
		}
		f.Remedy = []trace.Step{
			{Who: trace.Admin, Step: fmt.Sprintf("Open the application's registration at the identity provider (%s) and check its client secrets/certificates: create a new secret if the current one expired, and put it in the application's configuration.", t.Host(i))},
			{Who: trace.Developer, Step: "Check the client ID is the one registered in this tenant/realm and that the client authenticates the way it is registered (client_secret_basic vs client_secret_post vs private_key_jwt). A new token request should then answer 200."},
			t.SendTo(i, "the application's administrator", "The identity provider rejects the application's client credentials (invalid_client); the client secret or certificate needs to be renewed."),
		}
		p.Report(f)
	}
}
