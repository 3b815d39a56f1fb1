package rules

import (
	"fmt"
	"regexp"
	"strings"

	"authlens/analysis"
	"authlens/analysis/decode"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/redact"
)

// InvalidCredentials is the `invalid-credentials` cause.
var InvalidCredentials = &analysis.Rule{
	ID:    "invalid-credentials",
	Title: "The credentials were rejected",
	Doc:   "A credential (password, token or certificate) was sent and the server rejected it: the user name or password is wrong, the account cannot sign in, or the token is not valid.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Retype the user name and password (check Caps Lock and the keyboard layout, and that it is the account for this site), then reload: the page should answer 200.", Browser: true},
		{Who: trace.User, Step: "Reset the password through the site's \"forgot password\" link, then sign in again.", Browser: true},
		{Who: trace.Admin, Step: "Check the account is not locked, disabled or expired, and read the authentication log for this request's time: it names the reason (wrong password, unknown user, locked)."},
		{Who: trace.Developer, Step: "Decode the credential the client sends: Basic is base64 of user-id:password, UTF-8 only when the challenge says charset=\"UTF-8\"; a non-ASCII character or a colon in the user-id breaks it."},
	},
	Run: runInvalidCredentials,
}

// badCredentialsText matches bodies that say the credentials were wrong.
var badCredentialsText = regexp.MustCompile(`(?i)bad credentials|invalid (user(name)?|login)?\s*(credentials|password|username or password|user name or password)|incorrect (username|user name|password|email)|wrong (username|password)|authentication failed|AADSTS50126|InvalidAccessKeyId|SignatureDoesNotMatch|The security token included in the request is invalid|login failed|logon failed|invalid_token`)

func runInvalidCredentials(p *analysis.Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		e := t.Entries[i]
		st := e.Response.Status
		if !t.AuthFailure(i) {
			// A login API that rejects the posted password (400 included).
			if st == 400 && t.IsLoginPost(i) {
				if ex, ok := t.BodyMatch(i, badCredentialsText); ok && !t.IsTokenEndpoint(i) {
					p.Report(analysis.Finding{Entry: i, Confidence: 0.75,
						Explanation: "The login request was answered with a message saying the user name or password is wrong.",
						Evidence:    []trace.Evidence{trace.EvidenceAt(i, har.At(har.PartResponseBody), ex)}})
				}
			}
			continue
		}
		f, ok := analysis.IISFinding(t, i, p.Rule, 0.9)
		if !ok {
			if f, ok = judgeInvalidCredentials(t, i); ok {
				f.Inferred = true
			}
		}
		if ok {
			if f.Remedy == nil {
				f.Remedy = invalidCredentialSteps(t, i)
			}
			p.Report(f)
			// The challenge legs this retry answered belong to the same failure.
			for _, k := range t.LegsBefore(i) {
				g := f
				g.Entry = k
				g.Explanation = fmt.Sprintf("The client answered this challenge, and the server rejected the answer in entry %d: ", i) + f.Explanation
				p.Report(g)
			}
		}
	}
}

