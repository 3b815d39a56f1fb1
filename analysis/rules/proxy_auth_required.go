package rules

import (
	"fmt"
	"strings"

	"authlens/analysis"
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/trace"
	"authlens/har"
)

// ProxyAuthRequired is the `proxy-auth-required` cause.
var ProxyAuthRequired = &analysis.Rule{
	ID:    "proxy-auth-required",
	Title: "The network proxy wants you to sign in",
	Doc:   "A forward proxy between the browser and the site (the company's web proxy) asked for credentials (407); the site itself never saw the request.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Enter your network (proxy) user name and password when the browser asks, or ask IT which credentials the proxy expects; then reload: the page should load.", Browser: true},
		{Who: trace.Admin, Step: "Configure the browser's proxy sign-in (PAC file, integrated Negotiate/NTLM to the proxy) so users are not prompted, or exempt this site from proxy authentication."},
	},
	Run:     runProxyAuthRequired,
	RuleOut: ruleOutProxyAuthRequired,
}

func runProxyAuthRequired(p *analysis.Pass) {
	t := p.Trace
	for _, i := range t.TimeOrder() {
		e := t.Entries[i]
		st := e.Response.Status
		switch {
		case st == 407:
			if ok, _ := t.AnsweredChallenge(i); ok {
				continue
			}
			a := t.Auth(i)
			proxy := trace.ProxyName(e)
			f := analysis.Finding{Entry: i, Confidence: 0.95,
				Evidence: []trace.Evidence{trace.EvidenceAt(i, har.At(har.PartResponseStatus), "407 Proxy Authentication Required")}}
			if vs := har.HeaderValues(e.Response.Headers, "Proxy-Authenticate"); len(vs) > 0 {
				f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.ResponseHeader("Proxy-Authenticate"), excerpt.Clip(strings.Join(vs, " | "), 300)))
			}
			if v, ok := har.HeaderValue(e.Response.Headers, "X-Squid-Error"); ok {
				f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.ResponseHeader("X-Squid-Error"), v))
			}
			schemes := trace.DescribeChallenges(a.ProxyChallenges)
			if a.ProxyCredentials != nil {
				f.Explanation = fmt.Sprintf("The proxy %s rejected the proxy credentials the browser sent (%s) and asked again (407, Proxy-Authenticate: %s).", proxy, a.ProxyCredentials.Masked, schemes)
				f.Evidence = append(f.Evidence, trace.EvidenceAt(i, har.RequestHeader("Proxy-Authorization"), a.ProxyCredentials.Masked))
			} else {
				f.Explanation = fmt.Sprintf("The proxy %s asked for proxy credentials (407, Proxy-Authenticate: %s) and the browser sent none; the site never saw the request.", proxy, schemes)
			}
			f.Remedy = proxySteps(t, i, proxy, schemes)
			p.Report(f)
		case st <= 0 || e.Failed() && st < 100:
			reason := e.FailureReason()
			conf := 0.0
			switch {
			case strings.Contains(reason, "ERR_PROXY_AUTH_UNSUPPORTED"), strings.Contains(reason, "ERR_PROXY_AUTH_REQUESTED"):
				conf = 0.85
			case strings.Contains(reason, "ERR_TUNNEL_CONNECTION_FAILED"):
				conf = 0.6
			case strings.Contains(reason, "ERR_PROXY_CONNECTION_FAILED"), strings.Contains(reason, "ERR_PROXY_CERTIFICATE_INVALID"):
				conf = 0.4
			default:
				continue
			}
			f := analysis.Finding{Entry: i, Confidence: conf,
				Explanation: fmt.Sprintf("The browser gave up before reaching the site with %s: for an https:// address, the proxy answers the CONNECT (which HARs do not record), and a 407 there shows up only like this.", reason),
				Evidence:    []trace.Evidence{trace.EvidenceAt(i, har.At(har.PartFailureText), reason)},
				Remedy:      proxySteps(t, i, "of your network", "")}
			p.Report(f)
		}
	}
}

func proxySteps(t *trace.Trace, i int, proxy, schemes string) []trace.Step {
	steps := []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("Enter your network (proxy) user name and password when the browser asks (the proxy %s wants %s); then reload: the page should load.", proxy, trace.OrWord(schemes, "credentials")), Browser: true},
		{Who: trace.User, Step: "If no prompt appears, ask IT which proxy credentials to use, or connect from a network that does not need the proxy, to confirm."},
		{Who: trace.Admin, Step: "Configure proxy sign-in for browsers (PAC file, integrated Negotiate/NTLM to the proxy) or exempt this destination from proxy authentication."},
		t.SendTo(i, "your IT helpdesk", fmt.Sprintf("The web proxy %s asks for authentication (407) and I cannot get through.", proxy)),
	}
	return steps
}

// ruleOutProxyAuthRequired: no proxy asked for credentials.
func ruleOutProxyAuthRequired(t *trace.Trace, i int) (string, bool) {
	e := t.Entries[i]
	if trace.EffectiveStatus(e) == 407 || len(t.Auth(i).ProxyChallenges) > 0 {
		return "", false
	}
	return fmt.Sprintf("Not the network proxy: the answer is %d, not 407, and carries no Proxy-Authenticate header.", trace.EffectiveStatus(e)), true
}
