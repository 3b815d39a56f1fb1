package trace

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"authlens/analysis/decode"
	"authlens/analysis/entry"
	"authlens/analysis/trace/jar"
	"authlens/har"
)

// NTLMRestarts counts the NTLM type-1 messages sent for entry j's request.
func (t *Trace) NTLMRestarts(j int) int {
	n := 0
	for _, x := range t.sameReq[t.reqKeys[j]] {
		if c := t.Auth(x).Credentials; c != nil && c.NTLM != nil && c.NTLM.Type == 1 {
			n++
		}
	}
	return n
}

// HandshakeLegs returns the 401 entries of the handshake around the
// type-1 entry j: the bare 401 before it, j, and the legs after it.
func (t *Trace) HandshakeLegs(j int) []int {
	var out []int
	for _, x := range t.sameReq[t.reqKeys[j]] {
		if t.Entries[x].Response.Status == 401 && !t.answered[x].ok {
			out = append(out, x)
		}
	}
	return out
}

// AnsweredChallenge reports whether entry i is a 401 (or 407) that was the
// normal first leg of a challenge the client then answered successfully
// (Basic or Digest retried with credentials and 2xx/3xx, NTLM/Negotiate
// legs before the final 200, Digest stale=true retried, DPoP
// use_dpop_nonce retried), or a background "who am I?" call from a visitor
// who was not signed in; and says why in plain words.
func (t *Trace) AnsweredChallenge(i int) (bool, string) {
	a := t.answered[i]
	return a.ok, a.why
}

type answer struct {
	ok  bool
	why string
	// by is the entry whose success answered the challenge (-1 for the
	// who-am-I case).
	by int
}

// AnsweredBy returns the entry that completed the handshake entry i began,
// or -1.
func (t *Trace) AnsweredBy(i int) int {
	if !t.answered[i].ok {
		return -1
	}
	return t.answered[i].by
}

// maxHandshakeLegs bounds how many 401 legs a handshake may take
// (Negotiate can take two round trips, NTLM two).
const maxHandshakeLegs = 4

func buildAnswered(t *Trace) []answer {
	out := make([]answer, len(t.Entries))
	for i := range t.Entries {
		out[i] = t.answerFor(i)
	}
	for i := range t.Entries {
		if !out[i].ok {
			if why, ok := t.backgroundWhoAmI(i); ok {
				out[i] = answer{ok: true, why: why, by: -1}
			}
		}
	}
	return out
}

func (t *Trace) answerFor(i int) answer {
	e := t.Entries[i]
	st := e.Response.Status
	if st != 401 && st != 407 {
		return answer{}
	}
	proxy := st == 407
	chs := t.auth[i].Challenges
	if proxy {
		chs = t.auth[i].ProxyChallenges
	}
	if t.rejectedCredential(i, proxy, chs) {
		if j, ok := t.renewedTokenRetry(i, proxy); ok {
			return answer{ok: true, by: j, why: t.renewedTokenWhy(i, j)}
		}
		return answer{}
	}
	cur := i
	for leg := 0; leg < maxHandshakeLegs; leg++ {
		j := t.NextSameRequest(cur)
		if j < 0 {
			return answer{}
		}
		if !t.carriesAnswer(j, proxy, chs) {
			return answer{}
		}
		sj := t.Entries[j].Response.Status
		switch {
		case sj >= 200 && sj < 400:
			return answer{ok: true, by: j, why: t.answeredWhy(i, j, proxy, chs)}
		case (sj == 401 && !proxy || sj == 407 && proxy) && t.IsContinuationLeg(j, proxy):
			cur = j
			continue
		case (sj == 401 && !proxy || sj == 407 && proxy) && t.rejectedCredential(j, proxy, chs):
			// A mistyped password in between: that retry is the failure
			// (its own exchange says so); this first leg was still answered
			// if a later retry got through.
			cur = j
			continue
		}
		return answer{}
	}
	return answer{}
}

