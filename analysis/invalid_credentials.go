package analysis

import (
	"authlens/analysis/decode"
	"fmt"
	"regexp"
	"strings"
)

// InvalidCredentials is the `invalid-credentials` cause.
var InvalidCredentials = &Rule{
	ID:    "invalid-credentials",
	Title: "The credentials were rejected",
	Doc:   "A credential (password, token or certificate) was sent and the server rejected it: the user name or password is wrong, the account cannot sign in, or the token is not valid.",
	Remedy: []Step{
		{User, "Retype the user name and password (check Caps Lock and the keyboard layout, and that it is the account for this site), then reload: the page should answer 200."},
		{User, "Reset the password through the site's \"forgot password\" link, then sign in again."},
		{Admin, "Check the account is not locked, disabled or expired, and read the authentication log for this request's time: it names the reason (wrong password, unknown user, locked)."},
		{Developer, "Decode the credential the client sends: Basic is base64 of user-id:password, UTF-8 only when the challenge says charset=\"UTF-8\"; a non-ASCII character or a colon in the user-id breaks it."},
	},
	Run:      runInvalidCredentials,
	Inferred: true,
}

// badCredentialsText matches bodies that say the credentials were wrong.
var badCredentialsText = regexp.MustCompile(`(?i)bad credentials|invalid (user(name)?|login)?\s*(credentials|password|username or password|user name or password)|incorrect (username|user name|password|email)|wrong (username|password)|authentication failed|AADSTS50126|InvalidAccessKeyId|SignatureDoesNotMatch|The security token included in the request is invalid|login failed|logon failed|invalid_token`)

func runInvalidCredentials(p *Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		e := t.Entries[i]
		st := e.Response.Status
		if !t.authFailure(i) {
			// A login API that rejects the posted password (400 included).
			if st == 400 && t.isLoginPost(i) {
				if ex, ok := t.bodyMatch(i, badCredentialsText); ok && !t.isTokenEndpoint(i) {
					p.Report(Finding{Entry: i, Confidence: 0.75,
						Explanation: "The login request was answered with a message saying the user name or password is wrong.",
						Evidence:    []Evidence{evidence(i, "response.content.text", ex)}})
				}
			}
			continue
		}
		f, ok := iisFinding(t, i, p.Rule, 0.9)
		if !ok {
			if f, ok = judgeInvalidCredentials(t, i); ok {
			}
		}
		if ok {
			if f.Remedy == nil {
				f.Remedy = invalidCredentialSteps(t, i)
			}
			p.Report(f)
			// The challenge legs this retry answered belong to the same failure.
			for _, k := range t.legsBefore(i) {
				g := f
				g.Entry = k
				g.Explanation = fmt.Sprintf("The client answered this challenge, and the server rejected the answer in entry %d: ", i) + f.Explanation
				p.Report(g)
			}
		}
	}
}

// isLoginPost reports whether entry i posts to a login-looking path.
func (t *Trace) isLoginPost(i int) bool {
	e := t.Entries[i]
	return !strings.EqualFold(e.Request.Method, "GET") && loginPath.MatchString(pathOfURL(e.Request.URL))
}

