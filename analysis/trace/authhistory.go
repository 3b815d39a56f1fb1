package trace

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"authlens/analysis/decode"
	"authlens/har"
)

// Outcome is how the server answered an exchange, from the point of view
// Of authentication.
type Outcome int

// The outcomes of an exchange.
const (
	OutcomeOther      Outcome = iota // anything else (4xx/5xx other than 401/403/407, no response)
	OutcomeAccepted                  // 2xx, 304, or a 3xx
	OutcomeChallenged                // 401 or 407: not (or not yet) authenticated
	OutcomeRefused                   // 403: refused
)

// AuthAttempt is one exchange in an origin's authentication history.
type AuthAttempt struct {
	Entry int
	// Scheme of the credential sent (Authorization), "" when none.
	Scheme string
	// Identity names the credential or session the request carried (a
	// hash of the Authorization value, else of the session-like cookies);
	// "" when it carried neither. Never shown.
	Identity string
	// User is the user name the credential names (Basic, Digest, NTLM), if any.
	User string
	// Offered lists the schemes the response's challenges offered.
	Offered []string
	Status  int
	Outcome Outcome
}

// AuthHistory returns the authentication history of an origin, in time
// order. The slice must not be modified.
func (t *Trace) AuthHistory(origin string) []AuthAttempt { return t.history[origin] }

// Attempt returns entry i's row of its origin's history.
func (t *Trace) Attempt(i int) AuthAttempt { return t.Attempts[i] }

// SucceededElsewhere returns an entry on the same origin, other than i,
// that carried the same credential or session as entry i and was
// accepted with a 2xx or 304 — preferring the latest one before i. ok is
// false when entry i carried nothing or no such entry exists.
func (t *Trace) SucceededElsewhere(i int) (j int, ok bool) {
	id := t.Attempts[i].Identity
	if id == "" {
		return -1, false
	}
	best := -1
	for _, j := range t.accepted[t.origins[i]+"\x00"+id] {
		if j == i {
			continue
		}
		if t.Entries[j].StartedDateTime.After(t.Entries[i].StartedDateTime) {
			if best < 0 {
				best = j
			}
			continue
		}
		best = j // later ones in time order overwrite earlier ones
	}
	return best, best >= 0
}

// FailuresOfUser counts the 401/403 exchanges on entry i's origin whose
// credential names the same user as entry i's.
func (t *Trace) FailuresOfUser(i int) int {
	u := t.Attempts[i].User
	if u == "" {
		return 0
	}
	return t.userFailures[t.origins[i]+"\x00"+u]
}

// sessionCookieName matches cookie names that usually carry a session.
var sessionCookieName = regexp.MustCompile(`(?i)sess|sid$|^sid|auth|token|jwt|login|identity|remember|user|csrf`)

func outcomeOf(status int) Outcome {
	switch {
	case status >= 200 && status < 400:
		return OutcomeAccepted
	case status == 401 || status == 407:
		return OutcomeChallenged
	case status == 403:
		return OutcomeRefused
	}
	return OutcomeOther
}

