package rules

import (
	"strings"
	"testing"
	"time"

	"authlens/har"
)

// postForm sets a form-encoded request body.
func postForm(text string) entryOpt {
	return func(e *har.Entry) {
		e.Request.PostData = &har.PostData{MimeType: "application/x-www-form-urlencoded", Text: text}
	}
}

func TestRefusedTokenRenewedAndRetried(t *testing.T) {
	expiredClaims := func(b *authTB) map[string]any {
		return map[string]any{"sub": "alice", "iat": float64(b.t0.Add(-time.Hour).Unix()), "exp": float64(b.t0.Add(-3 * time.Minute).Unix())}
	}
	freshClaims := func(b *authTB) map[string]any {
		return map[string]any{"sub": "alice", "iat": float64(b.t0.Unix()), "exp": float64(b.t0.Add(time.Hour).Unix())}
	}
	challenge := `Bearer realm="api", error="invalid_token", error_description="jwt expired"`

	t.Run("expired Bearer token refreshed and retried", func(t *testing.T) {
		b := newAuthTB()
		old, fresh := testJWT(expiredClaims(b)), testJWT(freshClaims(b))
		b.add("GET", "https://api.example/api/orders", 401, reqH("Authorization", "Bearer "+old), respH("WWW-Authenticate", challenge))
		b.add("POST", "https://api.example/oauth/token", 200, postForm("grant_type=refresh_token&refresh_token=r1"), respBody("application/json", `{"access_token":"x","token_type":"Bearer"}`))
		b.add("GET", "https://api.example/api/orders", 200, reqH("Authorization", "Bearer "+fresh))
		rep := analyzeAll(t, b.trace())
		wantProblem(t, rep, 0, false)
		x, _ := exchange(rep, 0)
		if !strings.Contains(x.Explanation, "refreshed") || !strings.Contains(x.Explanation, "entry 1") || !strings.Contains(x.Explanation, "entry 2") {
			t.Errorf("explanation should name the refresh (entry 1) and the retry (entry 2): %q", x.Explanation)
		}
	})
	t.Run("new token retried without a recorded refresh", func(t *testing.T) {
		b := newAuthTB()
		old, fresh := testJWT(expiredClaims(b)), testJWT(freshClaims(b))
		b.add("GET", "https://api.example/api/orders", 401, reqH("Authorization", "Bearer "+old), respH("WWW-Authenticate", challenge))
		b.add("GET", "https://api.example/api/orders", 200, reqH("Authorization", "Bearer "+fresh))
		wantProblem(t, analyzeAll(t, b.trace()), 0, false)
	})
	t.Run("trap: expired token and no retry", func(t *testing.T) {
		b := newAuthTB()
		old := testJWT(expiredClaims(b))
		b.add("GET", "https://api.example/api/orders", 401, reqH("Authorization", "Bearer "+old), respH("WWW-Authenticate", challenge))
		rep := analyzeAll(t, b.trace())
		wantProblem(t, rep, 0, true)
		wantTop(t, rep, 0, "expired-token")
	})
	t.Run("trap: refresh succeeded but the retry still carries the old token", func(t *testing.T) {
		b := newAuthTB()
		old := testJWT(expiredClaims(b))
		b.add("GET", "https://api.example/api/orders", 401, reqH("Authorization", "Bearer "+old), respH("WWW-Authenticate", challenge))
		b.add("POST", "https://api.example/oauth/token", 200, postForm("grant_type=refresh_token&refresh_token=r1"))
		b.add("GET", "https://api.example/api/orders", 401, reqH("Authorization", "Bearer "+old), respH("WWW-Authenticate", challenge))
		rep := analyzeAll(t, b.trace())
		wantProblem(t, rep, 0, true)
		wantProblem(t, rep, 2, true)
	})
	t.Run("trap: new token retried but refused too", func(t *testing.T) {
		b := newAuthTB()
		old, fresh := testJWT(expiredClaims(b)), testJWT(freshClaims(b))
		b.add("GET", "https://api.example/api/orders", 401, reqH("Authorization", "Bearer "+old), respH("WWW-Authenticate", challenge))
		b.add("GET", "https://api.example/api/orders", 403, reqH("Authorization", "Bearer "+fresh))
		wantProblem(t, analyzeAll(t, b.trace()), 0, true)
	})
	t.Run("trap: a new token only minutes later is a new attempt", func(t *testing.T) {
		b := newAuthTB()
		old, fresh := testJWT(expiredClaims(b)), testJWT(freshClaims(b))
		b.add("GET", "https://api.example/api/orders", 401, reqH("Authorization", "Bearer "+old), respH("WWW-Authenticate", challenge))
		b.add("GET", "https://api.example/api/orders", 200, reqH("Authorization", "Bearer "+fresh), at(b, 300))
		wantProblem(t, analyzeAll(t, b.trace()), 0, true)
	})
	t.Run("trap: retyped Basic password is not a token renewal", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", "https://api.example/api/orders", 401, reqH("Authorization", basicAuth("alice", "typo")), respH("WWW-Authenticate", `Basic realm="api"`))
		b.add("GET", "https://api.example/api/orders", 200, reqH("Authorization", basicAuth("alice", "right")))
		wantProblem(t, analyzeAll(t, b.trace()), 0, true)
	})
}

func TestRefusedTokenAfterSigningInAgainStaysAProblem(t *testing.T) {
	b := newAuthTB()
	old := testJWT(map[string]any{"sub": "alice", "exp": float64(b.t0.Add(-8 * time.Hour).Unix())})
	fresh := testJWT(map[string]any{"sub": "alice", "exp": float64(b.t0.Add(time.Hour).Unix())})
	b.add("GET", "https://app.example/api/orders", 401, reqH("Authorization", "Bearer "+old), respH("WWW-Authenticate", `Bearer error="invalid_token", error_description="jwt expired"`))
	b.add("GET", "https://app.example/login", 200, reqH("Sec-Fetch-Mode", "navigate"), reqH("Sec-Fetch-Dest", "document"), respBody("text/html", "<form>"))
	b.add("POST", "https://app.example/login", 302, postForm("username=alice&password=pw"), respH("Location", "/app"))
	b.add("GET", "https://app.example/api/orders", 200, reqH("Authorization", "Bearer "+fresh))
	rep := analyzeAll(t, b.trace())
	wantProblem(t, rep, 0, true)
	wantTop(t, rep, 0, "expired-token")
}
