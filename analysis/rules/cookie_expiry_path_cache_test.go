package rules

import (
	"net/http"
	"strings"
	"testing"

	"authlens/analysis/internal/fixture"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
)

// A session cookie with Max-Age=4 that ran out before a later request to
// its path is an Expired event on that request; a long-lived cookie and
// a cookie of another path are not.
func TestCookieExpiredBeforeRequest(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "http://127.0.0.1:8000/kiosk/login/", 302, nil,
			[]string{"Set-Cookie: sessionid=abc123secret; Max-Age=4; Path=/; HttpOnly; SameSite=Lax",
				"Set-Cookie: csrftoken=tok; Max-Age=31449600; Path=/",
				"Set-Cookie: auth_admin=zzz; Max-Age=2; Path=/admin"}, ""),
		fixture.Entry(1, "GET", "http://127.0.0.1:8000/kiosk/", 200, []string{"Cookie: csrftoken=tok; sessionid=abc123secret"}, nil, ""),
		fixture.Entry(7, "GET", "http://127.0.0.1:8000/kiosk/orders/", 302, []string{"Cookie: csrftoken=tok"},
			[]string{"Location: /accounts/login/?next=/kiosk/orders/"}, ""),
	)
	ci := tr.Cookies()
	if got := ci.ExpiredBefore(1); len(got) != 0 {
		t.Fatalf("entry 1 (1 s after the set) must have no expired cookie, got %+v", got)
	}
	got := ci.ExpiredBefore(2)
	if len(got) != 1 {
		t.Fatalf("ExpiredBefore(2) = %+v, want exactly sessionid", got)
	}
	ev := got[0]
	if ev.Name != "sessionid" || ev.Kind != jar.CookieEventExpired || ev.SetAt != 0 || ev.Path != "/" {
		t.Errorf("expired event = %+v", ev)
	}
	if !strings.Contains(ev.Reason, "Max-Age=4") || !strings.Contains(ev.Reason, "entry #0") || !strings.Contains(ev.Reason, "3 s before") {
		t.Errorf("reason = %q", ev.Reason)
	}
	if strings.Contains(ev.Value, "secret") {
		t.Errorf("raw value exposed: %q", ev.Value)
	}
	if ev.Kind.String() != "expired" {
		t.Errorf("String() = %q", ev.Kind.String())
	}
}

// Trap: a session cookie that expired but was set again (login) before
// the request, or that the request still sent, is no Expired event.
func TestCookieExpiredNotWhenRenewedOrSent(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "http://127.0.0.1:8000/login", 302, nil,
			[]string{"Set-Cookie: sid=one; Max-Age=2; Path=/; HttpOnly"}, ""),
		fixture.Entry(5, "POST", "http://127.0.0.1:8000/login", 302, nil,
			[]string{"Set-Cookie: sid=two; Max-Age=60; Path=/; HttpOnly"}, ""),
		fixture.Entry(6, "GET", "http://127.0.0.1:8000/app", 401, []string{"Cookie: sid=two"}, nil, ""),
		fixture.Entry(7, "GET", "http://127.0.0.1:8000/other", 401, nil, nil, ""),
	)
	ci := tr.Cookies()
	// The login request itself went without the expired sid: that is true.
	if got := ci.ExpiredBefore(1); len(got) != 1 {
		t.Errorf("ExpiredBefore(1) = %+v, want the sid that ran out", got)
	}
	for i := 2; i < 4; i++ {
		if got := ci.ExpiredBefore(i); len(got) != 0 {
			t.Errorf("ExpiredBefore(%d) = %+v, want none (renewed at entry 1)", i, got)
		}
	}
}

