package trace

import (
	"fmt"
	"strings"

	"authlens/analysis/internal/excerpt"
	"authlens/har"
)

// IsPreflight reports a CORS preflight request.
func IsPreflight(e *har.Entry) bool {
	if !strings.EqualFold(e.Request.Method, "OPTIONS") {
		return false
	}
	_, ok := har.HeaderValue(e.Request.Headers, "Access-Control-Request-Method")
	return ok
}

// CORSFailure describes a cross-origin request that the browser blocked
// before any answer reached the page (status 0/-1, net::ERR_FAILED or a
// CORS text), and why it needed a preflight.
type CORSFailure struct {
	Origin     string
	NonSimple  []string // what made it need a preflight (Authorization, X-*, JSON, method)
	Preflight  int      // a recorded preflight for it, -1 when none
	FailedText string
}

// CORSSafelisted are request headers a page may set without a preflight,
// plus those the browser itself adds.
var CORSSafelisted = map[string]bool{
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
		if strings.HasPrefix(n, ":") || strings.HasPrefix(n, "sec-") || CORSSafelisted[n] {
			if n == "content-type" {
				ct := strings.ToLower(h.Value)
				if !strings.HasPrefix(ct, "application/x-www-form-urlencoded") && !strings.HasPrefix(ct, "multipart/form-data") && !strings.HasPrefix(ct, "text/plain") {
					out = append(out, "Content-Type: "+excerpt.Clip(h.Value, 40))
				}
			}
			continue
		}
		out = append(out, h.Name)
	}
	return out
}

// CORSFailureOf returns the reading of entry i when it is a blocked
// cross-origin request.
func (t *Trace) CORSFailureOf(i int) (CORSFailure, bool) {
	e := t.Entries[i]
	if e.Response.Status > 0 || IsPreflight(e) {
		return CORSFailure{}, false
	}
	reason := e.FailureReason()
	lr := strings.ToLower(reason)
	if reason != "" && !strings.Contains(lr, "err_failed") && !strings.Contains(lr, "cors") && !strings.Contains(lr, "access control") && !strings.Contains(lr, "cross-origin") {
		return CORSFailure{}, false // another failure (DNS, TLS, aborted)
	}
	origin, _ := har.HeaderValue(e.Request.Headers, "Origin")
	sc := t.SiteContext(i)
	if sc.FetchMode == "no-cors" || sc.FetchMode == "navigate" || sc.FetchMode == "websocket" {
		return CORSFailure{}, false // CORS does not apply to these requests
	}
	if origin == "" || origin == "null" {
		if !sc.CrossOrigin || sc.Initiator == "" {
			return CORSFailure{}, false
		}
		origin = har.OriginOf(sc.Initiator)
	}
	if har.OriginOf(origin) == t.Origin(i) {
		return CORSFailure{}, false
	}
	if sc.Navigation {
		return CORSFailure{}, false
	}
	cf := CORSFailure{Origin: origin, NonSimple: nonSimpleParts(e), Preflight: -1, FailedText: reason}
	cf.Preflight = t.preflightFor(i)
	return cf, true
}

// preflightFor finds the recorded preflight for entry i: an OPTIONS with
// Access-Control-Request-Method to the same URL just before it.
func (t *Trace) preflightFor(i int) int {
	e := t.Entries[i]
	best := -1
	for _, j := range t.SameOrigin(t.Origin(i)) {
		ej := t.Entries[j]
		if j == i || !IsPreflight(ej) || NormalizedURL(ej.Request.URL) != NormalizedURL(e.Request.URL) {
			continue
		}
		if ej.StartedDateTime.After(e.StartedDateTime) || e.StartedDateTime.Sub(ej.StartedDateTime).Seconds() > 60 {
			continue
		}
		best = j
	}
	return best
}

// RequestAfterPreflight finds the real request a preflight was for.
func (t *Trace) RequestAfterPreflight(j int) int {
	pf := t.Entries[j]
	for _, i := range t.SameOrigin(t.Origin(j)) {
		e := t.Entries[i]
		if i == j || IsPreflight(e) || NormalizedURL(e.Request.URL) != NormalizedURL(pf.Request.URL) || e.StartedDateTime.Before(pf.StartedDateTime) {
			continue
		}
		if e.StartedDateTime.Sub(pf.StartedDateTime).Seconds() > 60 {
			break
		}
		return i
	}
	return -1
}

// CORSUnrecordedExplanation is shared by both CORS causes when the HAR
// holds no preflight (Playwright and some exports do not record them).
func CORSUnrecordedExplanation(cf CORSFailure, cause string) string {
	lead := "The server may have demanded authentication on the preflight (an OPTIONS never carries credentials)."
	if cause == "cors-misconfigured" {
		lead = "The server's CORS headers may not allow this call (Authorization must be named explicitly in Access-Control-Allow-Headers; a credentialed call needs the exact origin and Access-Control-Allow-Credentials: true)."
	}
	return fmt.Sprintf("The browser blocked this cross-origin call from %s before any answer reached the page (%s). It needed a CORS preflight because of %s, and this trace does not record preflights. %s Which of the two it was cannot be told from this file: the browser console's CORS message or a capture through AuthLens (which records preflights) tells them apart — a preflight answered 401/403 means authentication on OPTIONS; a 2xx preflight with missing or wrong Access-Control-Allow-* headers means CORS configuration.",
		cf.Origin, OrDefault(cf.FailedText, "no status"), strings.Join(cf.NonSimple, ", "), lead)
}

