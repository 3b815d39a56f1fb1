package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
	"authlens/har"
)

// DNSMismatch is the `dns-mismatch` cause.
var DNSMismatch = &analysis.Rule{
	ID:    "dns-mismatch",
	Title: "One host name reached different servers",
	Doc:   "The same host name resolved to different servers during the trace, and the failures come from one of them (an old address after a move, a stale hosts-file entry).",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Flush the DNS cache (Windows: ipconfig /flushdns; macOS: sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder; Linux: resolvectl flush-caches) and check the hosts file for an entry for this host; then reload."},
		{Who: trace.Admin, Step: "Check the DNS records for this host after a migration: every address it resolves to must serve the site with the same sign-in."},
	},
	Run:     runDNSMismatch,
	RuleOut: ruleOutDNSMismatch,
}

// ipTally holds one address's successful and failed entries for a host.
type ipTally struct{ ok, bad []int }

func runDNSMismatch(p *analysis.Pass) {
	t := p.Trace
	if t.BehindExplicitProxy() {
		return // serverIPAddress is the proxy's
	}
	byHost := map[string]map[string]*ipTally{}
	for _, i := range t.TimeOrder() {
		host := t.Host(i)
		if len(t.HostIPs(host)) < 2 || t.ServerIP(i) == "" {
			continue
		}
		byIP := byHost[host]
		if byIP == nil {
			byIP = map[string]*ipTally{}
			byHost[host] = byIP
		}
		tl := byIP[t.ServerIP(i)]
		if tl == nil {
			tl = &ipTally{}
			byIP[t.ServerIP(i)] = tl
		}
		st := t.Entries[i].Response.Status
		switch {
		case t.AuthFailure(i):
			tl.bad = append(tl.bad, i)
		case st >= 200 && st < 400:
			tl.ok = append(tl.ok, i)
		}
	}
	for _, host := range slices.Sorted(maps.Keys(byHost)) {
		byIP := byHost[host]
		// Failures only on one address, successes only on others.
		var badIP string
		for ip, tl := range byIP {
			if len(tl.bad) > 0 {
				if badIP != "" || len(tl.ok) > 0 {
					badIP = "-"
				} else {
					badIP = ip
				}
			}
		}
		if badIP == "" || badIP == "-" {
			continue
		}
		var goodIPs []string
		for _, ip := range t.HostIPs(host) {
			if tl := byIP[ip]; ip != badIP && tl != nil && len(tl.ok) > 0 {
				goodIPs = append(goodIPs, ip)
			}
		}
		if len(goodIPs) == 0 {
			continue
		}
		for _, i := range byIP[badIP].bad {
			f := analysis.Finding{Entry: i, Confidence: 0.45,
				Explanation: fmt.Sprintf("%s reached several servers in this trace, and every failure came from %s while requests to %s succeeded: the client may be using an old address for the host.", host, badIP, strings.Join(goodIPs, ", ")),
				Evidence:    []trace.Evidence{trace.EvidenceAt(i, har.At(har.PartServerAddress), badIP), trace.EvidenceAt(byIP[goodIPs[0]].ok[0], har.At(har.PartServerAddress), goodIPs[0]+" (answered successfully)")}}
			// The very same request (method, URL, credentials) succeeding on
			// another address rules out the request itself and the account's
			// rights: only the server it reached differs.
			if twin, twinIP := identicalSuccess(t, i, goodIPs, byIP); twin >= 0 {
				f.Confidence = 0.8
				f.Explanation = fmt.Sprintf("%s reached several servers in this trace. Every failure came from %s, and the identical request (same URL and credentials) in entry %d succeeded on %s: the client is probably using an old address for the host.", host, badIP, twin, twinIP)
				f.Evidence = []trace.Evidence{trace.EvidenceAt(i, har.At(har.PartServerAddress), badIP), trace.EvidenceAt(twin, har.At(har.PartServerAddress), twinIP+" (the same request answered successfully)")}
			}
			f.Remedy = []trace.Step{
				{Who: trace.User, Step: fmt.Sprintf("Flush the DNS cache (Windows: ipconfig /flushdns; macOS: sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder; Linux: resolvectl flush-caches) and look for %s in the hosts file; then reload: it should answer from %s.", host, goodIPs[0])},
				{Who: trace.Admin, Step: fmt.Sprintf("Check the DNS records of %s: %s answers differently from %s. Remove or fix the old address.", host, badIP, strings.Join(goodIPs, ", "))},
				t.SendTo(i, "the site's administrator", fmt.Sprintf("%s at %s refuses me while %s works.", host, badIP, goodIPs[0])),
			}
			p.Report(f)
		}
	}
}

// identicalSuccess finds a successful request on one of goodIPs with the
// same method, URL, Authorization and Cookie as entry i.
func identicalSuccess(t *trace.Trace, i int, goodIPs []string, byIP map[string]*ipTally) (int, string) {
	e := t.Entries[i]
	key := func(x *har.Entry) string {
		return strings.ToUpper(x.Request.Method) + " " + trace.NormalizedURL(x.Request.URL) + "\x00" +
			strings.Join(har.HeaderValues(x.Request.Headers, "Authorization"), "\x00") + "\x00" + strings.Join(jar.RequestCookieHeaders(x), "; ")
	}
	want := key(e)
	for _, ip := range goodIPs {
		for _, j := range byIP[ip].ok {
			if key(t.Entries[j]) == want {
				return j, ip
			}
		}
	}
	return -1, ""
}

// ruleOutDNSMismatch: every request to this host went to one address.
func ruleOutDNSMismatch(t *trace.Trace, i int) (string, bool) {
	ip := t.ServerIP(i)
	if ip == "" || strings.EqualFold(ip, t.Host(i)) {
		return "", false // opened by address: no name was resolved
	}
	ips := t.HostIPs(t.Host(i))
	if len(ips) != 1 || ips[0] != ip {
		return "", false
	}
	return fmt.Sprintf("Same server: every request to %s in the trace went to %s.", t.Host(i), ip), true
}
