package rules

import (
	"strings"
	"testing"
	"time"

	"authlens/analysis/entry"
	"authlens/har"
)

// Tests for the mechanisms of the second hold-out report's items 5–8: the
// "who am I?" probe exemption (a later API-token refusal is not a failed
// sign-in; a sign-in whose session cookie was refused is), a Secure cookie
// left off a plain-http request (wrong-url with proof outranks
// missing-credentials), and a WebSocket handshake refused with a status
// only _failureText keeps. Each has a trap where the signal must not fire.

// probeOpts are the request headers of a page script's fetch.
func probeOpts() []entryOpt {
	return []entryOpt{reqH("Accept", "*/*"), reqH("Sec-Fetch-Mode", "cors"), reqH("Sec-Fetch-Dest", "empty")}
}

func navOpts() []entryOpt {
	return []entryOpt{reqH("Accept", "text/html"), reqH("Sec-Fetch-Mode", "navigate"), reqH("Sec-Fetch-Dest", "document")}
}

func withOpts(base []entryOpt, more ...entryOpt) []entryOpt {
	return append(append([]entryOpt{}, base...), more...)
}

func TestWhoAmIProbeBeforeLaterTokenRefusal(t *testing.T) {
	expired := testJWT(map[string]any{"sub": "alice", "exp": float64(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Unix())})
	build := func(laterAuth string, laterChallenge string, tokensWorkFirst bool) (*authTB, int, int) {
		b := newAuthTB()
		b.add("GET", "http://portal.example/login", 200, withOpts(navOpts(), respBody("text/html", "<form>"))...)
		probe := b.add("GET", "http://portal.example/api/session", 401, withOpts(probeOpts(), respH("WWW-Authenticate", `Bearer realm="portal"`))...)
		if tokensWorkFirst {
			b.add("GET", "http://portal.example/api/exports", 200, withOpts(probeOpts(), reqH("Authorization", "Bearer "+testJWT(map[string]any{"sub": "alice", "n": 1})))...)
			b.add("GET", "http://portal.example/api/exports?page=2", 200, withOpts(probeOpts(), reqH("Authorization", "Bearer "+testJWT(map[string]any{"sub": "alice", "n": 2})))...)
		}
		later := b.add("GET", "http://portal.example/api/exports?page=3", 401, withOpts(probeOpts(), reqH("Authorization", laterAuth), respH("WWW-Authenticate", laterChallenge))...)
		return b, probe, later
	}
	t.Run("tokens worked, then an expired one: the probe stays a probe", func(t *testing.T) {
		b, probe, later := build("Bearer "+expired, `Bearer realm="portal", error="invalid_token", error_description="Token expired"`, true)
		rep := analyzeAll(t, b.trace())
		wantProblem(t, rep, probe, false)
		wantTop(t, rep, later, "expired-token")
	})
	t.Run("trap: the first token the app sends is refused", func(t *testing.T) {
		b, probe, _ := build("Bearer "+expired, `Bearer realm="portal", error="invalid_token"`, false)
		wantProblem(t, analyzeAll(t, b.trace()), probe, true)
	})
	t.Run("trap: a later password sign-in is refused", func(t *testing.T) {
		b, probe, _ := build(basicAuth("alice", "typo"), `Basic realm="portal"`, true)
		wantProblem(t, analyzeAll(t, b.trace()), probe, true)
	})
}

