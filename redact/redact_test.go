package redact

import (
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// canary is a secret in some input: the secret must not appear in what fn
// gives for in, nor in Text of a sentence holding in.
type canary struct {
	name   string
	fn     func(string) string
	in     string
	secret string
}

const jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"

var canaries = []canary{
	{"userinfo token as username", URL, "https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/x", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"},
	{"userinfo password", URL, "https://user:hunter2pw@host/", "hunter2pw"},
	{"userinfo username", URL, "https://alice.smith:pw@host/", "alice.smith"},
	{"userinfo ftp", URL, "ftp://bob:ftpSecret9@files.example.com/pub", "ftpSecret9"},
	{"userinfo scheme-less", URL, "//u:schemelessPW@host/p", "schemelessPW"},
	{"userinfo slash in password", URL, "https://u:pa/ssWORD1@host/p", "ssWORD1"},
	{"query token", URL, "https://api.example.com/v1?token=ab", "token=ab"},
	{"query api_key", URL, "https://api.example.com/v1?q=1&api_key=KEYVALUE123", "KEYVALUE123"},
	{"query code", URL, "https://app.example.com/cb?code=AUTHCODE77&state=xyz", "AUTHCODE77"},
	{"query sig", URL, "https://acct.blob.core.windows.net/c/b?sv=2020&sig=SIGVALUE%2Bx%3D", "SIGVALUE"},
	{"query access_token", URL, "https://x.example/?access_token=ACCESSTOK1", "ACCESSTOK1"},
	{"query X-Amz-Signature", URL, "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4&X-Amz-Signature=abcdef0123456789", "abcdef0123456789"},
	{"query encoded name", URL, "https://x.example/?%74oken=ENCNAME1", "ENCNAME1"},
	{"query repeated", URL, "https://x.example/?token=FIRST1&token=SECOND2", "SECOND2"},
	{"query rails form", URL, "https://x.example/login?user%5Bpassword%5D=RAILSPW1", "RAILSPW1"},
	{"fragment access_token", URL, "https://app.example.com/cb#access_token=FRAGTOKEN1&id_token=" + jwt, "FRAGTOKEN1"},
	{"fragment id_token", URL, "https://app.example.com/cb#access_token=x&id_token=" + jwt, "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"},
	{"fragment router query", URL, "https://app.example.com/#/callback?code=ROUTERCODE1", "ROUTERCODE1"},
	{"unparseable ipv6", URL, "http://[::1:80/x?token=SECRETVALUE1", "SECRETVALUE1"},
	{"unparseable scheme", URL, "ht!tp://u:SECRETPW@h/", "SECRETPW"},
	{"unparseable space", URL, "http://host/a b?password=SPACEPW1", "SPACEPW1"},
	{"path jwt", URL, "https://x.example/verify/" + jwt + "/done", "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"},
	{"path reset token", URL, "https://x.example/reset/k3J9xQ2mZ7vB4nL8pR1tY6wA0sD5fG3h", "k3J9xQ2mZ7vB4nL8pR1tY6wA0sD5fG3h"},
	{"path slack webhook", URL, "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXxxxxxxxx1234", "XXXXXXXXXXXXxxxxxxxx1234"},
	{"path jsessionid", URL, "https://x.example/app;jsessionid=1A2B3C4D5E?x=1", "1A2B3C4D5E"},
	{"nested redirect", URL, "https://idp.example/logout?next=https://app.example/cb?token=NESTED12", "NESTED12"},
	{"nested encoded redirect", URL, "https://idp.example/logout?next=https%3A%2F%2Fapp.example%2Fcb%3Ftoken%3DNESTEDENC1", "NESTEDENC1"},
	{"query", Query, "a=1&password=FORMPW99&b=2", "FORMPW99"},
	{"form password", Text, "username=bob&password=FORMPW88", "FORMPW88"},
	{"json password", Text, `{"user":"bob","password": "JSONPW77"}`, "JSONPW77"},
	{"json compact", Text, `{"client_secret":"CS_abc123"}`, "CS_abc123"},
	{"json single quotes", Text, `{'refresh_token': 'RT_single1'}`, "RT_single1"},
	{"json escaped", Text, `"body": "{\"password\":\"ESCPW123\"}"`, "ESCPW123"},
	{"yaml-ish", Text, "api_key: YAMLKEY42", "YAMLKEY42"},
	{"cookie header", CookieHeader, "sid=COOKIEVAL1; theme=dark", "COOKIEVAL1"},
	{"cookie text", Text, "Cookie: sid=COOKIEVAL2; theme=dark", "COOKIEVAL2"},
	{"set-cookie", SetCookie, "SESSION=SETCOOKIE1; Path=/; HttpOnly", "SETCOOKIE1"},
	{"set-cookie text", Text, "Set-Cookie: SESSION=SETCOOKIE2; Path=/; HttpOnly", "SETCOOKIE2"},
	{"basic", Authorization, "Basic dXNlcjpodW50ZXIy", "dXNlcjpodW50ZXIy"},
	{"basic prefix", Authorization, "Basic dXNlcjpodW50ZXIy", "dXNl"},
	{"basic text", Text, "sent Authorization: Basic dXNlcjpodW50ZXIy", "dXNlcjpodW50ZXIy"},
	{"bearer jwt", Authorization, "Bearer " + jwt, "eyJzdWIiOiIxMjM0NTY3ODkwIn0"},
	{"bearer text", Text, "the header was Bearer " + jwt, "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"},
	{"bearer opaque", Text, "Bearer ya29.a0AfH6SMBopaque", "ya29.a0AfH6SMBopaque"},
	{"jwt signature", Text, "token in body " + jwt + " end", "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"},
	{"negotiate", Authorization, "Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnag", "YIIGhgYGKwYBBQUCoIIGejCCBnag"},
	{"digest", Authorization, `Digest username="bob", realm="r", nonce="n", uri="/", response="6629fae49393a05397450978507c4ef1"`, "6629fae49393a05397450978507c4ef1"},
	{"long token", Text, "csrf value is 9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZ here", "9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZ"},
	{"header x-api-key", func(v string) string { return Header("X-Api-Key", v) }, "k", "k"},
	{"header location", func(v string) string { return Header("Location", v) }, "https://app/cb?code=LOCCODE1", "LOCCODE1"},
}

func TestCanaries(t *testing.T) {
	for _, c := range canaries {
		got := c.fn(c.in)
		if strings.Contains(got, c.secret) {
			t.Errorf("%s: %q -> %q leaks %q", c.name, c.in, got, c.secret)
		}
		sentence := "Request failed (401) for " + c.in + " — see above."
		if got := Text(sentence); strings.Contains(got, c.secret) && !strings.Contains(c.secret, "=") && len(c.secret) > 2 {
			t.Errorf("%s: Text(%q) = %q leaks %q", c.name, sentence, got, c.secret)
		}
	}
}

func TestSurvives(t *testing.T) {
	tests := []struct {
		fn       func(string) string
		in, keep string
	}{
		{URL, "https://user:pw@api.example.com:8443/v1/orders/123?page=2&q=shoes", "api.example.com:8443/v1/orders/123?page=2&q=shoes"},
		{URL, "https://x.example/users/123e4567-e89b-12d3-a456-426614174000/profile", "/users/123e4567-e89b-12d3-a456-426614174000/profile"},
		{URL, "https://x.example/a%20b/c?x=%2F&token=t", "https://x.example/a%20b/c?x=%2F&token=***"},
		{URL, "https://x.example/?token&flag", "https://x.example/?token&flag"},
		{URL, "https://x.example/?token=", "https://x.example/?token="},
		{URL, "https://x.example/cb?redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback", "redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback"},
		{URL, "https://x.example/2024-01-15_report-final-version-3", "2024-01-15_report-final-version-3"},
		{URL, "https://discord.com/api/users/@me", "https://discord.com/api/users/@me"},
		{Text, "Incident ID: 1234567890123456789", "Incident ID: 1234567890123456789"},
		{Text, "Cloudflare Ray ID: 8f3a2b1c4d5e6f70 • Performance & security by Cloudflare", "Ray ID: 8f3a2b1c4d5e6f70"},
		{Text, "request-id: 123e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456-426614174000"},
		{Text, "HTTP/1.1 403 Forbidden: access denied", "HTTP/1.1 403 Forbidden: access denied"},
		{Text, `{"error":"invalid_token","error_description":"The access token expired"}`, `{"error":"invalid_token","error_description":"The access token expired"}`},
		{Text, "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"", "Bearer realm=\"api\", error=\"invalid_token\""},
		{Text, "Basic authentication is required", "Basic authentication is required"},
		{Text, "error code: 403", "error code: 403"},
		{Text, `<div class="col-md-6-offset-lg-3-xs-12">`, `<div class="col-md-6-offset-lg-3-xs-12">`},
		{Text, "see /api/v1/users/12345/orders/abc", "see /api/v1/users/12345/orders/abc"},
		{Text, "password=secret1 at https://login.example.com/sso?x=1", "https://login.example.com/sso?x=1"},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); !strings.Contains(got, tt.keep) {
			t.Errorf("%q -> %q, want it to keep %q", tt.in, got, tt.keep)
		}
	}
}

func TestFormats(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"Value empty", Value(""), ""},
		{"Value short", Value("hunter22"), "…(8 chars)"},
		{"Value long", Value(strings.Repeat("a", 812)), "aaaa…(812 chars)"},
		{"Value runes", Value("ééééé" + strings.Repeat("x", 20)), "éééé…(25 chars)"},
		{"CookieValue empty", CookieValue(""), "(empty)"},
		{"CookieValue", CookieValue("abc"), "#ba7816 (3 chars)"},
		{"Authorization bearer", Authorization("Bearer " + jwt), "Bearer eyJh…(" + itoa(len(jwt)) + " chars)"},
		{"Authorization basic", Authorization("Basic dXNlcjpwYXNz"), "Basic …(12 chars)"},
		{"Authorization lone scheme", Authorization("Bearer"), "Bearer"},
		{"Authorization no scheme", Authorization("abcdefgh"), "…(8 chars)"},
		{"Authorization digest", Authorization(`Digest username="bob", response="6629fae49393a05397450978507c4ef1"`), `Digest username="bob", response="6629…(32 chars)"`},
		{"CookieHeader", CookieHeader("a=1; b=2"), "a=…(1 chars); b=…(1 chars)"},
		{"SetCookie", SetCookie("id=abc; Path=/; Secure"), "id=…(3 chars); Path=/; Secure"},
		{"Header cookie", Header("cookie", "a=1"), "a=…(1 chars)"},
		{"Header plain", Header("Accept", "text/html"), "text/html"},
		{"Header referer", Header("Referer", "https://x/?token=abc"), "https://x/?token=***"},
		{"URL userinfo", URL("https://user:pw@host/"), "https://***@host/"},
		{"URL token user", URL("https://ghp_abc123@host/"), "https://***@host/"},
		{"URL empty", URL(""), ""},
		{"URL short token", URL("https://h/?token=ab"), "https://h/?token=***"},
		{"URL fragment", URL("https://h/cb#access_token=x&token_type=bearer&expires_in=3600"), "https://h/cb#access_token=***&token_type=bearer&expires_in=3600"},
		{"URL matrix", URL("https://h/app;jsessionid=ABC?x=1"), "https://h/app;jsessionid=***?x=1"},
		{"URL raw kept", URL("https://h/a%2fb?q=%7e"), "https://h/a%2fb?q=%7e"},
		{"Query", Query("a=1&password=x&b=&c"), "a=1&password=***&b=&c"},
		{"Text form", Text("user=bob&password=hunter2"), "user=bob&password=…(7 chars)"},
		{"Text json", Text(`{"password": "hunter2"}`), `{"password": "…(7 chars)"}`},
		{"Text jwt", Text("got " + jwt), "got eyJh…(" + itoa(len(jwt)) + " chars)"},
		{"Text url", Text("GET https://u:p@h/x?sig=1 failed"), "GET https://***@h/x?sig=*** failed"},
		{"Text cookie", Text("Cookie: a=1; b=2"), "Cookie: a=…(1 chars); b=…(1 chars)"},
		{"Text nothing", Text("Access denied."), "Access denied."},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func itoa(n int) string {
	return strings.TrimSuffix(strings.TrimPrefix(lengthOnly(n), "…("), " chars)")
}

func TestNames(t *testing.T) {
	if !sort.StringsAreSorted(SecretNames) || !sort.StringsAreSorted(SecretHeaders) {
		t.Fatal("SecretNames and SecretHeaders must be sorted")
	}
	for _, n := range []string{"password", "PASSWORD", "client_secret", "private_key", "x-api-key", "auth_token", "csrfmiddlewaretoken", "SAMLResponse", "user[password]", "credentials.password", "X-Amz-Signature"} {
		if !IsSecretName(n) {
			t.Errorf("IsSecretName(%q) = false", n)
		}
	}
	for _, n := range []string{"state", "RelayState", "nonce", "page", "q", "redirect_uri", "grant_type", "username", "expires_in", ""} {
		if IsSecretName(n) {
			t.Errorf("IsSecretName(%q) = true", n)
		}
	}
	for _, n := range []string{"Authorization", "proxy-authorization", "Cookie", "Set-Cookie", "X-CSRF-Token", "DPoP", "Private-Token", "X-Vault-Token", "X-Session-Token", "X-Api-Key"} {
		if !IsSecretHeader(n) {
			t.Errorf("IsSecretHeader(%q) = false", n)
		}
	}
	for _, n := range []string{"Content-Type", "Location", "Referer", "WWW-Authenticate", "X-Request-Id", "CF-Ray"} {
		if IsSecretHeader(n) {
			t.Errorf("IsSecretHeader(%q) = true", n)
		}
	}
}

func TestIdempotent(t *testing.T) {
	for _, c := range canaries {
		for _, f := range []struct {
			name string
			fn   func(string) string
		}{{"URL", URL}, {"Text", Text}} {
			once := f.fn(c.in)
			if twice := f.fn(once); twice != once {
				t.Errorf("%s(%q): once %q, twice %q", f.name, c.in, once, twice)
			}
		}
	}
}

func TestUTF8(t *testing.T) {
	for _, s := range []string{"mot de passe: «ééééééééééééééééééé»", "password=日本語のパスワードです日本語のパスワード", "https://例え.jp/パス?token=値"} {
		for _, out := range []string{Text(s), URL(s)} {
			if !utf8.ValidString(out) {
				t.Errorf("%q -> invalid UTF-8 %q", s, out)
			}
		}
	}
}

// errorPage is a 4 KiB HTML error page without secrets.
var errorPage = func() string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>403 Forbidden</title>` +
		`<link rel="stylesheet" href="https://cdn.example.com/static/css/main.css"></head><body class="error-page">`)
	for b.Len() < 3800 {
		b.WriteString(`<div class="container"><h1>Access denied</h1><p>You do not have permission to view this page. ` +
			`If you believe this is an error, contact support and quote Incident ID: 1234567890123456789.</p>` +
			`<p style="color: #666; font-size: 12px">Cloudflare Ray ID: 8f3a2b1c4d5e6f70 &bull; Your IP: 203.0.113.7</p></div>`)
	}
	b.WriteString(`<a href="https://www.example.com/help">Help</a></body></html>`)
	return b.String()
}()

func BenchmarkTextPlain(b *testing.B) {
	b.SetBytes(int64(len(errorPage)))
	for b.Loop() {
		Text(errorPage)
	}
}

func BenchmarkTextSecrets(b *testing.B) {
	s := errorPage + `<script>var cfg = {"access_token": "` + jwt + `", "csrf_token": "9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZ"};` +
		` fetch("https://api.example.com/v1/me?api_key=KEY123456&page=1", {headers: {Authorization: "Bearer ` + jwt + `"}});</script>` +
		"Cookie: sid=abcdef123456; theme=dark"
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Text(s)
	}
}

// TestTextKeepsCookieMasks checks that Text leaves CookieValue's
// equality-preserving masks alone, so "the same cookie was sent twice"
// survives a second pass.
func TestTextKeepsCookieMasks(t *testing.T) {
	m := CookieValue("a-session-value-of-32-characters")
	for _, s := range []string{"session=" + m + "; Path=/", "Set-Cookie: session=" + m, "the jar held session=" + m + ", set at entry #2", "sid=(empty)"} {
		if got := Text(s); got != s {
			t.Errorf("Text(%q) = %q: the cookie mask changed", s, got)
		}
	}
}
