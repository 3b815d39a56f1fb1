package analysis

import (
	"fmt"
	"strings"

	"authlens/analysis/decode"
)

// UnsupportedAuthMethod is the `unsupported-auth-method` cause.
var UnsupportedAuthMethod = &Rule{
	ID:    "unsupported-auth-method",
	Title: "The server asks for a sign-in method this browser cannot use",
	Doc:   "The server only offers a sign-in method this client cannot do here — typically Windows integrated authentication (Negotiate/NTLM) outside the company network, a custom scheme, or a Digest algorithm the browser lacks — so the browser never answers the challenge.",
	Remedy: []Step{
		{User, "Open the site from a computer and network where Windows integrated sign-in works: a domain-joined computer on the company network or VPN, with the site in the browser's intranet zone (or the AuthServerAllowlist policy). The page should then load without a 401."},
		{Admin, "Also enable a sign-in method every client can use for this site (forms or OpenID Connect, or Basic over HTTPS), since not every browser or network supports integrated authentication."},
	},
	Run:      runUnsupportedAuthMethod,
	Inferred: true,
}

// standardSchemes are the schemes browsers and common clients answer.
var standardSchemes = map[string]bool{"basic": true, "digest": true, "bearer": true, "negotiate": true, "ntlm": true, "dpop": true}

// browserDigestAlgorithms are the Digest algorithms browsers implement.
var browserDigestAlgorithms = map[string]bool{"": true, "md5": true, "md5-sess": true, "sha-256": true, "sha-256-sess": true}

func runUnsupportedAuthMethod(p *Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		if !t.authFailure(i) || t.Entries[i].Response.Status != 401 {
			continue
		}
		if next := t.nextSameRequest(i); next >= 0 && t.Auth(next).Credentials != nil {
			continue // the client did answer (IIS shows 401.2 on every first leg)
		}
		if p.reportIIS(i, 0.85, "") {
			continue
		}
		a := t.Auth(i)
		if a.Credentials != nil || len(a.Challenges) == 0 {
			continue
		}
		chs := a.Challenges
		f := Finding{Entry: i, Evidence: []Evidence{t.challengeHeaderEvidence(i), t.credentialEvidence(i)}}
		switch {
		case allSchemes(chs, "negotiate", "ntlm"):
			if t.laterWindowsAuth(i) {
				continue
			}
			f.Confidence = 0.7
			f.Explanation = fmt.Sprintf("The server only offers Windows integrated sign-in (%s) and the browser never answered it: integrated authentication works only from a domain-joined computer, with the site trusted for it (intranet zone / AuthServerAllowlist), and not in every browser.", describeChallenges(chs))
			f.Remedy = []Step{
				{User, fmt.Sprintf("Open %s from a domain-joined company computer, on the company network or VPN. The page should load without a prompt.", maskedURL(t.Entries[i].Request.URL))},
				{Admin, fmt.Sprintf("Add %s to the browsers' intranet zone or AuthServerAllowlist policy, so they answer Negotiate/NTLM for it.", t.Host(i))},
				{Admin, "Also enable a method every client can use for this site (forms or OpenID Connect, or Basic over HTTPS)."},
				t.sendTo(i, "the site's administrator", "The site only offers Windows integrated sign-in (Negotiate/NTLM), and my browser cannot use it from here."),
			}
		case noneStandard(chs):
			f.Confidence = 0.6
			f.Explanation = fmt.Sprintf("The server only offers a scheme browsers do not implement (%s): only the site's own client code can answer it.", describeChallenges(chs))
			if ev, ok := t.originSessionSent(i); ok {
				// The app's own label for its cookie sign-in, which the
				// browser did use: not a method the browser lacks.
				f.Confidence = 0.25
				f.Explanation += fmt.Sprintf(" But this site signs in through cookies, and the request carried its session cookie %s (set at entry %d): the scheme is most likely the application's name for that cookie sign-in, not a method the browser is missing.", ev.Name, ev.setAt)
				f.Evidence = append(f.Evidence, sentCookieEvidence(ev))
			}
			f.Remedy = []Step{
				{User, "Use the application's own sign-in page or client rather than opening this address directly."},
				{Admin, fmt.Sprintf("Offer a standard scheme (Basic over HTTPS, Bearer, forms) for clients that must reach %s directly.", t.Origin(i))},
			}
		case digestOnlyUnsupported(chs):
			alg := ""
			if c, ok := firstOf(chs, "Digest"); ok {
				alg, _ = c.Param("algorithm")
			}
			f.Confidence = 0.6
			f.Explanation = fmt.Sprintf("The server offers Digest only with algorithm %s, which browsers do not implement (they do MD5 and SHA-256).", alg)
			f.Remedy = []Step{
				{Admin, "Also offer Digest with algorithm=SHA-256 (and MD5 for old clients) in a second challenge; browsers pick the first one they support."},
			}
		case t.browserCannotAnswerAny(chs):
			f.Confidence = 0.6
			f.Explanation = fmt.Sprintf("Every sign-in method the server offers (%s) is one %s cannot answer here (Windows integrated sign-in, or a Digest algorithm it lacks), so the browser never showed a prompt.", describeChallenges(chs), t.Browser())
			f.Remedy = []Step{
				{Admin, "Also offer a method every client can use for this site (Basic over HTTPS, Digest with algorithm=SHA-256, forms or OpenID Connect)."},
				t.sendTo(i, "the site's administrator", "The site only offers sign-in methods my browser cannot use."),
			}
		default:
			continue
		}
		if c := t.authAbsenceCaveat(); c != "" {
			// The browser's answer may be in a header the export removed.
			f.Confidence = min(f.Confidence, 0.45)
			f.Explanation += c
		}
		p.Report(f)
	}
}

func allSchemes(chs []decode.Challenge, schemes ...string) bool {
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

func noneStandard(chs []decode.Challenge) bool {
	for _, c := range chs {
		if standardSchemes[strings.ToLower(c.Scheme)] {
			return false
		}
	}
	return len(chs) > 0
}

func digestOnlyUnsupported(chs []decode.Challenge) bool {
	seen := false
	for _, c := range chs {
		if !strings.EqualFold(c.Scheme, "Digest") {
			return false
		}
		alg, _ := c.Param("algorithm")
		if browserDigestAlgorithms[strings.ToLower(alg)] {
			return false
		}
		seen = true
	}
	return seen
}

// laterWindowsAuth reports whether a later request to the same origin
// answered with NTLM or Negotiate credentials (the client can do it).
func (t *Trace) laterWindowsAuth(i int) bool {
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

// browserCannotAnswerAny reports whether every challenge is one a browser
// cannot answer on its own: Windows integrated sign-in (Negotiate/NTLM,
// which needs a domain-joined machine and policy) or Digest with an
// algorithm browsers do not implement. Digest is only judged when the
// trace names a browser: tools such as curl do implement SHA-512-256.
func (t *Trace) browserCannotAnswerAny(chs []decode.Challenge) bool {
	for _, c := range chs {
		switch strings.ToLower(c.Scheme) {
		case "negotiate", "ntlm":
		case "digest":
			alg, _ := c.Param("algorithm")
			if !t.Browser().Known() || browserDigestAlgorithms[strings.ToLower(alg)] {
				return false
			}
		default:
			return false
		}
	}
	return len(chs) > 0
}
