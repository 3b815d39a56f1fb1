package trace

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"authlens/analysis/decode"
	"authlens/analysis/entry"
	"authlens/analysis/trace/jar"
	"authlens/har"
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
func (t *Trace) SecureCookieWithheld(i int) (jar.CookieEvent, bool) {
	ci := t.Cookies()
	if !ci.Recorded() || t.Sanitized().Sanitized {
		return jar.CookieEvent{}, false
	}
	e := t.Entries[i]
	u := jar.RequestURL(e)
	host := strings.ToLower(u.Hostname())
	if !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "ws") || jar.IsLoopbackHost(host) {
		return jar.CookieEvent{}, false
	}
	sent := map[string]bool{}
	for _, v := range jar.RequestCookieHeaders(e) {
		for _, c := range jar.ParseCookieHeader(v) {
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
		live := map[string]jar.CookieEvent{}
		for _, ev := range ci.Timeline(name) {
			if ev.Entry == i || !t.Entries[ev.Entry].StartedDateTime.Before(e.StartedDateTime) {
				continue
			}
			key := ev.Domain + "\x00" + ev.Path
			switch ev.Kind {
			case jar.CookieEventSet, jar.CookieEventChanged:
				live[key] = ev
			case jar.CookieEventCleared, jar.CookieEventExpired:
				delete(live, key)
			}
		}
		for _, ev := range live {
			if !ev.Secure || !jar.CookieMatters(ev) || !jar.PathMatch(reqPath, entry.OrDefault(ev.Path, "/")) {
				continue
			}
			if ev.HostOnly && host != ev.Domain || !ev.HostOnly && !jar.DomainMatch(host, ev.Domain) {
				continue
			}
			return ev, true
		}
	}
	return jar.CookieEvent{}, false
}

// CookieJWTOf returns the first JWT with an exp claim that entry i carried
// in a cookie, and the cookie's name: apps that keep the access token in
// an HttpOnly cookie send it this way instead of in Authorization.
func (t *Trace) CookieJWTOf(i int) (string, *decode.JWT) {
	for _, v := range jar.RequestCookieHeaders(t.Entries[i]) {
		for _, c := range jar.ParseCookieHeader(v) {
			if !decode.LooksLikeJWT(c.Value) {
				continue
			}
			if j, err := decode.ParseJWT(c.Value); err == nil && j.Expires != nil {
				return c.Name, j
			}
		}
	}
	return "", nil
}

// SessionCookieSent returns the name of a session-like cookie entry i
// carried, "" when none.
func (t *Trace) SessionCookieSent(i int) string {
	for _, v := range jar.RequestCookieHeaders(t.Entries[i]) {
		for _, c := range jar.ParseCookieHeader(v) {
			if c.Value != "" && jar.CookieLooksLikeSession(c.Name) {
				return c.Name
			}
		}
	}
	return ""
}

// notLoggedInText matches bodies that say no credential was received.
var notLoggedInText = regexp.MustCompile(`(?i)Authentication credentials were not provided|^\W*(?:\{\s*"detail"\s*:\s*")?not authenticated\b|\b(?:oauth |access |bearer |auth )?token (?:is )?(?:missing|not provided|required)\b|Full authentication is required|not logged in|login required|must be logged in|authentication required|rest_not_logged_in|No authorization token was found|NoAuthenticationInformation|CREDENTIALS_MISSING|Authorization header (is )?(missing|required)|missing (bearer |access )?token`)

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
		if ev.Kind == jar.CookieEventMissing && ev.Miss != jar.MissUnexplained && jar.CookieMatters(ev) {
			return fmt.Sprintf("the browser held the session cookie %s (set at entry %d) and left it off this request (%s)", ev.Name, ev.SetAt, ev.Reason)
		}
	}
	return ""
}

// OriginSessionSent finds a session cookie that request i carried and
// that a Set-Cookie earlier in the trace stored for i's address.
func (t *Trace) OriginSessionSent(i int) (jar.CookieEvent, bool) {
	for _, ev := range t.Cookies().ForEntry(i) {
		if ev.Kind == jar.CookieEventSent && ev.SetAt >= 0 && jar.CookieMatters(ev) {
			return ev, true
		}
	}
	return jar.CookieEvent{}, false
}

// CookieWhere is the evidence text for a cookie's identity.
func CookieWhere(ev jar.CookieEvent) string {
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
func SetCookieEvidence(ev jar.CookieEvent) Evidence {
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
func SentCookieEvidence(ev jar.CookieEvent) Evidence {
	var d string
	if ev.Kind == jar.CookieEventMissing {
		d = fmt.Sprintf("no %s in the Cookie header (the jar held %s=%s, set at entry #%d)", ev.Name, ev.Name, ev.Value, ev.SetAt)
	} else {
		d = fmt.Sprintf("Cookie: %s=%s", ev.Name, ev.Value)
	}
	if ev.Reason != "" {
		d += " — " + ev.Reason
	}
	return Evidence{Entry: ev.Entry, Where: har.RequestHeader("Cookie"), Detail: d}
}

// SaysNotSignedIn returns an excerpt of entry i's body when it says no
// credential was received ("not logged in", "credentials were not
// provided").
func (t *Trace) SaysNotSignedIn(i int) (string, bool) { return t.BodyMatch(i, notLoggedInText) }

// RequestsLackingRejected returns the later failing requests the refused
// cookie would have applied to, which went out without a cookie of that
// Name. A cookie refused for its Domain was meant for the site that set
// it (the Domain is the mistake, often a leftover old domain): requests
// to the setting host count then.
func (t *Trace) RequestsLackingRejected(rej jar.CookieEvent) []int {
	start := t.Entries[rej.Entry].StartedDateTime
	setter := entry.HostOf(t.Entries[rej.Entry])
	byDomain := rej.Reject == jar.RejectDomainMismatch || rej.Reject == jar.RejectPublicSuffix
	var out []int
	seen := false
	for _, k := range t.TimeOrder() {
		if k == rej.Entry {
			seen = true
			continue
		}
		if !seen {
			continue
		}
		e := t.Entries[k]
		if e.StartedDateTime.Before(start) || !entry.FailedForCookies(e) || t.Cookies().ServedFromCache(k) {
			continue
		}
		u, err := url.Parse(e.Request.URL)
		if err != nil {
			continue
		}
		host := strings.ToLower(u.Hostname())
		covered := rej.HostOnly && host == rej.Domain || !rej.HostOnly && jar.DomainMatch(host, rej.Domain)
		if !covered && !(byDomain && host == setter) {
			continue
		}
		if !jar.PathMatch(u.EscapedPath(), rej.Path) {
			continue
		}
		carried := false
		for _, ev := range t.Cookies().ForEntry(k) {
			if ev.Kind == jar.CookieEventSent && ev.Name == rej.Name {
				carried = true
			}
		}
		if !carried {
			out = append(out, k)
		}
	}
	return out
}
