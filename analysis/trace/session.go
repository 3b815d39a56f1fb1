package trace

import (
	"authlens/analysis/decode"
	"authlens/har"
	"fmt"
	"regexp"
	"strings"
)

// HasCookieHeader reports whether entry i sent any cookie.
func (t *Trace) HasCookieHeader(i int) bool {
	e := t.Entries[i]
	if v, ok := har.HeaderValue(e.Request.Headers, "Cookie"); ok && strings.TrimSpace(v) != "" {
		return true
	}
	return len(e.Request.Cookies) > 0
}

// SecureCookieWithheld finds a session cookie the browser held for entry
// i's host but could not send because it is Secure and entry i is plain
// http:// (not loopback, where browsers treat http as secure). The cookie
// index leaves such cookies out of its "missing" events (they do not
// apply to the address at all), yet they are the reason an old http link
// to a site the user is signed in to goes out without a session. It
// returns the event that stored the cookie.
func (t *Trace) SecureCookieWithheld(i int) (CookieEvent, bool) {
	ci := t.Cookies()
	if !ci.Recorded() || t.Sanitized().Sanitized {
		return CookieEvent{}, false
	}
	e := t.Entries[i]
	u := RequestURL(e)
	host := strings.ToLower(u.Hostname())
	if !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "ws") || isLoopbackHost(host) {
		return CookieEvent{}, false
	}
	sent := map[string]bool{}
	for _, v := range RequestCookieHeaders(e) {
		for _, c := range ParseCookieHeader(v) {
			sent[c.Name] = true
		}
	}
	reqPath := u.EscapedPath()
	if reqPath == "" {
		reqPath = "/"
	}
	for _, name := range ci.Names() {
		if sent[name] {
			continue
		}
		// The last stored state of each (domain, path) of this name
		// before entry i.
		live := map[string]CookieEvent{}
		for _, ev := range ci.Timeline(name) {
			if ev.Entry == i || !t.Entries[ev.Entry].StartedDateTime.Before(e.StartedDateTime) {
				continue
			}
			key := ev.Domain + "\x00" + ev.Path
			switch ev.Kind {
			case CookieEventSet, CookieEventChanged:
				live[key] = ev
			case CookieEventCleared, CookieEventExpired:
				delete(live, key)
			}
		}
		for _, ev := range live {
			if !ev.secure || !CookieMatters(ev) || !PathMatch(reqPath, OrDefault(ev.Path, "/")) {
				continue
			}
			if ev.HostOnly && host != ev.Domain || !ev.HostOnly && !DomainMatch(host, ev.Domain) {
				continue
			}
			return ev, true
		}
	}
	return CookieEvent{}, false
}

// CookieJWTOf returns the first JWT with an exp claim that entry i carried
// in a cookie, and the cookie's name: apps that keep the access token in
// an HttpOnly cookie send it this way instead of in Authorization.
func (t *Trace) CookieJWTOf(i int) (string, *decode.JWT) {
	for _, v := range RequestCookieHeaders(t.Entries[i]) {
		for _, c := range ParseCookieHeader(v) {
			if !decode.LooksLikeJWT(c.value) {
				continue
			}
			if j, err := decode.ParseJWT(c.value); err == nil && j.Expires != nil {
				return c.Name, j
			}
		}
	}
	return "", nil
}

// SessionCookieSent returns the name of a session-like cookie entry i
// carried, "" when none.
func (t *Trace) SessionCookieSent(i int) string {
	for _, v := range RequestCookieHeaders(t.Entries[i]) {
		for _, c := range ParseCookieHeader(v) {
			if c.value != "" && CookieLooksLikeSession(c.Name) {
				return c.Name
			}
		}
	}
	return ""
}

// NotLoggedInText matches bodies that say no credential was received.
var NotLoggedInText = regexp.MustCompile(`(?i)Authentication credentials were not provided|Full authentication is required|not logged in|login required|must be logged in|authentication required|rest_not_logged_in|No authorization token was found|NoAuthenticationInformation|CREDENTIALS_MISSING|Authorization header (is )?(missing|required)|missing (bearer |access )?token`)

// CookieWithheldWhy says, in words, why entry i went out without a session
// cookie the browser held for its address ("" when it did not hold one):
// the cookie index's "missing" events with a browser rule behind them
// (SameSite, credentials mode, Path), or a Secure cookie left off a plain
// http:// request.
func (t *Trace) CookieWithheldWhy(i int) string {
	if ev, ok := t.SecureCookieWithheld(i); ok {
		return fmt.Sprintf("the browser held the Secure session cookie %s (set at entry %d over https) and does not send it over plain http", ev.Name, ev.Entry)
	}
	for _, ev := range t.Cookies().ForEntry(i) {
		if ev.Kind == CookieEventMissing && ev.Miss != MissUnexplained && CookieMatters(ev) {
			return fmt.Sprintf("the browser held the session cookie %s (set at entry %d) and left it off this request (%s)", ev.Name, ev.SetAt, ev.Reason)
		}
	}
	return ""
}

// OriginSessionSent finds a session cookie that request i carried and
// that a Set-Cookie earlier in the trace stored for i's address.
func (t *Trace) OriginSessionSent(i int) (CookieEvent, bool) {
	for _, ev := range t.Cookies().ForEntry(i) {
		if ev.Kind == CookieEventSent && ev.SetAt >= 0 && CookieMatters(ev) {
			return ev, true
		}
	}
	return CookieEvent{}, false
}

// CookieLooksLikeSession reports cookie names that usually carry a
// sign-in session (not analytics, load balancing or CSRF).
func CookieLooksLikeSession(name string) bool {
	if trackingNamePattern.MatchString(name) || CSRFCookiePattern.MatchString(name) {
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
	return CookieLooksLikeSession(ev.Name) || (ev.HTTPOnly && !CSRFCookiePattern.MatchString(ev.Name))
}

// CookieWhere is the evidence text for a cookie's identity.
func CookieWhere(ev CookieEvent) string {
	d := ev.Domain
	if !ev.HostOnly {
		d = "." + d
	}
	if ev.Path != "" {
		d += ev.Path
	}
	return fmt.Sprintf("%s (%s)", ev.Name, d)
}

// SetCookieEvidence is the evidence row for a Set-Cookie event.
func SetCookieEvidence(ev CookieEvent) Evidence {
	d := fmt.Sprintf("Set-Cookie: %s=%s", ev.Name, ev.Value)
	if ev.Attributes != "" {
		d += "; " + ev.Attributes
	}
	if ev.Reason != "" {
		d += " — " + ev.Reason
	}
	return Evidence{Entry: ev.Entry, Where: har.ResponseHeader("Set-Cookie"), Detail: d}
}

// SentCookieEvidence is the evidence row for a cookie a request carried
// (or lacked).
func SentCookieEvidence(ev CookieEvent) Evidence {
	var d string
	if ev.Kind == CookieEventMissing {
		d = fmt.Sprintf("no %s in the Cookie header (the jar held %s=%s, set at entry #%d)", ev.Name, ev.Name, ev.Value, ev.SetAt)
	} else {
		d = fmt.Sprintf("Cookie: %s=%s", ev.Name, ev.Value)
	}
	if ev.Reason != "" {
		d += " — " + ev.Reason
	}
	return Evidence{Entry: ev.Entry, Where: har.RequestHeader("Cookie"), Detail: d}
}
