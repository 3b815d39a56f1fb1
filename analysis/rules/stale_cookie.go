package rules

import (
	"fmt"
	"strings"

	"authlens/analysis"
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
	"authlens/har"
	"authlens/redact"
)

// StaleCookie is the `stale-cookie` cause (catalogue §3.2).
var StaleCookie = &analysis.Rule{
	ID:    "stale-cookie",
	Title: "Outdated session cookie",
	Doc:   "The browser sent a session cookie that the server had already cleared or replaced, or two cookies of the same name.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Clear the cookies and site data of this site only (browser settings > Privacy > Cookies > this site), then sign in again."},
		{Who: trace.User, Step: "Reload the page that failed: it should now work."},
		{Who: trace.Developer, Step: "Clear and replace cookies with the same Path and Domain they were set with, and do not use one cookie name at two paths or domains."},
	},
	Run: runStaleCookie,
}

func runStaleCookie(p *analysis.Pass) {
	t := p.Trace
	ci := t.Cookies()
	for i, e := range t.Entries {
		if !trace.FailedForCookies(e) {
			continue
		}
		var f analysis.Finding
		f.Entry = i
		var named jar.CookieEvent
		for _, ev := range ci.ForEntry(i) {
			if ev.Kind != jar.CookieEventSent {
				continue
			}
			switch {
			case ev.StaleOf >= 0:
				c := 0.65
				if jar.CookieLooksLikeSession(ev.Name) || ev.HTTPOnly {
					c = 0.88
				}
				if c > f.Confidence {
					f.Confidence, named = c, ev
				}
				if sup, ok := supersedingEvent(ci, ev); ok {
					f.Evidence = append(f.Evidence, trace.SetCookieEvidence(sup))
				}
				f.Evidence = append(f.Evidence, trace.SentCookieEvidence(ev))
			case ev.Duplicate && jar.CookieLooksLikeSession(ev.Name):
				if 0.55 > f.Confidence {
					f.Confidence, named = 0.55, ev
				}
				f.Evidence = append(f.Evidence, trace.SentCookieEvidence(ev))
			}
		}
		if older, newer, ok := olderDuplicateFirst(ci.ForEntry(i)); ok && f.Confidence < 0.82 {
			f.Confidence, named = 0.82, older
			f.Explanation = fmt.Sprintf("The request carried two cookies named %s: first the older one (%s, set at entry #%d), then the newer one (%s, set at entry #%d). Browsers send the cookie with the longer Path first, and most servers read the first: the server sees the old session.",
				older.Name, trace.CookieWhere(older), older.SetAt, trace.CookieWhere(newer), newer.SetAt)
			for _, set := range []jar.CookieEvent{older, newer} {
				for _, ev := range ci.ForEntry(set.SetAt) {
					if ev.Name == set.Name && ev.Path == set.Path && (ev.Kind == jar.CookieEventSet || ev.Kind == jar.CookieEventChanged) {
						f.Evidence = append(f.Evidence, trace.SetCookieEvidence(ev))
					}
				}
			}
		}
		// A fresh session in the failing response that the retry then used successfully.
		if f.Confidence == 0 {
			if ev, j, ok := replacedThenWorked(t, i); ok {
				f.Confidence, named = 0.6, ev
				f.Evidence = append(f.Evidence, trace.SetCookieEvidence(ev),
					trace.Evidence{Entry: j, Where: har.RequestHeader("Cookie"), Detail: fmt.Sprintf("Cookie: %s=%s — the new value; this request answered %d", ev.Name, ev.Value, t.Entries[j].Response.Status)})
				f.Explanation = fmt.Sprintf("The request sent an old %s cookie; the server answered with a new one, and the next request with the new value worked. The old session had expired or been replaced.", ev.Name)
			}
		}
		// The very same session value that was accepted earlier is now
		// Refused and nothing replaced it: the server ended the session.
		if f.Confidence == 0 {
			if ss, ok := sessionStoppedWorking(t, i); ok {
				p.Report(ss.finding(t, i))
				continue
			}
		}
		if f.Confidence == 0 {
			continue
		}
		if f.Explanation == "" {
			if named.ClearMissed {
				sup, _ := supersedingEvent(ci, named)
				f.Explanation = fmt.Sprintf("The server tried to end the session at entry #%d by clearing %s, but its clear named %s while the cookie lives at %s. A clear only removes the cookie with the same Path and Domain, so the browser kept the old session cookie and sent it again; the server no longer accepts it.",
					named.StaleOf, named.Name, trace.OrDefault(clearWhere(sup), "another Path or Domain"), trace.CookieWhere(named))
			} else if named.StaleOf >= 0 {
				f.Explanation = fmt.Sprintf("The request carried the cookie %s with a value the server had already %s at entry #%d, so the server no longer recognises the session.",
					trace.CookieWhere(named), staleVerb(ci, named), named.StaleOf)
			} else {
				f.Explanation = fmt.Sprintf("The request carried more than one cookie named %s (set for different paths or domains); the server may read the old one.", named.Name)
			}
		}
		f.Remedy = staleCookieSteps(named, e.Request.URL)
		p.Report(f)
	}
}

