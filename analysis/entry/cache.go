package entry

import (
	"regexp"
	"strconv"
	"strings"

	"authlens/har"
)

var maxAgePattern = regexp.MustCompile(`(?i)(?:^|[,\s])(?:s-maxage|max-age)\s*=\s*"?(\d+)`)

// ExplicitFreshness returns the response's explicit freshness (RFC 9111
// §4.2.1): max-age/s-maxage > 0, public, or an Expires after Date. 401
// and 403 are not heuristically cacheable, so without it a cache should
// not have kept them.
func ExplicitFreshness(e *har.Entry) (string, bool) {
	cc := strings.Join(har.HeaderValues(e.Response.Headers, "Cache-Control"), ", ")
	lc := strings.ToLower(cc)
	if strings.Contains(lc, "no-store") {
		return "", false
	}
	if m := maxAgePattern.FindStringSubmatch(cc); m != nil {
		if n, _ := strconv.Atoi(m[1]); n > 0 {
			return "Cache-Control: " + cc, true
		}
	}
	if strings.Contains(lc, "public") {
		return "Cache-Control: " + cc, true
	}
	if v, ok := har.HeaderValue(e.Response.Headers, "Expires"); ok {
		exp, err1 := HTTPDate(v)
		d, ok2 := har.HeaderValue(e.Response.Headers, "Date")
		if err1 == nil && ok2 {
			if date, err := HTTPDate(d); err == nil && exp.After(date) {
				return "Expires: " + v, true
			}
		}
	}
	return "", false
}

// SharedCacheHit returns the header that says a shared cache (CDN, proxy)
// answered from its store.
func SharedCacheHit(e *har.Entry) (name, value string, ok bool) {
	h := e.Response.Headers
	for _, n := range []string{"X-Cache", "CF-Cache-Status", "X-Cache-Status", "X-Proxy-Cache", "X-Drupal-Cache", "X-Varnish-Cache", "Cache-Status"} {
		for _, v := range har.HeaderValues(h, n) {
			lv := strings.ToLower(v)
			if strings.Contains(lv, "hit") && !strings.Contains(lv, "miss") || strings.Contains(lv, "; hit") {
				return n, v, true
			}
		}
	}
	if v, ok := har.HeaderValue(h, "Age"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
			return "Age", v, true
		}
	}
	return "", "", false
}

// ProvisionalHeadersOnly reports a request that carries only the headers
// Chromium shows before the network stack adds its own (User-Agent,
// sec-ch-ua*, Upgrade-Insecure-Requests, Referer): what a CDP recorder
// writes for a request the cache answered.
func ProvisionalHeadersOnly(e *har.Entry) bool {
	if len(e.Request.Headers) == 0 {
		return false
	}
	for _, h := range e.Request.Headers {
		n := strings.ToLower(h.Name)
		switch {
		case n == "accept-encoding", n == "cookie", n == "host", n == ":authority", n == "connection", strings.HasPrefix(n, "sec-fetch-"):
			return false
		}
	}
	return true
}
