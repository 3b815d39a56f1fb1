package rules

import (
	"strings"
	"testing"
	"time"

	"authlens/analysis"
	"authlens/har"
)

// Tests for the mechanisms the hold-out report named (handshake filter,
// who-am-I exemption, expired cookies and cookie JWTs, unanswerable
// challenges, identical requests, location-level refusals, hiding 404s).
// Each has a trap where the signal must not fire.

// at sets an entry's start time to sec seconds after the builder's t0.
func at(b *authTB, sec float64) entryOpt {
	return func(e *har.Entry) { e.StartedDateTime = b.t0.Add(time.Duration(sec * float64(time.Second))) }
}

// noUA removes the User-Agent the builder adds: a trace that names no browser.
func noUA(e *har.Entry) {
	var hs []har.Header
	for _, h := range e.Request.Headers {
		if !strings.EqualFold(h.Name, "User-Agent") {
			hs = append(hs, h)
		}
	}
	e.Request.Headers = hs
}

func wantProblem(t *testing.T, rep *analysis.Report, i int, want bool) {
	t.Helper()
	x, ok := exchange(rep, i)
	if !ok {
		t.Fatalf("entry %d: not listed, want listed with problem=%v", i, want)
	}
	if x.Problem != want {
		t.Fatalf("entry %d: problem=%v, want %v (%s) [%s]", i, x.Problem, want, x.Explanation, causeList(x))
	}
}

func wantUnlisted(t *testing.T, rep *analysis.Report, i int) {
	t.Helper()
	if x, ok := exchange(rep, i); ok {
		t.Fatalf("entry %d: listed (problem=%v [%s]), want not listed", i, x.Problem, causeList(x))
	}
}

func TestHandshakeRejectedCredentialStaysAProblem(t *testing.T) {
	t.Run("mistyped Basic password then the right one", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "https://h.example/api/invoices.json", 401, reqH("Authorization", basicAuth("alice", "typo")), respH("WWW-Authenticate", `Basic realm="api"`))
		b.add("GET", "https://h.example/api/invoices.json", 200, reqH("Authorization", basicAuth("alice", "right")))
		rep := analyzeAll(t, b.trace())
		wantProblem(t, rep, 0, true)
		wantTop(t, rep, 0, "invalid-credentials")
	})
	t.Run("Bearer sent where the challenge asks for Token", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "https://h.example/api/v1/orders/", 401, reqH("Authorization", "Bearer 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"), respH("WWW-Authenticate", `Token`))
		b.add("GET", "https://h.example/api/v1/orders/", 200, reqH("Authorization", "Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"))
		rep := analyzeAll(t, b.trace())
		wantProblem(t, rep, 0, true)
		wantTop(t, rep, 0, "wrong-scheme")
	})
	t.Run("first leg, a mistyped retry, then the right password", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "https://h.example/members/", 401, respH("WWW-Authenticate", `Basic realm="m"`))
		b.add("GET", "https://h.example/members/", 401, reqH("Authorization", basicAuth("alice", "typo")), respH("WWW-Authenticate", `Basic realm="m"`))
		b.add("GET", "https://h.example/members/", 200, reqH("Authorization", basicAuth("alice", "right")))
		rep := analyzeAll(t, b.trace())
		wantProblem(t, rep, 0, false)
		wantProblem(t, rep, 1, true)
		wantTop(t, rep, 1, "invalid-credentials")
	})
	t.Run("trap: first leg and mistyped retries that never get through", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "https://h.example/members/", 401, respH("WWW-Authenticate", `Basic realm="m"`))
		b.add("GET", "https://h.example/members/", 401, reqH("Authorization", basicAuth("alice", "typo")), respH("WWW-Authenticate", `Basic realm="m"`))
		b.add("GET", "https://h.example/members/", 401, reqH("Authorization", basicAuth("alice", "typo2")), respH("WWW-Authenticate", `Basic realm="m"`))
		wantProblem(t, analyzeAll(t, b.trace()), 0, true)
	})
	t.Run("trap: first leg without credentials", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "https://h.example/members/", 401, respH("WWW-Authenticate", `Basic realm="m"`))
		b.add("GET", "https://h.example/members/", 200, reqH("Authorization", basicAuth("alice", "pw")))
		wantProblem(t, analyzeAll(t, b.trace()), 0, false)
	})
	t.Run("trap: Digest stale=true with a credential, retried", func(t *testing.T) {
		b := newAuthTB()
		dig := `Digest username="alice", realm="r", nonce="n1", uri="/d/", response="0123456789abcdef0123456789abcdef", qop=auth, nc=00000002, cnonce="c"`
		b.add("GET", "https://h.example/d/", 401, reqH("Authorization", dig), respH("WWW-Authenticate", `Digest realm="r", nonce="n2", qop="auth", stale=true`))
		b.add("GET", "https://h.example/d/", 200, reqH("Authorization", strings.Replace(dig, "n1", "n2", 1)))
		wantProblem(t, analyzeAll(t, b.trace()), 0, false)
	})
	t.Run("trap: DPoP use_dpop_nonce retried", func(t *testing.T) {
		b := newAuthTB()
		tok := testJWT(map[string]any{"sub": "a", "exp": float64(b.t0.Add(time.Hour).Unix())})
		b.add("GET", "https://h.example/api/r", 401, reqH("Authorization", "DPoP "+tok), reqH("DPoP", "proof1"), respH("WWW-Authenticate", `DPoP error="use_dpop_nonce"`), respH("DPoP-Nonce", "x"))
		b.add("GET", "https://h.example/api/r", 200, reqH("Authorization", "DPoP "+tok), reqH("DPoP", "proof2"))
		wantProblem(t, analyzeAll(t, b.trace()), 0, false)
	})
}

