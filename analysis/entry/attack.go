package entry

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"authlens/analysis/internal/excerpt"
	"authlens/analysis/signatures"
	"authlens/analysis/trace/jar"
	"authlens/har"
	"authlens/redact"
)

// WordPressRequest reports a request to a WordPress site.
func WordPressRequest(e *har.Entry) bool {
	u := jar.RequestURL(e)
	p := strings.ToLower(u.Path)
	if strings.Contains(p, "/wp-admin") || strings.Contains(p, "/wp-login.php") || strings.Contains(p, "/wp-json/") ||
		strings.Contains(p, "/xmlrpc.php") || u.Query().Has("rest_route") {
		return true
	}
	for _, v := range jar.RequestCookieHeaders(e) {
		if strings.Contains(strings.ToLower(v), "wordpress_") {
			return true
		}
	}
	if v, ok := har.HeaderValue(e.Response.Headers, "Link"); ok && strings.Contains(v, "api.w.org") {
		return true
	}
	return false
}

// attackPattern matches request text that firewall rule sets (OWASP CRS,
// cloud WAF managed rules) block: script tags, SQL injection, traversal.
var attackPattern = regexp.MustCompile(`(?i)<\s*script|javascript:|on(?:error|load)\s*=|'\s*or\s*'?\d*'?\s*=\s*'?\d*|\bunion(?:\s|\+|/\*.*?\*/)+(?:all(?:\s|\+)+)?select\b|\bselect\b.+\bfrom\b.+\bwhere\b|(?:\.\./){2,}|\.\.%2f|/etc/passwd|\bsleep\(\s*\d+\s*\)|\$\{jndi:|<\?php|\bcmd\.exe\b|;\s*(?:cat|ls|wget|curl)\s`)

// AttackLookingPart returns the part of the request (decoded URL, body,
// a cookie or another header) that looks like an attack to a firewall,
// "" when none, with the place the text was found, as an evidence location (the URL, the Cookie header).
// Firewall rule sets (OWASP CRS REQUEST_COOKIES, REQUEST_HEADERS) inspect
// cookies and headers as they inspect the URL and body.
func AttackLookingPart(e *har.Entry) (where har.Location, quote string) {
	raw := e.Request.URL
	if dec, err := url.QueryUnescape(raw); err == nil {
		raw = dec
	}
	if loc := attackPattern.FindStringIndex(raw); loc != nil {
		return har.At(har.PartRequestURL), "request URL: " + RequestExcerpt(raw, loc[0], loc[1])
	}
	if pd := e.Request.PostData; pd != nil {
		body := pd.Text
		if dec, err := url.QueryUnescape(body); err == nil {
			body = dec
		}
		if len(body) > 64<<10 {
			body = body[:64<<10]
		}
		if loc := attackPattern.FindStringIndex(body); loc != nil {
			return har.At(har.PartRequestBody), "request body: " + RequestExcerpt(body, loc[0], loc[1])
		}
	}
	// Cookies one by one, so the excerpt quotes only the offending cookie
	// and never the session cookie sent beside it.
	for _, v := range jar.RequestCookieHeaders(e) {
		for _, c := range jar.ParseCookieHeader(v) {
			val := c.Value
			if dec, err := url.QueryUnescape(val); err == nil {
				val = dec
			}
			if len(val) > 8<<10 {
				val = val[:8<<10]
			}
			if loc := attackPattern.FindStringIndex(val); loc != nil {
				return har.RequestHeader("Cookie"), fmt.Sprintf("cookie %s: %s", excerpt.Clip(c.Name, 60), RequestExcerpt(val, loc[0], loc[1]))
			}
		}
	}
	for _, h := range e.Request.Headers {
		if !attackInspectedHeader(h.Name) {
			continue
		}
		val := h.Value
		if len(val) > 8<<10 {
			val = val[:8<<10]
		}
		if loc := attackPattern.FindStringIndex(val); loc != nil {
			return har.RequestHeader(h.Name), fmt.Sprintf("header %s: %s", excerpt.Clip(h.Name, 60), RequestExcerpt(val, loc[0], loc[1]))
		}
	}
	return har.Location{}, ""
}

// attackInspectedHeader reports the request headers read for attack text:
// not the cookie (read above), credentials (opaque tokens), HTTP/2
// pseudo-headers (the URL again), nor Referer and Origin, which repeat an
// Earlier page's address and would blame this request for that one.
func attackInspectedHeader(name string) bool {
	if strings.HasPrefix(name, ":") {
		return false
	}
	switch strings.ToLower(name) {
	case "cookie", "authorization", "proxy-authorization", "referer", "origin", "host":
		return false
	}
	return true
}

// RequestExcerpt quotes request text around a match as sent (tags kept:
// they are the point), secrets masked.
func RequestExcerpt(text string, start, end int) string {
	win, cutBefore := excerpt.Around(text, start, end, 60, 60)
	s := strings.TrimSpace(signatures.SpacePattern.ReplaceAllString(win, " "))
	if cutBefore {
		s = "…" + s
	}
	return redact.Text(excerpt.Clip(s, 200))
}
