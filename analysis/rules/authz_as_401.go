package rules

import (
	"fmt"

	"authlens/analysis"
	"authlens/analysis/decode"
	"authlens/analysis/trace"
	"authlens/har"
)

// AuthzAs401 is the `authz-as-401` cause.
var AuthzAs401 = &analysis.Rule{
	ID:    "authz-as-401",
	Title: "Signed in, but not allowed (reported as 401)",
	Doc:   "You are signed in — the same login worked elsewhere on this site — but the server used 401 for what is a permission problem (HTTP says 403). Typing the password again will not help.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Check you are signed in with the account that should have access to this page (not a personal or test account).", Browser: true},
		{Who: trace.Admin, Step: "Grant this account the role or permission for this resource, or share the resource with it; the request should then answer 200."},
		{Who: trace.Developer, Step: "Answer 403 (not 401) when the user is known but not allowed, so clients stop prompting for a password."},
	},
	Run: runAuthzAs401,
}

func runAuthzAs401(p *analysis.Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		if !t.AuthFailure(i) || t.Entries[i].Response.Status != 401 {
			continue
		}
		a := t.Auth(i)
		if a.Credentials != nil && a.Credentials.Malformed != "" {
			continue
		}
		code, desc, _, _ := t.BearerError(i)
		if code == "insufficient_user_authentication" || code == "insufficient_scope" || trace.SaysExpired(desc) || trace.JWTExpired(t, i) {
			continue
		}
		if trace.StaleDigest(a.Challenges) || a.WrongScheme() {
			continue // stale-nonce or wrong-scheme
		}
		if _, said := t.SaysNotSignedIn(i); said {
			continue // the server says it saw no credential
		}
		j, ok := t.SucceededElsewhere(i)
		if !ok {
			continue
		}
		if a.Credentials == nil {
			if _, cleared := t.StaleSessionSent(i); cleared {
				// The server ended that session (a logout), so answers
				// given with it before or after prove nothing now: the
				// pages after a logout are usually public (stale-cookie).
				continue
			}
		}
		what := "login header"
		conf := 0.65
		if a.Credentials == nil {
			what, conf = "session cookie", 0.5 // a cookie may have been invalidated since (stale-cookie)
		} else if _, ok := trace.FirstOf(a.Challenges, "Bearer"); ok && code == "" {
			conf = 0.4 // a bare Bearer challenge says the token did not arrive (proxy-stripped-authorization)
		}
		f := analysis.Finding{Entry: i, Confidence: conf,
			Explanation: fmt.Sprintf("The same %s was accepted by entry %d (%s %s → %d) on this site, so it is valid; this 401 is a permission refusal reported with the wrong status.",
				what, j, t.Entries[j].Request.Method, trace.PathOfURL(t.Entries[j].Request.URL), t.Entries[j].Response.Status),
			Evidence: []trace.Evidence{t.CredentialEvidence(i), trace.EvidenceAt(j, har.At(har.PartResponseStatus), fmt.Sprintf("%d with the same %s", t.Entries[j].Response.Status, what))}}
		if ex, ok := t.SaysNoPermission(i); ok {
			f.Confidence += 0.15
			f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
		}
		f.Inferred = true
		user := t.Attempt(i).User
		acct := "this account"
		if user != "" {
			acct = "the account " + decode.QuoteName(user)
		}
		f.Remedy = []trace.Step{
			{Who: trace.User, Step: fmt.Sprintf("Check that %s is the one that should have access to %s; if not, sign in with the right one.", acct, trace.PathOfURL(t.Entries[i].Request.URL)), Browser: true},
			{Who: trace.Admin, Step: fmt.Sprintf("Grant %s the role or permission for %s; the request should then answer 200.", acct, trace.PathOfURL(t.Entries[i].Request.URL))},
			{Who: trace.Developer, Step: "Answer 403 for authorization failures, so clients stop asking for the password again."},
			t.SendTo(i, "the site's administrator", fmt.Sprintf("I am signed in (%s works elsewhere on the site) but this page refuses me.", acct)),
		}
		p.Report(f)
	}
}
