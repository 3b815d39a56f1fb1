package rules

import (
	"strings"
	"testing"

	"authlens/analysis"
	"authlens/analysis/internal/fixture"
	"authlens/analysis/trace"
	"authlens/har"
)

// Tests for the readings of a 403 that the web server's own page answered
// after a signed-in session worked elsewhere: firewall text in cookies and
// Headers, a folder whose files are served, and a location never served.

const nginx403 = `<html>
<head><title>403 Forbidden</title></head>
<body>
<center><h1>403 Forbidden</h1></center>
<hr><center>nginx/1.22.1</center>
</body>
</html>`

// topCause returns the rule with the highest confidence on entry i.
func topCause(t *testing.T, tr *trace.Trace, i int, rules ...*analysis.Rule) (string, float64) {
	t.Helper()
	best, conf := "", -1.0
	for _, r := range rules {
		if f, ok := findingsOf(t, r, tr)[i]; ok && f.Confidence > conf {
			best, conf = r.ID, f.Confidence
		}
	}
	return best, conf
}

var plainRefusalRules = []*analysis.Rule{WAFBlock, InsufficientPermissions, IPRestriction, DirectoryListingForbidden, FilesystemPermission}

// ModSecurity/CRS inspects cookies (REQUEST_COOKIES): attack text stored
// in a cookie gets the same plain 403 as attack text in the URL.
func TestWAFBlockReadsCookiesAndHeaders(t *testing.T) {
	const site = "http://127.0.0.1:8080"
	tr := fixtureTrace(
		fixture.Entry(0, "GET", site+"/app", 200, []string{"Cookie: sid=sid-alice-secret"}, nil, "<h1>App</h1>"),
		fixture.Entry(1, "GET", site+"/api/me", 200, []string{"Cookie: sid=sid-alice-secret"}, nil, `{"user":"alice"}`),
		fixture.Entry(2, "GET", site+"/app/orders", 403, []string{"Cookie: sid=sid-alice-secret; order_filter=' OR '1'='1' --"}, nil, apache403),
		fixture.Entry(3, "GET", site+"/app/export", 403, []string{"Cookie: sid=sid-alice-secret", "X-Filter: <script>alert(1)</script>"}, nil, apache403),
		// Traps: an ordinary cookie, and attack text only in the Referer
		// (the address of an earlier page, not this request's content).
		fixture.Entry(4, "GET", site+"/app/reports", 403, []string{"Cookie: sid=sid-alice-secret; theme=dark"}, nil, apache403),
		fixture.Entry(5, "GET", site+"/app/audit", 403, []string{"Cookie: sid=sid-alice-secret", "Referer: " + site + "/search?q=<script>alert(1)</script>"}, nil, apache403),
	)
	waf := findingsOf(t, WAFBlock, tr)
	f := wantFinding(t, waf, 2, 0.55, 0.65, "order_filter", "' OR '1'='1'", "delete this site's cookies")
	if f.Evidence[0].Where != har.RequestHeader("Cookie") {
		t.Errorf("cookie attack evidence is at %q, want request.headers.Cookie", f.Evidence[0].Where)
	}
	f = wantFinding(t, waf, 3, 0.55, 0.65, "X-Filter", "<script>")
	if f.Evidence[0].Where != har.RequestHeader("X-Filter") {
		t.Errorf("header attack evidence is at %q, want request.headers.X-Filter", f.Evidence[0].Where)
	}
	wantNoFinding(t, waf, 4)
	wantNoFinding(t, waf, 5)
	noRawSecret(t, waf, "sid-alice-secret")

	for _, i := range []int{2, 3} {
		if id, conf := topCause(t, tr, i, plainRefusalRules...); id != "waf-block" {
			t.Errorf("entry %d: top cause %s (%.2f), want waf-block", i, id, conf)
		}
	}
	perm := findingsOf(t, InsufficientPermissions, tr)
	wantFinding(t, perm, 2, 0.2, 0.3, "waf-block")
	// Without attack text the accepted session keeps the role reading.
	wantFinding(t, perm, 4, 0.65, 0.75)
}

