package rules

import (
	"fmt"
	"strings"

	"authlens/analysis"
	"authlens/analysis/signatures"
	"authlens/analysis/trace"
	"authlens/har"
)

// WAFBlock is the `waf-block` cause (catalogue §3.4).
var WAFBlock = &analysis.Rule{
	ID:    "waf-block",
	Title: "Blocked by a web application firewall",
	Doc:   "A web application firewall or CDN security layer blocked the request.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Send the site owner the reference ID shown on the block page, the time and the address you opened."},
		{Who: trace.User, Step: "Try again without a VPN and with browser extensions turned off (a private window), in case they triggered the rule.", Browser: true},
		{Who: trace.Admin, Step: "Find the firewall event by its reference ID, see which rule matched, and add a narrow exception for this URL or parameter. Do not turn the firewall off."},
	},
	Run:     runWAFBlock,
	RuleOut: ruleOutWAFBlock,
}

func runWAFBlock(p *analysis.Pass) {
	t := p.Trace
	for i, e := range t.Entries {
		ms := t.Signatures(i)
		if m, ok := trace.SignatureFor(ms, "waf-block"); ok {
			conf := m.Confidence
			if m.Cause != "waf-block" {
				conf -= 0.05 // the page names a more specific cause first (a ban, a rate limit)
			}
			p.Report(analysis.Finding{
				Entry: i, Confidence: conf,
				Explanation: wafExplanation(m, e.Response.Status),
				Evidence:    []trace.Evidence{trace.SignatureEvidence(i, m)},
				Remedy:      wafSteps(m, trace.RequestLabel(e), e.StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC")),
			})
			continue
		}
		st := e.Response.Status
		if st != 403 && st != 406 || len(ms) > 0 {
			continue
		}
		if _, _, ok := trace.ParseIISSubStatus(t.Body(i)); ok {
			continue
		}
		where, attack := trace.AttackLookingPart(e)
		if attack == "" {
			continue
		}
		server := trace.PlainServerPage(e, t.Body(i))
		expl := fmt.Sprintf("The request contains text that firewall rule sets block (%s), and the answer is a plain %d", attack, st)
		if server != "" {
			expl += fmt.Sprintf(" (%s's own error page)", server)
		}
		expl += ". ModSecurity with the OWASP Core Rule Set and cloud WAFs answer exactly like this; the site's application never saw the request."
		p.Report(analysis.Finding{
			Entry: i, Confidence: 0.58,
			Explanation: expl,
			Evidence:    []trace.Evidence{{Entry: i, Where: where, Detail: attack}},
			Remedy: append(wafUserSteps(where, trace.HostOf(e)),
				trace.Step{Who: trace.Admin, Step: fmt.Sprintf("Look in the firewall log (ModSecurity: the Apache/nginx error log or modsec_audit.log, e.g. rule 949110 anomaly score) for %s at %s; add a narrow exception (SecRuleUpdateTargetById / ctl:ruleRemoveTargetById) for this parameter if the request is legitimate.", trace.RequestLabel(e), e.StartedDateTime.UTC().Format("15:04:05 UTC"))},
				trace.Step{Who: trace.Developer, Step: "If the application must accept such text, send it in a request body field that the firewall exceptions cover, encoded."},
			),
		})
	}
}

// wafUserSteps is what the user can do about attack-looking text, by
// where it was: text they typed, or a cookie the site's own page stored.
func wafUserSteps(where har.Location, host string) []trace.Step {
	if where == har.RequestHeader("Cookie") {
		return []trace.Step{{Who: trace.User, Step: fmt.Sprintf("A cookie of %s holds the blocked text (often a saved filter or search): delete this site's cookies (browser settings → cookies for %s), sign in again and retry; it should load.", host, host), Browser: true}}
	}
	return []trace.Step{{Who: trace.User, Step: "If you typed or pasted code, quotes or special characters into the form or address, remove them and try again."}}
}

func wafExplanation(m signatures.SignatureMatch, status int) string {
	s := fmt.Sprintf("%s: %s.", m.Vendor, m.Meaning)
	if status >= 200 && status < 400 {
		s += fmt.Sprintf(" It arrived with status %d, so it looks like success to scripts and monitors, but the page is the firewall's.", status)
	}
	if m.Proxy {
		s += " This is the network's security layer, not the website's: the site never saw the request."
	}
	if m.Reference != "" {
		s += fmt.Sprintf(" The %s is %s — it is what the admin needs to find the event.", m.RefName, m.Reference)
	}
	return s
}

func wafSteps(m signatures.SignatureMatch, req, when string) []trace.Step {
	ref := "the time and the address"
	if m.Reference != "" {
		ref = fmt.Sprintf("the %s %s, the time (%s) and the address", m.RefName, m.Reference, when)
	}
	challenge := strings.Contains(m.ID, "challenge") || strings.Contains(m.ID, "captcha") || m.ID == "siteground" || m.ID == "vercel-checkpoint" || m.ID == "perimeterx"
	var steps []trace.Step
	if challenge {
		steps = append(steps,
			trace.Step{Who: trace.User, Step: "Open the address in a normal browser tab and complete the check (\"verify you are human\"); then retry. Scripts, fetch/XHR calls and embedded frames cannot pass it.", Browser: true},
			trace.Step{Who: trace.Developer, Step: fmt.Sprintf("API calls cannot solve %s challenges: ask the admin to skip the challenge for this API path or for authenticated clients.", m.Vendor)},
		)
	}
	if m.Proxy {
		return append(steps,
			trace.Step{Who: trace.User, Step: "Try from another network (without the company proxy or VPN) to confirm the network is blocking it."},
			trace.Step{Who: trace.Admin, Step: fmt.Sprintf("Network admin: check the %s policy (access rules, URL category) that refused %s and allow it if it is legitimate.", m.Vendor, req)},
			trace.Step{Who: trace.User, Step: fmt.Sprintf("Send your IT department: \"%s blocked %s; %s.\"", m.Vendor, req, ref)},
		)
	}
	steps = append(steps,
		trace.Step{Who: trace.User, Step: "Try once more without a VPN and with extensions off (a private window): they often trigger firewall rules.", Browser: true},
		trace.Step{Who: trace.Admin, Step: fmt.Sprintf("In %s, look up the event by %s, see which rule matched, and add a narrow exception for this URL or parameter. Do not turn the firewall off.", m.Vendor, ref)},
		trace.Step{Who: trace.User, Step: fmt.Sprintf("Send the site owner: \"%s blocked my request %s; %s.\"", m.Vendor, req, ref)},
	)
	return steps
}

// ruleOutWAFBlock: no firewall or CDN fingerprint in the answer and
// nothing attack-like in the request.
func ruleOutWAFBlock(t *trace.Trace, i int) (string, bool) {
	if len(t.Signatures(i)) > 0 {
		return "", false
	}
	if _, attack := trace.AttackLookingPart(t.Entries[i]); attack != "" {
		return "", false
	}
	return "No firewall: the answer carries no WAF or CDN block page or header that AuthLens knows, and the request holds nothing that firewall rules block.", true
}
