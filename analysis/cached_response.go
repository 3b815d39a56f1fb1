package analysis

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

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
	hits := t.Cookies().cacheHits
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
		if i < len(hits) && hits[i] != nil {
			reportBrowserCacheHit(p, hits[i])
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
				e.Response.Status, name, val, clip(fresh, 80)),
			Evidence: []Evidence{responseHeaderEvidence(i, name, val), {Entry: i, Where: "response.headers.Cache-Control", Detail: clip(fresh, 160)}},
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
		if j == i || ej.FromCache != "" || t.Cookies().servedFromCache(j) || !ej.StartedDateTime.After(e.StartedDateTime) || normURL(ej.Request.URL) != normURL(e.Request.URL) {
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
		{User, fmt.Sprintf("Reload %s without the cache (Ctrl+Shift+R, Cmd+Shift+R on a Mac) or clear cached files for this site only; it should now answer from the server.", clip(e.Request.URL, 120))},
		{Admin, fmt.Sprintf("Purge %s from %s and send Cache-Control: no-store (or private, no-cache) on %d answers; check the CDN rule that cached it.", clip(requestURL(e).Path, 80), where, e.Response.Status)},
	}
}

// browserCacheHit is what shows that the browser answered a request from
// its own cache although the HAR has no _fromCache (Playwright and other
// CDP recorders write none).
type browserCacheHit struct {
	entry   int
	earlier int           // the earlier response it repeats (same Date, status and size), -1 when none
	lag     time.Duration // how much older the response's Date is than the request
	// lagged is true when the Date is over a second older than the
	// request, beyond what the origin's other answers show (server clock).
	lagged      bool
	fresh       string // the explicit freshness that let the browser keep it, "" when none
	provisional bool   // the request carries only Chromium's provisional headers
}

// browserCacheHits finds, for every entry, the footprints of a
// memory/disk cache hit: a response whose Date is over a second older
// than the request (beyond the origin's clock offset) while it allowed
// caching, or one that repeats an earlier response to the same request
// with the same Date. Chromium's provisional-only request headers (no
// Accept-Encoding, Sec-Fetch-* or Cookie: the request never reached the
// network stack) strengthen either. A shared cache's hit (X-Cache, Age)
// is not the browser's. The result has one slot per entry, nil when
// there is no footprint.
func browserCacheHits(t *Trace) []*browserCacheHit {
	out := make([]*browserCacheHit, len(t.Entries))
	lags := make([]time.Duration, len(t.Entries))
	hasLag := make([]bool, len(t.Entries))
	for i, e := range t.Entries {
		if e.FromCache != "" || e.StartedDateTime.IsZero() || e.Response.Status <= 0 {
			continue
		}
		v, ok := har.HeaderValue(e.Response.Headers, "Date")
		if !ok {
			continue
		}
		d, err := httpDate(v)
		if err != nil {
			continue
		}
		lags[i], hasLag[i] = e.StartedDateTime.Sub(d), true
	}
	// The server's clock offset per origin: the smallest lag among its
	// answers (a Date has one-second resolution). The two smallest are
	// kept so an entry is judged against the others.
	type lowest struct {
		first, second time.Duration
		at            int // entry holding first
		n             int
	}
	lows := map[string]*lowest{}
	for i := range t.Entries {
		if !hasLag[i] {
			continue
		}
		o := t.Origin(i)
		l := lows[o]
		if l == nil {
			l = &lowest{at: -1}
			lows[o] = l
		}
		switch {
		case l.n == 0 || lags[i] < l.first:
			l.second, l.first, l.at = l.first, lags[i], i
		case l.n == 1 || lags[i] < l.second:
			l.second = lags[i]
		}
		l.n++
	}
	for i, e := range t.Entries {
		if !hasLag[i] {
			continue
		}
		if _, _, shared := sharedCacheHit(e); shared {
			continue
		}
		h := &browserCacheHit{entry: i, earlier: -1, lag: lags[i], provisional: provisionalHeadersOnly(e)}
		h.fresh, _ = explicitFreshness(e)
		base := time.Duration(0)
		if l := lows[t.Origin(i)]; l.n > 1 {
			base = l.first
			if l.at == i {
				base = l.second
			}
		}
		if base < 0 {
			base = 0
		}
		h.lagged = h.lag-base > time.Second
		date, _ := har.HeaderValue(e.Response.Headers, "Date")
		for _, j := range t.sameReq[t.reqKeys[i]][:t.sameReqPos[i]] {
			ej := t.Entries[j]
			d2, _ := har.HeaderValue(ej.Response.Headers, "Date")
			if d2 == date && ej.Response.Status == e.Response.Status && ej.Response.Content.Size == e.Response.Content.Size &&
				e.StartedDateTime.Sub(ej.StartedDateTime) > 1500*time.Millisecond {
				h.earlier = j
			}
		}
		if h.earlier >= 0 || (h.lagged && h.fresh != "") {
			out[i] = h
		}
	}
	return out
}

