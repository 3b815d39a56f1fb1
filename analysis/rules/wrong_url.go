package rules

import (
	"fmt"
	"strings"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/redact"
)

// WrongURL is the `wrong-url` cause.
var WrongURL = &analysis.Rule{
	ID:    "wrong-url",
	Title: "Outdated or mistyped address",
	Doc:   "The failing address differs from one that works (http instead of https, www or not, another host, letter case, a trailing slash), or points at a path the site no longer serves.",
	Remedy: []trace.Step{
		{Who: trace.User, Step: "Check the address against the site's current link (scheme, host name, path and letter case) and open that one: it should load."},
		{Who: trace.Admin, Step: "Redirect old or alternative addresses to the current one."},
	},
	Run: runWrongURL,
}

func runWrongURL(p *analysis.Pass) {
	t := p.Trace
	working := map[string][]int{}
	for _, j := range t.TimeOrder() {
		if st := t.Entries[j].Response.Status; st >= 200 && st < 300 {
			k := trace.VariantKey(t.Entries[j].Request.Method, t.Entries[j].Request.URL)
			working[k] = append(working[k], j)
		}
	}
	for _, i := range t.TimeOrder() {
		if !t.AuthFailure(i) {
			continue
		}
		e := t.Entries[i]
		if row, ok := t.IISForEntry(i); ok && row.Cause == p.Rule.ID {
			https := strings.Replace(e.Request.URL, "http://", "https://", 1)
			p.Report(analysis.Finding{Entry: i, Confidence: 0.85,
				Explanation: fmt.Sprintf("The IIS error page names sub-status %s: %s. The page must be opened over https.", row.Code(), row.Meaning),
				Evidence:    []trace.Evidence{trace.IISEvidence(i, row)},
				Remedy: append([]trace.Step{{Who: trace.User, Step: fmt.Sprintf("Open %s (https) instead: it should load.", redact.URL(https))}},
					append(row.Remedy, trace.Step{Who: trace.Admin, Step: "Redirect http:// to https:// for this site so old links keep working."})...)})
			continue
		}
		j, diff := t.WorkingVariant(i, working[trace.VariantKey(e.Request.Method, e.Request.URL)])
		if j < 0 {
			continue
		}
		conf := 0.4
		if strings.HasPrefix(diff, "scheme") || diff == "the www. prefix" {
			// Proven by the trace: the same path worked a moment ago on
			// the other scheme or host name, which is stronger than a
			// reading inferred from what the request lacks.
			conf = 0.8
		}
		good := redact.URL(t.Entries[j].Request.URL)
		p.Report(analysis.Finding{Entry: i, Confidence: conf,
			Explanation: fmt.Sprintf("This address differs from one that worked in the same trace (entry %d, %s) only by %s.", j, good, diff),
			Evidence:    []trace.Evidence{trace.EvidenceAt(i, har.At(har.PartRequestURL), redact.URL(e.Request.URL)), trace.EvidenceAt(j, har.At(har.PartRequestURL), good+fmt.Sprintf(" → %d", t.Entries[j].Response.Status))},
			Remedy: []trace.Step{
				{Who: trace.User, Step: fmt.Sprintf("Use %s instead of %s: it should answer %d.", good, redact.URL(e.Request.URL), t.Entries[j].Response.Status)},
				{Who: trace.Admin, Step: "Redirect the other form of the address to the one that works, so old links keep working."},
			}})
	}
}
