package rules

import (
	"fmt"

	"authlens/analysis"
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
	"authlens/har"
	"authlens/redact"
)

// CookieNotSent is the `cookie-not-sent` cause (catalogue §3.2).
var CookieNotSent = &analysis.Rule{
	ID:    "cookie-not-sent",
	Title: "The browser did not send the session cookie",
	Doc:   "The cookie exists, but the browser did not attach it to this (cross-site or credential-less) request.",
	Remedy: []trace.Step{
		{Who: trace.Developer, Step: "For cookies that must travel in cross-site requests, set SameSite=None; Secure — or keep the flow on one site."},
		{Who: trace.Developer, Step: "Make cross-origin calls with credentials (fetch credentials: 'include', XHR withCredentials)."},
		{Who: trace.User, Step: "If the site needs it, allow third-party cookies for this site (browser settings > Privacy), then reload.", Browser: true},
	},
	Run: runCookieNotSent,
}

// missConfidence ranks why a cookie was left off: a rule the browser
// applies for sure is stronger than "it just was not there".
func missConfidence(ev jar.CookieEvent, b trace.Browser) float64 {
	switch ev.Miss {
	case jar.MissSameSiteStrict, jar.MissSameSiteLax:
		return 0.82
	case jar.MissNoCredentials:
		return 0.78
	case jar.MissLaxByDefault:
		if b.Chromium() {
			return 0.78
		}
		return 0.6
	case jar.MissThirdPartyBlocked:
		return 0.5
	case jar.MissPathOutside:
		// The browser's rule, for sure; that the server wanted the cookie
		// on this path is inferred.
		return 0.7
	}
	return 0.42
}

func runCookieNotSent(p *analysis.Pass) {
	t := p.Trace
	ci := t.Cookies()
	if !ci.Recorded() || t.Sanitized().Sanitized {
		return
	}
	b := t.Browser()
	for i, e := range t.Entries {
		if !trace.FailedForCookies(e) {
			continue
		}
		var best jar.CookieEvent
		bestConf := 0.0
		var ev []trace.Evidence
		for _, m := range ci.ForEntry(i) {
			if m.Kind != jar.CookieEventMissing || !jar.CookieMatters(m) {
				continue
			}
			c := missConfidence(m, b)
			if !jar.CookieLooksLikeSession(m.Name) {
				c -= 0.1
			}
			if m.Miss == jar.MissPathOutside {
				// That the server wanted a cookie scoped elsewhere is an
				// inference: only a sign-in failure (401, or a redirect
				// to a login page) with no other session cookie sent
				// makes it a likely cause. A 403 has other readers.
				if t.SentSessionCookie(i) {
					c -= 0.25
				}
				if e.Response.Status != 401 && !trace.SoftAuthFailure(e) {
					c -= 0.3
				}
			}
			ev = append(ev, trace.SentCookieEvidence(m))
			if c > bestConf {
				best, bestConf = m, c
			}
		}
		if bestConf == 0 {
			reportSecureCookieWithheld(p, i)
			continue
		}
		if len(ev) > 4 {
			ev = ev[:4]
		}
		for _, set := range ci.ForEntry(best.SetAt) {
			if set.Name == best.Name && (set.Kind == jar.CookieEventSet || set.Kind == jar.CookieEventChanged) {
				ev = append([]trace.Evidence{trace.SetCookieEvidence(set)}, ev...)
				break
			}
		}
		p.Report(analysis.Finding{
			Entry:      i,
			Confidence: bestConf,
			Explanation: fmt.Sprintf("The browser held the cookie %s (set at entry #%d) but this request went out without it: %s.",
				trace.CookieWhere(best), best.SetAt, best.Reason),
			Evidence: ev,
			Remedy:   cookieNotSentSteps(best, e.Request.URL),
		})
	}
}