// olderDuplicateFirst finds a session cookie sent twice where the copy
// sent first was set before the copy sent later.
func olderDuplicateFirst(evs []jar.CookieEvent) (older, newer jar.CookieEvent, ok bool) {
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

// supersedingEvent finds the Set-Cookie that cleared or replaced a stale
// sent value.
func supersedingEvent(ci *jar.CookieIndex, sent jar.CookieEvent) (jar.CookieEvent, bool) {
	for _, ev := range ci.ForEntry(sent.StaleOf) {
		if ev.Name == sent.Name && (ev.Kind == jar.CookieEventCleared || ev.Kind == jar.CookieEventChanged) {
			return ev, true
		}
	}
	return jar.CookieEvent{}, false
}

func staleVerb(ci *jar.CookieIndex, sent jar.CookieEvent) string {
	if ev, ok := supersedingEvent(ci, sent); ok && ev.Kind == jar.CookieEventCleared {
		return "cleared"
	}
	return "replaced"
}

// replacedThenWorked finds a cookie entry i sent and its response
// replaced, whose new value a later request to the origin carried with
// success.
func replacedThenWorked(t *trace.Trace, i int) (jar.CookieEvent, int, bool) {
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

func staleCookieSteps(ev jar.CookieEvent, failedURL string) []trace.Step {
	domain := ev.Domain
	return []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("Clear the cookies of %s only (in Chrome: the padlock icon > Cookies and site data > Manage, remove %s), or sign out and in again.", domain, ev.Name)},
		{Who: trace.User, Step: fmt.Sprintf("Open %s again: it should now work with a fresh %s cookie.", excerpt.Clip(failedURL, 120), ev.Name)},
		{Who: trace.Developer, Step: fmt.Sprintf("When clearing or replacing %s, use exactly the Path (%s) and Domain it was set with, so the browser drops the old copy; do not keep %s at two paths or domains.", ev.Name, trace.OrDefault(ev.Path, "/"), ev.Name)},
	}
}

// clearWhere is "Path=/ for host" of a clearing Set-Cookie event.
func clearWhere(ev jar.CookieEvent) string {
	if ev.Path == "" && ev.Domain == "" {
		return ""
	}
	return fmt.Sprintf("Path=%s for %s", trace.OrDefault(ev.Path, "/"), ev.Domain)
}

// endedSession is a session cookie value that the origin accepted and
// later refused without setting a replacement.
type endedSession struct {
	sent         jar.CookieEvent // the cookie the refused request carried
	acceptedAt   int             // the entry that carried the same value with a 2xx
	sameResource bool            // acceptedAt asked for the same method and path
	refusals     int             // refused requests with this value after acceptedAt
}

// sessionStoppedWorking finds a session cookie that request i carried
// (without any Authorization header) with the exact value an earlier
// request on its origin carried with a 2xx answer, while i got 401 or a
// redirect to the login page and its response set no new value. A later
// 2xx for the same method and path with the same value rules it out
// (then the session still works).
func sessionStoppedWorking(t *trace.Trace, i int) (endedSession, bool) {
	e := t.Entries[i]
	if t.Auth(i).Credentials != nil || !(e.Response.Status == 401 || trace.SoftAuthFailure(e)) {
		return endedSession{}, false
	}
	ci := t.Cookies()
	replaced := map[string]bool{}
	for _, ev := range ci.ForEntry(i) {
		if ev.Kind != jar.CookieEventSent && ev.Kind != jar.CookieEventMissing {
			replaced[ev.Name] = true // the response set, changed or cleared it
		}
	}
	best, found := endedSession{}, false
	for _, ev := range ci.ForEntry(i) {
		if ev.Kind != jar.CookieEventSent || ev.StaleOf >= 0 || ev.Duplicate || replaced[ev.Name] || !jar.CookieMatters(ev) {
			continue
		}
		cand, ok := acceptedBefore(t, i, ev)
		if !ok {
			continue
		}
		if !found || (cand.sameResource && !best.sameResource) {
			best, found = cand, true
		}
	}
	return best, found
}

