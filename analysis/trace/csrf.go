package trace

import (
	"net/url"
	"regexp"
	"strings"

	"authlens/analysis/trace/jar"
	"authlens/har"
)

// What a request carried of the anti-forgery (CSRF) pair: the cookie, the
// token header or field that must match it, and WordPress's REST nonce.
// The csrf-failure rule judges it; a refusal of a state-changing request
// is read against it.

// csrfHeaders are request headers that carry an anti-forgery token.
var csrfHeaders = []string{"X-CSRFToken", "X-CSRF-Token", "X-XSRF-TOKEN", "X-Csrf-Token", "RequestVerificationToken", "CSRF-Token", "XSRF-Token", "X-WP-Nonce", "X-Requested-With"}

// csrfFieldPattern matches the form or JSON fields frameworks read the
// token from.
var csrfFieldPattern = regexp.MustCompile(`(?i)(?:^|[&"{,\s])(?:csrfmiddlewaretoken|_token|authenticity_token|_csrf|__RequestVerificationToken|csrf_token|_wpnonce|form_token|_csrf_token)"?\s*[=:]`)

// wpRestRefusalCode matches WordPress REST refusals of an anonymous call.
var wpRestRefusalCode = regexp.MustCompile(`"code"\s*:\s*"(?:rest_forbidden|rest_cannot_[a-z_]+|rest_not_logged_in)"`)

// CSRFCookieSent returns the name of the anti-forgery cookie request e
// carried, if any.
func CSRFCookieSent(e *har.Entry) (string, bool) {
	for _, v := range jar.RequestCookieHeaders(e) {
		for _, c := range jar.ParseCookieHeader(v) {
			if jar.IsCSRF(c.Name) {
				return c.Name, true
			}
		}
	}
	return "", false
}

// CSRFTokenSent reports whether request e carried an anti-forgery token
// in a header, a form field or the query (X-Requested-With alone is no
// token).
func CSRFTokenSent(e *har.Entry) bool {
	for _, h := range csrfHeaders {
		if h == "X-Requested-With" {
			continue
		}
		if v, ok := har.HeaderValue(e.Request.Headers, h); ok && v != "" {
			return true
		}
	}
	if pd := e.Request.PostData; pd != nil {
		for _, prm := range pd.Params {
			if csrfFieldPattern.MatchString(prm.Name + "=") {
				return true
			}
		}
		if csrfFieldPattern.MatchString(pd.Text) {
			return true
		}
	}
	if u, err := url.Parse(e.Request.URL); err == nil && csrfFieldPattern.MatchString("&"+u.RawQuery) {
		return true
	}
	return false
}

// WordPressNonceMissing reports a WordPress REST call with the logged-in cookie
// but no nonce, answered as if anonymous (signatures.md §2).
func (t *Trace) WordPressNonceMissing(i int) bool {
	e := t.Entries[i]
	if e.Response.Status != 401 && e.Response.Status != 403 {
		return false
	}
	u := jar.RequestURL(e)
	if !strings.Contains(u.Path, "/wp-json/") && !u.Query().Has("rest_route") {
		return false
	}
	logged := false
	for _, v := range jar.RequestCookieHeaders(e) {
		if strings.Contains(v, "wordpress_logged_in_") {
			logged = true
		}
	}
	if !logged {
		return false
	}
	if v, ok := har.HeaderValue(e.Request.Headers, "X-WP-Nonce"); ok && v != "" {
		return false
	}
	if u.Query().Has("_wpnonce") {
		return false
	}
	return wpRestRefusalCode.MatchString(t.Body(i))
}

// CSRFRequestEvidence notes what the request carried of the CSRF pair.
func (t *Trace) CSRFRequestEvidence(i int) []Evidence {
	e := t.Entries[i]
	var ev []Evidence
	if c, ok := CSRFCookieSent(e); ok {
		ev = append(ev, CSRFCookieEvidence(i, c))
	} else if len(jar.RequestCookieHeaders(e)) == 0 && t.Cookies().Recorded() && !t.Sanitized().Sanitized {
		ev = append(ev, Evidence{Entry: i, Where: har.RequestHeader("Cookie"), Detail: "the request carried no cookies at all"})
	}
	if CSRFTokenSent(e) {
		ev = append(ev, Evidence{Entry: i, Where: har.At(har.PartRequest), Detail: "an anti-forgery token header or field was sent (its value did not match)"})
	}
	if o, ok := har.HeaderValue(e.Request.Headers, "Origin"); ok {
		ev = append(ev, Evidence{Entry: i, Where: har.RequestHeader("Origin"), Detail: "Origin: " + o})
	}
	return ev
}

// CSRFCookieEvidence is the evidence row for the anti-forgery cookie a
// request carried.
func CSRFCookieEvidence(i int, name string) Evidence {
	return Evidence{Entry: i, Where: har.RequestHeader("Cookie"), Detail: "anti-forgery cookie sent: " + name}
}

// NoCSRFTokenEvidence is the evidence row for a request that carried no
// anti-forgery token, naming the usual token headers.
func NoCSRFTokenEvidence(i int) Evidence {
	return Evidence{Entry: i, Where: har.At(har.PartRequestHeaders), Detail: "no " + strings.Join(csrfHeaders[:6], " / ") + " header, no token field in the body"}
}
