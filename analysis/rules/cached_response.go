package rules

import (
	"fmt"
	"strings"

	"authlens/analysis"
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
	"authlens/har"
	"authlens/redact"
)

// CachedResponse is the `cached-response` cause (catalogue §3.2).
var CachedResponse = &analysis.Rule{
	ID:    "cached-response",
	Title: "The refusal came from a cache",
	Doc:   "The 401/403 was served from the browser's or a CDN's cache, not from a fresh check.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Reload without the cache (Ctrl+Shift+R, or Cmd+Shift+R on a Mac), or clear cached images and files for this site only.", Browser: true},
		{Who: trace.Admin, Step: "Never let 401/403 answers be cached: send Cache-Control: no-store on them, and exclude them in the CDN's cache rules; purge the cached copy."},
	},
	Run: runCachedResponse,
}

func runCachedResponse(p *analysis.Pass) {
	t := p.Trace
	hits := t.CacheHits()
	for i, e := range t.Entries {
		if !trace.RefusalStatus(e.Response.Status) {
			continue
		}
		if src := strings.ToLower(e.FromCache); src == "memory" || src == "disk" {
			// The server was not asked: whatever the stored refusal once
			// meant, the reason it shows now is the cache.
			f := analysis.Finding{
				Entry: i, Confidence: 0.9,
				Explanation: fmt.Sprintf("The browser did not ask the server: it showed a %d it had stored earlier (from its %s cache). The server may well accept the request now.", e.Response.Status, src),
				Evidence:    []trace.Evidence{{Entry: i, Where: har.At(har.PartFromCache), Detail: "_fromCache: " + e.FromCache}},
				Remedy:      cachedSteps(e, "the browser's cache"),
			}
			if j := t.FreshSuccessAfter(i); j >= 0 {
				f.Conclude(0.95, fmt.Sprintf("The browser did not ask the server: it showed a %d it had stored earlier (from its %s cache). When the same address was fetched from the server in entry %d, it answered %d.", e.Response.Status, src, j, t.Entries[j].Response.Status),
					trace.Evidence{Entry: j, Where: har.At(har.PartResponseStatus), Detail: fmt.Sprintf("%d from the server for the same URL", t.Entries[j].Response.Status)})
			}
			p.Report(f)
			continue
		}
		if i < len(hits) && hits[i] != nil {
			reportBrowserCacheHit(p, hits[i])
			continue
		}
		name, val, hit := trace.SharedCacheHit(e)
		if !hit {
			continue
		}
		fresh, ok := trace.ExplicitFreshness(e)
		if !ok {
			continue // a cache hit without explicit freshness on a 401/403 is not to be trusted as the cause (RFC 9110 §15.1)
		}
		p.Report(analysis.Finding{
			Entry: i, Confidence: 0.7,
			Explanation: fmt.Sprintf("A shared cache (CDN or proxy) answered with a stored %d (%s: %s), and the response allows caching (%s). The origin server was not asked this time.",
				e.Response.Status, name, val, excerpt.Clip(fresh, 80)),
			Evidence: []trace.Evidence{trace.ResponseHeaderEvidence(i, name, val), {Entry: i, Where: har.ResponseHeader("Cache-Control"), Detail: excerpt.Clip(fresh, 160)}},
			Remedy:   cachedSteps(e, "the CDN's cache"),
		})
	}
}

func cachedSteps(e *har.Entry, where string) []trace.Step {
	return []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("Reload %s without the cache (Ctrl+Shift+R, Cmd+Shift+R on a Mac) or clear cached files for this site only; it should now answer from the server.", excerpt.Clip(redact.URL(e.Request.URL), 120)), Browser: true},
		{Who: trace.Admin, Step: fmt.Sprintf("Purge %s from %s and send Cache-Control: no-store (or private, no-cache) on %d answers; check the CDN rule that cached it.", excerpt.Clip(jar.RequestURL(e).Path, 80), where, e.Response.Status)},
	}
}

// reportBrowserCacheHit reports a refusal the browser answered from its
// cache, shown by the footprints browserCacheHits found.
func reportBrowserCacheHit(p *analysis.Pass, h *trace.BrowserCacheHit) {
	t := p.Trace
	i := h.Entry
	e := t.Entries[i]
	date, _ := har.HeaderValue(e.Response.Headers, "Date")
	var why []string
	ev := []trace.Evidence{{Entry: i, Where: har.ResponseHeader("Date"), Detail: fmt.Sprintf("Date: %s — %s older than the request (started %s)",
		date, jar.RoundDuration(h.Lag), e.StartedDateTime.UTC().Format("15:04:05.000 UTC"))}}
	conf := 0.72
	if h.Earlier >= 0 {
		conf = 0.86
		why = append(why, fmt.Sprintf("it is the same %d, with the same Date, as the answer to entry %d", e.Response.Status, h.Earlier))
		ev = append(ev, trace.Evidence{Entry: h.Earlier, Where: har.ResponseHeader("Date"),
			Detail: fmt.Sprintf("the earlier answer to the same request: %d, Date: %s", t.Entries[h.Earlier].Response.Status, date)})
	} else {
		why = append(why, fmt.Sprintf("its Date is %s older than the request", jar.RoundDuration(h.Lag)))
	}
	if h.Fresh != "" {
		why = append(why, "the stored answer allowed caching ("+excerpt.Clip(h.Fresh, 60)+")")
		ev = append(ev, trace.Evidence{Entry: i, Where: har.ResponseHeader("Cache-Control"), Detail: excerpt.Clip(h.Fresh, 160)})
	}
	if h.Provisional {
		conf += 0.06
		why = append(why, "the request has only the browser's provisional headers (no Accept-Encoding, Sec-Fetch-* or Cookie): it never reached the network")
		ev = append(ev, trace.Evidence{Entry: i, Where: har.At(har.PartRequestHeaders), Detail: "only provisional headers recorded (no Accept-Encoding, Sec-Fetch-*, Cookie)"})
	}
	expl := fmt.Sprintf("The browser did not ask the server: it showed a %d it had stored earlier. The recording does not say so directly, but %s.", e.Response.Status, strings.Join(why, "; "))
	if j := t.FreshSuccessAfter(i); j >= 0 {
		conf += 0.04
		expl += fmt.Sprintf(" When the same address was fetched from the server in entry %d, it answered %d.", j, t.Entries[j].Response.Status)
		ev = append(ev, trace.Evidence{Entry: j, Where: har.At(har.PartResponseStatus), Detail: fmt.Sprintf("%d from the server for the same URL", t.Entries[j].Response.Status)})
	}
	p.Report(analysis.Finding{Entry: i, Confidence: conf, Explanation: expl, Evidence: ev, Remedy: cachedSteps(e, "the browser's cache")})
}
