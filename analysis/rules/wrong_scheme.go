package rules

import (
	"fmt"
	"strings"

	"authlens/analysis"
	"authlens/analysis/entry"
	"authlens/analysis/trace"
)

// WrongScheme is the `wrong-scheme` cause.
var WrongScheme = &analysis.Rule{
	ID:    "wrong-scheme",
	Title: "Wrong authentication scheme or malformed header",
	Doc:   "The client sent its credential with a scheme the server did not ask for (for example a Bearer token to a Basic-only site), or the Authorization header is malformed (no scheme, the scheme twice, a quoted token, broken Basic encoding).",
	Remedy: []trace.Step{
		{Who: trace.Developer, Step: "Read the WWW-Authenticate header of the 401: send the scheme it names, in the format its RFC defines (Basic: base64 of user:password; Bearer: the bare token after one space). The call should then answer 200."},
		{Who: trace.Admin, Step: "If the clients must use this scheme, enable it on the server (or document the scheme the server expects)."},
	},
	Run:     runWrongScheme,
	RuleOut: ruleOutWrongScheme,
}

func runWrongScheme(p *analysis.Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		st := t.Entries[i].Response.Status
		if !t.AuthFailure(i) && st != 400 {
			continue
		}
		a := t.Auth(i)
		cred := a.Credentials
		if cred == nil {
			continue
		}
		f := analysis.Finding{Entry: i, Evidence: []trace.Evidence{t.CredentialEvidence(i)}}
		want := "the scheme the server names"
		if len(a.Challenges) > 0 {
			want = a.Challenges[0].Scheme
			f.Evidence = append(f.Evidence, t.ChallengeHeaderEvidence(i))
		}
		switch {
		case cred.Empty():
			continue // nothing was sent: missing-credentials explains it
		case cred.Malformed != "" && cred.Malformed != "base64 without padding":
			if st == 400 {
				if code, _, _, _ := t.BearerError(i); code != "invalid_request" {
					continue
				}
			}
			f.Confidence = 0.85
			f.Explanation = fmt.Sprintf("The Authorization header is malformed (%s), so the server cannot read the credential in it.", cred.Malformed)
			f.Remedy = []trace.Step{
				{Who: trace.Developer, Step: fmt.Sprintf("Fix how the client builds the header: %s. It must be \"%s <credential>\" with exactly one scheme and one space, no quotes. The call should then answer 200.", malformedFix(cred.Malformed), entry.OrDefault(cred.Scheme, want))},
				t.SendTo(i, "the application's developers", fmt.Sprintf("The Authorization header it sends is malformed (%s).", cred.Malformed)),
			}
		case a.WrongScheme() && st != 400:
			f.Confidence = 0.8
			offered := entry.DescribeChallenges(a.Challenges)
			f.Explanation = fmt.Sprintf("The client sent \"Authorization: %s …\" but the server only offers %s: it ignores a credential in a scheme it does not support.", cred.Scheme, offered)
			if strings.EqualFold(cred.Scheme, "Bearer") && entry.Offers(a.Challenges, "DPoP") || strings.EqualFold(cred.Scheme, "DPoP") && entry.Offers(a.Challenges, "Bearer") {
				f.Explanation += " Bearer and DPoP tokens are not interchangeable (RFC 9449): a DPoP-bound token needs the DPoP scheme and a DPoP proof header, a plain token the Bearer scheme."
			}
			f.Remedy = []trace.Step{
				{Who: trace.Developer, Step: fmt.Sprintf("Send the credential with the scheme the server asks for: \"Authorization: %s …\" (WWW-Authenticate: %s) instead of %s. The call should then answer 200.", want, offered, cred.Scheme)},
				{Who: trace.Admin, Step: fmt.Sprintf("If the clients must use %s, enable it for %s on the server.", cred.Scheme, t.Origin(i))},
				t.SendTo(i, "the application's developers", fmt.Sprintf("The client sends Authorization: %s, but the server only offers %s.", cred.Scheme, offered)),
			}
		default:
			continue
		}
		p.Report(f)
	}
}

func malformedFix(m string) string {
	switch m {
	case "token without scheme":
		return "the value has a token but no scheme in front of it (add \"Bearer \" or the scheme the server asks for)"
	case "scheme doubled":
		return "the scheme appears twice (\"Bearer Bearer …\"): the code adds the scheme to a value that already has it"
	case "quoted token":
		return "the token is wrapped in quotes: send it without them"
	case "not base64: looks like a plain user:password":
		return "the Basic credential is the plain user:password text: it must be base64-encoded"
	case "invalid base64":
		return "the Basic credential is not valid base64: encode user:password with standard base64"
	case "no colon in Basic credentials":
		return "the decoded Basic credential has no colon: it must be user-id:password"
	case "empty":
		return "the header is empty: leave it out or fill it"
	case "no credentials after the scheme":
		return "the header has the scheme but no credential after it (the token variable was empty)"
	}
	return m
}

// ruleOutWrongScheme: the client used a scheme the server's challenge offers.
func ruleOutWrongScheme(t *trace.Trace, i int) (string, bool) {
	a := t.Auth(i)
	if a.Credentials == nil || a.Credentials.Scheme == "" || len(a.Challenges) == 0 || !entry.Offers(a.Challenges, a.Credentials.Scheme) {
		return "", false
	}
	return fmt.Sprintf("Right scheme: the request used %s, which the server's WWW-Authenticate offers.", a.Credentials.Scheme), true
}