// rejectedCredential reports whether the 401/407 at entry i refused a
// credential the request already carried. The first leg of a handshake
// carries none; the legs that carry one and are still normal are a Digest
// nonce gone stale (stale=true), a DPoP nonce request (use_dpop_nonce)
// and the middle of an NTLM/Negotiate exchange. Anything else is the
// Server rejecting what was sent, whatever a later retry did.
func (t *Trace) rejectedCredential(i int, proxy bool, chs []decode.Challenge) bool {
	cred := t.auth[i].Credentials
	if proxy {
		cred = t.auth[i].ProxyCredentials
	}
	if cred == nil || cred.Malformed != "" || cred.Fingerprint == "" {
		return false
	}
	for _, c := range chs {
		if v, _ := c.Param("stale"); strings.EqualFold(v, "true") {
			return false
		}
	}
	if hasDPoPNonceChallenge(chs) || t.IsContinuationLeg(i, proxy) {
		return false
	}
	return true
}

// tokenRetryWindow bounds how soon after a refused token the app must
// retry with a new one for the refusal to count as handled: an app that
// refreshes on a 401 does so at once, a retry minutes later is a new try.
const tokenRetryWindow = 60 * time.Second

// renewedTokenRetry finds the retry that shows a refused issued token was
// handled by the app itself (catalogue §1): the next repeat of the same
// request, within tokenRetryWindow, carries a different token of the same
// scheme (Bearer, DPoP, ...) and gets 2xx. That is the expired-token
// remedy done — get a new token, retry once. A retyped password (Basic,
// Digest) is not a token renewal: the refused attempt stays a problem.
func (t *Trace) renewedTokenRetry(i int, proxy bool) (int, bool) {
	if proxy {
		return -1, false
	}
	cred := t.auth[i].Credentials
	if cred == nil || !tokenScheme(cred.Scheme) {
		return -1, false
	}
	j := t.NextSameRequest(i)
	if j < 0 {
		return -1, false
	}
	if gap := t.Entries[j].StartedDateTime.Sub(t.Entries[i].StartedDateTime); gap < 0 || gap > tokenRetryWindow {
		return -1, false
	}
	cj := t.auth[j].Credentials
	if cj == nil || cj.Malformed != "" || cj.Fingerprint == "" || cj.Fingerprint == cred.Fingerprint || !strings.EqualFold(cj.Scheme, cred.Scheme) {
		return -1, false
	}
	if st := t.Entries[j].Response.Status; st < 200 || st >= 300 {
		return -1, false
	}
	if t.signedInAgainBetween(i, j) {
		return -1, false
	}
	return j, true
}

// signedInAgainBetween reports whether the user had to sign in again
// between the refused token at entry i and its retry at entry j: a
// sign-in form post, a token grant other than refresh_token, or a page
// load of a login page. Then the new token came from the user, not from a
// silent refresh, and the refusal is the failure they saw.
func (t *Trace) signedInAgainBetween(i, j int) bool {
	from, to := t.Entries[i].StartedDateTime, t.Entries[j].StartedDateTime
	for _, k := range t.byTime {
		ek := t.Entries[k]
		if k == i || k == j || ek.StartedDateTime.Before(from) || ek.StartedDateTime.After(to) {
			continue
		}
		p := entry.PathOfURL(ek.Request.URL)
		login := loginPath.MatchString(p) || entry.IsLoginPath(p)
		switch {
		case t.IsTokenEndpoint(k):
			if t.GrantType(k) != "refresh_token" {
				return true
			}
		case t.auth[k].URLUserinfo:
			return true
		case login && (!strings.EqualFold(ek.Request.Method, "GET") || t.Sites[k].Navigation):
			return true
		}
	}
	return false
}

