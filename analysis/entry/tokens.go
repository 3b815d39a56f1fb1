package entry

import (
	"net/url"
	"regexp"
	"strings"
	"time"
)

// TimeLeeway absorbs the one-second resolution of the Date header when
// comparing token times with it.
const TimeLeeway = time.Second

// expiryWords matches error descriptions that say a token expired.
var expiryWords = regexp.MustCompile(`(?i)expir|lifetime validation failed|IDX10223|exp" claim|not active|token is expired|jwt expired`)

// SaysExpired reports whether an error description says a token expired.
func SaysExpired(desc string) bool { return expiryWords.MatchString(desc) }

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
