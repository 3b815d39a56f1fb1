package analysis

import (
	"fmt"
	"net/url"
	"strings"
)

// WrongURL is the `wrong-url` cause.
var WrongURL = &Rule{
	ID:    "wrong-url",
	Title: "Outdated or mistyped address",
	Doc:   "The failing address differs from one that works (http instead of https, www or not, another host, letter case, a trailing slash), or points at a path the site no longer serves.",
	Remedy: []Step{
		{User, "Check the address against the site's current link (scheme, host name, path and letter case) and open that one: it should load."},
		{Admin, "Redirect old or alternative addresses to the current one."},
	},
	Run: runWrongURL,
}

func runWrongURL(p *Pass) {
	t := p.Trace
	working := map[string][]int{}
	for _, j := range t.TimeOrder() {
		if st := t.Entries[j].Response.Status; st >= 200 && st < 300 {
			k := variantKey(t.Entries[j].Request.Method, t.Entries[j].Request.URL)
			working[k] = append(working[k], j)
		}
	}
	for _, i := range t.TimeOrder() {
		if !t.authFailure(i) {
			continue
		}
		e := t.Entries[i]
		if row, ok := t.IISForEntry(i); ok && row.Cause == p.Rule.ID {
			https := strings.Replace(e.Request.URL, "http://", "https://", 1)
			p.Report(Finding{Entry: i, Confidence: 0.85,
				Explanation: fmt.Sprintf("The IIS error page names sub-status %s: %s. The page must be opened over https.", row.Code(), row.Meaning),
				Evidence:    []Evidence{iisEvidence(i, row)},
				Remedy: append([]Step{{User, fmt.Sprintf("Open %s (https) instead: it should load.", maskedURL(https))}},
					append(row.Remedy, Step{Admin, "Redirect http:// to https:// for this site so old links keep working."})...)})
			continue
		}
		j, diff := t.workingVariant(i, working[variantKey(e.Request.Method, e.Request.URL)])
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
		good := maskedURL(t.Entries[j].Request.URL)
		p.Report(Finding{Entry: i, Confidence: conf,
			Explanation: fmt.Sprintf("This address differs from one that worked in the same trace (entry %d, %s) only by %s.", j, good, diff),
			Evidence:    []Evidence{evidence(i, "request.url", maskedURL(e.Request.URL)), evidence(j, "request.url", good+fmt.Sprintf(" → %d", t.Entries[j].Response.Status))},
			Remedy: []Step{
				{User, fmt.Sprintf("Use %s instead of %s: it should answer %d.", good, maskedURL(e.Request.URL), t.Entries[j].Response.Status)},
				{Admin, "Redirect the other form of the address to the one that works, so old links keep working."},
			}})
	}
}

// variantKey groups URLs that differ only by scheme, www, letter case or
// a trailing slash.
func variantKey(method, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return method + " " + raw
	}
	return method + " " + strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") + strings.ToLower(strings.TrimSuffix(u.Path, "/")) + "?" + u.RawQuery
}

// workingVariant finds an entry that succeeded on an address differing
// from entry i's only by scheme, www, letter case or a trailing slash,
// among the successful candidates with the same variantKey.
func (t *Trace) workingVariant(i int, candidates []int) (int, string) {
	a, err := url.Parse(t.Entries[i].Request.URL)
	if err != nil {
		return -1, ""
	}
	for _, j := range candidates {
		ej := t.Entries[j]
		if j == i || ej.Response.Status < 200 || ej.Response.Status >= 300 || ej.Request.Method != t.Entries[i].Request.Method {
			continue
		}
		b, err := url.Parse(ej.Request.URL)
		if err != nil || a.RawQuery != b.RawQuery {
			continue
		}
		ha, hb := strings.ToLower(a.Hostname()), strings.ToLower(b.Hostname())
		switch {
		case a.Scheme != b.Scheme && ha == hb && a.Path == b.Path:
			return j, "scheme (" + a.Scheme + " instead of " + b.Scheme + ")"
		case ha != hb && strings.TrimPrefix(ha, "www.") == strings.TrimPrefix(hb, "www.") && a.Path == b.Path:
			return j, "the www. prefix"
		case ha == hb && a.Path != b.Path && strings.EqualFold(a.Path, b.Path):
			return j, "letter case in the path"
		case ha == hb && a.Path != b.Path && strings.TrimSuffix(a.Path, "/") == strings.TrimSuffix(b.Path, "/"):
			return j, "a trailing slash"
		}
	}
	return -1, ""
}