func buildAuthHistory(t *Trace) {
	n := len(t.Entries)
	t.Attempts = make([]AuthAttempt, n)
	t.history = map[string][]AuthAttempt{}
	for i, e := range t.Entries {
		a := AuthAttempt{Entry: i, Status: e.Response.Status, Outcome: outcomeOf(e.Response.Status)}
		au := &t.auth[i]
		if c := au.Credentials; c != nil {
			a.Scheme = c.Scheme
			a.Identity = c.Fingerprint
			switch {
			case c.Basic != nil:
				a.User = c.Basic.Username
			case c.Digest != nil:
				a.User = c.Digest["username"]
			case c.NTLM != nil && c.NTLM.Type == 3:
				a.User = c.NTLM.User
				if c.NTLM.Domain != "" {
					a.User = c.NTLM.Domain + `\` + c.NTLM.User
				}
				// NTLM legs differ per connection; the account is the identity.
				a.Identity = "ntlm:" + strings.ToLower(a.User)
			case c.Bearer != nil && c.Bearer.JWT != nil && c.Bearer.JWT.Subject != "":
				a.User = c.Bearer.JWT.Subject
			}
		} else if id := sessionIdentity(e); id != "" {
			a.Identity = id
		}
		for _, ch := range au.Challenges {
			a.Offered = append(a.Offered, ch.Scheme)
		}
		t.Attempts[i] = a
	}
	t.accepted = map[string][]int{}
	t.userFailures = map[string]int{}
	for _, i := range t.byTime {
		o, a := t.origins[i], t.Attempts[i]
		t.history[o] = append(t.history[o], a)
		if a.Identity != "" && (a.Status >= 200 && a.Status < 300 || a.Status == 304) {
			t.accepted[o+"\x00"+a.Identity] = append(t.accepted[o+"\x00"+a.Identity], i)
		}
		if a.User != "" && (a.Status == 401 || a.Status == 403) {
			t.userFailures[o+"\x00"+a.User]++
		}
	}
}

// sessionIdentity hashes the session-like cookies a request carried.
func sessionIdentity(e *har.Entry) string {
	var pairs []string
	for _, v := range har.HeaderValues(e.Request.Headers, "Cookie") {
		for _, part := range strings.Split(v, ";") {
			name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
			if ok && val != "" && sessionCookieName.MatchString(name) {
				pairs = append(pairs, name+"="+val)
			}
		}
	}
	if len(pairs) == 0 {
		for _, c := range e.Request.Cookies {
			if c.Value != "" && sessionCookieName.MatchString(c.Name) {
				pairs = append(pairs, c.Name+"="+c.Value)
			}
		}
	}
	return cookieIdentity(pairs)
}

// cookieIdentity names a session by a hash of its name=value pairs in
// any order ("" for none): the same cookies are the same identity, and
// the values are never shown.
func cookieIdentity(pairs []string) string {
	if len(pairs) == 0 {
		return ""
	}
	sort.Strings(pairs)
	h := sha256.Sum256([]byte(strings.Join(pairs, "; ")))
	return "cookie:" + hex.EncodeToString(h[:8])
}

// SameRequest reports whether two entries are the same method and URL
// (fragment, userinfo and default port ignored).
func (t *Trace) SameRequest(i, j int) bool { return t.reqKeys[i] == t.reqKeys[j] }

// NextSameRequest returns the first entry after i in time order that
// repeats i's method and URL, or -1.
func (t *Trace) NextSameRequest(i int) int {
	same := t.sameReq[t.reqKeys[i]]
	p := t.sameReqPos[i]
	if p+1 < len(same) {
		return same[p+1]
	}
	return -1
}

// buildRequestKeys groups entries that repeat one method and URL, in time
// order, so handshake legs and retries are found without scanning.
func buildRequestKeys(t *Trace) {
	n := len(t.Entries)
	t.reqKeys = make([]string, n)
	t.sameReqPos = make([]int, n)
	t.sameReq = map[string][]int{}
	for i, e := range t.Entries {
		t.reqKeys[i] = e.Request.Method + " " + NormalizedURL(e.Request.URL)
	}
	for _, i := range t.byTime {
		k := t.reqKeys[i]
		t.sameReqPos[i] = len(t.sameReq[k])
		t.sameReq[k] = append(t.sameReq[k], i)
	}
}

// PathOfURL returns the path of a URL ("/" when empty).
func PathOfURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// BrowserDigestAlgorithms are the Digest algorithms browsers implement.
var BrowserDigestAlgorithms = map[string]bool{"": true, "md5": true, "md5-sess": true, "sha-256": true, "sha-256-sess": true}

// LaterWindowsAuth reports whether a later request to the same origin
// answered with NTLM or Negotiate credentials (the client can do it).
func (t *Trace) LaterWindowsAuth(i int) bool {
	after := false
	for _, j := range t.SameOrigin(t.Origin(i)) {
		if j == i {
			after = true
			continue
		}
		if c := t.Auth(j).Credentials; after && c != nil && (strings.EqualFold(c.Scheme, "ntlm") || strings.EqualFold(c.Scheme, "negotiate")) {
			return true
		}
	}
	return false
}

// BrowserCannotAnswerAny reports whether every challenge is one a browser
// cannot answer on its own: Windows integrated sign-in (Negotiate/NTLM,
// which needs a domain-joined machine and policy) or Digest with an
// algorithm browsers do not implement. Digest is only judged when the
// trace names a browser: tools such as curl do implement SHA-512-256.
func (t *Trace) BrowserCannotAnswerAny(chs []decode.Challenge) bool {
	for _, c := range chs {
		switch strings.ToLower(c.Scheme) {
		case "negotiate", "ntlm":
		case "digest":
			alg, _ := c.Param("algorithm")
			if !t.Browser().Known() || BrowserDigestAlgorithms[strings.ToLower(alg)] {
				return false
			}
		default:
			return false
		}
	}
	return len(chs) > 0
}
