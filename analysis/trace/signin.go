package trace

import (
	"regexp"
	"strings"
)

// IsLoginPost reports whether entry i posts to a login-looking path.
func (t *Trace) IsLoginPost(i int) bool {
	e := t.Entries[i]
	return !strings.EqualFold(e.Request.Method, "GET") && loginPath.MatchString(PathOfURL(e.Request.URL))
}

var loginPathPattern = regexp.MustCompile(`(?i)(?:^|/)(?:login|log-in|signin|sign-in|sign_in|logon|auth|authenticate|sso|saml|oauth2?|openid|wp-login\.php|account/login|users/sign_in)(?:[/?.#]|$)`)
