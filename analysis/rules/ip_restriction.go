package rules

import (
	"fmt"
	"regexp"
	"strings"

	"authlens/analysis"
	"authlens/analysis/signatures"
	"authlens/analysis/trace"
	"authlens/har"
)

// IPRestriction is the `ip-restriction` cause (catalogue §3.3).
var IPRestriction = &analysis.Rule{
	ID:    "ip-restriction",
	Title: "Your network address is not allowed",
	Doc:   "The server refuses requests from your IP address, network or country.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Connect through the company VPN or from the network the site allows, and reload."},
		{Who: trace.Admin, Step: "Add the user's public IP address (or range) to the site's allow-list."},
		{Who: trace.User, Step: "Send the site admin your public IP address, the time and the address you opened."},
	},
	Run: runIPRestriction,
}

var ipRefusalText = regexp.MustCompile(`(?i)(?:your|client|remote|source)(?:'s)? ip(?: address)?[^.<]{0,60}(?:is not allowed|not permitted|denied|blocked|banned|has been blocked|rejected)|(?:not allowed|not available|blocked|restricted) (?:from|in) your (?:location|country|region|network)|access (?:from|to this \w+ from) your (?:country|region|location|network)[^.<]{0,40}(?:denied|blocked|restricted|not allowed)|ip address (?:rejected|denied)|geo-?(?:blocked|restricted)`)

func runIPRestriction(p *analysis.Pass) {
	t := p.Trace
	for i, e := range t.Entries {
		if row, ok := t.IISForEntry(i); ok && row.Cause == "ip-restriction" {
			p.Report(analysis.Finding{
				Entry: i, Confidence: 0.9,
				Explanation: row.Reason(),
				Evidence:    []trace.Evidence{trace.IISEvidence(i, row)},
				Remedy:      append(append([]trace.Step{}, row.Remedy...), ipSendStep(e)),
			})
			continue
		}
		if st := e.Response.Status; st < 400 && st > 0 {
			continue
		}
		ms := t.Signatures(i)
		if m, ok := trace.SignatureFor(ms, "ip-restriction"); ok {
			f := analysis.SignatureFinding(i, m, m.Confidence)
			if m.Cause != "ip-restriction" {
				f.Confidence -= 0.07 // the page is a firewall's or plugin's: that cause leads, this one explains it
			}
			f.Remedy = ipSteps(e, m.Vendor, m.RefName, m.Reference)
			p.Report(f)
			continue
		}
		if !trace.RefusalStatus(e.Response.Status) && e.Response.Status != 404 {
			continue
		}
		body := t.Body(i)
		// The hints are the expression's own phrases: "ip" alone is in
		// nearly every page ("description", "script").
		if len(ms) > 0 || len(body) > 32<<10 || !signatures.ContainsAnyHint(strings.ToLower(body), "your ip|client ip|remote ip|source ip|'s ip|ip address|your location|your country|your region|your network|geo") {
			body = ""
		}
		if loc := ipRefusalText.FindStringIndex(body); loc != nil {
			p.Report(analysis.Finding{
				Entry: i, Confidence: 0.8,
				Explanation: "The server's answer says your address, network or location is not allowed.",
				Evidence:    []trace.Evidence{trace.BodyEvidence(i, body, loc, "")},
				Remedy:      ipSteps(e, "", "", ""),
			})
			continue
		}
		if pr, ok := t.PlainRefusalOf(i); ok {
			conf := 0.35
			expl := "The server may refuse your address (an allow-list such as Apache's Require ip or nginx's allow/deny gives exactly this page). "
			ev := []trace.Evidence{{Entry: i, Where: har.At(har.PartResponseBody), Detail: fmt.Sprintf("%s's built-in 403 page, no reason given", pr.Server)}}
			switch {
			case pr.Attack != "":
				conf = 0.2
			case pr.Location.Prefix != "":
				// A file and its folder (or two resources of one folder)
				// Refused alike while other folders load: a rule for the
				// whole location, which is what an address allow-list is.
				conf = 0.55
				expl = fmt.Sprintf("Everything requested under %s/ got the same plain 403 (entries #%d and #%d) while other folders of the site were served (entry #%d): a refusal set for the whole location, such as Apache's Require ip or nginx's allow/deny, rather than one file's permissions. ",
					pr.Location.Prefix, min(i, pr.Location.Peer), max(i, pr.Location.Peer), pr.Location.Served)
				ev = append(ev, pr.Location.Evidence(t)...)
			case pr.ServedInside >= 0:
				conf = 0.22 // a file inside the refused folder is served to this address
			case pr.Outcomes.ServedSameFolder >= 0:
				conf = 0.22 // the same folder is served to this address
			case pr.UnservedLocation != "":
				// Nothing under this top-level folder was ever served while
				// the rest of the site was: the shape of a location refused
				// as a whole (nginx allow/deny, Apache Require ip).
				conf = 0.5
				expl = fmt.Sprintf("Nothing under %s/ was served in this trace while other parts of the site were, and the answer is %s's own 403 page, not the application's: a whole location refused by the server, such as nginx's allow/deny or Apache's Require ip, gives exactly this. A role check done by the server for that location (auth_request) looks the same. ",
					pr.UnservedLocation, pr.Server)
			case pr.Outcomes.Served == 0 && pr.Outcomes.Refused > 0:
				conf = 0.45 // everything on the origin is refused to this client
			case pr.Folder:
				conf = 0.3
			}
			p.Report(analysis.Finding{
				Entry: i, Confidence: conf,
				Explanation: expl + pr.TellApart(e),
				Evidence:    ev,
				Remedy:      pr.WithIISLogStep(e, ipSteps(e, pr.Server, "", "")),
			})
		}
	}
}

func ipSendStep(e *har.Entry) trace.Step {
	return trace.Step{Who: trace.User, Step: fmt.Sprintf("Send the site admin: your public IP address (search \"what is my IP\"), the time (%s) and the request %s.",
		e.StartedDateTime.UTC().Format("2006-01-02 15:04:05 UTC"), trace.RequestLabel(e))}
}

func ipSteps(e *har.Entry, vendor, refName, ref string) []trace.Step {
	where := "the site's allow-list"
	if vendor != "" {
		where = vendor + "'s access rules"
	}
	steps := []trace.Step{
		{Who: trace.User, Step: "Connect through the company VPN or from the network the site allows (office, home), and reload: it should load."},
		{Who: trace.Admin, Step: fmt.Sprintf("Check %s for the user's IP address, network or country, and allow it if the user should have access.", where)},
	}
	if ref != "" {
		steps = append(steps, trace.Step{Who: trace.Admin, Step: fmt.Sprintf("Look up the event by the %s %s to see which rule matched.", refName, ref)})
	}
	return append(steps, ipSendStep(e))
}
