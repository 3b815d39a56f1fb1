package entry

import (
	"net/url"
	"regexp"

	"authlens/analysis/trace/jar"
	"authlens/har"
)

// What a request carried of the anti-forgery (CSRF) pair: the cookie and
// the token header or field that must match it. The csrf-failure rule
// judges it; a refusal of a state-changing request is read against it.

// CSRFHeaders are request headers that carry an anti-forgery token.
var CSRFHeaders = []string{"X-CSRFToken", "X-CSRF-Token", "X-XSRF-TOKEN", "X-Csrf-Token", "RequestVerificationToken", "CSRF-Token", "XSRF-Token", "X-WP-Nonce", "X-Requested-With"}

// csrfFieldPattern matches the form or JSON fields frameworks read the
// token from.
var csrfFieldPattern = regexp.MustCompile(`(?i)(?:^|[&"{,\s])(?:csrfmiddlewaretoken|_token|authenticity_token|_csrf|__RequestVerificationToken|csrf_token|_wpnonce|form_token|_csrf_token)"?\s*[=:]`)

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
	for _, h := range CSRFHeaders {
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