func cookieNotSentSteps(ev jar.CookieEvent, failedURL string) []trace.Step {
	n := ev.Name
	check := trace.Step{Who: trace.Developer, Step: fmt.Sprintf("Check it worked: repeat the action and look at the request to %s — its Cookie header should carry %s.", excerpt.Clip(failedURL, 120), n)}
	switch ev.Miss {
	case jar.MissSameSiteStrict, jar.MissSameSiteLax, jar.MissLaxByDefault:
		return []trace.Step{
			{Who: trace.Developer, Step: fmt.Sprintf("The request comes from another site. If %s must travel with it (an SSO/payment return, an embedded widget, a cross-site form post), set it with SameSite=None; Secure; otherwise keep the flow on one site (same registrable domain).", n)},
			{Who: trace.Developer, Step: "For a sign-in return (SAML/OIDC form_post), land on a page of your own site first and continue with a same-site request."},
			check,
		}
	case jar.MissNoCredentials:
		return []trace.Step{
			{Who: trace.Developer, Step: fmt.Sprintf("Make the cross-origin call with credentials: fetch(url, {credentials: 'include'}) or xhr.withCredentials = true, so %s is sent.", n)},
			{Who: trace.Developer, Step: "On the API, answer with Access-Control-Allow-Credentials: true and the caller's exact origin in Access-Control-Allow-Origin."},
			check,
		}
	case jar.MissPathOutside:
		return []trace.Step{
			{Who: trace.Developer, Step: fmt.Sprintf("Set %s with a Path that covers every address that needs it (usually Path=/); %s is outside its Path=%s.", n, excerpt.Clip(trace.PathOfURL(failedURL), 80), trace.OrDefault(ev.Path, "/"))},
			{Who: trace.User, Step: "Until the site is fixed, sign out and in again from the part of the site that works; tell the site's support which address fails.", Browser: true},
			check,
		}
	case jar.MissThirdPartyBlocked:
		return []trace.Step{
			{Who: trace.User, Step: fmt.Sprintf("Allow third-party cookies for %s in the browser's privacy settings (Safari blocks them by default; Chrome in Incognito), then reload.", ev.Domain), Browser: true},
			{Who: trace.Developer, Step: "Do not depend on third-party cookies: use a same-site subdomain, the Storage Access API, or Partitioned (CHIPS) cookies."},
			check,
		}
	}
	return []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("Check the browser does not block cookies for %s (privacy settings, extensions, private mode), then sign in again.", ev.Domain), Browser: true},
		{Who: trace.Developer, Step: fmt.Sprintf("Check whether a script deletes %s (document.cookie) or the request goes to a path or host outside the cookie's Path/Domain.", n)},
		check,
	}
}

// reportSecureCookieWithheld is the cookie-not-sent reading of a failure
// whose request was plain http while the session cookie is Secure: the
// browser's rule for sure, but the fix is the address (wrong-url names
// the https address that worked), so it stays below that.
func reportSecureCookieWithheld(p *analysis.Pass, i int) {
	t := p.Trace
	ev, ok := t.SecureCookieWithheld(i)
	if !ok {
		return
	}
	e := t.Entries[i]
	p.Report(analysis.Finding{
		Entry:      i,
		Confidence: 0.6,
		Explanation: fmt.Sprintf("The browser held the session cookie %s (set at entry #%d with the Secure attribute), but this request is plain http://, and browsers send Secure cookies only over https — so it went out without the session.",
			trace.CookieWhere(ev), ev.Entry),
		Evidence: []trace.Evidence{trace.SetCookieEvidence(ev), trace.EvidenceAt(i, har.At(har.PartRequestURL), redact.URL(e.Request.URL)), trace.EvidenceAt(i, har.RequestHeader("Cookie"), "("+ev.Name+" not sent)")},
		Remedy: []trace.Step{
			{Who: trace.User, Step: fmt.Sprintf("Open the https:// address of this page instead of %s (update the bookmark): the browser then sends %s and the page loads.", redact.URL(e.Request.URL), ev.Name), Browser: true},
			{Who: trace.Admin, Step: "Redirect every http:// address of the site (old ports included) to https:// before the application answers, so old links land where the session cookie is sent."},
		},
	})
}
