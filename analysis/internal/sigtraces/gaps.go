package sigtraces

import (
	"time"

	"authlens/analysis/internal/tracebuild"
	"authlens/har"
)

// The traces below prove causes that no local recording can show: a
// refusal served from a cache and one host name reaching an old server
// (stale-nonce is recorded live: testdata/traces/stale-nonce/digest-stale-nonce-captured,
// testdata/traces/healthy/digest-stale-nonce-retried-captured).
// Each cause comes with a counterpart that must not be read as it.

func gapTraces() []Trace {
	return []Trace{cachedBrowserDisk(), cachedCDNHit(), cachedTrapNoEvidence(), dnsOldAddress(), dnsTrapBothFail()}
}

func ip(addr string) opt { return func(e *har.Entry) { e.ServerIPAddress = addr } }

// fromDiskCache marks an entry the way Chrome DevTools exports a response
// read from its disk cache: _fromCache "disk", no network timings, no
// bytes transferred.
func fromDiskCache() opt {
	return func(e *har.Entry) {
		e.FromCache = "disk"
		e.Time = 0.6
		e.Timings = har.Timings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1, Send: 0, Wait: 0, Receive: 0.6}
		e.TransferSize = 0
	}
}

func cachedBrowserDisk() Trace {
	b := newBuilder()
	u := "https://reports.example.com/reports/q3.html"
	// The 403 was stored an hour earlier, when the account had no access
	// yet: the origin allowed caching it (private, max-age=86400).
	stored := base.Add(-time.Hour)
	b.Add("GET", "https://reports.example.com/", 200, tracebuild.ReqHeader("Cookie", "session=8d7f2c1e9b"), tracebuild.Body("text/html", "<!doctype html><title>Reports</title>"))
	b.Add("GET", u, 403, tracebuild.ReqHeader("Cookie", "session=8d7f2c1e9b"), serverDate(stored), fromDiskCache(),
		tracebuild.RespHeader("Cache-Control", "private, max-age=86400"), tracebuild.RespHeader("Content-Type", "text/html"),
		tracebuild.Body("text/html", "<!doctype html><title>403 Forbidden</title><h1>Forbidden</h1><p>You do not have access to this report.</p>"))
	b.Add("GET", u, 200, tracebuild.ReqHeader("Cookie", "session=8d7f2c1e9b"), tracebuild.ReqHeader("Cache-Control", "no-cache"), tracebuild.ReqHeader("Pragma", "no-cache"),
		tracebuild.RespHeader("Cache-Control", "private, no-cache"), tracebuild.Body("text/html", "<!doctype html><title>Q3 report</title>"))
	return Trace{Name: "cached-response-browser-disk", Entries: b.Entries(),
		Expect: `# A 403 stored in the browser's disk cache an hour earlier is shown again; a hard reload asks the server, which now answers 200.
0 GET / 200 ok
1 GET /reports/q3.html 403 cause=cached-response  # _fromCache: disk, no network timings, Date an hour old
2 GET /reports/q3.html 200 ok  # hard reload (Cache-Control: no-cache): the server says yes
`,
		Readme: `# 403 served from the browser's disk cache

A Chrome DevTools export. An hour before the trace the account had no access to the Q3 report, and the origin answered 403 with ` + "`Cache-Control: private, max-age=86400`" + `; the browser kept it. Now the access has been granted, but a normal navigation shows the stored 403: the entry has ` + "`_fromCache: \"disk\"`" + `, no network timings and a Date an hour old. A hard reload (the request carries ` + "`Cache-Control: no-cache`" + ` and ` + "`Pragma: no-cache`" + `) reaches the server, which answers 200.

Built by ` + "`go run ./analysis/internal/sigtraces/gensig`" + ` (analysis/internal/sigtraces/gaps.go), not recorded.

Sources:
- ` + "`_fromCache`" + ` ("memory" or "disk") and the zero network timings of cached entries: Chrome DevTools HAR export (docs recording-notes.md; catalogue §3.2 cached-response signals).
- A private cache may store a 403 that carries explicit freshness (max-age), and serves it while fresh: RFC 9111 §3 and §4.2; 403 is not heuristically cacheable, so without max-age it would not have been stored (RFC 9110 §15.1).
- Hard reload sends ` + "`Cache-Control: no-cache`" + ` / ` + "`Pragma: no-cache`" + ` (RFC 9111 §5.2.1.4, §5.4).
`}
}

