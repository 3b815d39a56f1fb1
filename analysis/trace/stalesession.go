package trace

import (
	"strings"

	"authlens/analysis/trace/jar"
)

// How a session cookie the browser sent had gone stale: the server had
// cleared or replaced it, the browser sent two copies of it, or the
// server stopped accepting the very value it accepted before. The
// stale-cookie, expired-token, authz-as-401 and cookie-not-sent rules
// each weigh these; the cookie timeline (jar) records the events.

// SupersedingEvent finds the Set-Cookie that cleared or replaced the
// stale value a sent cookie carried (sent.StaleOf names its entry).
func (t *Trace) SupersedingEvent(sent jar.CookieEvent) (jar.CookieEvent, bool) {
	for _, ev := range t.Cookies().ForEntry(sent.StaleOf) {
		if ev.Name == sent.Name && (ev.Kind == jar.CookieEventCleared || ev.Kind == jar.CookieEventChanged) {
			return ev, true
		}
	}
	return jar.CookieEvent{}, false
}

// StaleSessionSent finds a session cookie request i still sent after a
// Set-Cookie had cleared (or replaced) it: with a clear at another Path
// or Domain the browser keeps the cookie, so it goes out after the
// logout. The event's StaleOf is the clearing entry.
func (t *Trace) StaleSessionSent(i int) (jar.CookieEvent, bool) {
	for _, sent := range t.Cookies().ForEntry(i) {
		if sent.Kind == jar.CookieEventSent && sent.StaleOf >= 0 && jar.CookieMatters(sent) {
			return sent, true
		}
	}
	return jar.CookieEvent{}, false
}

// ClearedSessionSent returns a session cookie request i sent although
// the server had cleared it (not merely replaced it) earlier.
func (t *Trace) ClearedSessionSent(i int) (jar.CookieEvent, bool) {
	for _, ev := range t.Cookies().ForEntry(i) {
		if ev.Kind != jar.CookieEventSent || ev.StaleOf < 0 || !jar.CookieMatters(ev) {
			continue
		}
		for _, at := range t.Cookies().ForEntry(ev.StaleOf) {
			if at.Kind == jar.CookieEventCleared && at.Name == ev.Name {
				return ev, true
			}
		}
	}
	return jar.CookieEvent{}, false
}

// SentSessionCookie reports whether request i carried a cookie that
// matters for sign-in, as the cookie timeline saw it.
func (t *Trace) SentSessionCookie(i int) bool {
	for _, ev := range t.Cookies().ForEntry(i) {
		if ev.Kind == jar.CookieEventSent && jar.CookieMatters(ev) {
			return true
		}
	}
	return false
}

// OlderDuplicateFirst finds, among one request's cookie events, a
// session cookie sent twice where the copy sent first was set before the
// copy sent later: most servers read the first, so they see the old
// session.
func OlderDuplicateFirst(evs []jar.CookieEvent) (older, newer jar.CookieEvent, ok bool) {
	first := map[string]jar.CookieEvent{}
	for _, ev := range evs {
		if ev.Kind != jar.CookieEventSent || !ev.Duplicate || ev.SetAt < 0 || !jar.CookieLooksLikeSession(ev.Name) {
			continue
		}
		f, seen := first[ev.Name]
		if !seen {
			first[ev.Name] = ev
			continue
		}
		if f.SetAt != ev.SetAt && f.SetTime.Before(ev.SetTime) {
			return f, ev, true
		}
	}
	return jar.CookieEvent{}, jar.CookieEvent{}, false
}

// ReplacedThenWorked finds a session cookie entry i sent and its
// response replaced, whose new value a later request to the origin
// carried with success; it returns the replacing event and that later
// entry.
func (t *Trace) ReplacedThenWorked(i int) (jar.CookieEvent, int, bool) {
	ci := t.Cookies()
	sent := map[string]bool{}
	for _, ev := range ci.ForEntry(i) {
		if ev.Kind == jar.CookieEventSent {
			sent[ev.Name] = true
		}
	}
	for _, ev := range ci.ForEntry(i) {
		if ev.Kind != jar.CookieEventChanged || !sent[ev.Name] || !jar.CookieLooksLikeSession(ev.Name) {
			continue
		}
		for _, later := range ci.Timeline(ev.Name) {
			if later.Kind != jar.CookieEventSent || later.Value != ev.Value || later.Entry == i {
				continue
			}
			le := t.Entries[later.Entry]
			if !le.StartedDateTime.After(t.Entries[i].StartedDateTime) || t.Origin(later.Entry) != t.Origin(i) {
				continue
			}
			if st := le.Response.Status; st >= 200 && st < 300 {
				return ev, later.Entry, true
			}
		}
	}
	return jar.CookieEvent{}, -1, false
}

