package rules

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"authlens/analysis"
	"authlens/analysis/internal/fixture"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
	"authlens/har"
)

// BenchmarkBlockRulesLongSession: 3000 exchanges with 20 KB pages, cookies
// on every request and a refusal every 50 — the cost of the cookie replay
// and the signature scans (all rules run) on an ordinary long session.
func BenchmarkBlockRulesLongSession(b *testing.B) {
	page := "<html><body>" + strings.Repeat("<p>Ordinary page text &amp; more text.</p>", 480) + "</body></html>"
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		tr := fixtureTrace(largeTraceEntries(3000, page)...)
		b.StartTimer()
		if _, err := analysis.Analyze(context.Background(), tr, All()); err != nil {
			b.Fatal(err)
		}
	}
}

func largeTraceEntries(n int, page string) []*har.Entry {
	es := make([]*har.Entry, 0, n)
	for i := 0; i < n; i++ {
		st, set := 200, []string{}
		if i%50 == 49 {
			st = 403
		}
		if i%100 == 0 {
			set = append(set, fmt.Sprintf("Set-Cookie: session=s%d; Path=/; HttpOnly; SameSite=Lax", i))
		}
		es = append(es, fixture.Entry(i, "GET", fmt.Sprintf("https://app.example.com/page/%d", i), st,
			[]string{fmt.Sprintf("Cookie: session=s%d; _ga=GA1.2.3", i/100*100)}, set, page))
	}
	return es
}

// BenchmarkBlockRulesOnly runs only this file set's rules (cookies,
// permissions, firewalls, CSRF, CORS) over the same long session; the
// trace (with the cookie and signature indexes) is built outside the timer.
func BenchmarkBlockRulesOnly(b *testing.B) {
	page := "<html><body>" + strings.Repeat("<p>Ordinary page text &amp; more text.</p>", 480) + "</body></html>"
	rules := []*analysis.Rule{StaleCookie, CookieRejected, CookieNotSent, CachedResponse, InsufficientPermissions, IPRestriction, RateLimited,
		CSRFFailure, FilesystemPermission, DirectoryListingForbidden, WAFBlock, PluginBlock, CORSPreflightAuth, CORSMisconfigured}
	tr := fixtureTrace(largeTraceEntries(3000, page)...)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		if _, err := analysis.Analyze(context.Background(), tr, rules); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCookieAndSignatureIndexes builds the two indexes of this file
// set over the long session.
func BenchmarkCookieAndSignatureIndexes(b *testing.B) {
	page := "<html><body>" + strings.Repeat("<p>Ordinary page text &amp; more text.</p>", 480) + "</body></html>"
	tr := fixtureTrace(largeTraceEntries(3000, page)...)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		_ = jar.BuildCookieIndex(tr.CookieInput())
		_ = trace.BuildSignatureIndex(tr)
	}
}
