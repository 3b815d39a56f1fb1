package rules

import (
	"fmt"
	"strings"

	"authlens/analysis"
	"authlens/analysis/entry"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/redact"
)

// MissingCredentials is the `missing-credentials` cause.
var MissingCredentials = &analysis.Rule{
	ID:    "missing-credentials",
	Title: "No credentials were sent",
	Doc:   "The request carried nothing that identifies you (no login header, no session cookie), and the server asked for it.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Sign in first: when the browser shows a login dialog, enter your user name and password; otherwise use the site's login page. Then reload the page: it should load instead of answering 401.", Browser: true},
		{Who: trace.User, Step: "Check the address is the one you were given (scheme, host name and path): a link to another host or an old address may not carry your login."},
		{Who: trace.Developer, Step: "Make the client send the credential on every call to this origin: the Authorization header the WWW-Authenticate challenge asks for, or the session cookie (fetch: credentials: 'include'; XMLHttpRequest: withCredentials). The call should then answer 200."},
	},
	Run:     runMissingCredentials,
	RuleOut: ruleOutMissingCredentials,
}

func runMissingCredentials(p *analysis.Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		if !t.AuthFailure(i) {
			continue
		}
		if p.ReportIIS(i, 0.85, "") {
			continue
		}
		a := t.Auth(i)
		if c := a.Credentials; c != nil && c.Empty() {
			reportEmptyCredential(p, i, c.Scheme)
			continue
		}
		if a.Credentials != nil || a.URLUserinfo {
			continue
		}
		if _, ok := t.APIKeyHeader(i); ok {
			continue // a key was sent in its own header: invalid-credentials judges it
		}
		if next := t.NextSameRequest(i); next >= 0 && (t.Auth(next).Credentials != nil || t.Auth(next).URLUserinfo) {
			continue // the client answered; the retry's own diagnosis applies
		}
		e := t.Entries[i]
		var f analysis.Finding
		f.Entry = i
		switch e.Response.Status {
		case 401:
			chs := a.Challenges
			if len(chs) == 0 {
				if t.HasCookieHeader(i) {
					continue // a cookie was sent: the cookie rules judge it
				}
				f.Conclude(0.55, "The request carried no Authorization header and no cookie, and the server answered 401 (without saying how to sign in).",
					t.CredentialEvidence(i), trace.EvidenceAt(i, har.RequestHeader("Cookie"), "(none)"))
				if ex, ok := t.SaysNotSignedIn(i); ok {
					f.Confidence = 0.75
					f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
				}
				f.Remedy = p.Rule.Remedy
				break
			}
			f.Confidence = 0.75
			if t.BrowserCannotAnswerAny(chs) {
				// Windows-only sign-in, or a Digest algorithm the browser
				// lacks: the browser could not prompt, so the user could
				// not have supplied credentials; unsupported-auth-method
				// says why.
				f.Confidence = 0.5
			}
			if code, _, _, ok := t.BearerError(i); ok && code != "" {
				f.Confidence = 0.45 // an error code means the server saw a token somewhere
			}
			f.Explanation = fmt.Sprintf("The server asked for %s sign-in (WWW-Authenticate: %s), but the request carried no Authorization header and no credentials in the URL, and no retry with credentials follows.",
				chs[0].Scheme, entry.DescribeChallenges(chs))
			f.Evidence = append(f.Evidence, t.CredentialEvidence(i), t.ChallengeHeaderEvidence(i))
			if ev, ok := t.OriginSessionSent(i); ok {
				// A session cookie the origin set did go out: the user
				// signed in, the server refused that session (the cookie
				// rules judge why).
				f.Confidence = min(f.Confidence, 0.3)
				f.Explanation = fmt.Sprintf("The server asked for %s sign-in (WWW-Authenticate: %s). The request had no Authorization header, but it did carry the session cookie %s that this site set at entry %d: a credential was sent, and the server did not accept it.",
					chs[0].Scheme, entry.DescribeChallenges(chs), ev.Name, ev.SetAt)
				f.Evidence = append(f.Evidence, trace.SentCookieEvidence(ev))
			}
			f.Remedy = missingCredentialSteps(t, i)
		case 403:
			ex, ok := t.SaysNotSignedIn(i)
			if !ok {
				continue
			}
			f.Confidence = 0.8
			if t.HasCookieHeader(i) {
				f.Confidence = 0.55
			}
			f.Explanation = "The server answered 403 and says it received no credentials: some frameworks (Django REST framework, Spring Security) use 403 for \"not signed in\". Signing in is the fix."
			f.Evidence = append(f.Evidence, t.CredentialEvidence(i), trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
			f.Remedy = p.Rule.Remedy
		default:
			continue
		}
		if src := t.RedirectSource(i); src >= 0 && t.Auth(src).Credentials != nil {
			f.Confidence = 0.35
			f.Explanation += fmt.Sprintf(" Entry %d, which redirected here, did carry an Authorization header: it was dropped on the way (see auth-dropped-on-redirect).", src)
		}
		if why := t.CookieWithheldWhy(i); why != "" {
			// Catalogue trap: a cookie the browser held but did not send
			// is not "no credentials" — the user is signed in.
			if f.Confidence > 0.4 {
				f.Confidence = 0.4
			}
			f.Explanation += " But " + why + ": the user is signed in, and the request went out without the session (see cookie-not-sent and wrong-url)."
		}
		f.Inferred = true
		if c := t.AuthAbsenceCaveat(); c != "" {
			if f.Confidence > 0.45 {
				f.Confidence = 0.45
			}
			f.Explanation += c
		}
		p.Report(f)
	}
}

