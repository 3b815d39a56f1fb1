package trace

import (
	"fmt"

	"authlens/analysis/decode"
	"authlens/analysis/entry"
	"authlens/har"
)

// JWTExpired reports whether entry i's JWT had expired at the response
// Date (by more than the Date header's one-second resolution).
func JWTExpired(t *Trace, i int) bool {
	j := t.JWTOf(i)
	return j != nil && j.Expires != nil && t.ResponseDate(i).Sub(*j.Expires) > entry.TimeLeeway
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
