package trace

import (
	"testing"

	"authlens/analysis/internal/fixture"
	"authlens/analysis/trace/jar"
)

// A logout whose clear the browser applied, and a request that still
// carried the old session: the clear is the superseding event.
func TestStaleSessionSentAfterLogout(t *testing.T) {
	tr := traceOf(
		fixture.Entry(0, "POST", "https://app.example.com/login", 302, nil, []string{"Set-Cookie: sid=one; Path=/app", "Location: /app/"}, ""),
		fixture.Entry(1, "POST", "https://app.example.com/logout", 302, []string{"Cookie: sid=one"}, []string{"Set-Cookie: sid=; Path=/; Max-Age=0"}, ""),
		fixture.Entry(2, "GET", "https://app.example.com/app/", 401, []string{"Cookie: sid=one"}, nil, ""),
	)
	sent, ok := tr.StaleSessionSent(2)
	if !ok || sent.Name != "sid" || sent.StaleOf < 0 {
		t.Fatalf("StaleSessionSent(2) = %+v, %v; want the stale sid", sent, ok)
	}
	if _, ok := tr.StaleSessionSent(1); ok {
		t.Error("entry 1 carried the current session, not a stale one")
	}
	if !tr.SentSessionCookie(2) || tr.SentSessionCookie(0) {
		t.Error("SentSessionCookie: want true for entry 2, false for the login")
	}
	sup, ok := tr.SupersedingEvent(sent)
	if !ok || sup.Entry != sent.StaleOf || (sup.Kind != jar.CookieEventCleared && sup.Kind != jar.CookieEventChanged) {
		t.Errorf("SupersedingEvent = %+v, %v; want the clear at entry %d", sup, ok, sent.StaleOf)
	}
}

func TestClearedSessionSentNeedsAClear(t *testing.T) {
	cleared := traceOf(
		fixture.Entry(0, "POST", "https://app.example.com/login", 302, nil, []string{"Set-Cookie: sid=one; Path=/"}, ""),
		fixture.Entry(1, "POST", "https://app.example.com/logout", 302, []string{"Cookie: sid=one"}, []string{"Set-Cookie: sid=; Path=/; Max-Age=0"}, ""),
		fixture.Entry(2, "GET", "https://app.example.com/app/", 401, []string{"Cookie: sid=one"}, nil, ""),
	)
	if ev, ok := cleared.ClearedSessionSent(2); !ok || ev.Name != "sid" {
		t.Errorf("ClearedSessionSent after a clear = %+v, %v", ev, ok)
	}
	replaced := traceOf(
		fixture.Entry(0, "POST", "https://app.example.com/login", 302, nil, []string{"Set-Cookie: sid=one; Path=/"}, ""),
		fixture.Entry(1, "GET", "https://app.example.com/app/", 200, []string{"Cookie: sid=one"}, []string{"Set-Cookie: sid=two; Path=/"}, ""),
		fixture.Entry(2, "GET", "https://app.example.com/app/", 401, []string{"Cookie: sid=one"}, nil, ""),
	)
	if _, ok := replaced.StaleSessionSent(2); !ok {
		t.Error("a replaced value sent again is stale")
	}
	if ev, ok := replaced.ClearedSessionSent(2); ok {
		t.Errorf("a replaced (not cleared) value = %+v; want none", ev)
	}
}

func TestOlderDuplicateFirst(t *testing.T) {
	tr := traceOf(
		fixture.Entry(0, "GET", "https://app.example.com/app/", 200, nil, []string{"Set-Cookie: sid=old; Path=/app"}, ""),
		fixture.Entry(1, "GET", "https://app.example.com/", 200, nil, []string{"Set-Cookie: sid=new; Path=/"}, ""),
		fixture.Entry(2, "GET", "https://app.example.com/app/x", 401, []string{"Cookie: sid=old; sid=new"}, nil, ""),
	)
	older, newer, ok := OlderDuplicateFirst(tr.Cookies().ForEntry(2))
	if !ok || older.SetAt != 0 || newer.SetAt != 1 {
		t.Fatalf("OlderDuplicateFirst = %+v, %+v, %v; want the copy set at 0 first", older, newer, ok)
	}
	if _, _, ok := OlderDuplicateFirst(tr.Cookies().ForEntry(1)); ok {
		t.Error("no duplicate at entry 1")
	}
}

