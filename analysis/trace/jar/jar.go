// Package jar builds the cookie timeline of a trace: it replays the
// exchanges through a simulated cookie jar (RFC 6265 and rfc6265bis:
// domain and path matching, expiry, prefixes, Secure, SameSite) in time
// order. It records what the server set,
// changed, cleared and what the browser refused, sent, or should have
// sent but did not. HAR has no field for a refused cookie, so the rules
// the browser applies are applied here (catalogue §2).
package jar

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"authlens/analysis/internal/excerpt"
	"authlens/har"
	"authlens/redact"

	"golang.org/x/net/publicsuffix"
)

// CookieEventKind says what happened to a cookie at one entry.
type CookieEventKind int

// The kinds of cookie events.
const (
	CookieEventSet      CookieEventKind = iota + 1 // a Set-Cookie stored a (new or unchanged) value
	CookieEventChanged                             // a Set-Cookie replaced the stored value
	CookieEventCleared                             // a Set-Cookie expired it (past Expires, Max-Age<=0, empty value)
	CookieEventRejected                            // the browser refused a Set-Cookie
	CookieEventSent                                // the request's Cookie header carried it
	CookieEventMissing                             // the jar held a live cookie for this request, but it was not sent
	CookieEventExpired                             // a session-like cookie for this request ran out (Max-Age/Expires) before it, so it was not sent
)

func (k CookieEventKind) String() string {
	switch k {
	case CookieEventSet:
		return "set"
	case CookieEventChanged:
		return "changed"
	case CookieEventCleared:
		return "cleared"
	case CookieEventRejected:
		return "rejected"
	case CookieEventSent:
		return "sent"
	case CookieEventMissing:
		return "missing"
	case CookieEventExpired:
		return "expired"
	}
	return fmt.Sprintf("CookieEventKind(%d)", int(k))
}

// CookieEvent is one step of one cookie's life. Value is masked (a short
// hash and the length), never the cookie itself: equal masks mean equal
// values.
type CookieEvent struct {
	Entry      int
	Kind       CookieEventKind
	Name       string
	Domain     string // the domain the cookie belongs to (the host for host-only cookies)
	Path       string
	Value      string // masked
	Attributes string // the Set-Cookie attributes, e.g. "Path=/; Secure; HttpOnly; SameSite=Lax"
	Reason     string // plain words: why rejected / cleared / missing / stale

	// What rules need beyond the UI fields.
	HostOnly    bool
	Secure      bool
	HTTPOnly    bool
	partitioned bool
	sameSite    string // "strict", "lax", "none", "" when absent
	SetAt       int    // for Missing/Sent: the entry whose Set-Cookie stored the cookie, -1 when unknown
	SetTime     time.Time
	Reject      CookieRejection // for Rejected
	BrowserOnly string          // for Rejected/Missing: the browsers the rule applies to ("" = all)
	Miss        cookieMissReason
	StaleOf     int       // for Sent: the entry whose Set-Cookie cleared or replaced this value, -1 when current
	ExpiredAt   time.Time // for Expired: when the cookie's Max-Age/Expires ran out
	Duplicate   bool      // for Sent: the same name appears more than once in the Cookie header
	ClearMissed bool      // for Sent with staleOf: the server's clear named another Path/Domain, so the browser kept the cookie
}

// CookieRejection names the rule a refused Set-Cookie broke.
type CookieRejection int

const (
	RejectNone CookieRejection = iota
	rejectSyntax
	RejectSameSiteNoneInsecure
	RejectSecureOverHTTP
	RejectPrefixOverHTTP
	RejectDomainMismatch
	RejectPublicSuffix
	RejectHostPrefix
	RejectSecurePrefix
	RejectPartitionedInsecure
	RejectTooLarge
	RejectNoCredentials
)

// cookieMissReason says why a live cookie was not sent.
type cookieMissReason int

const (
	MissUnexplained       cookieMissReason = iota // should have been sent
	MissSameSiteStrict                            // SameSite=Strict on a cross-site request
	MissSameSiteLax                               // SameSite=Lax on a cross-site subresource/fetch/non-GET navigation
	MissLaxByDefault                              // no SameSite: Chromium treats it as Lax
	MissThirdPartyBlocked                         // SameSite=None in a cross-site context: third-party cookies blocked
	MissNoCredentials                             // cross-origin fetch/XHR without credentials mode
	MissPathOutside                               // the request path is outside the cookie's Path
)

// CookieIndex is the cookie timeline of a trace.
type CookieIndex struct {
	Events  []CookieEvent
	byEntry map[int][]int
	byName  map[string][]int
	// recorded is false when no request in the trace carries cookies and
	// the export hid them (a sanitizer's placeholders, or a DevTools
	// export without any secret header): then absence proves nothing.
	recorded bool
	cached   []bool // per entry: answered from the browser's cache (marked or shown)
}

// ServedFromCache reports whether the browser answered entry i from its
// cache (marked by the producer's _fromCache, or shown by
// browserCacheHits).
func (ci *CookieIndex) ServedFromCache(i int) bool {
	return ci != nil && i >= 0 && i < len(ci.cached) && ci.cached[i]
}

// Timeline returns every event of cookies with this name, in time order.
func (ci *CookieIndex) Timeline(name string) []CookieEvent {
	if ci == nil {
		return nil
	}
	out := make([]CookieEvent, 0, len(ci.byName[name]))
	for _, k := range ci.byName[name] {
		out = append(out, ci.Events[k])
	}
	return out
}

