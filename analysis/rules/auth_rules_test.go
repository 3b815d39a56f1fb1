package rules

import (
	"strings"
	"testing"
	"time"

	"authlens/analysis/entry"
	"authlens/analysis/internal/ntlmtest"
)

const site = "https://app.example.com"

func TestAnsweredBasicIsNotAProblem(t *testing.T) {
	b := newAuthTB()
	b.add("GET", site+"/admin", 401, respH("WWW-Authenticate", `Basic realm="Staff"`))
	b.add("GET", site+"/admin", 200, reqH("Authorization", basicAuth("alice", "Correct-Horse-9")))
	rep := analyzeAll(t, b.trace())
	x, ok := exchange(rep, 0)
	if !ok || x.Problem || !strings.Contains(x.Explanation, "Not a problem") {
		t.Fatalf("answered Basic challenge: listed=%v problem=%v %q", ok, x.Problem, x.Explanation)
	}
	wantNoSecret(t, rep, "Correct-Horse-9")
}

func TestBasicWrongPassword(t *testing.T) {
	b := newAuthTB()
	b.add("GET", site+"/admin", 401, respH("WWW-Authenticate", `Basic realm="Staff"`))
	b.add("GET", site+"/admin", 401, reqH("Authorization", basicAuth("alice", "Wrong-Passw0rd")), respH("WWW-Authenticate", `Basic realm="Staff"`))
	rep := analyzeAll(t, b.trace())
	d := wantTop(t, rep, 1, "invalid-credentials")
	if !strings.Contains(d.Explanation, `"alice"`) {
		t.Errorf("explanation does not name the user: %q", d.Explanation)
	}
	wantTop(t, rep, 0, "invalid-credentials")
	wantNot(t, rep, 0, "missing-credentials")
	wantNoSecret(t, rep, "Wrong-Passw0rd")
	wantNoSecret(t, rep, strings.TrimPrefix(basicAuth("alice", "Wrong-Passw0rd"), "Basic "))
}

func TestCollapsedHandshakeWithURLCredentials(t *testing.T) {
	b := newAuthTB()
	b.add("GET", "http://bob:Secret-123@127.0.0.1:8080/private/", 401, respH("WWW-Authenticate", `Basic realm="private"`),
		reqH("Sec-Fetch-Mode", "navigate"), reqH("Sec-Fetch-Dest", "document"))
	rep := analyzeAll(t, b.trace())
	wantTop(t, rep, 0, "invalid-credentials")
	wantNot(t, rep, 0, "missing-credentials")
	wantNoSecret(t, rep, "Secret-123")
}

func TestMissingCredentials(t *testing.T) {
	b := newAuthTB()
	b.add("GET", site+"/admin", 401, respH("WWW-Authenticate", `Basic realm="Staff"`))
	rep := analyzeAll(t, b.trace())
	d := wantTop(t, rep, 0, "missing-credentials")
	if !strings.Contains(d.Remedy[0].Step, `realm "Staff"`) {
		t.Errorf("first step does not name the realm: %q", d.Remedy[0].Step)
	}
}

func TestMissingCredentials403DRF(t *testing.T) {
	b := newAuthTB()
	b.add("GET", site+"/api/orders/", 403, respBody("application/json", `{"detail":"Authentication credentials were not provided."}`))
	rep := analyzeAll(t, b.trace())
	wantTop(t, rep, 0, "missing-credentials")
}

func TestMissingChallengeNeverFirst(t *testing.T) {
	b := newAuthTB()
	b.add("GET", site+"/api/data", 401, respBody("application/json", `{"error":"unauthorized"}`))
	rep := analyzeAll(t, b.trace())
	wantTop(t, rep, 0, "missing-credentials")
	wantHas(t, rep, 0, "missing-challenge")
	// With a token that expired, the specific cause wins too.
	b = newAuthTB()
	exp := b.t0.Add(-2 * time.Hour)
	b.add("GET", site+"/api/data", 401, reqH("Authorization", "Bearer "+testJWT(map[string]any{"exp": exp.Unix(), "aud": site})), dateHeader(b.t0))
	rep = analyzeAll(t, b.trace())
	wantTop(t, rep, 0, "expired-token")
}