func judgeInvalidCredentials(t *Trace, i int) (Finding, bool) {
	e := t.Entries[i]
	st := e.Response.Status
	a := t.Auth(i)
	f := Finding{Entry: i}
	// Traps: the server said why in other words.
	if d, ok := firstOf(a.Challenges, "Digest"); ok {
		if v, _ := d.Param("stale"); strings.EqualFold(v, "true") {
			return f, false // the password was right (stale-nonce)
		}
	}
	code, desc, _, isBearer := t.bearerError(i)
	if code == "insufficient_user_authentication" || code == "insufficient_scope" || code == "invalid_request" || code == "use_dpop_nonce" {
		return f, false
	}
	if t.isTokenEndpoint(i) && t.oauthError(i) == "invalid_client" {
		return f, false
	}
	cred := a.Credentials
	if cred != nil && t.isContinuationLeg(i, false) {
		return f, false // a middle leg of NTLM/Negotiate, not a rejection
	}
	if cred == nil {
		if a.URLUserinfo && st == 401 && !t.sites[i].Script {
			f.Confidence = 0.8
			f.Explanation = "The address carried a user name and password (https://user:pass@host/): the browser answered the site's challenge with them, and the site rejected them with a fresh 401."
			f.Evidence = []Evidence{evidence(i, "request.url", maskedURL(e.Request.URL)), t.challengeHeaderEvidence(i)}
			return f, true
		}
		if isBearer && code == "invalid_token" && !expiryWords.MatchString(desc) {
			// The server names an error code only when a token arrived
			// (RFC 6750 §3.1): one was offered, though the trace does not
			// show it (a sanitized export, or a cookie-borne token).
			f.Confidence = 0.6
			f.Explanation = "The API rejected a token (WWW-Authenticate: Bearer error=\"invalid_token\"), although the request in this trace shows no Authorization header: the token was removed from the export or sent another way (cookie)."
			f.Evidence = []Evidence{t.challengeHeaderEvidence(i), t.credentialEvidence(i)}
			f.Explanation += t.authAbsenceCaveat()
			return f, true
		}
		if ex, ok := t.bodyMatch(i, badCredentialsText); ok && t.isLoginPost(i) {
			f.Confidence = 0.75
			f.Explanation = "The login request was answered with a message saying the credentials are wrong."
			f.Evidence = []Evidence{evidence(i, "response.content.text", ex)}
			return f, true
		}
		return f, false
	}
	if cred.Malformed != "" && cred.Malformed != "base64 without padding" {
		return f, false // wrong-scheme explains a malformed header
	}
	if len(a.Challenges) > 0 && !offers(a.Challenges, cred.Scheme) {
		return f, false // wrong-scheme
	}
	f.Evidence = []Evidence{t.credentialEvidence(i)}
	scheme := strings.ToLower(cred.Scheme)
	switch {
	case st == 401 && (scheme == "basic" || scheme == "digest") && offers(a.Challenges, cred.Scheme):
		f.Confidence = 0.85
		user := ""
		if cred.Basic != nil {
			user = cred.Basic.Username
		} else {
			user = cred.Digest["username"]
		}
		f.Explanation = fmt.Sprintf("The request sent %s credentials for user %s and the server answered with a fresh %s challenge: it rejected the user name or password.", cred.Scheme, decode.QuoteName(user), cred.Scheme)
		if scheme == "digest" {
			f.Explanation += " The new challenge has no stale=true, which (RFC 7616 §3.3) means the user name or password is wrong, not that the nonce expired."
		}
		f.Evidence = append(f.Evidence, t.challengeHeaderEvidence(i))
	case st == 401 && cred.NTLM != nil && cred.NTLM.Type == 3 && bareChallenge(a, cred.Scheme):
		f.Confidence = 0.85
		who := cred.NTLM.User
		if cred.NTLM.Domain != "" {
			who = cred.NTLM.Domain + `\` + cred.NTLM.User
		}
		if cred.NTLM.Anonymous {
			who = "an anonymous logon"
		}
		f.Explanation = fmt.Sprintf("The NTLM handshake completed (type-3 message for %s) and the server answered with a bare %s challenge again: Windows rejected the account or password.", who, cred.Scheme)
		f.Evidence = append(f.Evidence, t.challengeHeaderEvidence(i))
		if k := t.ntlmType1Before(i); k >= 0 {
			if same, known := t.SameSocket(k, i); known && !same {
				f.Confidence = 0.5
				f.Explanation += fmt.Sprintf(" But the type-1 message (entry %d) went over another connection, which alone makes NTLM fail (connection-auth-broken).", k)
			}
		}
	case st == 401 && cred.Kerberos && bareChallenge(a, cred.Scheme):
		f.Confidence = 0.6
		f.Explanation = "A Kerberos ticket was sent (Negotiate) and the server answered with a bare Negotiate challenge again: it did not accept the ticket (wrong service principal, or an account not allowed)."
		f.Evidence = append(f.Evidence, t.challengeHeaderEvidence(i))
	case isBearer && code == "invalid_token":
		if expiryWords.MatchString(desc) || jwtExpired(t, i) {
			return f, false // expired-token
		}
		f.Confidence = 0.7
		if j := t.jwtOf(i); j != nil && (audienceElsewhere(j.Audience, e.Request.URL) || j.NotBefore != nil && j.NotBefore.Sub(t.ResponseDate(i)) > timeLeeway) {
			f.Confidence = 0.45 // the token's own claims say why (audience, not yet valid)
		}
		f.Explanation = "The API rejected the token (WWW-Authenticate: Bearer error=\"invalid_token\") without saying it expired: it is revoked, malformed, signed with an unknown key, or issued for something else."
		f.Evidence = append(f.Evidence, t.challengeHeaderEvidence(i))
		f.Remedy = []Step{
			{User, "Sign out of the application and sign in again, so it gets a new token; then retry: the call should answer 200."},
			{Developer, "Check the token the client sends is the access token for this API (not an ID token or a token of another environment) and that the API trusts its issuer and signing key."},
			t.sendTo(i, "the application's developers", "The API answered Bearer error=\"invalid_token\" to a token that had not expired."),
		}
	default:
		if ex, ok := t.bodyMatch(i, badCredentialsText); ok {
			f.Confidence = 0.75
			f.Explanation = "The request carried a credential and the server's answer says it was not accepted."
			f.Evidence = append(f.Evidence, evidence(i, "response.content.text", ex))
		} else if st == 401 && (offers(a.Challenges, cred.Scheme) || len(a.Challenges) == 0) {
			f.Confidence = 0.5
			if isBearer && code == "" {
				// A server that read a token and rejected it says
				// error="invalid_token" (RFC 6750 §3.1); a bare challenge
				// hints the token never arrived.
				f.Confidence = 0.4
			}
			f.Explanation = fmt.Sprintf("The request carried %s credentials and the server still answered 401: it did not accept them.", cred.Scheme)
			if len(a.Challenges) > 0 {
				f.Evidence = append(f.Evidence, t.challengeHeaderEvidence(i))
			}
		} else {
			return f, false
		}
	}
	if j, ok := t.SucceededElsewhere(i); ok {
		f.Confidence = min(f.Confidence, 0.45)
		f.Explanation += fmt.Sprintf(" But the same credential was accepted by entry %d on this site, so it is valid: the server may be using 401 for a permission problem (authz-as-401).", j)
	}
	if n := t.failuresOfUser(i); n > 1 {
		f.Evidence = append(f.Evidence, evidence(i, "request.headers.Authorization", fmt.Sprintf("the same user name failed %d times on %s in this trace", n, t.Origin(i))))
	}
	return f, true
}

// expiryWords matches error descriptions that say a token expired.
var expiryWords = regexp.MustCompile(`(?i)expir|lifetime validation failed|IDX10223|exp" claim|not active|token is expired|jwt expired`)

// jwtExpired reports whether entry i's JWT had expired at the response
// Date (by more than the Date header's one-second resolution).
func jwtExpired(t *Trace, i int) bool {
	j := t.jwtOf(i)
	return j != nil && j.Expires != nil && t.ResponseDate(i).Sub(*j.Expires) > timeLeeway
}

// bareChallenge reports whether the response repeats the scheme's
// challenge without a token (the handshake starts over: rejected).
func bareChallenge(a *EntryAuth, scheme string) bool {
	for _, c := range a.Challenges {
		if strings.EqualFold(c.Scheme, scheme) && c.Token68 == "" {
			return true
		}
	}
	return false
}

func invalidCredentialSteps(t *Trace, i int) []Step {
	a := t.Auth(i)
	cred := a.Credentials
	u := maskedURL(t.Entries[i].Request.URL)
	var steps []Step
	if cred != nil && cred.Basic != nil && (cred.Basic.NonASCII || cred.Basic.ColonInUser) {
		ch, _ := firstOf(a.Challenges, "Basic")
		charset, _ := ch.Param("charset")
		if !strings.EqualFold(charset, "utf-8") && cred.Basic.NonASCII {
			steps = append(steps, Step{Developer, fmt.Sprintf("The user name or password contains non-ASCII characters and the Basic challenge has no charset=\"UTF-8\": the browser and server may encode them differently (RFC 7617). Add charset=\"UTF-8\" to the challenge, or sign in with an ASCII-only password to confirm; the request to %s should then answer 200.", u)})
		}
		if cred.Basic.ColonInUser {
			steps = append(steps, Step{Developer, "The decoded Basic credential has more than one colon: if the user name contains a colon, Basic cannot carry it (RFC 7617); the server splits at the first colon."})
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
		Step{User, fmt.Sprintf("Retype the user name and password%s (check Caps Lock, the keyboard layout, and that it is the account for %s), then reload %s: it should answer 200.", user, t.Origin(i), u)},
		Step{User, "If it still fails, reset the password with the site's \"forgot password\" link, or ask the site's admin whether the account is locked or disabled."},
		Step{Admin, fmt.Sprintf("Read the authentication log of %s for %s: it says whether the password was wrong, the user unknown, or the account locked.", t.Origin(i), t.Entries[i].StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC"))},
		t.sendTo(i, "the site's administrator", fmt.Sprintf("The sign-in%s was rejected; please check the account and the authentication log.", user)),
	)
	return steps
}

// legsBefore returns the earlier 401 legs of the handshake entry i ends:
// walking back over the same request, each earlier entry must be an
// unanswered 401 that was followed by a request carrying credentials
// (a bare challenge, then an NTLM/Negotiate type-1 leg, ...).
func (t *Trace) legsBefore(i int) []int {
	same := t.sameReq[t.reqKeys[i]][:t.sameReqPos[i]]
	var out []int
	next := i
	for n := len(same) - 1; n >= 0 && len(out) < maxHandshakeLegs; n-- {
		k := same[n]
		if t.Entries[k].Response.Status != 401 || t.answered[k].ok || t.Auth(next).Credentials == nil {
			break
		}
		out = append(out, k)
		if t.Auth(k).Credentials == nil {
			break // the bare challenge that started it
		}
		next = k
	}
	return out
}

// ntlmType1Before returns the latest entry before i for the same request
// that carried an NTLM type-1 message, or -1.
func (t *Trace) ntlmType1Before(i int) int {
	k := -1
	for _, x := range t.sameReq[t.reqKeys[i]][:t.sameReqPos[i]] {
		if c := t.Auth(x).Credentials; c != nil && c.NTLM != nil && c.NTLM.Type == 1 {
			k = x
		}
	}
	return k
}

// windowsCredentialSteps are the steps for a rejected Windows (NTLM or
// Kerberos) sign-in, where the browser sends the Windows account itself.
func windowsCredentialSteps(t *Trace, i int) []Step {
	acct := "the Windows account"
	if u := t.Attempt(i).User; u != "" {
		acct = "the Windows account " + decode.QuoteName(u)
	}
	when := t.Entries[i].StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC")
	return []Step{
		{User, fmt.Sprintf("Check that %s is the one meant for %s (not a personal or local account); if the browser asks for a password, enter DOMAIN\\user and the current password. Reload: the page should answer 200.", acct, t.Host(i))},
		{User, "If the password was changed recently, lock and unlock the computer (or sign out and in) so Windows uses the new one."},
		{Admin, fmt.Sprintf("On the web server, read the Windows Security event log for %s around %s: event 4625 gives the failure reason (bad password, unknown user, locked or disabled account, logon type not granted).", acct, when)},
		t.sendTo(i, "the site's administrator", fmt.Sprintf("Windows sign-in for %s is rejected by %s; please check event 4625 on the web server.", acct, t.Host(i))),
	}
}