// ForEntry returns the events of entry i: its request's (sent, missing)
// first, then its response's.
func (ci *CookieIndex) ForEntry(i int) []CookieEvent {
	if ci == nil {
		return nil
	}
	out := make([]CookieEvent, 0, len(ci.byEntry[i]))
	for _, k := range ci.byEntry[i] {
		out = append(out, ci.Events[k])
	}
	return out
}

// ExpiredBefore returns the CookieEventExpired events of request i: each
// is a cookie that matters for sign-in (a session-like name, or HttpOnly
// and not a known tracking cookie) which the server had stored for i's
// address (domain, path and Secure match), whose Max-Age or Expires ran
// out before i started, which i did not send, and which no live cookie
// Of the same name replaced. The trace proves it: the browser dropped
// the session because it was set to expire, not because of a setting or
// a script.
//
// Per event: Entry is i; Name, Domain, Path and Attributes (e.g.
// "Path=/; Max-Age=4; HttpOnly") describe the expired cookie; Value is
// its masked last value; Reason says in plain words when it ran out and
// which entry set it, ready for an explanation. The unexported setAt is
// the entry whose Set-Cookie stored it and expiredAt the moment it ran
// out (use them for evidence rows). The event repeats on every later
// request to that address until the server sets the cookie again.
// Returns nil when there is none (or ci is nil).
func (ci *CookieIndex) ExpiredBefore(i int) []CookieEvent {
	if ci == nil {
		return nil
	}
	var out []CookieEvent
	for _, k := range ci.byEntry[i] {
		if ci.Events[k].Kind == CookieEventExpired {
			out = append(out, ci.Events[k])
		}
	}
	return out
}

// Names returns the name of every cookie in the trace, sorted.
func (ci *CookieIndex) Names() []string {
	if ci == nil {
		return nil
	}
	out := make([]string, 0, len(ci.byName))
	for n := range ci.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Recorded reports whether the trace recorded request cookies at all.
func (ci *CookieIndex) Recorded() bool { return ci != nil && ci.recorded }

// cookieKey identifies a cookie in the jar (RFC 6265 §5.3 step 11).
type cookieKey struct{ name, domain, path string }

type jarCookie struct {
	key         cookieKey
	value       string
	hostOnly    bool
	secure      bool
	HTTPOnly    bool
	partitioned bool
	sameSite    string
	expires     time.Time // zero: session cookie
	setAt       int
	setTime     time.Time
	attrs       string
}

// supersededValue remembers a value the server cleared or replaced, so a
// later request that still sends it is recognised as stale.
type supersededValue struct {
	key   cookieKey
	value string
	entry int
	how   CookieEventKind
	// missed is set when the server's clear named another Path or Domain
	// than the live cookie (clearPath/clearDomain): the browser kept it.
	missed      bool
	clearPath   string
	clearDomain string
}

type cookieJarSim struct {
	in         CookieInput
	browser    CookieBrowser
	jar        map[cookieKey]*jarCookie
	expired    map[cookieKey]*jarCookie // cookies whose Max-Age/Expires ran out, until set again
	superseded []supersededValue
	ci         *CookieIndex
}

// CookieInput is what the cookie replay needs from the trace.
type CookieInput struct {
	Entries []*har.Entry
	// Order lists the entry indexes in time order.
	Order []int
	// Fetch is the fetch context of entry i (Sec-Fetch-*, Origin, site).
	Fetch func(i int) FetchContext
	// Browser is the browser family whose cookie rules apply.
	Browser CookieBrowser
	// CookiesHidden is true when the export removed cookies.
	CookiesHidden bool
	// Cached is, per entry, whether the browser answered it from its own
	// cache (no request reached the server).
	Cached []bool
	// Failed is, per entry, whether it failed in a way a missing cookie
	// can explain (a refusal or a redirect to sign in).
	Failed []bool
}

// BuildCookieIndex replays the trace through a simulated cookie jar.
func BuildCookieIndex(in CookieInput) *CookieIndex {
	ci := &CookieIndex{byEntry: map[int][]int{}, byName: map[string][]int{}}
	sim := &cookieJarSim{in: in, browser: in.Browser, jar: map[cookieKey]*jarCookie{},
		expired: map[cookieKey]*jarCookie{}, ci: ci}
	sets := false
	for _, e := range in.Entries {
		if len(RequestCookieHeaders(e)) > 0 || (len(e.Request.Cookies) > 0 && !e.Request.CookiesDerived) {
			ci.recorded = true
		}
		if len(SetCookieLines(e)) > 0 {
			sets = true
		}
	}
	// Set-Cookie headers kept and no sign of a sanitizer also prove the
	// producer records cookies: sanitizing exporters (DevTools 130+) drop
	// Set-Cookie along with Cookie, or leave placeholders behind. Without
	// this, a trace whose only cookie is the one the failing request
	// should have carried (an SSO return) would prove nothing.
	if !ci.recorded {
		ci.recorded = !sets || !in.CookiesHidden // no Set-Cookie: nothing to judge either way
	}
	ci.cached = in.Cached
	for _, i := range in.Order {
		sim.request(i)
		sim.response(i)
	}
	return ci
}

func (s *cookieJarSim) add(ev CookieEvent) {
	k := len(s.ci.Events)
	s.ci.Events = append(s.ci.Events, ev)
	s.ci.byEntry[ev.Entry] = append(s.ci.byEntry[ev.Entry], k)
	s.ci.byName[ev.Name] = append(s.ci.byName[ev.Name], k)
}

// RequestCookieHeaders returns the request's Cookie header values
// (HTTP/2 may send several).
func RequestCookieHeaders(e *har.Entry) []string {
	return har.HeaderValues(e.Request.Headers, "Cookie")
}

// SetCookieLines returns every Set-Cookie of the response, one per line
// (Chrome joins several with "\n" in one header value). When the producer
// wrote no Set-Cookie header but a response.cookies array, the array is
// used.
func SetCookieLines(e *har.Entry) []string {
	var out []string
	for _, v := range har.HeaderValues(e.Response.Headers, "Set-Cookie") {
		for _, line := range strings.Split(v, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				out = append(out, line)
			}
		}
	}
	if len(out) == 0 && !e.Response.CookiesDerived {
		for _, c := range e.Response.Cookies {
			out = append(out, harCookieLine(c))
		}
	}
	return out
}

