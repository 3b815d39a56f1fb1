package entry

import (
	"fmt"
	"strings"

	"authlens/analysis/decode"
)

// FirstOf returns the first challenge with one of the schemes.
func FirstOf(chs []decode.Challenge, schemes ...string) (decode.Challenge, bool) {
	for _, c := range chs {
		for _, s := range schemes {
			if strings.EqualFold(c.Scheme, s) {
				return c, true
			}
		}
	}
	return decode.Challenge{}, false
}

// Offers reports whether a challenge list offers the scheme.
func Offers(chs []decode.Challenge, scheme string) bool {
	_, ok := FirstOf(chs, scheme)
	return ok
}

// StaleDigest reports a Digest challenge with stale=true: the nonce
// expired, and the password was right (RFC 7616 §3.3).
func StaleDigest(chs []decode.Challenge) bool {
	d, ok := FirstOf(chs, "Digest")
	if !ok {
		return false
	}
	v, _ := d.Param("stale")
	return strings.EqualFold(v, "true")
}

// BareChallenge reports whether the challenges repeat the scheme without
// a token: a connection handshake (NTLM, Negotiate) starts over, so the
// last answer was rejected.
func BareChallenge(chs []decode.Challenge, scheme string) bool {
	for _, c := range chs {
		if strings.EqualFold(c.Scheme, scheme) && c.Token68 == "" {
			return true
		}
	}
	return false
}

// standardSchemes are the schemes browsers and common clients answer.
var standardSchemes = map[string]bool{"basic": true, "digest": true, "bearer": true, "negotiate": true, "ntlm": true, "dpop": true}

// OnlySchemes reports whether every challenge is one of the schemes.
func OnlySchemes(chs []decode.Challenge, schemes ...string) bool {
	for _, c := range chs {
		ok := false
		for _, s := range schemes {
			ok = ok || strings.EqualFold(c.Scheme, s)
		}
		if !ok {
			return false
		}
	}
	return len(chs) > 0
}

// NoneStandard reports whether every challenge is in a scheme browsers
// do not implement (only the site's own client code can answer it).
func NoneStandard(chs []decode.Challenge) bool {
	for _, c := range chs {
		if standardSchemes[strings.ToLower(c.Scheme)] {
			return false
		}
	}
	return len(chs) > 0
}

// DigestOnlyUnsupported reports whether the server offers only Digest,
// and only with algorithms browsers do not implement.
func DigestOnlyUnsupported(chs []decode.Challenge) bool {
	seen := false
	for _, c := range chs {
		if !strings.EqualFold(c.Scheme, "Digest") {
			return false
		}
		alg, _ := c.Param("algorithm")
		if BrowserDigestAlgorithms[strings.ToLower(alg)] {
			return false
		}
		seen = true
	}
	return seen
}

// BrowserDigestAlgorithms are the Digest algorithms browsers implement.
var BrowserDigestAlgorithms = map[string]bool{"": true, "md5": true, "md5-sess": true, "sha-256": true, "sha-256-sess": true}

// DescribeChallenges is a short list of the challenges' schemes and realms.
func DescribeChallenges(chs []decode.Challenge) string {
	if len(chs) == 0 {
		return "none"
	}
	var parts []string
	for _, c := range chs {
		s := c.Scheme
		if r, ok := c.Param("realm"); ok {
			s += fmt.Sprintf(" realm=%q", r)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}