// tokenRefreshBetween returns a successful refresh_token grant made
// between entries i and j, or -1.
func (t *Trace) tokenRefreshBetween(i, j int) int {
	from, to := t.Entries[i].StartedDateTime, t.Entries[j].StartedDateTime
	for _, k := range t.byTime {
		ek := t.Entries[k]
		if k == i || k == j || ek.StartedDateTime.Before(from) || ek.StartedDateTime.After(to) {
			continue
		}
		if st := ek.Response.Status; st >= 200 && st < 300 && t.IsTokenEndpoint(k) && t.GrantType(k) == "refresh_token" {
			return k
		}
	}
	return -1
}

func (t *Trace) renewedTokenWhy(i, j int) string {
	scheme := t.auth[i].Credentials.Scheme
	fin := t.Entries[j].Response.Status
	if k := t.tokenRefreshBetween(i, j); k >= 0 {
		return fmt.Sprintf("Not a problem: the app's %s access token was refused (it had expired or was no longer valid); the app refreshed it (entry %d, grant_type=refresh_token, %d) and retried with the new token in entry %d, which got %d. This is normal.",
			scheme, k, t.Entries[k].Response.Status, j, fin)
	}
	return fmt.Sprintf("Not a problem: the app's %s access token was refused (it had expired or was no longer valid); the app got a new token and retried in entry %d, which got %d. This is normal.", scheme, j, fin)
}

// carriesAnswer reports whether entry j answers the challenge: it carries
// (proxy) credentials, or for a DPoP nonce challenge a DPoP proof.
func (t *Trace) carriesAnswer(j int, proxy bool, chs []decode.Challenge) bool {
	a := &t.auth[j]
	if proxy {
		return a.ProxyCredentials != nil && a.ProxyCredentials.Malformed == ""
	}
	if a.Credentials != nil && a.Credentials.Malformed == "" {
		return true
	}
	if hasDPoPNonceChallenge(chs) {
		_, ok := har.HeaderValue(t.Entries[j].Request.Headers, "DPoP")
		return ok
	}
	return false
}

// IsContinuationLeg reports whether a 401/407 is the middle of a
// connection-based handshake: the request carried an NTLM type-1 or a
// Negotiate token and the response carries the server's next token.
func (t *Trace) IsContinuationLeg(j int, proxy bool) bool {
	a := &t.auth[j]
	cred, chs := a.Credentials, a.Challenges
	if proxy {
		cred, chs = a.ProxyCredentials, a.ProxyChallenges
	}
	if cred == nil {
		return false
	}
	sent := strings.ToLower(cred.Scheme)
	if sent != "ntlm" && sent != "negotiate" {
		return false
	}
	if cred.NTLM != nil && cred.NTLM.Type == 3 {
		return false
	}
	for _, c := range chs {
		if strings.EqualFold(c.Scheme, cred.Scheme) && c.Token68 != "" {
			return true
		}
	}
	return false
}

func hasDPoPNonceChallenge(chs []decode.Challenge) bool {
	for _, c := range chs {
		if v, _ := c.Param("error"); v == "use_dpop_nonce" {
			return true
		}
	}
	return false
}

func (t *Trace) answeredWhy(i, j int, proxy bool, chs []decode.Challenge) string {
	fin := t.Entries[j].Response.Status
	who := "the site"
	hdr := "WWW-Authenticate"
	if proxy {
		who, hdr = "the proxy", "Proxy-Authenticate"
	}
	for _, c := range chs {
		if v, _ := c.Param("stale"); strings.EqualFold(v, "true") {
			return fmt.Sprintf("Not a problem: the Digest nonce had expired (stale=true, which also shows the password was right) and the client retried with the new nonce in entry %d, which got %d.", j, fin)
		}
		if v, _ := c.Param("error"); v == "use_dpop_nonce" {
			return fmt.Sprintf("Not a problem: the API asked for a fresh DPoP nonce (error=\"use_dpop_nonce\", RFC 9449) and the client retried with it in entry %d, which got %d.", j, fin)
		}
	}
	scheme := ""
	if c := t.auth[j].Credentials; c != nil && !proxy {
		scheme = c.Scheme
	} else if c := t.auth[j].ProxyCredentials; c != nil && proxy {
		scheme = c.Scheme
	}
	if strings.EqualFold(scheme, "ntlm") || strings.EqualFold(scheme, "negotiate") {
		return fmt.Sprintf("Not a problem: a normal leg of the %s handshake with %s (%s); the handshake completed in entry %d, which got %d.", scheme, who, hdr, j, fin)
	}
	return fmt.Sprintf("Not a problem: the normal first step of %s sign-in — %s asked for credentials (%s: %s), the client sent them in entry %d, and they were accepted (%d).",
		entry.OrWord(scheme, "HTTP"), who, hdr, entry.DescribeChallenges(chs), j, fin)
}

