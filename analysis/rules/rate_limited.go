package rules

import (
	"fmt"

	"authlens/analysis"
	"authlens/analysis/internal/excerpt"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/redact"
)

// RateLimited is the `rate-limited` cause (catalogue §3.3).
var RateLimited = &analysis.Rule{
	ID:    "rate-limited",
	Title: "Too many requests",
	Doc:   "Too many requests or failed logins from this client: the server or a protection layer is refusing it for a while.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Wait the time the server names in Retry-After (or a few minutes), then try once."},
		{Who: trace.User, Step: "Stop scripts, extensions or other tabs that repeat requests to this site."},
		{Who: trace.Admin, Step: "Check the rate limit and the lockout list for this client's address or account, and lift it if the traffic is legitimate."},
	},
	Run:     runRateLimited,
	RuleOut: ruleOutRateLimited,
}

func runRateLimited(p *analysis.Pass) {
	t := p.Trace
	for i, e := range t.Entries {
		st := e.Response.Status
		if st < 400 && st > 0 {
			continue
		}
		var f analysis.Finding
		f.Entry = i
		if row, ok := t.IISForEntry(i); ok && row.Cause == "rate-limited" {
			f.Confidence, f.Explanation = 0.9, row.Reason()
			f.Evidence = []trace.Evidence{trace.IISEvidence(i, row)}
			f.Remedy = row.Remedy
		} else if m, ok := trace.SignatureFor(t.Signatures(i), "rate-limited"); ok {
			f = analysis.SignatureFinding(i, m, m.Confidence)
			if m.Cause != "rate-limited" {
				f.Confidence = 0.6 // a lockout page: the plugin or firewall leads, the limit explains it
			}
		} else if n, v, ok := trace.RateLimitHeader(e); ok && (trace.RefusalStatus(st) || st == 429) {
			f.Conclude(0.9, fmt.Sprintf("The server says this client's request quota is used up (%s: %s) and answered %d.", n, v, st),
				trace.ResponseHeaderEvidence(i, n, v))
		} else if st == 429 {
			f.Conclude(0.9, "429 Too Many Requests: the server refuses this client for a while because it sent too many requests.",
				trace.Evidence{Entry: i, Where: har.At(har.PartResponseStatus), Detail: "429 " + e.Response.StatusText})
		} else if v, ok := har.HeaderValue(e.Response.Headers, "Retry-After"); ok && trace.RefusalStatus(st) {
			f.Conclude(0.6, fmt.Sprintf("The %d carries Retry-After: %s — the server asks the client to come back later, which is how rate limits and lockouts answer.", st, v),
				trace.ResponseHeaderEvidence(i, "Retry-After", v))
		} else if trace.RefusalStatus(st) {
			n, first := t.RepeatedRefusals(i)
			if n < 5 {
				continue
			}
			f.Conclude(0.42, fmt.Sprintf("%d refused attempts at the same address came before this one (since entry #%d): many servers and security plugins lock a client out after repeated failures.", n, first),
				trace.Evidence{Entry: first, Where: har.At(har.PartResponseStatus), Detail: fmt.Sprintf("first of %d refused attempts at %s", n, trace.RequestLabel(e))})
		} else {
			continue
		}
		if wait := trace.RetryAfterWords(e); wait != "" {
			f.Explanation += " The server says to wait " + wait + "."
		}
		if f.Remedy == nil {
			f.Remedy = rateSteps(e)
		}
		p.Report(f)
	}
}

func rateSteps(e *har.Entry) []trace.Step {
	wait := "a few minutes"
	if w := trace.RetryAfterWords(e); w != "" {
		wait = w
	}
	return []trace.Step{
		{Who: trace.User, Step: fmt.Sprintf("Wait %s, then try %s once; every retry before that can extend the block.", wait, excerpt.Clip(redact.URL(e.Request.URL), 120))},
		{Who: trace.User, Step: "Stop scripts, browser extensions or other tabs that repeat requests to this site."},
		{Who: trace.Admin, Step: fmt.Sprintf("Check the rate limit or lockout list for this client around %s; lift or raise it if the traffic is legitimate.", e.StartedDateTime.UTC().Format("2006-01-02 15:04 UTC"))},
		{Who: trace.Developer, Step: "Honour Retry-After and back off exponentially instead of retrying at once."},
	}
}

// ruleOutRateLimited: no 429, no Retry-After and no exhausted rate-limit
// header, and the client did not hammer the site.
func ruleOutRateLimited(t *trace.Trace, i int) (string, bool) {
	e := t.Entries[i]
	if trace.EffectiveStatus(e) == 429 {
		return "", false
	}
	if _, ok := har.HeaderValue(e.Response.Headers, "Retry-After"); ok {
		return "", false
	}
	if _, _, ok := trace.RateLimitHeader(e); ok {
		return "", false
	}
	if n, _ := t.RepeatedRefusals(i); n > 3 {
		return "", false
	}
	return fmt.Sprintf("Not a rate limit: the answer is %d, not 429, with no Retry-After or exhausted rate-limit header.", trace.EffectiveStatus(e)), true
}
