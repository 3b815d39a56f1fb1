package trace

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"authlens/analysis/decode"
	"authlens/har"
)

// Sanitization says whether the trace was exported with secrets removed
// (Chrome/Edge 130+ default export, REDACTED placeholders, ...).
type Sanitization struct {
	Sanitized bool
	// How says what was removed and how it was recognised.
	How string
	// AuthHidden is true when Authorization headers were (or may have
	// been) removed or replaced: "no Authorization" cannot be trusted.
	AuthHidden bool
	// CookiesHidden is true when Cookie / Set-Cookie headers were removed
	// or replaced: "no cookie" cannot be trusted.
	CookiesHidden bool
	// Suspected is true when the export looks sanitized but nothing proves
	// it (a DevTools export with no cookie or auth header anywhere, on
	// HTTP/2 where headersSize says nothing).
	Suspected bool
}

// Sanitized returns what the trace's export removed (built once by New).
func (t *Trace) Sanitized() Sanitization { return t.sanitized }

// sanitizedAsk is what to ask the customer for when secrets were removed.
const sanitizedAsk = "Ask the customer to export the HAR again with sensitive data (Chrome/Edge DevTools: Network panel > the download arrow > \"Export HAR (with sensitive data)\", after turning on \"Allow to generate HAR with sensitive data\" in DevTools Settings > Preferences > Network), or to capture the problem through AuthLens."

// placeholderValue reports whether a value was replaced or shortened by
// hand or by an export tool (decode.HandRedacted).
func placeholderValue(v string) bool { return decode.HandRedacted(v) }

var secretHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie"}

func buildSanitization(t *Trace) Sanitization {
	var s Sanitization
	authSeen, cookieSeen, setCookieSeen, cookiesArr := false, false, false, false
	placeholders := map[string]int{}
	gapEntries := 0
	gapExample := -1
	for i, e := range t.Entries {
		for _, h := range e.Request.Headers {
			for _, name := range secretHeaders {
				if strings.EqualFold(h.Name, name) {
					if placeholderValue(h.Value) || placeholderAuthValue(h.Value) {
						placeholders[name]++
					}
					if strings.EqualFold(name, "Cookie") {
						cookieSeen = true
					} else {
						authSeen = true
					}
				}
			}
		}
		for _, h := range e.Response.Headers {
			if strings.EqualFold(h.Name, "Set-Cookie") {
				setCookieSeen = true
				if placeholderValue(h.Value) || cookieValuePlaceholder(h.Value) {
					placeholders["Set-Cookie"]++
				}
			}
		}
		if (len(e.Request.Cookies) > 0 && !e.Request.CookiesDerived) || (len(e.Response.Cookies) > 0 && !e.Response.CookiesDerived) {
			cookiesArr = true
		}
		for _, c := range e.Request.Cookies {
			if placeholderValue(c.Value) {
				placeholders["request.cookies"]++
			}
		}
		if removedHeaderBytes(e) > 0 {
			gapEntries++
			if gapExample < 0 {
				gapExample = i
			}
		}
		if u, err := url.Parse(e.Request.URL); err == nil {
			for k, vs := range u.Query() {
				lk := strings.ToLower(k)
				if lk == "access_token" || lk == "token" || lk == "code" || lk == "id_token" || strings.HasPrefix(lk, "x-amz-") {
					for _, v := range vs {
						if placeholderValue(v) {
							placeholders["URL query "+k]++
						}
					}
				}
			}
		}
	}
	var how []string
	if len(placeholders) > 0 {
		var names []string
		for n := range placeholders {
			names = append(names, n)
		}
		sort.Strings(names)
		how = append(how, "secret values were replaced by placeholders (REDACTED, ***) in "+strings.Join(names, ", "))
		for _, n := range names {
			switch n {
			case "Authorization", "Proxy-Authorization", "URL query access_token", "URL query token", "URL query id_token":
				s.AuthHidden = true
			default:
				s.CookiesHidden = true
			}
		}
	}
	noSecrets := !authSeen && !cookieSeen && !setCookieSeen && !cookiesArr
	// Only Chrome/Edge DevTools 130+ export this way; other producers'
	// headersSize arithmetic differs (Firebug, mitmproxy).
	devtools := strings.EqualFold(t.Log.Creator.Name, "WebInspector") && (t.browser.Major == 0 || t.browser.Major >= 130)
	if gapEntries > 0 && noSecrets && devtools {
		how = append(how, fmt.Sprintf("no Authorization, Cookie or Set-Cookie header anywhere and every cookies array empty, while %d HTTP/1.x entries (first: entry %d) have a headersSize larger than the headers left in the file: the Chrome/Edge (130+) default \"sanitized\" export removed them", gapEntries, gapExample))
		s.AuthHidden, s.CookiesHidden = true, true
	}
	if len(how) > 0 {
		s.Sanitized = true
		s.How = strings.Join(how, "; ")
		return s
	}
	if noSecrets && devtools && len(t.Entries) > 0 {
		s.Suspected = true
		s.AuthHidden, s.CookiesHidden = true, true
		s.How = "exported by Chrome/Edge DevTools with no Authorization, Cookie or Set-Cookie header anywhere: DevTools 130+ removes them by default, and headersSize (HTTP/2) cannot confirm it"
	}
	return s
}

