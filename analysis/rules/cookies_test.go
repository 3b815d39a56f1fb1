package rules

import (
	"strings"
	"testing"

	"authlens/analysis"
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/internal/fixture"
	"authlens/analysis/trace/jar"
)

func kinds(evs []jar.CookieEvent) string {
	var s []string
	for _, e := range evs {
		s = append(s, e.Kind.String())
	}
	return strings.Join(s, ",")
}

func TestCookieTimelineSetChangeClearSent(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "https://app.example.com/login", 302, nil,
			[]string{"Set-Cookie: sid=first-secret-value; Path=/; Secure; HttpOnly; SameSite=Lax", "Location: /app/"}, ""),
		fixture.Entry(1, "GET", "https://app.example.com/app/", 200, []string{"Cookie: sid=first-secret-value"},
			[]string{"Set-Cookie: sid=second-secret-value; Path=/; Secure; HttpOnly"}, ""),
		fixture.Entry(2, "POST", "https://app.example.com/logout", 302, []string{"Cookie: sid=second-secret-value"},
			[]string{"Set-Cookie: sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"}, ""),
		fixture.Entry(3, "GET", "https://app.example.com/app/", 401, []string{"Cookie: sid=second-secret-value"}, nil, ""),
	)
	ci := tr.Cookies()
	if got, want := kinds(ci.Timeline("sid")), "set,sent,changed,sent,cleared,sent"; got != want {
		t.Fatalf("timeline = %s, want %s", got, want)
	}
	if n := ci.Names(); len(n) != 1 || n[0] != "sid" {
		t.Errorf("Names() = %v", n)
	}
	tl := ci.Timeline("sid")
	if tl[0].Value == tl[2].Value || tl[1].Value != tl[0].Value || tl[3].Value != tl[2].Value {
		t.Errorf("masked values must keep equality visible: %q %q %q %q", tl[0].Value, tl[1].Value, tl[2].Value, tl[3].Value)
	}
	for _, ev := range tl {
		if strings.Contains(ev.Value, "secret") || strings.Contains(ev.Attributes, "secret") {
			t.Errorf("raw cookie value exposed: %+v", ev)
		}
	}
	if tl[0].Domain != "app.example.com" || tl[0].Path != "/" || !strings.Contains(tl[0].Attributes, "SameSite=Lax") {
		t.Errorf("set event = %+v", tl[0])
	}
	last := ci.ForEntry(3)
	if len(last) != 1 || last[0].Kind != jar.CookieEventSent || last[0].StaleOf != 2 {
		t.Fatalf("entry 3 events = %+v, want one stale Sent (cleared at 2)", last)
	}
	if !strings.Contains(last[0].Reason, "cleared it at entry #2") {
		t.Errorf("stale reason = %q", last[0].Reason)
	}
}

