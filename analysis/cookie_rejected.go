package analysis

import (
	"fmt"
	"net/url"
	"strings"
)

// CookieRejected is the `cookie-rejected` cause (catalogue §3.2).
var CookieRejected = &Rule{
	ID:    "cookie-rejected",
	Title: "The browser refused a cookie",
	Doc:   "A Set-Cookie broke the browser's rules, so the browser dropped it and later requests went out without it.",
	Remedy: []Step{
		{Developer, "Fix the Set-Cookie attribute named in the evidence (serve the site over HTTPS and add Secure, correct Domain, follow the __Host-/__Secure- prefix rules)."},
		{Admin, "Serve the site over https:// (redirect http:// to https://) so Secure cookies can be stored."},
		{User, "Nothing to clear on your side: the site has to change. Send the developer the cookie name and the reason in the evidence."},
	},
	Run: runCookieRejected,
}

func runCookieRejected(p *Pass) {
	t := p.Trace
	ci := t.Cookies()
	b := t.Browser()
	for _, rej := range ci.events {
		if rej.Kind != CookieEventRejected {
			continue
		}
		conf := 0.88
		if rej.browserOnly != "" && !b.Known() {
			conf = 0.72 // the rule holds for some browsers only, and the trace does not say which made it
		}
		victims := requestsLackingRejected(t, rej)
		if len(victims) == 0 && !cookieMatters(rej) && !csrfCookiePattern.MatchString(rej.Name) {
			continue
		}
		steps := cookieRejectedSteps(rej)
		browserNote := ""
		if rej.browserOnly != "" {
			browserNote = fmt.Sprintf(" (this rule applies to %s; the trace was made by %s)", rej.browserOnly, b)
		}
		for _, k := range victims {
			ek := t.Entries[k]
			p.Report(Finding{
				Entry:      k,
				Confidence: conf,
				Explanation: fmt.Sprintf("The server set the cookie %s at entry #%d, but the browser refused it: %s%s. So this request went out without it and was refused.",
					cookieWhere(rej), rej.Entry, rej.Reason, browserNote),
				Evidence: []Evidence{setCookieEvidence(rej),
					{Entry: k, Where: "request.headers.Cookie", Detail: fmt.Sprintf("no %s in the request; the answer was %d", rej.Name, ek.Response.Status)}},
				Remedy: steps,
			})
		}
		// The exchange whose Set-Cookie was refused (often the login 302)
		// is where the problem starts: flag it too.
		if refusalStatus(t.Entries[rej.Entry].Response.Status) {
			continue
		}
		c := conf - 0.05
		if len(victims) == 0 {
			c = 0.5
		}
		p.Report(Finding{
			Entry:      rej.Entry,
			Confidence: c,
			Explanation: fmt.Sprintf("This response set the cookie %s, but the browser refuses it: %s%s. Requests after it will not carry the cookie.",
				cookieWhere(rej), rej.Reason, browserNote),
			Evidence: []Evidence{setCookieEvidence(rej)},
			Remedy:   steps,
		})
	}
}

// requestsLackingRejected returns the later failing requests the refused
// cookie would have applied to, which went out without a cookie of that
// name. A cookie refused for its Domain was meant for the site that set
// it (the Domain is the mistake, often a leftover old domain): requests
// to the setting host count then.
func requestsLackingRejected(t *Trace, rej CookieEvent) []int {
	start := t.Entries[rej.Entry].StartedDateTime
	setter := hostOf(t.Entries[rej.Entry])
	byDomain := rej.reject == rejectDomainMismatch || rej.reject == rejectPublicSuffix
	var out []int
	seen := false
	for _, k := range t.TimeOrder() {
		if k == rej.Entry {
			seen = true
			continue
		}
		if !seen {
			continue
		}
		e := t.Entries[k]
		if e.StartedDateTime.Before(start) || !failedForCookies(e) || t.Cookies().servedFromCache(k) {
			continue
		}
		u, err := url.Parse(e.Request.URL)
		if err != nil {
			continue
		}
		host := strings.ToLower(u.Hostname())
		covered := rej.hostOnly && host == rej.Domain || !rej.hostOnly && domainMatch(host, rej.Domain)
		if !covered && !(byDomain && host == setter) {
			continue
		}
		if !pathMatch(u.EscapedPath(), rej.Path) {
			continue
		}
		carried := false
		for _, ev := range t.Cookies().ForEntry(k) {
			if ev.Kind == CookieEventSent && ev.Name == rej.Name {
				carried = true
			}
		}
		if !carried {
			out = append(out, k)
		}
	}
	return out
}

func cookieRejectedSteps(rej CookieEvent) []Step {
	var fix []Step
	n := rej.Name
	switch rej.reject {
	case rejectSameSiteNoneInsecure:
		fix = []Step{
			{Developer, fmt.Sprintf("Add Secure to the %s cookie (SameSite=None requires it) and serve the site over HTTPS; if the cookie is not needed in cross-site requests, use SameSite=Lax instead.", n)},
		}
	case rejectSecureOverHTTP, rejectPrefixOverHTTP:
		fix = []Step{
			{Admin, fmt.Sprintf("Serve %s over https:// (and redirect http:// to it): the browser only stores the Secure cookie %s from https:// responses.", rej.Domain, n)},
			{Developer, fmt.Sprintf("For local development only, set %s without Secure (and without a __Secure-/__Host- prefix) when the site runs on plain http.", n)},
		}
	case rejectDomainMismatch, rejectPublicSuffix:
		fix = []Step{
			{Developer, fmt.Sprintf("Set %s with a Domain the responding host belongs to (its own registrable domain), or leave Domain out so it is a host-only cookie.", n)},
		}
	case rejectHostPrefix:
		fix = []Step{
			{Developer, fmt.Sprintf("A __Host- cookie needs exactly: Secure, Path=/, and no Domain. Fix the Set-Cookie of %s.", n)},
		}
	case rejectSecurePrefix, rejectPartitionedInsecure:
		fix = []Step{
			{Developer, fmt.Sprintf("Add the Secure attribute to %s and serve it over HTTPS.", n)},
		}
	case rejectTooLarge:
		fix = []Step{
			{Developer, fmt.Sprintf("Keep %s under 4096 bytes: store the session data on the server and put only an ID in the cookie.", n)},
		}
	case rejectNoCredentials:
		fix = []Step{
			{Developer, fmt.Sprintf("Make the cross-origin call with credentials (fetch(..., {credentials: 'include'}) or xhr.withCredentials = true) so the browser stores %s.", n)},
			{Developer, "On the API, answer with Access-Control-Allow-Credentials: true and the caller's exact origin in Access-Control-Allow-Origin (not *)."},
		}
	default:
		fix = []Step{
			{Developer, fmt.Sprintf("Send %s as a valid name=value Set-Cookie header.", n)},
		}
	}
	return append(fix,
		Step{Developer, fmt.Sprintf("Check it worked: sign in again and look at the next request to %s — its Cookie header should now carry %s.", rej.Domain, n)},
		Step{User, fmt.Sprintf("Nothing to clear on your side. Send the site's developer this: \"The browser refuses the cookie %s: %s.\"", n, rej.Reason)},
	)
}
