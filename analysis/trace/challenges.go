package trace

import (
	"regexp"
	"strings"

	"authlens/analysis/decode"
	"authlens/analysis/entry"
	"authlens/analysis/internal/excerpt"
	"authlens/har"
	"authlens/redact"
)

// BearerError returns the error code, description and challenge of a
// Bearer (or DPoP) challenge of entry i.
func (t *Trace) BearerError(i int) (code, desc string, ch decode.Challenge, ok bool) {
	ch, ok = entry.FirstOf(t.auth[i].Challenges, "Bearer", "DPoP")
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
	return a.Credentials != nil && len(a.Challenges) > 0 && !entry.Offers(a.Challenges, a.Credentials.Scheme)
}