// Item: a logout that clears the session cookie at another Path than the
// live one leaves it in the browser; sending it afterwards is stale.
func TestStaleCookieAfterClearAtOtherPath(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "http://127.0.0.1:8000/app/login", 302, nil,
			[]string{"Set-Cookie: sid=s3cretsession; Path=/app; HttpOnly", "Location: /app/dashboard"}, ""),
		fixture.Entry(1, "GET", "http://127.0.0.1:8000/app/dashboard", 200, []string{"Cookie: sid=s3cretsession"}, nil, "ok"),
		fixture.Entry(2, "GET", "http://127.0.0.1:8000/app/logout", 302, []string{"Cookie: sid=s3cretsession"},
			[]string{"Set-Cookie: sid=; Path=/; Max-Age=0; HttpOnly", "Location: /app/signed-out"}, ""),
		fixture.Entry(3, "GET", "http://127.0.0.1:8000/app/signed-out", 200, []string{"Cookie: sid=s3cretsession"}, nil, "bye"),
		fixture.Entry(4, "GET", "http://127.0.0.1:8000/app/reports", 401, []string{"Cookie: sid=s3cretsession"}, nil, "Your session has expired"),
	)
	ci := tr.Cookies()
	var sent jar.CookieEvent
	for _, ev := range ci.ForEntry(4) {
		if ev.Kind == jar.CookieEventSent {
			sent = ev
		}
	}
	if sent.StaleOf != 2 || !sent.ClearMissed || !strings.Contains(sent.Reason, "Path=/app") {
		t.Fatalf("entry 4 sent event = %+v, want stale (missed clear at entry 2)", sent)
	}
	f := wantFinding(t, findingsOf(t, StaleCookie, tr), 4, 0.85, 0.9)
	if !strings.Contains(f.Explanation, "Path=/ for 127.0.0.1") || !strings.Contains(f.Explanation, "same Path and Domain") {
		t.Errorf("explanation = %q", f.Explanation)
	}
	// The public signed-out page after the logout is no proof the session
	// still works: no authz-as-401.
	if fs := findingsOf(t, AuthzAs401, tr); len(fs) != 0 {
		t.Errorf("authz-as-401 must not count answers around a logout that cleared the session: %+v", fs)
	}
}

// Trap: a response that stores the session at /app and clears a legacy
// copy at / is a migration, not a missed logout; and without any clear,
// authz-as-401 still fires for a cookie session accepted elsewhere.
func TestStaleCookieMigrationAndAuthzWithoutClear(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "http://127.0.0.1:8000/app/login", 302, nil,
			[]string{"Set-Cookie: sid=s3cretsession; Path=/app; HttpOnly"}, ""),
		fixture.Entry(1, "GET", "http://127.0.0.1:8000/app/home", 200, []string{"Cookie: sid=s3cretsession"},
			[]string{"Set-Cookie: sid=s3cretsession; Path=/app; HttpOnly\nsid=; Path=/; Max-Age=0"}, "ok"),
		fixture.Entry(2, "GET", "http://127.0.0.1:8000/app/admin", 401, []string{"Cookie: sid=s3cretsession"}, nil, "Access denied"),
	)
	for _, ev := range tr.Cookies().ForEntry(2) {
		if ev.Kind == jar.CookieEventSent && ev.StaleOf >= 0 {
			t.Errorf("a migration clear beside a fresh set must not make the cookie stale: %+v", ev)
		}
	}
	if fs := findingsOf(t, StaleCookie, tr); len(fs) != 0 {
		t.Errorf("stale-cookie fired on a migration: %+v", fs)
	}
	wantFinding(t, findingsOf(t, AuthzAs401, tr), 2, 0.5, 0.7)
}

