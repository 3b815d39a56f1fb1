package compare_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"authlens/analysis/compare"
	"authlens/analysis/internal/tracebuild"
	"authlens/analysis/trace"
	"authlens/har"
)

var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

var chrome = tracebuild.Style{UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36", Step: 2 * time.Second, Time: 20, ServerIP: "203.0.113.10"}

func build(style tracebuild.Style, add func(b *tracebuild.Builder)) *trace.Trace {
	b := tracebuild.NewBuilder(style, start)
	add(b)
	return trace.New(trace.SourceInfo{Path: "built"}, har.Log{}, b.Entries(), nil)
}

func run(t *testing.T, good, bad *trace.Trace, opt compare.Options) *compare.Result {
	t.Helper()
	res, err := compare.Compare(context.Background(), good, bad, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// first returns the first-ranked meaningful difference, failing when none.
func first(t *testing.T, res *compare.Result) compare.Difference {
	t.Helper()
	m := res.Meaningful()
	if len(m) == 0 {
		t.Fatalf("no meaningful difference; divergence %+v", res.Divergence)
	}
	return m[0]
}

func wantFirst(t *testing.T, res *compare.Result, kind compare.Kind, cause string) {
	t.Helper()
	if d := first(t, res); d.Kind != kind || d.Cause != cause {
		t.Fatalf("first difference %s/%s (%q), want %s/%s; all: %s", d.Kind, d.Cause, d.Title, kind, cause, titles(res))
	}
}

func wantDivergence(t *testing.T, res *compare.Result, key string) {
	t.Helper()
	if res.Divergence == nil || res.Divergence.Key != key {
		t.Fatalf("divergence %+v, want %q", res.Divergence, key)
	}
}

func titles(res *compare.Result) string {
	var s []string
	for _, d := range res.Differences {
		s = append(s, fmt.Sprintf("%s/%s %q noise=%v w=%d", d.Kind, d.Cause, d.Title, d.Noise, d.Weight))
	}
	return strings.Join(s, "; ")
}

// jwt builds an unsigned-looking compact JWS with the claims given.
func jwt(claims map[string]any) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]any{"alg": "RS256", "typ": "JWT"}) + "." + enc(claims) + ".c2lnbmF0dXJlLW5vdC1jaGVja2Vk"
}

func claims(extra map[string]any) map[string]any {
	c := map[string]any{"iss": "https://login.example.test/", "sub": "alice", "aud": "https://api.example.test",
		"iat": start.Unix() - 60, "nbf": start.Unix() - 60, "exp": start.Unix() + 3600, "scope": "orders:read reports:read", "acr": "mfa"}
	for k, v := range extra {
		c[k] = v
	}
	return c
}

func bearerFlow(token string, status int) *trace.Trace {
	return build(chrome, func(b *tracebuild.Builder) {
		b.Add("GET", "https://api.example.test/", 200)
		b.Add("GET", "https://api.example.test/api/orders/1042", status, tracebuild.ReqHeader("Authorization", "Bearer "+token))
	})
}

func TestJWTClaims(t *testing.T) {
	good := bearerFlow(jwt(claims(nil)), 200)
	cases := []struct {
		name  string
		extra map[string]any
		cause string
	}{
		{"expired", map[string]any{"exp": start.Unix() - 3600}, "expired-token"},
		{"not yet valid", map[string]any{"nbf": start.Unix() + 600, "iat": start.Unix() + 600}, "clock-skew"},
		{"audience", map[string]any{"aud": "https://billing.example.test"}, "token-audience-mismatch"},
		{"scope", map[string]any{"scope": "orders:read"}, "insufficient-scope"},
		{"acr", map[string]any{"acr": "pwd"}, "step-up-required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := run(t, good, bearerFlow(jwt(claims(c.extra)), 401), compare.Options{})
			wantDivergence(t, res, "GET /api/orders/{n}")
			wantFirst(t, res, compare.KindCredentials, c.cause)
		})
	}
}