func TestWhoAmIAfterRefusedSignInCookie(t *testing.T) {
	build := func(setCookie string, signInPath string, signInStatus int) (*authTB, []int) {
		b := newAuthTB()
		var probes []int
		for round := 0; round < 2; round++ {
			opts := withOpts(navOpts(), respH("Set-Cookie", setCookie))
			if signInStatus >= 300 {
				opts = append(opts, respH("Location", "/home"))
			}
			b.add("GET", "https://localhost:8443"+signInPath, signInStatus, opts...)
			b.add("GET", "https://localhost:8443/home", 200, withOpts(navOpts(), respBody("text/html", "<html>home</html>"))...)
			probes = append(probes, b.add("GET", "https://localhost:8443/api/whoami", 401, withOpts(probeOpts(), respH("WWW-Authenticate", `Bearer realm="home"`))...))
		}
		return b, probes
	}
	t.Run("GET sign-in redirect whose __Host- cookie has a Domain", func(t *testing.T) {
		b, probes := build("__Host-sess=hs-alice; Path=/; Secure; HttpOnly; SameSite=Lax; Domain=localhost", "/hostlogin", 302)
		tr := b.trace()
		if j, name := tr.RefusedSignInCookie(probes[0]); j != 0 || name != "__Host-sess" {
			t.Fatalf("refusedSignInCookie = %d %q, want entry 0 __Host-sess", j, name)
		}
		rep := analyzeAll(t, tr)
		for _, i := range probes {
			wantProblem(t, rep, i, true)
			wantTop(t, rep, i, "cookie-rejected")
		}
	})
	t.Run("sign-in link that is not a login path, redirecting on", func(t *testing.T) {
		b, probes := build("__Host-sess=hs-alice; Path=/; Secure; HttpOnly; Domain=localhost", "/magic/abc123", 302)
		wantProblem(t, analyzeAll(t, b.trace()), probes[0], true)
	})
	t.Run("trap: a plain page's refused cookie is no sign-in", func(t *testing.T) {
		b, probes := build("__Host-sess=anon; Path=/; Secure; HttpOnly; Domain=localhost", "/welcome", 200)
		tr := b.trace()
		if j, _ := tr.RefusedSignInCookie(probes[0]); j >= 0 {
			t.Fatalf("refusedSignInCookie = %d, want -1 for a 200 page that is not a sign-in", j)
		}
		wantProblem(t, analyzeAll(t, tr), probes[0], false)
	})
}

func TestSecureCookieOverPlainHTTP(t *testing.T) {
	build := func(httpHost string, attrs string) (*authTB, int) {
		b := newAuthTB()
		b.add("GET", "https://accounts.example:8443/signin", 302, withOpts(navOpts(), respH("Location", "/account"), respH("Set-Cookie", "acct=acct-alice; Path=/; "+attrs))...)
		b.add("GET", "https://accounts.example:8443/account", 200, withOpts(navOpts(), reqH("Cookie", "acct=acct-alice"), respBody("text/html", "<html>account</html>"))...)
		b.add("GET", "https://accounts.example:8443/account/statements", 200, withOpts(navOpts(), reqH("Cookie", "acct=acct-alice"), respBody("text/html", "<html>statements</html>"))...)
		i := b.add("GET", "http://"+httpHost+":8080/account/statements", 401, withOpts(navOpts(), respH("WWW-Authenticate", `Bearer realm="accounts"`))...)
		return b, i
	}
	t.Run("old http bookmark: wrong-url first, not missing-credentials", func(t *testing.T) {
		b, i := build("accounts.example", "Secure; HttpOnly; SameSite=Lax")
		tr := b.trace()
		if ev, ok := tr.SecureCookieWithheld(i); !ok || ev.Name != "acct" || ev.Entry != 0 {
			t.Fatalf("secureCookieWithheld = %+v %v, want acct set at entry 0", ev, ok)
		}
		rep := analyzeAll(t, tr)
		d := wantTop(t, rep, i, "wrong-url")
		if d.Confidence < 0.75 {
			t.Errorf("wrong-url %.2f, want >= 0.75 (the same path worked over https)", d.Confidence)
		}
		if mc := wantHas(t, rep, i, "missing-credentials"); mc.Confidence > 0.4 || !strings.Contains(mc.Explanation, "Secure") {
			t.Errorf("missing-credentials %.2f %q, want <= 0.4 naming the Secure cookie", mc.Confidence, mc.Explanation)
		}
		if cn := wantHas(t, rep, i, "cookie-not-sent"); cn.Confidence >= d.Confidence {
			t.Errorf("cookie-not-sent %.2f, want below wrong-url %.2f", cn.Confidence, d.Confidence)
		}
		wantNoSecret(t, rep, "acct-alice")
	})
	t.Run("trap: cookie not Secure", func(t *testing.T) {
		b, i := build("accounts.example", "HttpOnly; SameSite=Lax")
		if _, ok := b.trace().SecureCookieWithheld(i); ok {
			t.Fatal("secureCookieWithheld fired for a cookie without Secure")
		}
	})
	t.Run("trap: loopback http, where Chromium sends Secure cookies", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "https://localhost:8443/signin", 302, withOpts(navOpts(), respH("Location", "/account"), respH("Set-Cookie", "acct=a1; Path=/; Secure; HttpOnly"))...)
		i := b.add("GET", "http://localhost:8080/account", 401, withOpts(navOpts(), respH("WWW-Authenticate", `Bearer realm="accounts"`))...)
		if _, ok := b.trace().SecureCookieWithheld(i); ok {
			t.Fatal("secureCookieWithheld fired on a loopback host")
		}
	})
	t.Run("trap: no cookie, no working variant: missing-credentials stays", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "http://api.example/", 200, withOpts(navOpts(), respBody("text/html", "<html>x</html>"))...)
		i := b.add("GET", "http://api.example/reports", 401, withOpts(probeOpts(), respH("WWW-Authenticate", `Bearer realm="api"`))...)
		rep := analyzeAll(t, b.trace())
		d := wantTop(t, rep, i, "missing-credentials")
		if d.Confidence < 0.7 {
			t.Errorf("missing-credentials %.2f, want the usual 0.75", d.Confidence)
		}
		wantNot(t, rep, i, "wrong-url")
		wantNot(t, rep, i, "cookie-not-sent")
	})
}