func CORSFailureEvidence(i int, e *har.Entry, cf CORSFailure) []Evidence {
	ev := []Evidence{{Entry: i, Where: har.At(har.PartResponseStatus), Detail: fmt.Sprintf("status %d, %s", e.Response.Status, OrDefault(cf.FailedText, "no failure text"))},
		{Entry: i, Where: har.RequestHeader("Origin"), Detail: "Origin: " + cf.Origin}}
	if v, ok := har.HeaderValue(e.Request.Headers, "Authorization"); ok {
		ev = append(ev, Evidence{Entry: i, Where: har.RequestHeader("Authorization"), Detail: "Authorization sent (" + MaskAuthValue(v) + ")"})
	}
	return ev
}

// MaskAuthValue shows only the scheme and length of an Authorization value.
func MaskAuthValue(v string) string {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(v), " ")
	if rest == "" {
		return fmt.Sprintf("%d chars", len(v))
	}
	return fmt.Sprintf("%s …(%d chars)", scheme, len(rest))
}

func CORSAskStep(e *har.Entry, cf CORSFailure) Step {
	return Step{Who: User, Step: fmt.Sprintf("Send the developer the browser console's message for %s (it names the CORS problem), or record the failure through AuthLens so the preflight is captured.", RequestLabel(e))}
}

// CORSHeaderProblems checks a response's CORS headers against what the
// request needs (catalogue §3.4 signals). requested are the header names
// the preflight asked for.
func CORSHeaderProblems(resp *har.Entry, origin string, credentialed bool, requested []string) []string {
	h := resp.Response.Headers
	var out []string
	acao, hasACAO := har.HeaderValue(h, "Access-Control-Allow-Origin")
	acao = strings.TrimSpace(acao)
	switch {
	case !hasACAO:
		out = append(out, "no Access-Control-Allow-Origin header")
	case acao == "*" && credentialed:
		out = append(out, "Access-Control-Allow-Origin: * on a call made with credentials (it must name the origin)")
	case acao != "*" && !strings.EqualFold(strings.TrimRight(acao, "/"), strings.TrimRight(origin, "/")):
		out = append(out, fmt.Sprintf("Access-Control-Allow-Origin: %s, but the caller is %s", acao, origin))
	}
	if credentialed {
		if v, _ := har.HeaderValue(h, "Access-Control-Allow-Credentials"); !strings.EqualFold(strings.TrimSpace(v), "true") {
			out = append(out, "no Access-Control-Allow-Credentials: true on a call made with credentials")
		}
	}
	if len(requested) > 0 {
		allowed := map[string]bool{}
		star := false
		for _, v := range har.HeaderValues(h, "Access-Control-Allow-Headers") {
			for _, n := range strings.Split(v, ",") {
				n = strings.ToLower(strings.TrimSpace(n))
				if n == "*" {
					star = true
				}
				allowed[n] = true
			}
		}
		for _, r := range requested {
			r = strings.ToLower(strings.TrimSpace(r))
			if r == "" || allowed[r] || CORSSafelisted[r] && r != "content-type" {
				continue
			}
			if star && !credentialed && r != "authorization" {
				continue
			}
			if r == "authorization" && star {
				out = append(out, "Access-Control-Allow-Headers: * does not cover Authorization (it must be named)")
				continue
			}
			out = append(out, fmt.Sprintf("Access-Control-Allow-Headers does not list %s", r))
		}
	}
	return out
}

// WildcardWithoutCredentials reports a response allowing any origin (*)
// and not allowing credentials.
func WildcardWithoutCredentials(e *har.Entry) bool {
	acao, _ := har.HeaderValue(e.Response.Headers, "Access-Control-Allow-Origin")
	acac, _ := har.HeaderValue(e.Response.Headers, "Access-Control-Allow-Credentials")
	return strings.TrimSpace(acao) == "*" && !strings.EqualFold(strings.TrimSpace(acac), "true")
}

// NotCrossOrigin says, with the evidence, when CORS cannot be what refused
// entry i: CORS binds only a browser, and only its calls to another origin.
func NotCrossOrigin(t *Trace, i int) (why string, ok bool) {
	e := t.Entries[i]
	if c := ClientOf(e); !c.Browser && c.Name != "" {
		return fmt.Sprintf("Not CORS: the request came from %s, not a browser; CORS rules bind only browsers.", c.Name), true
	}
	origin, sent := har.HeaderValue(e.Request.Headers, "Origin")
	if IsPreflight(e) || sent && !strings.EqualFold(strings.TrimSpace(origin), t.Origin(i)) {
		return "", false
	}
	if !sent && ClientOf(e).Browser {
		return "Not CORS: the request carried no Origin header, so the browser did not treat it as a cross-origin call.", true
	}
	if sent {
		return "Not CORS: the request's Origin is the site's own origin.", true
	}
	return "", false
}