// whoAmIPath matches the paths apps poll to learn who is signed in.
var whoAmIPath = regexp.MustCompile(`(?i)/(api/)?(v\d+/)?(me|whoami|who-am-i|session|sessions/current|user|users/me|current[-_]?user|userinfo|account/me|auth/me|auth/session|auth/user|profile/me)/?$`)

// loginPath matches paths that sign a user in.
var loginPath = regexp.MustCompile(`(?i)(login|log-in|signin|sign-in|sign_in|logon|authenticate|/token|/session)`)

// backgroundWhoAmI recognises a 401 from a background "who am I?" call on
// a page that otherwise works, from a visitor who did not try to sign in
// (catalogue §1): the app asking, not a failure.
func (t *Trace) backgroundWhoAmI(i int) (string, bool) {
	e := t.Entries[i]
	if e.Response.Status != 401 || !whoAmIPath.MatchString(entry.PathOfURL(e.Request.URL)) {
		return "", false
	}
	a := &t.auth[i]
	if a.Credentials != nil || a.URLUserinfo || !strings.EqualFold(e.Request.Method, "GET") {
		return "", false
	}
	// Redirected here from a request that carried credentials: the client
	// did try to authenticate.
	for _, k := range t.RedirectChain(i) {
		if t.auth[k].Credentials != nil {
			return "", false
		}
	}
	if t.SignedInBefore(i) != "" {
		return "", false
	}
	if j, _ := t.RefusedSignInCookie(i); j >= 0 {
		return "", false
	}
	sc := t.Sites[i]
	accept, _ := har.HeaderValue(e.Request.Headers, "Accept")
	if !sc.Script && !strings.Contains(strings.ToLower(accept), "json") {
		return "", false
	}
	worked := false
	for _, j := range t.byOrig[t.origins[i]] {
		st := t.Entries[j].Response.Status
		if j != i && st >= 200 && st < 300 {
			worked = true
		}
	}
	if !worked {
		// The page itself must work from the same origin or the page's origin.
		for _, j := range t.byTime {
			if st := t.Entries[j].Response.Status; t.Sites[j].Navigation && st >= 200 && st < 300 {
				worked = true
			}
		}
	}
	if !worked {
		return "", false
	}
	// A later sign-in attempt that failed makes the 401 part of the story.
	after := false
	for _, j := range t.byTime {
		if j == i {
			after = true
			continue
		}
		if !after || t.origins[j] != t.origins[i] {
			continue
		}
		ej := t.Entries[j]
		st := ej.Response.Status
		if t.signInAttempt(j) && (st == 401 || st == 403 || st >= 400 && st < 500 && !strings.EqualFold(ej.Request.Method, "GET")) {
			return "", false
		}
	}
	return fmt.Sprintf("Not a problem: a background \"who am I?\" call (%s) from a visitor who was not signed in — the app asking whether there is a session, while the page itself works. It only matters if the user then tried to sign in and failed.", entry.PathOfURL(e.Request.URL)), true
}