// harCookieLine rebuilds a Set-Cookie line from a HAR cookie object.
func harCookieLine(c har.Cookie) string {
	var b strings.Builder
	b.WriteString(c.Name + "=" + c.Value)
	if c.Domain != "" {
		b.WriteString("; Domain=" + c.Domain)
	}
	if c.Path != "" {
		b.WriteString("; Path=" + c.Path)
	}
	if c.Expires != nil {
		b.WriteString("; Expires=" + c.Expires.UTC().Format(http.TimeFormat))
	}
	if c.Secure {
		b.WriteString("; Secure")
	}
	if c.HTTPOnly {
		b.WriteString("; HttpOnly")
	}
	if c.SameSite != "" {
		b.WriteString("; SameSite=" + c.SameSite)
	}
	return b.String()
}

// SentCookie is one name=value pair of a Cookie header.
type SentCookie struct{ Name, Value string }

// ParseCookieHeader reads a Cookie header with net/http, falling back to
// a lenient split for values Go's strict grammar refuses but browsers send.
func ParseCookieHeader(v string) []SentCookie {
	var out []SentCookie
	if cs, err := http.ParseCookie(v); err == nil {
		for _, c := range cs {
			out = append(out, SentCookie{c.Name, c.Value})
		}
		return out
	}
	for _, part := range strings.Split(v, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		n, val, _ := strings.Cut(part, "=")
		out = append(out, SentCookie{strings.TrimSpace(n), strings.Trim(strings.TrimSpace(val), `"`)})
	}
	return out
}

// parsedSetCookie is a Set-Cookie line read with http.ParseSetCookie, or
// leniently when Go's grammar is stricter than browsers'.
type parsedSetCookie struct {
	c         *http.Cookie
	hasDomain bool
	hasPath   bool
	ok        bool
}

func parseSetCookieLine(line string) parsedSetCookie {
	c, err := http.ParseSetCookie(line)
	if err != nil {
		c = lenientSetCookie(line)
		if c == nil {
			return parsedSetCookie{}
		}
	}
	p := parsedSetCookie{c: c, ok: true}
	for _, part := range strings.Split(line, ";")[1:] {
		attr, _, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch strings.ToLower(strings.TrimSpace(attr)) {
		case "domain":
			p.hasDomain = true
		case "path":
			p.hasPath = true
		}
	}
	return p
}

// lenientSetCookie parses what browsers accept and Go refuses (spaces or
// quotes inside the value). It returns nil when there is no name=value.
func lenientSetCookie(line string) *http.Cookie {
	parts := strings.Split(line, ";")
	n, v, ok := strings.Cut(parts[0], "=")
	n = strings.TrimSpace(n)
	if !ok || n == "" {
		return nil
	}
	rest := "x=y"
	if len(parts) > 1 {
		rest += ";" + strings.Join(parts[1:], ";")
	}
	c, err := http.ParseSetCookie(rest)
	if err != nil {
		c = &http.Cookie{}
	}
	c.Name, c.Value, c.Raw = n, strings.TrimSpace(v), line
	return c
}

func sameSiteWord(m http.SameSite) string {
	switch m {
	case http.SameSiteStrictMode:
		return "strict"
	case http.SameSiteLaxMode:
		return "lax"
	case http.SameSiteNoneMode:
		return "none"
	}
	return ""
}

// cookieAttributes renders the attributes of a parsed Set-Cookie without
// its value.
func cookieAttributes(p parsedSetCookie) string {
	c := p.c
	var a []string
	if p.hasDomain {
		a = append(a, "Domain="+c.Domain)
	}
	if p.hasPath {
		a = append(a, "Path="+c.Path)
	}
	if c.RawExpires != "" {
		a = append(a, "Expires="+c.RawExpires)
	}
	if c.MaxAge > 0 {
		a = append(a, fmt.Sprintf("Max-Age=%d", c.MaxAge))
	} else if c.MaxAge < 0 {
		a = append(a, "Max-Age=0")
	}
	if c.Secure {
		a = append(a, "Secure")
	}
	if c.HttpOnly {
		a = append(a, "HttpOnly")
	}
	switch c.SameSite {
	case http.SameSiteStrictMode:
		a = append(a, "SameSite=Strict")
	case http.SameSiteLaxMode:
		a = append(a, "SameSite=Lax")
	case http.SameSiteNoneMode:
		a = append(a, "SameSite=None")
	case http.SameSiteDefaultMode:
		a = append(a, "SameSite=(unknown value)")
	}
	if c.Partitioned {
		a = append(a, "Partitioned")
	}
	return strings.Join(a, "; ")
}

// RequestURL is the parsed request URL of an entry.
func RequestURL(e *har.Entry) *url.URL {
	u, err := url.Parse(e.Request.URL)
	if err != nil {
		return &url.URL{}
	}
	return u
}

