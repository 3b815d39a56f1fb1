package trace

import (
	"net/url"
	"strings"

	"authlens/analysis/trace/jar"
)

// IdenticalEarlierSuccess returns an entry before i with the same method,
// URL and credential or session that was accepted (2xx/304).
func (t *Trace) IdenticalEarlierSuccess(i int) (int, bool) {
	id := t.Attempts[i].Identity
	if id == "" {
		return -1, false
	}
	start := t.Entries[i].StartedDateTime
	best := -1
	for _, j := range t.accepted[t.origins[i]+"\x00"+id] {
		if j != i && t.SameRequest(i, j) && t.Entries[j].StartedDateTime.Before(start) {
			best = j
		}
	}
	return best, best >= 0
}

// IdentityKey names who a request spoke for: its Authorization
// credential, else its session cookies (CSRF, analytics and load-balancer
// cookies left out, since they change without the user changing); ""
// when neither.
func (t *Trace) IdentityKey(i int) string {
	if c := t.auth[i].Credentials; c != nil && c.Fingerprint != "" {
		return "auth:" + t.Attempts[i].Identity
	}
	var pairs []string
	for _, v := range jar.RequestCookieHeaders(t.Entries[i]) {
		for _, c := range jar.ParseCookieHeader(v) {
			if c.Value != "" && sessionCookieName.MatchString(c.Name) &&
				!jar.IsCSRF(c.Name) && !jar.IsTracking(c.Name) {
				pairs = append(pairs, c.Name+"="+c.Value)
			}
		}
	}
	return cookieIdentity(pairs)
}

// WorkingVariant finds an entry that succeeded on an address differing
// from entry i's only by scheme, www, letter case or a trailing slash,
// among the successful candidates with the same VariantKey.
func (t *Trace) WorkingVariant(i int, candidates []int) (int, string) {
	a, err := url.Parse(t.Entries[i].Request.URL)
	if err != nil {
		return -1, ""
	}
	for _, j := range candidates {
		ej := t.Entries[j]
		if j == i || ej.Response.Status < 200 || ej.Response.Status >= 300 || ej.Request.Method != t.Entries[i].Request.Method {
			continue
		}
		b, err := url.Parse(ej.Request.URL)
		if err != nil || a.RawQuery != b.RawQuery {
			continue
		}
		ha, hb := strings.ToLower(a.Hostname()), strings.ToLower(b.Hostname())
		switch {
		case a.Scheme != b.Scheme && ha == hb && a.Path == b.Path:
			return j, "scheme (" + a.Scheme + " instead of " + b.Scheme + ")"
		case ha != hb && strings.TrimPrefix(ha, "www.") == strings.TrimPrefix(hb, "www.") && a.Path == b.Path:
			return j, "the www. prefix"
		case ha == hb && a.Path != b.Path && strings.EqualFold(a.Path, b.Path):
			return j, "letter case in the path"
		case ha == hb && a.Path != b.Path && strings.TrimSuffix(a.Path, "/") == strings.TrimSuffix(b.Path, "/"):
			return j, "a trailing slash"
		}
	}
	return -1, ""
}

// VariantKey groups URLs that differ only by scheme, www, letter case or
// a trailing slash.
func VariantKey(method, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return method + " " + raw
	}
	return method + " " + strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") + strings.ToLower(strings.TrimSuffix(u.Path, "/")) + "?" + u.RawQuery
}

// ServedToOtherIdentity finds the latest safe request (GET, HEAD…) before
// entry i with the same method and path on its origin that was answered
// 2xx to another identity (IdentityKey), when none was answered to i's
// own: a resource another account could see and this one cannot. It is
// false when i identified nobody, or i's identity saw it before.
func (t *Trace) ServedToOtherIdentity(i int) (int, bool) {
	e := t.Entries[i]
	id := t.IdentityKey(i)
	if id == "" || !jar.IsSafeMethod(e.Request.Method) {
		return -1, false
	}
	p := PathOfURL(e.Request.URL)
	other := -1
	for _, j := range t.SameOrigin(t.Origin(i)) {
		ej := t.Entries[j]
		if j == i || !ej.StartedDateTime.Before(e.StartedDateTime) ||
			!strings.EqualFold(ej.Request.Method, e.Request.Method) || PathOfURL(ej.Request.URL) != p {
			continue
		}
		st := ej.Response.Status
		if st < 200 || st >= 300 {
			continue
		}
		switch jid := t.IdentityKey(j); {
		case jid == id:
			return -1, false // this account saw it before: removed, not hidden
		case jid != "":
			other = j
		}
	}
	return other, other >= 0
}
