package trace

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"authlens/har"
)

var maxAgePattern = regexp.MustCompile(`(?i)(?:^|[,\s])(?:s-maxage|max-age)\s*=\s*"?(\d+)`)

// ExplicitFreshness returns the response's explicit freshness (RFC 9111
// §4.2.1): max-age/s-maxage > 0, public, or an Expires after Date. 401
// and 403 are not heuristically cacheable, so without it a cache should
// not have kept them.
func ExplicitFreshness(e *har.Entry) (string, bool) {
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
		exp, err1 := HTTPDate(v)
		d, ok2 := har.HeaderValue(e.Response.Headers, "Date")
		if err1 == nil && ok2 {
			if date, err := HTTPDate(d); err == nil && exp.After(date) {
				return "Expires: " + v, true
			}
		}
	}
	return "", false
}

// SharedCacheHit returns the header that says a shared cache (CDN, proxy)
// answered from its store.
func SharedCacheHit(e *har.Entry) (name, value string, ok bool) {
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

// BrowserCacheHit is what shows that the browser answered a request from
// its own cache although the HAR has no _fromCache (Playwright and other
// CDP recorders write none).
type BrowserCacheHit struct {
	Entry   int
	Earlier int           // the earlier response it repeats (same Date, status and size), -1 when none
	Lag     time.Duration // how much older the response's Date is than the request
	// lagged is true when the Date is over a second older than the
	// request, beyond what the origin's other answers show (server clock).
	lagged      bool
	Fresh       string // the explicit freshness that let the browser keep it, "" when none
	Provisional bool   // the request carries only Chromium's provisional headers
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
func browserCacheHits(t *Trace) []*BrowserCacheHit {
	out := make([]*BrowserCacheHit, len(t.Entries))
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
		d, err := HTTPDate(v)
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
		if _, _, shared := SharedCacheHit(e); shared {
			continue
		}
		h := &BrowserCacheHit{Entry: i, Earlier: -1, Lag: lags[i], Provisional: provisionalHeadersOnly(e)}
		h.Fresh, _ = ExplicitFreshness(e)
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
		h.lagged = h.Lag-base > time.Second
		date, _ := har.HeaderValue(e.Response.Headers, "Date")
		for _, j := range t.sameReq[t.reqKeys[i]][:t.sameReqPos[i]] {
			ej := t.Entries[j]
			d2, _ := har.HeaderValue(ej.Response.Headers, "Date")
			if d2 == date && ej.Response.Status == e.Response.Status && ej.Response.Content.Size == e.Response.Content.Size &&
				e.StartedDateTime.Sub(ej.StartedDateTime) > 1500*time.Millisecond {
				h.Earlier = j
			}
		}
		if h.Earlier >= 0 || (h.lagged && h.Fresh != "") {
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

// FreshSuccessAfter finds a later request for the same URL that reached
// the server (not from a cache) and succeeded, -1 when none: what the
// server answers now, next to what a cache kept.
func (t *Trace) FreshSuccessAfter(i int) int {
	e := t.Entries[i]
	for _, j := range t.TimeOrder() {
		ej := t.Entries[j]
		if j == i || ej.FromCache != "" || t.Cookies().ServedFromCache(j) || !ej.StartedDateTime.After(e.StartedDateTime) || NormalizedURL(ej.Request.URL) != NormalizedURL(e.Request.URL) {
			continue
		}
		if st := ej.Response.Status; st >= 200 && st < 300 {
			return j
		}
	}
	return -1
}