func cachedCDNHit() Trace {
	b := newBuilder()
	fastly := func(hit string, age string) []opt {
		return []opt{tracebuild.RespHeader("Via", "1.1 varnish"), tracebuild.RespHeader("X-Served-By", "cache-fra-eddf8230045-FRA"), tracebuild.RespHeader("X-Cache", hit), tracebuild.RespHeader("Age", age)}
	}
	b.Add("GET", "https://docs.example.com/", 200, with(fastly("HIT", "35"), tracebuild.RespHeader("Cache-Control", "public, max-age=300"), tracebuild.Body("text/html", "<!doctype html><title>Docs</title>"))...)
	b.Add("GET", "https://docs.example.com/downloads/manual.pdf", 403, with(fastly("HIT", "120"), tracebuild.RespHeader("X-Cache-Hits", "14"),
		tracebuild.RespHeader("Cache-Control", "public, max-age=600"), tracebuild.RespHeader("Content-Type", "text/html"),
		tracebuild.Body("text/html", "<!doctype html><title>403 Forbidden</title><h1>Forbidden</h1>"))...)
	return Trace{Name: "cached-response-cdn-hit", Entries: b.Entries(),
		Expect: `# A CDN (Fastly-style Varnish headers) answers with a 403 it stored two minutes ago; the origin let it cache it for ten.
0 GET / 200 ok
1 GET /downloads/manual.pdf 403 cause=cached-response  # Age: 120, X-Cache: HIT, Cache-Control: public, max-age=600
`,
		Readme: `# 403 served from a CDN's cache

A Chrome DevTools export of a documentation site behind a CDN. The origin once answered the manual's URL with 403 and ` + "`Cache-Control: public, max-age=600`" + `; the CDN stored it and now answers every visitor with the copy: ` + "`Age: 120`" + `, ` + "`X-Cache: HIT`" + `, ` + "`X-Cache-Hits: 14`" + `, ` + "`Via: 1.1 varnish`" + `. The origin was not asked.

Built by ` + "`go run ./analysis/internal/sigtraces/gensig`" + ` (analysis/internal/sigtraces/gaps.go), not recorded.

Sources:
- Age (seconds since the response was generated or validated at the origin): RFC 9111 §5.1; its presence shows the response came from a cache (RFC 9111 §5.1: "The presence of an Age header field implies that the response was not generated or validated by the origin server for this request").
- ` + "`public`" + `, ` + "`max-age`" + ` as explicit freshness that lets a shared cache store a 403: RFC 9111 §5.2.2.9, §5.2.2.1, §3; 403 is not heuristically cacheable (RFC 9110 §15.1), so the explicit freshness is what made this possible.
- ` + "`X-Cache: HIT`" + `, ` + "`X-Cache-Hits`" + `, ` + "`X-Served-By`" + `, ` + "`Via: 1.1 varnish`" + `: Fastly's documented response headers (Fastly docs, "X-Cache" / "X-Served-By" / "X-Cache-Hits" header reference); catalogue §3.2 cached-response signals.
`}
}