func TestDigestStaleIsNeverInvalidCredentials(t *testing.T) {
	b := newAuthTB()
	digest := `Digest username="alice", realm="r", nonce="old", uri="/doc", qop=auth, nc=00000001, cnonce="c", response="0123456789abcdef0123456789abcdef"`
	b.add("GET", site+"/doc", 401, reqH("Authorization", digest), respH("WWW-Authenticate", `Digest realm="r", nonce="new", qop="auth", stale=true`))
	rep := analyzeAll(t, b.trace())
	wantTop(t, rep, 0, "stale-nonce")
	wantNot(t, rep, 0, "invalid-credentials")
	wantNoSecret(t, rep, "0123456789abcdef0123456789abcdef")
}

func TestDigestRetryWithoutStaleIsInvalidCredentials(t *testing.T) {
	b := newAuthTB()
	b.add("GET", site+"/doc", 401, respH("WWW-Authenticate", `Digest realm="r", nonce="n1", qop="auth"`))
	b.add("GET", site+"/doc", 401, reqH("Authorization", `Digest username="alice", realm="r", nonce="n1", uri="/doc", response="00112233445566778899aabbccddeeff"`),
		respH("WWW-Authenticate", `Digest realm="r", nonce="n2", qop="auth"`))
	rep := analyzeAll(t, b.trace())
	d := wantTop(t, rep, 1, "invalid-credentials")
	if !strings.Contains(d.Explanation, "stale") {
		t.Errorf("explanation should say why (no stale=true): %q", d.Explanation)
	}
}

func TestDigestStaleRetriedIsNotAProblem(t *testing.T) {
	b := newAuthTB()
	b.add("GET", site+"/doc", 401, reqH("Authorization", `Digest username="alice", nonce="old", response="x"`), respH("WWW-Authenticate", `Digest realm="r", nonce="new", stale=TRUE`))
	b.add("GET", site+"/doc", 200, reqH("Authorization", `Digest username="alice", nonce="new", response="y"`))
	rep := analyzeAll(t, b.trace())
	if x, _ := exchange(rep, 0); x.Problem || !strings.Contains(x.Explanation, "stale") {
		t.Fatalf("stale retried: problem=%v %q", x.Problem, x.Explanation)
	}
}

func TestStepUpRanksAboveInvalidCredentials(t *testing.T) {
	b := newAuthTB()
	tok := testJWT(map[string]any{"exp": b.t0.Add(time.Hour).Unix(), "acr": "1"})
	b.add("GET", site+"/api/transfer", 401, reqH("Authorization", "Bearer "+tok),
		respH("WWW-Authenticate", `Bearer error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values="phr"`), dateHeader(b.t0))
	rep := analyzeAll(t, b.trace())
	d := wantTop(t, rep, 0, "step-up-required")
	if !strings.Contains(d.Remedy[1].Step, `acr_values="phr"`) {
		t.Errorf("developer step should name acr_values: %q", d.Remedy[1].Step)
	}
	wantNot(t, rep, 0, "invalid-credentials")
	wantNot(t, rep, 0, "expired-token")
	wantNoSecret(t, rep, tok)
}