// IsLoopbackHost reports hosts browsers treat as potentially trustworthy
// over plain http (localhost, *.localhost, 127.0.0.0/8, ::1).
func IsLoopbackHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// DomainMatch is RFC 6265 §5.1.3.
func DomainMatch(host, domain string) bool {
	host, domain = strings.ToLower(host), strings.ToLower(domain)
	if host == domain {
		return true
	}
	if net.ParseIP(host) != nil {
		return false
	}
	return strings.HasSuffix(host, "."+domain)
}

// PathMatch is RFC 6265 §5.1.4.
func PathMatch(reqPath, cookiePath string) bool {
	if reqPath == "" {
		reqPath = "/"
	}
	if reqPath == cookiePath {
		return true
	}
	if strings.HasPrefix(reqPath, cookiePath) {
		return strings.HasSuffix(cookiePath, "/") || reqPath[len(cookiePath)] == '/'
	}
	return false
}

// defaultCookiePath is RFC 6265 §5.1.4's default-path.
func defaultCookiePath(reqPath string) string {
	if reqPath == "" || reqPath[0] != '/' {
		return "/"
	}
	i := strings.LastIndex(reqPath, "/")
	if i == 0 {
		return "/"
	}
	return reqPath[:i]
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// response applies entry i's Set-Cookie headers to the jar.
func (s *cookieJarSim) response(i int) {
	e := s.in.Entries[i]
	lines := SetCookieLines(e)
	if len(lines) == 0 {
		return
	}
	u := RequestURL(e)
	host := strings.ToLower(u.Hostname())
	now := e.StartedDateTime
	// Names this response stores a value for: a clear of the same name at
	// another Path/Domain beside them is a migration, not a missed logout.
	storing := map[string]bool{}
	for _, line := range lines {
		if p := parseSetCookieLine(line); p.ok && p.c.Value != "" && p.c.MaxAge >= 0 && (p.c.Expires.IsZero() || now.IsZero() || p.c.Expires.After(now)) {
			storing[p.c.Name] = true
		}
	}
	for _, line := range lines {
		p := parseSetCookieLine(line)
		if !p.ok {
			name, _, _ := strings.Cut(line, "=")
			s.add(CookieEvent{Entry: i, Kind: CookieEventRejected, Name: strings.TrimSpace(name), Domain: host,
				Value: "(unreadable)", Reason: "the Set-Cookie has no name=value pair, so no browser stores it",
				Reject: rejectSyntax, SetAt: -1, StaleOf: -1})
			continue
		}
		c := p.c
		ev := CookieEvent{Entry: i, Name: c.Name, Value: redact.CookieValue(c.Value), Attributes: cookieAttributes(p),
			Secure: c.Secure, HTTPOnly: c.HttpOnly, partitioned: c.Partitioned, sameSite: sameSiteWord(c.SameSite),
			SetAt: i, SetTime: now, StaleOf: -1}
		domain := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(c.Domain), "."))
		ev.HostOnly = !p.hasDomain || domain == ""
		if ev.HostOnly {
			domain = host
		}
		path := c.Path
		if !p.hasPath || !strings.HasPrefix(path, "/") {
			path = defaultCookiePath(u.Path)
		}
		ev.Domain, ev.Path = domain, path
		if why, code, only := s.rejection(i, e, u, p, domain); code != RejectNone {
			ev.Kind, ev.Reason, ev.Reject, ev.BrowserOnly = CookieEventRejected, why, code, only
			s.add(ev)
			continue
		}
		key := cookieKey{c.Name, domain, path}
		delete(s.expired, key) // set or cleared again: no longer "ran out"
		old := s.jar[key]
		expired := c.MaxAge < 0 || (!c.Expires.IsZero() && !now.IsZero() && !c.Expires.After(now))
		if expired || c.Value == "" {
			ev.Kind = CookieEventCleared
			switch {
			case c.MaxAge < 0:
				ev.Reason = "the server expired it with Max-Age=0 (a logout or reset clears cookies this way)"
			case expired:
				ev.Reason = "the server expired it with an Expires date in the past (a logout or reset clears cookies this way)"
			default:
				ev.Reason = "the server replaced its value with an empty one"
			}
			if old != nil {
				s.superseded = append(s.superseded, supersededValue{key: key, value: old.value, entry: i, how: CookieEventCleared})
				delete(s.jar, key)
			} else if live := s.missedClear(c.Name, key, host); len(live) > 0 && !storing[c.Name] {
				// A clear only removes the cookie with the same name, Path
				// and Domain; the live one stays and keeps being sent.
				for _, jc := range live {
					s.superseded = append(s.superseded, supersededValue{key: jc.key, value: jc.value, entry: i, how: CookieEventCleared,
						missed: true, clearPath: path, clearDomain: domain})
				}
				jc := live[0]
				ev.Reason += fmt.Sprintf(". But this clear names Path=%s for %s while the live %s was set with Path=%s for %s (entry #%d): a clear only removes a cookie with the same Path and Domain, so the browser keeps the old one",
					path, domain, c.Name, jc.key.path, jc.key.domain, jc.setAt)
			}
			s.add(ev)
			continue
		}
		ev.Kind = CookieEventSet
		if old != nil && old.value != c.Value {
			ev.Kind = CookieEventChanged
			ev.Reason = fmt.Sprintf("the server replaced the value set at entry #%d", old.setAt)
			s.superseded = append(s.superseded, supersededValue{key: key, value: old.value, entry: i, how: CookieEventChanged})
		}
		jc := &jarCookie{key: key, value: c.Value, hostOnly: ev.HostOnly, secure: c.Secure, HTTPOnly: c.HttpOnly,
			partitioned: c.Partitioned, sameSite: ev.sameSite, setAt: i, setTime: now, attrs: ev.Attributes}
		if old != nil && old.value == c.Value {
			jc.setAt, jc.setTime = old.setAt, old.setTime
		}
		if c.MaxAge > 0 && !now.IsZero() {
			jc.expires = now.Add(time.Duration(c.MaxAge) * time.Second)
		} else if !c.Expires.IsZero() {
			jc.expires = c.Expires
		}
		s.jar[key] = jc
		s.add(ev)
	}
}

