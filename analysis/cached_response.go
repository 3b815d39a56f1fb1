package analysis

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"authlens/har"
)

// CachedResponse is the `cached-response` cause (catalogue §3.2).
var CachedResponse = &Rule{
	ID:    "cached-response",
	Title: "The refusal came from a cache",
	Doc:   "The 401/403 was served from the browser's or a CDN's cache, not from a fresh check.",
	Remedy: []Step{
		{User, "Reload without the cache (Ctrl+Shift+R, or Cmd+Shift+R on a Mac), or clear cached images and files for this site only."},
		{Admin, "Never let 401/403 answers be cached: send Cache-Control: no-store on them, and exclude them in the CDN's cache rules; purge the cached copy."},
	},
	Run: runCachedResponse,
}

var maxAgePattern = regexp.MustCompile(`(?i)(?:^|[,\s])(?:s-maxage|max-age)\s*=\s*"?(\d+)`)

// explicitFreshness returns the response's explicit freshness (RFC 9111
// §4.2.1): max-age/s-maxage > 0, public, or an Expires after Date. 401
// and 403 are not heuristically cacheable, so without it a cache should
// not have kept them.
func explicitFreshness(e *har.Entry) (string, bool) {
	cc := strings.Join(har.HeaderValues(e.Response.Headers, "Cache-Control"), ", ")
	lc := strings.ToLower(cc)
	if strings.Contains(lc, "no-store") {
		return "", false
	}
	if m := maxAgePattern.FindStringSubmatch(cc); m != nil {
		if n, _ := strconv.Atoi(m[1]); n > 0 {
			return "Cache-Control: " + cc, true
		}
	}
	if strings.Contains(lc, "public") {
		return "Cache-Control: " + cc, true
	}
	if v, ok := har.HeaderValue(e.Response.Headers, "Expires"); ok {
		exp, err1 := httpDate(v)
		d, ok2 := har.HeaderValue(e.Response.Headers, "Date")
		if err1 == nil && ok2 {
			if date, err := httpDate(d); err == nil && exp.After(date) {
				return "Expires: " + v, true
			}
		}
	}
	return "", false
}

// sharedCacheHit returns the header that says a shared cache (CDN, proxy)
// answered from its store.
func sharedCacheHit(e *har.Entry) (name, value string, ok bool) {
	h := e.Response.Headers
	for _, n := range []string{"X-Cache", "CF-Cache-Status", "X-Cache-Status", "X-Proxy-Cache", "X-Drupal-Cache", "X-Varnish-Cache", "Cache-Status"} {
		for _, v := range har.HeaderValues(h, n) {
			lv := strings.ToLower(v)
			if strings.Contains(lv, "hit") && !strings.Contains(lv, "miss") || strings.Contains(lv, "; hit") {
				return n, v, true
			}
		}
	}
	if v, ok := har.HeaderValue(h, "Age"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
			return "Age", v, true
		}
	}
	return "", "", false
}

func runCachedResponse(p *Pass) {
	t := p.Trace
	for i, e := range t.Entries {
		if !refusalStatus(e.Response.Status) {
			continue
		}
		if src := strings.ToLower(e.FromCache); src == "memory" || src == "disk" {
			// The server was not asked: whatever the stored refusal once
			// meant, the reason it shows now is the cache.
			f := Finding{
				Entry: i, Confidence: 0.9,
				Explanation: fmt.Sprintf("The browser did not ask the server: it showed a %d it had stored earlier (from its %s cache). The server may well accept the request now.", e.Response.Status, src),
				Evidence:    []Evidence{{Entry: i, Where: "_fromCache", Detail: "_fromCache: " + e.FromCache}},
				Remedy:      cachedSteps(e, "the browser's cache"),
			}
			if j := freshSuccessAfter(t, i); j >= 0 {
				f.Confidence = 0.95
				f.Explanation = fmt.Sprintf("The browser did not ask the server: it showed a %d it had stored earlier (from its %s cache). When the same address was fetched from the server in entry %d, it answered %d.", e.Response.Status, src, j, t.Entries[j].Response.Status)
				f.Evidence = append(f.Evidence, Evidence{Entry: j, Where: "response.status", Detail: fmt.Sprintf("%d from the server for the same URL", t.Entries[j].Response.Status)})
			}
			p.Report(f)
			continue
		}
		name, val, hit := sharedCacheHit(e)
		if !hit {
			continue
		}
		fresh, ok := explicitFreshness(e)
		if !ok {
			continue // a cache hit without explicit freshness on a 401/403 is not to be trusted as the cause (RFC 9110 §15.1)
		}
		p.Report(Finding{
			Entry: i, Confidence: 0.7,
			Explanation: fmt.Sprintf("A shared cache (CDN or proxy) answered with a stored %d (%s: %s), and the response allows caching (%s). The origin server was not asked this time.",
				e.Response.Status, name, val, truncateText(fresh, 80)),
			Evidence: []Evidence{responseHeaderEvidence(i, name, val), {Entry: i, Where: "response.headers.Cache-Control", Detail: truncateText(fresh, 160)}},
			Remedy:   cachedSteps(e, "the CDN's cache"),
		})
	}
}

// freshSuccessAfter finds a later request for the same URL that reached
// the server (not from a cache) and succeeded.
func freshSuccessAfter(t *Trace, i int) int {
	e := t.Entries[i]
	for _, j := range t.TimeOrder() {
		ej := t.Entries[j]
		if j == i || ej.FromCache != "" || !ej.StartedDateTime.After(e.StartedDateTime) || normURL(ej.Request.URL) != normURL(e.Request.URL) {
			continue
		}
		if st := ej.Response.Status; st >= 200 && st < 300 {
			return j
		}
	}
	return -1
}

func cachedSteps(e *har.Entry, where string) []Step {
	return []Step{
		{User, fmt.Sprintf("Reload %s without the cache (Ctrl+Shift+R, Cmd+Shift+R on a Mac) or clear cached files for this site only; it should now answer from the server.", truncateText(e.Request.URL, 120))},
		{Admin, fmt.Sprintf("Purge %s from %s and send Cache-Control: no-store (or private, no-cache) on %d answers; check the CDN rule that cached it.", truncateText(requestURL(e).Path, 80), where, e.Response.Status)},
	}
}
