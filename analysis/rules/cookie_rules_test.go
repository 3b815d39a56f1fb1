package rules

import (
	"testing"

	"authlens/analysis/internal/fixture"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
)

func TestStaleCookieAfterLogout(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "https://app.example.com/login", 302, nil, []string{"Set-Cookie: sessionid=AAAA1111; Path=/; HttpOnly; Secure"}, ""),
		fixture.Entry(5, "POST", "https://app.example.com/logout", 302, []string{"Cookie: sessionid=AAAA1111"}, []string{"Set-Cookie: sessionid=deleted; Path=/; Max-Age=0"}, ""),
		fixture.Entry(9, "GET", "https://app.example.com/account", 401, []string{"Cookie: sessionid=AAAA1111"}, []string{"WWW-Authenticate: Cookie"}, ""),
		fixture.Entry(12, "GET", "https://app.example.com/account", 200, []string{"Cookie: sessionid=BBBB2222"}, nil, ""),
	)
	fs := findingsOf(t, StaleCookie, tr)
	f := wantFinding(t, fs, 2, 0.8, 0.95, "sessionid", "app.example.com", "entry #1")
	if f.Remedy[0].Who != trace.User || f.Remedy[len(f.Remedy)-1].Who != trace.Developer {
		t.Errorf("remedy order: %+v", f.Remedy)
	}
	wantNoFinding(t, fs, 3)
	noRawSecret(t, fs, "AAAA1111")
}

func TestStaleCookieTraps(t *testing.T) {
	// A 401 with the current cookie value is not stale; a replaced
	// analytics cookie is not a session.
	tr := fixtureTrace(
		fixture.Entry(0, "GET", "https://app.example.com/", 200, nil, []string{"Set-Cookie: sessionid=CUR; Path=/", "Set-Cookie: _ga=1; Path=/"}, ""),
		fixture.Entry(1, "GET", "https://app.example.com/a", 200, []string{"Cookie: sessionid=CUR; _ga=1"}, []string{"Set-Cookie: _ga=2; Path=/"}, ""),
		fixture.Entry(2, "GET", "https://app.example.com/b", 403, []string{"Cookie: sessionid=CUR; _ga=1"}, nil, ""),
	)
	fs := findingsOf(t, StaleCookie, tr)
	if f, ok := fs[2]; ok && f.Confidence > 0.7 {
		t.Errorf("stale tracking cookie ranked %.2f: %s", f.Confidence, f.Explanation)
	}
}

func TestCookieRejectedSameSiteNoneOverHTTP(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "http://127.0.0.1:8080/login/sso", 302, nil, []string{"Set-Cookie: sso_session=S3CR3TVALUE; Path=/; HttpOnly; SameSite=None", "Location: /app/"}, ""),
		fixture.Entry(1, "GET", "http://127.0.0.1:8080/app/", 401, []string{"Cookie: theme=dark"}, []string{"WWW-Authenticate: Session"}, ""),
		fixture.Entry(2, "GET", "http://127.0.0.1:8080/static/app.css", 200, nil, nil, ""),
	)
	fs := findingsOf(t, CookieRejected, tr)
	wantFinding(t, fs, 1, 0.8, 0.95, "sso_session", "SameSite=None without Secure", "Secure")
	wantFinding(t, fs, 0, 0.7, 0.9, "sso_session") // the login 302 whose cookie was refused
	wantNoFinding(t, fs, 2)
	noRawSecret(t, fs, "S3CR3TVALUE")
}

func TestCookieRejectedTraps(t *testing.T) {
	// Secure on http://localhost is accepted by Chromium 89+; Firefox
	// accepts SameSite=None without Secure.
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "http://localhost:3000/login", 302, nil, []string{"Set-Cookie: session=v; Path=/; Secure; HttpOnly"}, ""),
		fixture.Entry(1, "GET", "http://localhost:3000/app", 403, []string{"Cookie: other=1"}, nil, ""),
	)
	if fs := findingsOf(t, CookieRejected, tr); len(fs) != 0 {
		t.Errorf("Chromium accepts Secure on http://localhost, got %+v", fs)
	}
	ff := fixture.Entry(0, "POST", "http://127.0.0.1:8080/login", 302, nil, []string{"Set-Cookie: session=v; Path=/; SameSite=None"}, "")
	ff.Request.Headers = fixture.Headers("User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
	if fs := findingsOf(t, CookieRejected, fixtureTrace(ff)); len(fs) != 0 {
		t.Errorf("Firefox accepts SameSite=None without Secure, got %+v", fs)
	}
}

