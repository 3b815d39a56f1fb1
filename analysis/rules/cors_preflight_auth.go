package rules

import (
	"fmt"

	"authlens/analysis"
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/redact"
)

// CORSPreflightAuth is the `cors-preflight-auth` cause (catalogue §3.4).
var CORSPreflightAuth = &analysis.Rule{
	ID:    "cors-preflight-auth",
	Title: "The CORS preflight was asked to authenticate",
	Doc:   "The server demands authentication on the CORS preflight (OPTIONS), which never carries credentials, so the real request is never sent.",
	Remedy: []trace.Step{
		{Who: trace.Admin, Step: "Answer OPTIONS preflight requests before authentication: no login, status 204/200, with the Access-Control-Allow-* headers."},
		{Who: trace.Developer, Step: "Exclude OPTIONS from the authentication filter or middleware (e.g. permit OPTIONS in Spring Security, handle CORS before auth in Express/ASP.NET)."},
	},
	Run:     runCORSPreflightAuth,
	RuleOut: ruleOutCORSPreflightAuth,
}

func runCORSPreflightAuth(p *analysis.Pass) {
	t := p.Trace
	for j, pf := range t.Entries {
		if !trace.IsPreflight(pf) {
			continue
		}
		st := pf.Response.Status
		if !(st == 401 || st == 403 || st == 407 || st >= 300 && st < 400) {
			continue
		}
		ev := trace.Evidence{Entry: j, Where: har.At(har.PartResponseStatus), Detail: fmt.Sprintf("OPTIONS preflight answered %d %s", st, pf.Response.StatusText)}
		if v, ok := har.HeaderValue(pf.Response.Headers, "WWW-Authenticate"); ok {
			ev = trace.ResponseHeaderEvidence(j, "WWW-Authenticate", v)
		}
		expl := fmt.Sprintf("The browser's CORS preflight (OPTIONS, which never carries credentials) was answered %d, so the browser never sent the real request.", st)
		p.Report(analysis.Finding{Entry: j, Confidence: 0.9, Explanation: expl, Evidence: []trace.Evidence{ev}, Remedy: preflightAuthSteps(pf)})
		if i := t.RequestAfterPreflight(j); i >= 0 && t.Entries[i].Response.Status <= 0 {
			p.Report(analysis.Finding{Entry: i, Confidence: 0.88, Explanation: expl, Evidence: []trace.Evidence{ev}, Remedy: preflightAuthSteps(pf)})
		}
	}
	for i, e := range t.Entries {
		cf, ok := t.CORSFailureOf(i)
		if !ok || cf.Preflight >= 0 || len(cf.NonSimple) == 0 {
			continue
		}
		p.Report(analysis.Finding{
			Entry: i, Confidence: 0.5,
			Explanation: trace.CORSUnrecordedExplanation(cf, "cors-preflight-auth"),
			Evidence:    trace.CORSFailureEvidence(i, e, cf),
			Remedy:      append(preflightAuthSteps(e), trace.CORSAskStep(e, cf)),
		})
	}
}

func preflightAuthSteps(e *har.Entry) []trace.Step {
	host := trace.HostOf(e)
	return []trace.Step{
		{Who: trace.Admin, Step: fmt.Sprintf("On %s, answer OPTIONS preflight requests without authentication (status 204 or 200) with Access-Control-Allow-Origin, -Methods, -Headers (naming Authorization) and -Credentials as needed.", host)},
		{Who: trace.Developer, Step: "Exclude OPTIONS from the authentication filter or middleware (e.g. permit HttpMethod.OPTIONS in Spring Security, register the CORS middleware before auth in Express or ASP.NET Core)."},
		{Who: trace.Developer, Step: fmt.Sprintf("Check it worked: in the browser's network panel, the OPTIONS to %s should answer 204/200 and the real request should follow.", excerpt.Clip(redact.URL(e.Request.URL), 100))},
		{Who: trace.User, Step: fmt.Sprintf("Send the site's developers: \"The browser's CORS preflight (OPTIONS) to %s is refused, so the call never reaches the API.\"", excerpt.Clip(redact.URL(e.Request.URL), 100))},
	}
}

// ruleOutCORSPreflightAuth: CORS binds only a browser's cross-origin calls.
func ruleOutCORSPreflightAuth(t *trace.Trace, i int) (string, bool) {
	return trace.NotCrossOrigin(t, i)
}
