package analysis

import (
	"net/url"
	"strings"
)

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