func TestBackgroundWhoAmIAfterSignIn(t *testing.T) {
	t.Run("expired JWT cookie on a who-am-I path after login", func(t *testing.T) {
		b := newAuthTB()
		tok := testJWT(map[string]any{"sub": "alice", "iat": float64(b.t0.Unix()), "exp": float64(b.t0.Add(3 * time.Second).Unix())})
		b.add("GET", "http://app.example/", 200, reqH("Accept", "text/html"), reqH("Sec-Fetch-Mode", "navigate"), reqH("Sec-Fetch-Dest", "document"), respBody("text/html", "<html>console</html>"), at(b, 0))
		b.add("POST", "http://app.example/auth/login", 200, reqH("Accept", "*/*"), respH("Set-Cookie", "access_token="+tok+"; Path=/; HttpOnly; SameSite=Lax"), respBody("application/json", `{"ok":true}`), at(b, 1))
		b.add("GET", "http://app.example/session/me", 200, reqH("Accept", "*/*"), reqH("Cookie", "access_token="+tok), respBody("application/json", `{"sub":"alice"}`), at(b, 1.1))
		i := b.add("GET", "http://app.example/session/me", 401, reqH("Accept", "*/*"), reqH("Cookie", "access_token="+tok), respBody("application/json", `{"message":"jwt expired"}`), dateHeader(b.t0.Add(6*time.Second)), at(b, 6))
		rep := analyzeAll(t, b.trace())
		wantProblem(t, rep, i, true)
		d := wantTop(t, rep, i, "expired-token")
		if d.Confidence < 0.85 || !strings.Contains(d.Explanation, "access_token cookie") {
			t.Errorf("want the cookie's JWT read (>=0.85, naming the cookie), got %.2f %q", d.Confidence, d.Explanation)
		}
		wantNoSecret(t, rep, tok)
	})
	t.Run("session cookie set by a GET sign-in callback", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "http://app.example/", 200, reqH("Accept", "text/html"), reqH("Sec-Fetch-Mode", "navigate"), reqH("Sec-Fetch-Dest", "document"), respBody("text/html", "<html>x</html>"))
		b.add("GET", "http://app.example/oauth/callback?code=abc", 302, respH("Location", "/"), respH("Set-Cookie", "app_session=s123; Path=/; HttpOnly"))
		i := b.add("GET", "http://app.example/api/me", 401, reqH("Accept", "application/json"), reqH("Cookie", "app_session=s123"))
		if why := b.trace().SignedInBefore(i); !strings.Contains(why, "app_session") {
			t.Fatalf("signedInBefore = %q, want the sign-in cookie named", why)
		}
		wantProblem(t, analyzeAll(t, b.trace()), i, true)
	})
	t.Run("trap: anonymous probe carrying an anonymous session cookie", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "http://docs.example/", 200, reqH("Accept", "text/html"), reqH("Sec-Fetch-Mode", "navigate"), reqH("Sec-Fetch-Dest", "document"),
			respH("Set-Cookie", "sessionid=anon1; Path=/; HttpOnly"), respBody("text/html", "<html>docs</html>"))
		i := b.add("GET", "http://docs.example/api/me", 401, reqH("Accept", "*/*"), reqH("Sec-Fetch-Mode", "cors"), reqH("Sec-Fetch-Dest", "empty"), reqH("Cookie", "sessionid=anon1"), respBody("application/json", `{"authenticated":false}`))
		rep := analyzeAll(t, b.trace())
		wantProblem(t, rep, i, false)
	})
}

