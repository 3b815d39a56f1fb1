package trace

import (
	"authlens/analysis/decode"
	"net/url"
	"regexp"
	"strings"
)

// secretInText matches things in bodies and URLs that look like secrets.
var secretInText = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*|(?i)((?:access_token|refresh_token|id_token|client_secret|password|X-Amz-Signature|sig|X-Amz-Credential|X-Amz-Security-Token)["']?\s*[=:]\s*["']?)([^"'&\s,}]+)`)

// maskSecretsInText masks JWTs and secret-named values in a text excerpt.
func maskSecretsInText(s string) string {
	if !mayHoldSecret(s) {
		return s
	}
	return secretInText.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "eyJ") {
			return decode.Mask(m)
		}
		sub := secretInText.FindStringSubmatch(m)
		return sub[1] + decode.Mask(sub[2])
	})
}

// secretWords are the words secretInText looks for, lower-cased: a cheap
// filter before the regular expression.
var secretWords = []string{"eyj", "token", "secret", "password", "signature", "sig", "credential"}

func mayHoldSecret(s string) bool {
	l := strings.ToLower(s)
	for _, w := range secretWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// MaskedURL is the request URL with userinfo and secret query values masked.
func MaskedURL(raw string) string {
	s := raw
	if k := strings.Index(s, "://"); k >= 0 {
		if at := strings.Index(s[k+3:], "@"); at >= 0 {
			if slash := strings.IndexAny(s[k+3:], "/?#"); slash < 0 || at < slash {
				s = s[:k+3] + "***@" + s[k+3+at+1:]
			}
		}
	}
	return maskSecretsInText(s)
}

// secretQueryParams are query parameters that carry a credential: pre-signed
// object-store links, SAS tokens, OAuth tokens and API keys in URLs.
var secretQueryParams = map[string]bool{
	"x-amz-signature": true, "x-amz-security-token": true, "x-amz-credential": true,
	"sig": true, "signature": true, "access_token": true, "id_token": true, "refresh_token": true,
	"code": true, "api_key": true, "apikey": true, "key": true, "token": true, "client_secret": true, "password": true,
}

// SafeURL returns raw with the password of its userinfo and the values of
// credential-bearing query parameters masked, for reports and screens.
// A URL that does not parse is returned as is (it carries no structure to mask).
func SafeURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	changed := false
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "***")
			changed = true
		}
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			k, _, ok := strings.Cut(p, "=")
			name, _ := url.QueryUnescape(k)
			if ok && secretQueryParams[strings.ToLower(name)] {
				parts[i] = k + "=***"
				changed = true
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	if !changed {
		return raw
	}
	return strings.Replace(u.String(), "%2A%2A%2A", "***", 1)
}
