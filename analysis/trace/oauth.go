package trace

import (
	"regexp"
	"strings"
	"time"
)

// IsTokenEndpoint reports whether entry i is a call to an OAuth token
// endpoint (RFC 6749 §3.2): a POST whose body names grant_type, or a
// POST to a path ending in /token.
func (t *Trace) IsTokenEndpoint(i int) bool {
	e := t.Entries[i]
	if !strings.EqualFold(e.Request.Method, "POST") {
		return false
	}
	if pd := e.Request.PostData; pd != nil {
		if strings.Contains(pd.Text, "grant_type") {
			return true
		}
		for _, p := range pd.Params {
			if p.Name == "grant_type" {
				return true
			}
		}
	}
	p := strings.ToLower(PathOfURL(e.Request.URL))
	return strings.HasSuffix(p, "/token") || strings.HasSuffix(p, "/token/")
}

// GrantType returns the grant_type a token request named.
func (t *Trace) GrantType(i int) string {
	pd := t.Entries[i].Request.PostData
	if pd == nil {
		return ""
	}
	for _, p := range pd.Params {
		if p.Name == "grant_type" {
			return p.Value
		}
	}
	if m := grantTypeRe.FindStringSubmatch(pd.Text); m != nil {
		return m[1]
	}
	return ""
}

var grantTypeRe = regexp.MustCompile(`grant_type["']?\s*[=:]\s*["']?([A-Za-z0-9_:.\-]+)`)

// oauthErrorRe reads the "error" member of an OAuth JSON error body.
var oauthErrorRe = regexp.MustCompile(`"error"\s*:\s*"([a-z_]+)"`)

// OAuthError returns the OAuth "error" code of entry i's JSON body.
func (t *Trace) OAuthError(i int) string {
	if m := oauthErrorRe.FindStringSubmatch(t.Body(i)); m != nil {
		return m[1]
	}
	return ""
}

// GrantRefused reports a token endpoint's 400 invalid_grant (RFC 6749
// §5.2): the refresh token, code or password it was given is no longer
// valid.
func (t *Trace) GrantRefused(i int) bool {
	return t.Entries[i].Response.Status == 400 && t.IsTokenEndpoint(i) && t.OAuthError(i) == "invalid_grant"
}

// GrantsRefusedBefore returns, in time order, the refused grants that
// started within the given time before entry i (and not after it): a
// failed refresh just before a refusal means the user must sign in again.
func (t *Trace) GrantsRefusedBefore(i int, within time.Duration) []int {
	start := t.Entries[i].StartedDateTime
	var out []int
	for _, j := range t.TimeOrder() {
		at := t.Entries[j].StartedDateTime
		if !t.GrantRefused(j) || at.After(start) || start.Sub(at) > within {
			continue
		}
		out = append(out, j)
	}
	return out
}