func TestExpiredSessionCookieBeforeLoginRedirect(t *testing.T) {
	build := func(setCookie string) (*authTB, int) {
		b := newAuthTB()
		b.add("GET", "http://k.example/kiosk/login/", 200, respBody("text/html", "<form>"), at(b, 0))
		b.add("POST", "http://k.example/kiosk/login/", 302, respH("Location", "/kiosk/"), respH("Set-Cookie", setCookie), at(b, 1))
		b.add("GET", "http://k.example/kiosk/", 200, reqH("Cookie", "sessionid=abc123"), at(b, 1.5))
		i := b.add("GET", "http://k.example/kiosk/orders/", 302, respH("Location", "/accounts/login/?next=/kiosk/orders/"), at(b, 9))
		return b, i
	}
	t.Run("Max-Age ran out, then 302 to the login page", func(t *testing.T) {
		b, i := build("sessionid=abc123; Max-Age=4; Path=/; HttpOnly; SameSite=Lax")
		rep := analyzeAll(t, b.trace())
		d := wantTop(t, rep, i, "expired-token")
		if d.Confidence < 0.85 || !strings.Contains(d.Explanation, "sessionid") {
			t.Errorf("want high confidence naming the cookie, got %.2f %q", d.Confidence, d.Explanation)
		}
		wantNoSecret(t, rep, "abc123")
	})
	t.Run("hard 401 after the cookie expired", func(t *testing.T) {
		b := newAuthTB()
		b.add("POST", "http://k.example/login", 200, respH("Set-Cookie", "sid=v1; Max-Age=60; Path=/; HttpOnly"), at(b, 0))
		b.add("GET", "http://k.example/api/orders", 200, reqH("Cookie", "sid=v1"), at(b, 10))
		i := b.add("GET", "http://k.example/api/orders", 401, at(b, 90))
		wantTop(t, analyzeAll(t, b.trace()), i, "expired-token")
	})
	t.Run("an Authorization header was sent too: not proven", func(t *testing.T) {
		b := newAuthTB()
		b.add("POST", "http://k.example/login", 200, respH("Set-Cookie", "sid=v1; Max-Age=60; Path=/; HttpOnly"), at(b, 0))
		i := b.add("GET", "http://k.example/api/orders", 401, reqH("Authorization", "Bearer opaque-token-1234567890"), at(b, 90))
		if d := wantHas(t, analyzeAll(t, b.trace()), i, "expired-token"); d.Confidence > 0.5 {
			t.Errorf("expired-token %.2f, want <= 0.5 when a credential went along", d.Confidence)
		}
	})
	t.Run("trap: session cookie without expiry, not sent", func(t *testing.T) {
		b, i := build("sessionid=abc123; Path=/; HttpOnly; SameSite=Lax")
		wantNot(t, analyzeAll(t, b.trace()), i, "expired-token")
	})
	t.Run("trap: anonymous redirect to the login page", func(t *testing.T) {
		b := newAuthTB()
		i := b.add("GET", "http://k.example/kiosk/orders/", 302, respH("Location", "/accounts/login/?next=/kiosk/orders/"))
		wantUnlisted(t, analyzeAll(t, b.trace()), i)
	})
}

func TestUnanswerableDigestAlgorithm(t *testing.T) {
	t.Run("Digest SHA-512-256 only, Chromium", func(t *testing.T) {
		b := newAuthTB()
		i := b.add("GET", "http://l.example/legacy/report", 401, respH("WWW-Authenticate", `Digest realm="legacy", qop="auth", algorithm=SHA-512-256, nonce="abc"`))
		rep := analyzeAll(t, b.trace())
		wantTop(t, rep, i, "unsupported-auth-method")
		if d := wantHas(t, rep, i, "missing-credentials"); d.Confidence > 0.5 {
			t.Errorf("missing-credentials %.2f, want stepped down to 0.5", d.Confidence)
		}
	})
	t.Run("trap: Digest MD5, which the browser answers", func(t *testing.T) {
		b := newAuthTB()
		i := b.add("GET", "http://l.example/legacy/report", 401, respH("WWW-Authenticate", `Digest realm="legacy", qop="auth", algorithm=MD5, nonce="abc"`))
		rep := analyzeAll(t, b.trace())
		wantTop(t, rep, i, "missing-credentials")
		wantNot(t, rep, i, "unsupported-auth-method")
	})
	t.Run("trap: SHA-512-256 to a client the trace does not name", func(t *testing.T) {
		b := newAuthTB()
		i := b.add("GET", "http://l.example/legacy/report", 401, noUA, respH("WWW-Authenticate", `Digest realm="legacy", algorithm=SHA-512-256, nonce="abc"`))
		if b.trace().BrowserCannotAnswerAny(b.trace().Auth(i).Challenges) {
			t.Fatal("an unnamed client (curl implements SHA-512-256) must not count as unable to answer")
		}
	})
}