func TestCookieNotSentCrossSitePost(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "http://127.0.0.1:8000/login", 302, nil, []string{"Set-Cookie: bank_session=XYZ; Path=/; HttpOnly; SameSite=Lax"}, ""),
		fixture.Entry(2, "GET", "http://127.0.0.1:8000/app/", 200, []string{"Cookie: bank_session=XYZ", "Sec-Fetch-Site: same-origin"}, nil, ""),
		fixture.Entry(600, "POST", "http://127.0.0.1:8000/app/transfer", 401,
			[]string{"Origin: http://localhost:9000", "Referer: http://localhost:9000/pay.html", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document"}, nil, ""),
	)
	fs := findingsOf(t, CookieNotSent, tr)
	wantFinding(t, fs, 2, 0.75, 0.9, "bank_session", "SameSite=Lax", "SameSite=None; Secure")
	wantNoFinding(t, fs, 1)
	noRawSecret(t, fs, "XYZ")
}

func TestCookieNotSentTrapCrossSiteGETNavigation(t *testing.T) {
	// A Lax cookie does travel on a cross-site top-level GET; missing there
	// is not explained by SameSite, and a tracking cookie is never named.
	tr := fixtureTrace(
		fixture.Entry(0, "GET", "https://bank.example/", 200, nil, []string{"Set-Cookie: _ga=G1; Path=/; SameSite=Lax"}, ""),
		fixture.Entry(1, "GET", "https://bank.example/app", 401, []string{"Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate", "Cookie: x=1"}, nil, ""),
	)
	if fs := findingsOf(t, CookieNotSent, tr); len(fs) != 0 {
		t.Errorf("tracking cookie named: %+v", fs)
	}
}

func TestCachedResponse(t *testing.T) {
	fromCache := fixture.Entry(0, "GET", "https://app.example.com/report", 403, nil, []string{"Cache-Control: max-age=600"}, "")
	fromCache.FromCache = "disk"
	tr := fixtureTrace(
		fromCache,
		fixture.Entry(1, "GET", "https://cdn.example.com/doc", 403, nil, []string{"Age: 120", "X-Cache: Hit from cloudfront", "Cache-Control: public, max-age=3600"}, ""),
		// traps: a cache hit without explicit freshness, and a missing no-store alone
		fixture.Entry(2, "GET", "https://cdn.example.com/doc2", 403, nil, []string{"Age: 5", "CF-Cache-Status: HIT"}, ""),
		fixture.Entry(3, "GET", "https://app.example.com/x", 401, nil, []string{"Cache-Control: private"}, ""),
		fixture.Entry(4, "GET", "https://cdn.example.com/doc3", 403, nil, []string{"CF-Cache-Status: DYNAMIC", "Cache-Control: max-age=60"}, ""),
	)
	fs := findingsOf(t, CachedResponse, tr)
	wantFinding(t, fs, 0, 0.8, 0.9, "disk", "Ctrl+Shift+R")
	wantFinding(t, fs, 1, 0.6, 0.8, "Hit from cloudfront", "no-store")
	wantNoFinding(t, fs, 2)
	wantNoFinding(t, fs, 3)
	wantNoFinding(t, fs, 4)
}

func TestCookieRejectedOnCredentiallessCrossOriginFetch(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "https://api.example.net/session", 200,
			[]string{"Origin: https://app.example.com", "Sec-Fetch-Mode: cors", "Sec-Fetch-Site: cross-site"},
			[]string{"Set-Cookie: api_session=Q; Path=/; Secure; HttpOnly; SameSite=None", "Access-Control-Allow-Origin: https://app.example.com"}, `{"ok":true}`),
		fixture.Entry(1, "GET", "https://api.example.net/me", 401,
			[]string{"Origin: https://app.example.com", "Sec-Fetch-Mode: cors", "Sec-Fetch-Site: cross-site"}, nil, ""),
	)
	evs := tr.Cookies().ForEntry(0)
	if len(evs) != 1 || evs[0].Reject != jar.RejectNoCredentials {
		t.Fatalf("events = %+v, want the Set-Cookie ignored (no credentials mode)", evs)
	}
	fs := findingsOf(t, CookieRejected, tr)
	wantFinding(t, fs, 1, 0.8, 0.95, "api_session", "credentials: 'include'", "Access-Control-Allow-Credentials: true")
}

func TestStaleCookieOlderDuplicateSentFirst(t *testing.T) {
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "https://app.example.com/app/login", 302, nil, []string{"Set-Cookie: session=OLD111; Path=/app; HttpOnly"}, ""),
		fixture.Entry(60, "POST", "https://app.example.com/login", 302, nil, []string{"Set-Cookie: session=NEW222; Path=/; HttpOnly"}, ""),
		fixture.Entry(61, "GET", "https://app.example.com/app/", 401, []string{"Cookie: session=OLD111; session=NEW222"}, nil, ""),
		// the newer copy first is what the server should read: only the plain duplicate reading
		fixture.Entry(62, "GET", "https://app.example.com/app/x", 401, []string{"Cookie: session=NEW222; session=OLD111"}, nil, ""),
	)
	fs := findingsOf(t, StaleCookie, tr)
	wantFinding(t, fs, 2, 0.8, 0.85, "older one", "Path (/app)")
	wantFinding(t, fs, 3, 0.5, 0.6)
	noRawSecret(t, fs, "OLD111")
}
