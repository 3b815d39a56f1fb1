package live

import (
	"fmt"
	"net/url"
	"strings"

	"authlens/analysis"
	"authlens/har"
)

// Summary is the one-line description of entry e with its top diagnosis
// (secrets are never part of it: no header values, no query string). x is
// the report's exchange for e, or nil.
func Summary(e *har.Entry, x *analysis.Exchange) string {
	line := fmt.Sprintf("#%-4d %s %-7s %s %s", e.Index, e.StartedDateTime.Format("15:04:05"), e.Request.Method, status(e), displayURL(e.Request.URL))
	if x == nil {
		return line
	}
	switch {
	case !x.Problem:
		line += "  (normal challenge leg)"
	case len(x.Diagnoses) > 0:
		d := x.Diagnoses[0]
		line += fmt.Sprintf("  → %s (%.2f)", d.Cause, d.Confidence)
		if len(x.Diagnoses) > 1 {
			line += fmt.Sprintf(" +%d more", len(x.Diagnoses)-1)
		}
	default:
		line += "  → no cause identified yet"
	}
	return line
}

// NewLines returns the Summary of each entry new in u, in order.
func NewLines(u Update) []string {
	lines := make([]string, 0, len(u.Entries)-u.First)
	for _, e := range u.Entries[u.First:] {
		if x, ok := u.Exchange(e.Index); ok {
			lines = append(lines, Summary(e, &x))
		} else {
			lines = append(lines, Summary(e, nil))
		}
	}
	return lines
}

// Row is one exchange as the live table shows it (no header values, no
// query strings: nothing secret).
type Row struct {
	Index     int
	Time      string // HH:MM:SS
	Method    string
	Status    string // "401", "502!" when the proxy could not reach the server
	URL       string
	Diagnosis string // top cause and confidence, "normal challenge leg", or ""
	Problem   bool   // a 401/403 (or flagged exchange) that is not a normal leg
}

// Rows turns an update into table rows, in entry order.
func Rows(u Update) []Row {
	rows := make([]Row, len(u.Entries))
	for i, e := range u.Entries {
		r := Row{Index: e.Index, Time: e.StartedDateTime.Format("15:04:05"), Method: e.Request.Method, Status: status(e), URL: displayURL(e.Request.URL)}
		if x, ok := u.Exchange(e.Index); ok {
			r.Problem = x.Problem
			switch {
			case !x.Problem:
				r.Diagnosis = "normal challenge leg"
			case len(x.Diagnoses) > 0:
				r.Diagnosis = fmt.Sprintf("%s (%.0f%%)", x.Diagnoses[0].Title, 100*x.Diagnoses[0].Confidence)
			default:
				r.Diagnosis = "no cause identified yet"
			}
		}
		rows[i] = r
	}
	return rows
}

// status is the status code, with "!" when the proxy made the answer up
// because the server could not be reached.
func status(e *har.Entry) string {
	s := fmt.Sprintf("%d", e.Response.Status)
	if e.Failed() && e.Response.Status > 0 {
		s += "!"
	}
	return s
}

// displayURL is a URL fit for a live line: no userinfo (a password), no
// query or fragment (tokens travel there).
func displayURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			raw = raw[:i]
		}
		return raw
	}
	cut := u.RawQuery != "" || u.Fragment != ""
	u.User, u.RawQuery, u.Fragment, u.RawFragment, u.ForceQuery = nil, "", "", "", false
	if cut {
		return u.String() + "?…"
	}
	return u.String()
}