// A query with a script tag answered by the server's own 403 page is a
// firewall block even though the same session was accepted a moment
// before; the application's own refusal of the same request is not.
func TestServerPageAfterAttackTextIsNotARole(t *testing.T) {
	const site = "http://127.0.0.1:8080"
	ck := []string{"Cookie: sid=sid-alice"}
	tr := fixtureTrace(
		fixture.Entry(0, "GET", site+"/api/items/7?q=widget", 200, ck, nil, `{"id":7}`),
		fixture.Entry(1, "GET", site+"/api/items/7?q=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E", 403, ck, nil, apache403),
		// Trap: the application itself answered, naming a permission.
		fixture.Entry(2, "GET", site+"/api/items/9?q=%3Cscript%3E", 403, ck, []string{"Content-Type: application/json"},
			`{"error":"your role does not allow reading item 9"}`),
	)
	if id, conf := topCause(t, tr, 1, plainRefusalRules...); id != "waf-block" {
		t.Errorf("entry 1: top cause %s (%.2f), want waf-block", id, conf)
	}
	perm := findingsOf(t, InsufficientPermissions, tr)
	wantFinding(t, perm, 1, 0.2, 0.3, "firewall")
	wantFinding(t, perm, 2, 0.75, 0.9, "permissions")
	if id, conf := topCause(t, tr, 2, plainRefusalRules...); id != "insufficient-permissions" {
		t.Errorf("entry 2: top cause %s (%.2f), want insufficient-permissions", id, conf)
	}
}

// portalTrace is a signed-in portal: the login page and its assets load
// without a session, the application's pages with one, then the refusal.
func portalTrace(refused string) *trace.Trace {
	const site = "http://127.0.0.1:8081"
	ck := []string{"Cookie: portal_session=ps-alice"}
	return fixtureTrace(
		fixture.Entry(0, "GET", site+"/login", 200, nil, nil, "<form>"),
		fixture.Entry(1, "GET", site+"/static/app.css", 200, nil, nil, "body{}"),
		fixture.Entry(2, "GET", site+"/app/", 200, ck, nil, "<h1>Portal</h1>"),
		fixture.Entry(3, "GET", site+"/api/session", 200, ck, nil, `{"user":"alice"}`),
		fixture.Entry(4, "GET", site+"/api/notifications", 200, ck, nil, `[]`),
		fixture.Entry(5, "GET", site+refused, 403, ck, nil, nginx403),
	)
}

// A whole top-level location never served while the session works in
// the application's own locations: an allow/deny block reads like this,
// and so does a role check the server makes for that location, so the
// two stay close and the role reading says what tells them apart.
func TestUnservedLocationKeepsAllowListAndRoleClose(t *testing.T) {
	tr := portalTrace("/admin/")
	ip := wantFinding(t, findingsOf(t, IPRestriction, tr), 5, 0.45, 0.55, "Nothing under /admin/", "allow/deny")
	perm := wantFinding(t, findingsOf(t, InsufficientPermissions, tr), 5, 0.4, 0.5, "What tells them apart", "access forbidden by rule")
	if ip.Confidence <= perm.Confidence || ip.Confidence-perm.Confidence > 0.1 {
		t.Errorf("allow-list %.2f and role %.2f should be close with the allow-list first", ip.Confidence, perm.Confidence)
	}
	if id, _ := topCause(t, tr, 5, plainRefusalRules...); id != "ip-restriction" {
		t.Errorf("top cause %s, want ip-restriction", id)
	}

	// Trap: a resource inside a location the session was served (/app/)
	// is the application's (or its auth service's) role check.
	tr = portalTrace("/app/billing")
	wantFinding(t, findingsOf(t, InsufficientPermissions, tr), 5, 0.65, 0.75, "accepted")
	if f := findingsOf(t, IPRestriction, tr)[5]; f.Confidence >= 0.45 {
		t.Errorf("/app/billing: ip-restriction %.2f should stay low", f.Confidence)
	}
	if id, _ := topCause(t, tr, 5, plainRefusalRules...); id != "insufficient-permissions" {
		t.Errorf("/app/billing: top cause %s, want insufficient-permissions", id)
	}

	// Trap: a root-level resource has no location of its own to judge.
	tr = portalTrace("/billing")
	wantFinding(t, findingsOf(t, InsufficientPermissions, tr), 5, 0.65, 0.75)
}

