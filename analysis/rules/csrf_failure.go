package rules

import (
	"fmt"
	"strings"

	"authlens/analysis"
	"authlens/analysis/signatures"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
	"authlens/har"
)

// CSRFFailure is the `csrf-failure` cause (catalogue §3.3).
var CSRFFailure = &analysis.Rule{
	ID:    "csrf-failure",
	Title: "Anti-forgery (CSRF) check failed",
	Doc:   "A form or API call that changes something was sent without the anti-forgery token the site expects.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Reload the page (it gets a fresh anti-forgery token) and submit the form again.", Browser: true},
		{Who: trace.User, Step: "Allow cookies for this site and turn off privacy extensions that strip the Referer, then retry.", Browser: true},
		{Who: trace.Developer, Step: "Send the token the framework expects (the header or form field it names) with every state-changing request, from the same session as its cookie."},
	},
	Run:     runCSRFFailure,
	RuleOut: ruleOutCSRFFailure,
}

// csrfStatus reports the statuses frameworks answer a failed CSRF check with.
func csrfStatus(st int) bool { return st == 400 || st == 403 || st == 419 || st == 422 }

func runCSRFFailure(p *analysis.Pass) {
	t := p.Trace
	for i, e := range t.Entries {
		if st := e.Response.Status; st < 400 && st > 0 {
			continue
		}
		if m, ok := trace.SignatureFor(t.Signatures(i), "csrf-failure"); ok {
			conf := m.Confidence
			if e.Response.Status == 419 && conf < 0.8 {
				conf = 0.8 // 419 itself is Laravel's CSRF/session-expired status
			}
			p.Report(analysis.Finding{
				Entry: i, Confidence: conf,
				Explanation: csrfExplanation(m),
				Evidence:    append([]trace.Evidence{trace.SignatureEvidence(i, m)}, t.CSRFRequestEvidence(i)...),
				Remedy:      csrfSteps(t, i, m),
			})
			continue
		}
		st := e.Response.Status
		if st == 419 {
			p.Report(analysis.Finding{
				Entry: i, Confidence: 0.8,
				Explanation: "419 is Laravel's \"Page Expired\": the CSRF token or the session behind it expired.",
				Evidence:    append([]trace.Evidence{{Entry: i, Where: har.At(har.PartResponseStatus), Detail: "419 " + e.Response.StatusText}}, t.CSRFRequestEvidence(i)...),
				Remedy:      csrfSteps(t, i, signatures.SignatureMatch{Vendor: "Laravel"}),
			})
			continue
		}
		if t.WordPressNonceMissing(i) {
			p.Report(analysis.Finding{
				Entry: i, Confidence: 0.62,
				Explanation: "The WordPress REST call carried the signed-in cookie but no X-WP-Nonce header: WordPress then treats the request as anonymous (rest_cookie_check_errors), so it answered \"not allowed\".",
				Evidence: []trace.Evidence{{Entry: i, Where: har.RequestHeader("Cookie"), Detail: "wordpress_logged_in_… cookie sent"},
					{Entry: i, Where: har.RequestHeader("X-WP-Nonce"), Detail: "absent"}},
				Remedy: csrfSteps(t, i, signatures.SignatureMatch{Vendor: "WordPress"}),
			})
			continue
		}
		if !csrfStatus(st) || jar.IsSafeMethod(e.Request.Method) {
			continue
		}
		cookie, hasCookie := trace.CSRFCookieSent(e)
		if !hasCookie || trace.CSRFTokenSent(e) {
			continue
		}
		conf := 0.6
		if st == 400 || st == 422 {
			conf = 0.48
		}
		p.Report(analysis.Finding{
			Entry: i, Confidence: conf,
			Explanation: fmt.Sprintf("A %s answered %d. The request carried the anti-forgery cookie %s but no matching token header or form field, which is what a failed CSRF check looks like.", e.Request.Method, st, cookie),
			Evidence:    []trace.Evidence{trace.CSRFCookieEvidence(i, cookie), trace.NoCSRFTokenEvidence(i)},
			Remedy:      csrfSteps(t, i, signatures.SignatureMatch{}),
		})
	}
}