func TestWrongScheme(t *testing.T) {
	b := newAuthTB()
	b.add("GET", site+"/files", 401, reqH("Authorization", "Bearer abcdefghijklmnopqrstuvwxyz012345"), respH("WWW-Authenticate", `Basic realm="files"`))
	b.add("GET", site+"/api", 401, reqH("Authorization", "Bearer Bearer abcdefghijklmnopqrstuvwxyz012345"), respH("WWW-Authenticate", `Bearer realm="api"`))
	b.add("GET", site+"/case", 200, reqH("Authorization", "bearer abcdefghijklmnopqrstuvwxyz012345"))
	rep := analyzeAll(t, b.trace())
	wantTop(t, rep, 0, "wrong-scheme")
	wantNot(t, rep, 0, "invalid-credentials")
	d := wantTop(t, rep, 1, "wrong-scheme")
	if !strings.Contains(d.Explanation, "scheme doubled") {
		t.Errorf("explanation: %q", d.Explanation)
	}
	wantNoSecret(t, rep, "abcdefghijklmnopqrstuvwxyz012345")
}

func TestNTLM(t *testing.T) {
	uni := ntlmtest.FlagUnicode | ntlmtest.FlagNTLM
	t1 := "NTLM " + ntlmtest.Base64(ntlmtest.Type1(uni, "", ""))
	t2 := "NTLM " + ntlmtest.Base64(ntlmtest.Type2(uni, "CORP"))
	t3 := "NTLM " + ntlmtest.Base64(ntlmtest.Type3(uni, "CORP", "jdoe", "WS01", false))
	iis := respH("Server", "Microsoft-IIS/10.0")

	t.Run("answered legs", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", site+"/", 401, iis, respH("WWW-Authenticate", "Negotiate"), respH("WWW-Authenticate", "NTLM"), socket("11"))
		b.add("GET", site+"/", 401, iis, reqH("Authorization", t1), respH("WWW-Authenticate", t2), socket("11"))
		b.add("GET", site+"/", 200, iis, reqH("Authorization", t3), socket("11"))
		rep := analyzeAll(t, b.trace())
		for _, i := range []int{0, 1} {
			if x, ok := exchange(rep, i); !ok || x.Problem {
				t.Errorf("leg %d: listed=%v problem=%v [%s]", i, ok, x.Problem, causeList(x))
			}
		}
	})
	t.Run("split across sockets", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", site+"/", 401, iis, respH("WWW-Authenticate", "NTLM"), socket("11"))
		b.add("GET", site+"/", 401, iis, reqH("Authorization", t1), respH("WWW-Authenticate", t2), socket("11"))
		b.add("GET", site+"/", 401, iis, reqH("Authorization", t3), respH("WWW-Authenticate", "NTLM"), socket("12"))
		rep := analyzeAll(t, b.trace())
		for _, i := range []int{0, 1, 2} {
			wantTop(t, rep, i, "connection-auth-broken")
		}
	})
	t.Run("rejected account", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", site+"/", 401, iis, reqH("Authorization", t1), respH("WWW-Authenticate", t2), socket("11"))
		b.add("GET", site+"/", 401, iis, reqH("Authorization", t3), respH("WWW-Authenticate", "NTLM"), socket("11"))
		rep := analyzeAll(t, b.trace())
		d := wantTop(t, rep, 1, "invalid-credentials")
		if !strings.Contains(d.Explanation, `CORP\jdoe`) {
			t.Errorf("explanation should name the account: %q", d.Explanation)
		}
	})
	t.Run("never answered", func(t *testing.T) {
		b := newAuthTB()
		b.add("GET", site+"/", 401, iis, respH("WWW-Authenticate", "Negotiate"), respH("WWW-Authenticate", "NTLM"))
		rep := analyzeAll(t, b.trace())
		wantTop(t, rep, 0, "unsupported-auth-method")
	})
}

func TestExpiredToken(t *testing.T) {
	b := newAuthTB()
	exp := b.t0.Add(-(3*time.Hour + 12*time.Minute))
	tok := testJWT(map[string]any{"exp": exp.Unix(), "aud": site, "sub": "u1"})
	b.add("GET", site+"/api/me/orders", 401, reqH("Authorization", "Bearer "+tok), respH("WWW-Authenticate", `Bearer error="invalid_token"`), dateHeader(b.t0))
	rep := analyzeAll(t, b.trace())
	d := wantTop(t, rep, 0, "expired-token")
	if !strings.Contains(d.Explanation, "expired 3 h 12 min before this request") {
		t.Errorf("explanation: %q", d.Explanation)
	}
	wantNot(t, rep, 0, "invalid-credentials")
	wantNoSecret(t, rep, tok)
}

