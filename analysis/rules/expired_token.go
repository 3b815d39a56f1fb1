package rules

import (
	"fmt"
	"regexp"
	"time"

	"authlens/analysis"
	"authlens/analysis/decode"
	"authlens/analysis/entry"
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
	"authlens/har"
	"authlens/redact"
)

// ExpiredToken is the `expired-token` cause.
var ExpiredToken = &analysis.Rule{
	ID:    "expired-token",
	Title: "The token or link has expired",
	Doc:   "The token, session or pre-signed link was valid once and has expired: the server rejects it by its own clock.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Sign out of the application and sign in again (or ask for a fresh link), then retry: it should answer 200.", Browser: true},
		{Who: trace.Developer, Step: "Refresh the access token before it expires, and on a 401 with error=\"invalid_token\" refresh once and retry; when the refresh itself fails (invalid_grant), send the user to sign in."},
	},
	Run:     runExpiredToken,
	RuleOut: ruleOutExpiredToken,
}

// expiredText matches server and identity-provider texts that say a token,
// session or link expired.
var expiredText = regexp.MustCompile(`(?i)IDX10223|jwt expired|token (is|has) expired|token expired|expired token|ExpiredAuthenticationToken|Access token has expired|AADSTS700082|AADSTS70008\b|ExpiredToken|Signature expired|Request has expired|session (has )?expired|"exp" claim timestamp check failed|Lifetime validation failed`)

func runExpiredToken(p *analysis.Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		e := t.Entries[i]
		st := e.Response.Status
		if t.GrantRefused(i) {
			reportFailedRefresh(p, i)
			continue
		}
		if f, ok := judgeExpiredCookie(t, i); ok {
			p.Report(f)
		}
		if !t.AuthFailure(i) && !(st == 400 && decode.PresignedExpiry(e.Request.URL) != nil) && !t.RefusedUpgrade(i) {
			continue
		}
		if f, ok := judgeExpired(t, i); ok {
			if f.Confidence >= 0.5 {
				addRefreshEvidence(t, i, &f)
			}
			p.Report(f)
		}
	}
}