// SignedInBefore says how the trace shows that the visitor behind entry i
// was signed in before it, "" when it does not: the same path answered
// 2xx earlier, a sign-in (a non-GET to a login path) on the same origin
// succeeded earlier, or the request carries a session cookie that the
// site itself set in a sign-in response. Then a 401 on a "who am I?" path
// is a lost session, not an anonymous probe.
func (t *Trace) SignedInBefore(i int) string {
	e := t.Entries[i]
	p := entry.PathOfURL(e.Request.URL)
	start := e.StartedDateTime
	for _, j := range t.byOrig[t.origins[i]] {
		ej := t.Entries[j]
		if j == i || !ej.StartedDateTime.Before(start) {
			continue
		}
		st := ej.Response.Status
		if st >= 200 && st < 300 && entry.PathOfURL(ej.Request.URL) == p {
			return fmt.Sprintf("the same path answered %d at entry %d", st, j)
		}
		if st >= 200 && st < 400 && !strings.EqualFold(ej.Request.Method, "GET") && loginPath.MatchString(entry.PathOfURL(ej.Request.URL)) {
			return fmt.Sprintf("a sign-in (%s %s) succeeded at entry %d", ej.Request.Method, entry.PathOfURL(ej.Request.URL), j)
		}
	}
	if j, name := t.sessionCookieFromSignIn(i); j >= 0 {
		return fmt.Sprintf("the request carries the cookie %s, which the site set at sign-in (entry %d)", name, j)
	}
	return ""
}

// sessionCookieFromSignIn finds a session-like cookie entry i carried
// whose very value an earlier response of the same host set, in answer to
// a sign-in: a non-GET request, a login path, or a request that carried
// credentials. It returns that entry and the cookie's name, or -1.
func (t *Trace) sessionCookieFromSignIn(i int) (int, string) {
	e := t.Entries[i]
	sent := map[string]string{}
	for _, v := range jar.RequestCookieHeaders(e) {
		for _, c := range jar.ParseCookieHeader(v) {
			if c.Value != "" && jar.CookieLooksLikeSession(c.Name) {
				sent[c.Name] = c.Value
			}
		}
	}
	if len(sent) == 0 {
		return -1, ""
	}
	host := entry.HostOf(e)
	for _, j := range t.byTime {
		ej := t.Entries[j]
		if j == i || !ej.StartedDateTime.Before(e.StartedDateTime) || entry.HostOf(ej) != host {
			continue
		}
		pj := entry.PathOfURL(ej.Request.URL)
		signIn := !strings.EqualFold(ej.Request.Method, "GET") || loginPath.MatchString(pj) || entry.IsLoginPath(pj) ||
			t.auth[j].Credentials != nil
		if !signIn {
			continue
		}
		for _, line := range jar.SetCookieLines(ej) {
			c, ok := jar.ParseSetCookie(line)
			if ok && c.Value != "" && sent[c.Name] == c.Value {
				return j, c.Name
			}
		}
	}
	return -1, ""
}

// signInAttempt reports whether entry j tried to sign in: credentials in
// the URL, a non-GET to a login path or token endpoint, a password-bearing
// Authorization (Basic, Digest, NTLM, Negotiate), or the first token the
// app sent to the origin. A token sent after tokens already worked on the
// Origin is an API call of a signed-in app, not a sign-in: its refusal
// (an expired token, a missing role) is a story of its own and says
// nothing about a "who am I?" probe made before the user signed in.
func (t *Trace) signInAttempt(j int) bool {
	ej := t.Entries[j]
	a := &t.auth[j]
	if a.URLUserinfo || !strings.EqualFold(ej.Request.Method, "GET") && (loginPath.MatchString(entry.PathOfURL(ej.Request.URL)) || t.IsTokenEndpoint(j)) {
		return true
	}
	if a.Credentials == nil {
		return false
	}
	return !tokenScheme(a.Credentials.Scheme) || !t.tokenAcceptedBefore(j)
}

// tokenScheme reports Authorization schemes that carry an issued token
// rather than the user's own password.
func tokenScheme(scheme string) bool {
	switch strings.ToLower(scheme) {
	case "bearer", "dpop", "token", "jwt":
		return true
	}
	return false
}