// rejection applies the browser's storage rules to one Set-Cookie. It
// returns the reason in plain words, the rule broken, and the browsers it
// applies to ("" for all).
func (s *cookieJarSim) rejection(i int, e *har.Entry, u *url.URL, p parsedSetCookie, domain string) (string, CookieRejection, string) {
	c := p.c
	host := strings.ToLower(u.Hostname())
	plainHTTP := strings.EqualFold(u.Scheme, "http")
	loopback := IsLoopbackHost(host)
	b := s.browser
	name := c.Name

	if len(c.Name)+len(c.Value) > 4096 {
		return fmt.Sprintf("name and value are %d bytes together; browsers refuse cookies over 4096 bytes", len(c.Name)+len(c.Value)), RejectTooLarge, ""
	}
	if p.hasDomain && domain != "" && domain != host {
		if !DomainMatch(host, domain) {
			return fmt.Sprintf("Domain=%s does not match the host %s that set it, so the browser ignores the cookie", c.Domain, host), RejectDomainMismatch, ""
		}
		if ps, _ := publicsuffix.PublicSuffix(domain); ps == domain {
			return fmt.Sprintf("Domain=%s is a public suffix; browsers refuse cookies for a whole public suffix", c.Domain), RejectPublicSuffix, ""
		}
	}
	if hasPrefixFold(name, "__Host-") {
		switch {
		case !c.Secure:
			return "a __Host- cookie must have the Secure attribute", RejectHostPrefix, ""
		case p.hasDomain:
			return "a __Host- cookie must not have a Domain attribute", RejectHostPrefix, ""
		case c.Path != "/":
			return "a __Host- cookie must have Path=/", RejectHostPrefix, ""
		}
	}
	if hasPrefixFold(name, "__Secure-") && !c.Secure {
		return "a __Secure- cookie must have the Secure attribute", RejectSecurePrefix, ""
	}
	if plainHTTP && (hasPrefixFold(name, "__Host-") || hasPrefixFold(name, "__Secure-")) {
		if !loopback {
			return "a __Secure-/__Host- cookie can only be set by an https:// response, and this one was plain http", RejectPrefixOverHTTP, ""
		}
		if b.Family != "firefox" {
			return "a __Secure-/__Host- cookie set by plain http://" + host + ": Chromium and Safari refuse prefixed cookies there even on localhost", RejectPrefixOverHTTP, "Chromium-based browsers and Safari"
		}
	}
	if plainHTTP && c.Secure {
		switch {
		case !loopback:
			return "the cookie is marked Secure but was set by a plain http:// response; browsers refuse that", RejectSecureOverHTTP, ""
		case b.Family == "safari":
			return "Safari refuses Secure cookies set by plain http://, even on localhost", RejectSecureOverHTTP, "Safari"
		case b.Family == "chromium" && b.Major > 0 && b.Major < 89:
			return fmt.Sprintf("Chromium %d refuses Secure cookies set by plain http:// (89 and later accept them on localhost)", b.Major), RejectSecureOverHTTP, "Chromium before 89"
		}
	}
	if c.SameSite == http.SameSiteNoneMode && !c.Secure && b.Family != "firefox" && b.Family != "safari" {
		return "SameSite=None without Secure: Chromium-based browsers (Chrome, Edge) refuse it", RejectSameSiteNoneInsecure, "Chromium-based browsers"
	}
	if c.Partitioned && !c.Secure {
		return "a Partitioned cookie must have the Secure attribute", RejectPartitionedInsecure, ""
	}
	if why, ok := credentiallessCORS(s.in, i); ok {
		return why, RejectNoCredentials, ""
	}
	return "", RejectNone, ""
}

// credentiallessCORS reports a cross-origin fetch/XHR whose request was not
// in credentials mode: the browser ignores the response's Set-Cookie.
func credentiallessCORS(in CookieInput, i int) (string, bool) {
	e := in.Entries[i]
	fc := in.Fetch(i)
	if !fc.CORSFetch || fc.Origin == "" || fc.Origin == "null" || har.OriginOf(fc.Origin) == har.OriginOf(e.Request.URL) {
		return "", false
	}
	if len(RequestCookieHeaders(e)) > 0 {
		return "", false
	}
	if v, _ := har.HeaderValue(e.Response.Headers, "Access-Control-Allow-Credentials"); strings.EqualFold(strings.TrimSpace(v), "true") {
		return "", false
	}
	return fmt.Sprintf("the response to a cross-origin fetch/XHR from %s that was not made with credentials ('include' / withCredentials, and no Access-Control-Allow-Credentials: true): the browser ignores its Set-Cookie", fc.Origin), true
}

