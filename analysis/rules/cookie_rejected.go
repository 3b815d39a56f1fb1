package rules

import (
	"fmt"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
	"authlens/har"
)

// CookieRejected is the `cookie-rejected` cause (catalogue §3.2).
var CookieRejected = &analysis.Rule{
	ID:    "cookie-rejected",
	Title: "The browser refused a cookie",
	Doc:   "A Set-Cookie broke the browser's rules, so the browser dropped it and later requests went out without it.",
	Remedy: []trace.Step{
		{Who: trace.Developer, Step: "Fix the Set-Cookie attribute named in the evidence (serve the site over HTTPS and add Secure, correct Domain, follow the __Host-/__Secure- prefix rules)."},
		{Who: trace.Admin, Step: "Serve the site over https:// (redirect http:// to https://) so Secure cookies can be stored."},
		{Who: trace.User, Step: "Nothing to clear on your side: the site has to change. Send the developer the cookie name and the reason in the evidence."},
	},
	Run: runCookieRejected,
}

func runCookieRejected(p *analysis.Pass) {
	t := p.Trace
	ci := t.Cookies()
	b := t.Browser()
	for _, rej := range ci.Events {
		if rej.Kind != jar.CookieEventRejected {
			continue
		}
		conf := 0.88
		if rej.BrowserOnly != "" && !b.Known() {
			conf = 0.72 // the rule holds for some browsers only, and the trace does not say which made it
		}
		victims := t.RequestsLackingRejected(rej)
		if len(victims) == 0 && !jar.CookieMatters(rej) && !jar.IsCSRF(rej.Name) {
			continue
		}
		steps := cookieRejectedSteps(rej)
		browserNote := ""
		if rej.BrowserOnly != "" {
			browserNote = fmt.Sprintf(" (this rule applies to %s; the trace was made by %s)", rej.BrowserOnly, b)
		}
		for _, k := range victims {
			ek := t.Entries[k]
			p.Report(analysis.Finding{
				Entry:      k,
				Confidence: conf,
				Explanation: fmt.Sprintf("The server set the cookie %s at entry #%d, but the browser refused it: %s%s. So this request went out without it and was refused.",
					trace.CookieWhere(rej), rej.Entry, rej.Reason, browserNote),
				Evidence: []trace.Evidence{trace.SetCookieEvidence(rej),
					{Entry: k, Where: har.RequestHeader("Cookie"), Detail: fmt.Sprintf("no %s in the request; the answer was %d", rej.Name, ek.Response.Status)}},
				Remedy: steps,
			})
		}
		// The exchange whose Set-Cookie was refused (often the login 302)
		// is where the problem starts: flag it too.
		if trace.RefusalStatus(t.Entries[rej.Entry].Response.Status) {
			continue
		}
		c := conf - 0.05
		if len(victims) == 0 {
			c = 0.5
		}
		p.Report(analysis.Finding{
			Entry:      rej.Entry,
			Confidence: c,
			Explanation: fmt.Sprintf("This response set the cookie %s, but the browser refuses it: %s%s. Requests after it will not carry the cookie.",
				trace.CookieWhere(rej), rej.Reason, browserNote),
			Evidence: []trace.Evidence{trace.SetCookieEvidence(rej)},
			Remedy:   steps,
		})
	}
}

func cookieRejectedSteps(rej jar.CookieEvent) []trace.Step {
	var fix []trace.Step
	n := rej.Name
	switch rej.Reject {
	case jar.RejectSameSiteNoneInsecure:
		fix = []trace.Step{
			{Who: trace.Developer, Step: fmt.Sprintf("Add Secure to the %s cookie (SameSite=None requires it) and serve the site over HTTPS; if the cookie is not needed in cross-site requests, use SameSite=Lax instead.", n)},
		}
	case jar.RejectSecureOverHTTP, jar.RejectPrefixOverHTTP:
		fix = []trace.Step{
			{Who: trace.Admin, Step: fmt.Sprintf("Serve %s over https:// (and redirect http:// to it): the browser only stores the Secure cookie %s from https:// responses.", rej.Domain, n)},
			{Who: trace.Developer, Step: fmt.Sprintf("For local development only, set %s without Secure (and without a __Secure-/__Host- prefix) when the site runs on plain http.", n)},
		}
	case jar.RejectDomainMismatch, jar.RejectPublicSuffix:
		fix = []trace.Step{
			{Who: trace.Developer, Step: fmt.Sprintf("Set %s with a Domain the responding host belongs to (its own registrable domain), or leave Domain out so it is a host-only cookie.", n)},
		}
	case jar.RejectHostPrefix:
		fix = []trace.Step{
			{Who: trace.Developer, Step: fmt.Sprintf("A __Host- cookie needs exactly: Secure, Path=/, and no Domain. Fix the Set-Cookie of %s.", n)},
		}
	case jar.RejectSecurePrefix, jar.RejectPartitionedInsecure:
		fix = []trace.Step{
			{Who: trace.Developer, Step: fmt.Sprintf("Add the Secure attribute to %s and serve it over HTTPS.", n)},
		}
	case jar.RejectTooLarge:
		fix = []trace.Step{
			{Who: trace.Developer, Step: fmt.Sprintf("Keep %s under 4096 bytes: store the session data on the server and put only an ID in the cookie.", n)},
		}
	case jar.RejectNoCredentials:
		fix = []trace.Step{
			{Who: trace.Developer, Step: fmt.Sprintf("Make the cross-origin call with credentials (fetch(..., {credentials: 'include'}) or xhr.withCredentials = true) so the browser stores %s.", n)},
			{Who: trace.Developer, Step: "On the API, answer with Access-Control-Allow-Credentials: true and the caller's exact origin in Access-Control-Allow-Origin (not *)."},
		}
	default:
		fix = []trace.Step{
			{Who: trace.Developer, Step: fmt.Sprintf("Send %s as a valid name=value Set-Cookie header.", n)},
		}
	}
	return append(fix,
		trace.Step{Who: trace.Developer, Step: fmt.Sprintf("Check it worked: sign in again and look at the next request to %s — its Cookie header should now carry %s.", rej.Domain, n)},
		trace.Step{Who: trace.User, Step: fmt.Sprintf("Nothing to clear on your side. Send the site's developer this: \"The browser refuses the cookie %s: %s.\"", n, rej.Reason)},
	)
}