func TestPresignedLinksExpired(t *testing.T) {
	b := newAuthTB()
	b.add("GET", "https://bucket.s3.amazonaws.com/report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20260302%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260302T090000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=deadbeefdeadbeefdeadbeefdeadbeef", 403,
		respBody("application/xml", `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>`), dateHeader(b.t0), respH("Server", "AmazonS3"))
	b.add("GET", "https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&st=2026-03-02T08%3A00%3A00Z&se=2026-03-02T09%3A00%3A00Z&sr=b&sp=r&sig=abcdefabcdefabcdefabcdef%3D", 403, dateHeader(b.t0))
	rep := analyzeAll(t, b.trace())
	d := wantTop(t, rep, 0, "expired-token")
	if !strings.Contains(d.Explanation, "expired 45 min 0 s before") {
		t.Errorf("S3: %q", d.Explanation)
	}
	wantTop(t, rep, 1, "expired-token")
	wantNoSecret(t, rep, "deadbeefdeadbeefdeadbeefdeadbeef")
}

func TestClockSkew(t *testing.T) {
	b := newAuthTB()
	nbf := b.t0.Add(10 * time.Minute)
	b.add("GET", site+"/api/a", 401, reqH("Authorization", "Bearer "+testJWT(map[string]any{"nbf": nbf.Unix(), "exp": nbf.Add(time.Hour).Unix()})),
		respH("WWW-Authenticate", `Bearer error="invalid_token"`), dateHeader(b.t0))
	// exp past by the server's Date, future by the client's clock (client 5 min behind).
	exp := b.t0.Add(2 * time.Minute)
	b.add("GET", site+"/api/b", 401, reqH("Authorization", "Bearer "+testJWT(map[string]any{"exp": exp.Unix()})),
		respH("WWW-Authenticate", `Bearer error="invalid_token"`), dateHeader(b.t0.Add(5*time.Minute)))
	rep := analyzeAll(t, b.trace())
	wantTop(t, rep, 0, "clock-skew")
	wantTop(t, rep, 1, "clock-skew")
}

func TestAudienceMismatch(t *testing.T) {
	b := newAuthTB()
	b.add("GET", "https://api.contoso.com/orders", 401, reqH("Authorization", "Bearer "+testJWT(map[string]any{"aud": "https://graph.microsoft.com", "iss": "https://sts.windows.net/t1/", "exp": b.t0.Add(time.Hour).Unix()})),
		respH("WWW-Authenticate", `Bearer error="invalid_token"`), dateHeader(b.t0))
	rep := analyzeAll(t, b.trace())
	d := wantTop(t, rep, 0, "token-audience-mismatch")
	if !strings.Contains(d.Remedy[0].Step, "https://graph.microsoft.com") {
		t.Errorf("remedy should name the audience: %q", d.Remedy[0].Step)
	}
}

func TestInsufficientScope(t *testing.T) {
	b := newAuthTB()
	b.add("DELETE", site+"/api/orders/7", 403, reqH("Authorization", "Bearer "+testJWT(map[string]any{"scp": "orders.read", "exp": b.t0.Add(time.Hour).Unix()})),
		respH("WWW-Authenticate", `Bearer error="insufficient_scope", scope="orders.write"`), dateHeader(b.t0))
	rep := analyzeAll(t, b.trace())
	d := wantTop(t, rep, 0, "insufficient-scope")
	if !strings.Contains(d.Explanation, "lacks orders.write") {
		t.Errorf("explanation: %q", d.Explanation)
	}
}