func TestInsufficientPermissionsIdenticalRequestSucceeded(t *testing.T) {
	t.Run("same request and cookie answered 200 on another address", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "http://crm.example/login", 200, serverIP("10.0.0.1"))
		b.add("GET", "http://crm.example/contacts", 200, reqH("Cookie", "session=s1"), serverIP("10.0.0.1"))
		i := b.add("GET", "http://crm.example/contacts", 403, reqH("Cookie", "session=s1"), serverIP("10.0.0.2"), respBody("text/html", "<p>Forbidden</p>"))
		rep := analyzeAll(t, b.trace())
		d := wantHas(t, rep, i, "insufficient-permissions")
		if d.Confidence > 0.3 {
			t.Errorf("insufficient-permissions %.2f, want demoted to <= 0.3", d.Confidence)
		}
		wantTop(t, rep, i, "dns-mismatch")
	})
	t.Run("trap: the same cookie accepted on another path", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "http://crm.example/contacts", 200, reqH("Cookie", "session=s1"))
		i := b.add("GET", "http://crm.example/admin/users", 403, reqH("Cookie", "session=s1"), respBody("text/html", "<p>Forbidden</p>"))
		if d := wantTop(t, analyzeAll(t, b.trace()), i, "insufficient-permissions"); d.Confidence < 0.7 {
			t.Errorf("insufficient-permissions %.2f, want >= 0.7", d.Confidence)
		}
	})
}

func apache403Entry() entryOpt {
	return func(e *har.Entry) {
		e.Response.Headers = append(e.Response.Headers, har.Header{Name: "Server", Value: "Apache/2.4.62 (Debian)"})
		body := "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1><p>You don't have permission to access this resource.</p><hr><address>Apache/2.4.62 (Debian) Server at 127.0.0.1 Port 8080</address></body></html>"
		e.Response.Content = har.Content{MimeType: "text/html", Text: body, Size: int64(len(body))}
	}
}

func TestPlainRefusalOfALocation(t *testing.T) {
	t.Run("a file and its folder refused, other folders served", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "http://w.example/", 200)
		b.add("GET", "http://w.example/docs/guide.html", 200)
		f := b.add("GET", "http://w.example/intranet/handbook.html", 403, apache403Entry())
		d := b.add("GET", "http://w.example/intranet/", 403, apache403Entry())
		rep := analyzeAll(t, b.trace())
		wantTop(t, rep, f, "ip-restriction")
		wantTop(t, rep, d, "ip-restriction")
		if dl := wantHas(t, rep, d, "directory-listing-forbidden"); dl.Confidence > 0.3 {
			t.Errorf("directory-listing-forbidden %.2f, want dropped (a file inside was refused too)", dl.Confidence)
		}
	})
	t.Run("trap: one file refused, its folder served", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "http://w.example/docs/guide.html", 200)
		i := b.add("GET", "http://w.example/docs/travel.html", 403, apache403Entry())
		wantTop(t, analyzeAll(t, b.trace()), i, "filesystem-permission")
	})
	t.Run("trap: two files refused in a folder that serves others", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "http://w.example/docs/guide.html", 200)
		i := b.add("GET", "http://w.example/docs/a.html", 403, apache403Entry())
		j := b.add("GET", "http://w.example/docs/b.html", 403, apache403Entry())
		rep := analyzeAll(t, b.trace())
		wantTop(t, rep, i, "filesystem-permission")
		wantTop(t, rep, j, "filesystem-permission")
	})
	t.Run("trap: folder without index, its files served", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "http://w.example/downloads/readme.html", 200)
		b.add("GET", "http://w.example/downloads/notes.txt", 200)
		i := b.add("GET", "http://w.example/downloads/", 403, apache403Entry())
		wantTop(t, analyzeAll(t, b.trace()), i, "directory-listing-forbidden")
	})
	t.Run("trap: two refusals that share only the root", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "http://w.example/docs/guide.html", 200)
		i := b.add("GET", "http://w.example/a.html", 403, apache403Entry())
		b.add("GET", "http://w.example/b/", 403, apache403Entry())
		if lr := b.trace().LocationRefusalOf(i, "Apache"); lr.Prefix != "" {
			t.Fatalf("location %q found; two refusals under / alone are no location rule", lr.Prefix)
		}
	})
}