func judgeInvalidCredentials(t *trace.Trace, i int) (analysis.Finding, bool) {
	e := t.Entries[i]
	st := e.Response.Status
	a := t.Auth(i)
	f := analysis.Finding{Entry: i}
	// Traps: the server said why in other words.
	if trace.StaleDigest(a.Challenges) {
		return f, false // the password was right (stale-nonce)
	}
	code, desc, _, isBearer := t.BearerError(i)
	if code == "insufficient_user_authentication" || code == "insufficient_scope" || code == "invalid_request" || code == "use_dpop_nonce" {
		return f, false
	}
	if t.IsTokenEndpoint(i) && t.OAuthError(i) == "invalid_client" {
		return f, false
	}
	cred := a.Credentials
	if cred != nil && t.IsContinuationLeg(i, false) {
		return f, false // a middle leg of NTLM/Negotiate, not a rejection
	}
	if cred == nil {
		if a.URLUserinfo && st == 401 && !t.Sites[i].Script {
			f.Conclude(0.8, "The address carried a user name and password (https://user:pass@host/): the browser answered the site's challenge with them, and the site rejected them with a fresh 401.",
				trace.EvidenceAt(i, har.At(har.PartRequestURL), redact.URL(e.Request.URL)), t.ChallengeHeaderEvidence(i))
			return f, true
		}
		if isBearer && code == "invalid_token" && !trace.SaysExpired(desc) {
			// The server names an error code only when a token arrived
			// (RFC 6750 §3.1): one was offered, though the trace does not
			// show it (a sanitized export, or a cookie-borne token).
			f.Conclude(0.6, "The API rejected a token (WWW-Authenticate: Bearer error=\"invalid_token\"), although the request in this trace shows no Authorization header: the token was removed from the export or sent another way (cookie).",
				t.ChallengeHeaderEvidence(i), t.CredentialEvidence(i))
			f.Explanation += t.AuthAbsenceCaveat()
			return f, true
		}
		if name, ok := t.APIKeyHeader(i); ok && st == 401 && !t.HasCookieHeader(i) {
			key, _ := har.HeaderValue(e.Request.Headers, name)
			f.Conclude(0.6, fmt.Sprintf("The request carried a key in its %s header and the server answered 401: it did not accept that key (mistyped, revoked, expired, or from another account or environment).", name),
				trace.EvidenceAt(i, har.RequestHeader(name), redact.Header(name, key)))
			return f, true
		}
		if ex, ok := t.BodyMatch(i, badCredentialsText); ok && t.IsLoginPost(i) {
			f.Conclude(0.75, "The login request was answered with a message saying the credentials are wrong.",
				trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
			return f, true
		}
		return f, false
	}
	if cred.Malformed != "" && cred.Malformed != "base64 without padding" {
		return f, false // wrong-scheme explains a malformed header
	}
	if a.WrongScheme() {
		return f, false
	}
	f.Evidence = []trace.Evidence{t.CredentialEvidence(i)}
	scheme := strings.ToLower(cred.Scheme)
	switch {
	case st == 401 && (scheme == "basic" || scheme == "digest") && trace.Offers(a.Challenges, cred.Scheme):
		f.Confidence = 0.85
		f.Explanation = fmt.Sprintf("The request sent %s credentials for user %s and the server answered with a fresh %s challenge: it rejected the user name or password.", cred.Scheme, decode.QuoteName(t.Attempt(i).User), cred.Scheme)
		if scheme == "digest" {
			f.Explanation += " The new challenge has no stale=true, which (RFC 7616 §3.3) means the user name or password is wrong, not that the nonce expired."
		}
		f.Evidence = append(f.Evidence, t.ChallengeHeaderEvidence(i))
	case st == 401 && cred.NTLM != nil && cred.NTLM.Type == 3 && trace.BareChallenge(a.Challenges, cred.Scheme):
		f.Confidence = 0.85
		who := t.Attempt(i).User // DOMAIN\user, or the user alone
		if cred.NTLM.Anonymous {
			who = "an anonymous logon"
		}
		f.Explanation = fmt.Sprintf("The NTLM handshake completed (type-3 message for %s) and the server answered with a bare %s challenge again: Windows rejected the account or password.", who, cred.Scheme)
		f.Evidence = append(f.Evidence, t.ChallengeHeaderEvidence(i))
		if k := t.NTLMType1Before(i); k >= 0 {
			if same, known := t.SameSocket(k, i); known && !same {
				f.Confidence = 0.5
				f.Explanation += fmt.Sprintf(" But the type-1 message (entry %d) went over another connection, which alone makes NTLM fail (connection-auth-broken).", k)
			}
		}
	case st == 401 && cred.Kerberos && trace.BareChallenge(a.Challenges, cred.Scheme):
		f.Conclude(0.6, "A Kerberos ticket was sent (Negotiate) and the server answered with a bare Negotiate challenge again: it did not accept the ticket (wrong service principal, or an account not allowed).",
			t.ChallengeHeaderEvidence(i))
	case isBearer && code == "invalid_token":
		if trace.SaysExpired(desc) || trace.JWTExpired(t, i) {
			return f, false // expired-token
		}
		f.Confidence = 0.7
		if j := t.JWTOf(i); j != nil && (trace.AudienceElsewhere(j.Audience, e.Request.URL) || j.NotBefore != nil && j.NotBefore.Sub(t.ResponseDate(i)) > trace.TimeLeeway) {
			f.Confidence = 0.45 // the token's own claims say why (audience, not yet valid)
		}
		f.Explanation = "The API rejected the token (WWW-Authenticate: Bearer error=\"invalid_token\") without saying it expired: it is revoked, malformed, signed with an unknown key, or issued for something else."
		f.Evidence = append(f.Evidence, t.ChallengeHeaderEvidence(i))
		f.Remedy = []trace.Step{
			{Who: trace.User, Step: "Sign out of the application and sign in again, so it gets a new token; then retry: the call should answer 200.", Browser: true},
			{Who: trace.Developer, Step: "Check the token the client sends is the access token for this API (not an ID token or a token of another environment) and that the API trusts its issuer and signing key."},
			t.SendTo(i, "the application's developers", "The API answered Bearer error=\"invalid_token\" to a token that had not expired."),
		}
	default:
		if ex, ok := t.BodyMatch(i, badCredentialsText); ok {
			f.Conclude(0.75, "The request carried a credential and the server's answer says it was not accepted.",
				trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
		} else if st == 401 && (trace.Offers(a.Challenges, cred.Scheme) || len(a.Challenges) == 0) {
			f.Confidence = 0.5
			if isBearer && code == "" {
				// A server that read a token and rejected it says
				// error="invalid_token" (RFC 6750 §3.1); a bare challenge
				// hints the token never arrived.
				f.Confidence = 0.4
			}
			f.Explanation = fmt.Sprintf("The request carried %s credentials and the server still answered 401: it did not accept them.", cred.Scheme)
			if len(a.Challenges) > 0 {
				f.Evidence = append(f.Evidence, t.ChallengeHeaderEvidence(i))
			}
		} else {
			return f, false
		}
	}
	if j, ok := t.SucceededElsewhere(i); ok {
		f.Confidence = min(f.Confidence, 0.45)
		f.Explanation += fmt.Sprintf(" But the same credential was accepted by entry %d on this site, so it is valid: the server may be using 401 for a permission problem (authz-as-401).", j)
	}
	if n := t.FailuresOfUser(i); n > 1 {
		f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.RequestHeader("Authorization"), fmt.Sprintf("the same user name failed %d times on %s in this trace", n, t.Origin(i))))
	}
	return f, true
}