func TestClientCredentialsInvalid(t *testing.T) {
	b := newAuthTB()
	b.add("POST", "https://login.microsoftonline.com/tenant/oauth2/v2.0/token", 401,
		postBody("application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=abc&client_secret=TopSecretValue123&scope=api%3A%2F%2Fx%2F.default"),
		respBody("application/json", `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]}`))
	rep := analyzeAll(t, b.trace())
	wantTop(t, rep, 0, "client-credentials-invalid")
	wantNot(t, rep, 0, "invalid-credentials")
	wantNoSecret(t, rep, "TopSecretValue123")
}

func TestProxyStrippedAuthorization(t *testing.T) {
	b := newAuthTB()
	b.add("GET", site+"/api/orders/", 403, reqH("Authorization", "Token 0123456789abcdef0123456789abcdef01234567"),
		respH("Server", "Apache/2.4.57 (Debian) mod_wsgi/4.9.4 Python/3.11"),
		respBody("application/json", `{"detail":"Authentication credentials were not provided."}`))
	rep := analyzeAll(t, b.trace())
	d := wantTop(t, rep, 0, "proxy-stripped-authorization")
	if !strings.Contains(d.Remedy[0].Step, "WSGIPassAuthorization On") {
		t.Errorf("remedy should name the mod_wsgi setting: %q", d.Remedy[0].Step)
	}
	wantNot(t, rep, 0, "missing-credentials")
}

func TestAuthDroppedOnRedirect(t *testing.T) {
	b := newAuthTB()
	b.add("GET", "http://api.example.com/v1/me", 301, reqH("Authorization", "Bearer abcdefghijklmnopqrstuvwxyz"), respH("Location", "https://api.example.com/v1/me"))
	b.add("GET", "https://api.example.com/v1/me", 401, respH("WWW-Authenticate", `Bearer realm="api"`))
	tr := b.trace()
	if tr.RedirectTarget(0) != 1 || tr.RedirectSource(1) != 0 {
		t.Fatalf("redirect index: %d %d", tr.RedirectTarget(0), tr.RedirectSource(1))
	}
	rep := analyzeAll(t, tr)
	wantTop(t, rep, 1, "auth-dropped-on-redirect")
	// An old browser keeps the header: the rule stays silent.
	b.entries[0].Request.Headers[0].Value = "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/100.0.0.0 Safari/537.36"
	b.entries[1].Request.Headers[0].Value = b.entries[0].Request.Headers[0].Value
	rep = analyzeAll(t, b.trace())
	wantNot(t, rep, 1, "auth-dropped-on-redirect")
}

func TestProxyAuthRequired(t *testing.T) {
	b := newAuthTB()
	b.add("GET", "http://intranet.example.com/", 407, respH("Proxy-Authenticate", `Basic realm="corp proxy"`), respH("X-Squid-Error", "ERR_CACHE_ACCESS_DENIED 0"),
		respH("Via", "1.1 proxy1 (squid/5.7)"), respH("Server", "squid/5.7"), reqH("Proxy-Connection", "keep-alive"))
	b.add("GET", "https://secure.example.com/", 0, failure("net::ERR_TUNNEL_CONNECTION_FAILED"))
	rep := analyzeAll(t, b.trace())
	d := wantTop(t, rep, 0, "proxy-auth-required")
	if !strings.Contains(d.Explanation, "squid/5.7") {
		t.Errorf("explanation should name the proxy: %q", d.Explanation)
	}
	wantTop(t, rep, 1, "proxy-auth-required")
}

