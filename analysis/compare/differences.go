package compare

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"authlens/analysis/decode"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
	"authlens/har"
	"authlens/redact"
)

// Weights order the differences: what breaks authentication by itself
// first, what only may matter next, noise last.
const (
	wDecisive = 100 // the difference alone explains the refusal
	wStrong   = 90
	wLikely   = 75
	wPossible = 55
	wMinor    = 30
	wNoise    = 0
)

// diffContext holds what the difference finders share.
type diffContext struct {
	c         *Comparer
	good, bad *trace.Trace
	gs, bs    []step
	hosts     []HostMapping
	res       *Result
}

func (x *diffContext) differences() []Difference {
	var out []Difference
	d := x.res.Divergence
	switch {
	case d != nil && d.Good >= 0 && d.Bad >= 0:
		g, b := d.Good, d.Bad
		out = append(out, x.credentials(g, b)...)
		out = append(out, x.cookies(g, b)...)
		out = append(out, x.redirects(g, b)...)
		out = append(out, x.intermediaries(g, b)...)
		out = append(out, x.serverAddress(g, b)...)
		out = append(out, x.cors(g, b)...)
		out = append(out, x.requestHeaders(g, b)...)
		out = append(out, x.requestData(g, b)...)
		out = append(out, x.rate(g, b)...)
		out = append(out, x.clock(g, b)...)
		out = append(out, x.noise([][2]int{{g, b}})...)
	case d != nil:
		out = append(out, Difference{Kind: KindRequestData, Weight: wPossible,
			Title:       "Only the failing trace made this request",
			Explanation: fmt.Sprintf("The failing trace sent %s, which has no counterpart in the working trace; the flows differ before it.", x.badDesc(d.Bad)),
			Evidence:    []Evidence{x.ev("bad", d.Bad, har.At(har.PartRequestURL), redact.URL(x.bad.Entries[d.Bad].Request.URL))}})
		out = append(out, x.noise(x.alignedPairs(20))...)
	default:
		out = append(out, x.noise(x.alignedPairs(20))...)
	}
	out = append(out, x.client()...)
	for _, d := range out {
		// The working trace's evidence first, each side in entry order.
		sort.SliceStable(d.Evidence, func(a, b int) bool {
			ea, eb := d.Evidence[a], d.Evidence[b]
			if ea.Side != eb.Side {
				return ea.Side == "good"
			}
			return ea.Entry < eb.Entry
		})
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Noise != out[b].Noise {
			return !out[a].Noise
		}
		return out[a].Weight > out[b].Weight
	})
	return out
}

func (x *diffContext) alignedPairs(n int) [][2]int {
	var out [][2]int
	for _, p := range x.res.Pairs {
		if p.Good >= 0 && p.Bad >= 0 && len(out) < n {
			out = append(out, [2]int{p.Good, p.Bad})
		}
	}
	return out
}

func (x *diffContext) ev(side string, i int, where har.Location, detail string) Evidence {
	return Evidence{Side: side, Entry: i, Where: where, Detail: detail}
}

func (x *diffContext) badDesc(i int) string {
	e := x.bad.Entries[i]
	return fmt.Sprintf("%s %s (entry %d)", e.Request.Method, redact.URL(e.Request.URL), i)
}

// ---------------------------------------------------------------- credentials

func (x *diffContext) credentials(g, b int) []Difference {
	var out []Difference
	ga, ba := x.good.Auth(g), x.bad.Auth(b)
	authLoc := har.RequestHeader("Authorization")
	gc, bc := ga.Credentials, ba.Credentials
	switch {
	case gc != nil && bc == nil:
		d := Difference{Kind: KindCredentials, Cause: "missing-credentials", Weight: wDecisive,
			Title:       "The failing request carried no credentials",
			Explanation: fmt.Sprintf("The working request sent an Authorization header (%s); the failing one sent none.", schemeName(gc)),
			Evidence: []Evidence{x.ev("good", g, authLoc, redact.Authorization(authValue(x.good.Entries[g]))),
				x.ev("bad", b, authLoc, "absent")}}
		if k := x.droppedOnRedirect(b); k >= 0 {
			d.Cause = "auth-dropped-on-redirect"
			d.Title = "The credentials were dropped on a redirect"
			d.Explanation = fmt.Sprintf("In the failing trace, %s carried an Authorization header (%s) and was redirected to %s; browsers drop Authorization on a redirect to another origin, so the request that failed carried none. The working trace reached the same request without that redirect.",
				x.badDesc(k), schemeName(x.bad.Auth(k).Credentials), redact.URL(har.OriginOf(x.bad.Entries[b].Request.URL)))
			d.Evidence = append(d.Evidence, x.ev("bad", k, authLoc, redact.Authorization(authValue(x.bad.Entries[k]))))
		}
		if x.bad.Sanitized().AuthHidden {
			d.Weight = wPossible
			d.Explanation += " The failing trace's export may have removed Authorization headers, so this is not certain."
		}
		out = append(out, d)
	case gc == nil && bc != nil:
		out = append(out, Difference{Kind: KindCredentials, Weight: wMinor,
			Title:       "Only the failing request carried credentials",
			Explanation: fmt.Sprintf("The failing request sent an Authorization header (%s) that the working one did without.", schemeName(bc)),
			Evidence:    []Evidence{x.ev("bad", b, authLoc, redact.Authorization(authValue(x.bad.Entries[b])))}})
	case gc != nil && bc != nil:
		out = append(out, x.sameHeaderCredentials(g, b, gc, bc, authLoc)...)
	case len(ba.Challenges) > 0 && trace.EffectiveStatus(x.bad.Entries[b]) == 401:
		// Neither HAR shows credentials: browsers answer a challenge
		// internally and some exports keep only the final exchange. The
		// working step got through; the failing one stayed challenged.
		out = append(out, Difference{Kind: KindCredentials, Cause: "missing-credentials", Weight: wDecisive - 5,
			Title: "The failing request never answered the sign-in challenge",
			Explanation: fmt.Sprintf("The failing request was challenged (%s) and no request with credentials followed; the working trace got through the same step (its browser answered the challenge, which its HAR does not show).",
				redact.Text(ba.Challenges[0].Scheme)),
			Evidence: []Evidence{x.ev("bad", b, har.ResponseHeader("WWW-Authenticate"), redact.Text(ba.Challenges[0].Raw)), x.ev("bad", b, authLoc, "absent")}})
	}
	if ga.ProxyCredentials != nil && ba.ProxyCredentials == nil {
		loc := har.RequestHeader("Proxy-Authorization")
		out = append(out, Difference{Kind: KindCredentials, Cause: "proxy-auth-required", Weight: wDecisive,
			Title:       "The failing request did not sign in to the proxy",
			Explanation: "The working request carried Proxy-Authorization; the failing one did not, so the proxy refused it.",
			Evidence:    []Evidence{x.ev("good", g, loc, redact.Authorization(headerValue(x.good.Entries[g], "Proxy-Authorization"))), x.ev("bad", b, loc, "absent")}})
	}
	return out
}

