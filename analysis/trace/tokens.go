package trace

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"authlens/analysis/decode"
	"authlens/har"
)

// TimeLeeway absorbs the one-second resolution of the Date header when
// comparing token times with it.
const TimeLeeway = time.Second

// expiryWords matches error descriptions that say a token expired.
var expiryWords = regexp.MustCompile(`(?i)expir|lifetime validation failed|IDX10223|exp" claim|not active|token is expired|jwt expired`)

// JWTExpired reports whether entry i's JWT had expired at the response
// Date (by more than the Date header's one-second resolution).
func JWTExpired(t *Trace, i int) bool {
	j := t.JWTOf(i)
	return j != nil && j.Expires != nil && t.ResponseDate(i).Sub(*j.Expires) > TimeLeeway
}

// AudienceElsewhere reports whether every audience is a URL of another
// site than the request's (an audience that is an ID or api:// URI cannot
// be compared, and is not judged).
func AudienceElsewhere(aud []string, reqURL string) bool {
	if len(aud) == 0 {
		return false
	}
	site := RegistrableSite(reqURL)
	for _, a := range aud {
		u, err := url.Parse(a)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return false
		}
		if RegistrableSite(a) == site || strings.EqualFold(u.Hostname(), hostOfURL(reqURL)) {
			return false
		}
	}
	return true
}

func hostOfURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// SaysExpired reports whether an error description says a token expired.
func SaysExpired(desc string) bool { return expiryWords.MatchString(desc) }

// MissingScopes returns the needed scopes that have does not name
// (letter case ignored).
func MissingScopes(have, need []string) []string {
	var out []string
	for _, n := range need {
		found := false
		for _, h := range have {
			found = found || strings.EqualFold(strings.TrimSpace(h), n)
		}
		if !found {
			out = append(out, n)
		}
	}
	return out
}

// ScopesCover reports whether have names one of the accepted scopes (an
// empty accepted entry accepts any token), as GitHub's
// X-Accepted-OAuth-Scopes means it.
func ScopesCover(have, accepted []string) bool {
	for _, a := range accepted {
		a = strings.TrimSpace(a)
		if a == "" {
			return true
		}
		for _, h := range have {
			if strings.EqualFold(strings.TrimSpace(h), a) {
				return true
			}
		}
	}
	return false
}

// CarriedJWT is a JWT with an expiry that a request carried, and where:
// in Authorization, else in a cookie (apps that keep the access token in
// an HttpOnly cookie), else in a query parameter (WebSocket and
// EventSource addresses).
type CarriedJWT struct {
	JWT    *decode.JWT // nil when the request carried none
	Where  har.Location
	Cookie string // the cookie's name, when it came in a cookie
	Param  string // the query parameter's name, when it came in the URL
}

// CarriedJWTOf returns the JWT entry i carried, looking in Authorization,
// then the cookies, then the query.
func (t *Trace) CarriedJWTOf(i int) CarriedJWT {
	if j := t.JWTOf(i); j != nil {
		return CarriedJWT{JWT: j, Where: har.RequestHeader("Authorization")}
	}
	if name, j := t.CookieJWTOf(i); j != nil {
		return CarriedJWT{JWT: j, Where: har.RequestHeader("Cookie"), Cookie: name}
	}
	if name, j := decode.QueryJWT(t.Entries[i].Request.URL); j != nil {
		return CarriedJWT{JWT: j, Where: har.At(har.PartRequestURL), Param: name}
	}
	return CarriedJWT{Where: har.RequestHeader("Authorization")}
}

// Label names the token in a sentence: "The access token", "The token in
// the sid cookie", "The token in the address's token parameter".
func (c CarriedJWT) Label() string {
	switch {
	case c.Cookie != "":
		return fmt.Sprintf("The token in the %s cookie", c.Cookie)
	case c.Param != "":
		return fmt.Sprintf("The token in the address's %s parameter", c.Param)
	}
	return "The access token"
}

// EvidencePrefix names where the token came from at the start of an
// evidence row ("cookie sid: ", "query token: "); "" for Authorization.
func (c CarriedJWT) EvidencePrefix() string {
	switch {
	case c.Cookie != "":
		return "cookie " + c.Cookie + ": "
	case c.Param != "":
		return "query " + c.Param + ": "
	}
	return ""
}
