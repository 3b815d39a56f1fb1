package rules

import (
	"testing"

	"authlens/analysis/entry"
	"authlens/analysis/trace"
	"authlens/har"
)

func TestBrowserDetection(t *testing.T) {
	tests := []struct {
		log   har.Log
		ua    string
		name  string
		major int
		drops bool
	}{
		{har.Log{Creator: har.Creator{Name: "WebInspector", Version: "537.36"}}, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86", "Edge", 131, true},
		{har.Log{Creator: har.Creator{Name: "Firefox", Version: "110.0"}}, "Mozilla/5.0 (X11; Linux x86_64; rv:110.0) Gecko/20100101 Firefox/110.0", "Firefox", 110, false},
		{har.Log{Creator: har.Creator{Name: "WebKit Web Inspector"}}, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.1 Safari/605.1.15", "Safari", 16, true},
		{har.Log{Creator: har.Creator{Name: "Playwright", Version: "1.65.1"}, Browser: &har.Creator{Name: "chromium", Version: "156.0.8078.108"}}, "", "Chromium", 156, true},
		{har.Log{Creator: har.Creator{Name: "WebInspector"}}, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/100.0.4896.60 Safari/537.36", "Chrome", 100, false},
		{har.Log{Creator: har.Creator{Name: "mitmproxy", Version: "10"}}, "curl/8.5.0", "", 0, true},
	}
	for _, tc := range tests {
		b := newAuthTB()
		b.log = tc.log
		b.add("GET", "https://example.com/", 200)
		b.entries[0].Request.Headers[0].Value = tc.ua
		br := b.trace().Browser()
		if br.Name != tc.name || br.Major != tc.major || br.DropsAuthOnCrossOriginRedirect() != tc.drops {
			t.Errorf("%q / %+v: got %+v drops=%v, want %s %d drops=%v", tc.ua, tc.log.Creator, br, br.DropsAuthOnCrossOriginRedirect(), tc.name, tc.major, tc.drops)
		}
	}
}

func TestSocketNormalisation(t *testing.T) {
	b := newAuthTB()
	b.add("GET", "https://a.example.com/", 200, socket("812"), func(e *har.Entry) { e.Connection = "443" }) // current Chrome
	b.add("GET", "https://a.example.com/x", 200, func(e *har.Entry) { e.Connection = "443" })               // port only
	b.add("GET", "https://a.example.com/y", 200, func(e *har.Entry) { e.Connection = "812" })               // old Chrome: socket id
	b.add("GET", "http://a.example.com:8080/z", 200, func(e *har.Entry) { e.Connection = "8080" })          // port only
	tr := b.trace()
	if tr.Socket(0) != "socket:812" || tr.Socket(1) != "" || tr.Socket(2) != "connection:812" || tr.Socket(3) != "" {
		t.Errorf("sockets: %q %q %q %q", tr.Socket(0), tr.Socket(1), tr.Socket(2), tr.Socket(3))
	}
	if _, known := tr.SameSocket(0, 1); known {
		t.Error("a port-only connection must not count as a known socket")
	}
}

func TestRedirectChains(t *testing.T) {
	b := newAuthTB()
	b.add("GET", "http://example.com/start", 301, respH("Location", "https://example.com/start"))
	b.add("GET", "https://example.com/other", 200) // unrelated, in between
	b.add("GET", "https://example.com/start", 302, respH("Location", "/login?next=%2Fstart#frag"))
	b.add("GET", "https://example.com/login?next=%2Fstart", 200)
	tr := b.trace()
	if got := tr.RedirectChain(3); len(got) != 3 || got[0] != 0 || got[1] != 2 || got[2] != 3 {
		t.Errorf("chain = %v, want [0 2 3]", got)
	}
	if tr.RedirectTarget(1) != -1 || tr.RedirectSource(1) != -1 {
		t.Error("unrelated entry linked")
	}
}

func TestSiteContext(t *testing.T) {
	b := newAuthTB()
	b.add("GET", "https://api.example.co.uk/v1", 200, reqH("Origin", "https://app.example.co.uk"))
	b.add("POST", "https://sso.other.com/acs", 200, reqH("Sec-Fetch-Site", "cross-site"), reqH("Sec-Fetch-Mode", "navigate"), reqH("Sec-Fetch-Dest", "document"))
	b.add("GET", "https://x.example.com/", 200, func(e *har.Entry) {
		e.ResourceType = "fetch"
		e.Initiator = &har.Initiator{Type: "script", URL: "https://evil.test/page"}
	})
	tr := b.trace()
	if c := tr.SiteContext(0); !c.Known || c.CrossSite || !c.CrossOrigin || c.Site != "https://example.co.uk" {
		t.Errorf("same-site cross-origin: %+v", c)
	}
	if c := tr.SiteContext(1); !c.CrossSite || !c.Navigation {
		t.Errorf("cross-site navigation: %+v", c)
	}
	if c := tr.SiteContext(2); !c.CrossSite || !c.Script || c.InitiatorSite != "https://evil.test" {
		t.Errorf("initiator: %+v", c)
	}
	if entry.RegistrableSite("http://127.0.0.1:8080/x") != "http://127.0.0.1" || entry.RegistrableSite("http://localhost:3000/") != "http://localhost" {
		t.Error("IP / single-label sites")
	}
}

func TestAuthHistory(t *testing.T) {
	b := newAuthTB()
	cred := basicAuth("erin", "pw-erin-123")
	b.add("GET", site+"/a", 401, respH("WWW-Authenticate", `Basic realm="x"`))
	b.add("GET", site+"/a", 200, reqH("Authorization", cred))
	b.add("GET", site+"/b", 403, reqH("Authorization", cred))
	b.add("GET", site+"/c", 200, reqH("Cookie", "sessionid=abc; theme=dark"))
	b.add("GET", site+"/d", 401, reqH("Cookie", "theme=light; sessionid=abc"))
	tr := b.trace()
	h := tr.AuthHistory(site)
	if len(h) != 5 || h[0].Outcome != trace.OutcomeChallenged || h[1].Outcome != trace.OutcomeAccepted || h[2].Outcome != trace.OutcomeRefused || h[1].User != "erin" || h[0].Offered[0] != "Basic" {
		t.Fatalf("history: %+v", h)
	}
	if j, ok := tr.SucceededElsewhere(2); !ok || j != 1 {
		t.Errorf("same credential elsewhere: %d %v", j, ok)
	}
	if j, ok := tr.SucceededElsewhere(4); !ok || j != 3 {
		t.Errorf("same session cookie elsewhere (theme ignored): %d %v", j, ok)
	}
	if _, ok := tr.SucceededElsewhere(0); ok {
		t.Error("an entry without credentials has no identity")
	}
}