// Item: an iframe load is a navigation, but not a top-level one: a Lax
// cookie stays out of a cross-site iframe.
func TestLaxCookieNotSentToCrossSiteIframe(t *testing.T) {
	mk := func(dest string) *trace.Trace {
		return fixtureTrace(
			fixture.Entry(0, "POST", "http://127.0.0.1:8000/login", 302, nil,
				[]string{"Set-Cookie: shop_session=abc; Path=/; HttpOnly; SameSite=Lax"}, ""),
			fixture.Entry(1, "GET", "http://127.0.0.1:8000/account", 200, []string{"Cookie: shop_session=abc"}, nil, "ok"),
			fixture.Entry(2, "GET", "http://127.0.0.1:8000/account/orders", 401,
				[]string{"Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: " + dest, "Referer: http://localhost:9000/"}, nil, "sign in"),
		)
	}
	tr := mk("iframe")
	var miss jar.CookieEvent
	for _, ev := range tr.Cookies().ForEntry(2) {
		if ev.Kind == jar.CookieEventMissing {
			miss = ev
		}
	}
	if miss.Miss != jar.MissSameSiteLax || !strings.Contains(miss.Reason, "iframe load") {
		t.Fatalf("iframe miss = %+v, want SameSite=Lax", miss)
	}
	wantFinding(t, findingsOf(t, CookieNotSent, tr), 2, 0.8, 0.85, "SameSite=Lax")

	// Trap: a top-level cross-site GET navigation does carry Lax cookies,
	// so their absence is not explained by SameSite.
	top := mk("document")
	for _, ev := range top.Cookies().ForEntry(2) {
		if ev.Kind == jar.CookieEventMissing && ev.Miss == jar.MissSameSiteLax {
			t.Errorf("top-level GET navigation blamed on SameSite=Lax: %+v", ev)
		}
	}
}

// Item: a session cookie whose Path keeps it off the failing API call is
// a Missing event and cookie-not-sent.
func TestCookieMissingByPath(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "http://127.0.0.1:8000/shop/login", 302, nil,
			[]string{"Set-Cookie: shop_session=abc; Path=/shop; HttpOnly; SameSite=Lax"}, ""),
		fixture.Entry(1, "GET", "http://127.0.0.1:8000/shop/account", 200, []string{"Cookie: shop_session=abc"}, nil, "ok"),
		fixture.Entry(2, "GET", "http://127.0.0.1:8000/static/app.js", 200, []string{"Sec-Fetch-Mode: no-cors"}, nil, "js"),
		fixture.Entry(3, "GET", "http://127.0.0.1:8000/api/shop/orders", 401,
			[]string{"Sec-Fetch-Site: same-origin", "Sec-Fetch-Mode: cors", "Sec-Fetch-Dest: empty"}, nil, `{"error":"not_authenticated"}`),
	)
	ci := tr.Cookies()
	if evs := ci.ForEntry(2); len(evs) != 0 {
		t.Errorf("a successful request outside the Path must not list the cookie: %+v", evs)
	}
	var miss jar.CookieEvent
	for _, ev := range ci.ForEntry(3) {
		if ev.Kind == jar.CookieEventMissing {
			miss = ev
		}
	}
	if miss.Miss != jar.MissPathOutside || !strings.Contains(miss.Reason, "Path=/shop") {
		t.Fatalf("entry 3 missing = %+v, want missing by Path", miss)
	}
	f := wantFinding(t, findingsOf(t, CookieNotSent, tr), 3, 0.65, 0.75)
	if !strings.Contains(f.Remedy[0].Step, "Path") {
		t.Errorf("remedy = %+v", f.Remedy)
	}
}

// Trap: a 403 (a firewall page) outside the session cookie's Path, or a
// 401 to a request that carried another session cookie, is no likely
// Path problem: cookie-not-sent stays below generic causes.
func TestCookieMissingByPathTraps(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "http://127.0.0.1:8000/app/login", 302, nil,
			[]string{"Set-Cookie: session=abc; Path=/app; HttpOnly", "Set-Cookie: auth_token=zzz; Path=/; HttpOnly"}, ""),
		fixture.Entry(1, "GET", "http://127.0.0.1:8000/search?q=x", 403, []string{"Cookie: auth_token=zzz"}, nil, "Forbidden"),
		fixture.Entry(2, "GET", "http://127.0.0.1:8000/api/x", 401, []string{"Cookie: auth_token=zzz"}, nil, "nope"),
	)
	fs := findingsOf(t, CookieNotSent, tr)
	for i, f := range fs {
		if f.Confidence > 0.5 {
			t.Errorf("entry %d: cookie-not-sent %.2f, want at most 0.5 for a Path miss beside a sent session cookie", i, f.Confidence)
		}
	}
	tr2 := fixtureTrace(
		fixture.Entry(0, "POST", "http://127.0.0.1:8000/app/login", 302, nil, []string{"Set-Cookie: session=abc; Path=/app; HttpOnly"}, ""),
		fixture.Entry(1, "GET", "http://127.0.0.1:8000/search?q=x", 403, nil, nil, "Forbidden"),
	)
	if f, ok := findingsOf(t, CookieNotSent, tr2)[1]; ok && f.Confidence > 0.45 {
		t.Errorf("a 403 outside the Path: cookie-not-sent %.2f, want at most 0.45", f.Confidence)
	}
}