func TestCookieRejections(t *testing.T) {
	cases := []struct {
		url, setCookie string
		want           jar.CookieRejection
	}{
		{"http://127.0.0.1:8000/login", "sid=x; Path=/; SameSite=None", jar.RejectSameSiteNoneInsecure},
		{"http://shop.example.com/login", "sid=x; Path=/; Secure", jar.RejectSecureOverHTTP},
		{"http://shop.example.com/login", "__Secure-sid=x; Path=/; Secure", jar.RejectPrefixOverHTTP},
		{"https://shop.example.com/login", "sid=x; Domain=other.example.org", jar.RejectDomainMismatch},
		{"https://shop.example.co.uk/login", "sid=x; Domain=co.uk", jar.RejectPublicSuffix},
		{"https://shop.example.com/login", "__Host-sid=x; Path=/; Secure; Domain=shop.example.com", jar.RejectHostPrefix},
		{"https://shop.example.com/login", "__host-sid=x; Path=/app; Secure", jar.RejectHostPrefix},
		{"https://shop.example.com/login", "__SECURE-sid=x; Path=/", jar.RejectSecurePrefix},
		{"https://shop.example.com/login", "sid=x; Path=/; Partitioned", jar.RejectPartitionedInsecure},
		{"https://shop.example.com/login", "sid=" + strings.Repeat("a", 4094), jar.RejectTooLarge},
		{"https://shop.example.com/login", "sid=x; Domain=example.com; Path=/; Secure; SameSite=None; Partitioned", jar.RejectNone},
		// Chromium 89+ and Firefox accept plain Secure on http://localhost.
		{"http://localhost:3000/login", "sid=x; Path=/; Secure", jar.RejectNone},
	}
	for _, c := range cases {
		tr := fixtureTrace(fixture.Entry(0, "POST", c.url, 302, nil, []string{"Set-Cookie: " + c.setCookie}, ""))
		evs := tr.Cookies().ForEntry(0)
		if len(evs) != 1 {
			t.Fatalf("%s: events = %+v", c.setCookie, evs)
		}
		got := jar.RejectNone
		if evs[0].Kind == jar.CookieEventRejected {
			got = evs[0].Reject
		}
		if got != c.want {
			t.Errorf("%s on %s: rejection %d (%s), want %d", excerpt.Clip(c.setCookie, 40), c.url, got, evs[0].Reason, c.want)
		}
	}
}

func TestCookieSecureOnLocalhostDependsOnBrowser(t *testing.T) {
	e := fixture.Entry(0, "POST", "http://localhost:3000/login", 302, nil, []string{"Set-Cookie: sid=x; Path=/; Secure"}, "")
	e.Request.Headers = fixture.Headers("User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15")
	tr := fixtureTrace(e)
	evs := tr.Cookies().ForEntry(0)
	if len(evs) != 1 || evs[0].Kind != jar.CookieEventRejected || evs[0].BrowserOnly != "Safari" {
		t.Fatalf("Safari must refuse Secure on http://localhost: %+v", evs)
	}
}

func TestCookieMissingReasons(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "https://bank.example/login", 302, nil,
			[]string{"Set-Cookie: session=abc; Path=/; Secure; HttpOnly; SameSite=Lax"}, ""),
		// cross-site form POST: Lax keeps the cookie home
		fixture.Entry(300, "POST", "https://bank.example/transfer", 401,
			[]string{"Origin: https://shop.example", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document"}, nil, ""),
		// same-site request without the cookie: unexplained
		fixture.Entry(301, "GET", "https://bank.example/account", 401, []string{"Sec-Fetch-Site: same-origin", "Sec-Fetch-Mode: navigate", "Cookie: other=1"}, nil, ""),
		// other path, other host: not applicable
		fixture.Entry(302, "GET", "https://static.bank.example/x.css", 200, []string{"Sec-Fetch-Site: same-site"}, nil, ""),
	)
	ci := tr.Cookies()
	m1 := ci.ForEntry(1)
	if len(m1) != 1 || m1[0].Kind != jar.CookieEventMissing || m1[0].Miss != jar.MissSameSiteLax {
		t.Fatalf("entry 1 = %+v, want Missing (SameSite=Lax)", m1)
	}
	var m2 jar.CookieEvent
	for _, ev := range ci.ForEntry(2) {
		if ev.Kind == jar.CookieEventMissing {
			m2 = ev
		}
	}
	if m2.Miss != jar.MissUnexplained || m2.Name != "session" {
		t.Errorf("entry 2 missing = %+v", m2)
	}
	if evs := ci.ForEntry(3); len(evs) != 0 {
		t.Errorf("host-only cookie must not apply to another host: %+v", evs)
	}
}