// tokenAcceptedBefore reports whether the origin of entry j accepted
// (2xx/3xx) a request carrying a token of the same scheme earlier in the
// trace: the app was signed in and using its token.
func (t *Trace) tokenAcceptedBefore(j int) bool {
	c := t.auth[j].Credentials
	if c == nil {
		return false
	}
	start := t.Entries[j].StartedDateTime
	for _, k := range t.byOrig[t.origins[j]] {
		ek := t.Entries[k]
		ck := t.auth[k].Credentials
		if k == j || ck == nil || !strings.EqualFold(ck.Scheme, c.Scheme) || ck.Malformed != "" || !ek.StartedDateTime.Before(start) {
			continue
		}
		if st := ek.Response.Status; st >= 200 && st < 400 {
			return true
		}
	}
	return false
}

// RefusedSignInCookie finds an earlier sign-in response of entry i's host
// whose session cookie the browser refused (the cookie index applies the
// browser's storage rules: prefixes, Domain, Secure, SameSite=None). The
// visitor did sign in, the session never reached the jar, so a "who am
// I?" 401 after it is the failed sign-in itself, not a visitor's probe.
// It returns that entry and the cookie's name, or -1.
func (t *Trace) RefusedSignInCookie(i int) (int, string) {
	ci := t.cookies
	if ci == nil {
		return -1, ""
	}
	e := t.Entries[i]
	host := entry.HostOf(e)
	for _, j := range t.byTime {
		ej := t.Entries[j]
		if j == i || !ej.StartedDateTime.Before(e.StartedDateTime) || entry.HostOf(ej) != host || !t.signInResponse(j) {
			continue
		}
		for _, ev := range ci.ForEntry(j) {
			if ev.Kind == jar.CookieEventRejected && jar.CookieMatters(ev) {
				return j, ev.Name
			}
		}
	}
	return -1, ""
}

// signInResponse reports whether entry j's response reads as the end of a
// sign-in: the request was a non-GET, went to a login path or carried
// credentials, or it is a GET redirect away from the login pages (a
// sign-in link or SSO return that sets the session and moves on).
func (t *Trace) signInResponse(j int) bool {
	ej := t.Entries[j]
	p := entry.PathOfURL(ej.Request.URL)
	if !strings.EqualFold(ej.Request.Method, "GET") || loginPath.MatchString(p) || entry.IsLoginPath(p) || t.auth[j].Credentials != nil {
		return true
	}
	st := ej.Response.Status
	if st < 300 || st >= 400 {
		return false
	}
	loc, _ := har.HeaderValue(ej.Response.Headers, "Location")
	return loc != "" && !loginPath.MatchString(entry.PathOfURL(loc)) && !entry.IsLoginPath(entry.PathOfURL(loc))
}

// LegsBefore returns the earlier 401 legs of the handshake entry i ends:
// walking back over the same request, each earlier entry must be an
// unanswered 401 that was followed by a request carrying credentials
// (a bare challenge, then an NTLM/Negotiate type-1 leg, ...).
func (t *Trace) LegsBefore(i int) []int {
	same := t.sameReq[t.reqKeys[i]][:t.sameReqPos[i]]
	var out []int
	next := i
	for n := len(same) - 1; n >= 0 && len(out) < maxHandshakeLegs; n-- {
		k := same[n]
		if t.Entries[k].Response.Status != 401 || t.answered[k].ok || t.Auth(next).Credentials == nil {
			break
		}
		out = append(out, k)
		if t.Auth(k).Credentials == nil {
			break // the bare challenge that started it
		}
		next = k
	}
	return out
}

// NTLMType1Before returns the latest entry before i for the same request
// that carried an NTLM type-1 message, or -1.
func (t *Trace) NTLMType1Before(i int) int {
	k := -1
	for _, x := range t.sameReq[t.reqKeys[i]][:t.sameReqPos[i]] {
		if c := t.Auth(x).Credentials; c != nil && c.NTLM != nil && c.NTLM.Type == 1 {
			k = x
		}
	}
	return k
}