func basicFlow(auth string, status int) *trace.Trace {
	return build(chrome, func(b *tracebuild.Builder) {
		b.Add("GET", "https://intranet.example.test/", 200)
		var opts []tracebuild.Option
		if auth != "" {
			opts = append(opts, tracebuild.ReqHeader("Authorization", auth))
		}
		if status == 401 {
			opts = append(opts, tracebuild.RespHeader("WWW-Authenticate", `Basic realm="staff"`))
		}
		b.Add("GET", "https://intranet.example.test/private/", status, opts...)
	})
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func TestBasicCredentials(t *testing.T) {
	good := basicFlow(basic("alice", "correct-horse"), 200)
	t.Run("missing", func(t *testing.T) {
		wantFirst(t, run(t, good, basicFlow("", 401), compare.Options{}), compare.KindCredentials, "missing-credentials")
	})
	t.Run("password", func(t *testing.T) {
		res := run(t, good, basicFlow(basic("alice", "Tr0ub4dor&3"), 401), compare.Options{})
		wantFirst(t, res, compare.KindCredentials, "invalid-credentials")
		out, _ := json.Marshal(res)
		for _, secret := range []string{"Tr0ub4dor", "correct-horse", base64.StdEncoding.EncodeToString([]byte("alice:Tr0ub4dor&3"))} {
			if strings.Contains(string(out), secret) {
				t.Fatalf("the result shows the secret %q", secret)
			}
		}
	})
	t.Run("user", func(t *testing.T) {
		d := first(t, run(t, good, basicFlow(basic("bob", "correct-horse"), 401), compare.Options{}))
		if d.Cause != "invalid-credentials" || !strings.Contains(d.Explanation, `"bob"`) {
			t.Fatalf("got %s %q", d.Cause, d.Explanation)
		}
	})
	t.Run("scheme", func(t *testing.T) {
		wantFirst(t, run(t, good, basicFlow("Bearer abcdefghijklmnopqrstuvwxyz0123456789", 401), compare.Options{}), compare.KindCredentials, "wrong-scheme")
	})
	t.Run("malformed", func(t *testing.T) {
		wantFirst(t, run(t, good, basicFlow("Basic alice:correct-horse", 401), compare.Options{}), compare.KindCredentials, "wrong-scheme")
	})
}

func TestCredentialsDroppedOnRedirect(t *testing.T) {
	tok := "Bearer " + jwt(claims(nil))
	good := build(chrome, func(b *tracebuild.Builder) {
		b.Add("GET", "https://api.example.test/api/me", 200, tracebuild.ReqHeader("Authorization", tok))
	})
	bad := build(chrome, func(b *tracebuild.Builder) {
		b.Add("GET", "https://api.example.test/old/api/me", 302, tracebuild.ReqHeader("Authorization", tok),
			tracebuild.RespHeader("Location", "https://api2.example.test/api/me"), func(e *har.Entry) { e.Response.RedirectURL = "https://api2.example.test/api/me" })
		b.Add("GET", "https://api2.example.test/api/me", 401, tracebuild.RespHeader("WWW-Authenticate", `Bearer realm="api"`))
	})
	res := run(t, good, bad, compare.Options{})
	wantDivergence(t, res, "GET /api/me")
	wantFirst(t, res, compare.KindCredentials, "auth-dropped-on-redirect")
	if !hasKind(res, compare.KindRedirect) {
		t.Errorf("no redirect difference: %s", titles(res))
	}
	if got := res.Divergence.BadPath; len(got) < 2 || got[len(got)-2].Entry != 0 || got[len(got)-1].Entry != 1 {
		t.Errorf("bad path %v, want the redirect chain 0 → 1", got)
	}
}

func hasKind(res *compare.Result, k compare.Kind) bool {
	for _, d := range res.Differences {
		if d.Kind == k {
			return true
		}
	}
	return false
}

func sessionFlow(setCookie string, sent string, status int) *trace.Trace {
	return build(chrome, func(b *tracebuild.Builder) {
		b.Add("GET", "https://shop.example.test/login", 200)
		b.Add("POST", "https://shop.example.test/login", 302, tracebuild.RespHeader("Set-Cookie", setCookie),
			tracebuild.RespHeader("Location", "/app/"), func(e *har.Entry) { e.Response.RedirectURL = "https://shop.example.test/app/" })
		var opts []tracebuild.Option
		if sent != "" {
			opts = append(opts, tracebuild.ReqHeader("Cookie", sent))
		}
		b.Add("GET", "https://shop.example.test/app/", status, opts...)
	})
}

func TestCookies(t *testing.T) {
	good := sessionFlow("sessionid=s3cr3tvalue1; Path=/; Secure; HttpOnly", "sessionid=s3cr3tvalue1; _ga=GA1.2.3", 200)
	t.Run("rejected", func(t *testing.T) {
		bad := sessionFlow("sessionid=s3cr3tvalue2; Domain=other.example.org; Path=/; Secure; HttpOnly", "", 401)
		res := run(t, good, bad, compare.Options{})
		wantDivergence(t, res, "GET /app/")
		d := first(t, res)
		if d.Kind != compare.KindCookie || d.Cause != "cookie-rejected" || !strings.Contains(d.Explanation, "entry 1") {
			t.Fatalf("got %s/%s %q", d.Kind, d.Cause, d.Explanation)
		}
	})
	t.Run("stale", func(t *testing.T) {
		bad := sessionFlow("sessionid=new0value; Path=/; Secure; HttpOnly", "sessionid=old0value; sessionid=new0value", 401)
		wantFirst(t, run(t, good, bad, compare.Options{}), compare.KindCookie, "stale-cookie")
	})
	t.Run("never set", func(t *testing.T) {
		bad := build(chrome, func(b *tracebuild.Builder) {
			b.Add("GET", "https://shop.example.test/login", 200)
			b.Add("POST", "https://shop.example.test/login", 200)
			b.Add("GET", "https://shop.example.test/app/", 401)
		})
		res := run(t, good, bad, compare.Options{})
		d := first(t, res)
		if d.Kind != compare.KindCookie || !strings.Contains(d.Title, "sessionid") {
			t.Fatalf("got %s %q", d.Kind, d.Title)
		}
		// _ga is an analytics cookie: noise, never meaningful.
		for _, m := range res.Meaningful() {
			if strings.Contains(m.Title, "_ga") {
				t.Fatalf("analytics cookie ranked as meaningful: %q", m.Title)
			}
		}
	})
}

func TestIntermediaries(t *testing.T) {
	tok := "Bearer " + jwt(claims(nil))
	flow := func(status int, resp ...tracebuild.Option) *trace.Trace {
		return build(chrome, func(b *tracebuild.Builder) {
			b.Add("GET", "http://backend.example.test/", 200)
			b.Add("GET", "http://backend.example.test/api/orders", status, append([]tracebuild.Option{tracebuild.ReqHeader("Authorization", tok)}, resp...)...)
		})
	}
	good := flow(200)
	bad := flow(401, tracebuild.RespHeader("Via", "1.1 proxy.corp (squid/6.10)"), tracebuild.RespHeader("WWW-Authenticate", `Bearer realm="api"`))
	wantFirst(t, run(t, good, bad, compare.Options{}), compare.KindIntermediary, "proxy-stripped-authorization")
}

func TestServerAddress(t *testing.T) {
	good := build(chrome, func(b *tracebuild.Builder) { b.Add("GET", "https://app.example.test/reports", 200) })
	other := chrome
	other.ServerIP = "198.51.100.7"
	bad := build(other, func(b *tracebuild.Builder) { b.Add("GET", "https://app.example.test/reports", 403) })
	wantFirst(t, run(t, good, bad, compare.Options{}), compare.KindServerAddress, "dns-mismatch")
}

func TestCORSPreflight(t *testing.T) {
	flow := func(preflight int, status int) *trace.Trace {
		return build(chrome, func(b *tracebuild.Builder) {
			b.Add("GET", "https://shop.example.test/", 200)
			b.Add("OPTIONS", "https://api.example.test/cart", preflight)
			b.Add("GET", "https://api.example.test/cart", status, func(e *har.Entry) {
				if status == 0 {
					e.FailureText = "net::ERR_FAILED"
				}
			})
		})
	}
	res := run(t, flow(204, 200), flow(401, 0), compare.Options{})
	wantDivergence(t, res, "GET /cart")
	wantFirst(t, res, compare.KindCORS, "cors-preflight-auth")
}

func TestCSRFHeader(t *testing.T) {
	flow := func(status int, opts ...tracebuild.Option) *trace.Trace {
		return build(chrome, func(b *tracebuild.Builder) {
			b.Add("GET", "https://notes.example.test/notes/", 200)
			b.Add("POST", "https://notes.example.test/api/notes/", status, opts...)
		})
	}
	res := run(t, flow(201, tracebuild.ReqHeader("X-CSRFToken", "abcdefghij0123456789abcdefghij01")), flow(403), compare.Options{})
	wantFirst(t, res, compare.KindRequestHeader, "csrf-failure")
	out, _ := json.Marshal(res)
	if strings.Contains(string(out), "abcdefghij0123456789") {
		t.Fatal("the CSRF token is shown")
	}
}

func TestFirewallAndRate(t *testing.T) {
	search := func(q string, status int, opts ...tracebuild.Option) func(*tracebuild.Builder) {
		return func(b *tracebuild.Builder) { b.Add("GET", "https://shop.example.test/search?q="+q, status, opts...) }
	}
	good := build(chrome, func(b *tracebuild.Builder) { search("walking+shoes", 200)(b); search("running+shoes", 200)(b) })
	bad := build(chrome, func(b *tracebuild.Builder) {
		search("walking+shoes", 200)(b)
		search("%3Cscript%3Ealert(1)%3C/script%3E", 403)(b)
	})
	res := run(t, good, bad, compare.Options{})
	wantDivergence(t, res, "GET /search?q")
	wantFirst(t, res, compare.KindRequestData, "waf-block")

	many := build(chrome, func(b *tracebuild.Builder) {
		for _, q := range []string{"a", "al", "ali", "alic"} {
			search(q, 200)(b)
		}
		search("alice", 429, tracebuild.RespHeader("Retry-After", "30"))(b)
	})
	res = run(t, good, many, compare.Options{})
	wantFirst(t, res, compare.KindRequestRate, "rate-limited")
	if p := res.Pairs[res.Divergence.Pair]; p.BadCount != 5 || p.GoodCount != 2 {
		t.Errorf("step counts good %d bad %d, want 2 and 5 (the repeats collapse into one step)", p.GoodCount, p.BadCount)
	}
}

// TestNoiseOnly: two recordings of one healthy flow that differ in
// timestamps, validators, request IDs, cache busters, analytics and
// polling count report no divergence and no meaningful difference.
func TestNoiseOnly(t *testing.T) {
	flow := func(id string, polls int, wait time.Duration) *trace.Trace {
		return build(chrome, func(b *tracebuild.Builder) {
			b.Wait(wait)
			b.Add("GET", "https://app.example.test/?_="+id, 200, tracebuild.RespHeader("ETag", `"`+id+`"`), tracebuild.RespHeader("X-Request-Id", id))
			b.Add("GET", "https://www.google-analytics.com/collect?cid="+id, 204)
			b.Add("GET", "https://app.example.test/favicon.ico", 404)
			for range polls {
				b.Add("GET", "https://app.example.test/api/jobs/"+id+"/status", 200, tracebuild.RespHeader("X-Request-Id", id))
			}
			b.Add("GET", "https://app.example.test/api/orders/"+id, 200)
		})
	}
	res := run(t, flow("1001", 2, 0), flow("2002", 5, time.Hour), compare.Options{})
	if res.Divergence != nil {
		t.Fatalf("divergence %+v", res.Divergence)
	}
	if m := res.Meaningful(); len(m) > 0 {
		t.Fatalf("meaningful differences: %s", titles(res))
	}
	if !hasKind(res, compare.KindNoise) {
		t.Fatalf("the noise is not reported: %s", titles(res))
	}
}

func TestHostMapping(t *testing.T) {
	flow := func(host string, status int) *trace.Trace {
		return build(chrome, func(b *tracebuild.Builder) {
			b.Add("GET", "https://"+host+"/", 200)
			b.Add("GET", "https://"+host+"/account", 200)
			b.Add("GET", "https://"+host+"/account/orders", status)
		})
	}
	good, bad := flow("staging.example.test", 200), flow("www.example.test", 403)
	res := run(t, good, bad, compare.Options{})
	if len(res.Hosts) != 1 || res.Hosts[0].Good != "https://staging.example.test" || res.Hosts[0].Bad != "https://www.example.test" || res.Hosts[0].Confirmed {
		t.Fatalf("hosts %+v, want a proposed staging → www mapping", res.Hosts)
	}
	wantDivergence(t, res, "GET /account/orders")
	res = run(t, good, bad, compare.Options{HostMap: map[string]string{"staging.example.test": "www.example.test"}})
	if len(res.Hosts) != 1 || !res.Hosts[0].Confirmed {
		t.Fatalf("hosts %+v, want the confirmed mapping", res.Hosts)
	}
}

func TestClientDifferenceRanksBelowCause(t *testing.T) {
	other := chrome
	other.UserAgent = "Mozilla/5.0 (Macintosh) Version/17.0 Safari/605.1.15"
	good := bearerFlow(jwt(claims(nil)), 200)
	bad := build(other, func(b *tracebuild.Builder) {
		b.Add("GET", "https://api.example.test/", 200)
		b.Add("GET", "https://api.example.test/api/orders/7", 401, tracebuild.ReqHeader("Authorization", "Bearer "+jwt(claims(map[string]any{"exp": start.Unix() - 60}))))
	})
	res := run(t, good, bad, compare.Options{})
	wantFirst(t, res, compare.KindCredentials, "expired-token")
	if !hasKind(res, compare.KindClient) {
		t.Fatalf("no client difference: %s", titles(res))
	}
}

// TestLongTracesAlignGreedily: gaps too long for the table are aligned
// greedily and still find the divergence; a cancelled context stops.
func TestLongTracesAlignGreedily(t *testing.T) {
	flow := func(failAt int) *trace.Trace {
		return build(chrome, func(b *tracebuild.Builder) {
			for i := range 3000 {
				st := 200
				if i == failAt {
					st = 403
				}
				b.Add("GET", fmt.Sprintf("https://app.example.test/page%d/item", i%50), st)
			}
		})
	}
	res := run(t, flow(-1), flow(2500), compare.Options{})
	if res.Divergence == nil || res.Divergence.Bad != 2500 {
		t.Fatalf("divergence %+v, want bad entry 2500", res.Divergence)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := compare.Compare(ctx, flow(-1), flow(2500), compare.Options{}); err == nil {
		t.Fatal("a cancelled comparison returned no error")
	}
}

func TestRowsForASideBySideView(t *testing.T) {
	tok := "Bearer " + jwt(claims(nil))
	good := build(chrome, func(b *tracebuild.Builder) {
		b.Add("GET", "https://api.example.test/api/me", 200, tracebuild.ReqHeader("Authorization", tok))
	})
	bad := build(chrome, func(b *tracebuild.Builder) {
		b.Add("GET", "https://api.example.test/old/api/me", 302, tracebuild.ReqHeader("Authorization", tok),
			func(e *har.Entry) { e.Response.RedirectURL = "https://api2.example.test/api/me" })
		b.Add("GET", "https://api2.example.test/api/me", 401)
	})
	res := run(t, good, bad, compare.Options{})
	rows := res.Rows()
	if len(rows) != 2 || rows[0].Good.Entry != -1 || rows[0].Bad.Entry != 0 || !rows[1].Divergent || rows[1].Good.Entry != 0 || rows[1].Bad.Entry != 1 {
		t.Fatalf("rows %+v", rows)
	}
	if len(rows[1].Differences) == 0 || res.Differences[rows[1].Differences[0]].Cause != "auth-dropped-on-redirect" {
		t.Fatalf("the divergent row's differences %v", rows[1].Differences)
	}
	if k := res.RowOf(compare.SideBad, 1); k != 1 {
		t.Fatalf("RowOf(bad, 1) = %d, want 1", k)
	}
	if k := res.RowOf(compare.SideGood, 7); k != -1 {
		t.Fatalf("RowOf(good, 7) = %d, want -1", k)
	}
	if ds := res.ForCause("auth-dropped-on-redirect"); len(ds) != 1 {
		t.Fatalf("ForCause: %d differences", len(ds))
	}
}

func TestClientClock(t *testing.T) {
	flow := func(skew time.Duration, status int) *trace.Trace {
		return build(chrome, func(b *tracebuild.Builder) {
			b.Add("GET", "https://bank.example.test/login", 200)
			b.Add("POST", "https://bank.example.test/login/otp", status, func(e *har.Entry) {
				e.Response.Headers = []har.Header{{Name: "Date", Value: e.StartedDateTime.Add(skew).UTC().Format(tracebuild.IMFDate)}}
			})
		})
	}
	res := run(t, flow(0, 302), flow(-7*time.Minute, 401), compare.Options{})
	wantFirst(t, res, compare.KindClock, "clock-skew")
	if d := first(t, res); !strings.Contains(d.Explanation, "7 min behind") {
		t.Fatalf("explanation %q", d.Explanation)
	}
}
