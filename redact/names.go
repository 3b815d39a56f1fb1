package redact

import "strings"

// SecretNames lists, lower-cased and sorted, the query, form, JSON and
// cookie key names whose values are credentials. IsSecretName also accepts
// names with a secret suffix (see IsSecretName). The slice is read-only.
var SecretNames = []string{
	"_csrf",
	"_token",
	"access_key",
	"access_token",
	"api-key",
	"api_key",
	"apikey",
	"assertion",
	"auth",
	"authenticity_token",
	"authorization",
	"client_assertion",
	"client_secret",
	"code",
	"code_verifier",
	"credential",
	"credentials",
	"csrf_token",
	"csrfmiddlewaretoken",
	"id_token",
	"jsessionid",
	"jwt",
	"key",
	"otp",
	"pass",
	"passphrase",
	"passwd",
	"password",
	"phpsessid",
	"pin",
	"private_key",
	"pwd",
	"refresh_token",
	"samlart",
	"samlrequest",
	"samlresponse",
	"secret",
	"session",
	"session_id",
	"sessionid",
	"sid",
	"sig",
	"signature",
	"ssn",
	"ticket",
	"token",
	"x-amz-credential",
	"x-amz-security-token",
	"x-amz-signature",
	"x-goog-credential",
	"x-goog-signature",
	"xsrf-token",
}

// secretSuffixes make any name ending in them secret: "auth_token",
// "x-csrftoken", "client_secret", "db_password", "private_key", "x-api-key".
var secretSuffixes = []string{"token", "secret", "password", "passwd", "_key", "-key", "signature"}

// SecretHeaders lists, in canonical form and sorted, the request and
// response header names whose values are credentials or sessions.
// IsSecretHeader also accepts any name that is a secret name once an "X-"
// prefix is removed. The slice is read-only.
var SecretHeaders = []string{
	"Api-Key",
	"Authorization",
	"Cf-Access-Jwt-Assertion",
	"Cookie",
	"Dpop",
	"Private-Token",
	"Proxy-Authorization",
	"Set-Cookie",
	"X-Access-Token",
	"X-Amz-Security-Token",
	"X-Api-Key",
	"X-Auth-Token",
	"X-Csrf-Token",
	"X-Goog-Api-Key",
	"X-Vault-Token",
	"X-Xsrf-Token",
}

// Lower-cased sets built once from the lists above and never written
// afterwards: changing SecretNames or SecretHeaders at run time has no effect.
var (
	secretNameSet   = lowerSet(SecretNames)
	secretHeaderSet = lowerSet(SecretHeaders)
)

func lowerSet(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[strings.ToLower(x)] = true
	}
	return m
}

// IsSecretName reports whether a query, form, JSON or cookie key name
// carries a secret. The comparison ignores case. A name that is one of
// SecretNames, or ends in "token", "secret", "password", "passwd",
// "signature", "_key" or "-key", is secret. Nested form keys are judged by
// their last part: "user[password]" and "credentials.password" are secret.
// Callers decode percent-escapes first.
func IsSecretName(name string) bool {
	n := strings.TrimSpace(name)
	// Lower-case into a stack buffer: rules call this for every "=" in a
	// page, and strings.ToLower would allocate for each "ID=" or "Ray ID:".
	var buf [64]byte
	l := buf[:0]
	if len(n) > len(buf) {
		l = make([]byte, 0, len(n))
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		l = append(l, c)
	}
	if len(l) > 0 && l[len(l)-1] == ']' {
		for i := len(l) - 1; i >= 0; i-- {
			if l[i] == '[' {
				l = l[i+1 : len(l)-1]
				break
			}
		}
	}
	if len(l) == 0 {
		return false
	}
	if secretNameSet[string(l)] {
		return true
	}
	for _, s := range secretSuffixes {
		if len(l) >= len(s) && string(l[len(l)-len(s):]) == s {
			return true
		}
	}
	for i := len(l) - 1; i >= 0; i-- {
		if l[i] == '.' {
			return secretNameSet[string(l[i+1:])]
		}
	}
	return false
}

// IsSecretHeader reports whether a header's value is a credential: one of
// SecretHeaders, or a name that IsSecretName after an "X-" prefix is
// removed ("X-Csrftoken", "X-Session-Token"). The comparison ignores case.
func IsSecretHeader(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	if secretHeaderSet[n] {
		return true
	}
	return IsSecretName(strings.TrimPrefix(n, "x-"))
}