// Item: a cookie refused for a Domain that does not match the site is
// missing from the site's next requests: the soft 401 is linked to it.
func TestCookieRejectedDomainLinksSetterHost(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "http://app.northwind.test/portal/login", 302, nil,
			[]string{"Set-Cookie: portal_session=abc; Domain=old-northwind.test; Path=/; HttpOnly", "Location: /portal/home"}, ""),
		fixture.Entry(1, "GET", "http://app.northwind.test/portal/home", 302, nil, []string{"Location: /portal/login"}, ""),
		fixture.Entry(2, "GET", "http://other.example/portal/home", 302, nil, []string{"Location: /portal/login"}, ""),
	)
	fs := findingsOf(t, CookieRejected, tr)
	wantFinding(t, fs, 1, 0.8, 0.9, "Domain=old-northwind.test")
	// Trap: another site's soft 401 has nothing to do with it.
	if _, ok := fs[2]; ok {
		t.Errorf("a request to another host was linked to the refused cookie: %+v", fs[2])
	}
}

// Item: a trace whose only cookie is the one the failing request should
// have carried still proves cookies were recorded when Set-Cookie is kept
// as is; a placeholder Set-Cookie (a sanitizer) does not.
func TestCookieRecordedFromSetCookieAlone(t *testing.T) {
	mk := func(value string) *trace.Trace {
		return fixtureTrace(
			fixture.Entry(0, "GET", "http://127.0.0.1:8000/oidc/start", 302, nil,
				[]string{"Set-Cookie: oidc_state=" + value + "; Path=/; HttpOnly; SameSite=Lax", "Location: http://localhost:9000/authorize"}, ""),
			fixture.Entry(1, "GET", "http://localhost:9000/authorize", 200, nil, nil, "form"),
			fixture.Entry(2, "POST", "http://127.0.0.1:8000/oidc/callback", 401,
				[]string{"Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document", "Origin: http://localhost:9000"}, nil, "state mismatch"),
		)
	}
	tr := mk("st4te")
	if !tr.Cookies().Recorded() {
		t.Fatal("Set-Cookie kept with no sanitizer marker must count as recorded")
	}
	wantFinding(t, findingsOf(t, CookieNotSent, tr), 2, 0.7, 0.85, "SameSite=Lax")
	if san := mk("REDACTED"); san.Cookies().Recorded() {
		t.Error("a placeholder Set-Cookie is a sanitizer's mark: not recorded")
	}
}

// dateAt is a Date header sec seconds after the fixtures' start.
func dateAt(sec int) string {
	return "Date: " + fixture.Time(sec).UTC().Format(http.TimeFormat)
}