func TestWrongURLAndDNS(t *testing.T) {
	b := newAuthTB()
	b.add("GET", "https://portal.example.com/Reports", 200, serverIP("10.0.0.5"))
	b.add("GET", "https://portal.example.com/reports", 403, serverIP("10.0.0.5"))
	rep := analyzeAll(t, b.trace())
	wantHas(t, rep, 1, "wrong-url")

	b = newAuthTB()
	b.add("GET", "https://portal.example.com/a", 200, serverIP("10.0.0.5"))
	b.add("GET", "https://portal.example.com/b", 403, serverIP("192.0.2.9"))
	b.add("GET", "https://portal.example.com/c", 200, serverIP("[10.0.0.5]"))
	tr := b.trace()
	if ips := tr.HostIPs("portal.example.com"); len(ips) != 2 {
		t.Fatalf("HostIPs = %v (brackets must be stripped)", ips)
	}
	rep = analyzeAll(t, tr)
	wantHas(t, rep, 1, "dns-mismatch")
}

func TestAuthzAs401(t *testing.T) {
	b := newAuthTB()
	cred := basicAuth("carol", "Pa55word!")
	b.add("GET", site+"/reports", 200, reqH("Authorization", cred))
	b.add("GET", site+"/admin/users", 401, reqH("Authorization", cred), respH("WWW-Authenticate", `Basic realm="Staff"`),
		respBody("text/plain", "You do not have permission to view this page"))
	rep := analyzeAll(t, b.trace())
	wantTop(t, rep, 1, "authz-as-401")
}

func TestBackgroundWhoAmIIsNotAProblem(t *testing.T) {
	b := newAuthTB()
	b.add("GET", site+"/", 200, reqH("Sec-Fetch-Mode", "navigate"), reqH("Sec-Fetch-Dest", "document"))
	b.add("GET", site+"/api/me", 401, reqH("Sec-Fetch-Mode", "cors"), reqH("Sec-Fetch-Dest", "empty"), reqH("Accept", "application/json"))
	rep := analyzeAll(t, b.trace())
	if x, _ := exchange(rep, 1); x.Problem {
		t.Fatalf("background who-am-I flagged: %q", x.Explanation)
	}
	// ...unless the user then tried to sign in and failed.
	b.add("POST", site+"/login", 401, reqH("Sec-Fetch-Mode", "cors"))
	rep = analyzeAll(t, b.trace())
	if x, _ := exchange(rep, 1); !x.Problem {
		t.Fatal("who-am-I before a failed sign-in must stay a problem")
	}
}

func TestDPoPNonceRetried(t *testing.T) {
	b := newAuthTB()
	b.add("GET", site+"/api/x", 401, reqH("Authorization", "DPoP abcdefghijklmnopqrstuvwxyz"), reqH("DPoP", "proof1"),
		respH("WWW-Authenticate", `DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"`), respH("DPoP-Nonce", "eyJ7S_zG.eyJH0-Z.HX4w-7v"))
	b.add("GET", site+"/api/x", 200, reqH("Authorization", "DPoP abcdefghijklmnopqrstuvwxyz"), reqH("DPoP", "proof2"))
	rep := analyzeAll(t, b.trace())
	if x, _ := exchange(rep, 0); x.Problem || !strings.Contains(x.Explanation, "DPoP") {
		t.Fatalf("DPoP nonce retry: problem=%v %q", x.Problem, x.Explanation)
	}
}

