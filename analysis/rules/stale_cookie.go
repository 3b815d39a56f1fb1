package rules

import (
	"fmt"

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
		{Who: trace.User, Step: "Clear the cookies and site data of this site only (browser settings > Privacy > Cookies > this site), then sign in again.", Browser: true},
		{Who: trace.User, Step: "Reload the page that failed: it should now work.", Browser: true},
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
				if sup, ok := t.SupersedingEvent(ev); ok {
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
		if older, newer, ok := trace.OlderDuplicateFirst(ci.ForEntry(i)); ok && f.Confidence < 0.82 {
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
			if ev, j, ok := t.ReplacedThenWorked(i); ok {
				f.Confidence, named = 0.6, ev
				f.Evidence = append(f.Evidence, trace.SetCookieEvidence(ev),
					trace.Evidence{Entry: j, Where: har.RequestHeader("Cookie"), Detail: fmt.Sprintf("Cookie: %s=%s — the new value; this request answered %d", ev.Name, ev.Value, t.Entries[j].Response.Status)})
				f.Explanation = fmt.Sprintf("The request sent an old %s cookie; the server answered with a new one, and the next request with the new value worked. The old session had expired or been replaced.", ev.Name)
			}
		}
		// The very same session value that was accepted earlier is now
		// Refused and nothing replaced it: the server ended the session.
		if f.Confidence == 0 {
			if ss, ok := t.SessionStoppedWorking(i); ok {
				p.Report(endedSessionFinding(t, i, ss))
				continue
			}
		}
		if f.Confidence == 0 {
			continue
		}
		if f.Explanation == "" {
			if named.ClearMissed {
				sup, _ := t.SupersedingEvent(named)
				f.Explanation = fmt.Sprintf("The server tried to end the session at entry #%d by clearing %s, but its clear named %s while the cookie lives at %s. A clear only removes the cookie with the same Path and Domain, so the browser kept the old session cookie and sent it again; the server no longer accepts it.",
					named.StaleOf, named.Name, trace.OrDefault(clearWhere(sup), "another Path or Domain"), trace.CookieWhere(named))
			} else if named.StaleOf >= 0 {
				f.Explanation = fmt.Sprintf("The request carried the cookie %s with a value the server had already %s at entry #%d, so the server no longer recognises the session.",
					trace.CookieWhere(named), staleVerb(t, named), named.StaleOf)
			} else {
				f.Explanation = fmt.Sprintf("The request carried more than one cookie named %s (set for different paths or domains); the server may read the old one.", named.Name)
			}
		}
		f.Remedy = staleCookieSteps(named, e.Request.URL)
		p.Report(f)
	}
}

func staleVerb(t *trace.Trace, sent jar.CookieEvent) string {
	if ev, ok := t.SupersedingEvent(sent); ok && ev.Kind == jar.CookieEventCleared {
		return "cleared"
	}
	return "replaced"
}

func staleCookieSteps(ev jar.CookieEvent, failedURL string) []trace.Step {
	domain := ev.Domain
	return []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("Clear the cookies of %s only (in Chrome: the padlock icon > Cookies and site data > Manage, remove %s), or sign out and in again.", domain, ev.Name), Browser: true},
		{Who: trace.User, Step: fmt.Sprintf("Open %s again: it should now work with a fresh %s cookie.", excerpt.Clip(failedURL, 120), ev.Name), Browser: true},
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

// endedSessionFinding is the reading of a session the server stopped
// accepting without replacing it.
func endedSessionFinding(t *trace.Trace, i int, s trace.EndedSession) analysis.Finding {
	acc := t.Entries[s.AcceptedAt]
	conf := 0.45 // only another call took it: a permission refusal fits too (authz-as-401)
	if s.SameResource {
		conf = 0.7
	}
	if s.Refusals >= 2 {
		conf += 0.12 // refused again and again: a sign-in loop
	}
	if !s.SameResource {
		if _, ok := t.SaysNoPermission(i); ok {
			conf = 0.3
		}
	}
	if code, desc, _, _ := t.BearerError(i); trace.JWTExpired(t, i) || code != "" || trace.SaysExpired(desc) {
		conf = min(conf, 0.45) // the server named a more specific reason (expired-token)
	}
	what := fmt.Sprintf("entry %d (%s %s → %d)", s.AcceptedAt, acc.Request.Method, trace.PathOfURL(acc.Request.URL), acc.Response.Status)
	expl := fmt.Sprintf("The request carried the same %s cookie value that %s had been accepted with, and this time the server refused it", s.Sent.Name, what)
	if s.SameResource {
		expl += " for the very same call"
	}
	expl += ", without setting a new cookie. The session ended on the server (a restart, a timeout or a revocation), but the browser keeps sending the old cookie."
	if s.Refusals >= 2 {
		expl += fmt.Sprintf(" The same cookie was refused %d times in a row: the site keeps sending the browser back and forth (a sign-in loop).", s.Refusals)
	}
	ev := []trace.Evidence{
		{Entry: s.AcceptedAt, Where: har.RequestHeader("Cookie"), Detail: fmt.Sprintf("Cookie: %s=%s — answered %d", s.Sent.Name, s.Sent.Value, acc.Response.Status)},
		trace.SentCookieEvidence(s.Sent),
		trace.EvidenceAt(i, har.ResponseHeader("Set-Cookie"), fmt.Sprintf("(no new %s)", s.Sent.Name)),
	}
	u := excerpt.Clip(redact.URL(t.Entries[i].Request.URL), 120)
	return analysis.Finding{Entry: i, Confidence: conf, Explanation: expl, Evidence: ev, Remedy: []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("Clear the cookies of %s only (in Chrome: the padlock icon > Cookies and site data > Manage, remove %s), then sign in again.", s.Sent.Domain, s.Sent.Name), Browser: true},
		{Who: trace.User, Step: fmt.Sprintf("Open %s again: it should work with the fresh %s cookie.", u, s.Sent.Name), Browser: true},
		{Who: trace.Developer, Step: fmt.Sprintf("When a %s session is no longer valid, clear the cookie (Set-Cookie with Max-Age=0, same Path and Domain) and send the user to sign in, so the browser does not loop; keep sessions in a store that survives restarts.", s.Sent.Name)},
	}}
}