func invalidCredentialSteps(t *trace.Trace, i int) []trace.Step {
	a := t.Auth(i)
	cred := a.Credentials
	u := redact.URL(t.Entries[i].Request.URL)
	var steps []trace.Step
	if cred != nil && cred.Basic != nil && (cred.Basic.NonASCII || cred.Basic.ColonInUser) {
		ch, _ := trace.FirstOf(a.Challenges, "Basic")
		charset, _ := ch.Param("charset")
		if !strings.EqualFold(charset, "utf-8") && cred.Basic.NonASCII {
			steps = append(steps, trace.Step{Who: trace.Developer, Step: fmt.Sprintf("The user name or password contains non-ASCII characters and the Basic challenge has no charset=\"UTF-8\": the browser and server may encode them differently (RFC 7617). Add charset=\"UTF-8\" to the challenge, or sign in with an ASCII-only password to confirm; the request to %s should then answer 200.", u)})
		}
		if cred.Basic.ColonInUser {
			steps = append(steps, trace.Step{Who: trace.Developer, Step: "The decoded Basic credential has more than one colon: if the user name contains a colon, Basic cannot carry it (RFC 7617); the server splits at the first colon."})
		}
	}
	if cred != nil && (cred.NTLM != nil || cred.Kerberos) {
		return windowsCredentialSteps(t, i)
	}
	user := ""
	if at := t.Attempt(i); at.User != "" {
		user = " for user " + decode.QuoteName(at.User)
	}
	steps = append(steps,
		trace.Step{Who: trace.User, Step: fmt.Sprintf("Retype the user name and password%s (check Caps Lock, the keyboard layout, and that it is the account for %s), then reload %s: it should answer 200.", user, t.Origin(i), u), Browser: true},
		trace.Step{Who: trace.User, Step: "If it still fails, reset the password with the site's \"forgot password\" link, or ask the site's admin whether the account is locked or disabled."},
		trace.Step{Who: trace.Admin, Step: fmt.Sprintf("Read the authentication log of %s for %s: it says whether the password was wrong, the user unknown, or the account locked.", t.Origin(i), t.Entries[i].StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC"))},
		t.SendTo(i, "the site's administrator", fmt.Sprintf("The sign-in%s was rejected; please check the account and the authentication log.", user)),
	)
	return steps
}

// windowsCredentialSteps are the steps for a rejected Windows (NTLM or
// Kerberos) sign-in, where the browser sends the Windows account itself.
func windowsCredentialSteps(t *trace.Trace, i int) []trace.Step {
	acct := "the Windows account"
	if u := t.Attempt(i).User; u != "" {
		acct = "the Windows account " + decode.QuoteName(u)
	}
	when := t.Entries[i].StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC")
	return []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("Check that %s is the one meant for %s (not a personal or local account); if the browser asks for a password, enter DOMAIN\\user and the current password. Reload: the page should answer 200.", acct, t.Host(i)), Browser: true},
		{Who: trace.User, Step: "If the password was changed recently, lock and unlock the computer (or sign out and in) so Windows uses the new one."},
		{Who: trace.Admin, Step: fmt.Sprintf("On the web server, read the Windows Security event log for %s around %s: event 4625 gives the failure reason (bad password, unknown user, locked or disabled account, logon type not granted).", acct, when)},
		t.SendTo(i, "the site's administrator", fmt.Sprintf("Windows sign-in for %s is rejected by %s; please check event 4625 on the web server.", acct, t.Host(i))),
	}
}
