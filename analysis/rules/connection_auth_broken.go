package rules

import (
	"fmt"
	"strings"

	"authlens/analysis"
	"authlens/analysis/entry"
	"authlens/analysis/trace"
	"authlens/har"
)

// ConnectionAuthBroken is the `connection-auth-broken` cause.
var ConnectionAuthBroken = &analysis.Rule{
	ID:    "connection-auth-broken",
	Title: "Windows sign-in handshake broken between connections",
	Doc:   "NTLM (and Negotiate falling back to NTLM) signs in a TCP connection, not a request: its messages must travel on one kept-alive connection. A proxy, load balancer, Connection: close or HTTP/2 split or broke the handshake, so it never completes.",
	Remedy: []trace.Step{
		{Who: trace.Admin, Step: "Make the proxy or load balancer keep each client connection paired with one server connection (connection affinity / NTLM pass-through), or bypass the proxy for this host."},
		{Who: trace.Admin, Step: "Serve the site over HTTP/1.1 for Windows authentication (NTLM does not work over HTTP/2) and do not send Connection: close on 401 responses."},
		{Who: trace.Admin, Step: "Prefer Kerberos (register the SPN for the host name users type) or a token-based sign-in, which do not depend on the connection."},
	},
	Run: runConnectionAuthBroken,
}

func runConnectionAuthBroken(p *analysis.Pass) {
	t := p.Trace
	reported := map[int]bool{}
	for _, j := range t.TimeOrder() {
		c := t.Auth(j).Credentials
		if c == nil || c.NTLM == nil || c.NTLM.Type != 1 || t.AnsweredBy(j) >= 0 {
			continue
		}
		ej := t.Entries[j]
		f := analysis.Finding{Entry: j, Evidence: []trace.Evidence{t.CredentialEvidence(j)}}
		var why []string
		k := t.NextSameRequest(j)
		if k >= 0 {
			ck := t.Auth(k).Credentials
			if ck != nil && ck.NTLM != nil && ck.NTLM.Type == 3 {
				if same, known := t.SameSocket(j, k); known && !same {
					f.Confidence = 0.9
					why = append(why, fmt.Sprintf("the type-1 message (entry %d) and the type-3 message (entry %d) went over different connections (%s vs %s), so the server could not tie them together", j, k, t.Socket(j), t.Socket(k)))
					f.Evidence = append(f.Evidence, trace.EvidenceAt(j, har.At(har.PartConnectionID), t.Socket(j)), trace.EvidenceAt(k, har.At(har.PartConnectionID), t.Socket(k)))
				}
			}
		}
		if v, ok := har.HeaderValue(ej.Response.Headers, "Connection"); ok && strings.EqualFold(strings.TrimSpace(v), "close") && ej.Response.Status == 401 {
			f.Confidence = max(f.Confidence, 0.8)
			why = append(why, "the server's type-2 answer said Connection: close, so the client had to send the type-3 message on a new connection")
			f.Evidence = append(f.Evidence, trace.EvidenceAt(j, har.ResponseHeader("Connection"), v))
		}
		if strings.HasPrefix(strings.ToUpper(ej.Request.HTTPVersion), "HTTP/2") || strings.EqualFold(ej.Request.HTTPVersion, "h2") {
			f.Confidence = max(f.Confidence, 0.7)
			why = append(why, "the handshake ran over HTTP/2, which NTLM does not support")
			f.Evidence = append(f.Evidence, trace.EvidenceAt(j, har.At(har.PartRequestVersion), ej.Request.HTTPVersion))
		}
		if n := t.NTLMRestarts(j); n >= 2 {
			f.Confidence = max(f.Confidence, 0.6)
			why = append(why, fmt.Sprintf("the handshake started over %d times without ever succeeding", n))
		}
		if len(why) == 0 {
			continue
		}
		if px := entry.ProxyEvident(ej); px != "" {
			why = append(why, "a proxy is in between ("+px+")")
			f.Evidence = append(f.Evidence, trace.EvidenceAt(j, har.At(har.PartResponseHeaders), px))
		}
		if strings.EqualFold(c.Scheme, "Negotiate") {
			why = append(why, "the client sent NTLM inside Negotiate, so Kerberos was not used (the site is reached by IP or an alias without an SPN, or from outside the domain)")
		}
		if strings.Contains(strings.ToLower(t.Log.Creator.Name), "authlens") {
			why = append(why, "this capture was made through AuthLens's own proxy, which can break NTLM by itself unless it pins each client connection to one upstream connection — if it only fails here, retry without the capture")
		}
		f.Explanation = "The NTLM handshake broke: " + strings.Join(why, "; ") + "."
		f.Remedy = connectionSteps(t, j, ej)
		// Every 401 of the broken handshake is part of the same failure.
		for _, x := range t.HandshakeLegs(j) {
			if reported[x] {
				continue
			}
			reported[x] = true
			g := f
			g.Entry = x
			p.Report(g)
		}
	}
}

func connectionSteps(t *trace.Trace, j int, e *har.Entry) []trace.Step {
	steps := []trace.Step{}
	if px := entry.ProxyEvident(e); px != "" {
		steps = append(steps, trace.Step{Who: trace.Admin, Step: fmt.Sprintf("The proxy in between (%s) must keep each client connection paired with one server connection for %s (NTLM pass-through / connection affinity), or let this host bypass it. After that, the page should load with 200.", px, t.Host(j))})
	} else {
		steps = append(steps, trace.Step{Who: trace.Admin, Step: fmt.Sprintf("Find what sits between the users and %s (load balancer, reverse proxy): it must keep client and server connections paired (affinity), or Windows sign-in breaks. After that, the page should load with 200.", t.Host(j))})
	}
	steps = append(steps,
		trace.Step{Who: trace.Admin, Step: "Serve the site over HTTP/1.1 for Windows authentication and do not answer 401 with Connection: close."},
		trace.Step{Who: trace.Admin, Step: fmt.Sprintf("Register a Kerberos SPN for %s (HTTP/%s) so browsers use Kerberos, which does not depend on the connection.", t.Host(j), t.Host(j))},
		t.SendTo(j, "the network or site administrator", "Windows sign-in (NTLM) never completes: the handshake is split across connections or closed in the middle."),
	)
	return steps
}
