package analysis

import (
	"fmt"
	"strings"

	"authlens/har"
)

// CORSPreflightAuth is the `cors-preflight-auth` cause (catalogue §3.4).
var CORSPreflightAuth = &Rule{
	ID:    "cors-preflight-auth",
	Title: "The CORS preflight was asked to authenticate",
	Doc:   "The server demands authentication on the CORS preflight (OPTIONS), which never carries credentials, so the real request is never sent.",
	Remedy: []Step{
		{Admin, "Answer OPTIONS preflight requests before authentication: no login, status 204/200, with the Access-Control-Allow-* headers."},
		{Developer, "Exclude OPTIONS from the authentication filter or middleware (e.g. permit OPTIONS in Spring Security, handle CORS before auth in Express/ASP.NET)."},
	},
	Run: runCORSPreflightAuth,
}

// isPreflight reports a CORS preflight request.
func isPreflight(e *har.Entry) bool {
	if !strings.EqualFold(e.Request.Method, "OPTIONS") {
		return false
	}
	_, ok := har.HeaderValue(e.Request.Headers, "Access-Control-Request-Method")
	return ok
}

// corsFailure describes a cross-origin request that the browser blocked
// before any answer reached the page (status 0/-1, net::ERR_FAILED or a
// CORS text), and why it needed a preflight.
type corsFailure struct {
	origin     string
	nonSimple  []string // what made it need a preflight (Authorization, X-*, JSON, method)
	preflight  int      // a recorded preflight for it, -1 when none
	failedText string
}

// corsSafelisted are request headers a page may set without a preflight,
// plus those the browser itself adds.
var corsSafelisted = map[string]bool{
	"accept": true, "accept-language": true, "content-language": true, "content-type": true, "range": true,
	"origin": true, "referer": true, "user-agent": true, "cookie": true, "host": true, "connection": true,
	"accept-encoding": true, "cache-control": true, "pragma": true, "dnt": true, "priority": true, "content-length": true,
}

func nonSimpleParts(e *har.Entry) []string {
	var out []string
	switch strings.ToUpper(e.Request.Method) {
	case "GET", "HEAD", "POST":
	default:
		out = append(out, "method "+e.Request.Method)
	}
	for _, h := range e.Request.Headers {
		n := strings.ToLower(h.Name)
		if strings.HasPrefix(n, ":") || strings.HasPrefix(n, "sec-") || corsSafelisted[n] {
			if n == "content-type" {
				ct := strings.ToLower(h.Value)
				if !strings.HasPrefix(ct, "application/x-www-form-urlencoded") && !strings.HasPrefix(ct, "multipart/form-data") && !strings.HasPrefix(ct, "text/plain") {
					out = append(out, "Content-Type: "+clip(h.Value, 40))
				}
			}
			continue
		}
		out = append(out, h.Name)
	}
	return out
}

// corsFailureOf returns the reading of entry i when it is a blocked
// cross-origin request.
func (t *Trace) corsFailureOf(i int) (corsFailure, bool) {
	e := t.Entries[i]
	if e.Response.Status > 0 || isPreflight(e) {
		return corsFailure{}, false
	}
	reason := e.FailureReason()
	lr := strings.ToLower(reason)
	if reason != "" && !strings.Contains(lr, "err_failed") && !strings.Contains(lr, "cors") && !strings.Contains(lr, "access control") && !strings.Contains(lr, "cross-origin") {
		return corsFailure{}, false // another failure (DNS, TLS, aborted)
	}
	origin, _ := har.HeaderValue(e.Request.Headers, "Origin")
	sc := t.SiteContext(i)
	if sc.FetchMode == "no-cors" || sc.FetchMode == "navigate" || sc.FetchMode == "websocket" {
		return corsFailure{}, false // CORS does not apply to these requests
	}
	if origin == "" || origin == "null" {
		if !sc.CrossOrigin || sc.Initiator == "" {
			return corsFailure{}, false
		}
		origin = originOf(sc.Initiator)
	}
	if originOf(origin) == t.Origin(i) {
		return corsFailure{}, false
	}
	if sc.Navigation {
		return corsFailure{}, false
	}
	cf := corsFailure{origin: origin, nonSimple: nonSimpleParts(e), preflight: -1, failedText: reason}
	cf.preflight = t.preflightFor(i)
	return cf, true
}

// preflightFor finds the recorded preflight for entry i: an OPTIONS with
// Access-Control-Request-Method to the same URL just before it.
func (t *Trace) preflightFor(i int) int {
	e := t.Entries[i]
	best := -1
	for _, j := range t.SameOrigin(t.Origin(i)) {
		ej := t.Entries[j]
		if j == i || !isPreflight(ej) || normURL(ej.Request.URL) != normURL(e.Request.URL) {
			continue
		}
		if ej.StartedDateTime.After(e.StartedDateTime) || e.StartedDateTime.Sub(ej.StartedDateTime).Seconds() > 60 {
			continue
		}
		best = j
	}
	return best
}

// requestAfterPreflight finds the real request a preflight was for.
func (t *Trace) requestAfterPreflight(j int) int {
	pf := t.Entries[j]
	for _, i := range t.SameOrigin(t.Origin(j)) {
		e := t.Entries[i]
		if i == j || isPreflight(e) || normURL(e.Request.URL) != normURL(pf.Request.URL) || e.StartedDateTime.Before(pf.StartedDateTime) {
			continue
		}
		if e.StartedDateTime.Sub(pf.StartedDateTime).Seconds() > 60 {
			break
		}
		return i
	}
	return -1
}

