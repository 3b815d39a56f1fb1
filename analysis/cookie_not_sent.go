package analysis

import (
	"fmt"
	"strings"
)

// CookieNotSent is the `cookie-not-sent` cause (catalogue §3.2).
var CookieNotSent = &Rule{
	ID:    "cookie-not-sent",
	Title: "The browser did not send the session cookie",
	Doc:   "The cookie exists, but the browser did not attach it to this (cross-site or credential-less) request.",
	Remedy: []Step{
		{Developer, "For cookies that must travel in cross-site requests, set SameSite=None; Secure — or keep the flow on one site."},
		{Developer, "Make cross-origin calls with credentials (fetch credentials: 'include', XHR withCredentials)."},
		{User, "If the site needs it, allow third-party cookies for this site (browser settings > Privacy), then reload."},
	},
	Run: runCookieNotSent,
}

// missConfidence ranks why a cookie was left off: a rule the browser
// applies for sure is stronger than "it just was not there".
func missConfidence(ev CookieEvent, b Browser) float64 {
	switch ev.miss {
	case missSameSiteStrict, missSameSiteLax:
		return 0.82
	case missNoCredentials:
		return 0.78
	case missLaxByDefault:
		if b.Chromium() {
			return 0.78
		}
		return 0.6
	case missThirdPartyBlocked:
		return 0.5
	case missPathOutside:
		// The browser's rule, for sure; that the server wanted the cookie
		// on this path is inferred.
		return 0.7
	}
	return 0.42
}