// droppedOnRedirect returns the entry of the failing trace's redirect
// chain into b that carried credentials b lacks, or -1.
func (x *diffContext) droppedOnRedirect(b int) int {
	chain := x.bad.RedirectChain(b)
	for k := len(chain) - 2; k >= 0; k-- {
		if x.bad.Auth(chain[k]).Credentials != nil {
			return chain[k]
		}
	}
	return -1
}

func (x *diffContext) sameHeaderCredentials(g, b int, gc, bc *decode.Credentials, loc har.Location) []Difference {
	evs := []Evidence{x.ev("good", g, loc, gc.Masked), x.ev("bad", b, loc, bc.Masked)}
	if !strings.EqualFold(gc.Scheme, bc.Scheme) {
		return []Difference{{Kind: KindCredentials, Cause: "wrong-scheme", Weight: wDecisive, Evidence: evs,
			Title:       "Another authentication scheme",
			Explanation: fmt.Sprintf("The working request authenticated with %s, the failing one with %s.", schemeName(gc), schemeName(bc))}}
	}
	if bc.Malformed != "" && gc.Malformed == "" && !bc.Placeholder {
		return []Difference{{Kind: KindCredentials, Cause: "wrong-scheme", Weight: wDecisive, Evidence: evs,
			Title:       "Malformed credentials",
			Explanation: fmt.Sprintf("The failing request's %s credentials are malformed (%s); the working request's are well formed.", schemeName(bc), bc.Malformed)}}
	}
	if gc.Placeholder || bc.Placeholder {
		return []Difference{{Kind: KindCredentials, Weight: wMinor, Evidence: evs,
			Title:       "Credentials hidden in one trace",
			Explanation: "A credential was replaced by hand before the file was shared, so the two cannot be compared."}}
	}
	same := x.c.sameSecret(authValue(x.good.Entries[g]), authValue(x.bad.Entries[b]))
	switch {
	case gc.Basic != nil && bc.Basic != nil:
		if gc.Basic.Username != bc.Basic.Username {
			return []Difference{{Kind: KindCredentials, Cause: "invalid-credentials", Weight: wStrong + 5, Evidence: evs,
				Title:       "Another user name",
				Explanation: fmt.Sprintf("The working request signed in as %s, the failing one as %s.", decode.QuoteName(gc.Basic.Username), decode.QuoteName(bc.Basic.Username))}}
		}
		if !same {
			return []Difference{{Kind: KindCredentials, Cause: "invalid-credentials", Weight: wStrong + 5, Evidence: evs,
				Title:       "Same user, another password",
				Explanation: fmt.Sprintf("Both requests signed in as %s with HTTP Basic, but the passwords differ (compared by keyed hash, never shown): the failing request's password is not the one that works.", decode.QuoteName(gc.Basic.Username))}}
		}
	case gc.Bearer != nil && bc.Bearer != nil:
		if gc.Bearer.JWT != nil && bc.Bearer.JWT != nil {
			if d := x.jwtDifferences(g, b, gc.Bearer.JWT, bc.Bearer.JWT, evs); len(d) > 0 {
				return d
			}
		}
		if !same {
			return []Difference{{Kind: KindCredentials, Weight: wPossible, Evidence: evs,
				Title:       "Another token",
				Explanation: "The requests carried different bearer tokens (compared by keyed hash, never shown); their readable claims do not explain the refusal."}}
		}
	case gc.NTLM != nil && bc.NTLM != nil && gc.NTLM.Type == 3 && bc.NTLM.Type == 3:
		if !strings.EqualFold(gc.NTLM.User, bc.NTLM.User) || !strings.EqualFold(gc.NTLM.Domain, bc.NTLM.Domain) {
			return []Difference{{Kind: KindCredentials, Cause: "invalid-credentials", Weight: wStrong, Evidence: evs,
				Title:       "Another Windows account",
				Explanation: fmt.Sprintf("The working request signed in as %s, the failing one as %s.", decode.QuoteName(gc.NTLM.Domain+`\`+gc.NTLM.User), decode.QuoteName(bc.NTLM.Domain+`\`+bc.NTLM.User))}}
		}
	case gc.Digest != nil && bc.Digest != nil:
		if gc.Digest["username"] != bc.Digest["username"] {
			return []Difference{{Kind: KindCredentials, Cause: "invalid-credentials", Weight: wStrong, Evidence: evs,
				Title:       "Another user name",
				Explanation: fmt.Sprintf("The working request signed in as %s, the failing one as %s.", decode.QuoteName(gc.Digest["username"]), decode.QuoteName(bc.Digest["username"]))}}
		}
	}
	return nil
}

// jwtDifferences compares the claims that decide whether an API accepts
// a token: audience and issuer (through the host mapping), lifetime
// against each server's clock, scopes, roles and authentication level.
func (x *diffContext) jwtDifferences(g, b int, gj, bj *decode.JWT, evs []Evidence) []Difference {
	var out []Difference
	add := func(cause string, w int, title, expl string) {
		out = append(out, Difference{Kind: KindCredentials, Cause: cause, Weight: w, Title: title, Explanation: expl, Evidence: evs})
	}
	gRef, bRef := x.good.ResponseDate(g), x.bad.ResponseDate(b)
	const slack = 30 * time.Second
	expired := func(j *decode.JWT, at time.Time) bool { return j.Expires != nil && j.Expires.Before(at.Add(-slack)) }
	notYet := func(j *decode.JWT, at time.Time) bool {
		return j.NotBefore != nil && j.NotBefore.After(at.Add(slack)) || j.IssuedAt != nil && j.IssuedAt.After(at.Add(slack))
	}
	if expired(bj, bRef) && !expired(gj, gRef) {
		add("expired-token", wDecisive, "The token had expired",
			fmt.Sprintf("The failing request's token expired at %s, %s before the server's clock said %s; the working request's token was still valid.",
				bj.Expires.UTC().Format(time.RFC3339), jar.RoundDuration(bRef.Sub(*bj.Expires)), bRef.UTC().Format(time.RFC3339)))
	}
	if notYet(bj, bRef) && !notYet(gj, gRef) {
		from := bj.IssuedAt
		if bj.NotBefore != nil {
			from = bj.NotBefore
		}
		add("clock-skew", wDecisive, "The token is not valid yet by the server's clock",
			fmt.Sprintf("The failing request's token is valid from %s, %s after the server's clock (%s): the issuer's and the server's clocks disagree. The working request's token was already valid.",
				from.UTC().Format(time.RFC3339), jar.RoundDuration(from.Sub(bRef)), bRef.UTC().Format(time.RFC3339)))
	}
	if ga, ba := x.mapClaims(gj.Audience), bj.Audience; !sameSet(ga, ba) {
		add("token-audience-mismatch", wDecisive-1, "The token is for another audience",
			fmt.Sprintf("The working request's token was issued for %s, the failing one's for %s.", quoteList(gj.Audience), quoteList(bj.Audience)))
	}
	if gi, bi := x.mapClaim(gj.Issuer), bj.Issuer; gi != bi {
		add("token-audience-mismatch", wStrong, "The token comes from another issuer",
			fmt.Sprintf("The working request's token was issued by %s, the failing one's by %s (another tenant or environment).", quoteList([]string{gj.Issuer}), quoteList([]string{bj.Issuer})))
	}
	if missing := without(gj.Scopes, bj.Scopes); len(missing) > 0 {
		add("insufficient-scope", wDecisive-2, "The token lacks scopes",
			fmt.Sprintf("The working request's token had the scopes %s that the failing one's lacks.", quoteList(missing)))
	}
	if missing := without(gj.Roles, bj.Roles); len(missing) > 0 {
		add("insufficient-permissions", wStrong, "The token lacks roles",
			fmt.Sprintf("The working request's token had the roles %s that the failing one's lacks.", quoteList(missing)))
	}
	for _, claim := range []string{"acr", "amr"} {
		if gv, bv := fmt.Sprint(gj.Claims[claim]), fmt.Sprint(bj.Claims[claim]); gv != bv {
			add("step-up-required", wDecisive-3, "Another authentication level",
				fmt.Sprintf("The token's %s claim was %s in the working request and %s in the failing one: the API wants a stronger sign-in.", claim, redact.Text(claimText(gj.Claims[claim])), redact.Text(claimText(bj.Claims[claim]))))
			break
		}
	}
	return out
}

// mapClaims rewrites the good trace's origins in claim values (aud, iss)
// to the bad trace's through the host mapping, so that staging and
// production tokens compare on what differs besides the host.
func (x *diffContext) mapClaims(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = x.mapClaim(v)
	}
	return out
}

func (x *diffContext) mapClaim(v string) string {
	for _, h := range x.hosts {
		if h.Good == h.Bad {
			continue
		}
		if strings.HasPrefix(strings.ToLower(v), h.Good) {
			return h.Bad + v[len(h.Good):]
		}
	}
	return v
}

func claimText(v any) string {
	if v == nil {
		return "(absent)"
	}
	return fmt.Sprint(v)
}

func sameSet(a, b []string) bool {
	return len(without(a, b)) == 0 && len(without(b, a)) == 0
}

// without returns the items of a not in b.
func without(a, b []string) []string {
	var out []string
	for _, v := range a {
		if !slices.Contains(b, v) {
			out = append(out, v)
		}
	}
	return out
}

func quoteList(vs []string) string {
	if len(vs) == 0 {
		return "nothing"
	}
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = decode.QuoteName(redact.Text(v))
	}
	return strings.Join(q, ", ")
}

func schemeName(c *decode.Credentials) string {
	if c == nil || c.Scheme == "" {
		return "no scheme"
	}
	return c.Scheme
}

func authValue(e *har.Entry) string { return headerValue(e, "Authorization") }

func headerValue(e *har.Entry, name string) string {
	v, _ := har.HeaderValue(e.Request.Headers, name)
	return v
}

// ---------------------------------------------------------------- cookies

// sentCookies returns the cookies of a request: name → values in order.
func sentCookies(e *har.Entry) map[string][]string {
	out := map[string][]string{}
	for _, h := range jar.RequestCookieHeaders(e) {
		for _, c := range jar.ParseCookieHeader(h) {
			out[c.Name] = append(out[c.Name], c.Value)
		}
	}
	return out
}

func (x *diffContext) cookies(g, b int) []Difference {
	var out []Difference
	gSent, bSent := sentCookies(x.good.Entries[g]), sentCookies(x.bad.Entries[b])
	names := make([]string, 0, len(gSent))
	for n := range gSent {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		loc := har.RequestCookie(name)
		if _, ok := bSent[name]; !ok {
			if jar.IsTracking(name) {
				out = append(out, Difference{Kind: KindNoise, Noise: true, Title: "Analytics cookie " + name + " sent only in the working trace",
					Explanation: "A tracking, consent or load-balancer cookie: no sign-in depends on it."})
				continue
			}
			out = append(out, x.cookieMissing(g, b, name, loc))
			continue
		}
		if d, ok := x.staleCookie(b, name, bSent[name]); ok {
			out = append(out, d)
			continue
		}
		if !x.c.sameSecret(strings.Join(gSent[name], "\x00"), strings.Join(bSent[name], "\x00")) {
			out = append(out, Difference{Kind: KindNoise, Noise: true, Weight: wNoise,
				Title:       "Cookie " + name + " has another value",
				Explanation: "Both requests sent the cookie with different values (compared by keyed hash): expected between two sign-ins.",
				Evidence:    []Evidence{x.ev("good", g, loc, redact.CookieValue(gSent[name][0])), x.ev("bad", b, loc, redact.CookieValue(bSent[name][0]))}})
		}
	}
	for name := range bSent {
		if _, ok := gSent[name]; !ok && !jar.IsTracking(name) {
			out = append(out, Difference{Kind: KindCookie, Weight: wMinor,
				Title:       "Cookie " + name + " sent only in the failing trace",
				Explanation: "The failing request carried a cookie the working one did without.",
				Evidence:    []Evidence{x.ev("bad", b, har.RequestCookie(name), redact.CookieValue(bSent[name][0]))}})
		}
	}
	return out
}

// cookieMissing explains a cookie the working request sent and the
// failing one did not, from the failing trace's cookie timeline: refused
// when set, not sent by the browser's rules, expired, cleared, never set.
func (x *diffContext) cookieMissing(g, b int, name string, loc har.Location) Difference {
	d := Difference{Kind: KindCookie, Weight: wLikely, Title: "Cookie " + name + " was not sent in the failing trace"}
	setIn := ""
	for _, ev := range x.good.Cookies().Timeline(name) {
		if ev.Kind == jar.CookieEventSent && ev.Entry == g {
			d.Evidence = append(d.Evidence, x.ev("good", g, loc, ev.Value))
			if ev.SetAt >= 0 {
				setIn = fmt.Sprintf(" In the working trace it was set by entry %d", ev.SetAt)
				if sev := setEvent(x.good.Cookies().Timeline(name), ev.SetAt); sev != nil {
					setIn += " with " + redact.Text(sev.Attributes)
					d.Evidence = append(d.Evidence, x.ev("good", ev.SetAt, har.ResponseHeader("Set-Cookie"), redact.Text(sev.Attributes)))
				}
				setIn += "."
			}
		}
	}
	d.Explanation = "The working request sent the cookie " + name + "; the failing one did not."
	bStart := x.bad.Entries[b].StartedDateTime
	var rejected, missing, expired, cleared *jar.CookieEvent
	everSet := false
	for _, ev := range x.bad.Cookies().Timeline(name) {
		ev := ev
		if ev.Entry != b && x.bad.Entries[ev.Entry].StartedDateTime.After(bStart) {
			break
		}
		switch ev.Kind {
		case jar.CookieEventRejected:
			rejected = &ev
		case jar.CookieEventMissing:
			if ev.Entry == b {
				missing = &ev
			}
		case jar.CookieEventExpired:
			if ev.Entry == b {
				expired = &ev
			}
		case jar.CookieEventCleared:
			cleared = &ev
		case jar.CookieEventSet, jar.CookieEventChanged:
			everSet = true
		}
	}
	switch {
	case rejected != nil:
		d.Cause, d.Weight = "cookie-rejected", wDecisive-1
		d.Title = "The browser refused cookie " + name
		d.Explanation += fmt.Sprintf(" The failing trace's entry %d set it, but the browser refused it: %s.", rejected.Entry, strings.TrimSuffix(redact.Text(rejected.Reason), "."))
		d.Evidence = append(d.Evidence, x.ev("bad", rejected.Entry, har.ResponseHeader("Set-Cookie"), redact.Text(rejected.Attributes)))
	case missing != nil:
		d.Cause, d.Weight = "cookie-not-sent", wDecisive-1
		d.Explanation += " The browser held it but did not send it: " + strings.TrimSuffix(redact.Text(missing.Reason), ".") + "."
		d.Evidence = append(d.Evidence, x.ev("bad", b, loc, "absent: "+redact.Text(missing.Reason)))
	case expired != nil:
		d.Cause, d.Weight = "expired-token", wStrong
		d.Explanation += " It had run out: " + strings.TrimSuffix(redact.Text(expired.Reason), ".") + "."
		d.Evidence = append(d.Evidence, x.ev("bad", b, loc, "absent: expired"))
	case cleared != nil:
		d.Weight = wLikely
		d.Explanation += fmt.Sprintf(" The server cleared it at entry %d (a sign-out or a rejected session).", cleared.Entry)
		d.Evidence = append(d.Evidence, x.ev("bad", cleared.Entry, har.ResponseHeader("Set-Cookie"), redact.Text(cleared.Attributes)))
	case !everSet:
		d.Weight = wLikely
		d.Explanation += " No response of the failing trace set it: the sign-in that sets it did not happen, or happened outside the recording."
		d.Evidence = append(d.Evidence, x.ev("bad", b, loc, "absent"))
	default:
		d.Evidence = append(d.Evidence, x.ev("bad", b, loc, "absent"))
	}
	if !jar.CookieLooksLikeSession(name) && d.Cause == "" {
		d.Weight -= 20
	}
	d.Explanation += setIn
	return d
}

func setEvent(tl []jar.CookieEvent, entry int) *jar.CookieEvent {
	for k := range tl {
		if tl[k].Entry == entry && (tl[k].Kind == jar.CookieEventSet || tl[k].Kind == jar.CookieEventChanged) {
			return &tl[k]
		}
	}
	return nil
}

// staleCookie reports a cookie the failing request sent twice or with a
// value the server had already replaced or cleared.
func (x *diffContext) staleCookie(b int, name string, values []string) (Difference, bool) {
	for _, ev := range x.bad.Cookies().ForEntry(b) {
		if ev.Name != name || ev.Kind != jar.CookieEventSent {
			continue
		}
		if ev.Duplicate || ev.StaleOf >= 0 || len(values) > 1 {
			why := "the request carried it more than once"
			if ev.StaleOf >= 0 {
				why = fmt.Sprintf("entry %d had replaced or cleared the value it carried", ev.StaleOf)
			}
			if r := redact.Text(ev.Reason); r != "" {
				why = strings.TrimSuffix(r, ".")
			}
			return Difference{Kind: KindCookie, Cause: "stale-cookie", Weight: wDecisive - 1,
				Title:       "The failing request sent an outdated cookie " + name,
				Explanation: "The working request sent one current value of " + name + "; in the failing one, " + why + ".",
				Evidence:    []Evidence{x.ev("bad", b, har.RequestCookie(name), fmt.Sprintf("%d value(s): %s", len(values), redact.CookieValue(values[0])))}}, true
		}
	}
	return Difference{}, false
}

// ---------------------------------------------------------------- on the way

func (x *diffContext) redirects(g, b int) []Difference {
	gc, bc := x.good.RedirectChain(g), x.bad.RedirectChain(b)
	gOrig, bOrig := x.chainOrigins(x.good, gc, true), x.chainOrigins(x.bad, bc, false)
	if strings.Join(gOrig, " ") == strings.Join(bOrig, " ") {
		return nil
	}
	d := Difference{Kind: KindRedirect, Weight: wPossible, Title: "Another redirect path",
		Explanation: fmt.Sprintf("The working request was reached through %s, the failing one through %s.", chainWords(gOrig), chainWords(bOrig))}
	for _, k := range bc {
		d.Evidence = append(d.Evidence, x.ev("bad", k, har.At(har.PartRequestURL), redact.URL(x.bad.Entries[k].Request.URL)))
	}
	for _, o := range bOrig {
		if strings.HasPrefix(o, "http://") && !slices.ContainsFunc(gOrig, func(s string) bool { return strings.HasPrefix(s, "http://") }) {
			d.Cause, d.Weight = "wrong-url", wLikely
			d.Explanation += " The failing path went over plain http where the working one did not."
			break
		}
	}
	return []Difference{d}
}

// chainOrigins lists the origins of a redirect chain, the good trace's
// mapped to the bad trace's hosts.
func (x *diffContext) chainOrigins(t *trace.Trace, chain []int, good bool) []string {
	var out []string
	for _, k := range chain {
		o := t.Origin(k)
		if good {
			o = x.mapClaim(o)
		}
		if len(out) == 0 || out[len(out)-1] != o {
			out = append(out, o)
		}
	}
	return out
}

func chainWords(origins []string) string {
	if len(origins) <= 1 {
		return "no cross-origin redirect"
	}
	q := make([]string, len(origins))
	for i, o := range origins {
		q[i] = redact.URL(o)
	}
	return strings.Join(q, " → ")
}

// intermediaryHeaders are response headers that proxies, CDNs and
// firewalls add.
var intermediaryHeaders = []string{"Via", "X-Cache", "X-Cache-Lookup", "X-Squid-Error", "Proxy-Agent", "Proxy-Authenticate",
	"CF-Ray", "CF-Cache-Status", "X-Amz-Cf-Id", "X-Amz-Cf-Pop", "X-Iinfo", "X-CDN", "X-Served-By", "X-Sucuri-ID", "X-Azure-Ref",
	"X-Akamai-Transformed", "Akamai-GRN", "X-Powered-By-Plesk", "X-Barracuda", "X-Fastly-Request-ID"}

func (x *diffContext) intermediaries(g, b int) []Difference {
	var out []Difference
	ge, be := x.good.Entries[g], x.bad.Entries[b]
	var added []string
	var evs []Evidence
	for _, h := range intermediaryHeaders {
		bv, bok := har.HeaderValue(be.Response.Headers, h)
		if !bok {
			continue
		}
		if gv, gok := har.HeaderValue(ge.Response.Headers, h); gok && (h != "Via" || sameVia(gv, bv)) {
			continue
		}
		added = append(added, h)
		evs = append(evs, x.ev("bad", b, har.ResponseHeader(h), redact.Header(h, bv)))
	}
	if gs, bs := serverHeader(ge), serverHeader(be); bs != "" && gs != "" && !strings.EqualFold(gs, bs) {
		added = append(added, "Server")
		evs = append(evs, x.ev("good", g, har.ResponseHeader("Server"), redact.Text(gs)), x.ev("bad", b, har.ResponseHeader("Server"), redact.Text(bs)))
	}
	if len(added) > 0 {
		d := Difference{Kind: KindIntermediary, Weight: wPossible, Evidence: evs,
			Title:       "Something else answered or relayed the failing request",
			Explanation: fmt.Sprintf("The failing response carries %s that the working one does not: a proxy, CDN or firewall sits in its path.", strings.Join(added, ", "))}
		ba := x.bad.Auth(b)
		switch {
		case len(ba.ProxyChallenges) > 0 || trace.EffectiveStatus(be) == 407:
			d.Cause, d.Weight = "proxy-auth-required", wStrong
			d.Explanation += " It asked the browser to sign in to the proxy."
		case ba.Credentials != nil && trace.EffectiveStatus(be) == 401 && x.good.Auth(g).Credentials != nil:
			d.Cause, d.Weight = "proxy-stripped-authorization", wStrong+2
			d.Explanation += " The failing request left the browser with its Authorization header and was still answered 401 as if it carried none: the intermediary likely removed the header."
		}
		out = append(out, d)
	}
	known := map[string]bool{}
	for _, m := range x.good.Signatures(g) {
		known[m.ID] = true
	}
	for _, m := range x.bad.Signatures(b) {
		if known[m.ID] || m.Cause == "" {
			continue
		}
		out = append(out, Difference{Kind: KindIntermediary, Cause: m.Cause, Weight: wStrong + 3,
			Title:       "The failing response is a " + m.Vendor + " refusal",
			Explanation: fmt.Sprintf("The failing response matches the %s signature (%s); the working response does not.", m.Vendor, redact.Text(m.Meaning)),
			Evidence:    []Evidence{x.ev("bad", b, m.Where, redact.Text(m.Excerpt))}})
	}
	return out
}

func sameVia(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b)) }

// serverHeader is the product of the Server header without its version.
func serverHeader(e *har.Entry) string {
	v, _ := har.HeaderValue(e.Response.Headers, "Server")
	v, _, _ = strings.Cut(strings.TrimSpace(v), "/")
	return v
}

func (x *diffContext) serverAddress(g, b int) []Difference {
	gh, bh := x.good.Host(g), x.bad.Host(b)
	gip, bip := x.good.ServerIP(g), x.bad.ServerIP(b)
	if gip == "" || bip == "" || gip == bip || !strings.EqualFold(gh, bh) {
		return nil
	}
	return []Difference{{Kind: KindServerAddress, Cause: "dns-mismatch", Weight: wLikely,
		Title:       "The same host reached another server",
		Explanation: fmt.Sprintf("%s resolved to %s in the working trace and to %s in the failing one: another server, data centre or an outdated DNS entry.", redact.Text(gh), gip, bip),
		Evidence:    []Evidence{x.ev("good", g, har.At(har.PartServerAddress), gip), x.ev("bad", b, har.At(har.PartServerAddress), bip)}}}
}

func (x *diffContext) cors(g, b int) []Difference {
	var out []Difference
	bp, gp := x.preflight(x.bad, b), x.preflight(x.good, g)
	if bp >= 0 && outcomeOf(x.bad.Entries[bp]) == OutcomeRefused && (gp < 0 || outcomeOf(x.good.Entries[gp]) == OutcomeOK) {
		out = append(out, Difference{Kind: KindCORS, Cause: "cors-preflight-auth", Weight: wDecisive - 2,
			Title:       "The CORS preflight was refused",
			Explanation: fmt.Sprintf("Before the failing request the browser sent an OPTIONS preflight (entry %d) that was answered %d: preflights never carry credentials, so the server must answer them without asking for any.", bp, x.bad.Entries[bp].Response.Status),
			Evidence:    []Evidence{x.ev("bad", bp, har.At(har.PartResponseStatus), fmt.Sprint(x.bad.Entries[bp].Response.Status))}})
	}
	if cf, ok := x.bad.CORSFailureOf(b); ok {
		if _, gok := x.good.CORSFailureOf(g); !gok {
			out = append(out, Difference{Kind: KindCORS, Cause: "cors-misconfigured", Weight: wStrong,
				Title:       "The browser blocked the failing cross-origin call",
				Explanation: fmt.Sprintf("The failing call from %s was blocked by the browser's CORS check (%s); the working one was not.", redact.Text(cf.Origin), redact.Text(cf.FailedText)),
				Evidence:    []Evidence{x.ev("bad", b, har.At(har.PartResponseFailure), redact.Text(cf.FailedText))}})
		}
	}
	return out
}

// preflight returns the OPTIONS preflight just before entry i (same URL),
// or -1.
func (x *diffContext) preflight(t *trace.Trace, i int) int {
	order := t.TimeOrder()
	pos := slices.Index(order, i)
	for k := pos - 1; k >= 0 && k >= pos-8; k-- {
		e := t.Entries[order[k]]
		if e.Request.Method == "OPTIONS" && e.Request.URL == t.Entries[i].Request.URL {
			return order[k]
		}
	}
	return -1
}

// ---------------------------------------------------------------- the request itself

// noiseHeaders differ between any two recordings and never decide a refusal.
var noiseHeaders = map[string]bool{
	"date": true, "etag": true, "last-modified": true, "if-none-match": true, "if-modified-since": true, "age": true, "expires": true,
	"x-request-id": true, "x-correlation-id": true, "traceparent": true, "tracestate": true, "x-amzn-trace-id": true, "x-b3-traceid": true,
	"x-b3-spanid": true, "request-id": true, "x-trace-id": true, "cache-control": true, "pragma": true, "content-length": true,
	"x-runtime": true, "server-timing": true, "x-response-time": true, "nel": true, "report-to": true,
}

// clientHeaders describe the browser; they are compared once for the
// whole trace (client).
func clientHeader(name string) bool {
	n := strings.ToLower(name)
	return n == "user-agent" || strings.HasPrefix(n, "sec-ch-") || n == "accept-language"
}

var csrfHeaders = map[string]bool{"x-csrftoken": true, "x-csrf-token": true, "x-xsrf-token": true, "csrf-token": true, "x-wp-nonce": true, "requestverificationtoken": true}

func (x *diffContext) requestHeaders(g, b int) []Difference {
	var out []Difference
	be := x.bad.Entries[b]
	seen := map[string]bool{}
	for _, h := range x.good.Entries[g].Request.Headers {
		n := strings.ToLower(h.Name)
		if seen[n] || strings.HasPrefix(n, ":") || noiseHeaders[n] || clientHeader(n) || n == "authorization" || n == "proxy-authorization" || n == "cookie" ||
			n == "referer" || n == "origin" || n == "accept" || n == "accept-encoding" || n == "connection" || n == "host" || strings.HasPrefix(n, "sec-fetch-") || n == "upgrade-insecure-requests" {
			continue
		}
		seen[n] = true
		if _, ok := har.HeaderValue(be.Request.Headers, h.Name); ok {
			continue
		}
		d := Difference{Kind: KindRequestHeader, Weight: wPossible - 10,
			Title:       "Header " + h.Name + " sent only in the working trace",
			Explanation: fmt.Sprintf("The working request sent %s; the failing one did not (a proxy may strip it, or the client did not set it).", h.Name),
			Evidence:    []Evidence{x.ev("good", g, har.RequestHeader(h.Name), redact.Header(h.Name, h.Value)), x.ev("bad", b, har.RequestHeader(h.Name), "absent")}}
		switch {
		case csrfHeaders[n]:
			d.Cause, d.Weight = "csrf-failure", wDecisive-4
			d.Explanation = fmt.Sprintf("The working request sent the anti-forgery header %s; the failing one did not, so the server's CSRF check refused it.", h.Name)
		case redact.IsSecretHeader(h.Name):
			d.Cause, d.Weight = "missing-credentials", wStrong
			d.Explanation = fmt.Sprintf("The working request sent the credential header %s; the failing one did not.", h.Name)
		}
		out = append(out, d)
	}
	return out
}

func (x *diffContext) requestData(g, b int) []Difference {
	var out []Difference
	ge, be := x.good.Entries[g], x.bad.Entries[b]
	if _, bq := trace.AttackLookingPart(be); bq != "" {
		if _, gq := trace.AttackLookingPart(ge); gq == "" {
			where, _ := trace.AttackLookingPart(be)
			out = append(out, Difference{Kind: KindRequestData, Cause: "waf-block", Weight: wStrong + 4,
				Title:       "The failing request carries text a firewall blocks",
				Explanation: fmt.Sprintf("The failing request carries text a web application firewall reads as an attack (%s); the working request does not.", redact.Text(bq)),
				Evidence:    []Evidence{x.ev("bad", b, where, redact.Text(bq))}})
		}
	}
	gq, bq := queryValues(ge.Request.URL), queryValues(be.Request.URL)
	var changed, busters []string
	for name, gv := range gq {
		bv, ok := bq[name]
		if !ok || x.c.sameSecret(gv, bv) {
			continue
		}
		if IsCacheBuster(name) {
			busters = append(busters, name)
		} else {
			changed = append(changed, name)
		}
	}
	sort.Strings(changed)
	sort.Strings(busters)
	if len(changed) > 0 && len(out) == 0 {
		out = append(out, Difference{Kind: KindRequestData, Weight: wMinor,
			Title:       "Other query values",
			Explanation: fmt.Sprintf("The query parameters %s have other values in the failing request.", strings.Join(changed, ", ")),
			Evidence:    []Evidence{x.ev("good", g, har.At(har.PartRequestURL), redact.URL(ge.Request.URL)), x.ev("bad", b, har.At(har.PartRequestURL), redact.URL(be.Request.URL))}})
	}
	if len(busters) > 0 {
		out = append(out, Difference{Kind: KindNoise, Noise: true, Title: "Cache busters differ",
			Explanation: fmt.Sprintf("The query parameters %s only defeat caches.", strings.Join(busters, ", "))})
	}
	return out
}

func queryValues(raw string) map[string]string {
	out := map[string]string{}
	u, err := url.Parse(raw)
	if err != nil {
		return out
	}
	for k, vs := range u.Query() {
		out[k] = strings.Join(vs, "\x00")
	}
	return out
}

// rateHeaders say a server counts requests.
var rateHeaders = []string{"Retry-After", "X-RateLimit-Remaining", "RateLimit-Remaining", "RateLimit", "X-RateLimit-Reset"}

func (x *diffContext) rate(g, b int) []Difference {
	be := x.bad.Entries[b]
	st := trace.EffectiveStatus(be)
	limited := st == 429
	var evs []Evidence
	for _, h := range rateHeaders {
		if v, ok := har.HeaderValue(be.Response.Headers, h); ok {
			limited = limited || h == "Retry-After" || strings.TrimSpace(v) == "0"
			evs = append(evs, x.ev("bad", b, har.ResponseHeader(h), redact.Text(v)))
		}
	}
	if !limited {
		return nil
	}
	gn, bn := x.recentSame(x.good, g), x.recentSame(x.bad, b)
	d := Difference{Kind: KindRequestRate, Cause: "rate-limited", Weight: wStrong + 6,
		Title:       "The failing trace sent the request more often",
		Explanation: fmt.Sprintf("In the minute before, the failing trace sent this request %d time(s) and the working one %d; the server answered %d and counts requests.", bn, gn, st),
		Evidence:    append([]Evidence{x.ev("bad", b, har.At(har.PartResponseStatus), fmt.Sprint(st))}, evs...)}
	if bn <= gn {
		d.Weight = wLikely
		d.Explanation = fmt.Sprintf("The server answered the failing request %d: it counts requests (the client, its network or its account went over a limit).", st)
	}
	return []Difference{d}
}

// recentSame counts the requests with i's key in the minute up to i.
func (x *diffContext) recentSame(t *trace.Trace, i int) int {
	_, key := Template(t.Entries[i].Request.Method, t.Entries[i].Request.URL)
	at := t.Entries[i].StartedDateTime
	n := 0
	for _, k := range t.TimeOrder() {
		e := t.Entries[k]
		if e.StartedDateTime.After(at) {
			break
		}
		if at.Sub(e.StartedDateTime) > time.Minute {
			continue
		}
		if _, kk := Template(e.Request.Method, e.Request.URL); kk == key {
			n++
		}
	}
	return n
}

// clockOffset is how far the server's Date is from the client's start
// time of entry i; ok is false without a Date header or a start time.
func clockOffset(t *trace.Trace, i int) (time.Duration, bool) {
	e := t.Entries[i]
	v, ok := har.HeaderValue(e.Response.Headers, "Date")
	if !ok || e.StartedDateTime.IsZero() {
		return 0, false
	}
	d, err := trace.HTTPDate(v)
	if err != nil {
		return 0, false
	}
	return d.Sub(e.StartedDateTime), true
}

// clock reports a client clock that disagrees with the server's in the
// failing trace only: time-based sign-ins (one-time codes, signed links,
// cookies with Expires, tokens minted on the client) then fail.
func (x *diffContext) clock(g, b int) []Difference {
	const tolerance = 2 * time.Minute
	bo, ok := clockOffset(x.bad, b)
	if !ok || bo.Abs() <= tolerance {
		return nil
	}
	if gofs, ok := clockOffset(x.good, g); ok && gofs.Abs() > tolerance {
		return nil
	}
	dir := "ahead of"
	if bo < 0 {
		dir = "behind"
	}
	return []Difference{{Kind: KindClock, Cause: "clock-skew", Weight: wPossible,
		Title:       "The failing client's clock disagrees with the server's",
		Explanation: fmt.Sprintf("In the failing trace the server's Date is %s %s the client's clock; in the working trace the two agree. Anything checked against time (one-time codes, signed links, token lifetimes, cookie expiry) can fail.", jar.RoundDuration(bo.Abs()), dir),
		Evidence:    []Evidence{x.ev("bad", b, har.ResponseHeader("Date"), redact.Text(responseHeader(x.bad.Entries[b].Response.Headers, "Date"))), x.ev("bad", b, har.At(har.PartStartedDateTime), x.bad.Entries[b].StartedDateTime.UTC().Format(time.RFC3339))}}}
}

func responseHeader(hs []har.Header, name string) string {
	v, _ := har.HeaderValue(hs, name)
	return v
}

// ---------------------------------------------------------------- whole traces

func (x *diffContext) client() []Difference {
	gu, bu := firstHeader(x.good, "User-Agent"), firstHeader(x.bad, "User-Agent")
	if gu.value == "" || bu.value == "" || gu.value == bu.value {
		return nil
	}
	return []Difference{{Kind: KindClient, Weight: wMinor,
		Title:       "Another browser or client",
		Explanation: fmt.Sprintf("The working trace was recorded with %s, the failing one with %s. Browsers differ in cookie and redirect rules.", redact.Text(gu.value), redact.Text(bu.value)),
		Evidence:    []Evidence{x.ev("good", gu.entry, har.RequestHeader("User-Agent"), redact.Text(gu.value)), x.ev("bad", bu.entry, har.RequestHeader("User-Agent"), redact.Text(bu.value))}}}
}

type found struct {
	entry int
	value string
}

func firstHeader(t *trace.Trace, name string) found {
	for _, i := range t.TimeOrder() {
		if v, ok := har.HeaderValue(t.Entries[i].Request.Headers, name); ok && v != "" {
			return found{i, v}
		}
	}
	return found{-1, ""}
}

// noise folds the differences every two recordings have into one item.
func (x *diffContext) noise(pairs [][2]int) []Difference {
	names := map[string]bool{}
	for _, p := range pairs {
		ge, be := x.good.Entries[p[0]], x.bad.Entries[p[1]]
		for _, side := range [][2][]har.Header{{ge.Request.Headers, be.Request.Headers}, {ge.Response.Headers, be.Response.Headers}} {
			for _, h := range side[0] {
				if !noiseHeaders[strings.ToLower(h.Name)] {
					continue
				}
				if v, ok := har.HeaderValue(side[1], h.Name); ok && v != h.Value {
					names[strings.ToLower(h.Name)] = true
				}
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	sort.Strings(list)
	return []Difference{{Kind: KindNoise, Noise: true, Weight: wNoise,
		Title:       "Timestamps, validators and request IDs differ",
		Explanation: "These headers differ between any two recordings: " + strings.Join(list, ", ") + "."}}
}