// placeholderAuthValue catches "Bearer REDACTED" / "Basic ***".
func placeholderAuthValue(v string) bool {
	_, rest, ok := strings.Cut(strings.TrimSpace(v), " ")
	return ok && placeholderValue(rest)
}

// cookieValuePlaceholder catches "session=REDACTED; Path=/".
func cookieValuePlaceholder(line string) bool {
	first, _, _ := strings.Cut(line, ";")
	_, v, ok := strings.Cut(first, "=")
	return ok && placeholderValue(v)
}

// removedHeaderBytes estimates, for an HTTP/1.x request, how many bytes of
// Headers the exporter removed: headersSize minus the size of the request
// line and headers left in the file. 0 when nothing is missing or the
// producer does not report a usable headersSize.
func removedHeaderBytes(e *har.Entry) int64 {
	v := strings.ToUpper(e.Request.HTTPVersion)
	if e.Request.HeadersSize <= 0 || !(strings.HasPrefix(v, "HTTP/1") || v == "") {
		return 0
	}
	target := e.Request.URL
	if u, err := url.Parse(e.Request.URL); err == nil {
		target = u.RequestURI()
	}
	size := int64(len(e.Request.Method) + 1 + len(target) + 1 + len(e.Request.HTTPVersion) + 2 + 2)
	for _, h := range e.Request.Headers {
		if strings.HasPrefix(h.Name, ":") {
			return 0 // HTTP/2 pseudo-headers: not an HTTP/1 size
		}
		size += int64(len(h.Name) + 2 + len(h.Value) + 2)
	}
	// Small differences come from producers' own arithmetic; a removed
	// Cookie or Authorization header is longer than "Cookie: a=b\r\n".
	if gap := e.Request.HeadersSize - size; gap >= 14 {
		return gap
	}
	return 0
}

// TraceNotes returns the trace-wide notes every report carries.
func TraceNotes(t *Trace) []Note {
	var notes []Note
	s := t.sanitized
	switch {
	case s.Sanitized:
		notes = append(notes, Note{ID: "sanitized-export", Text: "This HAR was exported without its secrets: " + s.How +
			". Causes that depend on whether a login header or cookie was sent (missing credentials, stale or rejected cookies, a header stripped on the way) cannot be confirmed from it. " + sanitizedAsk})
	case s.Suspected:
		notes = append(notes, Note{ID: "sanitized-export", Text: "This HAR may have been exported without its secrets: " + s.How +
			". Whether a login header or cookie was sent cannot be confirmed. " + sanitizedAsk})
	}
	return notes
}