func cachedTrapNoEvidence() Trace {
	b := newBuilder()
	b.Add("GET", "https://intranet.example.com/", 200, tracebuild.ReqHeader("Cookie", "sid=51a0c2"), tracebuild.Body("text/html", "<!doctype html><title>Intranet</title>"))
	b.Add("GET", "https://intranet.example.com/admin/", 403, tracebuild.ReqHeader("Cookie", "sid=51a0c2"), tracebuild.RespHeader("Content-Type", "text/html"),
		tracebuild.Body("text/html", "<!doctype html><title>403 Forbidden</title><h1>Forbidden</h1><p>You don't have permission to access this resource.</p>"))
	b.Add("GET", "https://intranet.example.com/admin/users", 403, tracebuild.ReqHeader("Cookie", "sid=51a0c2"), tracebuild.RespHeader("X-Cache", "MISS"), tracebuild.RespHeader("Age", "0"),
		tracebuild.RespHeader("Content-Type", "text/html"),
		tracebuild.Body("text/html", "<!doctype html><title>403 Forbidden</title><h1>Forbidden</h1><p>You don't have permission to access this resource.</p>"))
	return Trace{Name: "cached-response-trap-no-evidence", Folder: "cached-response", Entries: b.Entries(),
		Expect: `# Trap: 403s without Cache-Control: no-store, but nothing says a cache answered (no _fromCache, no Age > 0, X-Cache: MISS).
# They are problems, but NOT cached-response (analysis/gap_traps_test.go checks the cause is absent).
0 GET / 200 ok
1 GET /admin/ 403 flagged  # no Cache-Control at all: not heuristically cacheable, fresh from the server
2 GET /admin/users 403 flagged  # X-Cache: MISS, Age: 0: the cache asked the origin
`,
		Readme: `# Trap: a 403 without no-store is not a cached 403

Two 403s that lack ` + "`Cache-Control: no-store`" + ` but carry no evidence that a cache answered them: no ` + "`_fromCache`" + `, no ` + "`Age`" + ` above 0, and ` + "`X-Cache: MISS`" + ` on the second. A missing no-store is no evidence: 401 and 403 are not heuristically cacheable (RFC 9110 §15.1), so without explicit freshness no cache may store them, and a MISS / Age: 0 says the origin answered this very request (RFC 9111 §5.1). The analyzer must not report cached-response here; ` + "`analysis/gap_traps_test.go`" + ` asserts it.

Built by ` + "`go run ./analysis/internal/sigtraces/gensig`" + ` (analysis/internal/sigtraces/gaps.go), not recorded. Sources: RFC 9110 §15.1, RFC 9111 §4.2.2 and §5.1; catalogue §3.2 cached-response ("a missing no-store alone is no evidence at all").
`}
}