func csrfExplanation(m signatures.SignatureMatch) string {
	s := fmt.Sprintf("%s: %s.", m.Vendor, m.Meaning)
	if m.Reference != "" {
		s += fmt.Sprintf(" %s: \"%s\"", m.RefName, m.Reference)
		switch r := strings.ToLower(m.Reference); {
		case strings.Contains(r, "referer checking failed - no referer"):
			s += " — the browser sent no Referer: a privacy extension or a Referrer-Policy: no-referrer usually strips it."
		case strings.Contains(r, "origin checking failed"), strings.Contains(r, "does not match any trusted origins"):
			s += " — the page's origin is not in the trusted origins (behind a proxy or on another host name)."
		case strings.Contains(r, "cookie not set"):
			s += " — the csrftoken cookie did not come with the request (cookies blocked, or a cross-site request without it)."
		default:
			s += "."
		}
	}
	return s
}

func csrfSteps(t *trace.Trace, i int, m signatures.SignatureMatch) []trace.Step {
	e := t.Entries[i]
	steps := []trace.Step{{Who: trace.User, Step: fmt.Sprintf("Reload the page that holds the form (it gets a fresh token), then submit again; %s should no longer be refused.", trace.RequestLabel(e)), Browser: true}}
	ref := strings.ToLower(m.Reference)
	switch {
	case strings.Contains(ref, "referer"):
		steps = append(steps,
			trace.Step{Who: trace.User, Step: "Turn off privacy extensions that remove the Referer header for this site (or try a private window), then retry.", Browser: true},
			trace.Step{Who: trace.Developer, Step: "Do not send Referrer-Policy: no-referrer on the site's pages (same-origin or strict-origin-when-cross-origin keeps Django's check working)."})
	case strings.Contains(ref, "origin checking failed"), strings.Contains(ref, "trusted origins"):
		steps = append(steps, trace.Step{Who: trace.Developer, Step: "Add the site's public origin (scheme://host[:port]) to CSRF_TRUSTED_ORIGINS, and behind a proxy set SECURE_PROXY_SSL_HEADER / USE_X_FORWARDED_HOST so Django sees the public scheme and host."})
	case strings.Contains(ref, "cookie not set"):
		steps = append(steps, trace.Step{Who: trace.User, Step: "Allow cookies for this site, then reload the form and submit again.", Browser: true},
			trace.Step{Who: trace.Developer, Step: "Make sure the page that renders the form sets the csrftoken cookie (use {% csrf_token %} or ensure_csrf_cookie) and that the cookie reaches the POST (SameSite, domain)."})
	}
	var dev string
	switch m.Vendor {
	case "Django", "Django REST framework":
		dev = "Send the csrftoken cookie's value in the X-CSRFToken header (or the csrfmiddlewaretoken form field) with every POST/PUT/PATCH/DELETE."
	case "Ruby on Rails":
		dev = "Send the token from <meta name=\"csrf-token\"> in the X-CSRF-Token header (or authenticity_token field); keep the session cookie stable."
	case "Laravel":
		dev = "Include @csrf in forms, or send the XSRF-TOKEN cookie's value as X-XSRF-TOKEN (axios does it automatically); check SESSION_DOMAIN and the session lifetime."
	case "Spring Security":
		dev = "Send the token in the X-CSRF-TOKEN header (session repository) or X-XSRF-TOKEN (CookieCsrfTokenRepository) or the _csrf parameter; make sure the session still exists."
	case "Express (csurf)":
		dev = "Send the token from req.csrfToken() in the CSRF-Token / X-CSRF-Token header or the _csrf field."
	case "ASP.NET Core", "ASP.NET MVC":
		dev = "Send the antiforgery token in the RequestVerificationToken header or the __RequestVerificationToken form field, together with the .AspNetCore.Antiforgery cookie."
	case "Flask-WTF":
		dev = "Send the token from csrf_token() in the X-CSRFToken header or the csrf_token field; keep the Flask session cookie."
	case "Drupal":
		dev = "Fetch a token from /session/token and send it as X-CSRF-Token with every unsafe REST request."
	case "WordPress":
		dev = "Send the REST nonce (wp_create_nonce('wp_rest'), e.g. wpApiSettings.nonce) in the X-WP-Nonce header with cookie-authenticated REST calls; refresh it after it expires."
	default:
		dev = "Send the anti-forgery token the framework expects (its header or form field) with every state-changing request, taken from the same session as the cookie."
	}
	return append(steps, trace.Step{Who: trace.Developer, Step: dev})
}

// ruleOutCSRFFailure: CSRF checks guard requests that change something;
// a GET, HEAD or OPTIONS is never checked.
func ruleOutCSRFFailure(t *trace.Trace, i int) (string, bool) {
	switch m := strings.ToUpper(t.Entries[i].Request.Method); m {
	case "GET", "HEAD", "OPTIONS":
		return fmt.Sprintf("Not a CSRF check: %s requests are not checked for CSRF tokens.", m), true
	}
	return "", false
}