// request records the cookies entry i sent, and the live cookies it
// should have sent but did not.
func (s *cookieJarSim) request(i int) {
	e := s.in.Entries[i]
	u := RequestURL(e)
	host := strings.ToLower(u.Hostname())
	now := e.StartedDateTime
	// Expire what has run out by this request's time.
	for k, jc := range s.jar {
		if !jc.expires.IsZero() && !now.IsZero() && !jc.expires.After(now) {
			delete(s.jar, k)
			s.expired[k] = jc
		}
	}
	var sent []SentCookie
	for _, v := range RequestCookieHeaders(e) {
		sent = append(sent, ParseCookieHeader(v)...)
	}
	if len(sent) == 0 && !e.Request.CookiesDerived {
		for _, c := range e.Request.Cookies {
			sent = append(sent, SentCookie{c.Name, c.Value})
		}
	}
	count := map[string]int{}
	for _, c := range sent {
		count[c.Name]++
	}
	matched := map[cookieKey]bool{}
	for _, c := range sent {
		ev := CookieEvent{Entry: i, Kind: CookieEventSent, Name: c.Name, Domain: host, Value: redact.CookieValue(c.Value),
			SetAt: -1, StaleOf: -1, Duplicate: count[c.Name] > 1}
		if jc := s.bestJarMatch(c, u, matched); jc != nil {
			matched[jc.key] = true
			ev.Domain, ev.Path, ev.HostOnly, ev.Attributes = jc.key.domain, jc.key.path, jc.hostOnly, jc.attrs
			ev.Secure, ev.HTTPOnly, ev.sameSite, ev.SetAt, ev.SetTime = jc.secure, jc.HTTPOnly, jc.sameSite, jc.setAt, jc.setTime
		}
		if sv, ok := s.stale(c, u); ok {
			ev.StaleOf = sv.entry
			ev.Domain, ev.Path = sv.key.domain, sv.key.path
			switch {
			case sv.missed:
				ev.ClearMissed = true
				ev.Reason = fmt.Sprintf("still sent after the server tried to clear it at entry #%d: the clear named Path=%s for %s, but this cookie lives at Path=%s for %s, so the browser kept it",
					sv.entry, sv.clearPath, sv.clearDomain, sv.key.path, sv.key.domain)
			case sv.how == CookieEventCleared:
				ev.Reason = fmt.Sprintf("still sent after the server cleared it at entry #%d", sv.entry)
			default:
				ev.Reason = fmt.Sprintf("sends the old value, which the server replaced at entry #%d", sv.entry)
			}
		}
		if ev.Duplicate && ev.Reason == "" {
			ev.Reason = fmt.Sprintf("the request carries %d cookies named %s (different Path or Domain); the server may read the wrong one", count[c.Name], c.Name)
		}
		s.add(ev)
	}
	sentNames := map[string]bool{}
	for _, c := range sent {
		sentNames[c.Name] = true
	}
	if s.ci.ServedFromCache(i) {
		return // the cache answered: the request sent nothing, so nothing was left out
	}
	s.expiredFor(i, u, host, sentNames)
	if !s.ci.recorded || len(e.Request.Headers) == 0 {
		return
	}
	var missing []*jarCookie
	for _, jc := range s.jar {
		if sentNames[jc.key.name] || !s.applies(jc, u, host) {
			continue
		}
		missing = append(missing, jc)
	}
	sort.Slice(missing, func(a, b int) bool {
		if missing[a].key.name != missing[b].key.name {
			return missing[a].key.name < missing[b].key.name
		}
		return missing[a].key.path > missing[b].key.path
	})
	fc := s.in.Fetch(i)
	for _, jc := range missing {
		why, code, only := s.missReason(e, fc, jc, len(sent) > 0)
		s.addMissing(i, jc, why, code, only)
	}
	if s.in.Failed != nil && s.in.Failed[i] {
		s.missingByPath(i, u, host, sentNames, missing)
	}
}

func (s *cookieJarSim) addMissing(i int, jc *jarCookie, why string, code cookieMissReason, only string) {
	s.add(CookieEvent{Entry: i, Kind: CookieEventMissing, Name: jc.key.name, Domain: jc.key.domain, Path: jc.key.path,
		Value: redact.CookieValue(jc.value), Attributes: jc.attrs, Reason: why, HostOnly: jc.hostOnly, Secure: jc.secure,
		HTTPOnly: jc.HTTPOnly, sameSite: jc.sameSite, SetAt: jc.setAt, SetTime: jc.setTime, Miss: code,
		BrowserOnly: only, StaleOf: -1})
}

// missingByPath records, for a failed request, the session-like cookies
// Of its host that only their Path kept out (catalogue: cookie-not-sent,
// "Path not matching"): nothing of that name was sent or would have been.
// Only failed requests get them: every page outside a cookie's Path would
// otherwise list it.
func (s *cookieJarSim) missingByPath(i int, u *url.URL, host string, sentNames map[string]bool, missing []*jarCookie) {
	reqPath := u.EscapedPath()
	if reqPath == "" {
		reqPath = "/"
	}
	done := map[string]bool{}
	for _, jc := range missing {
		done[jc.key.name] = true
	}
	var out []*jarCookie
	for _, jc := range s.jar {
		n := jc.key.name
		if sentNames[n] || done[n] || PathMatch(reqPath, jc.key.path) || s.liveNamed(n, u, host) ||
			!CookieMatters(CookieEvent{Name: n, HTTPOnly: jc.HTTPOnly}) {
			continue
		}
		if jc.hostOnly && host != jc.key.domain || !jc.hostOnly && !DomainMatch(host, jc.key.domain) {
			continue
		}
		if jc.secure && !strings.EqualFold(u.Scheme, "https") && !strings.EqualFold(u.Scheme, "wss") && !IsLoopbackHost(host) {
			continue
		}
		out = append(out, jc)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].key.name != out[b].key.name {
			return out[a].key.name < out[b].key.name
		}
		return out[a].key.path < out[b].key.path
	})
	for _, jc := range out {
		if done[jc.key.name] {
			continue
		}
		done[jc.key.name] = true
		why := fmt.Sprintf("it was set with Path=%s, and this request's path %s is outside it, so the browser never sends it here", jc.key.path, excerpt.Clip(reqPath, 80))
		s.addMissing(i, jc, why, MissPathOutside, "")
	}
}

