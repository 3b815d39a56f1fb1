package jar

import "regexp"

// What a cookie's name says about it: a session, a tracker or load
// balancer, or an anti-forgery token.
var (
	sessionNamePattern  = regexp.MustCompile(`(?i)sess|^sid$|_sid$|^sid_|auth|token|jwt|login|logged_in|identity|remember|^user|^wordpress_(?:sec|logged_in)|^wp-settings|\.aspnetcore\.cookies|aspxauth|^_.*_session$`)
	trackingNamePattern = regexp.MustCompile(`(?i)^(?:_ga|_gid|_gat|_gcl|_fbp|_fbc|_hj|__utm|_uet|_clck|_clsk|ajs_|mp_|amplitude|optimizely|__cf_bm|_cfuvid|cf_clearance|__cflb|awsalb|awselb|bigipserver|ts[0-9a-f]{6,8}$|incap_ses|visid_incap|nlbi_|_abck|bm_sz|ak_bmsc|bm_sv|_px|nid$|1p_jar|consent|cookieconsent|osano|euconsent|ot|optanon)`)
	csrfNamePattern     = regexp.MustCompile(`(?i)^(?:csrftoken|csrf_token|csrf|_csrf|xsrf-token|x-xsrf-token|csrf-token|_xsrf|__requestverificationtoken.*|\.aspnetcore\.antiforgery\..*)$`)
)

// IsCSRF reports whether a cookie name is a framework's anti-forgery
// token cookie.
func IsCSRF(name string) bool { return csrfNamePattern.MatchString(name) }

// IsTracking reports whether a cookie name is a known analytics, consent
// or load-balancer cookie, which no sign-in depends on.
func IsTracking(name string) bool { return trackingNamePattern.MatchString(name) }

// CookieLooksLikeSession reports cookie names that usually carry a
// sign-in session (not analytics, load balancing or CSRF).
func CookieLooksLikeSession(name string) bool {
	if trackingNamePattern.MatchString(name) || csrfNamePattern.MatchString(name) {
		return false
	}
	return sessionNamePattern.MatchString(name)
}

// CookieMatters reports whether losing the cookie can plausibly cause an
// auth failure: a session-like name, or an HttpOnly cookie that is not a
// known tracking or load-balancer cookie.
func CookieMatters(ev CookieEvent) bool {
	if trackingNamePattern.MatchString(ev.Name) {
		return false
	}
	return CookieLooksLikeSession(ev.Name) || (ev.HTTPOnly && !csrfNamePattern.MatchString(ev.Name))
}