func missingCredentialSteps(t *trace.Trace, i int) []trace.Step {
	chs := t.Auth(i).Challenges
	ch := chs[0]
	realm, _ := ch.Param("realm")
	u := redact.URL(t.Entries[i].Request.URL)
	var steps []trace.Step
	switch strings.ToLower(ch.Scheme) {
	case "basic", "digest":
		steps = append(steps, trace.Step{Who: trace.User, Step: fmt.Sprintf("Open %s and enter your user name and password in the browser's login dialog (%s sign-in, realm %q). The page should then load with 200.", u, ch.Scheme, realm), Browser: true})
	case "negotiate", "ntlm":
		steps = append(steps, trace.Step{Who: trace.User, Step: fmt.Sprintf("Open %s from a computer signed in to the company domain (Windows integrated sign-in, %s), on the company network or VPN. The page should then load without a prompt.", u, ch.Scheme)})
	default:
		steps = append(steps, trace.Step{Who: trace.User, Step: fmt.Sprintf("Sign in through the application's login page, then retry %s: it should answer 200 instead of 401.", u), Browser: true})
	}
	steps = append(steps,
		trace.Step{Who: trace.User, Step: "Check the address is the one you were given (scheme, host name and path); an old or mistyped link may not carry your login."},
		trace.Step{Who: trace.Developer, Step: fmt.Sprintf("Make the client send \"Authorization: %s …\" on this call to %s (the scheme the WWW-Authenticate header names); if the credential is a cookie, call fetch with credentials: 'include'. The call should then answer 200.", ch.Scheme, t.Origin(i))})
	return steps
}

// ruleOutMissingCredentials: the request did carry something that
// identifies the caller.
func ruleOutMissingCredentials(t *trace.Trace, i int) (string, bool) {
	a := t.Auth(i)
	switch {
	case a.Credentials != nil && !a.Credentials.Empty():
		return fmt.Sprintf("Not missing: the request carried an Authorization header (%s).", entry.OrDefault(a.Credentials.Scheme, "no scheme")), true
	case a.URLUserinfo:
		return "Not missing: the address carried a user name and password.", true
	case t.SessionCookieSent(i) != "":
		return fmt.Sprintf("Not missing: the request carried the session cookie %s.", t.SessionCookieSent(i)), true
	case t.SentCredentials(i) && !t.HasCookieHeader(i):
		if name, ok := t.APIKeyHeader(i); ok {
			return fmt.Sprintf("Not missing: the request carried a key in its %s header.", name), true
		}
		return "Not missing: the address carried an API key or token parameter.", true
	}
	return "", false
}

// reportEmptyCredential: the header was there with nothing in it — the
// credential is missing although the client meant to send one.
func reportEmptyCredential(p *analysis.Pass, i int, scheme string) {
	t := p.Trace
	what := "an empty Authorization header"
	if scheme != "" {
		what = fmt.Sprintf("\"Authorization: %s\" with no credential after the scheme", scheme)
	}
	p.Report(analysis.Finding{Entry: i, Confidence: 0.85,
		Explanation: fmt.Sprintf("The request carried %s: the client meant to send a credential but had none to send, usually because the variable holding the token was empty or the step that gets the token failed earlier.", what),
		Evidence:    []trace.Evidence{t.CredentialEvidence(i)},
		Remedy: []trace.Step{
			{Who: trace.Developer, Step: "Check where the client gets its token or key (configuration, environment variable, the sign-in or token call before this one) and that it is set when this request is built; send the request only with a credential. It should then answer 200."},
			t.SendTo(i, "the application's developers", "The request sends an Authorization header with no credential in it."),
		}})
}