func judgeExpired(t *trace.Trace, i int) (analysis.Finding, bool) {
	e := t.Entries[i]
	f := analysis.Finding{Entry: i}
	date := t.ResponseDate(i)
	code, desc, _, _ := t.BearerError(i)
	if code == "insufficient_user_authentication" {
		return f, false
	}
	// A pre-signed object-store link past its lifetime.
	if exp := decode.PresignedExpiry(e.Request.URL); exp != nil && date.Sub(exp.At) > entry.TimeLeeway {
		f.Confidence = 0.9
		f.Explanation = fmt.Sprintf("The pre-signed link expired %s before this request (%s, valid until %s; the server's clock said %s).",
			entry.HumanDuration(date.Sub(exp.At)), exp.How, exp.At.UTC().Format(time.RFC3339), date.UTC().Format(time.RFC3339))
		f.Evidence = []trace.Evidence{trace.EvidenceAt(i, har.At(har.PartRequestURL), exp.Detail)}
		if ex, ok := t.BodyMatch(i, expiredText); ok {
			f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
		}
		f.Remedy = []trace.Step{
			{Who: trace.User, Step: "Ask whoever shared the link for a new one (or reload the page that produced it), and open it within its lifetime: it should download with 200."},
			{Who: trace.Developer, Step: fmt.Sprintf("Generate the link when the user clicks it, or with a longer lifetime than %s; this one was %s.", entry.HumanDuration(exp.Lifetime), exp.How)},
			t.SendTo(i, "whoever shared the link", "The link has expired; please send a new one."),
		}
		return f, true
	}
	tok := t.CarriedJWTOf(i)
	j := tok.JWT
	status := entry.EffectiveStatus(e)
	if j != nil && j.Expires != nil && date.Sub(*j.Expires) > entry.TimeLeeway {
		ago := entry.HumanDuration(date.Sub(*j.Expires))
		dateWord, serverWord := "response Date", "server Date"
		if _, ok := har.HeaderValue(e.Response.Headers, "Date"); !ok && e.Response.Status <= 0 {
			// No response headers were recorded: judge by the request time.
			dateWord, serverWord = "request time", "request time"
		}
		f.Evidence = []trace.Evidence{trace.EvidenceAt(i, tok.Where, fmt.Sprintf("%sJWT exp %s; %s %s", tok.EvidencePrefix(), j.Expires.UTC().Format(time.RFC3339), dateWord, date.UTC().Format(time.RFC3339)))}
		if t.RefusedUpgrade(i) {
			f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.At(har.PartResponseFailure), excerpt.Clip(e.FailureReason(), 200)))
		}
		if e.StartedDateTime.Sub(*j.Expires) < -entry.TimeLeeway {
			// Expired by the server's clock but not by the client's: the
			// client did not refresh because its clock is behind.
			f.Confidence = 0.35
			f.Explanation = fmt.Sprintf("The token expired %s before the server's Date, but the client's own clock still thought it valid: see clock-skew.", ago)
			return f, true
		}
		f.Confidence = 0.85
		if status == 403 {
			f.Confidence = 0.7
		}
		f.Explanation = fmt.Sprintf("%s expired %s before this request (JWT exp %s, %s %s), and the client sent it anyway.", tok.Label(), ago, j.Expires.UTC().Format(time.RFC3339), serverWord, date.UTC().Format(time.RFC3339))
		if t.RefusedUpgrade(i) {
			f.Explanation += fmt.Sprintf(" The server refused the WebSocket upgrade with %d; the browser's record keeps only that code (%q), not the server's headers or words.", status, excerpt.Clip(e.FailureReason(), 120))
		}
		if code == "invalid_token" {
			f.Confidence = 0.9
			f.Evidence = append(f.Evidence, t.ChallengeHeaderEvidence(i))
		}
		if ex, ok := t.BodyMatch(i, expiredText); ok {
			// The server says so too (e.g. jsonwebtoken's "jwt expired").
			f.Confidence = max(f.Confidence, 0.9)
			f.Explanation += " The server's answer says the token expired."
			f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
		}
		f.Remedy = expiredSteps(t, i)
		switch {
		case tok.Cookie != "":
			f.Remedy = expiredCookieTokenSteps(t, i, tok.Cookie)
		case tok.Param != "":
			f.Remedy = expiredQueryTokenSteps(t, i, tok.Param)
		}
		return f, true
	}
	if code == "invalid_token" && entry.SaysExpired(desc) {
		f.Conclude(0.9, fmt.Sprintf("The API says the token expired (WWW-Authenticate: Bearer error=\"invalid_token\", error_description=%q).", desc),
			t.ChallengeHeaderEvidence(i))
		if j == nil && t.Auth(i).Credentials != nil {
			f.Explanation += " The token itself is opaque (not a JWT), so its expiry time cannot be read from it."
		}
		f.Remedy = expiredSteps(t, i)
		return f, true
	}
	if ex, ok := t.BodyMatch(i, expiredText); ok {
		f.Conclude(0.8, "The server's answer says the token or session expired.", trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
		if ev, ok := t.ClearedSessionSent(i); ok {
			// "Session expired" is what many apps say for any unknown
			// session; here the server had ended it itself (logout).
			f.Confidence = 0.5
			f.Explanation += fmt.Sprintf(" But the request still carried the %s cookie the server had cleared at entry #%d, so the session was ended by the server rather than by time (see stale-cookie).", ev.Name, ev.StaleOf)
		}
		f.Remedy = expiredSteps(t, i)
		return f, true
	}
	return f, false
}

