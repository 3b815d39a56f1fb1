package trace

import (
	"time"

	"authlens/analysis/entry"
	"authlens/har"
)

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
		d, err := entry.HTTPDate(v)
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
		if _, _, shared := entry.SharedCacheHit(e); shared {
			continue
		}
		h := &BrowserCacheHit{Entry: i, Earlier: -1, Lag: lags[i], Provisional: entry.ProvisionalHeadersOnly(e)}
		h.Fresh, _ = entry.ExplicitFreshness(e)
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

// FreshSuccessAfter finds a later request for the same URL that reached
// the server (not from a cache) and succeeded, -1 when none: what the
// server answers now, next to what a cache kept.
func (t *Trace) FreshSuccessAfter(i int) int {
	e := t.Entries[i]
	for _, j := range t.TimeOrder() {
		ej := t.Entries[j]
		if j == i || ej.FromCache != "" || t.Cookies().ServedFromCache(j) || !ej.StartedDateTime.After(e.StartedDateTime) || entry.NormalizedURL(ej.Request.URL) != entry.NormalizedURL(e.Request.URL) {
			continue
		}
		if st := ej.Response.Status; st >= 200 && st < 300 {
			return j
		}
	}
	return -1
}