func TestNotFoundHidingFromAnotherIdentity(t *testing.T) {
	build := func(cookie5 string) (*authTB, int, int) {
		b := newAuthTB()
		b.add("GET", "http://r.example/repos/acme/payroll", 200, reqH("Cookie", "gh_user=bob"))
		b.add("GET", "http://r.example/repos/alice/notes", 200, reqH("Cookie", "gh_user=alice"))
		typo := b.add("GET", "http://r.example/repos/alice/notez", 404, reqH("Cookie", "gh_user=alice"))
		var opts []entryOpt
		if cookie5 != "" {
			opts = append(opts, reqH("Cookie", cookie5))
		}
		i := b.add("GET", "http://r.example/repos/acme/payroll", 404, opts...)
		return b, i, typo
	}
	t.Run("200 to bob, 404 to alice", func(t *testing.T) {
		b, i, typo := build("gh_user=alice")
		rep := analyzeAll(t, b.trace())
		d := wantTop(t, rep, i, "insufficient-permissions")
		if d.Confidence < 0.4 || d.Confidence > 0.6 || !strings.Contains(d.Explanation, "RFC 9110") {
			t.Errorf("want medium confidence citing RFC 9110, got %.2f %q", d.Confidence, d.Explanation)
		}
		wantUnlisted(t, rep, typo) // a plain 404 is never flagged
	})
	t.Run("trap: the same identity saw it before", func(t *testing.T) {
		b, i, _ := build("gh_user=bob")
		wantUnlisted(t, analyzeAll(t, b.trace()), i)
	})
	t.Run("trap: anonymous 404", func(t *testing.T) {
		b, i, _ := build("")
		wantUnlisted(t, analyzeAll(t, b.trace()), i)
	})
	t.Run("trap: only a CSRF cookie differs", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "http://r.example/docs/7", 200, reqH("Cookie", "sessionid=s1; csrftoken=a"))
		i := b.add("GET", "http://r.example/docs/7", 404, reqH("Cookie", "sessionid=s1; csrftoken=b"))
		wantUnlisted(t, analyzeAll(t, b.trace()), i)
	})
}

func TestSessionExpiredTextAfterServerClearedCookie(t *testing.T) {
	build := func(logout bool) (*authTB, int) {
		b := newAuthTB()
		b.add("POST", "http://s.example/app/login", 302, respH("Location", "/app/dashboard"), respH("Set-Cookie", "sid=abcdef123456; Path=/; HttpOnly"))
		b.add("GET", "http://s.example/app/dashboard", 200, reqH("Cookie", "sid=abcdef123456"))
		if logout {
			b.add("GET", "http://s.example/app/logout", 302, reqH("Cookie", "sid=abcdef123456"), respH("Location", "/app/signed-out"), respH("Set-Cookie", "sid=; Path=/; Max-Age=0"))
		}
		i := b.add("GET", "http://s.example/app/dashboard", 401, reqH("Cookie", "sid=abcdef123456"), respBody("text/html", "<h1>Your session has expired</h1>"))
		return b, i
	}
	t.Run("the server had cleared the cookie it still got", func(t *testing.T) {
		b, i := build(true)
		if d := wantHas(t, analyzeAll(t, b.trace()), i, "expired-token"); d.Confidence > 0.5 {
			t.Errorf("expired-token %.2f from the body text alone, want <= 0.5 after the server cleared the cookie", d.Confidence)
		}
	})
	t.Run("trap: no logout, the text stands", func(t *testing.T) {
		b, i := build(false)
		if d := wantHas(t, analyzeAll(t, b.trace()), i, "expired-token"); d.Confidence < 0.8 {
			t.Errorf("expired-token %.2f, want 0.8 from the server's text", d.Confidence)
		}
	})
}