func runCORSPreflightAuth(p *Pass) {
	t := p.Trace
	for j, pf := range t.Entries {
		if !isPreflight(pf) {
			continue
		}
		st := pf.Response.Status
		if !(st == 401 || st == 403 || st == 407 || st >= 300 && st < 400) {
			continue
		}
		ev := Evidence{Entry: j, Where: "response.status", Detail: fmt.Sprintf("OPTIONS preflight answered %d %s", st, pf.Response.StatusText)}
		if v, ok := har.HeaderValue(pf.Response.Headers, "WWW-Authenticate"); ok {
			ev = responseHeaderEvidence(j, "WWW-Authenticate", v)
		}
		expl := fmt.Sprintf("The browser's CORS preflight (OPTIONS, which never carries credentials) was answered %d, so the browser never sent the real request.", st)
		p.Report(Finding{Entry: j, Confidence: 0.9, Explanation: expl, Evidence: []Evidence{ev}, Remedy: preflightAuthSteps(pf)})
		if i := t.requestAfterPreflight(j); i >= 0 && t.Entries[i].Response.Status <= 0 {
			p.Report(Finding{Entry: i, Confidence: 0.88, Explanation: expl, Evidence: []Evidence{ev}, Remedy: preflightAuthSteps(pf)})
		}
	}
	for i, e := range t.Entries {
		cf, ok := t.corsFailureOf(i)
		if !ok || cf.preflight >= 0 || len(cf.nonSimple) == 0 {
			continue
		}
		p.Report(Finding{
			Entry: i, Confidence: 0.5,
			Explanation: corsUnrecordedExplanation(cf, "cors-preflight-auth"),
			Evidence:    corsFailureEvidence(i, e, cf),
			Remedy:      append(preflightAuthSteps(e), corsAskStep(e, cf)),
		})
	}
}

// corsUnrecordedExplanation is shared by both CORS causes when the HAR
// holds no preflight (Playwright and some exports do not record them).
func corsUnrecordedExplanation(cf corsFailure, cause string) string {
	lead := "The server may have demanded authentication on the preflight (an OPTIONS never carries credentials)."
	if cause == "cors-misconfigured" {
		lead = "The server's CORS headers may not allow this call (Authorization must be named explicitly in Access-Control-Allow-Headers; a credentialed call needs the exact origin and Access-Control-Allow-Credentials: true)."
	}
	return fmt.Sprintf("The browser blocked this cross-origin call from %s before any answer reached the page (%s). It needed a CORS preflight because of %s, and this trace does not record preflights. %s Which of the two it was cannot be told from this file: the browser console's CORS message or a capture through AuthLens (which records preflights) tells them apart — a preflight answered 401/403 means authentication on OPTIONS; a 2xx preflight with missing or wrong Access-Control-Allow-* headers means CORS configuration.",
		cf.origin, orDefault(cf.failedText, "no status"), strings.Join(cf.nonSimple, ", "), lead)
}

func corsFailureEvidence(i int, e *har.Entry, cf corsFailure) []Evidence {
	ev := []Evidence{{Entry: i, Where: "response.status", Detail: fmt.Sprintf("status %d, %s", e.Response.Status, orDefault(cf.failedText, "no failure text"))},
		{Entry: i, Where: "request.headers.Origin", Detail: "Origin: " + cf.origin}}
	if v, ok := har.HeaderValue(e.Request.Headers, "Authorization"); ok {
		ev = append(ev, Evidence{Entry: i, Where: "request.headers.Authorization", Detail: "Authorization sent (" + maskAuthValue(v) + ")"})
	}
	return ev
}

// maskAuthValue shows only the scheme and length of an Authorization value.
func maskAuthValue(v string) string {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(v), " ")
	if rest == "" {
		return fmt.Sprintf("%d chars", len(v))
	}
	return fmt.Sprintf("%s …(%d chars)", scheme, len(rest))
}

func corsAskStep(e *har.Entry, cf corsFailure) Step {
	return Step{User, fmt.Sprintf("Send the developer the browser console's message for %s (it names the CORS problem), or record the failure through AuthLens so the preflight is captured.", requestLabel(e))}
}

func preflightAuthSteps(e *har.Entry) []Step {
	host := hostOf(e)
	return []Step{
		{Admin, fmt.Sprintf("On %s, answer OPTIONS preflight requests without authentication (status 204 or 200) with Access-Control-Allow-Origin, -Methods, -Headers (naming Authorization) and -Credentials as needed.", host)},
		{Developer, "Exclude OPTIONS from the authentication filter or middleware (e.g. permit HttpMethod.OPTIONS in Spring Security, register the CORS middleware before auth in Express or ASP.NET Core)."},
		{Developer, fmt.Sprintf("Check it worked: in the browser's network panel, the OPTIONS to %s should answer 204/200 and the real request should follow.", clip(e.Request.URL, 100))},
		{User, fmt.Sprintf("Send the site's developers: \"The browser's CORS preflight (OPTIONS) to %s is refused, so the call never reaches the API.\"", clip(e.Request.URL, 100))},
	}
}