// acceptedBefore looks at the timeline of the cookie i sent for an
// Earlier 2xx with the same value on i's origin.
func acceptedBefore(t *trace.Trace, i int, sent jar.CookieEvent) (endedSession, bool) {
	e := t.Entries[i]
	res := endedSession{sent: sent, acceptedAt: -1}
	same := func(j int) bool {
		o := t.Entries[j].Request
		return strings.EqualFold(o.Method, e.Request.Method) && trace.PathOfURL(o.URL) == trace.PathOfURL(e.Request.URL)
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
			if res.acceptedAt < 0 || same(j) || !res.sameResource { // the latest, same call first
				res.acceptedAt, res.sameResource = j, same(j)
			}
		}
	}
	if res.acceptedAt < 0 {
		return res, false
	}
	for _, j := range carried {
		je := t.Entries[j]
		if !je.StartedDateTime.After(t.Entries[res.acceptedAt].StartedDateTime) {
			continue
		}
		if st := je.Response.Status; j != i && st >= 200 && st < 300 && same(j) && je.StartedDateTime.After(e.StartedDateTime) {
			return res, false // the same call works again with the same session
		}
		if je.Response.Status == 401 || trace.SoftAuthFailure(je) {
			res.refusals++
		}
	}
	// Only another call took the cookie once: a permission refusal fits
	// as well (authz-as-401), so it takes the same call or a loop.
	return res, res.sameResource || res.refusals >= 2
}

func (s endedSession) finding(t *trace.Trace, i int) analysis.Finding {
	acc := t.Entries[s.acceptedAt]
	conf := 0.45 // only another call took it: a permission refusal fits too (authz-as-401)
	if s.sameResource {
		conf = 0.7
	}
	if s.refusals >= 2 {
		conf += 0.12 // refused again and again: a sign-in loop
	}
	if !s.sameResource {
		if _, ok := t.SaysNoPermission(i); ok {
			conf = 0.3
		}
	}
	if code, desc, _, _ := t.BearerError(i); trace.JWTExpired(t, i) || code != "" || trace.SaysExpired(desc) {
		conf = min(conf, 0.45) // the server named a more specific reason (expired-token)
	}
	what := fmt.Sprintf("entry %d (%s %s → %d)", s.acceptedAt, acc.Request.Method, trace.PathOfURL(acc.Request.URL), acc.Response.Status)
	expl := fmt.Sprintf("The request carried the same %s cookie value that %s had been accepted with, and this time the server refused it", s.sent.Name, what)
	if s.sameResource {
		expl += " for the very same call"
	}
	expl += ", without setting a new cookie. The session ended on the server (a restart, a timeout or a revocation), but the browser keeps sending the old cookie."
	if s.refusals >= 2 {
		expl += fmt.Sprintf(" The same cookie was refused %d times in a row: the site keeps sending the browser back and forth (a sign-in loop).", s.refusals)
	}
	ev := []trace.Evidence{
		{Entry: s.acceptedAt, Where: har.RequestHeader("Cookie"), Detail: fmt.Sprintf("Cookie: %s=%s — answered %d", s.sent.Name, s.sent.Value, acc.Response.Status)},
		trace.SentCookieEvidence(s.sent),
		trace.EvidenceAt(i, har.ResponseHeader("Set-Cookie"), fmt.Sprintf("(no new %s)", s.sent.Name)),
	}
	u := excerpt.Clip(redact.URL(t.Entries[i].Request.URL), 120)
	return analysis.Finding{Entry: i, Confidence: conf, Explanation: expl, Evidence: ev, Remedy: []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("Clear the cookies of %s only (in Chrome: the padlock icon > Cookies and site data > Manage, remove %s), then sign in again.", s.sent.Domain, s.sent.Name)},
		{Who: trace.User, Step: fmt.Sprintf("Open %s again: it should work with the fresh %s cookie.", u, s.sent.Name)},
		{Who: trace.Developer, Step: fmt.Sprintf("When a %s session is no longer valid, clear the cookie (Set-Cookie with Max-Age=0, same Path and Domain) and send the user to sign in, so the browser does not loop; keep sessions in a store that survives restarts.", s.sent.Name)},
	}}
}