func TestRefusedWebSocketHandshake(t *testing.T) {
	const refused403 = "Error during WebSocket handshake: Unexpected response code: 403"
	wsEntry := func(b *authTB, tok, failureText string) int {
		i := b.add("GET", "ws://rt.example/ws/orders?access_token="+tok, -1, reqH("Upgrade", "websocket"), reqH("Connection", "Upgrade"), failure(failureText))
		b.entries[i].Response.HTTPVersion = ""
		return i
	}
	t.Run("effectiveStatus reads the handshake code only", func(t *testing.T) {
		for _, c := range []struct {
			status int
			text   string
			want   int
		}{
			{-1, refused403, 403},
			{-1, "Error during WebSocket handshake: Unexpected response code: 401", 401},
			{-1, "net::ERR_FAILED", -1},
			{0, "", 0},
			{200, "", 200},
		} {
			e := &har.Entry{Response: har.Response{Status: c.status}, FailureText: c.text}
			if got := entry.EffectiveStatus(e); got != c.want {
				t.Errorf("effectiveStatus(%d, %q) = %d, want %d", c.status, c.text, got, c.want)
			}
		}
	})
	t.Run("expired JWT in access_token, handshake refused 403", func(t *testing.T) {
		b := newAuthTB()
		fresh := testJWT(map[string]any{"sub": "alice", "exp": float64(b.t0.Add(time.Hour).Unix())})
		expired := testJWT(map[string]any{"sub": "alice", "exp": float64(b.t0.Add(-20 * time.Minute).Unix())})
		b.add("GET", "ws://rt.example/ws/orders?access_token="+fresh, 101, reqH("Upgrade", "websocket"), reqH("Connection", "Upgrade"))
		i := wsEntry(b, expired, refused403)
		rep := analyzeAll(t, b.trace())
		d := wantTop(t, rep, i, "expired-token")
		if d.Confidence < 0.7 || !strings.Contains(d.Explanation, "access_token") {
			t.Errorf("expired-token %.2f %q, want >= 0.7 naming the query parameter", d.Confidence, d.Explanation)
		}
		x, _ := exchange(rep, i)
		if !strings.Contains(x.Explanation, "refused the WebSocket upgrade with 403") {
			t.Errorf("status reading %q, want it to say the server refused the upgrade with 403", x.Explanation)
		}
		for _, s := range d.Remedy {
			if strings.Contains(s.Step, "answered -1") {
				t.Errorf("remedy quotes status -1: %q", s.Step)
			}
		}
		wantNoSecret(t, rep, expired)
	})
	t.Run("trap: refused with a token still valid", func(t *testing.T) {
		b := newAuthTB()
		i := wsEntry(b, testJWT(map[string]any{"sub": "alice", "exp": float64(b.t0.Add(time.Hour).Unix())}), refused403)
		wantNot(t, analyzeAll(t, b.trace()), i, "expired-token")
	})
	t.Run("trap: expired token but no answer at all (connection failed)", func(t *testing.T) {
		b := newAuthTB()
		i := wsEntry(b, testJWT(map[string]any{"sub": "alice", "exp": float64(b.t0.Add(-time.Hour).Unix())}), "net::ERR_CONNECTION_REFUSED")
		wantNot(t, analyzeAll(t, b.trace()), i, "expired-token")
	})
}