// Item: a CDP recorder writes no _fromCache; a stored 403 replayed by the
// browser shows as provisional-only request headers and the old Date of
// the earlier 403. It is cached-response, and its missing Cookie header
// is no cookie event.
func TestBrowserCacheHitFootprints(t *testing.T) {
	full := []string{"Accept: text/html", "Accept-Encoding: gzip", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document", "Sec-Fetch-Site: none", "Cookie: gh_user=alice"}
	tr := fixtureTrace(
		fixture.Entry(0, "GET", "http://127.0.0.1:8000/who?u=alice", 200, nil, []string{dateAt(0), "Set-Cookie: gh_user=alice; Path=/; HttpOnly"}, "hi"),
		fixture.Entry(1, "GET", "http://127.0.0.1:8000/reports/q3", 403, full, []string{dateAt(1), "Cache-Control: private, max-age=3600"}, "no access"),
		fixture.Entry(2, "GET", "http://127.0.0.1:8000/reports/grant", 200, full, []string{dateAt(2)}, "ok"),
		fixture.Entry(4, "GET", "http://127.0.0.1:8000/reports/q3", 403, []string{"Upgrade-Insecure-Requests: 1"},
			[]string{dateAt(1), "Cache-Control: private, max-age=3600"}, "no access"),
		fixture.Entry(5, "GET", "http://127.0.0.1:8000/reports/q3", 200, full, []string{dateAt(5)}, "report"),
	)
	fs := findingsOf(t, CachedResponse, tr)
	f := wantFinding(t, fs, 3, 0.9, 1, "entry 1", "provisional")
	if !strings.Contains(f.Explanation, "entry 4") {
		t.Errorf("the fresh 200 after it is not mentioned: %q", f.Explanation)
	}
	if _, ok := fs[1]; ok {
		t.Errorf("the first 403 came from the server: %+v", fs[1])
	}
	for _, ev := range tr.Cookies().ForEntry(3) {
		if ev.Kind == jar.CookieEventMissing || ev.Kind == jar.CookieEventExpired {
			t.Errorf("a cache hit sent nothing, so nothing is missing: %+v", ev)
		}
	}
	if fs := findingsOf(t, CookieNotSent, tr); len(fs) != 0 {
		t.Errorf("cookie-not-sent on a cache hit: %+v", fs)
	}
}

// Traps: a server whose clock is minutes behind dates every answer in
// the past, and two identical answers within the same second are both
// Fresh: neither is a cache hit. A Date older than the request without
// explicit freshness is not one either.
func TestBrowserCacheHitTraps(t *testing.T) {
	full := []string{"Accept: */*", "Accept-Encoding: gzip", "Sec-Fetch-Mode: cors", "Cookie: sid=abc"}
	skewed := fixtureTrace(
		fixture.Entry(0, "GET", "http://127.0.0.1:8000/a", 200, full, []string{dateAt(-300), "Cache-Control: max-age=60"}, "a"),
		fixture.Entry(10, "GET", "http://127.0.0.1:8000/b", 403, full, []string{dateAt(-290), "Cache-Control: max-age=60"}, "no"),
		fixture.Entry(20, "GET", "http://127.0.0.1:8000/c", 200, full, []string{dateAt(-280)}, "c"),
	)
	if fs := findingsOf(t, CachedResponse, skewed); len(fs) != 0 {
		t.Errorf("a skewed server clock is not a cache hit: %+v", fs)
	}
	sameSecond := fixtureTrace(
		fixture.Entry(0, "GET", "http://127.0.0.1:8000/x", 403, full, []string{dateAt(0)}, "no"),
		fixture.Entry(0, "GET", "http://127.0.0.1:8000/x", 403, full, []string{dateAt(0)}, "no"),
	)
	if fs := findingsOf(t, CachedResponse, sameSecond); len(fs) != 0 {
		t.Errorf("two answers in the same second are not a cache hit: %+v", fs)
	}
	noFreshness := fixtureTrace(
		fixture.Entry(0, "GET", "http://127.0.0.1:8000/a", 200, full, []string{dateAt(0)}, "a"),
		fixture.Entry(10, "GET", "http://127.0.0.1:8000/b", 403, full, []string{dateAt(5), "Cache-Control: private"}, "no"),
	)
	if fs := findingsOf(t, CachedResponse, noFreshness); len(fs) != 0 {
		t.Errorf("an old Date without explicit freshness is no browser-cache hit: %+v", fs)
	}
}
