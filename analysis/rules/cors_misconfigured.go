package rules

import (
	"fmt"
	"strings"

	"authlens/analysis"
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/trace"
	"authlens/analysis/trace/jar"
	"authlens/har"
	"authlens/redact"
)

// CORSMisconfigured is the `cors-misconfigured` cause (catalogue §3.4).
var CORSMisconfigured = &analysis.Rule{
	ID:    "cors-misconfigured",
	Title: "CORS headers refuse the credentialed call",
	Doc:   "The server's CORS headers do not allow this credentialed cross-origin call, so the browser blocks it.",
	Remedy: []trace.Step{
		{Who: trace.Developer, Step: "List Authorization (and every custom header the call sends) in Access-Control-Allow-Headers — '*' does not cover Authorization."},
		{Who: trace.Developer, Step: "Echo the caller's exact origin in Access-Control-Allow-Origin (not '*') and send Access-Control-Allow-Credentials: true for calls made with credentials."},
	},
	Run:     runCORSMisconfigured,
	RuleOut: ruleOutCORSMisconfigured,
}

func runCORSMisconfigured(p *analysis.Pass) {
	t := p.Trace
	for j, pf := range t.Entries {
		if !trace.IsPreflight(pf) {
			continue
		}
		st := pf.Response.Status
		if st < 200 || st >= 300 {
			continue
		}
		origin, _ := har.HeaderValue(pf.Request.Headers, "Origin")
		reqHeaders, _ := har.HeaderValue(pf.Request.Headers, "Access-Control-Request-Headers")
		i := t.RequestAfterPreflight(j)
		credentialed := i >= 0 && len(jar.RequestCookieHeaders(t.Entries[i])) > 0
		var requested []string
		if reqHeaders != "" {
			requested = strings.Split(reqHeaders, ",")
		}
		problems := trace.CORSHeaderProblems(pf, origin, credentialed, requested)
		conf := 0.85
		if len(problems) == 0 && (i < 0 || t.Entries[i].Response.Status <= 0) && trace.WildcardWithoutCredentials(pf) {
			// A preflight never shows the call's credentials mode, but a
			// Preflight that passes for an uncredentialed call is followed by
			// the real request; it never went through, and * refuses exactly the
			// credentialed ones (Fetch standard, CORS check).
			problems = []string{"Access-Control-Allow-Origin: * without Access-Control-Allow-Credentials: true, and the real request never went through: a call made with credentials (cookies, credentials: 'include') is refused by *"}
			conf = 0.6
		}
		if len(problems) == 0 {
			continue
		}
		failedAfter := i >= 0 && t.Entries[i].Response.Status <= 0
		if i >= 0 && !failedAfter {
			continue // the real request went through: the browser accepted the preflight
		}
		expl := fmt.Sprintf("The CORS preflight from %s answered %d, but its headers refuse the call: %s. The browser therefore blocked the real request.", origin, st, strings.Join(problems, "; "))
		ev := []trace.Evidence{{Entry: j, Where: har.At(har.PartResponseHeaders), Detail: strings.Join(problems, "; ")}}
		p.Report(analysis.Finding{Entry: j, Confidence: conf, Explanation: expl, Evidence: ev, Remedy: corsFixSteps(pf, origin, problems)})
		if failedAfter {
			p.Report(analysis.Finding{Entry: i, Confidence: conf, Explanation: expl, Evidence: ev, Remedy: corsFixSteps(pf, origin, problems)})
		}
	}
	for i, e := range t.Entries {
		if trace.IsPreflight(e) {
			continue
		}
		if cf, ok := t.CORSFailureOf(i); ok {
			if cf.Preflight >= 0 {
				continue // judged with its preflight above
			}
			if len(cf.NonSimple) > 0 {
				p.Report(analysis.Finding{
					Entry: i, Confidence: 0.5,
					Explanation: trace.CORSUnrecordedExplanation(cf, "cors-misconfigured"),
					Evidence:    trace.CORSFailureEvidence(i, e, cf),
					Remedy:      append(corsFixSteps(e, cf.Origin, nil), trace.CORSAskStep(e, cf)),
				})
			} else if strings.Contains(strings.ToLower(cf.FailedText), "cors") || len(jar.RequestCookieHeaders(e)) > 0 {
				p.Report(analysis.Finding{
					Entry: i, Confidence: 0.45,
					Explanation: fmt.Sprintf("The browser blocked this cross-origin call from %s (%s) although it needed no preflight: the response's CORS headers (Access-Control-Allow-Origin, -Credentials) did not allow it.", cf.Origin, trace.OrDefault(cf.FailedText, "no status")),
					Evidence:    trace.CORSFailureEvidence(i, e, cf),
					Remedy:      append(corsFixSteps(e, cf.Origin, nil), trace.CORSAskStep(e, cf)),
				})
			}
			continue
		}
		// A refused cross-origin answer that the page cannot even read:
		// its CORS headers refuse the credentialed call.
		st := e.Response.Status
		if !trace.RefusalStatus(st) {
			continue
		}
		fc := trace.FetchContextOf(t, i)
		if !fc.CORSFetch || fc.Origin == "" || har.OriginOf(fc.Origin) == t.Origin(i) || len(jar.RequestCookieHeaders(e)) == 0 {
			continue
		}
		problems := trace.CORSHeaderProblems(e, fc.Origin, true, nil)
		if len(problems) == 0 {
			continue
		}
		p.Report(analysis.Finding{
			Entry: i, Confidence: 0.4,
			Explanation: fmt.Sprintf("This credentialed cross-origin call from %s was answered %d, and the answer's CORS headers refuse it (%s), so the page cannot even read why. Fix the refusal itself first; the CORS headers hide it.", fc.Origin, st, strings.Join(problems, "; ")),
			Evidence:    []trace.Evidence{{Entry: i, Where: har.At(har.PartResponseHeaders), Detail: strings.Join(problems, "; ")}},
			Remedy:      corsFixSteps(e, fc.Origin, problems),
		})
	}
}

func corsFixSteps(e *har.Entry, origin string, problems []string) []trace.Step {
	host := trace.HostOf(e)
	o := trace.OrDefault(origin, "the calling page's origin")
	return []trace.Step{
		{Who: trace.Developer, Step: fmt.Sprintf("On %s, answer the preflight and the response with Access-Control-Allow-Origin: %s (the exact origin, not *), and Access-Control-Allow-Credentials: true when the call sends cookies.", host, o)},
		{Who: trace.Developer, Step: "Name every header the call sends in Access-Control-Allow-Headers — Authorization explicitly, since * does not cover it — and the method in Access-Control-Allow-Methods."},
		{Who: trace.Developer, Step: fmt.Sprintf("Check it worked: the browser console should show no CORS error for %s, and the request should get its real status.", excerpt.Clip(redact.URL(e.Request.URL), 100))},
	}
}

// ruleOutCORSMisconfigured: CORS binds only a browser's cross-origin calls.
func ruleOutCORSMisconfigured(t *trace.Trace, i int) (string, bool) {
	return trace.NotCrossOrigin(t, i)
}