// A folder address refused with the server's page while a file inside it
// is served: the catalogue's directory-listing signal, above a role
// reading built on a session cookie the static folder never needed.
func TestFolderWithServedFileIsDirectoryListing(t *testing.T) {
	tr := portalTrace("/static/")
	tr = fixtureTrace(append(tr.Entries,
		fixture.Entry(6, "GET", "http://127.0.0.1:8081/static/guides/onboarding.html", 200, []string{"Cookie: portal_session=ps-alice"}, nil, "<h1>Guide</h1>"))...)
	wantFinding(t, findingsOf(t, DirectoryListingForbidden, tr), 5, 0.55, 0.65, "inside that folder was served")
	perm := wantFinding(t, findingsOf(t, InsufficientPermissions, tr), 5, 0.25, 0.35, "without any session")
	if !strings.Contains(perm.Explanation, "/static/app.css") {
		t.Errorf("role doubt should name the file served without a session: %s", perm.Explanation)
	}
	if id, conf := topCause(t, tr, 5, plainRefusalRules...); id != "directory-listing-forbidden" {
		t.Errorf("top cause %s (%.2f), want directory-listing-forbidden", id, conf)
	}

	// A folder whose files were served only to the session: still a
	// Folder address without an index page first, the role reading lower.
	const site = "http://127.0.0.1:8082"
	ck := []string{"Cookie: app_session=s1"}
	tr = fixtureTrace(
		fixture.Entry(0, "GET", site+"/home", 200, ck, nil, "<h1>Home</h1>"),
		fixture.Entry(1, "GET", site+"/reports/q1.html", 200, ck, nil, "<h1>Q1</h1>"),
		fixture.Entry(2, "GET", site+"/reports/", 403, ck, nil, nginx403),
		// Trap: a sibling folder whose name starts alike is not "inside".
		fixture.Entry(3, "GET", site+"/rep/", 403, ck, nil, nginx403),
	)
	wantFinding(t, findingsOf(t, InsufficientPermissions, tr), 2, 0.35, 0.45, "index page")
	if id, conf := topCause(t, tr, 2, plainRefusalRules...); id != "directory-listing-forbidden" {
		t.Errorf("/reports/: top cause %s (%.2f), want directory-listing-forbidden", id, conf)
	}
	if f := findingsOf(t, DirectoryListingForbidden, tr)[3]; f.Confidence > 0.55 || strings.Contains(f.Explanation, "inside that folder was served") {
		t.Errorf("/rep/: no file inside it was served, got %.2f: %s", f.Confidence, f.Explanation)
	}
}

// Trap: an API that answers some calls to anyone and checks roles on
// others under the same prefix (nginx auth_request gives nginx's own page
// for the refusal). The anonymous call is no sign the refused call is
// unguarded, so the role reading stands.
func TestAnonymousAPINeighbourKeepsRoleReading(t *testing.T) {
	const site = "http://127.0.0.1:8083"
	ck := []string{"Cookie: portal_session=ps-bob"}
	tr := fixtureTrace(
		fixture.Entry(0, "GET", site+"/api/status", 200, nil, nil, `{"ok":true}`),
		fixture.Entry(1, "GET", site+"/api/profile", 200, ck, nil, `{"user":"bob"}`),
		fixture.Entry(2, "GET", site+"/api/billing/invoices", 403, ck, nil, nginx403),
	)
	wantFinding(t, findingsOf(t, InsufficientPermissions, tr), 2, 0.65, 0.75, "accepted")
	if id, conf := topCause(t, tr, 2, plainRefusalRules...); id != "insufficient-permissions" {
		t.Errorf("top cause %s (%.2f), want insufficient-permissions", id, conf)
	}
}
