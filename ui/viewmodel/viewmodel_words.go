package viewmodel

import (
	"authlens/analysis/entry"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
	"authlens/har"
)

// KindWords says what kind of request e is, naming the program that sent
// it: a request curl or an SDK sent is not "a call made by the page's
// script", whatever the HAR's resource type says.
func KindWords(e *har.Entry) string {
	kind := EntryType(e)
	if c := entry.ClientOf(e); c.Name != "" && !c.Browser {
		return "a request sent by " + c.Name + ", not by a browser"
	}
	switch kind {
	case "document":
		return "a page the browser opened (document)"
	case "xhr", "fetch":
		return "a call made by the page's script (" + kind + ")"
	case "script", "style", "image", "font", "media":
		return "a file the page loads (" + kind + ")"
	case "preflight":
		return "the browser's permission check before a cross-site call (preflight)"
	}
	return "type " + kind
}

// RefusedCookies lists the cookies the browser refused (a Set-Cookie it
// would not store) before entry i: a request that went out without a
// cookie often failed because of one of these.
func RefusedCookies(tr *trace.Trace, i int) []CookieEvent {
	ci := tr.Cookies()
	if ci == nil {
		return nil
	}
	var out []CookieEvent
	for _, name := range ci.Names() {
		for _, x := range ci.Timeline(name) {
			if x.Kind != jar.CookieEventRejected || x.Entry >= i {
				continue
			}
			what, problem := cookieWhat(x.Kind)
			ev := CookieEvent{Entry: x.Entry, Name: x.Name, What: what, Detail: x.Name + "=" + x.Value, Reason: x.Reason, Problem: problem}
			if x.Attributes != "" {
				ev.Detail += "; " + x.Attributes
			}
			if x.Entry >= 0 && x.Entry < len(tr.Entries) {
				ev.When = tr.Entries[x.Entry].StartedDateTime
			}
			out = append(out, ev)
		}
	}
	return out
}

// scriptOrClient is the Type of a request the HAR calls xhr or fetch:
// "api" when a tool or SDK sent it (curl, Faraday, an AWS SDK), since no
// page's script was involved.
func scriptOrClient(e *har.Entry, kind string) string {
	if c := entry.ClientOf(e); c.Name != "" && !c.Browser {
		return "api"
	}
	return kind
}