// expiredFor records the session-like cookies that ran out before
// request i although they would otherwise have gone with it.
func (s *cookieJarSim) expiredFor(i int, u *url.URL, host string, sentNames map[string]bool) {
	var out []*jarCookie
	for _, jc := range s.expired {
		if sentNames[jc.key.name] || !s.applies(jc, u, host) || s.liveNamed(jc.key.name, u, host) {
			continue
		}
		out = append(out, jc)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].key.name != out[b].key.name {
			return out[a].key.name < out[b].key.name
		}
		return out[a].key.path > out[b].key.path
	})
	now := s.in.Entries[i].StartedDateTime
	for _, jc := range out {
		ev := CookieEvent{Entry: i, Kind: CookieEventExpired, Name: jc.key.name, Domain: jc.key.domain, Path: jc.key.path,
			Value: redact.CookieValue(jc.value), Attributes: jc.attrs, HostOnly: jc.hostOnly, Secure: jc.secure,
			HTTPOnly: jc.HTTPOnly, sameSite: jc.sameSite, SetAt: jc.setAt, SetTime: jc.setTime, StaleOf: -1,
			ExpiredAt: jc.expires}
		if !CookieMatters(ev) {
			continue
		}
		life := ""
		if !jc.setTime.IsZero() {
			life = fmt.Sprintf(" (it was set to last %s)", RoundDuration(jc.expires.Sub(jc.setTime)))
		}
		ev.Reason = fmt.Sprintf("the cookie expired at %s UTC, %s before this request%s; the server set it at entry #%d with %s, so the browser dropped it and sent the request without it",
			jc.expires.UTC().Format("15:04:05"), RoundDuration(now.Sub(jc.expires)), life, jc.setAt, ExpiryAttrs(jc.attrs))
		s.add(ev)
	}
}

// liveNamed reports whether a live jar cookie of this name applies to u.
func (s *cookieJarSim) liveNamed(name string, u *url.URL, host string) bool {
	for _, jc := range s.jar {
		if jc.key.name == name && s.applies(jc, u, host) {
			return true
		}
	}
	return false
}

// ExpiryAttrs picks the Max-Age/Expires attributes out of a cookie's
// attribute text.
func ExpiryAttrs(attrs string) string {
	var out []string
	for _, a := range strings.Split(attrs, "; ") {
		if hasPrefixFold(a, "Max-Age=") || hasPrefixFold(a, "Expires=") {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return "an expiry time"
	}
	return strings.Join(out, " and ")
}

// RoundDuration renders a duration for people: seconds below two
// minutes, then minutes, hours, days.
func RoundDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < 2*time.Minute:
		return fmt.Sprintf("%.0f s", d.Seconds())
	case d < 2*time.Hour:
		return fmt.Sprintf("%.0f min", d.Minutes())
	case d < 48*time.Hour:
		return fmt.Sprintf("%.0f h", d.Hours())
	}
	return fmt.Sprintf("%.0f days", d.Hours()/24)
}

// applies reports whether a jar cookie belongs on a request to u (domain,
// path and Secure; SameSite is judged by missReason).
func (s *cookieJarSim) applies(jc *jarCookie, u *url.URL, host string) bool {
	if jc.hostOnly {
		if host != jc.key.domain {
			return false
		}
	} else if !DomainMatch(host, jc.key.domain) {
		return false
	}
	if !PathMatch(u.EscapedPath(), jc.key.path) {
		return false
	}
	if jc.secure && !strings.EqualFold(u.Scheme, "https") && !strings.EqualFold(u.Scheme, "wss") && !IsLoopbackHost(host) {
		return false
	}
	return true
}

// bestJarMatch finds the jar cookie a sent pair most likely is: same name,
// applies to the URL, same value preferred, longest path first.
func (s *cookieJarSim) bestJarMatch(c SentCookie, u *url.URL, taken map[cookieKey]bool) *jarCookie {
	host := strings.ToLower(u.Hostname())
	var best *jarCookie
	for _, jc := range s.jar {
		if jc.key.name != c.Name || taken[jc.key] || !s.applies(jc, u, host) {
			continue
		}
		switch {
		case best == nil:
			best = jc
		case (jc.value == c.Value) != (best.value == c.Value):
			if jc.value == c.Value {
				best = jc
			}
		case len(jc.key.path) > len(best.key.path):
			best = jc
		}
	}
	return best
}

// missedClear returns the live cookies named name that a clear for key,
// from a response to host, was evidently meant for but did not remove:
// the host sees them (domain match) and the key differs only by Path or
// Domain. Latest set first.
func (s *cookieJarSim) missedClear(name string, key cookieKey, host string) []*jarCookie {
	var out []*jarCookie
	for _, jc := range s.jar {
		if jc.key.name != name || jc.key == key {
			continue
		}
		if jc.hostOnly && host != jc.key.domain || !jc.hostOnly && !DomainMatch(host, jc.key.domain) {
			continue
		}
		out = append(out, jc)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].setAt > out[b].setAt })
	return out
}

