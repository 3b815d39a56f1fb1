package trace

import (
	"regexp"
	"strings"

	"authlens/analysis/decode"
	"authlens/analysis/internal/excerpt"
	"authlens/har"
	"authlens/redact"
)

// wsHandshakeRefused reads the status Chromium writes into _failureText
// when a server answers a WebSocket handshake with something other than
// 101 (net/websockets: "Error during WebSocket handshake: Unexpected
// response code: 403").
var wsHandshakeRefused = regexp.MustCompile(`(?i)WebSocket handshake: Unexpected response code: (\d{3})\b`)

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

// BearerError returns the error code, description and challenge of a
// Bearer (or DPoP) challenge of entry i.
func (t *Trace) BearerError(i int) (code, desc string, ch decode.Challenge, ok bool) {
	ch, ok = FirstOf(t.auth[i].Challenges, "Bearer", "DPoP")
	if !ok {
		return "", "", ch, false
	}
	code, _ = ch.Param("error")
	desc, _ = ch.Param("error_description")
	return code, desc, ch, true
}

// ChallengeHeaderEvidence quotes entry i's WWW-Authenticate headers.
func (t *Trace) ChallengeHeaderEvidence(i int) Evidence {
	vs := har.HeaderValues(t.Entries[i].Response.Headers, "WWW-Authenticate")
	d := strings.Join(vs, " | ")
	if d == "" {
		d = "(none)"
	}
	return EvidenceAt(i, har.ResponseHeader("WWW-Authenticate"), excerpt.Clip(d, 300))
}

// CredentialEvidence describes entry i's Authorization header, masked.
func (t *Trace) CredentialEvidence(i int) Evidence {
	c := t.auth[i].Credentials
	if c == nil {
		return EvidenceAt(i, har.RequestHeader("Authorization"), "(none)")
	}
	d := c.Masked
	if d == "" {
		d = "(empty)"
	}
	if c.Malformed != "" {
		d += " — malformed: " + c.Malformed
	}
	return EvidenceAt(i, har.RequestHeader("Authorization"), excerpt.Clip(d, 300))
}

// BodyMatch finds the first pattern in entry i's body and returns an
// excerpt around it.
func (t *Trace) BodyMatch(i int, re *regexp.Regexp) (string, bool) {
	body, lowered := t.bodyForMatch(i)
	if body == "" || !t.prefilters.Of(re).MayMatch(lowered) {
		return "", false
	}
	loc := re.FindStringIndex(body)
	if loc == nil {
		return "", false
	}
	win, _ := excerpt.Around(body, loc[0], loc[1], 60, 60)
	ex := strings.Join(strings.Fields(win), " ")
	return redact.Text(ex), true
}

// JWTOf returns the JWT entry i's Authorization carried, if any.
func (t *Trace) JWTOf(i int) *decode.JWT {
	c := t.auth[i].Credentials
	if c == nil || c.Bearer == nil {
		return nil
	}
	return c.Bearer.JWT
}

// WrongScheme reports a credential sent in a scheme none of the
// response's challenges offers: the server ignores it (the wrong-scheme
// cause), so other readings of the refusal do not apply.
func (a *EntryAuth) WrongScheme() bool {
	return a.Credentials != nil && len(a.Challenges) > 0 && !Offers(a.Challenges, a.Credentials.Scheme)
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