func runCookieNotSent(p *Pass) {
	t := p.Trace
	ci := t.Cookies()
	if !ci.Recorded() || t.Sanitized().Sanitized {
		return
	}
	b := t.Browser()
	for i, e := range t.Entries {
		if !failedForCookies(e) {
			continue
		}
		var best CookieEvent
		bestConf := 0.0
		var ev []Evidence
		for _, m := range ci.ForEntry(i) {
			if m.Kind != CookieEventMissing || !cookieMatters(m) {
				continue
			}
			c := missConfidence(m, b)
			if !cookieLooksLikeSession(m.Name) {
				c -= 0.1
			}
			if m.miss == missPathOutside {
				// That the server wanted a cookie scoped elsewhere is an
				// inference: only a sign-in failure (401, or a redirect
				// to a login page) with no other session cookie sent
				// makes it a likely cause. A 403 has other readers.
				if sentSessionCookie(ci, i) {
					c -= 0.25
				}
				if e.Response.Status != 401 && !softAuthFailure(e) {
					c -= 0.3
				}
			}
			ev = append(ev, sentCookieEvidence(m))
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
		for _, set := range ci.ForEntry(best.setAt) {
			if set.Name == best.Name && (set.Kind == CookieEventSet || set.Kind == CookieEventChanged) {
				ev = append([]Evidence{setCookieEvidence(set)}, ev...)
				break
			}
		}
		p.Report(Finding{
			Entry:      i,
			Confidence: bestConf,
			Explanation: fmt.Sprintf("The browser held the cookie %s (set at entry #%d) but this request went out without it: %s.",
				cookieWhere(best), best.setAt, best.Reason),
			Evidence: ev,
			Remedy:   cookieNotSentSteps(best, e.Request.URL),
		})
	}
}

func cookieNotSentSteps(ev CookieEvent, failedURL string) []Step {
	n := ev.Name
	check := Step{Developer, fmt.Sprintf("Check it worked: repeat the action and look at the request to %s — its Cookie header should carry %s.", clip(failedURL, 120), n)}
	switch ev.miss {
	case missSameSiteStrict, missSameSiteLax, missLaxByDefault:
		return []Step{
			{Developer, fmt.Sprintf("The request comes from another site. If %s must travel with it (an SSO/payment return, an embedded widget, a cross-site form post), set it with SameSite=None; Secure; otherwise keep the flow on one site (same registrable domain).", n)},
			{Developer, "For a sign-in return (SAML/OIDC form_post), land on a page of your own site first and continue with a same-site request."},
			check,
		}
	case missNoCredentials:
		return []Step{
			{Developer, fmt.Sprintf("Make the cross-origin call with credentials: fetch(url, {credentials: 'include'}) or xhr.withCredentials = true, so %s is sent.", n)},
			{Developer, "On the API, answer with Access-Control-Allow-Credentials: true and the caller's exact origin in Access-Control-Allow-Origin."},
			check,
		}
	case missPathOutside:
		return []Step{
			{Developer, fmt.Sprintf("Set %s with a Path that covers every address that needs it (usually Path=/); %s is outside its Path=%s.", n, clip(pathOfURL(failedURL), 80), orDefault(ev.Path, "/"))},
			{User, "Until the site is fixed, sign out and in again from the part of the site that works; tell the site's support which address fails."},
			check,
		}
	case missThirdPartyBlocked:
		return []Step{
			{User, fmt.Sprintf("Allow third-party cookies for %s in the browser's privacy settings (Safari blocks them by default; Chrome in Incognito), then reload.", ev.Domain)},
			{Developer, "Do not depend on third-party cookies: use a same-site subdomain, the Storage Access API, or Partitioned (CHIPS) cookies."},
			check,
		}
	}
	return []Step{
		{User, fmt.Sprintf("Check the browser does not block cookies for %s (privacy settings, extensions, private mode), then sign in again.", ev.Domain)},
		{Developer, fmt.Sprintf("Check whether a script deletes %s (document.cookie) or the request goes to a path or host outside the cookie's Path/Domain.", n)},
		check,
	}
}

// sentSessionCookie reports whether request i carried a cookie that
// matters for sign-in.
func sentSessionCookie(ci *CookieIndex, i int) bool {
	for _, ev := range ci.ForEntry(i) {
		if ev.Kind == CookieEventSent && cookieMatters(ev) {
			return true
		}
	}
	return false
}

// secureCookieWithheld finds a session cookie the browser held for entry
// i's host but could not send because it is Secure and entry i is plain
// http:// (not loopback, where browsers treat http as secure). The cookie
// index leaves such cookies out of its "missing" events (they do not
// apply to the address at all), yet they are the reason an old http link
// to a site the user is signed in to goes out without a session. It
// returns the event that stored the cookie.
func (t *Trace) secureCookieWithheld(i int) (CookieEvent, bool) {
	ci := t.Cookies()
	if !ci.Recorded() || t.Sanitized().Sanitized {
		return CookieEvent{}, false
	}
	e := t.Entries[i]
	u := requestURL(e)
	host := strings.ToLower(u.Hostname())
	if !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "ws") || isLoopbackHost(host) {
		return CookieEvent{}, false
	}
	sent := map[string]bool{}
	for _, v := range requestCookieHeaders(e) {
		for _, c := range parseCookieHeader(v) {
			sent[c.name] = true
		}
	}
	reqPath := u.EscapedPath()
	if reqPath == "" {
		reqPath = "/"
	}
	for _, name := range ci.Names() {
		if sent[name] {
			continue
		}
		// The last stored state of each (domain, path) of this name
		// before entry i.
		live := map[string]CookieEvent{}
		for _, ev := range ci.Timeline(name) {
			if ev.Entry == i || !t.Entries[ev.Entry].StartedDateTime.Before(e.StartedDateTime) {
				continue
			}
			key := ev.Domain + "\x00" + ev.Path
			switch ev.Kind {
			case CookieEventSet, CookieEventChanged:
				live[key] = ev
			case CookieEventCleared, CookieEventExpired:
				delete(live, key)
			}
		}
		for _, ev := range live {
			if !ev.secure || !cookieMatters(ev) || !pathMatch(reqPath, orDefault(ev.Path, "/")) {
				continue
			}
			if ev.hostOnly && host != ev.Domain || !ev.hostOnly && !domainMatch(host, ev.Domain) {
				continue
			}
			return ev, true
		}
	}
	return CookieEvent{}, false
}

// reportSecureCookieWithheld is the cookie-not-sent reading of a failure
// whose request was plain http while the session cookie is Secure: the
// browser's rule for sure, but the fix is the address (wrong-url names
// the https address that worked), so it stays below that.
func reportSecureCookieWithheld(p *Pass, i int) {
	t := p.Trace
	ev, ok := t.secureCookieWithheld(i)
	if !ok {
		return
	}
	e := t.Entries[i]
	p.Report(Finding{
		Entry:      i,
		Confidence: 0.6,
		Explanation: fmt.Sprintf("The browser held the session cookie %s (set at entry #%d with the Secure attribute), but this request is plain http://, and browsers send Secure cookies only over https — so it went out without the session.",
			cookieWhere(ev), ev.Entry),
		Evidence: []Evidence{setCookieEvidence(ev), evidence(i, "request.url", maskedURL(e.Request.URL)), evidence(i, "request.headers.Cookie", "("+ev.Name+" not sent)")},
		Remedy: []Step{
			{User, fmt.Sprintf("Open the https:// address of this page instead of %s (update the bookmark): the browser then sends %s and the page loads.", maskedURL(e.Request.URL), ev.Name)},
			{Admin, "Redirect every http:// address of the site (old ports included) to https:// before the application answers, so old links land where the session cookie is sent."},
		},
	})
}