func expiredSteps(t *trace.Trace, i int) []trace.Step {
	u := redact.URL(t.Entries[i].Request.URL)
	return []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("Sign out of the application and sign in again, then retry %s: it should answer 200.", u), Browser: true},
		{Who: trace.Developer, Step: "Refresh the access token before its exp (or on a 401 with error=\"invalid_token\" refresh once and retry); when the refresh fails with invalid_grant, send the user to sign in again."},
		t.SendTo(i, "the application's developers", "The app sent an expired token; it should refresh tokens before they expire."),
	}
}

// addRefreshEvidence notes a failed refresh (400 invalid_grant from a
// token endpoint) in the ten minutes before entry i.
func addRefreshEvidence(t *trace.Trace, i int, f *analysis.Finding) {
	for _, j := range t.GrantsRefusedBefore(i, 10*time.Minute) {
		f.Evidence = append(f.Evidence, trace.EvidenceAt(j, har.At(har.PartResponseBody), "the token refresh just before failed with invalid_grant: the user must sign in again"))
		f.Confidence = max(f.Confidence, 0.75)
	}
}

func reportFailedRefresh(p *analysis.Pass, i int) {
	t := p.Trace
	gt := t.GrantType(i)
	ex, hasText := t.BodyMatch(i, expiredText)
	if gt != "refresh_token" && !hasText {
		return // an authorization code or password grant refused: not an expiry
	}
	f := analysis.Finding{Entry: i, Confidence: 0.7,
		Explanation: "The application tried to renew its token (grant_type=" + entry.OrWord(gt, "?") + ") and the identity provider refused with invalid_grant: the refresh token or sign-in session is no longer valid, so the user must sign in again.",
		Evidence:    []trace.Evidence{trace.EvidenceAt(i, har.At(har.PartResponseBody), "error: invalid_grant")},
		Remedy: []trace.Step{
			{Who: trace.User, Step: "Sign out of the application and sign in again: a new sign-in gets a new refresh token.", Browser: true},
			{Who: trace.Developer, Step: "When a refresh answers invalid_grant, drop the stored tokens and start a new sign-in instead of retrying."},
		}}
	if hasText {
		f.Confidence = 0.8
		f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.At(har.PartResponseBody), ex))
	}
	p.Report(f)
}

// expiredCookieTokenSteps are the steps for an expired JWT the browser
// kept sending in a cookie.
func expiredCookieTokenSteps(t *trace.Trace, i int, cookie string) []trace.Step {
	u := redact.URL(t.Entries[i].Request.URL)
	return []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("Sign out of the application and sign in again, then retry %s: it should answer 200.", u), Browser: true},
		{Who: trace.Developer, Step: fmt.Sprintf("The %s cookie outlived the token inside it: give the cookie a Max-Age no longer than the token's lifetime, or re-issue the cookie with a fresh token before its exp; on a 401 send the user to sign in instead of retrying.", cookie)},
		t.SendTo(i, "the application's developers", fmt.Sprintf("The %s cookie carried an expired token; the app should renew it before it expires.", cookie)),
	}
}