// stale reports whether a sent value is one the server cleared or
// replaced for a cookie that applies to this URL, and it is not also the
// current value of some live cookie of that name.
func (s *cookieJarSim) stale(c SentCookie, u *url.URL) (supersededValue, bool) {
	host := strings.ToLower(u.Hostname())
	// A clear that missed the live cookie (other Path/Domain): the value
	// is still in the jar, but the server meant to end it.
	for k := len(s.superseded) - 1; k >= 0; k-- {
		sv := s.superseded[k]
		if !sv.missed || sv.key.name != c.Name || sv.value != c.Value {
			continue
		}
		if jc := s.jar[sv.key]; jc != nil && jc.value == sv.value && s.applies(jc, u, host) {
			return sv, true
		}
	}
	for _, jc := range s.jar {
		if jc.key.name == c.Name && jc.value == c.Value && s.applies(jc, u, host) {
			return supersededValue{}, false
		}
	}
	for k := len(s.superseded) - 1; k >= 0; k-- {
		sv := s.superseded[k]
		if sv.key.name != c.Name || sv.value != c.Value {
			continue
		}
		if DomainMatch(host, sv.key.domain) && PathMatch(u.EscapedPath(), sv.key.path) {
			return sv, true
		}
	}
	return supersededValue{}, false
}

// missReason explains why a live cookie was left off a request.
func (s *cookieJarSim) missReason(e *har.Entry, fc FetchContext, jc *jarCookie, sentAny bool) (string, cookieMissReason, string) {
	b := s.browser
	cross := fc.CrossSite
	unsafe := !IsSafeMethod(e.Request.Method)
	// Only a top-level navigation carries Lax cookies cross-site; an
	// iframe load is a navigation too (Sec-Fetch-Mode: navigate) but of a
	// nested frame (Sec-Fetch-Dest: iframe).
	nav := fc.topLevelNavigation()
	if cross {
		switch jc.sameSite {
		case "strict":
			return "SameSite=Strict: the browser never sends it on a request that comes from another site", MissSameSiteStrict, ""
		case "lax":
			if !nav || unsafe {
				return "SameSite=Lax: the browser does not send it on a cross-site " + fc.describe(e) + " (only on top-level GET navigations)", MissSameSiteLax, ""
			}
		case "":
			if b.Family != "firefox" && b.Family != "safari" && (!nav || unsafe) {
				young := !jc.setTime.IsZero() && !e.StartedDateTime.IsZero() && e.StartedDateTime.Sub(jc.setTime) < 2*time.Minute
				if nav && unsafe && young {
					break // Chromium's "Lax allowing unsafe" exemption: it would still be sent
				}
				return "no SameSite attribute: Chromium-based browsers treat it as SameSite=Lax and do not send it on a cross-site " + fc.describe(e), MissLaxByDefault, "Chromium-based browsers"
			}
		case "none":
			if !nav {
				return "SameSite=None allows cross-site use, but the browser blocked it as a third-party cookie (Safari by default, Chrome in Incognito or by setting, Firefox partitions it)", MissThirdPartyBlocked, ""
			}
		}
	}
	if fc.CORSFetch && fc.Origin != "" && har.OriginOf(fc.Origin) != har.OriginOf(e.Request.URL) && !sentAny {
		return "a cross-origin fetch/XHR from " + fc.Origin + " made without credentials ('include' / withCredentials) carries no cookies", MissNoCredentials, ""
	}
	return "the browser held this cookie for this address but did not send it (cleared by a script or the user, blocked by a setting or extension, or left out of the export)", MissUnexplained, ""
}

func IsSafeMethod(m string) bool {
	switch strings.ToUpper(m) {
	case "GET", "HEAD", "OPTIONS", "TRACE":
		return true
	}
	return false
}

// FetchContext is what a request says about where it came from (Fetch
// Metadata first, then Origin/Referer and Chrome's resource type).
// FetchContext is how and from where the browser made a request.
type FetchContext struct {
	Site      string // Sec-Fetch-Site, "" when absent
	Mode      string // Sec-Fetch-Mode
	Dest      string // Sec-Fetch-Dest
	Origin    string // Origin header
	CrossSite bool
	CORSFetch bool // a fetch/XHR in CORS mode
}

// topLevelNavigation reports a navigation of the top-level window (not
// Of an iframe or frame).
func (fc FetchContext) topLevelNavigation() bool {
	return fc.Mode == "navigate" && (fc.Dest == "" || fc.Dest == "document")
}

func (fc FetchContext) describe(e *har.Entry) string {
	switch {
	case fc.Mode == "navigate" && (fc.Dest == "iframe" || fc.Dest == "frame"):
		return fc.Dest + " load (a navigation inside an embedded frame, not of the top-level window)"
	case fc.Mode == "navigate" && !IsSafeMethod(e.Request.Method):
		return e.Request.Method + " navigation (a form post)"
	case fc.Mode == "navigate":
		return "navigation"
	case fc.CORSFetch:
		return "fetch/XHR"
	case fc.Dest == "iframe":
		return "iframe"
	case fc.Dest != "" && fc.Dest != "empty":
		return fc.Dest + " request"
	}
	return "request"
}

// CookieBrowser is the browser family and major version the cookie rules
// are judged for; family "" means unknown (rules that differ by browser
// then assume Chromium, the most common HAR producer, and say so).
type CookieBrowser struct {
	Family string // "chromium", "firefox", "safari", ""
	Major  int
}

// ParseSetCookie reads one Set-Cookie line as a browser would, leniently
// (net/http's parser, then a fallback for values it refuses); ok is false
// when the line names no cookie.
func ParseSetCookie(line string) (c *http.Cookie, ok bool) {
	p := parseSetCookieLine(line)
	return p.c, p.ok
}
