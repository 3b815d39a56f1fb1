package trace

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"authlens/analysis/trace/jar"
	"authlens/har"
)

// EffectiveStatus is the HTTP status the server answered entry e with.
// It is Response.Status, except for a WebSocket handshake the server
// Refused: Chromium records those as status -1 with no headers or body
// and keeps the real status only in _failureText ("Error during WebSocket
// handshake: Unexpected response code: 403"); then the status is read
// from that text. Any other failure (no answer at all) keeps its status.
func EffectiveStatus(e *har.Entry) int {
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

// RefusedUpgrade reports whether entry i is a WebSocket handshake the
// Server refused with 401 or 403 (recorded by Chromium as status -1).
func (t *Trace) RefusedUpgrade(i int) bool {
	e := t.Entries[i]
	st := EffectiveStatus(e)
	return e.Response.Status <= 0 && (st == 401 || st == 403)
}

// AuthFailure reports whether entry i is a failing 401/403 that is not the
// answered first leg of a handshake.
func (t *Trace) AuthFailure(i int) bool {
	st := t.Entries[i].Response.Status
	if st != 401 && st != 403 {
		return false
	}
	ok, _ := t.AnsweredChallenge(i)
	return !ok
}

// Small readings of an exchange that the cookie, permission, firewall,
// CSRF and CORS rules share.

// RefusalStatus reports the statuses these rules explain: 401, 403 and
// Laravel's 419.
func RefusalStatus(st int) bool { return st == 401 || st == 403 || st == 419 }

// SoftAuthFailure reports a redirect to a login page: cookie apps answer
// "not signed in" this way instead of 401 (catalogue §1).
func SoftAuthFailure(e *har.Entry) bool {
	st := e.Response.Status
	if st < 300 || st > 399 || loginPathPattern.MatchString(jar.RequestURL(e).Path) {
		return false
	}
	loc := LocationOf(e)
	if loc == "" {
		return false
	}
	u, err := url.Parse(loc)
	if err != nil {
		return false
	}
	return loginPathPattern.MatchString(u.Path)
}

// FailedForCookies reports the exchanges a missing or stale cookie can
// explain: a refusal, a redirect to the login page, or no response.
func FailedForCookies(e *har.Entry) bool {
	st := e.Response.Status
	return RefusalStatus(st) || SoftAuthFailure(e) || (e.Failed() && st <= 0)
}

// StatusReading explains an exchange's status in plain words for support
// staff (catalogue §1): what the status means and who can usually fix it.
func StatusReading(e *har.Entry) string {
	st := e.Response.Status
	switch {
	case st == 401:
		s := "401 Unauthorized: the site does not know who you are, or did not accept the proof you gave. "
		if chs := har.HeaderValues(e.Response.Headers, "WWW-Authenticate"); len(chs) > 0 {
			s += "Its WWW-Authenticate header asks for " + describeSchemes(chs) + ". "
		} else {
			s += "It should say how to sign in with a WWW-Authenticate header, but sent none. "
		}
		return s + "Signing in again, with the right account and method, can fix it; usually the user acts, the site admin when the method cannot work."
	case st == 403:
		return "403 Forbidden: the site knows the request but refuses it — usually a permission, allow-list, firewall, security plugin or anti-forgery (CSRF) check. " +
			"Signing in again with the same account will not help; a different account, a permission, an allow-list entry or a change on the server will. Usually the site admin or developer acts."
	case st == 407:
		return "407 Proxy Authentication Required: a proxy between the browser and the site wants credentials (Proxy-Authenticate); the site itself never saw the request. The user's network admin can fix it."
	case st == 419:
		return "419 Page Expired (Laravel): the anti-forgery (CSRF) token or the session expired. Reloading the page and trying again usually fixes it."
	case st == 404:
		return "404 Not Found. A server may answer 404 to hide a resource you are not allowed to see; otherwise the address is wrong or the resource is gone."
	case st == 429:
		return "429 Too Many Requests: the server is refusing this client for a while because it sent too many requests."
	case st >= 300 && st < 400:
		return fmt.Sprintf("%d redirect: the server sent the browser elsewhere. It matters here because of what happened around the redirect.", st)
	case st <= 0 || e.Failed() && st < 100:
		if ws := EffectiveStatus(e); ws != st {
			// A refused WebSocket handshake: the server did answer.
			return fmt.Sprintf("The server refused the WebSocket upgrade with %d (the browser kept only %q, not the response's headers or body). "+
				"A WebSocket server answers 401 or 403 to any handshake it will not accept — a missing or expired token, a permission, an origin check; the diagnoses below say which.", ws, e.FailureReason())
		}
		if r := e.FailureReason(); r != "" {
			return "No response: the browser gave up on or blocked this request (" + r + ")."
		}
		return "No response: the browser gave up on or blocked this request."
	}
	return fmt.Sprintf("%d %s.", st, e.Response.StatusText)
}

// describeSchemes names the schemes of WWW-Authenticate values in words,
// without parsing parameters (the decoders do that).
func describeSchemes(values []string) string {
	seen := map[string]bool{}
	var names []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			f := strings.Fields(strings.TrimSpace(part))
			if len(f) == 0 || strings.Contains(f[0], "=") {
				continue
			}
			s := f[0]
			if !seen[strings.ToLower(s)] {
				seen[strings.ToLower(s)] = true
				names = append(names, schemeWords(s))
			}
		}
	}
	if len(names) == 0 {
		return "a sign-in"
	}
	return strings.Join(names, " or ")
}

func schemeWords(s string) string {
	switch strings.ToLower(s) {
	case "basic":
		return "a username and password (Basic)"
	case "digest":
		return "a username and password (Digest)"
	case "bearer":
		return "a token (Bearer)"
	case "dpop":
		return "a proof-of-possession token (DPoP)"
	case "negotiate":
		return "Windows sign-in (Negotiate/Kerberos)"
	case "ntlm":
		return "Windows sign-in (NTLM)"
	}
	return "the " + s + " scheme"
}