func TestCookieExpiryByEntryTime(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "GET", "https://a.example/", 200, nil, []string{"Set-Cookie: sid=v; Path=/; Max-Age=60"}, ""),
		fixture.Entry(30, "GET", "https://a.example/x", 200, []string{"Cookie: other=1"}, nil, ""),
		fixture.Entry(120, "GET", "https://a.example/y", 200, []string{"Cookie: other=1"}, nil, ""),
	)
	if got := kinds(tr.Cookies().Timeline("sid")); got != "set,missing,expired" {
		t.Errorf("sid timeline = %s, want set,missing,expired (not live, but ran out before entry 2)", got)
	}
}

func TestCookieIndexSkipsMissingWhenRequestsCarryNoCookies(t *testing.T) {
	// A sanitized export: Set-Cookie kept with a placeholder value, no
	// Cookie header anywhere. (Set-Cookie kept as is, with no sanitizer
	// marker, proves cookies were recorded: TestCookieRecordedFromSetCookieAlone.)
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "https://a.example/login", 302, nil, []string{"Set-Cookie: sid=REDACTED; Path=/"}, ""),
		fixture.Entry(1, "GET", "https://a.example/app", 401, nil, nil, ""),
	)
	if tr.Cookies().Recorded() {
		t.Fatal("Recorded() must be false without any request cookie")
	}
	if evs := tr.Cookies().ForEntry(1); len(evs) != 0 {
		t.Errorf("no Missing events expected when cookies were not recorded: %+v", evs)
	}
}

func TestCookieChromeJoinedSetCookieAndDuplicates(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "GET", "https://a.example/app/x", 200, nil, []string{"Set-Cookie: a=1; Path=/\nb=2; Path=/"}, ""),
		fixture.Entry(1, "GET", "https://a.example/app/y", 403, []string{"Cookie: session=old; session=new; a=1; b=2"}, nil, ""),
	)
	if got := kinds(tr.Cookies().Timeline("b")); got != "set,sent" {
		t.Errorf("b timeline = %s (newline-joined Set-Cookie must split)", got)
	}
	dup := 0
	for _, ev := range tr.Cookies().ForEntry(1) {
		if ev.Name == "session" && ev.Duplicate {
			dup++
		}
	}
	if dup != 2 {
		t.Errorf("duplicate session cookies not marked: %d", dup)
	}
}

// FuzzCookieTimeline: hostile Set-Cookie, Cookie and URL text must never
// panic the index (it is built by New, outside the rules' recover),
// and no event may show a raw value.
func FuzzCookieTimeline(f *testing.F) {
	f.Add("https://a.example/p/q", "sid=SECRETVALUE; Path=/p; Domain=.a.example; Max-Age=0", "sid=SECRETVALUE; x")
	f.Add("http://localhost:1/", "__Host-x=SECRETVALUE; Secure; Path=/", "")
	f.Add("http://[::1]:80/a", `q="SECRETVALUE"; Expires=Wed, 21 Oct 2015 07:28:00 GMT; SameSite=None; Partitioned`, "q=SECRETVALUE;;=;")
	f.Add("not a url", "=;;;", "=")
	f.Fuzz(func(t *testing.T, u, setCookie, cookie string) {
		tr := fixtureTrace(
			fixture.Entry(0, "POST", u, 302, nil, []string{"Set-Cookie: " + setCookie}, ""),
			fixture.Entry(1, "GET", u, 401, []string{"Cookie: " + cookie}, nil, ""),
			fixture.Entry(2, "GET", u, 403, []string{"Cookie: " + cookie}, nil, ""),
		)
		for _, n := range tr.Cookies().Names() {
			for _, ev := range tr.Cookies().Timeline(n) {
				if strings.Contains(ev.Value, "SECRETVALUE") || strings.Contains(ev.Attributes, "SECRETVALUE") || strings.Contains(ev.Reason, "SECRETVALUE") {
					t.Fatalf("raw value shown: %+v", ev)
				}
			}
		}
		for _, r := range []*analysis.Rule{StaleCookie, CookieRejected, CookieNotSent} {
			p := &analysis.Pass{Rule: r, Trace: tr}
			r.Run(p)
		}
	})
}
