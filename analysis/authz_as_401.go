package analysis

import (
	"authlens/analysis/decode"
	"fmt"
	"regexp"
	"strings"
)

// AuthzAs401 is the `authz-as-401` cause.
var AuthzAs401 = &Rule{
	ID:    "authz-as-401",
	Title: "Signed in, but not allowed (reported as 401)",
	Doc:   "You are signed in — the same login worked elsewhere on this site — but the server used 401 for what is a permission problem (HTTP says 403). Typing the password again will not help.",
	Remedy: []Step{
		{User, "Check you are signed in with the account that should have access to this page (not a personal or test account)."},
		{Admin, "Grant this account the role or permission for this resource, or share the resource with it; the request should then answer 200."},
		{Developer, "Answer 403 (not 401) when the user is known but not allowed, so clients stop prompting for a password."},
	},
	Run:      runAuthzAs401,
	Inferred: true,
}

var permissionText = regexp.MustCompile(`(?i)permission|not authori[sz]ed to (access|perform|view)|insufficient (privileges|rights)|access denied|not allowed|forbidden|requires? (the )?role|AuthorizationFailed|Authorization_RequestDenied`)

func runAuthzAs401(p *Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		if !t.authFailure(i) || t.Entries[i].Response.Status != 401 {
			continue
		}
		a := t.Auth(i)
		if a.Credentials != nil && a.Credentials.Malformed != "" {
			continue
		}
		code, desc, _, _ := t.bearerError(i)
		if code == "insufficient_user_authentication" || code == "insufficient_scope" || expiryWords.MatchString(desc) || jwtExpired(t, i) {
			continue
		}
		if d, ok := firstOf(a.Challenges, "Digest"); ok {
			if v, _ := d.Param("stale"); strings.EqualFold(v, "true") {
				continue
			}
		}
		if a.Credentials != nil && len(a.Challenges) > 0 && !offers(a.Challenges, a.Credentials.Scheme) {
			continue // wrong-scheme
		}
		if _, said := t.bodyMatch(i, notLoggedInText); said {
			continue // the server says it saw no credential
		}
		j, ok := t.SucceededElsewhere(i)
		if !ok {
			continue
		}
		if a.Credentials == nil {
			if _, cleared := sessionClearedBefore(t, i); cleared {
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
		} else if _, ok := firstOf(a.Challenges, "Bearer"); ok && code == "" {
			conf = 0.4 // a bare Bearer challenge says the token did not arrive (proxy-stripped-authorization)
		}
		f := Finding{Entry: i, Confidence: conf,
			Explanation: fmt.Sprintf("The same %s was accepted by entry %d (%s %s → %d) on this site, so it is valid; this 401 is a permission refusal reported with the wrong status.",
				what, j, t.Entries[j].Request.Method, pathOfURL(t.Entries[j].Request.URL), t.Entries[j].Response.Status),
			Evidence: []Evidence{t.credentialEvidence(i), evidence(j, "response.status", fmt.Sprintf("%d with the same %s", t.Entries[j].Response.Status, what))}}
		if ex, ok := t.bodyMatch(i, permissionText); ok {
			f.Confidence += 0.15
			f.Evidence = append(f.Evidence, evidence(i, "response.content.text", ex))
		}
		user := t.Attempt(i).User
		acct := "this account"
		if user != "" {
			acct = "the account " + decode.QuoteName(user)
		}
		f.Remedy = []Step{
			{User, fmt.Sprintf("Check that %s is the one that should have access to %s; if not, sign in with the right one.", acct, pathOfURL(t.Entries[i].Request.URL))},
			{Admin, fmt.Sprintf("Grant %s the role or permission for %s; the request should then answer 200.", acct, pathOfURL(t.Entries[i].Request.URL))},
			{Developer, "Answer 403 for authorization failures, so clients stop asking for the password again."},
			t.sendTo(i, "the site's administrator", fmt.Sprintf("I am signed in (%s works elsewhere on the site) but this page refuses me.", acct)),
		}
		p.Report(f)
	}
}

// sessionClearedBefore finds the entry whose Set-Cookie cleared (or
// replaced) a session cookie that request i still sent: with a clear at
// another Path or Domain the browser keeps the cookie, so it goes out
// after the logout. -1, false when every session cookie i sent is current.
func sessionClearedBefore(t *Trace, i int) (int, bool) {
	for _, sent := range t.Cookies().ForEntry(i) {
		if sent.Kind == CookieEventSent && sent.staleOf >= 0 && cookieMatters(sent) {
			return sent.staleOf, true
		}
	}
	return -1, false
}