func TestIISSubStatus(t *testing.T) {
	page := func(code string) entryOpt {
		return respBody("text/html", `<html><head><title>IIS 10.0 Detailed Error - `+code+` - Unauthorized</title></head><body><h3>HTTP Error `+code+` - Unauthorized</h3></body></html>`)
	}
	b := newAuthTB()
	b.add("GET", site+"/a", 401, page("401.1"), respH("Server", "Microsoft-IIS/10.0"), reqH("Authorization", basicAuth("dave", "pw-dave-1")), respH("WWW-Authenticate", `Basic realm="a"`))
	b.add("GET", site+"/b", 401, page("401.2"), respH("Server", "Microsoft-IIS/10.0"), respH("WWW-Authenticate", "Negotiate"))
	b.add("GET", "http://app.example.com/c", 403, respBody("text/html", "<title>IIS 10.0 Detailed Error - 403.4 - Forbidden</title>"), respH("Server", "Microsoft-IIS/10.0"))
	b.add("GET", site+"/d", 403, respBody("text/html", "<title>IIS 10.0 Detailed Error - 403.7 - Forbidden</title>"), respH("Server", "Microsoft-IIS/10.0"))
	b.add("GET", site+"/e", 403, respBody("text/html", "<title>IIS 10.0 Detailed Error - 403.13 - Forbidden</title>"), respH("Server", "Microsoft-IIS/10.0"))
	rep := analyzeAll(t, b.trace())
	wantTop(t, rep, 4, "invalid-credentials")
	wantTop(t, rep, 0, "invalid-credentials")
	wantTop(t, rep, 1, "unsupported-auth-method")
	wantTop(t, rep, 2, "wrong-url")
	wantTop(t, rep, 3, "missing-credentials")
}

func TestSanitizedExport(t *testing.T) {
	b := newAuthTB()
	b.log.Creator = harCreator("WebInspector", "537.36")
	i := b.add("GET", site+"/account", 401, respH("WWW-Authenticate", `Bearer realm="app"`))
	// Headers left: Host + User-Agent; headersSize counts a removed Cookie too.
	b.entries[i].Request.Headers = append(b.entries[i].Request.Headers, harHeader("Host", "app.example.com"))
	b.entries[i].Request.HeadersSize = 600
	tr := b.trace()
	s := tr.Sanitized()
	if !s.Sanitized || !s.AuthHidden || !strings.Contains(s.How, "headersSize") {
		t.Fatalf("sanitized export not detected: %+v", s)
	}
	rep := analyzeAll(t, tr)
	if !rep.Source.Sanitized {
		t.Error("report source not marked sanitized")
	}
	found := false
	for _, n := range rep.Notes {
		found = found || n.ID == "sanitized-export" && strings.Contains(n.Text, "with sensitive data")
	}
	if !found {
		t.Errorf("no sanitized-export note: %+v", rep.Notes)
	}
	if d := wantHas(t, rep, 0, "missing-credentials"); d.Confidence > 0.45 || !strings.Contains(d.Explanation, "cannot be confirmed") {
		t.Errorf("missing-credentials on a sanitized export: %.2f %q", d.Confidence, d.Explanation)
	}

	b = newAuthTB()
	b.add("GET", site+"/x", 200, reqH("Authorization", "Bearer [REDACTED]"))
	if s := b.trace().Sanitized(); !s.Sanitized || !s.AuthHidden {
		t.Fatalf("REDACTED placeholder not detected: %+v", s)
	}
	b = newAuthTB()
	b.add("GET", site+"/x", 200, reqH("Authorization", "Bearer abcdefghijklmnopqrstuvwxyz"), reqH("Cookie", "sid=1"))
	if s := b.trace().Sanitized(); s.Sanitized || s.Suspected {
		t.Fatalf("plain export flagged: %+v", s)
	}
}

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		3*time.Hour + 12*time.Minute + 20*time.Second: "3 h 12 min",
		45 * time.Minute:  "45 min 0 s",
		-12 * time.Second: "12 s",
		50 * time.Hour:    "2 d 2 h",
	} {
		if got := entry.HumanDuration(d); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestTokenOfferedButNotInTrace(t *testing.T) {
	b := newAuthTB()
	b.log.Creator = harCreator("WebInspector", "537.36")
	b.add("GET", site+"/api/orders", 401, respH("WWW-Authenticate", `Bearer realm="api", error="invalid_token", error_description="The signature is invalid"`))
	rep := analyzeAll(t, b.trace())
	d := wantTop(t, rep, 0, "invalid-credentials")
	if !strings.Contains(d.Explanation, "sensitive data") {
		t.Errorf("explanation should say what to ask for: %q", d.Explanation)
	}
}
