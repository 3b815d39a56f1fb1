package rules

import (
	"testing"

	"authlens/analysis"
	"authlens/analysis/internal/fixture"
	"authlens/analysis/trace"
)

// A session the server forgot (restart): the same cookie value that
// /api/me accepted is refused again and again, with no new Set-Cookie.
func TestStaleSessionLoopAfterServerLostSessions(t *testing.T) {
	chall := []string{`WWW-Authenticate: Cookie realm="app"`}
	ck := []string{"Cookie: app_sid=K33pS3cret"}
	tr := fixtureTrace(
		fixture.Entry(0, "GET", "http://127.0.0.1:8000/login", 302, nil, []string{"Set-Cookie: app_sid=K33pS3cret; Path=/; HttpOnly; SameSite=Lax", "Location: /home"}, ""),
		fixture.Entry(1, "GET", "http://127.0.0.1:8000/home", 200, ck, nil, "<html>home</html>"),
		fixture.Entry(2, "GET", "http://127.0.0.1:8000/api/me", 200, ck, nil, `{"user":"ann"}`),
		fixture.Entry(30, "GET", "http://127.0.0.1:8000/api/me", 401, ck, chall, ""),
		fixture.Entry(31, "GET", "http://127.0.0.1:8000/login", 302, ck, []string{"Location: /home"}, ""),
		fixture.Entry(32, "GET", "http://127.0.0.1:8000/home", 200, ck, nil, "<html>home</html>"),
		fixture.Entry(33, "GET", "http://127.0.0.1:8000/api/me", 401, ck, chall, ""),
	)
	fs := findingsOf(t, StaleCookie, tr)
	for _, i := range []int{3, 6} {
		f := wantFinding(t, fs, i, 0.75, 0.9, "app_sid", "entry 2", "sign-in loop")
		if f.Remedy[0].Who != trace.User || f.Remedy[len(f.Remedy)-1].Who != trace.Developer {
			t.Errorf("remedy order: %+v", f.Remedy)
		}
	}
	wantNoFinding(t, fs, 2)
	noRawSecret(t, fs, "K33pS3cret")

	stale := fs[3].Confidence
	for _, r := range []*analysis.Rule{MissingCredentials, UnsupportedAuthMethod, AuthzAs401} {
		if f, ok := findingsOf(t, r, tr)[3]; ok && f.Confidence >= stale {
			t.Errorf("%s ranked %.2f, not below stale-cookie %.2f: %s", r.ID, f.Confidence, stale, f.Explanation)
		}
	}
	if f, ok := findingsOf(t, MissingCredentials, tr)[3]; ok && f.Confidence > 0.3 {
		t.Errorf("missing-credentials claims no credential at %.2f though app_sid was sent", f.Confidence)
	}
	if f, ok := findingsOf(t, UnsupportedAuthMethod, tr)[3]; ok && f.Confidence > 0.3 {
		t.Errorf("the app's own Cookie scheme called unsupported at %.2f", f.Confidence)
	}
}

// One refusal of the same call with the same cookie is medium confidence.
func TestStaleSessionSingleRefusal(t *testing.T) {
	ck := []string{"Cookie: sessionid=abc123"}
	tr := fixtureTrace(
		fixture.Entry(0, "POST", "https://app.example.com/login", 302, nil, []string{"Set-Cookie: sessionid=abc123; Path=/; HttpOnly; Secure"}, ""),
		fixture.Entry(1, "GET", "https://app.example.com/api/orders", 200, ck, nil, "[]"),
		fixture.Entry(900, "GET", "https://app.example.com/api/orders", 302, ck, []string{"Location: /login?next=/api/orders"}, ""),
	)
	wantFinding(t, findingsOf(t, StaleCookie, tr), 2, 0.6, 0.75, "sessionid", "entry 1")
}

func TestStaleSessionTraps(t *testing.T) {
	ck := []string{"Cookie: sessionid=abc123"}
	login := fixture.Entry(0, "POST", "https://app.example.com/login", 302, nil, []string{"Set-Cookie: sessionid=abc123; Path=/; HttpOnly; Secure"}, "")
	ok := fixture.Entry(1, "GET", "https://app.example.com/api/orders", 200, ck, nil, "[]")

	// The same call works again later with the same cookie: the session
	// is alive, the 401 was something else.
	flaky := fixtureTrace(login, ok,
		fixture.Entry(5, "GET", "https://app.example.com/api/orders", 401, ck, nil, ""),
		fixture.Entry(6, "GET", "https://app.example.com/api/orders", 200, ck, nil, "[]"),
	)
	wantNoFinding(t, findingsOf(t, StaleCookie, flaky), 2)

	// A permission refusal of another call, once: authz-as-401 leads.
	authz := fixtureTrace(login, ok,
		fixture.Entry(5, "GET", "https://app.example.com/api/finance", 401, ck, nil, `{"error":"Your role is not allowed"}`),
	)
	wantNoFinding(t, findingsOf(t, StaleCookie, authz), 2)
	wantFinding(t, findingsOf(t, AuthzAs401, authz), 2, 0.5, 0.8)

	// The request carried an Authorization header: the cookie is not
	// what was refused.
	bearer := fixtureTrace(login, ok,
		fixture.Entry(5, "GET", "https://app.example.com/api/orders", 401, []string{"Cookie: sessionid=abc123", "Authorization: Bearer x.y.z"}, nil, ""),
	)
	wantNoFinding(t, findingsOf(t, StaleCookie, bearer), 2)

	// A custom scheme with no cookie sign-in at all stays unsupported, and
	// a request with no cookie is still missing credentials.
	bare := fixtureTrace(fixture.Entry(0, "GET", "https://api.example.com/v1/x", 401, nil, []string{`WWW-Authenticate: FormBased realm="x"`}, ""))
	wantFinding(t, findingsOf(t, UnsupportedAuthMethod, bare), 0, 0.55, 0.65)
	wantFinding(t, findingsOf(t, MissingCredentials, bare), 0, 0.7, 0.8)
}
