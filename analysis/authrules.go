package analysis

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"authlens/analysis/decode"
	"authlens/har"
)

// Helpers shared by the authentication rules (missing/invalid credentials,
// schemes, tokens, proxies, redirects).

// evidence builds one evidence row.
func evidence(i int, where, detail string) Evidence {
	return Evidence{Entry: i, Where: where, Detail: detail}
}

// wsHandshakeRefused reads the status Chromium writes into _failureText
// when a server answers a WebSocket handshake with something other than
// 101 (net/websockets: "Error during WebSocket handshake: Unexpected
// response code: 403").
var wsHandshakeRefused = regexp.MustCompile(`(?i)WebSocket handshake: Unexpected response code: (\d{3})\b`)

// effectiveStatus is the HTTP status the server answered entry e with.
// It is Response.Status, except for a WebSocket handshake the server
// refused: Chromium records those as status -1 with no headers or body
// and keeps the real status only in _failureText ("Error during WebSocket
// handshake: Unexpected response code: 403"); then the status is read
// from that text. Any other failure (no answer at all) keeps its status.
func effectiveStatus(e *har.Entry) int {
	st := e.Response.Status
	if st > 0 {
		return st
	}
	if m := wsHandshakeRefused.FindStringSubmatch(e.FailureReason()); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n >= 100 && n < 600 {
			return n
		}
	}
	return st
}

// refusedUpgrade reports whether entry i is a WebSocket handshake the
// server refused with 401 or 403 (recorded by Chromium as status -1).
func (t *Trace) refusedUpgrade(i int) bool {
	e := t.Entries[i]
	st := effectiveStatus(e)
	return e.Response.Status <= 0 && (st == 401 || st == 403)
}

// authFailure reports whether entry i is a failing 401/403 that is not the
// answered first leg of a handshake.
func (t *Trace) authFailure(i int) bool {
	st := t.Entries[i].Response.Status
	if st != 401 && st != 403 {
		return false
	}
	ok, _ := t.AnsweredChallenge(i)
	return !ok
}

// firstOf returns the first challenge with one of the schemes.
func firstOf(chs []decode.Challenge, schemes ...string) (decode.Challenge, bool) {
	for _, c := range chs {
		for _, s := range schemes {
			if strings.EqualFold(c.Scheme, s) {
				return c, true
			}
		}
	}
	return decode.Challenge{}, false
}

// offers reports whether a challenge list offers the scheme.
func offers(chs []decode.Challenge, scheme string) bool {
	_, ok := firstOf(chs, scheme)
	return ok
}

// bearerError returns the error code, description and challenge of a
// Bearer (or DPoP) challenge of entry i.
func (t *Trace) bearerError(i int) (code, desc string, ch decode.Challenge, ok bool) {
	ch, ok = firstOf(t.auth[i].Challenges, "Bearer", "DPoP")
	if !ok {
		return "", "", ch, false
	}
	code, _ = ch.Param("error")
	desc, _ = ch.Param("error_description")
	return code, desc, ch, true
}

// challengeHeaderEvidence quotes entry i's WWW-Authenticate headers.
func (t *Trace) challengeHeaderEvidence(i int) Evidence {
	vs := har.HeaderValues(t.Entries[i].Response.Headers, "WWW-Authenticate")
	d := strings.Join(vs, " | ")
	if d == "" {
		d = "(none)"
	}
	return evidence(i, "response.headers.WWW-Authenticate", clip(d, 300))
}

// credentialEvidence describes entry i's Authorization header, masked.
func (t *Trace) credentialEvidence(i int) Evidence {
	c := t.auth[i].Credentials
	if c == nil {
		return evidence(i, "request.headers.Authorization", "(none)")
	}
	d := c.Masked
	if d == "" {
		d = "(empty)"
	}
	if c.Malformed != "" {
		d += " — malformed: " + c.Malformed
	}
	return evidence(i, "request.headers.Authorization", clip(d, 300))
}

// bodyMatch finds the first pattern in entry i's body and returns an
// excerpt around it.
func (t *Trace) bodyMatch(i int, re *regexp.Regexp) (string, bool) {
	body, lowered := t.bodyForMatch(i)
	if body == "" || !t.prefilters.of(re).mayMatch(lowered) {
		return "", false
	}
	loc := re.FindStringIndex(body)
	if loc == nil {
		return "", false
	}
	win, _ := around(body, loc[0], loc[1], 60, 60)
	ex := strings.Join(strings.Fields(win), " ")
	return maskSecretsInText(ex), true
}

