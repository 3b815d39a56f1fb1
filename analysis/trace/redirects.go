package trace

import (
	"net/url"
	"strings"

	"authlens/har"
)

// RedirectTarget returns the entry that followed entry i's redirect (a 3xx
// whose Location or redirectURL names the next request's URL, matched in
// time order), or -1.
func (t *Trace) RedirectTarget(i int) int { return t.redirNext[i] }

// RedirectSource returns the entry whose redirect led to entry j, or -1.
func (t *Trace) RedirectSource(j int) int { return t.redirPrev[j] }

// RedirectChain returns the entries of the redirect chain that ends at
// Entry j, first request first (just [j] when j was not redirected to).
func (t *Trace) RedirectChain(j int) []int {
	chain := []int{j}
	seen := map[int]bool{j: true}
	for k := t.redirPrev[j]; k >= 0 && !seen[k]; k = t.redirPrev[k] {
		seen[k] = true
		chain = append([]int{k}, chain...)
	}
	return chain
}

// LocationOf is where a response sends the browser, as written: the
// HAR's redirectURL, else the Location header ("" when neither).
func LocationOf(e *har.Entry) string {
	if loc := e.Response.RedirectURL; loc != "" {
		return loc
	}
	loc, _ := har.HeaderValue(e.Response.Headers, "Location")
	return loc
}

// redirectLocation returns the absolute URL a 3xx entry points to, "" when
// it is not a redirect.
func redirectLocation(e *har.Entry) string {
	st := e.Response.Status
	if st < 300 || st > 399 || st == 304 {
		return ""
	}
	loc := LocationOf(e)
	if loc == "" {
		return ""
	}
	base, err := url.Parse(e.Request.URL)
	if err != nil {
		return ""
	}
	ref, err := url.Parse(strings.TrimSpace(loc))
	if err != nil {
		return ""
	}
	return NormalizedURL(base.ResolveReference(ref).String())
}

// NormalizedURL drops the fragment and the default port so URLs compare equal.
func NormalizedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Fragment, u.RawFragment = "", ""
	u.User = nil
	u.Scheme = strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

func buildRedirects(t *Trace) {
	n := len(t.Entries)
	t.redirNext = make([]int, n)
	t.redirPrev = make([]int, n)
	for i := range t.redirNext {
		t.redirNext[i], t.redirPrev[i] = -1, -1
	}
	norm := make([]string, n)
	for i, e := range t.Entries {
		norm[i] = NormalizedURL(e.Request.URL)
	}
	pos := make([]int, n) // position in time order
	for p, i := range t.byTime {
		pos[i] = p
	}
	for _, i := range t.byTime {
		loc := redirectLocation(t.Entries[i])
		if loc == "" {
			continue
		}
		// The first later request to that URL not already claimed.
		for _, j := range t.byTime[pos[i]+1:] {
			if t.redirPrev[j] < 0 && norm[j] == loc {
				t.redirNext[i], t.redirPrev[j] = j, i
				break
			}
		}
	}
}
