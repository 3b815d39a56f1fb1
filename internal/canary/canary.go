// Package canary builds one HAR full of secrets and hostile text for the
// tests that check every output of AuthLens (reports, the app's view
// models, exports): no secret, raw control character or live markup may
// come out of any of them.
package canary

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Secrets are the canary secrets: each must never appear in any output.
var Secrets = []string{
	"ghp_16C7e42F292c6912E7710c838347Ae178B4a", // a token used as the URL's user name
	"hunter2pass", // a URL password
	"QueryTok3nValue", "ApiKeyV4lue9", "AuthC0deXyz", "Sig9Value8", "AccessT0kenQ",
	"UnparseableS3cret",             // in a URL that does not parse
	"FormPassw0rd!", "JsonPassw0rd", // form and JSON passwords
	"SessCookieV4lue77", "SetCookieV4lue88",
	"basicPassW0rd",                        // inside a Basic credential
	"SIGNATUREpartOfTheJWTthatMustNotLeak", // a JWT's signature
}

// WriteHAR writes a HAR full of secrets and hostile text (terminal
// escape sequences, Markdown links, HTML) into dir and returns its path.
func WriteHAR(dir string) (string, error) {
	basic := base64.StdEncoding.EncodeToString([]byte("alice:basicPassW0rd"))
	jwtHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	jwtClaims := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"alice","exp":1500000000,"aud":"api"}`))
	jwt := jwtHeader + "." + jwtClaims + ".SIGNATUREpartOfTheJWTthatMustNotLeak"
	hostile := "x\x1b]52;c;ZXZpbA==\x07\x1b[31m[click](https://evil.example/)<script>alert(1)</script>`code`"
	entry := func(i int, method, url string, status int, reqHeaders, respHeaders [][2]string, post, body string) string {
		hs := func(h [][2]string) string {
			var parts []string
			for _, kv := range h {
				parts = append(parts, fmt.Sprintf(`{"name":%s,"value":%s}`, js(kv[0]), js(kv[1])))
			}
			return "[" + strings.Join(parts, ",") + "]"
		}
		pd := ""
		if post != "" {
			pd = fmt.Sprintf(`,"postData":{"mimeType":"application/x-www-form-urlencoded","text":%s}`, js(post))
		}
		return fmt.Sprintf(`{"startedDateTime":"2026-12-01T10:00:%02d.000Z","time":10,
 "request":{"method":%s,"url":%s,"httpVersion":"HTTP/1.1","headers":%s,"queryString":[],"cookies":[],"headersSize":-1,"bodySize":-1%s},
 "response":{"status":%d,"statusText":"","httpVersion":"HTTP/1.1","headers":%s,"cookies":[],"content":{"size":%d,"mimeType":"text/html","text":%s},"redirectURL":"","headersSize":-1,"bodySize":-1},
 "cache":{},"timings":{"send":1,"wait":8,"receive":1}}`, i, js(method), js(url), hs(reqHeaders), pd, status, hs(respHeaders), len(body), js(body))
	}
	es := []string{
		entry(0, "GET", "https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@api.example.com/repos?token=QueryTok3nValue", 401,
			nil, [][2]string{{"WWW-Authenticate", `Bearer realm="api"`}}, "", "Bad credentials"),
		entry(1, "GET", "https://bob:hunter2pass@app.example.com/a?api_key=ApiKeyV4lue9&code=AuthC0deXyz&sig=Sig9Value8&access_token=AccessT0kenQ", 403,
			[][2]string{{"Cookie", "session=SessCookieV4lue77"}, {"X-Hostile", hostile}}, [][2]string{{"Set-Cookie", "session=SetCookieV4lue88; Path=/"}}, "", "<h1>Forbidden</h1> "+hostile),
		entry(2, "POST", "http://[::1:80/login?token=UnparseableS3cret", 401,
			[][2]string{{"Authorization", "Basic " + basic}}, [][2]string{{"WWW-Authenticate", `Basic realm="x"`}}, "user=alice&password=FormPassw0rd!", `{"error":"invalid","password": "JsonPassw0rd"}`),
		entry(3, "GET", "https://api.example.com/me", 401,
			[][2]string{{"Authorization", "Bearer " + jwt}}, [][2]string{{"WWW-Authenticate", `Bearer error="invalid_token", error_description="The access token expired"`}}, "", `{"message":"token `+jwt+` expired","password":"JsonPassw0rd"}`),
		entry(4, "GE\x1b[2JT", "https://app.example.com/x?password=FormPassw0rd!", 403, nil, nil, "", hostile),
	}
	doc := `{"log":{"version":"1.2","creator":{"name":"canary\u001b[0m","version":"1"},"entries":[` + strings.Join(es, ",") + `]}}`
	path := filepath.Join(dir, "canary.har")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		return "", fmt.Errorf("writing the canary HAR: %w", err)
	}
	return path, nil
}
