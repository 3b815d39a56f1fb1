package decode

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Credentials carried in URLs: pre-signed object-store links and tokens
// in query parameters.

// Presigned is the lifetime of a pre-signed object-store URL.
type Presigned struct {
	At       time.Time     // when the URL stops working
	Lifetime time.Duration // how long it was valid for; 0 when unknown
	How      string        // "S3 X-Amz-Date … + X-Amz-Expires …"
	Detail   string        // evidence text
}

// PresignedExpiry reads the expiry of a pre-signed S3 (SigV4 and SigV2)
// or Azure SAS URL; nil when the URL is not one.
func PresignedExpiry(raw string) *Presigned {
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	q := url.Values{}
	for k, vs := range u.Query() {
		q[strings.ToLower(k)] = vs
	}
	if d, x := q.Get("x-amz-date"), q.Get("x-amz-expires"); d != "" && x != "" {
		start, err1 := time.Parse("20060102T150405Z", d)
		secs, err2 := strconv.Atoi(x)
		if err1 != nil || err2 != nil {
			return nil
		}
		life := time.Duration(secs) * time.Second
		return &Presigned{At: start.Add(life), Lifetime: life,
			How:    fmt.Sprintf("S3 X-Amz-Date %s + X-Amz-Expires %ds", d, secs),
			Detail: fmt.Sprintf("X-Amz-Date=%s, X-Amz-Expires=%s: valid until %s", d, x, start.Add(life).UTC().Format(time.RFC3339))}
	}
	if x := q.Get("expires"); x != "" && q.Get("awsaccesskeyid") != "" {
		secs, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return nil
		}
		at := time.Unix(secs, 0)
		return &Presigned{At: at, How: "S3 (SigV2) Expires=" + x,
			Detail: fmt.Sprintf("Expires=%s: valid until %s", x, at.UTC().Format(time.RFC3339))}
	}
	if se := q.Get("se"); se != "" && q.Get("sig") != "" {
		at, err := time.Parse(time.RFC3339, se)
		if err != nil {
			if at, err = time.Parse("2006-01-02", se); err != nil {
				return nil
			}
		}
		var life time.Duration
		if st, err := time.Parse(time.RFC3339, q.Get("st")); err == nil {
			life = at.Sub(st)
		}
		return &Presigned{At: at, Lifetime: life, How: "Azure SAS se=" + se,
			Detail: fmt.Sprintf("se=%s (signed expiry): valid until %s", se, at.UTC().Format(time.RFC3339))}
	}
	return nil
}

// queryTokenParams are the query parameters clients use to carry an
// access token where no header can be set (WebSocket and EventSource
// URLs, download links).
var queryTokenParams = []string{"access_token", "token"}

// QueryJWT returns the first JWT with an exp claim carried in one of
// the URL's token parameters, and the parameter's name.
func QueryJWT(raw string) (string, *JWT) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", nil
	}
	q := u.Query()
	for _, name := range queryTokenParams {
		v := q.Get(name)
		if !LooksLikeJWT(v) {
			continue
		}
		if j, err := ParseJWT(v); err == nil && j.Expires != nil {
			return name, j
		}
	}
	return "", nil
}