func dnsOldAddress() Trace {
	b := newBuilder()
	const newIP, oldIP = "203.0.113.10", "198.51.100.20"
	h := "https://portal.example.com"
	ck := tracebuild.ReqHeader("Cookie", "portal_session=Qm9ndXMtc2Vzc2lvbi1pZA")
	json := func(s string) opt { return tracebuild.Body("application/json", s) }
	b.Add("GET", h+"/", 200, ip(newIP), socket("1101"), ck, tracebuild.Body("text/html", "<!doctype html><title>Portal</title>"))
	b.Add("GET", h+"/api/me", 200, xhr(), ip(newIP), socket("1101"), ck, json(`{"user":"alice"}`))
	b.Add("GET", h+"/api/me", 403, xhr(), ip(oldIP), socket("1187"), ck, tracebuild.RespHeader("Server", "nginx/1.18.0"),
		tracebuild.Body("text/html", "<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center><hr><center>nginx/1.18.0</center></body></html>"))
	b.Add("GET", h+"/api/orders", 200, xhr(), ip(newIP), socket("1101"), ck, json(`{"orders":[]}`))
	b.Add("GET", h+"/api/orders", 403, xhr(), ip(oldIP), socket("1187"), ck, tracebuild.RespHeader("Server", "nginx/1.18.0"),
		tracebuild.Body("text/html", "<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center><hr><center>nginx/1.18.0</center></body></html>"))
	return Trace{Name: "dns-mismatch-old-address", Entries: b.Entries(),
		Expect: `# portal.example.com resolves to the new server 203.0.113.10 and to the old one 198.51.100.20 (a record left behind after a move).
# Identical requests with the same session cookie succeed on the new address and are refused on the old one.
0 GET / 200 ok
1 GET /api/me 200 ok
2 GET /api/me 403 cause=dns-mismatch  # old address: the same request and cookie got 200 on 203.0.113.10
3 GET /api/orders 200 ok
4 GET /api/orders 403 cause=dns-mismatch
`,
		Readme: `# One host name, two servers: the old address refuses

A Chrome DevTools export of a portal after a move to a new server. The DNS still returns the old address (198.51.100.20) beside the new one (203.0.113.10), so the browser opens connections to both (sockets 1101 and 1187). Every request to the new address succeeds; the very same requests with the same session cookie, sent on the socket to the old address, are refused 403 by the old server (a different nginx that does not know the session).

Built by ` + "`go run ./analysis/internal/sigtraces/gensig`" + ` (analysis/internal/sigtraces/gaps.go), not recorded.

Sources: ` + "`serverIPAddress`" + ` and ` + "`_connectionId`" + ` per entry in Chrome DevTools HAR exports (HAR 1.2 spec "serverIPAddress"; docs recording-notes.md); catalogue §3.6 dns-mismatch signals ("the same host with several serverIPAddress values, failures only on one, across otherwise identical requests"). Addresses are from the documentation ranges of RFC 5737.
`}
}

func dnsTrapBothFail() Trace {
	b := newBuilder()
	const a, c = "203.0.113.10", "203.0.113.11"
	h := "https://shop.example.com"
	ck := tracebuild.ReqHeader("Cookie", "shop_sid=5f0c9a")
	deny := tracebuild.Body("application/json", `{"error":"forbidden","message":"Your account is not allowed to manage this store."}`)
	b.Add("GET", h+"/", 200, ip(a), socket("201"), ck, tracebuild.Body("text/html", "<!doctype html><title>Shop</title>"))
	b.Add("GET", h+"/api/cart", 200, xhr(), ip(c), socket("202"), ck, tracebuild.Body("application/json", `{"items":[]}`))
	b.Add("GET", h+"/api/admin/stores", 403, xhr(), ip(a), socket("201"), ck, tracebuild.RespHeader("Content-Type", "application/json"), deny)
	b.Add("GET", h+"/api/admin/stores", 403, xhr(), ip(c), socket("202"), ck, tracebuild.RespHeader("Content-Type", "application/json"), deny)
	return Trace{Name: "dns-mismatch-trap-both-fail", Folder: "dns-mismatch", Entries: b.Entries(),
		Expect: `# Trap: round-robin DNS gives shop.example.com two addresses; both serve successes and both refuse the admin call.
# The failures do not follow one address: problems, but NOT dns-mismatch (analysis/gap_traps_test.go checks the cause is absent).
0 GET / 200 ok
1 GET /api/cart 200 ok
2 GET /api/admin/stores 403 flagged
3 GET /api/admin/stores 403 flagged
`,
		Readme: `# Trap: several addresses, failures on both

Round-robin DNS: shop.example.com answers from 203.0.113.10 and 203.0.113.11, and the browser uses both. Each address serves a success, and each refuses the admin call with the same permission message. Several addresses for one host are normal (round robin, CDN, IPv4 and IPv6); the refusal does not follow an address, so this is not dns-mismatch. ` + "`analysis/gap_traps_test.go`" + ` asserts the analyzer does not report it.

Built by ` + "`go run ./analysis/internal/sigtraces/gensig`" + ` (analysis/internal/sigtraces/gaps.go), not recorded. Sources: catalogue §3.6 dns-mismatch traps ("Flag only when failures follow one address"); addresses from RFC 5737.
`}
}