// judgeExpiredCookie reports a refusal (401/403/419) or a redirect to the
// login page that came right after the browser dropped a session cookie
// whose Max-Age or Expires had run out (the cookie index proves it).
func judgeExpiredCookie(t *trace.Trace, i int) (analysis.Finding, bool) {
	e := t.Entries[i]
	st := e.Response.Status
	soft := entry.SoftAuthFailure(e)
	if !soft && !(entry.RefusalStatus(st) && (st == 419 || t.AuthFailure(i))) {
		return analysis.Finding{}, false
	}
	evs := t.Cookies().ExpiredBefore(i)
	if len(evs) == 0 {
		return analysis.Finding{}, false
	}
	ev := evs[0]
	f := analysis.Finding{Entry: i, Confidence: 0.9}
	how := fmt.Sprintf("answered %d", st)
	if soft {
		how = fmt.Sprintf("sent the browser to the login page (%d)", st)
	}
	f.Explanation = fmt.Sprintf("The browser no longer sent the session cookie %s: %s. The server %s because the session was missing.", ev.Name, ev.Reason, how)
	if c := t.Auth(i).Credentials; c != nil {
		// The request carried its own credential: the server may have
		// judged that, not the missing cookie.
		f.Confidence = 0.5
		f.Explanation += " The request also carried an Authorization header, which the server may have judged instead."
	} else if other := t.SessionCookieSent(i); other != "" {
		// Another session-like cookie still went along: the expired one
		// may not be the one the server reads.
		f.Confidence = 0.6
		f.Explanation += fmt.Sprintf(" The request still carried the %s cookie, so the expired cookie may not be the only session the site reads.", other)
	}
	if ev.SetAt >= 0 {
		f.Evidence = append(f.Evidence, trace.EvidenceAt(ev.SetAt, har.ResponseHeader("Set-Cookie"), fmt.Sprintf("Set-Cookie: %s=%s; %s", ev.Name, ev.Value, ev.Attributes)))
	}
	f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.RequestHeader("Cookie"), fmt.Sprintf("no %s in the Cookie header: it ran out at %s", ev.Name, ev.ExpiredAt.UTC().Format(time.RFC3339))))
	if soft {
		f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.ResponseHeader("Location"), "redirect to the login page: "+redact.URL(entry.LocationOf(e))))
	}
	f.Remedy = []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("Sign in again, then retry %s: it should answer 200. The site signs you out after %s.", redact.URL(e.Request.URL), cookieLifetime(ev)), Browser: true},
		{Who: trace.Admin, Step: fmt.Sprintf("If the session should last longer, raise the lifetime the site gives the %s cookie (%s).", ev.Name, jar.ExpiryAttrs(ev.Attributes))},
		{Who: trace.Developer, Step: fmt.Sprintf("Renew the %s cookie while the user is active (sliding expiry), or warn before the session ends, so work is not lost at the login redirect.", ev.Name)},
	}
	return f, true
}

// cookieLifetime is how long the expired cookie was set to last, in plain
// words.
func cookieLifetime(ev jar.CookieEvent) string {
	if ev.SetTime.IsZero() || ev.ExpiredAt.IsZero() {
		return "a fixed time"
	}
	return jar.RoundDuration(ev.ExpiredAt.Sub(ev.SetTime))
}

// expiredQueryTokenSteps are the steps for an expired JWT carried in the
// URL (a WebSocket or EventSource address built once and reused).
func expiredQueryTokenSteps(t *trace.Trace, i int, param string) []trace.Step {
	u := redact.URL(t.Entries[i].Request.URL)
	return []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("Reload the page (sign in again if asked) so the app builds a new address with a fresh token; %s should then connect.", u), Browser: true},
		{Who: trace.Developer, Step: fmt.Sprintf("The %s parameter was built from a token that had already expired: take a fresh (or refreshed) access token each time the connection is opened or re-opened, and on a refused handshake refresh once before retrying.", param)},
		t.SendTo(i, "the application's developers", fmt.Sprintf("The app opened the connection with an expired token in %s; it should refresh the token before connecting.", param)),
	}
}

// ruleOutExpiredToken: the token the request carried was still valid by
// the server's clock.
func ruleOutExpiredToken(t *trace.Trace, i int) (string, bool) {
	c := t.CarriedJWTOf(i)
	if c.JWT == nil || c.JWT.Expires == nil {
		return "", false
	}
	left := c.JWT.Expires.Sub(t.ResponseDate(i))
	if left <= entry.TimeLeeway {
		return "", false
	}
	return fmt.Sprintf("Not expired: %s was valid for another %s at the server's time of this request (exp %s).",
		entry.LowerFirst(c.Label()), entry.HumanDuration(left), c.JWT.Expires.UTC().Format(time.RFC3339)), true
}
