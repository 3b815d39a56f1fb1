package trace

import (
	"regexp"
	"strings"

	"authlens/analysis/entry"
	"authlens/analysis/trace/jar"
	"authlens/har"
)

// WordPress's REST nonce, and the evidence of what a request carried of
// the anti-forgery (CSRF) pair (package entry reads the cookie and the
// token). The csrf-failure rule judges it.

// wpRestRefusalCode matches WordPress REST refusals of an anonymous call.
var wpRestRefusalCode = regexp.MustCompile(`"code"\s*:\s*"(?:rest_forbidden|rest_cannot_[a-z_]+|rest_not_logged_in)"`)

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
	if c, ok := entry.CSRFCookieSent(e); ok {
		ev = append(ev, CSRFCookieEvidence(i, c))
	} else if len(jar.RequestCookieHeaders(e)) == 0 && t.Cookies().Recorded() && !t.Sanitized().Sanitized {
		ev = append(ev, Evidence{Entry: i, Where: har.RequestHeader("Cookie"), Detail: "the request carried no cookies at all"})
	}
	if entry.CSRFTokenSent(e) {
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
	return Evidence{Entry: i, Where: har.At(har.PartRequestHeaders), Detail: "no " + strings.Join(entry.CSRFHeaders[:6], " / ") + " header, no token field in the body"}
}