// EndedSession is a session cookie value that the origin accepted and
// later refused without setting a replacement.
type EndedSession struct {
	Sent         jar.CookieEvent // the cookie the refused request carried
	AcceptedAt   int             // the entry that carried the same value with a 2xx
	SameResource bool            // AcceptedAt asked for the same method and path
	Refusals     int             // refused requests with this value after AcceptedAt
}

// SessionStoppedWorking finds a session cookie that request i carried
// (without any Authorization header) with the exact value an earlier
// request on its origin carried with a 2xx answer, while i got 401 or a
// redirect to the login page and its response set no new value. A later
// 2xx for the same method and path with the same value rules it out
// (then the session still works).
func (t *Trace) SessionStoppedWorking(i int) (EndedSession, bool) {
	e := t.Entries[i]
	if t.Auth(i).Credentials != nil || !(e.Response.Status == 401 || SoftAuthFailure(e)) {
		return EndedSession{}, false
	}
	ci := t.Cookies()
	replaced := map[string]bool{}
	for _, ev := range ci.ForEntry(i) {
		if ev.Kind != jar.CookieEventSent && ev.Kind != jar.CookieEventMissing {
			replaced[ev.Name] = true // the response set, changed or cleared it
		}
	}
	best, found := EndedSession{}, false
	for _, ev := range ci.ForEntry(i) {
		if ev.Kind != jar.CookieEventSent || ev.StaleOf >= 0 || ev.Duplicate || replaced[ev.Name] || !jar.CookieMatters(ev) {
			continue
		}
		cand, ok := t.acceptedBefore(i, ev)
		if !ok {
			continue
		}
		if !found || (cand.SameResource && !best.SameResource) {
			best, found = cand, true
		}
	}
	return best, found
}

// acceptedBefore looks at the timeline of the cookie i sent for an
// earlier 2xx with the same value on i's origin.
func (t *Trace) acceptedBefore(i int, sent jar.CookieEvent) (EndedSession, bool) {
	e := t.Entries[i]
	res := EndedSession{Sent: sent, AcceptedAt: -1}
	same := func(j int) bool {
		o := t.Entries[j].Request
		return strings.EqualFold(o.Method, e.Request.Method) && PathOfURL(o.URL) == PathOfURL(e.Request.URL)
	}
	var carried []int
	for _, ev := range t.Cookies().Timeline(sent.Name) {
		if ev.Kind == jar.CookieEventSent && ev.Value == sent.Value && t.Origin(ev.Entry) == t.Origin(i) {
			carried = append(carried, ev.Entry)
		}
	}
	for _, j := range carried {
		if j == i || !t.Entries[j].StartedDateTime.Before(e.StartedDateTime) {
			continue
		}
		if st := t.Entries[j].Response.Status; st >= 200 && st < 300 && t.Auth(j).Credentials == nil {
			if res.AcceptedAt < 0 || same(j) || !res.SameResource { // the latest, same call first
				res.AcceptedAt, res.SameResource = j, same(j)
			}
		}
	}
	if res.AcceptedAt < 0 {
		return res, false
	}
	for _, j := range carried {
		je := t.Entries[j]
		if !je.StartedDateTime.After(t.Entries[res.AcceptedAt].StartedDateTime) {
			continue
		}
		if st := je.Response.Status; j != i && st >= 200 && st < 300 && same(j) && je.StartedDateTime.After(e.StartedDateTime) {
			return res, false // the same call works again with the same session
		}
		if je.Response.Status == 401 || SoftAuthFailure(je) {
			res.Refusals++
		}
	}
	// Only another call took the cookie once: a permission refusal fits
	// as well (authz-as-401), so it takes the same call or a loop.
	return res, res.SameResource || res.Refusals >= 2
}