// secretInText matches things in bodies and URLs that look like secrets.
var secretInText = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*|(?i)((?:access_token|refresh_token|id_token|client_secret|password|X-Amz-Signature|sig|X-Amz-Credential|X-Amz-Security-Token)["']?\s*[=:]\s*["']?)([^"'&\s,}]+)`)

// maskSecretsInText masks JWTs and secret-named values in a text excerpt.
func maskSecretsInText(s string) string {
	if !mayHoldSecret(s) {
		return s
	}
	return secretInText.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "eyJ") {
			return decode.Mask(m)
		}
		sub := secretInText.FindStringSubmatch(m)
		return sub[1] + decode.Mask(sub[2])
	})
}

// secretWords are the words secretInText looks for, lower-cased: a cheap
// filter before the regular expression.
var secretWords = []string{"eyj", "token", "secret", "password", "signature", "sig", "credential"}

func mayHoldSecret(s string) bool {
	l := strings.ToLower(s)
	for _, w := range secretWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// maskedURL is the request URL with userinfo and secret query values masked.
func maskedURL(raw string) string {
	s := raw
	if k := strings.Index(s, "://"); k >= 0 {
		if at := strings.Index(s[k+3:], "@"); at >= 0 {
			if slash := strings.IndexAny(s[k+3:], "/?#"); slash < 0 || at < slash {
				s = s[:k+3] + "***@" + s[k+3+at+1:]
			}
		}
	}
	return maskSecretsInText(s)
}

// humanDuration renders a duration as "3 h 12 min", "4 min 5 s", "12 s".
func humanDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Second)
	days := int(d / (24 * time.Hour))
	h := int(d/time.Hour) % 24
	m := int(d/time.Minute) % 60
	s := int(d/time.Second) % 60
	switch {
	case days > 0:
		return fmt.Sprintf("%d d %d h", days, h)
	case h > 0:
		return fmt.Sprintf("%d h %d min", h, m)
	case m > 0:
		return fmt.Sprintf("%d min %d s", m, s)
	}
	return fmt.Sprintf("%d s", s)
}

// jwtOf returns the JWT entry i's Authorization carried, if any.
func (t *Trace) jwtOf(i int) *decode.JWT {
	c := t.auth[i].Credentials
	if c == nil || c.Bearer == nil {
		return nil
	}
	return c.Bearer.JWT
}

// reportIIS reports entry i when its IIS page names a sub-status that
// maps to the pass's rule, with the IIS-specific steps. It returns whether
// it did.
func (p *Pass) reportIIS(i int, conf float64, explanation string) bool {
	f, ok := iisFinding(p.Trace, i, p.Rule, conf)
	if !ok {
		return false
	}
	if explanation != "" {
		f.Explanation = explanation
	}
	p.Report(f)
	return true
}

// iisFinding is the finding for entry i when its IIS page names a
// sub-status that maps to rule r.
func iisFinding(t *Trace, i int, r *Rule, conf float64) (Finding, bool) {
	row, ok := t.IISForEntry(i)
	if !ok || row.Cause != r.ID {
		return Finding{}, false
	}
	remedy := append([]Step{}, row.Remedy...)
	if len(remedy) == 0 {
		remedy = append(remedy, r.Remedy...)
	}
	return Finding{Entry: i, Confidence: conf,
		Explanation: fmt.Sprintf("The IIS error page names sub-status %s: %s.", row.Code(), row.Meaning),
		Evidence:    []Evidence{iisEvidence(i, row)}, Remedy: remedy}, true
}

// sendTo is the closing step when the user cannot fix the cause: what to
// send to whom, ready to copy.
func (t *Trace) sendTo(i int, who, what string) Step {
	e := t.Entries[i]
	return Step{Who: User, Step: fmt.Sprintf("Send this to %s: \"%s %s answered %d at %s. %s\"",
		who, e.Request.Method, maskedURL(e.Request.URL), effectiveStatus(e),
		e.StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC"), what)}
}

// sanitizedCaveat is added to explanations that rest on a header being
// absent when the export may have removed it.
func (t *Trace) authAbsenceCaveat() string {
	if !t.sanitized.AuthHidden {
		return ""
	}
	return " This HAR was exported without secrets, so whether an Authorization header was really absent cannot be confirmed: " + sanitizedAsk
}

// hasCookieHeader reports whether entry i sent any cookie.
func (t *Trace) hasCookieHeader(i int) bool {
	e := t.Entries[i]
	if v, ok := har.HeaderValue(e.Request.Headers, "Cookie"); ok && strings.TrimSpace(v) != "" {
		return true
	}
	return len(e.Request.Cookies) > 0
}

// isTokenEndpoint reports whether entry i is a call to an OAuth token
// endpoint (RFC 6749 §3.2): a POST whose body names grant_type, or a
// POST to a path ending in /token.
func (t *Trace) isTokenEndpoint(i int) bool {
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
	p := strings.ToLower(pathOfURL(e.Request.URL))
	return strings.HasSuffix(p, "/token") || strings.HasSuffix(p, "/token/")
}

// grantType returns the grant_type a token request named.
func (t *Trace) grantType(i int) string {
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

// oauthError returns the OAuth "error" code of entry i's JSON body.
func (t *Trace) oauthError(i int) string {
	if m := oauthErrorRe.FindStringSubmatch(t.Body(i)); m != nil {
		return m[1]
	}
	return ""
}

// proxyEvident returns a description of a proxy between client and
// application, from the response headers; "" when none is visible.
func proxyEvident(e *har.Entry) string {
	for _, name := range []string{"Via", "X-Forwarded-For", "X-Forwarded-Host", "X-Cache", "X-Squid-Error"} {
		if v, ok := har.HeaderValue(e.Response.Headers, name); ok {
			return name + ": " + clip(v, 80)
		}
	}
	return ""
}

// serverHeader returns the response's Server header.
func serverHeader(e *har.Entry) string {
	v, _ := har.HeaderValue(e.Response.Headers, "Server")
	return v
}

// iisOtherCause returns the sub-status code when entry i's IIS error page
// names a sub-status that proves another cause than id ("" otherwise):
// a rule that only infers its cause then defers to the page.
func (t *Trace) iisOtherCause(i int, id string) string {
	row, ok := t.IISForEntry(i)
	if !ok || row.Cause == "" || row.Cause == id {
		return ""
	}
	return row.Code()
}
