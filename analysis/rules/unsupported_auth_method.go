package rules

import (
	"fmt"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/redact"
)

// UnsupportedAuthMethod is the `unsupported-auth-method` cause.
var UnsupportedAuthMethod = &analysis.Rule{
	ID:    "unsupported-auth-method",
	Title: "The server asks for a sign-in method this browser cannot use",
	Doc:   "The server only offers a sign-in method this client cannot do here — typically Windows integrated authentication (Negotiate/NTLM) outside the company network, a custom scheme, or a Digest algorithm the browser lacks — so the browser never answers the challenge.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Open the site from a computer and network where Windows integrated sign-in works: a domain-joined computer on the company network or VPN, with the site in the browser's intranet zone (or the AuthServerAllowlist policy). The page should then load without a 401."},
		{Who: trace.Admin, Step: "Also enable a sign-in method every client can use for this site (forms or OpenID Connect, or Basic over HTTPS), since not every browser or network supports integrated authentication."},
	},
	Run: runUnsupportedAuthMethod,
}

func runUnsupportedAuthMethod(p *analysis.Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		if !t.AuthFailure(i) || t.Entries[i].Response.Status != 401 {
			continue
		}
		if next := t.NextSameRequest(i); next >= 0 && t.Auth(next).Credentials != nil {
			continue // the client did answer (IIS shows 401.2 on every first leg)
		}
		if p.ReportIIS(i, 0.85, "") {
			continue
		}
		a := t.Auth(i)
		if a.Credentials != nil || len(a.Challenges) == 0 {
			continue
		}
		chs := a.Challenges
		f := analysis.Finding{Entry: i, Evidence: []trace.Evidence{t.ChallengeHeaderEvidence(i), t.CredentialEvidence(i)}}
		switch {
		case trace.OnlySchemes(chs, "negotiate", "ntlm"):
			if t.LaterWindowsAuth(i) {
				continue
			}
			f.Confidence = 0.7
			f.Explanation = fmt.Sprintf("The server only offers Windows integrated sign-in (%s) and the browser never answered it: integrated authentication works only from a domain-joined computer, with the site trusted for it (intranet zone / AuthServerAllowlist), and not in every browser.", trace.DescribeChallenges(chs))
			f.Remedy = []trace.Step{
				{Who: trace.User, Step: fmt.Sprintf("Open %s from a domain-joined company computer, on the company network or VPN. The page should load without a prompt.", redact.URL(t.Entries[i].Request.URL))},
				{Who: trace.Admin, Step: fmt.Sprintf("Add %s to the browsers' intranet zone or AuthServerAllowlist policy, so they answer Negotiate/NTLM for it.", t.Host(i))},
				{Who: trace.Admin, Step: "Also enable a method every client can use for this site (forms or OpenID Connect, or Basic over HTTPS)."},
				t.SendTo(i, "the site's administrator", "The site only offers Windows integrated sign-in (Negotiate/NTLM), and my browser cannot use it from here."),
			}
		case trace.NoneStandard(chs):
			f.Confidence = 0.6
			f.Explanation = fmt.Sprintf("The server only offers a scheme browsers do not implement (%s): only the site's own client code can answer it.", trace.DescribeChallenges(chs))
			if ev, ok := t.OriginSessionSent(i); ok {
				// The app's own label for its cookie sign-in, which the
				// browser did use: not a method the browser lacks.
				f.Confidence = 0.25
				f.Explanation += fmt.Sprintf(" But this site signs in through cookies, and the request carried its session cookie %s (set at entry %d): the scheme is most likely the application's name for that cookie sign-in, not a method the browser is missing.", ev.Name, ev.SetAt)
				f.Evidence = append(f.Evidence, trace.SentCookieEvidence(ev))
			}
			f.Remedy = []trace.Step{
				{Who: trace.User, Step: "Use the application's own sign-in page or client rather than opening this address directly."},
				{Who: trace.Admin, Step: fmt.Sprintf("Offer a standard scheme (Basic over HTTPS, Bearer, forms) for clients that must reach %s directly.", t.Origin(i))},
			}
		case trace.DigestOnlyUnsupported(chs):
			alg := ""
			if c, ok := trace.FirstOf(chs, "Digest"); ok {
				alg, _ = c.Param("algorithm")
			}
			f.Confidence = 0.6
			f.Explanation = fmt.Sprintf("The server offers Digest only with algorithm %s, which browsers do not implement (they do MD5 and SHA-256).", alg)
			f.Remedy = []trace.Step{
				{Who: trace.Admin, Step: "Also offer Digest with algorithm=SHA-256 (and MD5 for old clients) in a second challenge; browsers pick the first one they support."},
			}
		case t.BrowserCannotAnswerAny(chs):
			f.Confidence = 0.6
			f.Explanation = fmt.Sprintf("Every sign-in method the server offers (%s) is one %s cannot answer here (Windows integrated sign-in, or a Digest algorithm it lacks), so the browser never showed a prompt.", trace.DescribeChallenges(chs), t.Browser())
			f.Remedy = []trace.Step{
				{Who: trace.Admin, Step: "Also offer a method every client can use for this site (Basic over HTTPS, Digest with algorithm=SHA-256, forms or OpenID Connect)."},
				t.SendTo(i, "the site's administrator", "The site only offers sign-in methods my browser cannot use."),
			}
		default:
			continue
		}
		f.Inferred = true
		if c := t.AuthAbsenceCaveat(); c != "" {
			// The browser's answer may be in a header the export removed.
			f.Confidence = min(f.Confidence, 0.45)
			f.Explanation += c
		}
		p.Report(f)
	}
}