func TestReplacedThenWorked(t *testing.T) {
	tr := traceOf(
		fixture.Entry(0, "GET", "https://app.example.com/", 200, nil, []string{"Set-Cookie: sid=one; Path=/"}, ""),
		fixture.Entry(1, "GET", "https://app.example.com/app/", 401, []string{"Cookie: sid=one"}, []string{"Set-Cookie: sid=two; Path=/"}, ""),
		fixture.Entry(2, "GET", "https://app.example.com/app/", 200, []string{"Cookie: sid=two"}, nil, ""),
	)
	ev, j, ok := tr.ReplacedThenWorked(1)
	if !ok || j != 2 || ev.Name != "sid" {
		t.Fatalf("ReplacedThenWorked(1) = %+v, %d, %v; want sid replaced, worked at 2", ev, j, ok)
	}
	if _, j, ok := tr.ReplacedThenWorked(0); ok || j != -1 {
		t.Errorf("ReplacedThenWorked(0) = %d, %v; want -1, false", j, ok)
	}
}

func TestSessionStoppedWorking(t *testing.T) {
	tr := traceOf(
		fixture.Entry(0, "POST", "https://app.example.com/login", 302, nil, []string{"Set-Cookie: sid=one; Path=/"}, ""),
		fixture.Entry(1, "GET", "https://app.example.com/api/me", 200, []string{"Cookie: sid=one"}, nil, ""),
		fixture.Entry(2, "GET", "https://app.example.com/api/me", 401, []string{"Cookie: sid=one"}, nil, ""),
	)
	s, ok := tr.SessionStoppedWorking(2)
	if !ok || s.AcceptedAt != 1 || !s.SameResource || s.Sent.Name != "sid" || s.Refusals != 1 {
		t.Fatalf("SessionStoppedWorking(2) = %+v, %v; want accepted at 1, same resource, one refusal", s, ok)
	}
	// The same call working again later with the same value rules it out.
	again := traceOf(
		fixture.Entry(0, "POST", "https://app.example.com/login", 302, nil, []string{"Set-Cookie: sid=one; Path=/"}, ""),
		fixture.Entry(1, "GET", "https://app.example.com/api/me", 200, []string{"Cookie: sid=one"}, nil, ""),
		fixture.Entry(2, "GET", "https://app.example.com/api/me", 401, []string{"Cookie: sid=one"}, nil, ""),
		fixture.Entry(3, "GET", "https://app.example.com/api/me", 200, []string{"Cookie: sid=one"}, nil, ""),
	)
	if s, ok := again.SessionStoppedWorking(2); ok {
		t.Errorf("the session works again at entry 3, got %+v", s)
	}
	// With an Authorization header the credential, not the session, is judged.
	bearer := traceOf(
		fixture.Entry(0, "POST", "https://app.example.com/login", 302, nil, []string{"Set-Cookie: sid=one; Path=/"}, ""),
		fixture.Entry(1, "GET", "https://app.example.com/api/me", 200, []string{"Cookie: sid=one"}, nil, ""),
		fixture.Entry(2, "GET", "https://app.example.com/api/me", 401, []string{"Cookie: sid=one", "Authorization: Bearer abc.def"}, nil, ""),
	)
	if _, ok := bearer.SessionStoppedWorking(2); ok {
		t.Error("a request with Authorization is not judged by its session")
	}
}

func TestRequestsLackingRejected(t *testing.T) {
	tr := traceOf(
		fixture.Entry(0, "POST", "http://app.example.com/login", 302, nil, []string{"Set-Cookie: sid=one; Path=/; Secure"}, ""),
		fixture.Entry(1, "GET", "http://app.example.com/app/", 401, nil, nil, ""),
		fixture.Entry(2, "GET", "http://other.example.net/", 401, nil, nil, ""),
	)
	var rej jar.CookieEvent
	for _, ev := range tr.Cookies().Events {
		if ev.Kind == jar.CookieEventRejected {
			rej = ev
		}
	}
	if rej.Name != "sid" {
		t.Fatalf("no rejection of the Secure cookie over http: %+v", tr.Cookies().Events)
	}
	if got := tr.RequestsLackingRejected(rej); len(got) != 1 || got[0] != 1 {
		t.Errorf("RequestsLackingRejected = %v; want [1] (the other host is not covered)", got)
	}
}