// provisionalHeadersOnly reports a request that carries only the headers
// Chromium shows before the network stack adds its own (User-Agent,
// sec-ch-ua*, Upgrade-Insecure-Requests, Referer): what a CDP recorder
// writes for a request the cache answered.
func provisionalHeadersOnly(e *har.Entry) bool {
	if len(e.Request.Headers) == 0 {
		return false
	}
	for _, h := range e.Request.Headers {
		n := strings.ToLower(h.Name)
		switch {
		case n == "accept-encoding", n == "cookie", n == "host", n == ":authority", n == "connection", strings.HasPrefix(n, "sec-fetch-"):
			return false
		}
	}
	return true
}

// reportBrowserCacheHit reports a refusal the browser answered from its
// cache, shown by the footprints browserCacheHits found.
func reportBrowserCacheHit(p *Pass, h *browserCacheHit) {
	t := p.Trace
	i := h.entry
	e := t.Entries[i]
	date, _ := har.HeaderValue(e.Response.Headers, "Date")
	var why []string
	ev := []Evidence{{Entry: i, Where: "response.headers.Date", Detail: fmt.Sprintf("Date: %s — %s older than the request (started %s)",
		date, roundDuration(h.lag), e.StartedDateTime.UTC().Format("15:04:05.000 UTC"))}}
	conf := 0.72
	if h.earlier >= 0 {
		conf = 0.86
		why = append(why, fmt.Sprintf("it is the same %d, with the same Date, as the answer to entry %d", e.Response.Status, h.earlier))
		ev = append(ev, Evidence{Entry: h.earlier, Where: "response.headers.Date",
			Detail: fmt.Sprintf("the earlier answer to the same request: %d, Date: %s", t.Entries[h.earlier].Response.Status, date)})
	} else {
		why = append(why, fmt.Sprintf("its Date is %s older than the request", roundDuration(h.lag)))
	}
	if h.fresh != "" {
		why = append(why, "the stored answer allowed caching ("+clip(h.fresh, 60)+")")
		ev = append(ev, Evidence{Entry: i, Where: "response.headers.Cache-Control", Detail: clip(h.fresh, 160)})
	}
	if h.provisional {
		conf += 0.06
		why = append(why, "the request has only the browser's provisional headers (no Accept-Encoding, Sec-Fetch-* or Cookie): it never reached the network")
		ev = append(ev, Evidence{Entry: i, Where: "request.headers", Detail: "only provisional headers recorded (no Accept-Encoding, Sec-Fetch-*, Cookie)"})
	}
	expl := fmt.Sprintf("The browser did not ask the server: it showed a %d it had stored earlier. The recording does not say so directly, but %s.", e.Response.Status, strings.Join(why, "; "))
	if j := freshSuccessAfter(t, i); j >= 0 {
		conf += 0.04
		expl += fmt.Sprintf(" When the same address was fetched from the server in entry %d, it answered %d.", j, t.Entries[j].Response.Status)
		ev = append(ev, Evidence{Entry: j, Where: "response.status", Detail: fmt.Sprintf("%d from the server for the same URL", t.Entries[j].Response.Status)})
	}
	p.Report(Finding{Entry: i, Confidence: conf, Explanation: expl, Evidence: ev, Remedy: cachedSteps(e, "the browser's cache")})
}
